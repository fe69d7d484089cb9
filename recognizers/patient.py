"""Patient recognizer: names in a health or care context, record numbers, NHS numbers, member IDs, DOBs.

A name alone is not patient data; a name beside "room 14", "had a fall" or "DOB" is. So NER runs only on
sentences with such words in or next to them, and clinicians and colleagues are left out by the words in
front of their names.
"""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from discreet.recognizers.names import NameFinder
from discreet.recognizers.text import result, sentence_spans, words

HEALTH_WORDS = frozenset(
    """patient patients resident residents admitted admission discharged discharge diagnosed diagnosis ward
    wards bed beds mrn dob nhs hospital hospice clinic gp nurse nurses carer carers care dementia alzheimer's
    medication medications meds prescription prescriptions allergy allergies allergic chart charts bloods
    blood diabetic diabetes insulin appointment appointments room fall falls end-of-life palliative dental
    dentist hygienist x-ray radiographs radiograph scan therapy physio smear results treatment treatments
    parkinson's parkinson stroke cancer surgery operation pharmacy pharmacist prescribed symptoms illness
    unwell mum dad grandmother grandfather great-grandson daughter son family relatives visiting visitors
    birth health healthcare medical chemo referral referred consultant clinical e-mar mar hygiene periodontal
    hearing blind deaf wheelchair mobility frail dying died passed funeral 90s 100th birthday""".split()
)
CLINICIAN_OR_COLLEAGUE = frozenset(
    """dr doctor nurse prof professor sister matron gp hygienist dentist pharmacist receptionist clinician
    surgeon physio consultant colleague colleagues engineer engineers technician tech thanks thank kudos
    shoutout shout-out manager director ceo cto cio founder analyst lead head boss mp minister president
    author speaker host presenter""".split()
)
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx)\.?"
_NAME = r"[A-Z][\p{Ll}'’\-]+(?:[ \-][A-Z][\p{Ll}'’\-]+){0,2}"
_DATE = (
    r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4}"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
)


class PatientRecognizer(EntityRecognizer):
    """Health data that identifies a patient."""

    NUMBER_PATTERNS = (
        (
            "MEDICAL_RECORD_NUMBER",
            r"(?i:\bMRN|\bmedical record (?:number|no\.?)|\bhospital (?:number|no\.?)|\bpatient (?:id|number|no\.?))"
            r"[\s:#.]*(?P<s>[A-Z]{0,3}-?\d{5,10})\b",
            "a medical record number",
        ),
        (
            "HEALTH_PLAN_MEMBER_ID",
            r"(?i:\b(?:member(?:ship)?|subscriber|policy)(?:\s*(?:id|number|no\.?|#))?)[\s:#.]*"
            r"(?P<s>[A-Z]{0,3}\d{6,12})\b",
            "a health-plan member ID",
        ),
        ("DATE_OF_BIRTH", rf"(?i:\b(?:DOB|D\.O\.B\.?|date of birth|born(?: on)?))[\s:,]*(?P<s>{_DATE})", "a date of birth"),
    )
    _NHS = regex.compile(r"(?<![\w\-])\d{3}([ \-]?)\d{3}\1\d{4}(?![\w\-])")
    _TITLED = regex.compile(rf"\b{_TITLE} (?P<s>{_NAME})")
    _AGED = regex.compile(rf"(?P<s>{_NAME} {_NAME}),? (?:aged )?(?:[5-9]\d|1[01]\d)\b(?!%| ?(?:mins|minutes|%|x))")

    def __init__(self, names: NameFinder):
        self.names = names
        self._numbers = [(e, regex.compile(p), what) for e, p, what in self.NUMBER_PATTERNS]
        super().__init__(
            supported_entities=["PATIENT_NAME", "UK_NHS", *(e for e, _, _ in self.NUMBER_PATTERNS)],
            name="Patient data",
            supported_language="en",
        )

    def load(self) -> None:
        """The NameFinder loads its model on first use."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        found = self._numbered(text)
        sentences = sentence_spans(text)
        health = [_health_words(text[s:e]) for s, e in sentences]
        for i, (start, end) in enumerate(sentences):
            near = health[i] | (health[i - 1] if i else set()) | (health[i + 1] if i + 1 < len(health) else set())
            if near:
                found += self._names(text, start, end, near)
        return found

    def _numbered(self, text: str) -> list[RecognizerResult]:
        found = []
        for entity, pattern, what in self._numbers:
            for m in pattern.finditer(text):
                s, e = m.span("s")
                explanation = f"'{m.group('s')}' is {what}: it identifies a patient"
                found.append(result(entity, s, e, 0.9, self.name, explanation))
        for m in self._NHS.finditer(text):
            if not _nhs_checksum(m.group()):
                continue
            before = words(text[max(0, m.start() - 40) : m.start()])
            if "nhs" in before or _health_words(text[max(0, m.start() - 150) : m.end() + 150]):
                explanation = f"'{m.group()}' is an NHS number (valid check digit): it identifies a patient"
                found.append(result("UK_NHS", m.start(), m.end(), 0.95, self.name, explanation))
        return found

    def _names(self, text: str, start: int, end: int, near: set[str]) -> list[RecognizerResult]:
        sentence = text[start:end]
        spans = {(start + s, start + e) for s, e in self.names.people(sentence)}
        spans |= {(start + m.start("s"), start + m.end("s")) for m in self._TITLED.finditer(sentence)}
        spans |= {(start + m.start("s"), start + m.end("s")) for m in self._AGED.finditer(sentence)}
        found = []
        cue = ", ".join(f"'{w}'" for w in sorted(near)[:3])
        for s, e in sorted(spans):
            s, e = _trim_name(text, s, e)
            if e <= s or not _plausible_name(text, s, e) or _clinician_or_colleague(text, s):
                continue
            explanation = f"'{text[s:e]}' is named in a health or care context (near {cue}): this can identify a patient"
            r = result("PATIENT_NAME", s, e, 0.75, self.name, explanation)
            r.recognition_metadata["from_ner"] = True
            found.append(r)
        return found


def _health_words(text: str) -> set[str]:
    return {w for w in words(text) if w in HEALTH_WORDS or w.rstrip("s") in HEALTH_WORDS}


def _trim_name(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop a possessive, a title, and punctuation NER sometimes leaves on a name."""
    name = text[s:e]
    for suffix in ("'s", "’s", "'", "’"):
        if name.endswith(suffix):
            e -= len(suffix)
            name = text[s:e]
    m = regex.match(rf"{_TITLE}\s+", name)
    if m:
        s += m.end()
    while e > s and not text[e - 1].isalpha():
        e -= 1
    return s, e


def _plausible_name(text: str, s: int, e: int) -> bool:
    parts = text[s:e].split()
    titled = regex.search(rf"\b{_TITLE}\s*$", text[max(0, s - 6) : s]) is not None
    if not parts or len(parts) > 4 or any(not p[0].isupper() or any(c.isdigit() for c in p) for p in parts):
        return False
    return len(parts) >= 2 or titled


def _clinician_or_colleague(text: str, s: int) -> bool:
    before = words(text[max(0, s - 40) : s])[-3:]
    return any(w.rstrip(".") in CLINICIAN_OR_COLLEAGUE for w in before)


def _nhs_checksum(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    check = 11 - sum(d * (10 - i) for i, d in enumerate(digits[:9])) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]
