"""Rewrite a post with every finding replaced by its category's replacement, through Presidio's anonymizer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from discreet.engine.categories import Category
from discreet.engine.decision import Decision


def redact(text: str, findings: Iterable[Decision], categories: Mapping[str, Category]) -> str:
    """`text` (findings in code-point offsets, as `Scanner.decide` gives them) with each finding replaced."""
    results = [RecognizerResult(d.category, d.start, d.end, d.score) for d in findings]
    operators = {
        r.entity_type: OperatorConfig("replace", {"new_value": categories[r.entity_type].replacement})
        for r in results
    }
    return AnonymizerEngine().anonymize(text=text, analyzer_results=results, operators=operators).text
