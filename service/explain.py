"""Why a post was flagged and what was nearly flagged: the engine's decisions, one candidate at a time.

A security team tuning a policy needs more than the findings: which roster entry or pattern fired, how
much a context word moved the score, and every candidate that did not make it (below the threshold,
allow-listed, lost to an overlapping finding, or set aside by a recognizer as an ordinary word or a name
out of context) with the reason. The same Scanner and paragraphs as `scan` are used, so `explain` and
`scan` always agree on the findings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from presidio_analyzer import RecognizerResult

from discreet.finding import utf16_offsets
from discreet.policy import Policy
from discreet.scanner import MIN_SCORE, Candidate, Scanner, paragraph_spans

FOUND = "found"
BELOW_THRESHOLD = "below_threshold"
ALLOW_LISTED = "allow_listed"
MERGED = "merged"
SET_ASIDE = "set_aside"


@dataclass(frozen=True, slots=True)
class Decision:
    """One candidate and what became of it. `start`/`end` are UTF-16 units, as in a Finding."""

    start: int
    end: int
    text: str
    status: str
    category: str
    severity: str
    entity_type: str
    recognizer: str
    source: str  # the roster entry or pattern that fired, where the policy says it
    score: float
    score_before_context: float
    context_word: str | None
    explanation: str  # what a person is told about the finding
    reason: str  # why it is not a finding ("" for a finding)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Explanation:
    findings: tuple[Decision, ...]
    near_misses: tuple[Decision, ...]

    def to_dict(self) -> dict:
        return {
            "findings": [d.to_dict() for d in self.findings],
            "near_misses": [d.to_dict() for d in self.near_misses],
        }


def explain(scanner: Scanner, text: str) -> Explanation:
    """Every decision the Scanner makes on `text`, findings first, each list in text order."""
    table = utf16_offsets(text)
    found: list[Decision] = []
    near: list[Decision] = []
    for offset, end in paragraph_spans(text):
        paragraph = text[offset:end]
        kept = scanner.analyze(paragraph)
        unmatched = list(kept)
        for candidate, raw in scanner.raw_candidates(paragraph):
            if candidate.end <= candidate.start:
                continue
            if candidate in kept:
                if candidate not in unmatched:
                    continue  # a recognizer found the same span twice; the merge keeps one
                unmatched.remove(candidate)
                status, reason = FOUND, ""
            else:
                status, reason = _why_not(candidate, paragraph, kept, scanner.policy)
            decision = _decision(scanner.policy, text, table, offset, candidate, raw, status, reason)
            (found if status == FOUND else near).append(decision)
        for candidate, raw, why in scanner.dropped(paragraph):
            near.append(_decision(scanner.policy, text, table, offset, candidate, raw, SET_ASIDE, why))
    return Explanation(tuple(sorted(found, key=_in_text_order)), tuple(sorted(near, key=_in_text_order)))


def _in_text_order(d: Decision) -> tuple:
    return (d.start, -d.end, d.recognizer)


def _why_not(c: Candidate, paragraph: str, kept: list[Candidate], policy: Policy) -> tuple[str, str]:
    """The first of `Scanner.analyze`'s filters that removed the candidate, in the order it applies them."""
    if c.score < MIN_SCORE:
        return BELOW_THRESHOLD, f"score {c.score:.2f} is below the threshold {MIN_SCORE:.2f}"
    if paragraph[c.start : c.end].casefold() in policy.allow_list:
        return ALLOW_LISTED, "on the policy's allow list"
    winner = next((k for k in kept if k.start < c.end and c.start < k.end), None)
    if winner is None:
        return MERGED, "lost to an overlapping candidate"
    return MERGED, (
        f"overlaps '{paragraph[winner.start : winner.end]}' found by {winner.recognizer}, which ranks "
        "higher (list and pattern matches beat name guesses, then severity, then score)"
    )


def _decision(
    policy: Policy,
    text: str,
    table: list[int] | None,
    offset: int,
    c: Candidate,
    raw: RecognizerResult,
    status: str,
    reason: str,
) -> Decision:
    start, end = c.start + offset, c.end + offset
    decision = raw.analysis_explanation
    before = decision.original_score if decision else c.score
    return Decision(
        start=start if table is None else table[start],
        end=end if table is None else table[end],
        text=text[start:end],
        status=status,
        category=c.category,
        severity=c.severity,
        entity_type=c.entity_type,
        recognizer=c.recognizer,
        source=_source(policy, c.recognizer, raw),
        score=round(c.score, 2),
        score_before_context=round(min(1.0, before), 2),
        context_word=(decision.supportive_context_word or None) if decision else None,
        explanation=c.explanation,
        reason=reason,
    )


def _source(policy: Policy, recognizer: str, raw: RecognizerResult) -> str:
    """The roster entry or pattern behind a candidate, with the file and line the policy has it on."""
    decision = raw.analysis_explanation
    name = decision.pattern_name if decision else None
    spec = next((s for s in policy.recognizers if s.name == recognizer), None)
    if spec is None or name is None:
        return f"built-in recognizer '{recognizer}'" if spec is None else f"recognizer '{recognizer}'"
    entry = next((e for e in spec.roster if e.name == name), None)
    if entry is not None:
        return f"roster entry '{entry.name}' as '{decision.pattern}' ({entry.file.name}:{entry.line})"
    pattern = next((p for p in spec.patterns if p.name == name and p.regex == decision.pattern), None)
    where = f" ({spec.file.name}:{pattern.line})" if pattern else ""
    return f"pattern '{name}' /{decision.pattern}/{where}"
