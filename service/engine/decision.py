"""A Decision: one candidate a recognizer considered and what the engine made of it. The engine's only product.

`scan` serves the found ones, `explain` and the lab show all of them with their reasons, `eval` counts the
found ones: all read the same Decisions, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum


class Status(StrEnum):
    FOUND = "found"
    BELOW_THRESHOLD = "below_threshold"
    ALLOW_LISTED = "allow_listed"
    SET_ASIDE = "set_aside"  # the recognizer's own judgement: an ordinary word, a failed checksum, ...
    MERGED = "merged"  # lost to an overlapping candidate that ranks higher


# The fields a finding is served with (the extension and `scan --jsonl` read these).
FINDING_FIELDS = (
    "start",
    "end",
    "text",
    "category",
    "label",
    "entity_type",
    "severity",
    "score",
    "recognizer",
    "explanation",
)


@dataclass(frozen=True, slots=True)
class Decision:
    """A candidate and what became of it. Offsets are code points from `Scanner.decide`, UTF-16 units from
    `Scanner.scan` and `explain` (as JavaScript indexes strings)."""

    start: int
    end: int
    text: str
    status: Status
    category: str
    label: str
    severity: str
    entity_type: str
    recognizer: str
    source: str  # the roster entry or pattern that fired, with the policy's file and line where it has them
    score: float
    score_before_context: float
    context_word: str | None
    explanation: str  # what a person is told about the finding
    reason: str  # why it is not a finding ("" for a finding)
    from_ner: bool  # a model's guess rather than a list or pattern match (loses overlaps to those)

    @property
    def found(self) -> bool:
        return self.status is Status.FOUND

    def shifted(self, offset: int) -> Decision:
        return replace(self, start=self.start + offset, end=self.end + offset)

    def in_utf16(self, table: list[int] | None) -> Decision:
        """The same decision with UTF-16 offsets (`table` from `utf16_offsets`; None: they coincide)."""
        return self if table is None else replace(self, start=table[self.start], end=table[self.end])

    def to_dict(self) -> dict:
        return asdict(self)

    def finding(self) -> dict:
        """The served shape of a found decision."""
        return {name: getattr(self, name) for name in FINDING_FIELDS}


def utf16_offsets(text: str) -> list[int] | None:
    """Map each code-point index of `text` (and len) to its UTF-16 offset; None when they coincide."""
    if text.isascii() or all(ord(ch) < 0x10000 for ch in text):
        return None
    table = [0] * (len(text) + 1)
    pos = 0
    for i, ch in enumerate(text):
        table[i] = pos
        pos += 2 if ord(ch) >= 0x10000 else 1
    table[len(text)] = pos
    return table
