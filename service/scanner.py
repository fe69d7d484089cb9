"""The Scanner: a policy's recognizers run over a post, paragraph by paragraph, into merged findings.

Typing changes one paragraph at a time, so results are cached per paragraph: a keystroke re-analyses only
the paragraph it touched. The Scanner is built from one Policy and never changes; a new policy means a new
Scanner, so a scan never sees half of one.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass

import regex
from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult, predefined_recognizers

from discreet.finding import Finding, utf16_offsets
from discreet.merge import merge_overlapping
from discreet.policy import Policy, RecognizerSpec
from discreet.recognizers.names import DEFAULT_MODEL, NameFinder
from discreet.recognizers.patient import PatientRecognizer
from discreet.recognizers.patterns import PolicyPatternRecognizer
from discreet.recognizers.personal import PersonalIdRecognizer
from discreet.recognizers.roster import RosterRecognizer
from discreet.recognizers.secrets import SecretRecognizer

MIN_SCORE = 0.4
_SEVERITY_RANK = {"info": 0, "warn": 1, "block": 2}
_PARAGRAPH_BREAK = regex.compile(r"\n[ \t]*\n\s*")
_LIST_PHRASES = {"client": "on the confidential client list", "project": "an internal project code name"}
_CONTEXT = {
    "client": "client clients customer customers account signed onboarded onboarding welcomed welcome renewal "
    "contract partnered partner site sites practice practices migration rollout cutover go-live supporting",
    "project": "project projects programme phase rollout go-live live migration cutover sprint workstream pilot "
    "launch launched landed shipped deployed kickoff kick-off milestone deliverable release codename operation "
    "update beta portal planning roadmap",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A finding before UTF-16 conversion, in code-point offsets relative to the text it was found in."""

    start: int
    end: int
    category: str
    severity: str
    score: float
    entity_type: str
    recognizer: str
    explanation: str
    from_ner: bool

    def shifted(self, offset: int) -> Candidate:
        return Candidate(
            self.start + offset,
            self.end + offset,
            self.category,
            self.severity,
            self.score,
            self.entity_type,
            self.recognizer,
            self.explanation,
            self.from_ner,
        )


@dataclass(frozen=True, slots=True)
class _Bound:
    """A recognizer with the category and severity the policy gives its findings."""

    recognizer: EntityRecognizer
    category: str
    severity: str


