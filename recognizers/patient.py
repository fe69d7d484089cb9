"""Patient recognizer: names in a health or care context, record numbers, NHS numbers, member IDs, DOBs.

A name alone is not patient data; a name beside "room 14", "had a fall" or "DOB" is. So NER runs only on
sentences with such words in or next to them, and clinicians and colleagues are left out by the words in
front of their names.
"""

from __future__ import annotations

from typing import ClassVar

import regex
from wordfreq import zipf_frequency

from discreet.recognizers.base import Candidate, Recognizer, Rule
from discreet.recognizers.context import Window, near
from discreet.recognizers.names import NameFinder
from discreet.recognizers.text import sentence_spans, word_list, words

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
HEALTH_TERMS = word_list("health_terms.txt")
# Condition names of everyday words ("heart failure", "kidney disease"), from ICD-10-CM category titles by the
# same build script: matched as runs of two or three words.
HEALTH_PHRASE_SET = word_list("health_phrases.txt")
# Clinical shorthand as notes are written: pt, hx, dx, s/p, c/o, w/, an age with yo/y.o., an age with M/F.
SHORTHAND = regex.compile(
    r"\b(?:[Pp]ts?|hx|dx|tx|rx|sx|fx|h/o|s/p|c/o|w/o|prn|bd|bid|tds|tid|qds|qid|nbm|npo|obs|sats|bp|hr|rr)\b(?!-)"
    r"|\bw/(?=\s)|\b\d{1,3}\s?(?:yo|y/o|yrs?\.? old|year[- ]old)\b|\b\d{1,3}\s?y\.o\."
    # An age and a sex ("58F", "72 M"); not a count in millions ("$50M", "10M users").
    r"|(?<![$£€¥.,])\b\d{1,3}\s?(?:yo\s?)?[MF]\b(?!\w|\s+(?:users|downloads|views|rows|records|requests|"
    r"customers|followers|subscribers|visits|impressions|messages|events|lines|parameters|tokens|devices)\b)"
)
# Laboratory results and observations as clinicians abbreviate them, with a value or a state ("K+ 5.9", "INR
# was 3.8", "BNP raised") or asked for ("repeat K+"): a product's "ECG viewer" or "BMI calculator" is not one.
LAB_RESULT = regex.compile(
    r"(?P<ask>\b(?:repeat|recheck|check|chase|send)\s+)?(?<![\w+])(?P<lab>K\+|Na\+|Hb|HbA1c|A1c|INR|CRP|eGFR|"
    r"CrCl|WCC|WBC|BMI|BNP|ECG|EKG|ABG|VBG|LFTs|U&Es|FBC|[Tt]rop|NEWS2)(?![\w+])"
    r"(?(ask)|(?:\s*(?:of|was|is|=|:|now)?\s*[<>~]?\d|\s+(?:raised|elevated|low|high|normal|negative|positive|"
    r"pending|dropping|rising|abnormal|deranged)\b))"
)
# Word endings that only clinical words have: procedures (-ectomy, -otomy, -ostomy, -plasty, -scopy) and
# conditions (-itis, -algia, -opathy). Such a word, if not everyday English, is health context without being
# listed ("appendicectomy", "colonoscopy", "cellulitis").
CLINICAL_ENDING = regex.compile(r"(?:ectomy|otomy|ostomy|plasty|oscopy|itis|algia|opathy)$")
EVERYDAY_ZIPF = 4.0
# British spellings of the vocabulary's (American) words: "hyponatraemia", "oedema", "haemorrhage".
_BRITISH = regex.compile(r"(?<=[a-z])ae|oe(?=[a-z])|^ae|^oe")
# The named person is not the one in care when the care is a cause they raise money for or a memory they
# honour: "running a marathon in memory of her dad, who had dementia".
# Nor is a person who speaks of their own health in public (an interview, a podcast, a memoir, awareness).
PUBLIC_DISCLOSURE = regex.compile(
    r"(?i)\b(?:interviews?|podcasts?|documentary|memoir|autobiography|press conference|fans|awareness|"
    r"went public|publicly|keynote)\b"
)
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
    # A health-plan or patient identifier is about a person in care ("member ID HX-4471902-03").
    r"|\b(?:member|subscriber|beneficiary|medicaid|medicare|patient) (?:id|number|no)\b"
)
# A word right before a name that makes it a clinician's, not a patient's.
CLINICIAN_TITLES = frozenset(
    """dr doctor nurse prof professor sister matron gp hygienist dentist pharmacist surgeon physio consultant
    therapist midwife paramedic""".split()
)
# Words just before a name that make it a colleague's or a public figure's ("thanks to", "our engineer").
COLLEAGUE_BEFORE = frozenset(
    """colleague colleagues engineer engineers technician thanks thank kudos shoutout shout-out manager
    director ceo cto cio founder analyst boss author speaker presenter congratulations congrats""".split()
)
# Words right after a name that announce a change of job: the person is staff ("has been appointed lead nurse").
ROLE_CHANGE_AFTER = frozenset(
    """appointed promoted joins joined joining hired retiring retires retired""".split()
)
# A verb right before a name that sends the reader to that person ("ask Joseph Davies if stuck", "cc Dana").
CONTACT_VERBS = frozenset(["ask", "ping", "cc", "contact", "email", "e-mail", "message", "dm"])
# Words just after a name, with "our" or "my", that place the person at work ("on our side", "our lead").
WORKPLACE_AFTER = frozenset(
    """team side office company staff crew lead leads engineer colleague manager director hired manages built
    runs founded""".split()
)
ORG_WORDS = frozenset(
    """dental care home homes medical centre center surgery practice group ltd limited hospital clinic trust
    school academy lodge court house street road lane health services partners pharmacy nhs""".split()
)
FIRST_NAMES = word_list("first_names.txt")
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx)\.?"
# A department after "from" makes the named person staff speaking for it ("Alexis Long from pharmacy says").
DEPARTMENTS = frozenset(
    """pharmacy radiology pathology microbiology haematology hematology lab labs it hr finance estates outreach
    procurement comms communications informatics admissions theatres theatre management legal payroll
    facilities security catering portering""".split()
)
# An age as notes write it after a name: "58F", "69 y/o", "(40)", or a bare number of an older patient's age.
_AGE = (
    r"(?:aged\s+)?(?:\d{1,3}\s?(?:yo|y/o|y\.o\.|yrs?|years?[- ]old|[MF])\b|\d{1,3}(?=\s?[MF]?\))"
    r"|(?:[5-9]\d|1[01]\d)\b(?!%| ?(?:mins|minutes|%|x)))"
)
# "She's 94", "he is 82": an age said of a person, which makes a given name beside it someone described.
_AGE_STATED = regex.compile(
    r"(?i)\b(?:she|he)(?:'s|’s| is| was)\s+(?:only\s+|now\s+|aged\s+)?\d{1,3}\b"
    r"(?!\s*(?:%|mins|minutes|hours|days|weeks|months|years? (?:in|at|of|with|on|since)))"
)
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
    # (A closing initial: "Michael J. Fox" has a middle one, and NER reads such names whole.)
    _INITIALED = regex.compile(
        r"\b(?!(?:Mr|Mrs|Ms|Miss|Mx|Dr)\b)(?P<s>[A-Z][\p{Ll}'’\-]+ [A-Z]\.)(?!\w| [A-Z][\p{Ll}])"
    )
    _ROLE_NAMED = regex.compile(
        rf"\b{_IN_CARE}\s+(?P<s>[A-Z][\p{{Ll}}'’\-]+(?: [A-Z][\p{{Ll}}'’\-]+| [A-Z]\.)?)"
    )
    _PAIR = regex.compile(r"\b(?P<s>[A-Z][\p{Ll}'’\-]+ [A-Z][\p{Ll}'’\-]+)")
    _BEFORE_ID = regex.compile(
        r"(?P<s>[A-Z][\p{Ll}'’\-]+ [A-Z][\p{Ll}'’\-]+)[^.\n]{0,30}?"
        r"(?:\b(?:DOB|NHS (?:number|no)|MRN|date of birth|member ID|subscriber ID|patient ID|hospital number)\b"
        r"|\b\d{3}[ -]?\d{3}[ -]?\d{4}\b)"
    )
    # A name placed in a bed, bay, cubicle or side room: only a patient is ("Christopher Rose in bay 17").
    # ("Room" alone is left out: meeting rooms are numbered too.)
    _PLACED = regex.compile(
        r"(?P<s>[A-Z][\p{Ll}'’\-]+ [A-Z][\p{Ll}'’\-]+) (?:is |was )?(?:in|on|at|from) "
        r"(?:bed|bay|side[ \-]room|cubicle|cot|incubator) ?#?\d{1,3}[A-Z]?\b"
    )
    # A name, then its age: "Dana Reed, 82", "Keith Bishop (40)", "Moore, Susan - 43yo" (surname first, as
    # lists and handovers write it).
    _AGED = regex.compile(
        rf"(?P<s>{_NAME} {_NAME}|[A-Z][\p{{Ll}}'’\-]+, [A-Z][\p{{Ll}}'’\-]+)(?:,\s*|\s*\(\s*|\s+[-–—]\s+){_AGE}"
    )
    # A given name with its age in brackets or between commas: "Michelle (38) on the stroke unit".
    _GIVEN_AGED = regex.compile(
        r"\b(?P<s>[A-Z][\p{Ll}\-]+)(?:\s*\(\s*|,\s*)(?:aged\s+)?\d{1,3}\s?[MF]?\s*[),]"
    )
    # A given name alone as the one a clinical question is about ("Help with Mary's plan?", "for Mary"),
    # counted only when an age is said of someone beside it ("She's 94 with dementia").
    _GIVEN_ALONE = regex.compile(
        r"(?:\b(?:for|with|re|about|review|reviewing|seeing|see|covering|on)\s+)?"
        r"\b(?P<s>[A-Z][\p{Ll}\-]+)(?P<poss>'s|’s)?(?![\w'’]| [A-Z])"
    )

    def __init__(self, names: NameFinder, context: list[str] | None = None):
        self.names = names
        super().__init__(context=context)

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
        in_context = []
        for start, end, near_words in self._sentences(text):
            if near_words:
                in_context.append((start, end, near_words, self._name_spans(text, start, end, near_words)))
            else:
                found += self._names_out_of_context(text, start, end)
        # One NER batch for every sentence that needs it: far cheaper than a call per sentence.
        self.names.prefetch([text[s:e] for s, e, _, (_, _, ner) in in_context if ner])
        for start, end, near_words, (evident, spans, ner) in in_context:
            if ner:
                spans = spans | {(start + s, start + e) for s, e in self.names.people(text[start:end])}
            names = self._names(text, start, end, near_words, evident, spans)
            found += names + self._locations(text, start, end, names)
        return found

    def _given_names_described(self, text: str, start: int, end: int) -> set[tuple[int, int]]:
        """Given names standing alone that an age describes: written beside it ("Michelle (38)"), or, when
        an age is said of someone in the sentence or the one after ("She's 94"), the object of a question or a
        possessive ("Help with Mary's plan?")."""
        found = {m.span("s") for m in self._GIVEN_AGED.finditer(text, start, end)}
        if _AGE_STATED.search(text, start, min(len(text), end + 120)):
            found |= {
                m.span("s")
                for m in self._GIVEN_ALONE.finditer(text, start, end)
                if m.start("s") > m.start() or m.group("poss")
            }
        return {(s, e) for s, e in found if text[s:e].lower() in FIRST_NAMES}

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

    def _name_spans(
        self, text: str, start: int, end: int, near_words: set[str]
    ) -> tuple[set[tuple[int, int]], set[tuple[int, int]], bool]:
        """The name spans the patterns find in a sentence (those shaped as a patient's, then all), and whether
        NER is needed: only for capitalised words no pattern explains."""
        sentence = text[start:end]
        evident = {
            (start + m.start("s"), start + m.end("s"))
            for pattern in (
                self._TITLED,
                self._AGED,
                self._BEFORE_ID,
                self._PLACED,
                self._INITIALED,
                self._ROLE_NAMED,
            )
            for m in pattern.finditer(sentence)
        }
        spans = set(evident)
        if not _about_a_patient(near_words):
            return evident, spans, False
        evident |= self._given_names_described(text, start, end)
        spans |= evident
        spans |= {
            (start + m.start("s"), start + m.end("s"))
            for m in self._PAIR.finditer(sentence, overlapped=True)
            if _looks_like_full_name(m.group("s"))
        }
        return evident, spans, _unexplained_capital(text, start, end, spans)

    def _names(
        self,
        text: str,
        start: int,
        end: int,
        near_words: set[str],
        evident: set[tuple[int, int]],
        spans: set[tuple[int, int]],
    ) -> list[Candidate]:
        """Every name-like span of a sentence in a health context; set aside, with the reason, when it is not
        a patient's."""
        sentence = text[start:end]
        found = []
        cue = ", ".join(f"'{w}'" for w in sorted(near_words)[:3])
        for s, e in sorted(spans):
            s, e = _trim_name(text, s, e)
            if e <= s:
                continue
            explanation = f"'{text[s:e]}' is named in a health or care context (near {cue}): this can identify a patient"
            if not _plausible_name(text, s, e, alone=(s, e) in evident):
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
    tokens = words(text)
    found = {w for w in tokens if _is_health_word(w)}
    for i in range(len(tokens) - 1):
        found |= {
            p for p in (" ".join(tokens[i : i + 2]), " ".join(tokens[i : i + 3])) if p in HEALTH_PHRASE_SET
        }
    found |= {m.group().lower() for m in SHORTHAND.finditer(text)}
    found |= {m.group("lab").lower() for m in LAB_RESULT.finditer(text)}
    return found | {m.group().lower() for m in HEALTH_PHRASES.finditer(text)}


