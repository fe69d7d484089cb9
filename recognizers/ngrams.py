"""Word n-grams of a paragraph as named features for a learned text model, each with the span it came from.

Forms are normalised so that what a model learns from one post carries to another: lower case, one kind of
apostrophe, any number as `<num>`, a time of day as `<time>`, a client the policy names as `<client>`, and a
capitalised word that is rare in English inside a sentence (a person's or a firm's name) as `<name>`. A
function word is no feature on its own, nor a pair of them: they say how a writer writes, not what about.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex
from wordfreq import zipf_frequency

from discreet.recognizers.text import word_list

_TOKEN = regex.compile(
    r"(?P<time>\d{1,2}(?::\d\d)?\s*(?:am|pm)\b)|(?P<num>\d+(?:[.,:]\d+)*)|(?P<word>\p{L}[\p{L}'’*-]*)|"
    r"(?P<mark>[?!]|\p{So})",
    regex.IGNORECASE,
)
_FUNCTION_WORDS = word_list("function_words.txt")
_NAME_ZIPF = 3.0  # rarer than this in English and capitalised mid-sentence: a name, not a word


@dataclass(frozen=True, slots=True)
class Gram:
    feature: str
    start: int
    end: int


@lru_cache(maxsize=65536)
def _common(word: str) -> bool:
    return zipf_frequency(word, "en") >= _NAME_ZIPF


def _form(m: regex.Match, sentence_start: bool) -> str:
    if m.group("time"):
        return "<time>"
    if m.group("num"):
        return "<num>"
    word = m.group().replace("’", "'")
    lower = word.lower()
    if word[0].isupper() and not sentence_start and not word.isupper() and not _common(lower):
        return "<name>"
    return lower


def grams(
    text: str, sentences: Iterable[tuple[int, int]], named: Iterable[tuple[int, int]] = ()
) -> list[list[Gram]]:
    """Unigrams and bigrams of each sentence, a list a sentence; `named` spans (clients the policy knows)
    become `<client>`."""
    named = sorted(named)
    by_sentence: list[list[Gram]] = []
    for start, end in sentences:
        out: list[Gram] = []
        tokens: list[tuple[str, int, int]] = []
        pos = start
        for a, b in [s for s in named if start <= s[0] and s[1] <= end] + [(end, end)]:
            for m in _TOKEN.finditer(text, pos, a):
                tokens.append((_form(m, not tokens), m.start(), m.end()))
            if b > a:
                tokens.append(("<client>", a, b))
            pos = b
        out += [Gram(f"w:{form}", a, b) for form, a, b in tokens if form not in _FUNCTION_WORDS]
        out += [
            Gram(f"b:{x[0]} {y[0]}", x[1], y[2])
            for x, y in itertools.pairwise(tokens)
            if not (x[0] in _FUNCTION_WORDS and y[0] in _FUNCTION_WORDS)
        ]
        by_sentence.append(out)
    return by_sentence
