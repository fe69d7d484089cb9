"""What the engine finds and what it leaves alone, checked the way a person reading the warnings would."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest


def test_client_names_in_any_case_spacing_possessive_and_hashtag(scan):
    text = "Big week: riverside ch's new wards, Elmbrook  Medical\nCentre went live, and #KingfisherCare too."
    assert scan(text) == [
        ("riverside ch", "client"),
        ("Elmbrook  Medical\nCentre", "client"),
        ("KingfisherCare", "client"),
    ]


def test_alias_is_explained_with_the_canonical_name(demo_scanner):
    (finding,) = demo_scanner.scan("We met Riverside CH today.")
    assert finding.explanation == (
        "'Riverside CH' is on the confidential client list (alias of Riverside Community Hospital)"
    )
    assert (finding.severity, finding.label, finding.entity_type) == (
        "warn",
        "a confidential client",
        "CLIENT",
    )


@pytest.mark.parametrize(
    "text",
    [
        "We reached the summit of Ben Nevis before lunch.",
        "Great talks at AWS Summit this year.",
        "Summit views were worth the climb.",
        "A beacon of good practice.",
        "The meridian line runs through Greenwich.",
    ],
)
def test_roster_names_that_are_ordinary_words_are_left_alone(scan, text):
    assert scan(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Spent the day with the team at Summit sorting their Wi-Fi.",
        "Summit signed with us for another three years.",
        "Proud to support Beacon with their new imaging suite.",
    ],
)
def test_roster_names_that_are_ordinary_words_are_found_where_they_read_as_names(scan, text):
    assert [c for _, c in scan(text)] == ["client"]


def test_project_codes_and_code_names(scan):
    assert scan("NG-EHR-042 is done; Lodestar went live; CHG-004412 closed.") == [
        ("NG-EHR-042", "project"),
        ("Lodestar", "project"),
        ("CHG-004412", "project"),
    ]
    assert scan("A wren was singing outside the server room.") == []
    assert scan("We passed ISO-27001 and patched CVE-2024-3094 on Windows 11.") == []


def test_offsets_are_utf16_code_units(demo_scanner):
    text = "🎉🎉 Welcome Riverside CH!"
    (finding,) = demo_scanner.scan(text)
    # Each emoji is two UTF-16 code units, as JavaScript counts them.
    assert (finding.start, finding.end) == (13, 25)
    assert text.encode("utf-16-le")[finding.start * 2 : finding.end * 2].decode("utf-16-le") == "Riverside CH"


def test_patient_name_needs_a_care_context(scan):
    assert scan("Mrs Ada Lovett in bed 4 was discharged today.") == [
        ("Ada Lovett", "patient"),
        ("bed 4", "patient"),
    ]
    assert scan("Had coffee with Ada Lovett to talk about Kubernetes.") == []
    assert scan("Dr Ada Lovett on ward 9 helped us test the new tablets.") == []


def test_patient_identifiers(scan):
    assert scan("His NHS number 943 476 5919 was on the label.") == [("943 476 5919", "patient")]
    assert scan("His NHS number 943 476 5918 was on the label.") == []  # wrong check digit
    assert scan("MRN 00482913 has two encounters.") == [("00482913", "patient")]
    assert scan("Label read: DOB 04/22/2019, allergy to latex.") == [("04/22/2019", "patient")]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("key AKIAQH3AV90RIC7PHKQD leaked", "AKIAQH3AV90RIC7PHKQD"),
        ("token ghp_fbciOx9gy1CJdObOIRpFqaDZeV7G5IfQHeVV please", "ghp_fbciOx9gy1CJdObOIRpFqaDZeV7G5IfQHeVV"),
        ("use sk_live_zh87mTa5Vsqxezy3Lex7BWr2 now", "sk_live_zh87mTa5Vsqxezy3Lex7BWr2"),
        ("The new password is Tr0ub4dor&3 for now.", "Tr0ub4dor&3"),
        (
            "postgres://app:s3cretPass@db.internal:5432/prod",
            "postgres://app:s3cretPass@db.internal:5432/prod",
        ),
    ],
)
def test_secrets(scan, text, secret):
    assert scan(text) == [(secret, "secret")]


def test_private_key_block_is_one_finding(scan):
    text = "Format:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nx1y2z3\n-----END RSA PRIVATE KEY-----\nDone"
    ((found, category),) = scan(text)
    assert category == "secret" and found.startswith("-----BEGIN") and found.endswith("KEY-----")


def test_password_word_without_a_password_is_not_a_secret(scan):
    assert scan("Password managers are great. Reset your password today.") == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Card 4111 1111 1111 1111 was read out on the call.", ["4111 1111 1111 1111"]),
        ("Card 4111 1111 1111 1112 was read out on the call.", []),  # fails Luhn
        ("Paid to GB31 BARC 8288 0729 0222 79 yesterday.", ["GB31 BARC 8288 0729 0222 79"]),
        ("Paid to GB31 BARC 8288 0729 0222 78 yesterday.", []),  # fails mod 97
        ("SSN 087-34-4456 was in the subject line.", ["087-34-4456"]),
        ("Order 666-12-3456 shipped.", []),  # no SSN starts with 666
        ("NI number ZP 83 84 83 D rejected.", ["ZP 83 84 83 D"]),
        ("Email me at jo.bloggs1984@gmail.com please.", ["jo.bloggs1984@gmail.com"]),
        ("Send your CV to careers@northgate-health.example.", []),
        ("Her personal mobile is 07700 900461.", ["07700 900461"]),
    ],
)
def test_personal_identifiers(scan, text, found):
    assert [t for t, c in scan(text) if c == "personal"] == found


def test_stock_presidio_false_alarms_are_not_repeated(scan):
    assert scan("Great day at the conference! Call the office on 212-555-0199.") == []
    assert scan("Thanks Sarah. See sarah.co for slides 😀") == []


def test_overlapping_findings_are_merged_into_one(demo_scanner):
    findings = demo_scanner.scan("Email from riverside.ch.patient@gmail.com arrived.")
    spans = [(f.start, f.end) for f in findings]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert len(findings) == 1 and findings[0].category == "personal"


def test_every_finding_has_the_documented_fields(demo_scanner):
    (finding,) = demo_scanner.scan("Welcome Fenwick Hollis!")
    assert set(finding.finding()) == {
        "start", "end", "text", "category", "label", "entity_type", "severity", "score", "recognizer",
        "explanation",
    }  # fmt: skip


def test_rescanning_a_growing_post_reuses_unchanged_paragraphs(demo_scanner):
    first = "Mrs Ada Lovett in bed 4 was discharged today.\n\nMore news soon"
    before = demo_scanner.scan(first)
    after = demo_scanner.scan(first + " from Riverside CH")
    assert after[0] == before[0]
    assert [f.text for f in after] == ["Ada Lovett", "bed 4", "Riverside CH"]
    assert after[2].start == len(first) + len(" from ")


def _clean_posts() -> list[str]:
    raw = (Path(__file__).with_name("data") / "clean_posts.txt").read_text(encoding="utf-8")
    lines = [line for line in raw.splitlines() if not line.startswith("#")]
    return [post.strip() for post in "\n".join(lines).split("=====") if post.strip()]


@pytest.mark.parametrize("post", _clean_posts(), ids=lambda p: p[:40])
def test_ordinary_healthcare_it_posts_raise_no_warning(demo_scanner, post):
    """Speakers, colleagues, clinicians, company numbers, CVEs and hashes are not confidential."""
    assert [(f.text, f.category) for f in demo_scanner.scan(post)] == []
