"""Checks a security team runs on a policy before shipping it: errors that stop it loading, and warnings.

Loading (`load_policy`) finds the errors, each with file and line. The warnings are what loads fine but
behaves badly on a fleet: a regex that backtracks catastrophically (the scanner gives each pattern a few
milliseconds and skips it when it runs out, so a slow pattern silently finds nothing in exactly the posts
that trip it), a pattern that fires on ordinary prose, roster names listed twice or for two clients, roster
names that are ordinary English words, and allow-list terms that switch off a roster name.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from importlib.resources import files
from itertools import product
from pathlib import Path

import regex

from discreet.engine.policy import Policy, PolicyError, RecognizerSpec, load_policy
from discreet.recognizers.base import REGEX_TIMEOUT_SECONDS
from discreet.recognizers.roster import fold, is_ordinary
from discreet.recognizers.text import words

ERROR = "error"
WARNING = "warning"
# A pattern matching in more than this share of the lines of ordinary prose will flag ordinary posts.
BENIGN_SHARE_LIMIT = 0.02
ADVERSARIAL_LENGTH = 5000
_FILLERS = ("a", "A", "0", " ", "-", ".", "_", "@", "/", ":", "\n")
_PAIRS = ("a", "0", " ", "-", ".")
# Regex syntax (escapes, classes, counts, groups, operators): what is left between is literal text.
_SYNTAX = regex.compile(r"(?:\\.|\[[^\]]*\]|\{[^}]*\}|[()|*+?^$.])+")


@dataclass(frozen=True, slots=True)
class Issue:
    level: str
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.level}: {self.message}"

    def to_dict(self) -> dict:
        return {**asdict(self), "file": str(self.file)}


def benign_sample() -> list[str]:
    """Lines of ordinary English and IT prose shipped with Discreet (no names of anyone's clients)."""
    text = files("discreet.recognizers").joinpath("data/benign_sample.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def check_policy(path: Path, sample: list[str] | None = None) -> list[Issue]:
    """Every error and warning for the policy at `path`, errors first."""
    try:
        policy = load_policy(path)
    except PolicyError as err:
        return [Issue(ERROR, p.file, p.line, p.message) for p in err.problems]
    sample = benign_sample() if sample is None else sample
    issues: list[Issue] = []
    for spec in policy.recognizers:
        for pattern in spec.patterns:
            compiled = regex.compile(pattern.regex, spec.regex_flags)
            for message in (_backtracking(compiled), _empty_match(compiled), _benign_share(compiled, sample)):
                if message:
                    text = f"pattern '{pattern.name}' of '{spec.name}' {message}"
                    issues.append(Issue(WARNING, spec.file, pattern.line, text))
    issues += _roster_issues(policy)
    return issues


def _backtracking(compiled: regex.Pattern) -> str | None:
    """Run the pattern on long adversarial strings with the scanner's time limit."""
    for text in _adversarial_inputs(compiled.pattern):
        try:
            compiled.search(text, timeout=REGEX_TIMEOUT_SECONDS)
        except TimeoutError:
            shown = text[:8].encode("unicode_escape").decode()
            return (
                f"can backtrack catastrophically: on {len(text):,} characters like '{shown}…' it ran past "
                f"the scanner's {REGEX_TIMEOUT_SECONDS * 1000:.0f} ms limit, and the scanner then skips it "
                "(avoid nested or overlapping repeats such as (a+)+ or (\\w+\\s?)+)"
            )
    return None


def _adversarial_inputs(pattern: str):
    """Long runs of one or two characters, after each literal piece of the pattern, ending in a mismatch."""
    prefixes = ["", *dict.fromkeys(p for p in _SYNTAX.split(pattern) if p)]
    runs = [c * ADVERSARIAL_LENGTH for c in _FILLERS]
    runs += [(a + b) * (ADVERSARIAL_LENGTH // 2) for a, b in product(_PAIRS, _PAIRS) if a != b]
    for prefix in prefixes:
        for run in runs:
            yield prefix + run + "\x00!"


def _empty_match(compiled: regex.Pattern) -> str | None:
    if compiled.fullmatch("") is not None:
        return "matches the empty string; the scanner ignores empty matches, so part of it is optional by mistake"
    return None


def _benign_share(compiled: regex.Pattern, sample: list[str]) -> str | None:
    hits = []
    for line in sample:
        try:
            m = compiled.search(line, timeout=REGEX_TIMEOUT_SECONDS)
        except TimeoutError:
            continue
        if m and m.end() > m.start():
            hits.append(m.group())
    if not sample or len(hits) / len(sample) <= BENIGN_SHARE_LIMIT:
        return None
    examples = ", ".join(f"'{h}'" for h in list(dict.fromkeys(hits))[:3])
    return (
        f"matches {len(hits)} of {len(sample)} lines of ordinary English and IT text "
        f"({len(hits) / len(sample):.0%}, e.g. {examples}); it will flag ordinary posts"
    )


def _roster_issues(policy: Policy) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[str, tuple[RecognizerSpec, str, Path, int]] = {}
    for spec in policy.recognizers:
        for entry in spec.roster:
            here = (entry.file, entry.line)
            ordinary = []
            for surface in entry.aliases:
                key = fold(surface)[0]
                earlier = seen.get(key)
                if earlier is not None:
                    issues.append(Issue(WARNING, *here, _repeat_message(surface, spec, entry.name, earlier)))
                    continue
                seen[key] = (spec, entry.name, entry.file, entry.line)
                if key in policy.allow_list:
                    issues.append(
                        Issue(WARNING, *here, f"'{surface}' is on the allow list, so it is never flagged")
                    )
                if is_ordinary(surface, words(surface)):
                    ordinary.append(f"'{surface}'")
            if ordinary:
                issues.append(Issue(WARNING, *here, _ordinary_message(ordinary, spec)))
    return issues


def _ordinary_message(ordinary: list[str], spec: RecognizerSpec) -> str:
    return (
        f"{', '.join(ordinary)} can be read as ordinary English: flagged only where written as a name "
        f"(capitalised, not inside a longer name), never in lower case; give '{spec.name}' context "
        "words or list a more distinctive alias"
    )


def _repeat_message(
    surface: str, spec: RecognizerSpec, name: str, earlier: tuple[RecognizerSpec, str, Path, int]
) -> str:
    first_spec, first_name, first_file, first_line = earlier
    at = f"{first_file.name}:{first_line}"
    if first_spec is spec and fold(first_name)[0] == fold(name)[0]:
        return f"duplicate: '{surface}' is already listed for '{first_name}' ({at})"
    if first_spec is spec:
        return f"conflict: '{surface}' names both '{first_name}' ({at}) and '{name}'; findings will name '{first_name}'"
    return (
        f"conflict: '{surface}' is in '{first_spec.name}' ({first_spec.category}, {at}) and in "
        f"'{spec.name}' ({spec.category}); the category of a finding depends on which ranks higher"
    )
