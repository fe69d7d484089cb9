"""Two evaluations of one corpus side by side: which posts a policy change fixed and which it broke."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from discreet.tuning.evaluation import Report

OUTCOME_WORDS = {"tp": "found", "fp": "false alarm", "fn": "missed"}


@dataclass(frozen=True, slots=True)
class Change:
    """One post whose outcomes differ: what the first policy gave and what the second gives."""

    id: str
    gone: tuple[tuple[str, str, str], ...]  # (kind, category, text) under the first policy only
    new: tuple[tuple[str, str, str], ...]  # ... under the second policy only

    @property
    def verdict(self) -> str:
        """ "better" when the second policy finds more and errs less on this post, "worse", or "mixed"."""
        balance = sum((1 if kind == "tp" else -1) for kind, _, _ in self.new) - sum(
            (1 if kind == "tp" else -1) for kind, _, _ in self.gone
        )
        return "better" if balance > 0 else "worse" if balance < 0 else "mixed"

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "verdict": self.verdict,
            "gone": [list(o) for o in self.gone],
            "new": [list(o) for o in self.new],
        }


def changed_posts(first: Report, second: Report) -> list[Change]:
    """Posts, in corpus order, whose outcomes under `second` differ from those under `first`."""
    changes = []
    for post_id, before in first.outcomes.items():
        after = second.outcomes.get(post_id, ())
        if Counter(before) == Counter(after):
            continue
        gone = Counter(before) - Counter(after)
        new = Counter(after) - Counter(before)
        changes.append(Change(post_id, tuple(sorted(gone.elements())), tuple(sorted(new.elements()))))
    return changes