class Scanner:
    """Finds what a policy says must not be posted. Thread-safe; immutable apart from its caches."""

    def __init__(
        self,
        policy: Policy,
        model: str | None = None,
        cache_size: int = 4096,
        names: NameFinder | None = None,
    ):
        """`names`: another Scanner's NameFinder to share when it runs the same model (the policy lab's
        edited copies), so that a second policy does not load a second spaCy pipeline."""
        self.policy = policy
        model = model or os.environ.get("DISCREET_SPACY_MODEL") or policy.model or DEFAULT_MODEL
        self.names = names if names is not None and names.model == model else NameFinder(model)
        self._bound = self._build(policy)
        self._cache: OrderedDict[str, tuple[Candidate, ...]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def _build(self, policy: Policy) -> list[_Bound]:
        bound = [
            _Bound(_recognizer, spec.category, spec.severity)
            for spec in policy.recognizers
            for _recognizer in _from_spec(spec)
        ]
        families = {
            "secret": SecretRecognizer,
            "personal": PersonalIdRecognizer,
            "patient": lambda: PatientRecognizer(self.names),
        }
        for family, make in families.items():
            if family in policy.builtins:
                bound.append(_Bound(make(), family, policy.category(family).severity))
        return bound

    def warm_up(self) -> None:
        """Load the NLP model now rather than on the first post that needs it."""
        self.names.load()

    def scan(self, text: str) -> list[Finding]:
        """Findings in `text`, merged, with UTF-16 offsets."""
        candidates = self.candidates(text)
        table = utf16_offsets(text)
        findings = []
        for c in candidates:
            start, end = (c.start, c.end) if table is None else (table[c.start], table[c.end])
            label = self.policy.category(c.category).label
            findings.append(
                Finding(
                    start,
                    end,
                    text[c.start : c.end],
                    c.category,
                    label,
                    c.entity_type,
                    c.severity,
                    round(c.score, 2),
                    c.recognizer,
                    c.explanation,
                )
            )
        return findings

    def candidates(self, text: str) -> list[Candidate]:
        """Merged candidates in code-point offsets, paragraph by paragraph through the cache."""
        out: list[Candidate] = []
        for start, end in paragraph_spans(text):
            out += [c.shifted(start) for c in self._paragraph(text[start:end])]
        return out

    def _paragraph(self, paragraph: str) -> tuple[Candidate, ...]:
        with self._lock:
            cached = self._cache.get(paragraph)
            if cached is not None:
                self._cache.move_to_end(paragraph)
                return cached
        found = tuple(self.analyze(paragraph))
        with self._lock:
            self._cache[paragraph] = found
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return found

    def raw_candidates(self, text: str) -> list[tuple[Candidate, RecognizerResult]]:
        """Every candidate of every recognizer before threshold, allow list and merge (for `explain`)."""
        raw = []
        for b in self._bound:
            for r in b.recognizer.analyze(text, b.recognizer.supported_entities, None):
                raw.append((_candidate(text, r, b), r))
        return raw

    def dropped(self, text: str) -> list[tuple[Candidate, RecognizerResult, str]]:
        """What recognizers saw and set aside, with the reason (for `explain`): ordinary words, names."""
        out = []
        for b in self._bound:
            explain_drops = getattr(b.recognizer, "explain_drops", None)
            if explain_drops is not None:
                out += [(_candidate(text, r, b), r, why) for r, why in explain_drops(text)]
        return out

    def analyze(self, text: str) -> list[Candidate]:
        """Candidates of one piece of text: thresholded, allow-listed and merged."""
        allow = self.policy.allow_list
        kept = [
            c
            for c, _ in self.raw_candidates(text)
            if c.score >= MIN_SCORE and text[c.start : c.end].casefold() not in allow and c.end > c.start
        ]
        return merge_overlapping(kept, span=lambda c: (c.start, c.end), rank=_rank)


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


def _rank(c: Candidate) -> tuple:
    """Which of overlapping candidates wins: list and pattern matches over NER guesses, then severity, score."""
    return (not c.from_ner, _SEVERITY_RANK[c.severity], c.score, c.end - c.start)


def _candidate(text: str, r: RecognizerResult, b: _Bound) -> Candidate:
    meta = r.recognition_metadata or {}
    explanation = meta.get("explanation") or (
        f"'{text[r.start : r.end]}' was found by {b.recognizer.name} ({r.entity_type})"
    )
    return Candidate(
        r.start,
        r.end,
        b.category,
        b.severity,
        r.score,
        r.entity_type,
        meta.get(RecognizerResult.RECOGNIZER_NAME_KEY, b.recognizer.name),
        explanation,
        bool(meta.get("from_ner")),
    )


def _from_spec(spec: RecognizerSpec) -> list[EntityRecognizer]:
    """The recognizers one policy entry describes: a roster, a set of patterns, or a Presidio predefined one."""
    made: list[EntityRecognizer] = []
    if spec.predefined:
        made.append(getattr(predefined_recognizers, spec.name)(supported_language="en"))
    if spec.roster:
        context = spec.context + tuple(_CONTEXT.get(spec.category, "").split())
        phrase = _LIST_PHRASES.get(spec.category, f"on the '{spec.name}' list")
        entries = [(e.name, e.aliases) for e in spec.roster]
        made.append(RosterRecognizer(spec.name, spec.entity, entries, context, phrase))
    if spec.patterns:
        patterns = [Pattern(p.name, p.regex, p.score) for p in spec.patterns]
        label = {"project": "project code"}.get(spec.category, spec.category)
        made.append(
            PolicyPatternRecognizer(
                spec.name, spec.entity, patterns, list(spec.context), spec.regex_flags, label
            )
        )
    return made
