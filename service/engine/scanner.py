"""The Scanner: a policy's recognizers run over a post, paragraph by paragraph, into Decisions.

Typing changes one paragraph at a time, so decisions are cached per paragraph: a keystroke re-analyses only
the paragraph it touched. The Scanner is built from one Policy and never changes; a new policy means a new
Scanner, so a scan never sees half of one.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

from discreet.engine.decision import Decision, Status, utf16_offsets
from discreet.engine.merge import merge_overlapping
from discreet.engine.policy import Policy, RecognizerSpec
from discreet.recognizers.base import Candidate, Recognizer, Rule, time_left
from discreet.recognizers.names import DEFAULT_MODEL, NameFinder
from discreet.recognizers.patient import PatientRecognizer
from discreet.recognizers.patterns import PolicyPatternRecognizer
from discreet.recognizers.personal import PersonalIdRecognizer
from discreet.recognizers.predefined import PredefinedRecognizer
from discreet.recognizers.roster import RosterRecognizer
from discreet.recognizers.secrets import SecretPackRecognizer, SecretRecognizer
from discreet.recognizers.text import paragraph_spans
from discreet.recognizers.tone import ToneRecognizer

MIN_SCORE = 0.4
_SEVERITY_RANK = {"info": 0, "warn": 1, "block": 2}
_LIST_PHRASES = {"client": "on the confidential client list", "project": "an internal project code name"}
# Words that make a roster name read as the client or project it is, when the policy gives none of its own.
_CONTEXT = {
    "client": "client clients customer customers account signed onboarded onboarding welcomed welcome renewal "
    "contract partnered partner site sites practice practices migration rollout cutover go-live supporting",
    "project": "project projects programme phase rollout go-live live migration cutover sprint workstream pilot "
    "launch launched landed shipped deployed kickoff kick-off milestone deliverable release codename operation "
    "update beta portal planning roadmap",
}


@dataclass(frozen=True, slots=True)
class _Bound:
    """A recognizer with the category and severity the policy gives its findings."""

    recognizer: Recognizer
    category: str
    severity: str
    # True: the family reads the whole post (it caches per paragraph itself); its findings span clauses and sit
    # beside, not against, the findings of the families that read paragraph by paragraph.
    whole_post: bool = False


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
        self._cache: OrderedDict[str, tuple[Decision, ...]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def _build(self, policy: Policy) -> list[_Bound]:
        bound = [
            _Bound(recognizer, spec.category, spec.severity)
            for spec in policy.recognizers
            for recognizer in _from_spec(spec)
        ]
        families = {
            "secret": SecretRecognizer,
            "personal": PersonalIdRecognizer,
            "patient": lambda context: PatientRecognizer(self.names, context),
            "tone": lambda context: ToneRecognizer(context, clients=clients),
        }
        clients = [b.recognizer for b in bound if b.category == "client"]
        for family, make in families.items():
            if family in policy.builtins:
                severity = policy.category(family).severity
                bound.append(
                    _Bound(make(policy.builtins[family]), family, severity, whole_post=family == "tone")
                )
        if policy.secret_pack:
            bound.append(
                _Bound(SecretPackRecognizer(policy.secret_pack), "secret", policy.category("secret").severity)
            )
        return bound

    @property
    def recognizer_names(self) -> frozenset[str]:
        """The names findings carry in `recognizer`: the only ones an audit event may name."""
        return frozenset(b.recognizer.name for b in self._bound)

    def family(self, name: str) -> Recognizer:
        """The recognizer of a built-in family this policy turns on (for tools that study one family)."""
        return next(b.recognizer for b in self._bound if b.category == name and b.recognizer.name == name)

    def warm_up(self) -> None:
        """Load the NLP model now rather than on the first post that needs it."""
        self.names.load()

    def decide(self, text: str) -> list[Decision]:
        """Every decision on `text`, in code points, paragraph by paragraph through the cache, in text order."""
        out: list[Decision] = []
        for start, end in paragraph_spans(text):
            out += [d.shifted(start) for d in self._paragraph(text[start:end])]
        for b in self._bound:
            if b.whole_post:
                time_left()
                out += [
                    self._decision(text, b, c, *self._filter(text, c)) for c in b.recognizer.candidates(text)
                ]
        out.sort(key=_order)
        return out

    def scan(self, text: str) -> list[Decision]:
        """The findings in `text`, with UTF-16 offsets."""
        table = utf16_offsets(text)
        return [d.in_utf16(table) for d in self.decide(text) if d.found]

    def _paragraph(self, paragraph: str) -> tuple[Decision, ...]:
        with self._lock:
            cached = self._cache.get(paragraph)
            if cached is not None:
                self._cache.move_to_end(paragraph)
                return cached
        decided = tuple(self._decide(paragraph))
        with self._lock:
            self._cache[paragraph] = decided
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return decided

    def _decide(self, text: str) -> list[Decision]:
        """Each recognizer's candidates, through the threshold, the allow list and the one overlap merge."""
        decisions: list[Decision] = []
        contenders: list[Decision] = []
        seen: set[tuple] = set()
        for b in self._bound:
            if b.whole_post:
                continue
            time_left()  # the request's deadline (recognizers.base.deadline), checked between recognizers
            for c in b.recognizer.candidates(text):
                key = (c.start, c.end, c.entity_type, b.recognizer.name)
                if c.end <= c.start or key in seen:
                    continue  # empty, or the same span found twice by one recognizer (two aliases, two cues)
                seen.add(key)
                status, reason = self._filter(text, c)
                d = self._decision(text, b, c, status, reason)
                (contenders if status is Status.FOUND else decisions).append(d)
        kept = merge_overlapping(contenders, span=lambda d: (d.start, d.end), rank=_rank)
        kept_ids = {id(d) for d in kept}
        for d in contenders:
            if id(d) in kept_ids:
                decisions.append(d)
                continue
            winner = next(k for k in kept if k.start < d.end and d.start < k.end)
            reason = (
                f"overlaps '{winner.text}' found by {winner.recognizer}, which ranks higher (list and pattern "
                "matches beat name guesses, then severity, then score)"
            )
            decisions.append(_with_status(d, Status.MERGED, reason))
        decisions.sort(key=_order)
        return decisions

    def _filter(self, text: str, c: Candidate) -> tuple[Status, str]:
        if c.set_aside:
            return Status.SET_ASIDE, c.set_aside
        if c.score < MIN_SCORE:
            return Status.BELOW_THRESHOLD, f"score {c.score:.2f} is below the threshold {MIN_SCORE:.2f}"
        if text[c.start : c.end].casefold() in self.policy.allow_list:
            return Status.ALLOW_LISTED, "on the policy's allow list"
        return Status.FOUND, ""

    def _decision(self, text: str, b: _Bound, c: Candidate, status: Status, reason: str) -> Decision:
        return Decision(
            start=c.start,
            end=c.end,
            text=text[c.start : c.end],
            status=status,
            category=b.category,
            label=self.policy.category(b.category).label,
            severity=c.severity or b.severity,
            entity_type=c.entity_type,
            recognizer=b.recognizer.name,
            source=c.source or f"built-in recognizer '{b.recognizer.name}'",
            score=round(c.score, 2),
            score_before_context=round(min(1.0, c.score if c.base_score is None else c.base_score), 2),
            context_word=c.context_word,
            explanation=c.explanation,
            reason=reason,
            from_ner=c.from_ner,
        )


