"""Patient recognizer: names in a health or care context, record numbers, NHS numbers, member IDs, DOBs.

A name alone is not patient data; a name beside "room 14", "had a fall" or "DOB" is. So NER runs only on
sentences with such words in or next to them, and clinicians and colleagues are left out by the words in
front of their names.
"""

from __future__ import annotations

from importlib.resources import files
from typing import ClassVar

import regex
from wordfreq import zipf_frequency

from discreet.recognizers.base import Candidate, Recognizer, Rule
from discreet.recognizers.context import Window, near
from discreet.recognizers.names import NameFinder
from discreet.recognizers.text import sentence_spans, words

# Words about a patient: one of them near a name makes it patient data.
PATIENT_WORDS = frozenset(
    """patient patients resident residents admitted admission discharged discharge diagnosed diagnosis ward
    wards mrn dob carer carers dementia alzheimer's medication medications meds prescription
    prescriptions allergy allergies allergic chart charts bloods insulin diabetic diabetes appointment
    appointments end-of-life palliative x-ray radiographs radiograph therapy smear treatment parkinson's
    stroke cancer chemo prescribed symptoms unwell referral e-mar periodontal blind deaf wheelchair
    frail nicu scbu neonatal incubator preemie premature newborn icu a&e er triage inpatient outpatient
    post-op pre-op surgery biopsy scan mri ct diagnosed sepsis infection fracture asthma copd ckd chf
    afib dvt uti hypertension seizure seizures overdose dialysis transfusion ventilator oxygen vitals
    obs sats""".split()
)
# The health vocabulary: rare words of ICD-10-CM condition descriptions and of a drug lexicon, built once by
# data/build_health_terms.py (the source packages take seconds to import; this file loads in milliseconds).
HEALTH_TERMS = frozenset(
    line
    for line in files("discreet.recognizers")
    .joinpath("data/health_terms.txt")
    .read_text("utf-8")
    .splitlines()
    if line and not line.startswith("#")
)
# Clinical shorthand as notes are written: pt, hx, dx, s/p, c/o, w/, an age with yo/y.o., an age with M/F.
SHORTHAND = regex.compile(
    r"(?:pts?|hx|dx|tx|rx|sx|fx|h/o|s/p|c/o|w/o|prn|bd|bid|tds|tid|qds|qid|nbm|npo|obs|sats|bp|hr|rr)(?!-)"
    r"|w/(?=\s)|\d{1,3}\s?(?:yo|y/o|y\.o\.|yrs?\.? old|year[- ]old)|\d{1,3}\s?(?:yo\s?)?[MF](?!\w)"
)
# The named person is not the one in care when the care is a cause they raise money for or a memory they
# honour: "running a marathon in memory of her dad, who had dementia".
RELATIVE_CARE = regex.compile(
    r"(?i)\b(?:in (?:loving )?memory of|in honou?r of|raising (?:money|funds)|fundrais\w*|marathon|charity|"
    r"sponsor(?:ed|ing)?)\b"
)
# Words about a care setting: near a name they are not enough on their own (a panel speaker at a hospital),
# only with more evidence that the name is a patient's (a title, an age, an identifier right after it).
SETTING_WORDS = frozenset(
    """hospice nhs hospital clinic gp nurse nurses dental dentist dentists hygienist physio pharmacy pharmacist
    healthcare medical clinical care-home carehome surgery""".split()
)
# Words rarer than this (Zipf scale) in English text are most likely names.
RARE_WORD_ZIPF = 3.0
# Phrases that place a person in care: "room 14", "bed 4", "had a fall", "care plan".
HEALTH_PHRASES = regex.compile(
    r"(?i)\b(?:room|bed|bay) \d{1,3}\b|\b(?:a|the) fall\b|\bfalls?\b (?:sensor|alarm|alert)|\bcare (?:plan|notes|record)\b|\bblood (?:pressure|test)"
    r"|\bfor (?:her|his|their) \d{1,2}(?:[:.]\d{2})?\s?(?:am|pm)\b"
)
# A word right before a name that makes it a clinician's, not a patient's.
CLINICIAN_TITLES = frozenset(
    """dr doctor nurse prof professor sister matron gp hygienist dentist pharmacist surgeon physio consultant
    therapist midwife paramedic""".split()
)
# Words just before a name that make it a colleague's or a public figure's ("thanks to", "our engineer").
COLLEAGUE_BEFORE = frozenset(
    """colleague colleagues engineer engineers technician thanks thank kudos shoutout shout-out manager
    director ceo cto cio founder analyst boss author speaker presenter""".split()
)
# Words just after a name, with "our" or "my", that place the person at work ("on our side", "our lead").
WORKPLACE_AFTER = frozenset(
    """team side office company staff crew lead leads engineer colleague manager director hired manages built
    runs founded""".split()
)
ORG_WORDS = frozenset(
    """dental care home homes medical centre center surgery practice group ltd limited hospital clinic trust
    school academy lodge court house street road lane health services partners pharmacy nhs""".split()
)
FIRST_NAMES = frozenset(
    line.strip()
    for line in files("discreet.recognizers").joinpath("data/first_names.txt").read_text("utf-8").splitlines()
    if line and not line.startswith("#")
)
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx)\.?"
_NAME = r"(?:[A-Z]\.? )?[A-Z][\p{Ll}'’\-]+(?:[ \-][A-Z][\p{Ll}'’\-]+){0,2}"
# Words that say the name after them is a person in care ("resident Doris", "baby Amelia", "pt Dana R.").
_IN_CARE = r"(?:[Rr]esident|[Pp]atient|[Pp]t|[Bb]aby|[Ss]ervice user|[Cc]lient|[Ii]nfant|[Nn]ewborn)"
_DATE = (
    r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b"
    r"|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}\b"
    r"|(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?[\s\-]+(?:\d{4}|'\d{2})"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:\d{4}|'\d{2})"
)
# A care location: with a patient named beside it, it says where that person is.
_LOCATION = regex.compile(
    r"(?i)\b(?:side[ \-]room|bed|bay|room|rm|cubicle|cot|incubator|pod)\s?#?\d{1,3}[A-Z]?\b"
)


