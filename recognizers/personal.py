"""Personal identifiers of third parties: phones, personal e-mail, SSNs, cards, IBANs, NI numbers, addresses.

Each candidate pattern is cheap; what makes it precise is its check: a checksum (Luhn, IBAN mod 97), the
number ranges a format allows, or words that say whose it is (a company helpdesk number is not personal).
"""

from __future__ import annotations

from typing import ClassVar

import regex

from discreet.recognizers.base import Recognizer, Rule
from discreet.recognizers.context import Window, near

FREE_MAIL = frozenset(
    """gmail googlemail hotmail outlook live msn yahoo ymail icloud me mac aol protonmail proton pm gmx
    btinternet sky virginmedia talktalk mail zoho yandex fastmail hey tutanota comcast verizon att""".split()
)
ROLE_MAILBOXES = frozenset(
    """info careers jobs hello support help helpdesk servicedesk sales contact admin office enquiries enquiry
    team press media hr accounts billing noreply no-reply security privacy dpo reception bookings marketing
    it service""".split()
)
PERSONAL_PHONE_WORDS = frozenset(
    """personal mobile cell cellphone his her my own text texted texting whatsapp ring call daughter son wife
    husband mum dad mother father home private number""".split()
)
COMPANY_PHONE_WORDS = frozenset(
    """helpdesk desk support office switchboard reception freephone main line sales hotline service us our fax
    ext extension""".split()
)
OWN_PHONE_WORDS = frozenset(["personal", "mobile", "cell", "own", "private"])
PRIVATE_WORDS = frozenset(["personal", "private", "home"])
SSN_WORDS = frozenset(["ssn", "social", "security"])
HOME_WORDS = frozenset(
    ["home", "house", "lives", "living", "flat", "address", "home's", "moved", "neighbour"]
)
_STREET = (
    r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Drive|Dr|Close|Way|Court|Ct|Crescent|Gardens|Place|Pl|Terrace|"
    r"Grove|Boulevard|Blvd|Mews|Row|Walk|Square|Hill|Park|Rise|View|Parade)"
)


# Who a number or address belongs to is said just before it ("call her on", "my mobile is").
_OWNER_WINDOW = Window(before=8, after=3, same_sentence=False)
_SCORE = 0.85


