"""Tone: a sentence that vents at a client, the poster's employer or its leadership, a manager, or colleagues.

Venting, not a leaked name, is how most people lose a job over a post. A sentence vents when words of contempt,
anger, blame or sarcasm are aimed at a work relationship. So this family finds two things and ties them:
*targets* (its context words — client, customer, boss, management, colleagues … — possessive phrases such as
"their CIO" or "my team", and any name the policy's client recognizers find) and *cues* (its RULES: insults,
blame, anger, sarcasm, profanity from better-profanity's list, and VADER's strongly negative words). A cue
counts for the target it is nearest to in its sentence; one nearer to "I"/"me" is a joke at the writer's own
expense. Frames that make harsh words harmless are set aside with the reason: a lessons-learned or training
frame, grief, thanks, an enthusiastic idiom ("killing it"), words inside quotation marks.

A lexical approach rather than a dependency parse: the parser would add spaCy's parse to every changed
paragraph (see bench/bench_tone.py for both costs) and posts are short enough for nearest-referent to hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import ClassVar

import regex
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
from wordfreq import zipf_frequency

from discreet.recognizers.base import REGEX_TIMEOUT_SECONDS, Candidate, Recognizer, Rule
from discreet.recognizers.context import Window
from discreet.recognizers.text import previous_word, sentence_spans, words

ENTITY = "TONE"
_FLAGS = regex.IGNORECASE
SCORE = 0.7
ADVICE = "Wait an hour before you post it, and say what you learned rather than who failed."

# Cue kinds. Strong cues vent on their own when aimed at a target; weak ones (sarcasm markers, irony emoji,
# VADER's negative words) need a second weak cue in the same sentence.
STRONG = {"insult", "blame", "anger", "profanity", "closer"}
ANGER = "anger"  # "I hate my boss": the feeling's target follows it, the feeler ("I") is not the target

_TARGET_KINDS: dict[str, str] = {
    # word -> kind; a trailing "s" (plural) is accepted by the target pattern.
    **dict.fromkeys("client customer stakeholder procurement".split(), "client"),
    **dict.fromkeys(
        "boss manager management leadership exec execs executive executives c-suite ceo cto cfo cio coo "
        "director vp board hr employer company organisation organization corporate head-office higher-ups "
        "higher-up".split(),
        "employer",
    ),
    **dict.fromkeys(
        "colleague co-worker coworker teammate team dev devs developer developers engineer engineers sales "
        "salespeople pm intern contractor peer peers".split(),
        "colleagues",
    ),
}
_TARGET_LABELS = {
    "client": "a client",
    "employer": "your employer or its leadership",
    "colleagues": "colleagues",
}
_MANAGER_WORDS = frozenset({"boss", "manager"})
# Words that make "the company", "the board", "the team" etc. a workplace reference only with a possessive or
# determiner in front ("a team" of researchers is no one's colleagues).
_NEEDS_DETERMINER = frozenset(
    "company board director team sales peer peers engineer engineers developer developers organisation "
    "organization corporate dev devs pm intern contractor management exec execs executive executives".split()
)
_DETERMINER = (
    r"(?:my|our|their|the|this|that|these|those|your|his|her|a|an|one|every|some|senior|upper|middle|top)"
)
_DEFINITE = frozenset("my our their the this that these those your his her senior upper middle top".split())
# "customer service" and "client portal" are a vendor's desk and software; "thought leadership" is a genre.
_NOT_A_TARGET = regex.compile(
    r"^(?:customer|client)s?\s+(?:service|support|care|experience|success|portal|side|app|software|library|"
    r"certificate|machine|device|os)|thought\s+leadership",
    regex.IGNORECASE,
)
_FUNCTION_WORDS = frozenset(
    "of by from with at to and or but because when why how that so if is are was were blame blames trust "
    "told tell ask asked hate love thanks".split()
)
# A sentence whose subject is left out ("Clueless about backups.") is about the target of the one before.
_OWN_SUBJECT = frozenset("i i'm i’m we we're we’re you it this that there here my our".split())
# Cues that end in a verb whose object says what the complaint is ("can't read" -> "can't read a Gantt chart").
_WANTS_OBJECT = frozenset("read spell tell organise organize manage credit know".split())
_PHRASE_STOPS = frozenset("because and but so when while after before since then their they we i".split())
_TOKEN = regex.compile(r"\p{L}[\p{L}'’-]*")
_BY = regex.compile(r"\s+by\s+", regex.IGNORECASE)
_PRONOUN = regex.compile(r"\b(?:they|them|their|he|him|his|she|her)\b", regex.IGNORECASE)
_SELF = regex.compile(r"\b(?:I|I'm|I’m|I've|I’ve|me|myself|my\s+own)\b")

_INSULT = (
    r"clueless|incompeten(?:t|ce)|useless|idiot(?:s|ic)?|moron(?:s|ic)?|muppets?|numpt(?:y|ies)|clowns?|"
    r"amateur(?:s|ish)?|pathetic|laughable|a\s+(?:complete\s+|total\s+|bad\s+)?joke|shambol(?:es|ic)|"
    r"circus|dumpster\s+fire|garbage|rubbish|lazy|rude|entitled|ungrateful|spineless|gutless|toxic|"
    r"arrogant|condescending|brain-?dead|half-?wits?|dim-?wits?|dinosaurs?|hopeless|awful\s+to\s+work\s+with|"
    r"impossible\s+to\s+work\s+with|(?:worst|nightmare)\s+(?:client|customer|boss|manager|colleague|team)s?|"
    r"can(?:'|’)?t\s+(?:even\s+)?read|cannot\s+read|can(?:'|’)?t\s+(?:even\s+)?(?:spell|organi[sz]e|manage)|"
    r"couldn(?:'|’)?t\s+organi[sz]e|can(?:'|’)?t\s+tell\s+(?:the\s+difference|[\w-]+(?:\s+[\w-]+)?\s+from)|(?:no|zero)\s+(?:idea|clue)|(?:haven(?:'|’)?t|don(?:'|’)?t|doesn(?:'|’)?t)\s+"
    r"(?:got\s+|have\s+)?a\s+clue|wouldn(?:'|’)?t\s+know|micro-?manag\w*|gaslight\w*|power-?trip\w*|"
    r"(?:has|have)\s+no\s+(?:spine|idea|respect)|ridiculous|absurd|embarrassing|a\s+disgrace|disgraceful|"
    r"treat(?:s|ed)?\s+(?:us|staff|people|engineers)\s+like|hypocri\w+|liabilit(?:y|ies)|liars?|cheapskates?|"
    r"(?:so\s+)?bad\s+at\s+(?:your|their|his|her)\s+jobs?|long\s+hard\s+look\s+at\s+themselves|"
    r"should(?:n(?:'|’)?t|\s+not)\s+be\s+allowed\s+near|disrespect\w*|shouting\s+into\s+the\s+void|"
    r"(?:takes?|took|taking)\s+(?:any|no)\s+responsibility|no\s+accountability|(?:shout|scream|yell|swor)(?:ed|s|ing)?\s+at\s+(?:me|us|my|our)"
)
_BLAME = (
    r"(?:thrown|threw|throw(?:s|ing)?)\s+(?:us|me|the\s+team|my\s+team|our\s+team|everyone)\s+under\s+the\s+bus|"
    r"under\s+the\s+bus|t(?:ook|akes?|aking)\s+(?:the\s+|all\s+the\s+)?credit|blam(?:ed|es|ing)\s+(?:us|me|"
    r"the\s+team|my\s+team|our\s+team|everyone)|scapegoat\w*|pass(?:ed|es)?\s+the\s+buck|hung\s+(?:us|me)\s+"
    r"out\s+to\s+dry|thr(?:ew|own)\s+(?:it\s+)?out|(?:ignor|refus)(?:ed|es|ing)\s+(?:my|our|every|all|the)\s+\w+|"
    r"never\s+(?:listen|read|repl(?:y|ie)|approv|answer|respond|turn(?:s|ed)?\s+up|show(?:s|ed)?\s+up)\w*|"
    r"did(?:n't|n’t|\s+not)\s+(?:bother|read|listen|approve)|can(?:'|’)?t\s+be\s+bothered|"
    r"couldn(?:'|’)?t\s+be\s+bothered|(?:doesn|don)(?:'|’)?t\s+(?:read|listen|care)|"
    r"zero\s+(?:respect|accountability|communication)|moved\s+the\s+goal\s*posts"
)
_EXASPERATION = (
    r"still\s+(?:can|doesn|don|won|hasn|haven|isn|didn|aren)(?:'|’)?t|(?:for|with)\s+no\s+(?:reason|warning|notice)|"
    r"(?:every|each)\.?\s+(?:single\.?\s+)?(?:time|day|week|month|call|ticket)|funny\s+how|(?:how|why)\s+(?:hard|difficult)\s+is\s+it|seriously\?|"
    r"asking\s+why|(?:last|final)\s+minute|out\s+of\s+hours|at\s+the\s+weekend|on\s+a\s+weekend"
)
_ANGER = (
    r"hate|loathe|can(?:'|’)?t\s+stand|cannot\s+stand|(?:sick|tired)(?:\s+and\s+tired)?\s+of|"
    r"sick\s+to\s+death\s+of|fed\s+up|done\s+with|had\s+it\s+with|furious|livid|seething|fuming|"
    r"pissed\s+off|so\s+angry|raging|rage"
)
_SARCASM = (
    r"(?:love|loving|adore)\s+(?:it\s+)?(?:when|how)|(?:gotta|got\s+to|have\s+to|you\s+have\s+to)\s+love|"
    r"nothing\s+(?:says|like|beats)|thanks\s+for\s+nothing|oh\s+(?:great|good|joy|brilliant|wonderful)|"
    r"because\s+of\s+course|what\s+a\s+surprise|shocker|surprise,?\s+surprise|cool\s+cool|genius\s+move|"
    r"yet\s+again|once\s+again|for\s+the\s+(?:third|fourth|fifth|tenth|nth|\d+(?:rd|th))\s+time|"
    r"at\s+(?:1[0-2]|[1-9])(?::\d\d)?\s*(?:pm|am)|midnight|on\s+a\s+(?:sunday|saturday|friday\s+night)|"
    r"apparently|love\s+that\s+for\s+(?:us|me)|(?:such|what)\s+a\s+treat|living\s+the\s+dream|"
    r"(?!)"
)
# A sentence that is nothing but a sarcastic verdict on what the sentence before said a target did.
_CLOSER = (
    r"(?:(?<=^|[.!?]\s+|\n\s*)(?:genius(?:\s+move)?|priorities|funny\s+how\s+that\s+works|ok(?:ay)?\s+then|"
    r"you\s+(?:cannot|can(?:'|’)?t|could\s*n(?:'|’)?t)\s+make\s+(?:this|it)\s+up|"
    r"tells\s+you\s+everything|the\s+absolute\s+state(?:\s+of\s+it)?|thanks\s+guys|unreal|unbelievable|"
    r"own\s+it|what\s+a\s+time\s+to\s+be\s+alive)(?:[.!]+(?=\s|$)|[ \t]*$))"
)
_IRONY_EMOJI = "[🙃🙄🤡🤦😒🥴🫠]"
_CENSORED = r"\b(?:f[\*#@!]+k\w*|sh[\*#@!]+t\w*|f[\*#@!]{2,}\w*|s[\*#@!]{3}|(?:wtf|ffs|fml)\b)"
# better-profanity's list holds ordinary words ("three", "stroke", "organ"): only its entries that are rare in
# ordinary English (wordfreq) or that VADER rates negative are swearing. Of those, these are ordinary at work
# ("kill" a process, a "screwed" bracket) or in health IT (drug names, anatomy).
_NOT_PROFANE = frozenset(
    "kill killed killing screw screwed screwing hell damn murder drunk heroin valium rectum clitoris uzi "
    "transsexual panty".split()
)
_RARE_ZIPF = 3.0
# VADER's negative words that describe incidents, risk or sympathy in IT posts, not an attitude to a person.
_NOT_A_TONE_WORD = frozenset(
    "fail failed failing failure failures crash crashed crashing problem problems issue issues risk risks risky "
    "lost lose loss losses attack attacks attacked breach breached threat threats vulnerable vulnerability "
    "error errors bug bugs broke broken break outage outages down downtime struggle struggling struggled "
    "hard difficult tough challenge challenges challenging pressure stress stressed worried worry concern "
    "concerns concerned urgent emergency sorry sad miss missed missing pain painful hurt sick ill cancer "
    "death died dead die dying grief loss mourning fraud scam scams phishing ransomware malware virus "
    "criminal criminals hackers hacker stolen steal theft panic fear afraid scared alarm alarms warning "
    "warnings fire fires fired no not never nobody limited limit low slow delay delayed delays cancel "
    "cancelled canceled block blocked blocking bad worse worst ugh damage damaged destroy destroyed war "
    "fight fighting battle killing kill brutal insane crazy mad wild hell damn bloody distress "
    "distressed disturbed disturbing trauma victim victims injury injured accident".split()
)
# Harsh words that are praise in work posts; they are blanked out before cues are looked for.
_IDIOMS = regex.compile(
    r"\b(?:kill(?:ing|ed|s)?\s+it|crush(?:ing|ed)?\s+it|smash(?:ing|ed)\s+it|nail(?:ing|ed)\s+it|"
    r"insane(?:ly)?\s+(?:results?|numbers|growth|good|fast|proud|talented|quick)|sick\s+(?:results?|demo|build)|"
    r"brutal(?:ly)?\s+(?:week|month|quarter|sprint|deadline|day|year|honest)|mad\s+respect|"
    r"(?:wicked|stupid|ridiculously|absurdly|crazy|insanely|bloody|damn|seriously)\s+(?:good|fast|proud|"
    r"simple|great|brilliant|impressive|talented|quick|well)|hell\s+of\s+a|no-?brainer|killer\s+\w+|"
    r"to\s+die\s+for|no\s+idea\s+how\s+(?:much|grateful|happy|proud|good|lucky|excited|glad)|obsessed\s+with|beast\s+mode|dying\s+to|in\s+a\s+good\s+way|"
    r"(?:hate|hated)\s+to\s+(?:say|admit|brag|see)|(?:sick|tired)\s+of\s+(?:waiting|sitting)|"
    r"can(?:'|’)?t\s+stand\s+still|nothing\s+like\s+a\s+(?:good|great|proper))\b",
    regex.IGNORECASE,
)
_QUOTED = regex.compile(r"\"[^\"\n]{2,}\"|“[^”\n]{2,}”|‘[^’\n]{4,}’")
_FRAMES = (
    (
        "a lessons-learned or training frame",
        regex.compile(
            r"\b(?:lessons?\s+(?:I\s+|we\s+)?learn(?:ed|t)|what\s+(?:I|we|it)\s+(?:learn(?:ed|t)|taught)|"
            r"taught\s+(?:me|us)|lessons?|training|trainees?|role-?play\w*|de-?escalat\w*|how\s+(?:to|we|I)\s+"
            r"(?:handle|respond|deal)|takeaways?|coaching|the\s+lesson|new\s+starters?|onboarding\s+session)\b",
            regex.IGNORECASE,
        ),
    ),
    (
        "grief",
        regex.compile(
            r"\b(?:passed\s+away|funeral|rest\s+in\s+peace|RIP|in\s+memory|condolences|griev\w+|grief|"
            r"we\s+lost|lost\s+(?:our|my|a)\s+(?:dear\s+)?(?:colleague|friend|teammate|manager|boss)|"
            r"memorial|obituary|miss\s+(?:him|her|them)\s+(?:so|dearly|every))\b",
            regex.IGNORECASE,
        ),
    ),
)
_THANKS = regex.compile(
    r"\b(?:thank(?:s|\s+you)|grateful|gratitude|shout-?out|kudos|hats\s+off|props\s+to|appreciate)\b",
    regex.IGNORECASE,
)
_CLAUSE_BREAK = regex.compile(r"\s*(?:[;:—–]|\s-\s|,\s+(?=but\b|so\b|and\s+then\b|which\b))\s*")


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    kind: str  # client / employer / manager / colleagues, or "self"
    word: str
    named: bool = False  # a client the policy's client recognizers found by name


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    kind: str


def _profanity_words(lexicon: dict[str, float]) -> frozenset[str]:
    listed = files("better_profanity").joinpath("profanity_wordlist.txt").read_text("utf-8").splitlines()
    entries = {w.strip().lower() for w in listed if w.strip()}
    return frozenset(
        w for w in entries - _NOT_PROFANE if zipf_frequency(w, "en") < _RARE_ZIPF or lexicon.get(w, 0.0) < 0
    )


def _vader() -> tuple[SentimentIntensityAnalyzer, frozenset[str]]:
    analyzer = SentimentIntensityAnalyzer()
    negative = frozenset(
        w
        for w, v in analyzer.lexicon.items()
        if v <= -1.5 and w.isalpha() and w not in _NOT_A_TONE_WORD and len(w) > 2
    )
    return analyzer, negative


def _alternation(items: Iterable[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(items, key=len, reverse=True))


class ToneRecognizer(Recognizer):
    """Sentences that vent at a work relationship, with the target and the words that carry the tone."""

    NAME = "tone"
    CONTEXT = frozenset(_TARGET_KINDS)
    WINDOW = Window(before=10, after=10, same_sentence=True)
    _ANALYZER, _VADER_NEGATIVE = _vader()
    _PROFANITY: ClassVar[frozenset[str]] = _profanity_words(_ANALYZER.lexicon)
    RULES = (
        Rule(ENTITY, "insult", rf"\b(?:{_INSULT})\b", SCORE, flags=_FLAGS),
        Rule(ENTITY, "blame", rf"\b(?:{_BLAME})\b", SCORE, flags=_FLAGS),
        Rule(ENTITY, "anger", rf"\b(?:{_ANGER})\b", SCORE, flags=_FLAGS),
        Rule(ENTITY, "sarcasm", rf"\b(?:{_SARCASM})\b|{_IRONY_EMOJI}", SCORE, flags=_FLAGS),
        Rule(ENTITY, "closer", _CLOSER, SCORE, flags=_FLAGS | regex.MULTILINE),
        Rule(ENTITY, "exasperation", rf"\b(?:{_EXASPERATION})", SCORE, flags=_FLAGS),
        Rule(ENTITY, "profanity", _CENSORED, SCORE, flags=_FLAGS),
    )

    def __init__(self, context: Iterable[str] | None = None, clients: Sequence[Recognizer] = ()):
        """`clients`: the policy's client recognizers; a client they find is a target by name."""
        super().__init__(context=context, name=self.NAME)
        self.clients = tuple(clients)
        self._targets = regex.compile(
            rf"\b(?:(?P<det>{_DETERMINER})\s+(?:[\w-]+\s+)?)?(?P<w>{_alternation(self.context_words)})(?:s|es)?\b"
            r"|\b(?:their|the\s+client(?:'|’)?s|the\s+customer(?:'|’)?s)\s+(?P<role>cio|cto|ceo|cfo|"
            r"it\s+(?:director|manager|lead)|practice\s+manager|finance\s+team|procurement\s+team|pm|team)\b",
            _FLAGS,
        )

    def entities(self) -> list[str]:
        return [ENTITY]

    def candidates(self, text: str) -> list[Candidate]:
        """One candidate per venting sentence; cues that were set aside come back with the reason."""
        masked = _mask(text)
        frame = next((reason for reason, pattern in _FRAMES if pattern.search(masked)), "")
        mentions = self._mentions(text, masked)
        cues = self._cues(masked)
        out: list[Candidate] = []
        previous: _Mention | None = None  # the last target named, for "they" in the next sentence
        for start, end in sentence_spans(text):
            here = [m for m in mentions if start <= m.start and m.end <= end]
            targets = [m for m in here if m.kind != "self"]
            if not targets and previous is not None:
                here += [
                    _Mention(p.start(), p.end(), previous.kind, previous.word, previous.named)
                    for p in _PRONOUN.finditer(masked, start, end)
                ]
                first = words(masked[start:end])[:1]
                if first and first[0] not in _OWN_SUBJECT:
                    here.append(_Mention(start, start, previous.kind, previous.word, previous.named))
            in_sentence = [c for c in cues if start <= c.start and c.end <= end]
            if in_sentence:
                out += self._judge_sentence(text, masked, start, end, in_sentence, here, frame)
            previous = targets[-1] if targets else (previous if len(here) > len(targets) else None)
        return out

    def _mentions(self, text: str, masked: str) -> list[_Mention]:
        found = [_Mention(m.start(), m.end(), "self", m.group()) for m in _SELF.finditer(masked)]
        for m in self._targets.finditer(masked):
            if _NOT_A_TARGET.search(masked, m.start("w") if m.group("w") else m.start()):
                continue
            if m.group("role"):
                found.append(_Mention(m.start(), m.end(), "client", m.group()))
                continue
            word, det = m.group("w").lower(), (m.group("det") or "").lower()
            if word in _NEEDS_DETERMINER and det not in _DEFINITE and not _bare_ok(masked, m.start(), det):
                continue
            kind = "manager" if word in _MANAGER_WORDS else _TARGET_KINDS.get(word, "client")
            found.append(_Mention(m.start(), m.end(), kind, m.group()))
        for recognizer in self.clients:
            found += [
                _Mention(c.start, c.end, "client", text[c.start : c.end], named=True)
                for c in recognizer.candidates(text)
                if not c.set_aside
            ]
        return sorted(found, key=lambda m: m.start)

    def _cues(self, masked: str) -> list[_Cue]:
        cues = []
        for rule, compiled in self._compiled:
            found = compiled.finditer(masked, timeout=REGEX_TIMEOUT_SECONDS)
            cues += [_Cue(m.start(), m.end(), rule.name) for m in found]
        # The two word lists are looked up word by word: as regex alternations they cost a millisecond a paragraph.
        for m in _TOKEN.finditer(masked):
            word = m.group().lower()
            kind = (
                "profanity" if word in self._PROFANITY else "negative" if word in self._VADER_NEGATIVE else ""
            )
            if kind:
                cues.append(_Cue(m.start(), m.end(), kind))
        # A cue inside a longer one (the "worst" of "worst client") counts once.
        cues.sort(key=lambda c: (c.start, -(c.end - c.start)))
        kept: list[_Cue] = []
        for c in cues:
            if not kept or c.start >= kept[-1].end:
                kept.append(c)
        return kept

    def _judge_sentence(
        self,
        text: str,
        masked: str,
        start: int,
        end: int,
        cues: list[_Cue],
        mentions: list[_Mention],
        frame: str,
    ) -> list[Candidate]:
        targets = mentions
        thanks = bool(_THANKS.search(masked, start, end))
        aimed: list[tuple[_Cue, _Mention]] = []
        set_aside: list[Candidate] = []
        for cue in cues:
            referent = _referent(cue, targets, masked)
            reason = ""
            if referent is None:
                reason = "no client, employer, manager or colleague named near it"
            elif referent.kind == "self":
                reason = "aimed at the writer (a joke at one's own expense)"
            elif thanks and cue.kind not in STRONG:
                reason = "in a sentence that thanks people"
            if reason:
                set_aside.append(self._cue_candidate(text, cue, reason))
            else:
                aimed.append((cue, referent))
        strong = [a for a in aimed if a[0].kind in STRONG]
        weak = [a for a in aimed if a[0].kind not in STRONG]
        lexical = all(c.kind == "negative" for c, _ in weak)
        vents = bool(strong) or (len(weak) >= 2 and (not lexical or self._negative(masked[start:end])))
        if not vents:
            why = "one weak cue only (sarcasm or a negative word needs a second, and negative words a negative sentence)"
            return set_aside + [self._cue_candidate(text, c, why) for c, _ in aimed]
        if frame:
            return set_aside + [self._cue_candidate(text, c, f"inside {frame}") for c, _ in aimed]
        return [*set_aside, self._finding(text, start, end, aimed)]

    def _negative(self, sentence: str) -> bool:
        return self._ANALYZER.polarity_scores(sentence)["compound"] <= -0.5

    def _cue_candidate(self, text: str, cue: _Cue, reason: str) -> Candidate:
        return Candidate(
            cue.start,
            cue.end,
            ENTITY,
            SCORE,
            f"'{text[cue.start : cue.end]}' ({cue.kind}) is not venting at a work relationship here",
            source=f"tone cue '{cue.kind}'",
            set_aside=reason,
        )

    def _finding(self, text: str, start: int, end: int, aimed: list[tuple[_Cue, _Mention]]) -> Candidate:
        first, last = min(c.start for c, _ in aimed), max(c.end for c, _ in aimed)
        for _, m in aimed:
            first, last = min(first, m.start), max(last, m.end)
        span_start, span_end = _clause(text, start, end, first, last)
        target = aimed[0][1]
        label = _target_label(target)
        words = ", ".join(dict.fromkeys(f"'{_phrase(text, c, start, end)}'" for c, _ in aimed))
        return Candidate(
            span_start,
            span_end,
            ENTITY,
            SCORE,
            f"This reads as a complaint about {label}: {words}. {ADVICE}",
            source=f"tone: {', '.join(dict.fromkeys(c.kind for c, _ in aimed))} aimed at '{target.word}'",
        )