class PatientRecognizer(Recognizer):
    """Health data that identifies a patient."""

    NAME = "Patient data"
    RULES: ClassVar[tuple[Rule, ...]] = (
        Rule(
            "MEDICAL_RECORD_NUMBER",
            "a medical record number",
            r"(?i:\bMRN|\bmedical record (?:number|no\.?)|\bhospital (?:number|no\.?)|\bpatient (?:id|number|no\.?))"
            r"[\s:#.]*(?P<s>(?=[A-Z0-9\-]*\d{5})[A-Z0-9]{1,4}(?:-?[A-Z0-9]{2,12}){0,3})\b",
            0.9,
        ),
        Rule(
            "HEALTH_PLAN_MEMBER_ID",
            "a health-plan member ID",
            # Any format insurers use ("HX-4471902-03", "W123456789", "ABC 123 456 789"), after the words.
            r"(?i:\b(?:member(?:ship)?|subscriber|insurance|insured|beneficiary|medicaid|medicare|policy|"
            r"plan|group)\s*(?:id|number|no\.?|num|#)|\b(?:member|subscriber)\b)[\s:#.]*"
            r"(?P<s>(?=[A-Z0-9\- ]*\d{5})[A-Z0-9]{1,12}(?:[\- ][A-Z0-9]{2,12}){0,4}(?<=\d|[A-Z]))\b",
            0.9,
        ),
        Rule(
            "DATE_OF_BIRTH",
            "a date of birth",
            rf"(?i:\b(?:DOB|D\.O\.B\.?|date of birth|born(?: on)?))[\s:,]*(?P<s>{_DATE})",
            0.9,
        ),
        Rule(
            "UK_NHS",
            "an NHS number (valid check digit)",
            r"(?<![\w\-])\d{3}([ \-]?)\d{3}\1\d{4}(?![\w\-])",
            0.95,
            "nhs_number",
        ),
    )
    _TITLED = regex.compile(rf"\b{_TITLE} (?P<s>{_NAME})")
    # A given name and an initial ("Dana R."), or a role word and a name ("resident Doris", "baby Amelia").
    _INITIALED = regex.compile(r"\b(?!(?:Mr|Mrs|Ms|Miss|Mx|Dr)\b)(?P<s>[A-Z][\p{Ll}'’\-]+ [A-Z]\.)(?!\w)")
    _ROLE_NAMED = regex.compile(
        rf"\b{_IN_CARE}\s+(?P<s>[A-Z][\p{{Ll}}'’\-]+(?: [A-Z][\p{{Ll}}'’\-]+| [A-Z]\.)?)"
    )
    _PAIR = regex.compile(r"\b(?P<s>[A-Z][\p{Ll}'’\-]+ [A-Z][\p{Ll}'’\-]+)")
    _BEFORE_ID = regex.compile(
        r"(?P<s>[A-Z][\p{Ll}'’\-]+ [A-Z][\p{Ll}'’\-]+)[^.\n]{0,30}?"
        r"(?:\b(?:DOB|NHS (?:number|no)|MRN|date of birth|member ID|patient ID|hospital number)\b|\b\d{3}[ -]?\d{3}[ -]?\d{4}\b)"
    )
    _AGED = regex.compile(
        rf"(?P<s>{_NAME} {_NAME}),? (?:aged )?(?:[5-9]\d|1[01]\d)\b(?!%| ?(?:mins|minutes|%|x))"
    )

    def __init__(self, names: NameFinder, context: list[str] | None = None):
        self.names = names
        super().__init__(context=context)

    def entities(self) -> list[str]:
        return ["PATIENT_NAME"]

    def explain(self, shown: str, rule: Rule) -> str:
        return f"'{shown}' is {rule.name}: it identifies a patient"

    def nhs_number(self, text: str, m: regex.Match) -> str | None:
        if not _nhs_checksum(m.group()):
            return "ten digits, but the NHS check digit does not match"
        if near(text, m.start(), m.end(), {"nhs"}, Window(before=6, after=0, same_sentence=False)):
            return None
        if _health_words(text[max(0, m.start() - 150) : m.end() + 150]):
            return None
        return "a valid NHS check digit, but no NHS, health or care word near"

    def candidates(self, text: str) -> list[Candidate]:
        found = super().candidates(text)
        for start, end, near_words in self._sentences(text):
            if near_words:
                names = self._names(text, start, end, near_words)
                found += names + self._locations(text, start, end, names)
            else:
                found += self._names_out_of_context(text, start, end)
        return found

    def _locations(self, text: str, start: int, end: int, names: list[Candidate]) -> list[Candidate]:
        """Bed, bay, room, cubicle N in a sentence that names a patient: where that person is."""
        patients = [c for c in names if not c.set_aside]
        found = []
        for m in _LOCATION.finditer(text, start, end):
            beside = next(
                (c for c in patients if abs(c.start - m.end()) < 60 or abs(m.start() - c.end) < 60), None
            )
            found.append(
                Candidate(
                    m.start(),
                    m.end(),
                    "CARE_LOCATION",
                    0.75 if beside else 0.0,
                    f"'{m.group()}' places a named patient: with the name it identifies them",
                    source="a care location beside a patient's name",
                    set_aside="" if beside else "no patient named beside it",
                )
            )
        return found

    def _names_out_of_context(self, text: str, start: int, end: int) -> list[Candidate]:
        """Full names in a sentence with no health word near, set aside (shown by `explain`; no NER is run)."""
        return [
            Candidate(
                start + m.start("s"),
                start + m.end("s"),
                "PATIENT_NAME",
                0.0,
                f"'{m.group('s')}' is a person's name",
                source="a name",
                set_aside="no health or care word in its sentence or the ones beside it",
                from_ner=True,
            )
            for m in self._PAIR.finditer(text[start:end])
            if m.group("s").split()[0].lower() in FIRST_NAMES
        ]

    def _sentences(self, text: str):
        """Each sentence with the health or care words in it and in the sentences either side."""
        sentences = sentence_spans(text)
        health = [_health_words(text[s:e]) for s, e in sentences]
        for i, (start, end) in enumerate(sentences):
            near_words = (
                health[i]
                | (health[i - 1] if i else set())
                | (health[i + 1] if i + 1 < len(health) else set())
            )
            yield start, end, near_words

    def _names(self, text: str, start: int, end: int, near_words: set[str]) -> list[Candidate]:
        """Every name-like span of a sentence in a health context; set aside, with the reason, when it is not
        a patient's."""
        sentence = text[start:end]
        evident = {
            (start + m.start("s"), start + m.end("s"))
            for pattern in (self._TITLED, self._AGED, self._BEFORE_ID, self._INITIALED, self._ROLE_NAMED)
            for m in pattern.finditer(sentence)
        }
        spans = set(evident)
        if _about_a_patient(near_words):
            spans |= {(start + s, start + e) for s, e in self.names.people(sentence)}
            spans |= {
                (start + m.start("s"), start + m.end("s"))
                for m in self._PAIR.finditer(sentence, overlapped=True)
                if _looks_like_full_name(m.group("s"))
            }
        found = []
        cue = ", ".join(f"'{w}'" for w in sorted(near_words)[:3])
        for s, e in sorted(spans):
            s, e = _trim_name(text, s, e)
            if e <= s:
                continue
            explanation = f"'{text[s:e]}' is named in a health or care context (near {cue}): this can identify a patient"
            if not _plausible_name(text, s, e):
                why = "not shaped like a person's name (2 to 4 capitalised words, no word such as 'Lodge' or 'Dental')"
            else:
                why = _clinician_or_colleague(text, s, e) or _care_is_someone_elses(
                    sentence, (s, e) in evident
                )
            found.append(
                Candidate(
                    s,
                    e,
                    "PATIENT_NAME",
                    0.0 if why else 0.75,
                    explanation,
                    source=f"a name near {cue}",
                    set_aside=why,
                    from_ner=True,
                )
            )
        return found


