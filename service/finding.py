"""A finding: one flagged span, in the shape every caller (CLI, service, extension) consumes."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """A flagged span. `start`/`end` are UTF-16 code units, as JavaScript indexes strings."""

    start: int
    end: int
    text: str
    category: str
    label: str
    entity_type: str
    severity: str
    score: float
    recognizer: str
    explanation: str

    def to_dict(self) -> dict:
        return asdict(self)


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
