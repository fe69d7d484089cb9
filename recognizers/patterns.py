"""Policy pattern recognizer: the security team's own regexes (project codes, ticket numbers, ...).

Presidio's PatternRecognizer with two changes: a per-match time limit in milliseconds rather than Presidio's
60-second default, so one bad regex cannot stall typing, and an explanation a person can read.
"""

from __future__ import annotations

import logging

import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from discreet.recognizers.text import result, words

REGEX_TIMEOUT_SECONDS = 0.05
CONTEXT_BOOST = 0.35
MIN_SCORE_WITH_CONTEXT = 0.4  # as Presidio: a pattern with context present is at least this sure
CONTEXT_WINDOW = 60
log = logging.getLogger(__name__)


class PolicyPatternRecognizer(PatternRecognizer):
    """Regex patterns from the policy, each with a score, boosted by the policy's context words."""

    def __init__(
        self, name: str, entity: str, patterns: list[Pattern], context: list[str], flags: int, label: str
    ):
        self.label = label
        self.context_words = frozenset(w for c in context for w in words(c))
        super().__init__(
            supported_entity=entity,
            name=name,
            patterns=patterns,
            context=context,
            supported_language="en",
            global_regex_flags=flags,
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts=None, regex_flags=None
    ) -> list[RecognizerResult]:
        found = []
        for pattern in self.patterns:
            compiled = pattern.compiled_regex or regex.compile(pattern.regex, flags=self.global_regex_flags)
            pattern.compiled_regex = compiled
            try:
                for m in compiled.finditer(text, timeout=REGEX_TIMEOUT_SECONDS):
                    if m.end() > m.start():
                        found.append(self._result(text, m, pattern))
            except TimeoutError:
                log.warning("pattern '%s' of '%s' timed out and was skipped", pattern.name, self.name)
        return found

    def _result(self, text: str, m: regex.Match, pattern: Pattern) -> RecognizerResult:
        score, word = pattern.score, None
        if self.context_words:
            near = words(text[max(0, m.start() - CONTEXT_WINDOW) : m.end() + CONTEXT_WINDOW])
            word = next((w for w in near if w in self.context_words), None)
            if word:
                score = max(score + CONTEXT_BOOST, MIN_SCORE_WITH_CONTEXT)
        explanation = f"'{m.group()}' matches the {self.label} pattern '{pattern.name}' ({self.name})"
        return result(
            self.supported_entities[0],
            m.start(),
            m.end(),
            score,
            self.name,
            explanation,
            base_score=pattern.score,
            context_word=word,
            pattern=(pattern.name, pattern.regex),
        )