def _health_words(text: str) -> set[str]:
    found = {w for w in words(text) if w in PATIENT_WORDS or w in SETTING_WORDS or w in HEALTH_TERMS}
    found |= {m.group().lower() for m in SHORTHAND.finditer(text)}
    return found | {m.group().lower() for m in HEALTH_PHRASES.finditer(text)}


def _care_is_someone_elses(sentence: str, evident: bool) -> str:
    """Why the named person is not the one in care ("" when nothing says so)."""
    m = None if evident else RELATIVE_CARE.search(sentence)
    return f"the care is someone else's ('{m.group()}'): the named person is not the patient" if m else ""


def _about_a_patient(near: set[str]) -> bool:
    """Whether the words near a name speak of a patient, not only of a care setting or a numbered room (a
    meeting room is one too): those need a title, an age or an identifier by the name."""
    return any(w not in SETTING_WORDS and not _LOCATION.fullmatch(w) for w in near)


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
    if e < len(text) and text[e] == "." and e - s >= 3 and text[e - 2] == " " and text[e - 1].isupper():
        e += 1  # keep the full stop of a closing initial ("Dana R.")
    return s, e


def _plausible_name(text: str, s: int, e: int) -> bool:
    """Two to four capitalised words, none of them an organisation word; one will do after a title."""
    parts = text[s:e].split()
    titled = regex.search(rf"\b(?:{_TITLE}|{_IN_CARE})\s*$", text[max(0, s - 14) : s]) is not None
    if not parts or len(parts) > 4 or any(not p[0].isupper() or any(c.isdigit() for c in p) for p in parts):
        return False
    if any(p.lower().strip("'’") in ORG_WORDS for p in parts):
        return False
    return len(parts) >= 2 or titled