# A capitalised word or an initial ("Denise", "J."); "CrCl" and "HbA1c" are abbreviations, not words.
_CAPITALISED = regex.compile(r"\b[A-Z](?:[\p{Ll}'’\-]+|\.)(?![\p{L}\d])")
_TITLES = frozenset(["mr", "mrs", "ms", "miss", "mx"])


def _unexplained_capital(text: str, start: int, end: int, spans: set[tuple[int, int]]) -> bool:
    """Whether two capitalised words stand together that no pattern explained. NER is run only then: a name
    it could add on its own is one word, and one word is a name only after a title or a role word, which the
    patterns find."""
    previous = None
    for m in _CAPITALISED.finditer(text, start, end):
        word = m.group().lower().rstrip("'’.")
        word = word[:-2] if word.endswith(("'s", "’s")) else word
        if (
            any(s <= m.start() and m.end() <= e for s, e in spans)
            or word in _TITLES
            or word in CLINICIAN_TITLES
            or word in ORG_WORDS
            or _is_health_word(word)
        ):
            previous = None
            continue
        if previous is not None and text[previous.end() : m.start()] == " ":
            return True
        previous = m
    return False


def _is_health_word(word: str) -> bool:
    """A care or setting word, a word of the vocabulary (American or British spelling) or with a clinical
    ending."""
    if word in PATIENT_WORDS or word in SETTING_WORDS or word in HEALTH_TERMS:
        return True
    if ("ae" in word or "oe" in word) and _BRITISH.sub("e", word) in HEALTH_TERMS:
        return True
    ending = CLINICAL_ENDING.search(word)
    if ending is None or zipf_frequency(word, "en") >= EVERYDAY_ZIPF:
        return False
    # A joke on an everyday word ("meetingitis", "Mondayitis") is not a condition: clinical stems are rare.
    return zipf_frequency(word[: ending.start()], "en") < EVERYDAY_ZIPF


