"""Presidio's own predefined recognizers, named by a policy's `type: predefined`, on our recognizer contract.

Presidio raises their scores for context words in its AnalyzerEngine; here the one shared context step does it,
with the recognizer's own context words, so they behave as every other family does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from discreet.recognizers.base import CONTEXT_BOOST, MIN_SCORE_WITH_CONTEXT, Candidate, Recognizer

if TYPE_CHECKING:
    from presidio_analyzer import EntityRecognizer


class PredefinedRecognizer(Recognizer):
    """One Presidio predefined recognizer, by class name."""

    def __init__(self, class_name: str):
        # Imported only for a policy that names one: Presidio's analyzer costs a second to import.
        from presidio_analyzer import predefined_recognizers

        self.inner: EntityRecognizer = getattr(predefined_recognizers, class_name)(supported_language="en")
        self.entity_types = list(self.inner.supported_entities)
        super().__init__(context=self.inner.context or [], name=self.inner.name)

    def candidates(self, text: str) -> list[Candidate]:
        found = []
        for r in self.inner.analyze(text, self.entity_types, None):
            word = self.context_near(text, r.start, r.end)
            score = max(r.score + CONTEXT_BOOST, MIN_SCORE_WITH_CONTEXT) if word else r.score
            explanation = f"'{text[r.start : r.end]}' was found by {self.name} ({r.entity_type})"
            found.append(
                Candidate(
                    r.start,
                    r.end,
                    r.entity_type,
                    min(1.0, score),
                    explanation,
                    source=f"Presidio's {self.name}",
                    base_score=r.score,
                    context_word=word,
                )
            )
        return found
