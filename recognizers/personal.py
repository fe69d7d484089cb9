"""Personal identifiers of third parties: phones, personal e-mail, SSNs, cards, IBANs, NI numbers, addresses.

Each candidate pattern is cheap; what makes it precise is its check: a checksum (Luhn, IBAN mod 97), the
number ranges a format allows, or words that say whose it is (a company helpdesk number is not personal).
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from discreet.recognizers.text import result, words

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
HOME_WORDS = frozenset(
    ["home", "house", "lives", "living", "flat", "address", "home's", "moved", "neighbour"]
)
_STREET = (
    r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Drive|Dr|Close|Way|Court|Ct|Crescent|Gardens|Place|Pl|Terrace|"
    r"Grove|Boulevard|Blvd|Mews|Row|Walk|Square|Hill|Park|Rise|View|Parade)"
)


class PersonalIdRecognizer(EntityRecognizer):
    """Identifiers that point at one person, each confirmed by a checksum, a range rule or its context."""

    PATTERNS: ClassVar[dict[str, str]] = {
        "EMAIL_ADDRESS": r"\b[A-Za-z0-9][A-Za-z0-9._%+\-]*@(?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)\b",
        "PHONE_NUMBER": r"(?<![\w+/.\-])(?:"
        r"(?:\+44\s?\(?0?\)?\s?|0)7\d{3}[\s\-]?\d{3}[\s\-]?\d{3}"  # UK mobile
        r"|(?:\+44\s?\(?0?\)?\s?|0)[1-3]\d{2,4}[\s\-]?\d{3,4}[\s\-]?\d{3,4}"  # UK landline
        r"|(?:\+?1[\s.\-]?)?\(\d{3}\)[\s.\-]?\d{3}[\s.\-]\d{4}"  # US (614) 555-0143
        r"|(?:\+?1[\s.\-])?\d{3}[.\-]\d{3}[.\-]\d{4}"  # US 614-555-0143
        r")(?![\w\-])",
        "US_SSN": r"(?<![\w\-])(?P<a>\d{3})(?P<sep>[\- ]?)(?P<g>\d{2})(?P=sep)(?P<n>\d{4})(?![\w\-])",
        "CREDIT_CARD": r"(?<![\w\-])(?:\d{4}[ \-]?\d{6}[ \-]?\d{5}|\d{4}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7})(?![\w\-])",
        "IBAN_CODE": r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b",
        "UK_NINO": r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
        r"(?P<sep> ?)\d{2}(?P=sep)\d{2}(?P=sep)\d{2}(?P=sep)[A-D]\b",
        "HOME_ADDRESS": rf"\b\d{{1,5}}[A-Za-z]?,? (?:[A-Z][a-z']+ ){{1,3}}{_STREET}\b"
        r"(?:,? (?:[A-Z][a-z]+ ?){1,3}){0,3},? "
        r"(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]{2} \d{5}(?:-\d{4})?)\b",
    }
    WHAT: ClassVar[dict[str, str]] = {
        "EMAIL_ADDRESS": "a personal e-mail address",
        "PHONE_NUMBER": "a personal phone number",
        "US_SSN": "a US Social Security number",
        "CREDIT_CARD": "a payment card number (valid checksum)",
        "IBAN_CODE": "a bank account number (IBAN, valid checksum)",
        "UK_NINO": "a UK National Insurance number",
        "HOME_ADDRESS": "a home address",
    }

    def __init__(self) -> None:
        self._patterns = {entity: regex.compile(p) for entity, p in self.PATTERNS.items()}
        self._checks = {
            "EMAIL_ADDRESS": _personal_email,
            "PHONE_NUMBER": _personal_phone,
            "US_SSN": _valid_ssn,
            "CREDIT_CARD": _valid_card,
            "IBAN_CODE": _valid_iban,
            "UK_NINO": lambda text, m: True,
            "HOME_ADDRESS": _home_address,
        }
        super().__init__(
            supported_entities=list(self.PATTERNS), name="Personal identifiers", supported_language="en"
        )

    def load(self) -> None:
        """Patterns are compiled in __init__."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        found = []
        for entity, pattern in self._patterns.items():
            for m in pattern.finditer(text):
                if self._checks[entity](text, m):
                    explanation = f"'{m.group()}' looks like {self.WHAT[entity]} of someone else"
                    found.append(result(entity, m.start(), m.end(), 0.85, self.name, explanation))
        return found


def _near(text: str, m: regex.Match, reach: int = 50) -> list[str]:
    return words(text[max(0, m.start() - reach) : m.start()]) + words(text[m.end() : m.end() + 20])


def _personal_email(text: str, m: regex.Match) -> bool:
    local = m.group().split("@", 1)[0].lower()
    if local in ROLE_MAILBOXES or local.split(".")[0] in ROLE_MAILBOXES:
        return False
    provider = m.group("domain").lower().split(".")[0]
    return provider in FREE_MAIL or bool({"personal", "private", "home"} & set(_near(text, m)))


def _personal_phone(text: str, m: regex.Match) -> bool:
    near = set(_near(text, m))
    if near & COMPANY_PHONE_WORDS and not near & {"personal", "mobile", "cell", "own", "private"}:
        return False
    digits = "".join(c for c in m.group() if c.isdigit())
    uk_mobile = digits.startswith(("07", "447"))
    return uk_mobile or bool(near & PERSONAL_PHONE_WORDS)


def _valid_ssn(text: str, m: regex.Match) -> bool:
    area, group, serial = m.group("a"), m.group("g"), m.group("n")
    if area in ("000", "666") or area >= "900" or group == "00" or serial == "0000":
        return False
    if m.group("sep") == "-":
        return True
    return bool({"ssn", "social", "security"} & set(_near(text, m)))


def _valid_card(text: str, m: regex.Match) -> bool:
    digits = [int(c) for c in m.group() if c.isdigit()]
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


def _valid_iban(text: str, m: regex.Match) -> bool:
    compact = m.group().replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def _home_address(text: str, m: regex.Match) -> bool:
    return bool(HOME_WORDS & set(words(text[max(0, m.start() - 120) : m.end() + 60])))
