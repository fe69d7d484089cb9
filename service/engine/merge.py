"""One overlap merge for every caller: overlapping candidates become the single best one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def merge_overlapping(
    items: Sequence[T], span: Callable[[T], tuple[int, int]], rank: Callable[[T], tuple]
) -> list[T]:
    """Group items whose spans overlap (transitively) and keep the best-ranked of each group, in text order."""
    ordered = sorted(items, key=lambda it: span(it))
    kept: list[T] = []
    group: list[T] = []
    group_end = -1
    for item in ordered:
        start, end = span(item)
        if group and start >= group_end:
            kept.append(max(group, key=rank))
            group = []
        group.append(item)
        group_end = max(group_end, end) if len(group) > 1 else end
    if group:
        kept.append(max(group, key=rank))
    return kept
