"""Policy pattern recognizer: the security team's own regexes (project codes, ticket numbers, ...).

Presidio's PatternRecognizer, on the shared recognizer contract: each match runs under the per-paragraph regex
time limit rather than Presidio's 60-second default, so one bad regex cannot stall typing, and it carries an
explanation a person can read and the policy file and line it came from.
"""

from __future__ import annotations

from collections.abc import Iterable

from discreet.recognizers.base import REGEX_TIMEOUT_SECONDS, Recognizer, Rule
from discreet.recognizers.context import Window


class PolicyPatternRecognizer(Recognizer):
    """Regex patterns from the policy, each with a score, boosted by the policy's context words."""

    # Presidio looks five words either side; posts put the context word a little further off ("the
    # Falcon rollout for ..."), across a sentence break as often as not.
    WINDOW = Window(before=10, after=10, same_sentence=False)
    PATTERN_TIMEOUT = REGEX_TIMEOUT_SECONDS

    def __init__(self, name: str, rules: Iterable[Rule], context: Iterable[str], label: str):
        self.label = label
        super().__init__(context=context, rules=rules, name=name)

    def explain(self, shown: str, rule: Rule) -> str:
        return f"'{shown}' matches the {self.label} pattern '{rule.name}' ({self.name})"
