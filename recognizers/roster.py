"""Roster recognizer: client names and project code names from a list, matched with one automaton.

A regex alternation of 20,000 names is slow to build and to run; an Aho-Corasick automaton over a folded copy
of the text (lower case, one space for any run of white space) finds every alias in one pass. Names that are
also ordinary words ("Summit", "Kestrel") are kept only where they read as a name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS
from wordfreq import zipf_frequency

from discreet.recognizers.text import is_sentence_start, next_word, previous_word, result, words

# A word this frequent in English text (Zipf scale) is an ordinary word, not only a name.
ORDINARY_WORD_ZIPF = 2.0
# In a name of several words, each must be this common for the whole to read as ordinary ("copper kettle").
ORDINARY_PHRASE_ZIPF = 3.5
_TAG = regex.compile(r"(?<![\p{L}\p{N}_])[#@]([\p{L}\p{N}_]{3,})")
_FOLD = {"’": "'", "‘": "'", "`": "'"}
# Capitalised words that may start a sentence before a name without being part of it ("Today Bluebell went live").
_LEAD_INS = STOP_WORDS | set(
    [
        "thanks",
        "thank",
        "welcome",
        "congrats",
        "congratulations",
        "hi",
        "hello",
        "huge",
        "big",
        "today",
        "yesterday",
        "tomorrow",
        "tonight",
        "finally",
        "meanwhile",
        "update",
        "news",
        "shoutout",
        "kudos",
        "great",
        "proud",
    ]
)
_QUOTES = "\"'“”‘’«»"


@dataclass(frozen=True, slots=True)
class Alias:
    surface: str  # as written in the roster
    name: str  # the entry's canonical name
    ordinary: bool  # every word of it is an ordinary English word
    words: int
    length: int  # length of the folded key


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def is_ordinary(surface: str, tokens: list[str]) -> bool:
    """Whether a roster name could be ordinary English: common words only, no '&', '+', '.' or digits."""
    if any(ch in surface for ch in "&+.") or any(ch.isdigit() for ch in surface):
        return False
    if any(len(w) > 1 and w.isupper() for w in surface.split()):
        return False  # written with an acronym ("Riverside CH"): a name, whatever the words
    floor = ORDINARY_WORD_ZIPF if len(tokens) == 1 else ORDINARY_PHRASE_ZIPF
    return all(_zipf(t) >= floor for t in tokens)


def fold(text: str) -> tuple[str, list[int]]:
    """Lower-case `text`, unify apostrophes and squeeze white space; return it with a map back to `text`."""
    out: list[str] = []
    index: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space:
                out.append(" ")
                index.append(i)
            space = True
            continue
        space = False
        low = _FOLD.get(ch) or ch.lower()
        out.append(low if len(low) == 1 else ch)
        index.append(i)
    index.append(len(text))
    return "".join(out), index


def _squash(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


class RosterRecognizer(EntityRecognizer):
    """Finds roster names and aliases in any case, spacing, possessive or #hashtag form."""

    def __init__(
        self,
        name: str,
        entity: str,
        entries: Iterable[tuple[str, Sequence[str]]],
        context: Iterable[str],
        list_phrase: str,
    ):
        self.list_phrase = list_phrase
        self.context_words = frozenset(w for c in context for w in words(c))
        self._automaton = ahocorasick.Automaton()
        self._tags: dict[str, Alias] = {}
        for canonical, aliases in entries:
            for surface in aliases:
                key, _ = fold(surface)
                tokens = words(surface)
                if not tokens:
                    continue
                ordinary = is_ordinary(surface, tokens)
                alias = Alias(surface, canonical, ordinary, len(tokens), len(key))
                if key not in self._automaton:
                    self._automaton.add_word(key, alias)
                squashed = _squash(surface)
                if alias.words > 1 or squashed != key:
                    self._tags.setdefault(squashed, alias)
        if len(self._automaton):
            self._automaton.make_automaton()
        super().__init__(supported_entities=[entity], name=name, supported_language="en")

    def load(self) -> None:
        """Everything is built in __init__."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        candidates = list(self._matches(text)) + list(self._tag_matches(text))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        taken: list[RecognizerResult] = []
        last_end = -1
        for start, end, alias in candidates:
            if start < last_end:
                continue
            score = self._score(text, start, end, alias)
            if score is None:
                continue
            taken.append(self._result(text, start, end, alias, score))
            last_end = end
        return taken

    def _matches(self, text: str):
        if not len(self._automaton):
            return
        folded, index = fold(text)
        for last, alias in self._automaton.iter(folded):
            first = last - alias.length + 1
            if first > 0 and folded[first - 1].isalnum():
                continue
            if last + 1 < len(folded) and folded[last + 1].isalnum():
                continue
            yield index[first], index[last] + 1, alias

    def _tag_matches(self, text: str):
        for m in _TAG.finditer(text):
            alias = self._tags.get(_squash(m.group(1)))
            if alias is not None:
                yield m.start(1), m.end(1), alias

    def _score(self, text: str, start: int, end: int, alias: Alias) -> float | None:
        """How sure we are that this occurrence is the name, or None when it reads as an ordinary word."""
        surface = text[start:end]
        exact = surface == alias.surface
        if not alias.ordinary:
            return 0.95 if exact else 0.85
        if not _name_cased(surface):
            return None
        context = self._has_context(text, start, end)
        hashtag = start > 0 and text[start - 1] in "#@"
        if alias.words > 1:
            return 0.8 + (0.15 if context else 0)
        quoted = start > 0 and text[start - 1] in _QUOTES
        if hashtag or quoted or is_sentence_start(text, start):
            if context:
                return 0.7
            return 0.6 if text[end : end + 2] in ("'s", "’s") and not quoted else None
        before, after = previous_word(text, start), next_word(text, end)
        if before and _name_cased(before) and before.lower() not in _LEAD_INS:
            return None  # part of a longer name: "AWS Summit", "Google Lighthouse"
        if after and _name_cased(after) and after != "I":
            return None  # "Summit Partners", "Sterling Silver"
        return 0.6 + (0.3 if context else 0)

    def _has_context(self, text: str, start: int, end: int) -> bool:
        """A context word in the same sentence, within a few words of the name."""
        if not self.context_words:
            return False
        before = regex.split(r"[.!?\n]", text[max(0, start - 80) : start])[-1]
        after = regex.split(r"[.!?\n]", text[end : end + 80])[0]
        window = words(before)[-8:] + words(after)[:8]
        return any(w in self.context_words or w.rstrip("s") in self.context_words for w in window)

    def _result(self, text: str, start: int, end: int, alias: Alias, score: float) -> RecognizerResult:
        surface = text[start:end]
        explanation = f"'{surface}' is {self.list_phrase}"
        if _squash(surface) != _squash(alias.name):
            explanation += f" (alias of {alias.name})"
        return result(self.supported_entities[0], start, end, score, self.name, explanation)


def _name_cased(word: str) -> bool:
    """Every word starts with a capital, as a name is written ("Red Kite", "SUMMIT")."""
    parts = [p for p in regex.split(r"[\s\-]+", word) if p and p[0].isalpha()]
    return bool(parts) and all(p[0].isupper() for p in parts)
