"""Small text helpers the recognizer families share: sentences, words, the words either side of a span."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import regex

# A full stop after an initial, a title ("Mr D. Jones", "Dr. Patel") or closing an abbreviation of single
# letters ("e.g.", "i.e.", "58 y.o.") does not end a sentence.
_SENTENCE_BREAK = regex.compile(
    r"(?<=[.!?…])(?<!\b[A-Z]\.|\b[a-z]\.[a-z]\.|\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|St)\.)[\"')\]]*\s+|\n+|(?<=[:;])\s*\n"
)
_PARAGRAPH_BREAK = regex.compile(r"\n[ \t]*\n\s*")
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’\-]*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Rough sentence boundaries: enough to bound context and to cache NER work per sentence."""
    spans, start = [], 0
    for m in _SENTENCE_BREAK.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty paragraph: the unit the Scanner analyses and caches."""
    spans, start = [], 0
    for m in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = m.start() if m else len(text)
        if end > start:
            spans.append((start, end))
        if m:
            start = m.end()
    return spans


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def is_sentence_start(text: str, pos: int) -> bool:
    """True when nothing but punctuation, emoji or a bullet stands between `pos` and a sentence break."""
    i = pos - 1
    while i >= 0 and not (text[i].isalnum() or text[i] in ".!?\n:;"):
        if text[i] in ",(":
            return False
        i -= 1
    return i < 0 or text[i] in ".!?\n:;"


def previous_word(text: str, pos: int) -> str | None:
    """The word just before `pos` when only spaces separate them, else None."""
    i = pos
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i == pos or i == 0 or not (text[i - 1].isalnum()):
        return None
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "-'’&."):
        j -= 1
    return text[j:i]


def next_word(text: str, pos: int) -> str | None:
    """The word just after `pos` when only spaces separate them, else None."""
    i = pos
    while i < len(text) and text[i] in " \t":
        i += 1
    if i == pos or i >= len(text) or not text[i].isalnum():
        return None
    j = i
    while j < len(text) and (text[j].isalnum() or text[j] in "-&"):
        j += 1
    return text[i:j]


@cache
def word_list(name: str) -> frozenset[str]:
    """A list in recognizers/data (one entry a line, `#` comments), read once per process for every family."""
    text = files("discreet.recognizers").joinpath(f"data/{name}").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
