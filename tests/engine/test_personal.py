"""Personal identifiers as people write them: phones in any form, e-mails, SSNs/ITINs, NI numbers, cards,
addresses, and the numbers that only look like them."""

from __future__ import annotations

import pytest


def _personal(demo_scanner, text: str) -> list[str]:
    return [f.text for f in demo_scanner.scan(text) if f.category == "personal"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("my US number is (415) 555-0132, or +1 415 555 0132", ["(415) 555-0132", "+1 415 555 0132"]),
        ("Text me on +44 7700 900123 tonight.", ["+44 7700 900123"]),
        ("Her Irish mobile: +353 85 123 4567.", ["+353 85 123 4567"]),
        ("Get Dana on 415.555.0132 before noon.", ["415.555.0132"]),
        ("SSN 123 45 6789 on the form.", ["123 45 6789"]),
        (
            "Use SSN 000-12-3456 for the demo record.",
            ["000-12-3456"],
        ),  # outside issued ranges, but called one
        ("His ITIN is 912-70-1234.", ["912-70-1234"]),
        ("ni number ab123456c on the payslip", ["ab123456c"]),
        ("Reach dana.reed@acme-health.com about the notes.", ["dana.reed@acme-health.com"]),
        (
            "JCB 3530 1113 3330 0000 and Amex 378282246310005 on file",
            ["3530 1113 3330 0000", "378282246310005"],
        ),
        ("Maestro card 676165441251 on the call", ["676165441251"]),  # IIN 6761-6763
        ("Her home is 42 Acacia Avenue, Leeds LS6 2AB.", ["42 Acacia Avenue, Leeds LS6 2AB"]),
        ("She lives at 123 Main St, Springfield, IL 62704 now.", ["123 Main St, Springfield, IL 62704"]),
    ],
)
def test_identifiers_in_every_common_form_are_found(demo_scanner, text, found):
    assert _personal(demo_scanner, text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Call us on 020 7946 0018 to book a demo.",
        "Freephone 0800 123 4567 for support.",
        "His NHS number 943 476 5918 was wrong.",
        "Order 123456789 shipped today.",
        "Ticket 1234-5678-9012-3456 closed.",
        "Send your CV to careers@northgate.example.",
        "Visit our office at 350 Fifth Avenue, New York, NY 10118.",
        "In 2024 we grew 35% to 1,200 staff.",
        "timestamp 1699999999 in the log",
    ],
)
def test_lookalikes_and_organisations_are_not_personal(demo_scanner, text):
    assert [f.text for f in demo_scanner.scan(text) if f.category == "personal"] == []


def test_an_iban_is_one_finding_and_the_phone_inside_it_is_explained(demo_scanner):
    assert _personal(demo_scanner, "Paid to GB31 BARC 8288 0729 0222 79 yesterday.") == [
        "GB31 BARC 8288 0729 0222 79"
    ]
    decisions = demo_scanner.decide("Paid to GB31 BARC 8288 0729 0222 79 yesterday.")
    phone = next(d for d in decisions if d.entity_type == "PHONE_NUMBER")
    assert phone.reason == "part of a bank account number"
