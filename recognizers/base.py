"""The recognizer contract every family follows, modelled on Presidio's predefined recognizers.

A family declares its rules (entity, pattern, score, validator hook), its context words and its context window
as class data; the policy may replace the context words. `candidates()` is the one entry point the engine calls:
it returns every candidate the family considered, including those it set aside (a failed checksum, an
ordinary word, no context word where one is needed) with the reason, so `explain` needs no second pass.
The shape is Presidio's, the class is not: importing Presidio's analyzer costs a second at start-up, and the
engine calls nothing of its `EntityRecognizer` (Presidio's own recognizers come in through `predefined.py`).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import ClassVar

import regex

from discreet.recognizers.context import Window, near
from discreet.recognizers.text import words

# A regex may run this long on one paragraph before it is given up (a policy author's pattern can be
# catastrophic; a built-in one is not, but the same limit costs nothing).
REGEX_TIMEOUT_SECONDS = 0.05
CONTEXT_BOOST = 0.35
MIN_SCORE_WITH_CONTEXT = 0.4  # as Presidio: a pattern with context present is at least this sure
log = logging.getLogger(__name__)
_DEADLINE: ContextVar[float] = ContextVar("discreet_deadline", default=math.inf)


class DeadlineExceeded(Exception):
    """The request's one deadline passed: its scan is abandoned, never answered (or cached) in part."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Give everything scanned inside (every pattern of every paragraph) `seconds` in total."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def time_left() -> float:
    """Seconds before the current deadline (infinite outside one); raises DeadlineExceeded at zero."""
    left = _DEADLINE.get() - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded
    return left


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern of a family. Group `s`, when the pattern has it, is the part that is the finding.

    `validator` names a method `(text, match) -> str | None` that returns why the match is not a finding
    (None: it is one). `needs_context`: set aside unless a context word is near.
    """

    entity: str
    name: str
    pattern: str
    score: float
    validator: str | None = None
    needs_context: bool = False
    flags: int = 0
    where: str = ""  # file:line of a policy's pattern


@dataclass(frozen=True, slots=True)
class Candidate:
    """What a recognizer found or considered, in code-point offsets of the text it was given."""

    start: int
    end: int
    entity_type: str
    score: float
    explanation: str
    source: str = ""  # the pattern or roster entry that fired
    base_score: float | None = None  # the score before a context word raised it
    context_word: str | None = None
    set_aside: str = ""  # why the recognizer itself rejected it ("": a candidate)
    from_ner: bool = False
    severity: str | None = None  # the recognizer's own severity (a placeholder secret is only `info`)


class Recognizer:
    """Base of every Discreet recognizer family: rules, context words and window as class data."""

    NAME: ClassVar[str] = ""
    RULES: ClassVar[tuple[Rule, ...]] = ()
    CONTEXT: ClassVar[frozenset[str]] = frozenset()
    WINDOW: ClassVar[Window] = Window()
    # Built-in patterns are written to run in linear time and are bounded by the request's deadline alone (a
    # wall-clock limit per pattern would drop findings on a busy machine); a policy author's and a secret
    # pack's patterns also get REGEX_TIMEOUT_SECONDS each, so that one bad regex cannot stall typing.
    PATTERN_TIMEOUT: ClassVar[float | None] = None

    def __init__(
        self, context: Iterable[str] | None = None, rules: Iterable[Rule] | None = None, name: str = ""
    ):
        self.context_words = (
            self.CONTEXT if context is None else frozenset(w for c in context for w in words(c))
        )
        self.name = name or self.NAME
        self.rules = tuple(self.RULES if rules is None else rules)
        self._compiled = [(rule, regex.compile(rule.pattern, rule.flags)) for rule in self.rules]

    def candidates(self, text: str) -> list[Candidate]:
        """Every candidate in `text`, set-aside ones included. Families add their own steps after the rules."""
        return [self.judge(text, m, rule) for rule, m in self.matches(text)]

    def matches(
        self, text: str, only: Callable[[Rule], bool] | None = None
    ) -> Iterator[tuple[Rule, regex.Match]]:
        """Each rule's non-empty matches (of the rules `only` keeps), within the request's deadline and the
        family's per-pattern limit; a pattern that runs out is skipped and logged, never half-reported."""
        for rule, compiled in self._compiled:
            if only is not None and not only(rule):
                continue
            left = time_left()
            limit = left if self.PATTERN_TIMEOUT is None else min(self.PATTERN_TIMEOUT, left)
            try:
                for m in compiled.finditer(text, timeout=None if math.isinf(limit) else limit):
                    if m.end() > m.start():
                        yield rule, m
            except TimeoutError:
                time_left()  # the request's deadline, not only this pattern's, may be what ran out
                log.warning("pattern %r of %r timed out and was skipped", rule.name, self.name)

    def judge(self, text: str, m: regex.Match, rule: Rule) -> Candidate:
        """A rule's match, checked by its validator and scored with the shared context step."""
        start, end = m.span("s") if "s" in m.re.groupindex else m.span()
        check: Callable[[str, regex.Match], str | None] | None = (
            getattr(self, rule.validator) if rule.validator else None
        )
        reason = check(text, m) if check else None
        word = self.context_near(text, start, end)
        if reason is None and rule.needs_context and word is None:
            reason = "no context word near it"
        score = max(rule.score + CONTEXT_BOOST, MIN_SCORE_WITH_CONTEXT) if word else rule.score
        return Candidate(
            start,
            end,
            rule.entity,
            min(1.0, score),
            self.explain(text[start:end], rule),
            source=f"pattern '{rule.name}' /{rule.pattern}/ ({rule.where})"
            if rule.where
            else f"pattern '{rule.name}'",
            base_score=rule.score,
            context_word=word,
            set_aside=reason or "",
        )

    def context_near(self, text: str, start: int, end: int) -> str | None:
        return near(text, start, end, self.context_words, self.WINDOW)

    def explain(self, shown: str, rule: Rule) -> str:
        """What a person is told about a finding of `rule`."""
        return f"'{shown}' matches '{rule.name}' ({self.name})"
