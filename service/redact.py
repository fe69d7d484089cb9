"""Rewrite a post with every finding replaced by a neutral phrase, through Presidio's anonymizer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from discreet.scanner import Candidate

REPLACEMENTS: Mapping[str, str] = {
    "client": "a client",
    "project": "[project]",
    "patient": "[patient]",
    "secret": "[redacted]",
    "personal": "[redacted]",
}
_ENGINE = AnonymizerEngine()


def redact(text: str, candidates: Iterable[Candidate], replacements: Mapping[str, str] = REPLACEMENTS) -> str:
    """`text` with each candidate's span replaced by its category's phrase (`[redacted]` if it has none)."""
    results = [RecognizerResult(c.category, c.start, c.end, c.score) for c in candidates]
    operators = {
        r.entity_type: OperatorConfig("replace", {"new_value": replacements.get(r.entity_type, "[redacted]")})
        for r in results
    }
    return _ENGINE.anonymize(text=text, analyzer_results=results, operators=operators).text
