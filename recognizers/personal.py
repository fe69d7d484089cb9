"""Personal identifiers of third parties: phones, personal e-mail, SSNs and ITINs, cards, IBANs, NI numbers,
postal addresses.

Each candidate is found cheaply and confirmed by a well-kept library where one exists: `phonenumbers` finds
phone numbers in every national and international form, `python-stdnum` checks SSNs, ITINs, Luhn and IBAN
check digits, `pyap` reads US and UK postal addresses. What remains is ours: whose a number or address is
(a company helpdesk or office is not personal), said by the words around it.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from typing import ClassVar

import phonenumbers
import regex
from stdnum import iban, luhn
from stdnum.us import itin, ssn

from discreet.recognizers.base import Candidate, Recognizer, Rule
from discreet.recognizers.context import Window, near
from discreet.recognizers.text import sentence_spans, word_list

FREE_MAIL = frozenset(
    """gmail googlemail hotmail outlook live msn yahoo ymail icloud me mac aol protonmail proton pm gmx
    btinternet sky virginmedia talktalk mail zoho yandex fastmail hey tutanota comcast verizon att""".split()
)
ROLE_MAILBOXES = frozenset(
    """info careers jobs hello support help helpdesk servicedesk sales contact admin office enquiries enquiry
    team press media hr accounts billing noreply no-reply donotreply security privacy dpo reception bookings
    marketing it service events partners webmaster postmaster abuse legal finance payroll""".split()
)
# Words that say an address or number is someone's own ("email me", "her mobile", "text my cell").
OWNER_WORDS = frozenset(
    """personal mobile cell cellphone his her my me own text texted texting whatsapp ring daughter son wife
    husband mum mom dad mother father home private""".split()
)
# Words that say a number or address is an organisation's. "us" counts only in lower case ("call us"):
# "US" is the country ("my US number").
COMPANY_WORDS = frozenset(
    """helpdesk desk support office switchboard reception freephone toll-free main line sales hotline service
    our fax ext extension headquarters hq store branch booking bookings enquiries venue""".split()
)
# Words that name a number as some other identifier ("NHS number 943 476 5919", "order 2024-555-0199").
IDENTIFIER_WORDS = frozenset(
    """nhs mrn account acct order ticket invoice ref reference case member policy id claim serial
    isbn tracking po""".split()
)
PHONE_WORDS = frozenset(["phone", "call", "text", "ring", "number", "tel", "mob", "sms", "whatsapp"])
OWN_WORDS = frozenset(["personal", "mobile", "cell", "own", "private", "home"])
SSN_WORDS = frozenset(["ssn", "ssns", "social", "itin", "taxpayer", "tin"])
FIRST_NAMES = word_list("first_names.txt")
# Regions to read national phone forms in: the two the product is sold in, and any a sentence names.
DEFAULT_REGIONS = ("US", "GB")
REGION_WORDS = {
    "US": "US",
    "USA": "US",
    "American": "US",
    "UK": "GB",
    "British": "GB",
    "Ireland": "IE",
    "Irish": "IE",
    "Australia": "AU",
    "Australian": "AU",
    "Canada": "CA",
    "Canadian": "CA",
    "India": "IN",
    "Indian": "IN",
    "Germany": "DE",
    "German": "DE",
    "France": "FR",
    "French": "FR",
}
_REGION_WORD = regex.compile(r"\b(?:" + "|".join(REGION_WORDS) + r")\b")
_LOWER_US = regex.compile(r"\b(?i:call|contact|reach|ring|text|email|e-mail|message|visit|find|join) us\b")
# A run of digits and the separators people group them with: a phone inside a longer run is part of it.
_DIGIT_RUN = regex.compile(r"[+(]?\d[\d \-.()/]*\d|\d")
_IBAN_SHAPE = regex.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
# Street numbers with a ZIP or postcode after them: only such sentences are given to pyap.
_ADDRESS_HINT = regex.compile(
    r"\b\d{1,5}[A-Za-z]?\b.{3,80}?(?:\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b)",
    regex.IGNORECASE,
)
_OWNER_WINDOW = Window(before=8, after=3, same_sentence=False)
_SCORE = 0.85
# Issuer identification number ranges and lengths of every card scheme in use (ISO/IEC 7812 registrations).
CARD_SCHEMES: tuple[tuple[str, tuple[tuple[int, int], ...], tuple[int, ...]], ...] = (
    ("Visa", ((4, 4),), (13, 16, 19)),
    ("Mastercard", ((51, 55), (2221, 2720)), (16,)),
    ("American Express", ((34, 34), (37, 37)), (15,)),
    ("Discover", ((6011, 6011), (644, 649), (65, 65), (622126, 622925)), (16, 17, 18, 19)),
    ("Diners Club", ((300, 305), (36, 36), (38, 39)), (14, 15, 16, 17, 18, 19)),
    ("JCB", ((3528, 3589),), (16, 17, 18, 19)),
    ("UnionPay", ((62, 62), (81, 81)), (16, 17, 18, 19)),
    (
        "Maestro",
        ((50, 50), (56, 58), (6304, 6304), (6759, 6759), (6761, 6763), (676770, 676774)),
        tuple(range(12, 20)),
    ),
    ("Mir", ((2200, 2204),), (16, 17, 18, 19)),
    ("RuPay", ((60, 60), (652, 653), (508, 508)), (16,)),
    ("Verve", ((506099, 506198), (650002, 650027)), (16, 18, 19)),
    ("Troy", ((9792, 9792),), (16,)),
)


class PersonalIdRecognizer(Recognizer):
    """Identifiers that point at one person, each confirmed by a checksum, a range rule or its context."""

    NAME = "Personal identifiers"
    # Words that say a number or address is someone's own (a policy may give its own).
    CONTEXT = OWNER_WORDS
    RULES: ClassVar[tuple[Rule, ...]] = (
        Rule(
            "EMAIL_ADDRESS",
            "a personal e-mail address",
            r"\b(?P<local>[A-Za-z0-9][A-Za-z0-9._%+\-]*)@(?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)\b",
            _SCORE,
            "personal_email",
        ),
        Rule(
            "US_SSN",
            "a US Social Security number",
            r"(?<![\w\-.])(?P<a>\d{3})(?P<sep>[\- .]?)(?P<g>\d{2})(?P=sep)(?P<n>\d{4})(?![\w\-]|\.\d)",
            _SCORE,
            "valid_ssn",
        ),
        Rule(
            "CREDIT_CARD",
            "a payment card number (valid checksum)",
            r"(?<![\w\-])(?:\d{4}[ \-]?\d{6}[ \-]?\d{4,5}|\d{4}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7}|\d{12,19})(?![\w\-])",
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
            r"(?i)\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
            r"(?P<sep>[ \-]?)\d{2}(?P=sep)\d{2}(?P=sep)\d{2}(?P=sep)[A-D]\b",
            _SCORE,
            "nino_shape",
        ),
    )

    def explain(self, shown: str, rule: Rule) -> str:
        return f"'{shown}' looks like {rule.name} of someone else"

    def candidates(self, text: str) -> list[Candidate]:
        return super().candidates(text) + self._phones(text) + self._addresses(text)

    def personal_email(self, text: str, m: regex.Match) -> str | None:
        """A person's address: free-mail, a name-like local part, or words that say it is someone's."""
        local = m.group("local").lower()
        parts = [p for p in regex.split(r"[._\-+]", local) if p]
        if local in ROLE_MAILBOXES or (parts and parts[0] in ROLE_MAILBOXES):
            return f"a role mailbox ('{local}@')"
        if m.group("domain").lower().split(".")[0] in FREE_MAIL:
            return None
        if any(p.rstrip("0123456789") in FIRST_NAMES for p in parts) or (
            len(parts) == 2 and all(p.isalpha() for p in parts) and len(parts[0]) == 1
        ):
            return None  # dana.reed@, d.reed@, reed.dana@: a person's name
        if near(
            text, m.start(), m.end(), OWNER_WORDS | {"email", "e-mail", "contact", "reach"}, _OWNER_WINDOW
        ):
            return None
        return "a work address with no person's name in it and nothing near saying whose it is"

    def valid_ssn(self, text: str, m: regex.Match) -> str | None:
        """Issued ranges (python-stdnum) with a separator; any nine digits where the text calls it an SSN/ITIN."""
        if near(text, m.start(), m.end(), SSN_WORDS, _OWNER_WINDOW):
            return None
        number = m.group("a") + m.group("g") + m.group("n")
        if not m.group("sep"):
            return "nine digits without separators and no SSN or ITIN word near"
        if ssn.is_valid(number) or itin.is_valid(number):
            return None
        return "outside the ranges SSNs and ITINs are issued in, and no SSN or ITIN word near"

    def valid_card(self, text: str, m: regex.Match) -> str | None:
        digits = "".join(c for c in m.group() if c.isdigit())
        if len(set(digits)) == 1 or not luhn.is_valid(digits):
            return "fails the Luhn check"
        if card_scheme(digits) is None:
            return "no card scheme issues numbers of this range and length"
        return None

    def valid_iban(self, text: str, m: regex.Match) -> str | None:
        return None if iban.is_valid(m.group()) else "fails the IBAN check digits"

    def nino_shape(self, text: str, m: regex.Match) -> str | None:
        """Any case, but an all-lower-case run of letters and digits needs an NI word near (it may be a code)."""
        if m.group().isupper() or near(text, m.start(), m.end(), {"ni", "nino", "insurance"}, _OWNER_WINDOW):
            return None
        return "lower case and no National Insurance word near"

    def _phones(self, text: str) -> list[Candidate]:
        """Phone numbers by `phonenumbers`' matcher, read in the regions the text names and the defaults."""
        runs = [(r.start(), r.end(), sum(c.isdigit() for c in r.group())) for r in _DIGIT_RUN.finditer(text)]
        if not any(n >= 7 for _, _, n in runs):
            return []  # no run of digits long enough to be a phone number: the matcher would find none we keep
        regions = dict.fromkeys([REGION_WORDS[w] for w in _REGION_WORD.findall(text)] + list(DEFAULT_REGIONS))
        spans: dict[tuple[int, int], phonenumbers.PhoneNumber] = {}
        for region in regions:
            for match in phonenumbers.PhoneNumberMatcher(
                text, region, leniency=phonenumbers.Leniency.POSSIBLE
            ):
                spans.setdefault((match.start, match.end), match.number)
        ibans = [m.span() for m in _IBAN_SHAPE.finditer(text)]
        found = []
        for (start, end), number in sorted(spans.items()):
            if any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans):
                continue  # read as part of a longer number in another region
            digits = sum(c.isdigit() for c in text[start:end])
            if digits < 7:
                continue  # a year, a ZIP code, a group of a longer number: not worth explaining
            reason = self._phone_reason(text, start, end, number, digits, runs, ibans)
            found.append(
                Candidate(
                    start,
                    end,
                    "PHONE_NUMBER",
                    _SCORE,
                    f"'{text[start:end]}' looks like a personal phone number of someone else",
                    source="a phone number (phonenumbers)",
                    set_aside=reason,
                )
            )
        return found

    def _phone_reason(self, text, start, end, number, digits, runs, ibans) -> str:
        """Why a matched number is not someone's phone ("": it is)."""
        if digits < 10 and not text[start:end].lstrip("(").startswith("+"):
            return "too few digits for a full phone number"
        if (
            text[start:end].isdigit()
            and not phonenumbers.is_valid_number(number)
            and not near(text, start, end, PHONE_WORDS | OWN_WORDS | self.context_words, _OWNER_WINDOW)
        ):
            # Without separators or a word saying it is a phone, a run of digits is as likely an ID or a
            # timestamp: it must at least be a number some region issues.
            return "a bare run of digits that is not a valid phone number, and no phone word near"
        if any(s < end and start < e for s, e in ibans):
            return "part of a bank account number"
        if any(s <= start and end <= e and n > digits for s, e, n in runs):
            return "part of a longer number"
        if phonenumbers.number_type(number) in (
            phonenumbers.PhoneNumberType.TOLL_FREE,
            phonenumbers.PhoneNumberType.SHARED_COST,
            phonenumbers.PhoneNumberType.PREMIUM_RATE,
        ):
            return "a freephone or service number: an organisation's"
        named = near(text, start, end, IDENTIFIER_WORDS, Window(before=4, after=0, same_sentence=True))
        if named:
            return f"an identifier ('{named}' before it), not a phone number"
        own = near(text, start, end, OWN_WORDS | self.context_words, _OWNER_WINDOW)
        company = near(text, start, end, COMPANY_WORDS, _OWNER_WINDOW)
        if company and not own:
            return f"a company number ('{company}' near it)"
        if not own and _LOWER_US.search(text[max(0, start - 60) : start]):
            return "a company number ('us' near it)"
        return ""

    def _addresses(self, text: str) -> list[Candidate]:
        """US and UK postal addresses by pyap, run only on sentences with a street number and a ZIP/postcode."""
        found = []
        for s, e in sentence_spans(text):
            sentence = text[s:e]
            if not _ADDRESS_HINT.search(sentence):
                continue
            for country in ("US", "GB"):
                for address in _address_pattern(country).finditer(sentence):
                    start, end = s + address.start(), s + address.end()
                    while start < end and text[start].isspace():
                        start += 1
                    company = near(
                        text, start, end, COMPANY_WORDS, Window(before=12, after=6, same_sentence=False)
                    )
                    own = near(
                        text,
                        start,
                        end,
                        OWNER_WORDS | {"lives", "live", "address", "moved"},
                        Window(20, 6, False),
                    )
                    found.append(
                        Candidate(
                            start,
                            end,
                            "HOME_ADDRESS",
                            _SCORE,
                            f"'{text[start:end]}' looks like the postal address of someone else",
                            source=f"a postal address ({country}, pyap)",
                            set_aside=f"an organisation's address ('{company}' near it)"
                            if company and not own
                            else "",
                        )
                    )
        return found


@cache
def _address_pattern(country: str) -> re.Pattern:
    """pyap's address rules for a country, compiled once. `pyap.parse` compiles them through `re`'s cache, and
    phonenumbers' many patterns push them out of it, so each call cost 10-30 ms; the spans are all we use."""
    rules = importlib.import_module(f"pyap.source_{country}.data").full_address
    return re.compile(rules, re.VERBOSE | re.UNICODE)


def card_scheme(digits: str) -> str | None:
    """The scheme whose IIN range and length fit `digits`, or None."""
    for scheme, ranges, lengths in CARD_SCHEMES:
        if len(digits) not in lengths:
            continue
        for low, high in ranges:
            width = len(str(low))
            if low <= int(digits[:width]) <= high:
                return scheme
    return None