def _with_status(d: Decision, status: Status, reason: str) -> Decision:
    return replace(d, status=status, reason=reason)


def _order(d: Decision) -> tuple:
    return (d.start, -d.end, d.recognizer)


def _rank(d: Decision) -> tuple:
    """Which of overlapping candidates wins: list and pattern matches over NER guesses, then severity, score."""
    return (not d.from_ner, _SEVERITY_RANK[d.severity], d.score, d.end - d.start)


def _from_spec(spec: RecognizerSpec) -> list[Recognizer]:
    """The recognizers one policy entry describes: a roster, a set of patterns, or a Presidio predefined one."""
    made: list[Recognizer] = []
    if spec.predefined:
        made.append(PredefinedRecognizer(spec.name))
    if spec.roster:
        context = spec.context + tuple(_CONTEXT.get(spec.category, "").split())
        phrase = _LIST_PHRASES.get(spec.category, f"on the '{spec.name}' list")
        entries = [(e.name, e.aliases, f"{e.file.name}:{e.line}") for e in spec.roster]
        made.append(RosterRecognizer(spec.name, spec.entity, entries, context, phrase))
    if spec.patterns:
        rules = [
            Rule(
                spec.entity,
                p.name,
                p.regex,
                p.score,
                flags=spec.regex_flags,
                where=f"{spec.file.name}:{p.line}",
            )
            for p in spec.patterns
        ]
        label = {"project": "project code"}.get(spec.category, spec.category)
        made.append(PolicyPatternRecognizer(spec.name, rules, spec.context, label))
    return made
