"""Secrets recognizer: cloud and SaaS keys, JWTs, private keys, connection strings, stated passwords.

Key formats with fixed prefixes need no context. A password is only a password because the text says so, so
those are found by a credential word followed, in the same sentence, by a string that looks like one.
"""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from discreet.recognizers.text import result

ENTITY = "SECRET"


class SecretRecognizer(EntityRecognizer):
    """Credentials, by format (keys, tokens, key blocks, connection strings) or by being called one."""

    # (what it is, pattern, score); group "s" when only part of the match is the secret.
    KEY_PATTERNS = (
        ("an AWS access key ID", r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b", 0.95),
        (
            "an AWS secret access key",
            r"(?i:aws[_ ]?secret[_ ]?(?:access[_ ]?)?key|secret access key)[\"']?\s*[:=]\s*[\"']?"
            r"(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
            0.95,
        ),
        ("a GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b", 0.95),
        ("a Slack token", r"\bxox[abposre]-[A-Za-z0-9-]{10,}", 0.95),
        ("a Slack webhook", r"https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,}", 0.95),
        ("a Stripe secret key", r"\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b", 0.95),
        ("a Google API key", r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])", 0.9),
        ("a JSON Web Token", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", 0.95),
        (
            "a private key",
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
            1.0,
        ),
        (
            "a connection string with a password",
            r"\b[a-z][a-z0-9+.\-]{1,20}://[^\s:/@'\"]+:[^\s@/'\"]+@[^\s'\"<>]+",
            0.95,
        ),
        (
            "a connection string with a password",
            # Bounded repeats: an unbounded lazy loop here is quadratic on a run of "Server=a;" (seen: 16 s).
            r"(?i)\b(?:server|data source|host|address|addr)\s*=[^;\n]{1,200};(?:[^;\n]{0,200};){0,15}?"
            r"\s*(?:password|pwd)\s*=[^;\n]{1,200}(?:;[^;\n=]{1,60}=[^;\n]{0,200}){0,15};?",
            0.95,
        ),
        (
            "a token",
            r"(?i:\b(?:api[_ -]?key|access[_ -]?token|auth[_ -]?token|secret|bearer|token)\b)"
            r"[\"']?\s*(?:[:=]|is|was)?\s*[\"']?(?P<s>[A-Za-z0-9_\-./+=]{24,})",
            0.7,
        ),
    )
    _STRONG_WORDS = r"pass(?:word|wd|code|phrase)?|pwd|pw"
    _WEAK_WORDS = r"admin(?:istrator)?|login|log-in|credentials?|pin"
    _CREDENTIAL = regex.compile(rf"(?i)\b(?:(?P<strong>{_STRONG_WORDS})|(?P<weak>{_WEAK_WORDS}))\b")
    _CANDIDATE = regex.compile(r"(?<![^\s\"'“(:=])[^\s\"'“”‘’()<>]{6,64}")
    _SENTENCE_END = regex.compile(r"[.!?](?:\s|$)|\n")
    REACH = 70

    def __init__(self) -> None:
        self._keys = [(what, regex.compile(p, regex.DOTALL), score) for what, p, score in self.KEY_PATTERNS]
        super().__init__(supported_entities=[ENTITY], name="Credentials", supported_language="en")

    def load(self) -> None:
        """Patterns are compiled in __init__."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        found = []
        for what, pattern, score in self._keys:
            for m in pattern.finditer(text):
                start, end = m.span("s") if "s" in pattern.groupindex else m.span()
                if what == "a token" and _classes(text[start:end]) < 3:
                    continue
                found.append(self._result(text, start, end, score, what))
        found += self._stated_passwords(text)
        return found

    def _stated_passwords(self, text: str) -> list[RecognizerResult]:
        found = []
        for word in self._CREDENTIAL.finditer(text):
            stop = self._SENTENCE_END.search(text, word.end())
            reach_end = min(word.end() + self.REACH, stop.start() if stop else len(text))
            strong = word.group("strong") is not None
            for m in self._CANDIDATE.finditer(text, word.end(), reach_end):
                token = m.group().rstrip(".,;:)!?") or m.group()
                token = m.group() if m.group().endswith("!!") else token
                if _looks_like_password(token, strong):
                    found.append(self._result(text, m.start(), m.start() + len(token), 0.85, "a password"))
                    break
        return found

    def _result(self, text: str, start: int, end: int, score: float, what: str) -> RecognizerResult:
        shown = text[start:end]
        if len(shown) > 24:
            shown = shown[:12] + "…"
        explanation = f"'{shown}' looks like {what}: anyone who reads the post could use it"
        return result(ENTITY, start, end, score, self.name, explanation)


def _classes(token: str) -> int:
    return sum(
        (
            any(c.islower() for c in token),
            any(c.isupper() for c in token),
            any(c.isdigit() for c in token),
            any(not c.isalnum() for c in token),
        )
    )


def _looks_like_password(token: str, strong: bool) -> bool:
    """Mixed character classes, as passwords are; a stated word or number is not one."""
    if "://" in token or ("@" in token.strip("@") and "." in token.split("@")[-1]):
        return False
    if len(token) < 6 or not any(c.isdigit() for c in token) or not any(c.isalpha() for c in token):
        return False
    classes = _classes(token)
    if strong:
        return classes >= 3 and len(token) >= 6
    return classes == 4 and len(token) >= 8
