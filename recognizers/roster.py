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
from spacy.lang.en.stop_words import STOP_WORDS
from wordfreq import zipf_frequency

from discreet.recognizers.base import Candidate, Recognizer
from discreet.recognizers.context import Window
from discreet.recognizers.text import is_sentence_start, next_word, previous_word, words

# A word this frequent in English text (Zipf scale) is an ordinary word, not only a name.
ORDINARY_WORD_ZIPF = 2.0
# In a name of several words, each must be this common for the whole to read as ordinary ("copper kettle").
ORDINARY_PHRASE_ZIPF = 3.5
_TAG = regex.compile(r"(?<![\p{L}\p{N}_])[#@]([\p{L}\p{N}_]{3,})")
_FOLD = {"’": "'", "‘": "'", "`": "'"}
# Capitalised words that may start a sentence before a name without being part of it ("Today Bluebell went live").
_LEAD_INS = STOP_WORDS | set(
    """thanks thank welcome congrats congratulations hi hello huge big today yesterday tomorrow tonight finally
    meanwhile update news shoutout kudos great proud""".split()
)
_QUOTES = "\"'“”‘’«»"


@dataclass(frozen=True, slots=True)
class Alias:
    surface: str  # as written in the roster
    name: str  # the entry's canonical name
    where: str  # file:line of the entry
    ordinary: bool  # every word of it is an ordinary English word
    words: int
    length: int  # length of the folded key


@dataclass(frozen=True, slots=True)
class Verdict:
    """How one occurrence of a roster name was judged, kept whole so `discreet explain` can show it."""

    score: float | None  # None: it reads as an ordinary word and is set aside
    base: float | None  # the score it would have without a context word (None: set aside)
    context: str | None = None  # the context word that raised the score
    reason: str = ""  # why it was set aside


def _boosted(base: float, boost: float, context: str | None) -> Verdict:
    return Verdict(base + boost if context else base, base, context)


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


@lru_cache(maxsize=64)
def fold(text: str) -> tuple[str, tuple[int, ...]]:
    """Lower-case `text`, unify apostrophes and squeeze white space; return it with a map back to `text`.
    Cached: every roster of a policy folds the same paragraph."""
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
    return "".join(out), tuple(index)


def _squash(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


class RosterRecognizer(Recognizer):
    """Finds roster names and aliases in any case, spacing, possessive or #hashtag form."""

    # A name's context is its own clause: a few words either side, in the same sentence.
    WINDOW = Window(before=8, after=8, same_sentence=True)

    def __init__(
        self,
        name: str,
        entity: str,
        entries: Iterable[tuple[str, Sequence[str], str]],
        context: Iterable[str],
        list_phrase: str,
    ):
        """`entries`: (canonical name, aliases, where the policy has it as file:line)."""
        self.entity = entity
        self.list_phrase = list_phrase
        self._automaton = ahocorasick.Automaton()
        self._tags: dict[str, Alias] = {}
        for canonical, aliases, where in entries:
            for surface in aliases:
                key, _ = fold(surface)
                tokens = words(surface)
                if not tokens:
                    continue
                ordinary = is_ordinary(surface, tokens)
                alias = Alias(surface, canonical, where, ordinary, len(tokens), len(key))
                if key not in self._automaton:
                    self._automaton.add_word(key, alias)
                squashed = _squash(surface)
                if alias.words > 1 or squashed != key:
                    self._tags.setdefault(squashed, alias)
        if len(self._automaton):
            self._automaton.make_automaton()
        super().__init__(context=context, name=name)

    def candidates(self, text: str) -> list[Candidate]:
        """Each non-overlapping occurrence, longest first at a position, judged; set-aside ones too."""
        found = list(self._matches(text)) + list(self._tag_matches(text))
        found.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        out: list[Candidate] = []
        last_end = -1
        for start, end, alias in found:
            if start < last_end:
                continue
            verdict = self._judge(text, start, end, alias)
            if verdict.score is not None:
                last_end = end
            out.append(self._candidate(text, start, end, alias, verdict))
        return out

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

    def _judge(self, text: str, start: int, end: int, alias: Alias) -> Verdict:
        """How sure we are that this occurrence is the name, or why it reads as an ordinary word."""
        surface = text[start:end]
        if not alias.ordinary:
            score = 0.95 if surface == alias.surface else 0.85
            return Verdict(score, score)
        if not _name_cased(surface):
            return Verdict(None, None, reason="an ordinary word, and written in lower case here")
        context = self.context_near(text, start, end)
        hashtag = start > 0 and text[start - 1] in "#@"
        if alias.words > 1:
            return _boosted(0.8, 0.15, context)
        quoted = start > 0 and text[start - 1] in _QUOTES
        if hashtag or quoted or is_sentence_start(text, start):
            possessive = 0.6 if text[end : end + 2] in ("'s", "’s") and not quoted else None
            if context:
                return Verdict(0.7, possessive, context)
            if possessive is None:
                return Verdict(
                    None,
                    None,
                    reason="an ordinary word where any word may be capitalised (sentence start, "
                    "hashtag or quotes), with no context word near",
                )
            return Verdict(possessive, possessive)
        before, after = previous_word(text, start), next_word(text, end)
        if before and _name_cased(before) and before.lower() not in _LEAD_INS:
            # part of a longer name: "AWS Summit", "Google Lighthouse"
            return Verdict(None, None, reason=f"part of a longer name ('{before} {surface}')")
        if after and _name_cased(after) and after != "I":
            # "Summit Partners", "Sterling Silver"
            return Verdict(None, None, reason=f"part of a longer name ('{surface} {after}')")
        return _boosted(0.6, 0.3, context)

    def _candidate(self, text: str, start: int, end: int, alias: Alias, verdict: Verdict) -> Candidate:
        surface = text[start:end]
        explanation = f"'{surface}' is {self.list_phrase}"
        if _squash(surface) != _squash(alias.name):
            explanation += f" (alias of {alias.name})"
        return Candidate(
            start,
            end,
            self.entity,
            min(1.0, verdict.score or 0.0),
            explanation,
            source=f"roster entry '{alias.name}' as '{alias.surface}' ({alias.where})",
            base_score=verdict.base or 0.0,
            context_word=verdict.context,
            set_aside=verdict.reason,
        )


def _name_cased(word: str) -> bool:
    """Every word starts with a capital, as a name is written ("Red Kite", "SUMMIT")."""
    parts = [p for p in regex.split(r"[\s\-]+", word) if p and p[0].isalpha()]
    return bool(parts) and all(p[0].isupper() for p in parts)
