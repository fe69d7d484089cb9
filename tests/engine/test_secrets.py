"""Secrets as services issue them, as people paste them into a post, and a team's own gitleaks-format pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from discreet.engine.policy import PolicyError, load_policy
from discreet.engine.scanner import Scanner

PACKS = Path(__file__).with_name("data") / "packs"


def _secrets(scanner: Scanner, text: str) -> list[tuple[str, str]]:
    return [(f.text, f.severity) for f in scanner.scan(text) if f.category == "secret"]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("my token glpat-R7kq2Lm9Xw4ZpT8vN3cQ leaked", "glpat-R7kq2Lm9Xw4ZpT8vN3cQ"),
        ("deploy token gldt-9fKq2Lm7Xw4ZpT8vN3cR", "gldt-9fKq2Lm7Xw4ZpT8vN3cR"),
        ("key sk-proj-Q7fT2kLm9XwZ4pN8vR3cJh6Yb1DsGe5Ua0", "sk-proj-Q7fT2kLm9XwZ4pN8vR3cJh6Yb1DsGe5Ua0"),
        (
            "sk-ant-api03-Zq7fT2kLm9XwZ4pN8vR3cJh6Yb1DsGe5Ua0Kq7fT2kLm9Xw works",
            "sk-ant-api03-Zq7fT2kLm9XwZ4pN8vR3cJh6Yb1DsGe5Ua0Kq7fT2kLm9Xw",
        ),
        ("npm_Q7fT2kLm9XwZ4pN8vR3cJh6Yb1DsGe5Ua0Kq in .npmrc", "npm_Q7fT2kLm9XwZ4pN8vR3cJh6Yb1DsGe5Ua0Kq"),
        (
            "SG.Q7fT2kLm9XwZ4pN8vR3cJh.6Yb1DsGe5Ua0Kq7fT2kLm9XwZ4pN8vR3cJh6Yb1DsGe5U for mail",
            "SG.Q7fT2kLm9XwZ4pN8vR3cJh.6Yb1DsGe5Ua0Kq7fT2kLm9XwZ4pN8vR3cJh6Yb1DsGe5U",
        ),
        (
            "bot 7123456789:AAHq7fT2kLm9XwZ4pN8vR3cJh6Yb1DsGe5U here",
            "7123456789:AAHq7fT2kLm9XwZ4pN8vR3cJh6Yb1DsGe5U",
        ),
        ("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 in the app", "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"),
        ("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 is the client secret", "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"),
        ("curl -u admin:Summer2024 https://jira.internal/rest", "admin:Summer2024"),
        (
            "DEV=1 HF_TOKEN=hf_Qz7fTkLmXwZpNvRcJhYbDsGeUaKqTkLmXw poetry run python app.py",
            "hf_Qz7fTkLmXwZpNvRcJhYbDsGeUaKqTkLmXw",
        ),
        ("DB_PASSWORD=tangerine-otter-lamp", "tangerine-otter-lamp"),
        ("The wifi password is tangerine-otter for guests.", "tangerine-otter"),
        ("Our passphrase is 'correct horse battery staple'.", "correct horse battery staple"),
        (
            "jwt eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0. has no signature",
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.",
        ),
        ("doctl auth init -t dop_v1_" + "4f9a0c1e" * 8, "dop_v1_" + "4f9a0c1e" * 8),
        ("databricks token dapi" + "7c1e2b3d" * 4, "dapi" + "7c1e2b3d" * 4),
        (
            "postman PMAK-" + "a1b2c3d4" * 3 + "-d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0",
            "PMAK-" + "a1b2c3d4" * 3 + "-d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0",
        ),
        ("new relic key NRAK-" + "Q7F2KLM9XWZ4PN8VR3CJH6YB1DS", "NRAK-Q7F2KLM9XWZ4PN8VR3CJH6YB1DS"),
        ("VAULT_TOKEN=hvs." + "Q7fT2kLm9XwZ4pN8vR3cJh6Yb1Ds", "hvs.Q7fT2kLm9XwZ4pN8vR3cJh6Yb1Ds"),
        ("docker login -u ci -p kV0hwnsudzNyLh6Gy797 registry.acme.io", "kV0hwnsudzNyLh6Gy797"),
        ("mysql -u root -pcrxHewwd8QOl claims_db", "crxHewwd8QOl"),
        ("sshpass -p 'o13nIZxNiPsb' ssh root@10.0.0.5", "o13nIZxNiPsb"),
        ("export API_TOKEN=$$z@+GDwVq2NI7!#BiKL", "$$z@+GDwVq2NI7!#BiKL"),  # symbols first, not a $VAR
        (
            "TF_TOKEN=Q7fT2kLm9XwZ4p.atlasv1." + "N8vR3cJh6Yb1DsGe5Ua0" * 3 + "Kq",
            "Q7fT2kLm9XwZ4p.atlasv1." + "N8vR3cJh6Yb1DsGe5Ua0" * 3 + "Kq",
        ),
        (
            "cache at redis://:7E8vBimDfBPSkMlGAdNT@cache.internal:6379/0",
            "redis://:7E8vBimDfBPSkMlGAdNT@cache.internal:6379/0",
        ),
    ],
)
def test_tokens_and_passwords_as_issued_and_pasted_are_blocked(demo_scanner, text, secret):
    assert _secrets(demo_scanner, text) == [(secret, "block")]


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        (
            "SLACK_BOT_TOKEN=xoxb-xxxxxxxxxx-xxxxxxxxxxxx-xxxxxxxxxxxx",
            "xoxb-xxxxxxxxxx-xxxxxxxxxxxx-xxxxxxxxxxxx",
        ),
        ("e.g. AKIAIOSFODNN7EXAMPLE from the AWS docs", "AKIAIOSFODNN7EXAMPLE"),
        ("api_key: <your-token>", "<your-token>"),
        ("password: changeme", "changeme"),
    ],
)
def test_placeholders_are_shown_at_info_not_blocked(demo_scanner, text, placeholder):
    assert _secrets(demo_scanner, text) == [(placeholder, "info")]


@pytest.mark.parametrize(
    "text",
    [
        "The password is required for every login.",
        "The key: consistency.",
        "apiKey: process.env.API_KEY",
        "Loved https://example.com/xoxo-gossip-2024-recap",
        "token = os.environ['TOKEN']",
        "password_file: /run/secrets/db_password",
        "docker run -p 8080:80 nginx",
        "mysql -h db01 -p claims",
        "curl -u $USER:$PASS https://api.internal/health",
    ],
)
def test_words_references_and_urls_are_not_secrets(demo_scanner, text):
    assert _secrets(demo_scanner, text) == []


def test_a_gitleaks_pack_in_the_policy_finds_the_teams_own_tokens():
    scanner = Scanner(load_policy(PACKS / "policy.yaml"))
    assert _secrets(scanner, "use ngst_a8f3k2m9x7q1w4e6r5t0y2u3 for staging") == [
        ("ngst_a8f3k2m9x7q1w4e6r5t0y2u3", "block")
    ]
    (found,) = scanner.scan("deploy_key = Q7fT2kLm9XwZ4pN8vR3cJh6Y")
    assert (found.text, found.recognizer) == ("Q7fT2kLm9XwZ4pN8vR3cJh6Y", "Secret pack")
    assert "team.toml:11" in next(
        d.source
        for d in scanner.decide("deploy_key = Q7fT2kLm9XwZ4pN8vR3cJh6Y")
        if d.found and d.recognizer == "Secret pack"
    )
    # The file's global allowlist, the rule's stopwords and its entropy floor.
    for text in (
        "ngst_000000000000000000000000",
        "deploy_key = sampleQ7fT2kLm9XwZ4pN8",
        "deploy_key = aaaaaaaaaaaaaaaaaaaaaaaa",
    ):
        assert [f for f in scanner.scan(text) if f.recognizer == "Secret pack"] == []


def test_a_broken_pack_is_refused_with_file_and_line():
    with pytest.raises(PolicyError) as err:
        load_policy(PACKS / "broken_policy.yaml")
    problems = [(p.file.name, p.line, p.message) for p in err.value.problems]
    assert [(f, line) for f, line, _ in problems] == [
        ("broken.toml", 10),  # the regex line of the rule with an unbalanced group
        ("broken.toml", 12),  # a rule that only matches file paths
        ("not_toml.toml", 4),
        ("broken_policy.yaml", 2),  # a pack that does not exist
    ]
    assert "rule 'bad-regex': invalid regex" in problems[0][2]
    assert "has no 'regex'" in problems[1][2]
    assert "not valid TOML" in problems[2][2]
    assert "missing.toml" in problems[3][2]
