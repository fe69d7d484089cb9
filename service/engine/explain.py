"""Why a post was flagged and what was nearly flagged: the Scanner's Decisions, split for people to read.

A security team tuning a policy needs more than the findings: which roster entry or pattern fired, how much a
context word moved the score, and every candidate that did not make it (below the threshold, allow-listed,
lost to an overlapping finding, or set aside by a recognizer as an ordinary word, a failed checksum or a name
out of context) with the reason. These are the very Decisions `scan` serves, so the two always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from discreet.engine.decision import Decision, utf16_offsets
from discreet.engine.scanner import Scanner


@dataclass(frozen=True, slots=True)
class Explanation:
    findings: tuple[Decision, ...]
    near_misses: tuple[Decision, ...]

    def to_dict(self) -> dict:
        return {
            "findings": [d.to_dict() for d in self.findings],
            "near_misses": [d.to_dict() for d in self.near_misses],
        }


def explain(scanner: Scanner, text: str) -> Explanation:
    """Every decision the Scanner makes on `text`, in UTF-16 offsets, findings first, each list in text order."""
    table = utf16_offsets(text)
    decisions = [d.in_utf16(table) for d in scanner.decide(text)]
    return Explanation(tuple(d for d in decisions if d.found), tuple(d for d in decisions if not d.found))
