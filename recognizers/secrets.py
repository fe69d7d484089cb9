"""Secrets recognizer: cloud and SaaS keys, JWTs, private keys, connection strings, stated passwords.

Key formats with fixed prefixes need no context. A password is only a password because the text says so, so
those are found by a credential word followed, in the same sentence, by a string that looks like one.
"""

from __future__ import annotations

from typing import ClassVar

import regex

from discreet.recognizers.base import Candidate, Recognizer, Rule

ENTITY = "SECRET"


def _key(name: str, pattern: str, score: float = 0.95, validator: str | None = None) -> Rule:
    return Rule(ENTITY, name, pattern, score, validator, flags=regex.DOTALL)


class SecretRecognizer(Recognizer):
    """Credentials, by format (keys, tokens, key blocks, connection strings) or by being called one."""

    NAME = "Credentials"
    # Group "s" when only part of the match is the secret.
    RULES: ClassVar[tuple[Rule, ...]] = (
        _key("an AWS access key ID", r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"),
        _key(
            "an AWS secret access key",
            r"(?i:aws[_ ]?secret[_ ]?(?:access[_ ]?)?key|secret access key)[\"']?\s*[:=]\s*[\"']?"
            r"(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
        ),
        _key("a GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"),
        _key("a Slack token", r"\bxox[abposre]-[A-Za-z0-9-]{10,}"),
        _key("a Slack webhook", r"https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,}"),
        _key("a Stripe secret key", r"\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b"),
        _key("a Google API key", r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])", 0.9),
        _key("a JSON Web Token", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
        _key(
            "a private key",
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
            1.0,
        ),
        _key(
            "a connection string with a password",
            r"\b[a-z][a-z0-9+.\-]{1,20}://[^\s:/@'\"]+:[^\s@/'\"]+@[^\s'\"<>]+",
        ),
        _key(
            "a connection string with a password",
            # Bounded repeats: an unbounded lazy loop here is quadratic on a run of "Server=a;" (seen: 16 s).
            r"(?i)\b(?:server|data source|host|address|addr)\s*=[^;\n]{1,200};(?:[^;\n]{0,200};){0,15}?"
            r"\s*(?:password|pwd)\s*=[^;\n]{1,200}(?:;[^;\n=]{1,60}=[^;\n]{0,200}){0,15};?",
        ),
        _key(
            "a token",
            r"(?i:\b(?:api[_ -]?key|access[_ -]?token|auth[_ -]?token|secret|bearer|token)\b)"
            r"[\"']?\s*(?:[:=]|is|was)?\s*[\"']?(?P<s>[A-Za-z0-9_\-./+=]{24,})",
            0.7,
            validator="mixed_characters",
        ),
    )
    _STRONG_WORDS = r"pass(?:word|wd|code|phrase)?|pwd|pw"
    _WEAK_WORDS = r"admin(?:istrator)?|login|log-in|credentials?|pin"
    _CREDENTIAL = regex.compile(rf"(?i)\b(?:(?P<strong>{_STRONG_WORDS})|(?P<weak>{_WEAK_WORDS}))\b")
    _CANDIDATE = regex.compile(r"(?<![^\s\"'“(:=])[^\s\"'“”‘’()<>]{6,64}")
    _SENTENCE_END = regex.compile(r"[.!?](?:\s|$)|\n")
    REACH = 70

    def candidates(self, text: str) -> list[Candidate]:
        return super().candidates(text) + self._stated_passwords(text)

    def mixed_characters(self, text: str, m: regex.Match) -> str | None:
        return None if _classes(m.group("s")) >= 3 else "one or two kinds of character: a word, not a key"

    def explain(self, shown: str, rule: Rule) -> str:
        return _told(shown, rule.name)

    def _stated_passwords(self, text: str) -> list[Candidate]:
        found = []
        for word in self._CREDENTIAL.finditer(text):
            stop = self._SENTENCE_END.search(text, word.end())
            reach_end = min(word.end() + self.REACH, stop.start() if stop else len(text))
            strong = word.group("strong") is not None
            for m in self._CANDIDATE.finditer(text, word.end(), reach_end):
                token = m.group().rstrip(".,;:)!?") or m.group()
                token = m.group() if m.group().endswith("!!") else token
                if _looks_like_password(token, strong):
                    end = m.start() + len(token)
                    found.append(
                        Candidate(
                            m.start(),
                            end,
                            ENTITY,
                            0.85,
                            _told(token, "a password"),
                            source=f"a password, after the word '{word.group()}'",
                        )
                    )
                    break
        return found


def _told(shown: str, what: str) -> str:
    if len(shown) > 24:
        shown = shown[:12] + "…"
    return f"'{shown}' looks like {what}: anyone who reads the post could use it"


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