def _bare_ok(text: str, start: int, det: str) -> bool:
    """A workplace noun without "my"/"the" is one only after a function word ("sick of management"), not
    after a modifier ("project management", "a team")."""
    before = previous_word(text, start)
    return not det and (before is None or before.lower() in _FUNCTION_WORDS)


def _mask(text: str) -> str:
    """`text` with enthusiastic idioms and quoted speech blanked, offsets unchanged."""
    for pattern in (_IDIOMS, _QUOTED):
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def _referent(cue: _Cue, mentions: list[_Mention], text: str) -> _Mention | None:
    """The mention a cue is aimed at. Anger ("sick of", "hate") is aimed at what follows it, or at the target
    carried from the sentence before ("Sick of this."); other cues at the nearest mention before them, the
    sentence's subject ("my boss is the most incompetent person I know"), else the nearest after."""
    others = [m for m in mentions if m.kind != "self" or m.end <= cue.start or cue.end <= m.start]
    if cue.kind == ANGER:
        after = [m for m in others if m.start >= cue.end and m.kind != "self"]
        carried = [m for m in others if m.start == m.end]
        return after[0] if after else (carried[0] if carried else None)
    agent = next((m for m in others if m.start >= cue.end and _BY.fullmatch(text, cue.end, m.start)), None)
    if agent is not None:
        return agent  # "disrespected by a customer"
    before = [m for m in others if m.start < cue.start]
    if before:
        return max(before, key=lambda m: (m.end, m.start))
    return others[0] if others else None


def _clause(text: str, start: int, end: int, first: int, last: int) -> tuple[int, int]:
    """The sentence `start:end` narrowed to the clauses from `first` to `last`, trimmed of spaces."""
    lo, hi = start, end
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.end() <= first:
            lo = m.end()
        elif m.start() >= last:
            hi = m.start()
            break
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def _phrase(text: str, cue: _Cue, start: int, end: int) -> str:
    """The cue with the few words after it that say what it is about ("can't read a Gantt chart")."""
    shown = text[cue.start : cue.end]
    if cue.kind not in {"insult", "blame"} or words(shown)[-1] not in _WANTS_OBJECT:
        return shown
    tail = []
    for word in regex.findall(r"[^\s,.;:!?]+|[,.;:!?]", text[cue.end : end])[:3]:
        if not regex.match(r"[\w'’-]", word) or word.lower() in _PHRASE_STOPS:
            break
        tail.append(word)
    return " ".join([shown, *tail])


def _target_label(target: _Mention) -> str:
    if target.kind == "manager":
        return "your manager"
    if target.named:
        return f"a client ({target.word})"
    return _TARGET_LABELS[target.kind]
