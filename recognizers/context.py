"""The one context step every recognizer uses: is one of these words near this span?

Presidio's context enhancer looks a few words either side of a match; so does this, with two additions that
posts need: the window can stop at the sentence's end (a context word in the next sentence is about something
else), and a plural context word matches its singular ("clients" for "client").
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import regex

from discreet.recognizers.text import words

_SENTENCE_STOP = regex.compile(r"[.!?\n](?:\s|$)|\n")
# Characters looked at per word of window: generous, so the word count is what limits the window.
_CHARS_PER_WORD = 16


@dataclass(frozen=True, slots=True)
class Window:
    """How far context may be from a span: words before, words after, and whether it stops at a sentence."""

    before: int = 8
    after: int = 8
    same_sentence: bool = True


def near(text: str, start: int, end: int, context: Collection[str], window: Window = Window()) -> str | None:
    """The first context word within `window` of `text[start:end]`, nearest first; None when there is none."""
    if not context:
        return None
    left = text[max(0, start - window.before * _CHARS_PER_WORD) : start]
    right = text[end : end + window.after * _CHARS_PER_WORD]
    if window.same_sentence:
        stops = list(_SENTENCE_STOP.finditer(left))
        left = left[stops[-1].end() :] if stops else left
        stop = _SENTENCE_STOP.search(right)
        right = right[: stop.start()] if stop else right
    before = words(left)[-window.before :] if window.before else []
    after = words(right)[: window.after]
    nearest = [w for pair in zip(reversed(before), after, strict=False) for w in pair]
    nearest += before[: len(before) - len(after)][::-1] if len(before) > len(after) else after[len(before) :]
    return next((w for w in nearest if _matches(w, context)), None)


def _matches(word: str, context: Collection[str]) -> bool:
    return word in context or (word.endswith("s") and word[:-1] in context)