class PersonalIdRecognizer(Recognizer):
    """Identifiers that point at one person, each confirmed by a checksum, a range rule or its context."""

    NAME = "Personal identifiers"
    # Words that say a phone number is someone's own (a policy may give its own).
    CONTEXT = PERSONAL_PHONE_WORDS
    RULES: ClassVar[tuple[Rule, ...]] = (
        Rule(
            "EMAIL_ADDRESS",
            "a personal e-mail address",
            r"\b[A-Za-z0-9][A-Za-z0-9._%+\-]*@(?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)\b",
            _SCORE,
            "personal_email",
        ),
        Rule(
            "PHONE_NUMBER",
            "a personal phone number",
            r"(?<![\w+/.\-])(?:"
            r"(?:\+44\s?\(?0?\)?\s?|0)7\d{3}[\s\-]?\d{3}[\s\-]?\d{3}"  # UK mobile
            r"|(?:\+44\s?\(?0?\)?\s?|0)[1-3]\d{2,4}[\s\-]?\d{3,4}[\s\-]?\d{3,4}"  # UK landline
            r"|(?:\+?1[\s.\-]?)?\(\d{3}\)[\s.\-]?\d{3}[\s.\-]\d{4}"  # US (614) 555-0143
            r"|(?:\+?1[\s.\-])?\d{3}[.\-]\d{3}[.\-]\d{4}"  # US 614-555-0143
            r")(?![\w\-])",
            _SCORE,
            "personal_phone",
        ),
        Rule(
            "US_SSN",
            "a US Social Security number",
            r"(?<![\w\-])(?P<a>\d{3})(?P<sep>[\- ]?)(?P<g>\d{2})(?P=sep)(?P<n>\d{4})(?![\w\-])",
            _SCORE,
            "valid_ssn",
        ),
        Rule(
            "CREDIT_CARD",
            "a payment card number (valid checksum)",
            r"(?<![\w\-])(?:\d{4}[ \-]?\d{6}[ \-]?\d{5}|\d{4}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7})(?![\w\-])",
            _SCORE,
            "valid_card",
        ),
        Rule(
            "IBAN_CODE",
            "a bank account number (IBAN, valid checksum)",
            r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b",
            _SCORE,
            "valid_iban",
        ),
        Rule(
            "UK_NINO",
            "a UK National Insurance number",
            r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
            r"(?P<sep> ?)\d{2}(?P=sep)\d{2}(?P=sep)\d{2}(?P=sep)[A-D]\b",
            _SCORE,
        ),
        Rule(
            "HOME_ADDRESS",
            "a home address",
            rf"\b\d{{1,5}}[A-Za-z]?,? (?:[A-Z][a-z']+ ){{1,3}}{_STREET}\b"
            r"(?:,? (?:[A-Z][a-z]+ ?){1,3}){0,3},? "
            r"(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]{2} \d{5}(?:-\d{4})?)\b",
            _SCORE,
            "home_address",
        ),
    )

    def explain(self, shown: str, rule: Rule) -> str:
        return f"'{shown}' looks like {rule.name} of someone else"

    def personal_email(self, text: str, m: regex.Match) -> str | None:
        local = m.group().split("@", 1)[0].lower()
        if local in ROLE_MAILBOXES or local.split(".")[0] in ROLE_MAILBOXES:
            return f"a role mailbox ('{local}@')"
        provider = m.group("domain").lower().split(".")[0]
        if provider in FREE_MAIL or near(text, m.start(), m.end(), PRIVATE_WORDS, _OWNER_WINDOW):
            return None
        return "a work address: not free-mail, and nothing near calls it personal"

    def personal_phone(self, text: str, m: regex.Match) -> str | None:
        company = near(text, m.start(), m.end(), COMPANY_PHONE_WORDS, _OWNER_WINDOW)
        if company and not near(text, m.start(), m.end(), OWN_PHONE_WORDS, _OWNER_WINDOW):
            return f"a company number ('{company}' near it)"
        digits = "".join(c for c in m.group() if c.isdigit())
        if digits.startswith(("07", "447")) or near(
            text, m.start(), m.end(), self.context_words, _OWNER_WINDOW
        ):
            return None
        return "nothing near it says whose number it is"

    def valid_ssn(self, text: str, m: regex.Match) -> str | None:
        area, group, serial = m.group("a"), m.group("g"), m.group("n")
        if area in ("000", "666") or area >= "900" or group == "00" or serial == "0000":
            return "outside the ranges SSNs are issued in"
        if m.group("sep") == "-" or near(text, m.start(), m.end(), SSN_WORDS, _OWNER_WINDOW):
            return None
        return "nine digits without dashes and no SSN word near"

    def valid_card(self, text: str, m: regex.Match) -> str | None:
        return None if _valid_card(m.group()) else "not a card number (issuer range or Luhn check)"

    def valid_iban(self, text: str, m: regex.Match) -> str | None:
        return None if _valid_iban(m.group()) else "fails the IBAN check digits"

    def home_address(self, text: str, m: regex.Match) -> str | None:
        window = Window(before=20, after=10, same_sentence=False)
        return None if near(text, m.start(), m.end(), HOME_WORDS, window) else "no word says it is a home"


def _valid_card(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    prefix = "".join(map(str, digits[:4]))
    if not (
        prefix[0] == "4"
        or "51" <= prefix[:2] <= "55"
        or "2221" <= prefix <= "2720"
        or prefix[:2] in ("34", "37", "36", "38", "35", "62", "65")
        or prefix == "6011"
    ):
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _valid_iban(text: str) -> bool:
    compact = text.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1