def _care_is_someone_elses(sentence: str, evident: bool) -> str:
    """Why the named person is not the one in care ("" when nothing says so)."""
    if evident:
        return ""
    m = RELATIVE_CARE.search(sentence)
    if m:
        return f"the care is someone else's ('{m.group()}'): the named person is not the patient"
    m = PUBLIC_DISCLOSURE.search(sentence)
    return f"a person speaking of their own health in public ('{m.group()}'), not a patient" if m else ""


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
    first = regex.match(r"(\w+)\s+(?=\w+\s+\w)", text[s:e])
    if first and first.group(1).lower() not in FIRST_NAMES and zipf_frequency(first.group(1), "en") >= 4.5:
        s += first.end()  # a capitalised word that opens a question ("Does Keith Bishop"), not a name's
    while e > s and not text[e - 1].isalpha():
        e -= 1
    if e < len(text) and text[e] == "." and e - s >= 3 and text[e - 2] == " " and text[e - 1].isupper():
        e += 1  # keep the full stop of a closing initial ("Dana R.")
    return s, e


def _plausible_name(text: str, s: int, e: int, alone: bool = False) -> bool:
    """Two to four capitalised words, none of them an organisation word; one will do after a title, or
    (`alone`) a given name a pattern found described."""
    parts = text[s:e].split()
    titled = regex.search(rf"\b(?:{_TITLE}|{_IN_CARE})\s*$", text[max(0, s - 14) : s]) is not None
    if not parts or len(parts) > 4 or any(not p[0].isupper() or any(c.isdigit() for c in p) for p in parts):
        return False
    if any(p.lower().strip("'’") in ORG_WORDS for p in parts):
        return False
    return len(parts) >= 2 or titled or alone


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
    if before and before[-1] in CONTACT_VERBS and not regex.search(rf"{_TITLE}\s*$", text[max(0, s - 6) : s]):
        return f"a colleague: the one to '{before[-1]}' is staff, not a patient"
    following = words(text[e : e + 40])[:3]
    if following[:1] == ["from"] and DEPARTMENTS & set(following[1:]):
        return f"a colleague: named with a department ('from {following[-1]}')"
    announced = ROLE_CHANGE_AFTER & set(words(text[e : e + 40])[:3])
    if announced:
        return f"a colleague: a change of job is announced ('{sorted(announced)[0]}')"
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
