"""Secrets recognizer: keys and tokens as services issue them, assignments, stated passwords, secret packs.

Key formats with fixed prefixes need no context. A value is a secret because of its name (`API_TOKEN=...`,
`password: ...`, `curl -u user:pass`) or because the text says so ("the wifi password is ..."). A value that
is plainly a placeholder (`xxxx`, `AKIA...EXAMPLE`, `<your-token>`, `changeme`) is reported at `info`: worth a
look, not worth blocking a post.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import ClassVar

import regex
from wordfreq import zipf_frequency

from discreet.recognizers.base import REGEX_TIMEOUT_SECONDS, Candidate, Recognizer, Rule
from discreet.recognizers.secret_pack import PackRule

ENTITY = "SECRET"
PLACEHOLDER = regex.compile(
    r"(?i)x{4,}|\*{4,}|\.{4,}|example|<[^<>]*>|\{\{[^}]*\}\}|\byour[_\-]|changeme|change[_\-]me|placeholder"
    r"|dummy|redacted|replace[_\-]?me|\bfake|\bsample|(?:0123456789|1234567890|abcdefgh)"
)
# Values of a `name=value` assignment that are a reference or a type, not the secret itself.
# A variable (`$DB_PASS`, `${TOKEN}`, `%API_KEY%`, `{{ secrets.X }}`, `@Microsoft.KeyVault(...)`), a template or a
# type; not any value that merely starts with a symbol, as generated passwords often do ("$$z@+GDw...").
REFERENCE = regex.compile(
    r"(?i)^(?:\$\{|\$\(|\$[A-Za-z_][\w.]*$|%[A-Za-z_]\w*%|\{\{|<[^<>]*>$|\[|@[A-Za-z_][\w.]*(?:\(|$)"
    r"|\*+$|(?:true|false|none|null|nil|undefined|required|optional|string|str|int|bool|"
    r"secret|password|token|env|environ|getenv|process|os|settings|config|vault|secrets|input|prompt|"
    r"empty|yes|no|off|on)\b)"
)


# A call that fetches the secret: `os.getenv("X")`, `get_secret('db')`.
_CALL = regex.compile(r"\w\(")
# A file path is where a secret is kept ("/run/secrets/db_password", "~/.aws/credentials", "C:\\keys\\x").
_PATH = regex.compile(r"^(?:/|\./|\.\./|~/|[A-Za-z]:\\)")


def _key(name: str, pattern: str, score: float = 0.95, validator: str | None = None) -> Rule:
    return Rule(ENTITY, name, pattern, score, validator, flags=regex.DOTALL)


class SecretRecognizer(Recognizer):
    """Credentials, by format (keys, tokens, key blocks, connection strings) or by being called one."""

    NAME = "Credentials"
    # Group "s" when only part of the match is the secret. Each rule is one issuer's published format.
    RULES: ClassVar[tuple[Rule, ...]] = (
        _key("an AWS access key ID", r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"),
        _key(
            "an AWS secret access key",
            r"(?i:aws[_ ]?secret[_ ]?(?:access[_ ]?)?key|secret access key)[\"']?\s*[:=]\s*[\"']?"
            r"(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
        ),
        _key("a GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"),
        _key("a GitLab token", r"\bgl(?:pat|dt|rt|ptt|cbt|oas|soat|ffct|imt|ft|agent)-[0-9A-Za-z_\-.]{20,}"),
        _key(
            "an OpenAI API key",
            r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{20,}|\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b",
        ),
        _key("an Anthropic API key", r"\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{20,}"),
        _key("a Hugging Face token", r"\b(?:hf|api_org)_[A-Za-z0-9]{30,40}\b"),
        _key("an npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
        _key("a PyPI token", r"\bpypi-AgE[A-Za-z0-9_\-]{50,}"),
        _key("a SendGrid API key", r"\bSG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64}"),
        _key("a Twilio API key", r"\bSK[0-9a-f]{32}\b"),
        _key("a Shopify token", r"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b"),
        _key("an Atlassian API token", r"\bAT(?:ATT|CTT)3[A-Za-z0-9_\-=]{50,}"),
        _key(
            "a Datadog key",
            r"(?i:\b(?:datadog|dd)[\w\-]{0,20}?(?:key|token)\b)[\"']?\s*[:=]?\s*[\"']?(?P<s>[a-f0-9]{32}(?:[a-f0-9]{8})?)\b",
        ),
        _key("an Okta API token", r"(?i:\b(?:okta|ssws)\b)[^\n]{0,40}?\b(?P<s>00[A-Za-z0-9_\-]{40})\b"),
        _key("a Telegram bot token", r"\b\d{8,10}:AA[A-Za-z0-9_\-]{32,33}\b"),
        _key("a Slack token", r"\bxox[abpsre]-[0-9xX]{6,}-[A-Za-z0-9\-]{8,}"),
        _key("a Slack app token", r"\bxapp-\d-[A-Z0-9]{6,}-\d{6,}-[a-z0-9]{32,}"),
        _key(
            "a Slack webhook",
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_\-]{20,}",
        ),
        _key(
            "a Discord webhook",
            r"https://(?:\w+\.)?discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_\-]{20,}",
        ),
        _key("a Discord bot token", r"\b[MNO][A-Za-z\d_\-]{23,25}\.[A-Za-z\d_\-]{6}\.[A-Za-z\d_\-]{27,38}\b"),
        _key("an Azure storage account key", r"(?i:AccountKey=)(?P<s>[A-Za-z0-9+/]{86}==)"),
        _key(
            "an Azure AD client secret",
            r"(?<![A-Za-z0-9_~.\-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34}(?![A-Za-z0-9_~.\-])",
        ),
        _key("an Azure SAS signature", r"[?&]sig=(?P<s>[A-Za-z0-9%/+]{40,}(?:%3D|=){0,2})"),
        _key("a Google API key", r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])", 0.9),
        _key("a Google OAuth client secret", r"\bGOCSPX-[A-Za-z0-9_\-]{28}\b"),
        _key("a Google OAuth access token", r"\bya29\.[0-9A-Za-z_\-]{30,}"),
        _key("a GCP service-account key", r"\"private_key_id\"\s*:\s*\"(?P<s>[a-f0-9]{40})\""),
        _key("a DigitalOcean token", r"\bdo[opr]_v1_[a-f0-9]{64}\b"),
        _key("a Databricks token", r"\bdapi[a-f0-9]{32}(?:-\d)?\b"),
        _key("a Grafana token", r"\bgl(?:sa|c)_[A-Za-z0-9_+/=\-]{32,}"),
        _key("a Postman API key", r"\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b"),
        _key("a New Relic key", r"\bNR(?:AK|II|JS|RA)-[A-Z0-9]{27}\b"),
        _key("a Pulumi token", r"\bpul-[a-f0-9]{40}\b"),
        _key("a HashiCorp Vault token", r"\bhv[sb]\.[A-Za-z0-9_\-]{24,}"),
        _key("a Linear API key", r"\blin_api_[A-Za-z0-9]{40}\b"),
        _key("a Doppler token", r"\bdp\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9_.\-]{40,}"),
        _key("a Sentry token", r"\bsntr[ysu]_[A-Za-z0-9_+/=\-]{40,}"),
        _key("a Terraform Cloud token", r"\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=\-]{60,70}\b"),
        _key("a Stripe secret key", r"\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b|\bwhsec_[A-Za-z0-9]{32,}\b"),
        _key(
            "a JSON Web Token",
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.(?:[A-Za-z0-9_-]{8,})?",
        ),
        _key(
            "a private key",
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
            1.0,
        ),
        _key(
            "a connection string with a password",
            r"\b[a-z][a-z0-9+.\-]{1,20}://[^\s:/@'\"]*:[^\s@/'\"]+@[^\s'\"<>]+",
        ),
        _key(
            "a connection string with a password",
            # Bounded repeats: an unbounded lazy loop here is quadratic on a run of "Server=a;" (seen: 16 s).
            r"(?i)\b(?:server|data source|host|address|addr)\s*=[^;\n]{1,200};(?:[^;\n]{0,200};){0,15}?"
            r"\s*(?:password|pwd)\s*=[^;\n]{1,200}(?:;[^;\n=]{1,60}=[^;\n]{0,200}){0,15};?",
        ),
        _key(
            "credentials on a curl command line",
            r"\bcurl\b[^\n]{0,200}?\s(?:-u|--user)\s*[\"']?(?P<s>[^\s:\"']{1,64}:(?P<pw>[^\s\"']{1,128}))",
            validator="option_value",
        ),
        _key(
            "a password option on a command line",
            # `--password X` anywhere; `-p` only where the command's -p is the password, not a port or a path:
            # joined to it for MySQL and MariaDB clients (`-p claims` there prompts, `claims` is the database),
            # joined or not for registry logins, sshpass and twine.
            r"(?:--password[= ](?P<s>[^\s\"'-][^\s\"']{3,127})"
            r"|\b(?:mysql\w*|mariadb\w*)\b[^\n|;&]{0,120}?\s-p(?P<s>[^\s\"'-][^\s\"']{3,127})"
            r"|\b(?:(?:docker|podman|helm registry|buildah|skopeo) login|sshpass|twine upload)"
            r"\b[^\n|;&]{0,120}?\s-p ?[\"']?(?P<s>[^\s\"'-][^\s\"']{3,127}))",
            validator="option_value",
        ),
        _key(
            "a value assigned to a key, token, secret or password",
            # NAME=value, name: value, "name": "value": the name says what the value is.
            r"(?i)(?<![\w.])[\"']?(?P<name>[A-Za-z0-9_.\-]{0,40}?(?:api[_\-]?key|key|token|secret|passw(?:or)?d|"
            r"passphrase|pwd|pass|credentials?|auth)(?:[_\-][A-Za-z0-9]+)?)[\"']?[ \t]*(?::|=|:=)[ \t]*[\"']?"
            r"(?P<s>[^\s\"'`,;]{3,199}[^\s\"'`,;.:)!?])",
            0.8,
            validator="assigned_value",
        ),
        _key(
            "a token",
            r"(?i:\b(?:api[_ -]?key|access[_ -]?token|auth[_ -]?token|secret|bearer|token)\b)"
            r"[\"']?\s*(?:is|was)?\s*[\"']?(?P<s>[A-Za-z0-9_\-./+=]{24,})",
            0.7,
            validator="mixed_characters",
        ),
    )
    _STRONG_WORDS = r"pass(?:word|wd|code|phrase)?|pwd|pw"
    _WEAK_WORDS = r"admin(?:istrator)?|login|log-in|credentials?|pin"
    _CREDENTIAL = regex.compile(rf"(?i)\b(?:(?P<strong>{_STRONG_WORDS})|(?P<weak>{_WEAK_WORDS}))\b")
    _CANDIDATE = regex.compile(r"(?<![^\s\"'“(:=])[^\s\"'“”‘’()<>]{6,64}")
    # "password is X", "password for the VPN: X", "passphrase 'a b c d'": the word, a link, then the value.
    _STATED = regex.compile(
        r"(?i)\b(?:pass(?:word|wd|phrase)|pwd|pw)\b(?:\s+(?:for|to|on)\s+(?:the\s+|our\s+|my\s+)?[\w\-]+){0,1}"
        r"\s*(?:is|was|=|:|-)\s*(?:now\s+|still\s+)?(?:[\"“'‘](?P<q>[^\"”'’\n]{4,64})[\"”'’]|(?P<w>[^\s\"'“”]{4,64}))"
    )
    _SENTENCE_END = regex.compile(r"[.!?](?:\s|$)|\n")
    REACH = 70

    def candidates(self, text: str) -> list[Candidate]:
        found = super().candidates(text) + self._stated_passwords(text)
        return [self.placeholder(text, c) for c in found]

    def mixed_characters(self, text: str, m: regex.Match) -> str | None:
        return None if _classes(m.group("s")) >= 3 else "one or two kinds of character: a word, not a key"

    def option_value(self, text: str, m: regex.Match) -> str | None:
        """A password given as an option is one, unless it is a reference (`$DB_PASS`, a file path)."""
        value = m.group("pw") if "pw" in m.re.groupindex and m.group("pw") else m.group("s")
        if not PLACEHOLDER.search(value) and (REFERENCE.match(value) or _PATH.match(value)):
            return "a reference to where the secret is kept, not the secret"
        return None

    def assigned_value(self, text: str, m: regex.Match) -> str | None:
        """A value is secret when its name says so, unless it is a reference (`$VAR`, `os.environ`) or a word."""
        value, name = m.group("s"), m.group("name").lower()
        if PLACEHOLDER.search(value):
            return None  # reported at `info` as a placeholder
        if REFERENCE.match(value) or _CALL.search(value) or _PATH.match(value):
            return "a reference to where the secret is kept, not the secret"
        if any(w in name for w in ("pass", "pwd", "secret", "credential")):
            return None if len(value) >= 4 else "too short to be a password"
        letters_and_digits = any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
        if (letters_and_digits and len(value) >= 8) or (len(value) >= 20 and _entropy(value) >= 3.5):
            return None
        return "a word after a name with 'key' or 'token' in it, not a key"

    def explain(self, shown: str, rule: Rule) -> str:
        return _told(shown, rule.name)

    @staticmethod
    def placeholder(text: str, c: Candidate) -> Candidate:
        """A placeholder is reported at `info`: it shows where a real secret would go, it is not one."""
        if c.set_aside or not PLACEHOLDER.search(text[c.start : c.end]):
            return c
        return replace(
            c,
            severity="info",
            explanation=f"'{_short(text[c.start : c.end])}' looks like a placeholder for a credential: check it is not a real one",
        )

    def _stated_passwords(self, text: str) -> list[Candidate]:
        found = []
        for m in self._STATED.finditer(text):
            group = "q" if m.group("q") else "w"
            token = m.group(group).rstrip(".,;:)!?") if group == "w" else m.group(group)
            if _stated_value_is_password(token, quoted=group == "q"):
                found.append(
                    self._password(m.start(group), m.start(group) + len(token), token, m.group().split()[0])
                )
        for word in self._CREDENTIAL.finditer(text):
            stop = self._SENTENCE_END.search(text, word.end())
            reach_end = min(word.end() + self.REACH, stop.start() if stop else len(text))
            strong = word.group("strong") is not None
            for m in self._CANDIDATE.finditer(text, word.end(), reach_end):
                token = m.group().rstrip(".,;:)!?") or m.group()
                token = m.group() if m.group().endswith("!!") else token
                if _looks_like_password(token, strong):
                    found.append(self._password(m.start(), m.start() + len(token), token, word.group()))
                    break
        return found

    @staticmethod
    def _password(start: int, end: int, token: str, word: str) -> Candidate:
        return Candidate(
            start,
            end,
            ENTITY,
            0.85,
            _told(token, "a password"),
            source=f"a password, after the word '{word}'",
        )


def _short(shown: str) -> str:
    return shown[:12] + "…" if len(shown) > 24 else shown


def _told(shown: str, what: str) -> str:
    return f"'{_short(shown)}' looks like {what}: anyone who reads the post could use it"


def _classes(token: str) -> int:
    return sum(
        (
            any(c.islower() for c in token),
            any(c.isupper() for c in token),
            any(c.isdigit() for c in token),
            any(not c.isalnum() for c in token),
        )
    )


def _entropy(token: str) -> float:
    """Shannon entropy in bits per character: random keys score high, words and repeats low."""
    counts = Counter(token)
    return -sum(n / len(token) * math.log2(n / len(token)) for n in counts.values())


# An everyday word this common after "password is" is a description ("required", "changing"), not a password.
_COMMON_WORD_ZIPF = 4.0


def _stated_value_is_password(token: str, quoted: bool) -> bool:
    """After "password is": a quoted phrase, a mixed token, joined words, or a word too rare to describe it.

    A single everyday word ("admin", "required") is a default or a description, not a secret worth blocking.
    """
    if len(token) < 4 or "://" in token or ("@" in token and "." in token.split("@")[-1]):
        return False
    if quoted and " " in token.strip():
        return True  # a quoted passphrase
    if _classes(token) >= 2:
        return len(token) >= 6
    if regex.fullmatch(r"[a-z]+(?:[\-_.][a-z]+)+", token):
        return True
    return len(token) >= 6 and zipf_frequency(token, "en") < _COMMON_WORD_ZIPF


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


class SecretPackRecognizer(Recognizer):
    """A policy's gitleaks-format secret pack: each rule's regex, gated by its keywords, entropy and allowlist."""

    NAME = "Secret pack"
    PATTERN_TIMEOUT = REGEX_TIMEOUT_SECONDS  # a security team's own regexes, like a policy's patterns

    def __init__(self, pack: Iterable[PackRule]):
        self.pack = tuple(pack)
        super().__init__(
            rules=[
                Rule(ENTITY, f"{r.description} ({r.id})", r.regex, 0.9, "pack_check", where=r.where)
                for r in self.pack
            ]
        )
        self._by_pattern = {r.regex: r for r in self.pack}

    def candidates(self, text: str) -> list[Candidate]:
        """Rules whose keywords are absent are not run at all, as gitleaks does."""
        lowered = text.lower()

        def keyword_present(rule: Rule) -> bool:
            keywords = self._by_pattern[rule.pattern].keywords
            return not keywords or any(k in lowered for k in keywords)

        found = [
            self._secret_span(self.judge(text, m, rule), m, self._by_pattern[rule.pattern])
            for rule, m in self.matches(text, only=keyword_present)
        ]
        return [SecretRecognizer.placeholder(text, c) for c in found]

    def pack_check(self, text: str, m: regex.Match) -> str | None:
        pack = self._by_pattern[m.re.pattern]
        secret = m.group(pack.secret_group) or ""
        if pack.entropy and _entropy(secret) < pack.entropy:
            return f"entropy {_entropy(secret):.1f} is below the rule's {pack.entropy}"
        if any(s in secret.lower() for s in pack.stopwords):
            return "contains a stopword of the rule's allowlist"
        if any(regex.search(a, secret) for a in pack.allow_regexes):
            return "matches the rule's allowlist"
        return None

    @staticmethod
    def _secret_span(c: Candidate, m: regex.Match, pack: PackRule) -> Candidate:
        if not pack.secret_group or m.start(pack.secret_group) < 0:
            return c
        return replace(c, start=m.start(pack.secret_group), end=m.end(pack.secret_group))

    def explain(self, shown: str, rule: Rule) -> str:
        return _told(shown, rule.name)