def _looks_like_full_name(pair: str) -> bool:
    """A known given name and a surname, or two words too rare in English to be anything but names."""
    given, family = (w.lower() for w in pair.split())
    if given in FIRST_NAMES:
        return True
    return all(zipf_frequency(w, "en") < RARE_WORD_ZIPF for w in (given, family))


def _clinician_or_colleague(text: str, s: int, e: int) -> str:
    """Why the name is a clinician's or a colleague's ("" when nothing says so): a title, or work words."""
    before = words(regex.split(r"[.!?\n]", text[max(0, s - 40) : s])[-1])
    if before and before[-1].rstrip(".") in CLINICIAN_TITLES:
        return f"a clinician: the title '{before[-1]}' comes before it"
    first = words(text[s:e])[:1]
    if first and first[0] in CLINICIAN_TITLES:
        return f"a clinician: it starts with the title '{first[0]}'"
    after = set(words(text[e : e + 60])[:8])
    if {"our", "my"} & after and WORKPLACE_AFTER & after:
        cues = sorted(({"our", "my"} | WORKPLACE_AFTER) & after)
        return f"a colleague: work words follow it ({', '.join(cues)})"
    cues = sorted(COLLEAGUE_BEFORE & set(before[-4:]))
    return f"a colleague or public figure: '{cues[0]}' comes before it" if cues else ""


def _nhs_checksum(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    check = 11 - sum(d * (10 - i) for i, d in enumerate(digits[:9])) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]
