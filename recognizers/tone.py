"""Tone: a post that vents at a client, the poster's employer or its leadership, a manager, or colleagues.

Venting, not a leaked name, is how most people lose a job over a post. Two readers decide together:
- *The rules* read each paragraph: *targets* (its context words — client, customer, boss, management,
  colleagues … —, possessive phrases such as "their CIO" or "my team", any name the policy's client recognizers
  find) and *cues* (its RULES: insults, blame, anger, irony, sarcastic closers, resignation, ill-will,
  rhetorical questions, labels, scare quotes, shouting, profanity from better-profanity's list, VADER's strongly
  negative words), each cue tied to the target nearest to it, or set aside with the reason (aimed at the
  writer, at no one, in thanks, beside an enthusiastic idiom).
- *The model* (`recognizers/data/tone_model.json`, fitted by `discreet.tuning.tone_training` on the labelled
  posts in `recognizers/training/tone/`) weighs the post's words and word pairs together with what the rules
  read, because most venting is in the situation told, not in a word of contempt ("approved the design in
  March, changed it in April, and is now 'disappointed with the pace'").
A post is warned when the model's probability reaches its threshold, or a lower one when the rules call it
venting too. The finding marks the sentence that weighs most towards venting and names its target and the
words that carry it. Paragraphs are read once and cached, so typing re-reads only the one that changed; the
post as a whole is what is judged, since a LinkedIn post puts each sentence in a paragraph of its own.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import ClassVar

import regex
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
from wordfreq import zipf_frequency

from discreet.recognizers.base import Candidate, Recognizer, Rule
from discreet.recognizers.context import Window
from discreet.recognizers.linear_model import LinearModel
from discreet.recognizers.ngrams import Gram, grams
from discreet.recognizers.text import paragraph_spans, previous_word, sentence_spans, words

ENTITY = "TONE"
_FLAGS = regex.IGNORECASE
SCORE = 0.7
ADVICE = "Wait an hour before you post it, and say what you learned rather than who failed."

# Cue kinds. Strong cues vent on their own when aimed at a target; weak ones (sarcasm markers, irony emoji,
# VADER's negative words) need a second weak cue in the same sentence.
STRONG = {"insult", "blame", "anger", "profanity", "closer", "resignation", "ill-will", "label", "irony"}
ANGER = "anger"  # "I hate my boss": the feeling's target follows it, the feeler ("I") is not the target
# Cues that say how the writer feels ("I give up", "Unreal.") or wish a target ill: aimed at the target the
# paragraph is about (the last one named, in this sentence or the two before), never at the "I" saying them.
TOPICAL = {"resignation", "closer", "praise-closer", "ill-will"}
TOPIC_REACH = 2  # sentences back that a topical cue or a pronoun looks for its target
_BARE_OBJECT = frozenset("this it that them all of everything".split())
_PRAISE_SAFE = {"insult", "negative", "profanity", "closer", "praise-closer"}

_TARGET_KINDS: dict[str, str] = {
    # word -> kind; a trailing "s" (plural) is accepted by the target pattern.
    **dict.fromkeys("client customer stakeholder procurement".split(), "client"),
    **dict.fromkeys(
        "boss manager management leadership exec execs executive executives c-suite ceo cto cfo cio coo "
        "director vp vps board hr employer company organisation organization corporate head-office higher-ups "
        "higher-up supervisor firm workplace department".split(),
        "employer",
    ),
    **dict.fromkeys(
        "colleague co-worker coworker teammate team dev devs developer developers engineer engineers sales "
        "salespeople pm intern contractor contractors consultant consultants peer peers hire user "
        "users".split(),
        "colleagues",
    ),
}
_TARGET_LABELS = {
    "client": "a client",
    "employer": "your employer or its leadership",
    "colleagues": "colleagues",
}
_MANAGER_WORDS = frozenset({"boss", "manager", "supervisor"})
# Words that make "the company", "the board", "the team" etc. a workplace reference only with a possessive or
# determiner in front ("a team" of researchers is no one's colleagues).
_NEEDS_DETERMINER = frozenset(
    "company board director team sales peer peers engineer engineers developer developers organisation "
    "organization corporate dev devs pm intern contractor management exec execs executive executives firm "
    "workplace department contractors consultant consultants hire user users".split()
)
_DETERMINER = (
    r"(?:my|our|their|the|this|that|these|those|your|his|her|a|an|one|every|some|senior|upper|middle|top)"
)
_DEFINITE = frozenset("my our their the this that these those your his her senior upper middle top".split())
# Nouns that name a work relationship only with a definite word in front: "our users", not "for users".
_NEEDS_DEFINITE = frozenset("hire user users firm workplace department consultant consultants".split())
# "customer service" and "client portal" are a vendor's desk and software; "thought leadership" is a genre;
# "Teams calls" is the software.
# Matched where the target word starts (a lookbehind sees the word before it).
_NOT_A_TARGET = regex.compile(
    r"(?:customer|client)s?\s+(?:service|support|care|experience|success|portal|side|app|software|library|"
    r"certificate|machine|device|os)\b|(?<=thought\s+)leadership|(?-i:Teams)\s+(?:calls?|meetings?|chats?|channels?)",
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
_PRONOUN = regex.compile(
    r"\b(?:they|them|their|he|him|his|she|her|these\s+people|those\s+people|this\s+lot)\b", regex.IGNORECASE
)
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
    r"(?:takes?|took|taking)\s+(?:any|no)\s+responsibility|no\s+accountability|"
    r"(?:shout|scream|yell|swor|snap|snapp)(?:ed|s|ing)?\s+at\s+(?:me|us|my|our|people|staff|everyone|the\s+team|engineers)|"
    # Contempt for people: nouns, adjectives, and the similes that carry it.
    r"cowboys|crooks|charlatans|parasites|leeches|snakes|weasels|bull(?:y|ies)|tyrants?|dictators?|"
    r"narcissis\w+|sociopaths?|psychopaths?|headless\s+chickens|jobsworths?|plonkers?|pillocks?|prats|"
    r"waste\s+of\s+(?:space|oxygen|a\s+salary|skin)|inept(?:itude)?|incapable|negligen(?:t|ce)|reckless|"
    r"delu(?:ded|sional)|brainless|gormless|two-?faced|back-?stabb\w+|selfish|greedy|stingy|penny-?pinching|"
    r"petty|vindictive|unprofessional|patroni[sz]\w+|passive-?aggressive|smug|out\s+of\s+touch|tone-?deaf|"
    r"clown\s+(?:show|car)|shit-?show|trainwreck|train\s+wreck|hot\s+mess|farce|fiasco|pantomime|omnishambles|"
    r"(?:about\s+)?as\s+useful\s+as|brain\s+cells?|not\s+the\s+sharpest|"
    r"(?:could|can)(?:n(?:'|’)?t|not)\s+(?:manage|run|lead|organi[sz]e)\s+(?:a|their|his|her)\b|"
    r"wouldn(?:'|’)?t\s+know\s+\w+\s+if\s+it|stupid(?:ity)?|idiocy|"
    r"(?:the\s+)?reason\s+(?:why\s+)?(?:good\s+)?(?:people|staff|engineers|everyone)\s+(?:leave|quit|burn\s+out)|"
    r"(?:doesn|don|didn)(?:'|’)?t\s+(?:have|know)\s+(?:the\s+)?(?:first|faintest)"
)
_BLAME = (
    r"(?:thrown|threw|throw(?:s|ing)?)\s+(?:us|me|the\s+team|my\s+team|our\s+team|everyone)\s+under\s+the\s+bus|"
    r"under\s+the\s+bus|t(?:ook|akes?|aking)\s+(?:the\s+|all\s+the\s+)?credit|blam(?:ed|es|ing)\s+(?:us|me|"
    r"the\s+team|my\s+team|our\s+team|everyone)|scapegoat\w*|pass(?:ed|es)?\s+the\s+buck|hung\s+(?:us|me)\s+"
    r"out\s+to\s+dry|thr(?:ew|own)\s+(?:it\s+)?out|(?:ignor|refus)(?:ed|es|ing)\s+(?:my|our|every|all|the)\s+\w+|"
    r"never\s+(?:listen|read|repl(?:y|ie)|approv|answer|respond|turn(?:s|ed)?\s+up|show(?:s|ed)?\s+up)\w*|"
    r"did(?:n't|n’t|\s+not)\s+(?:bother|read|listen|approve)|can(?:'|’)?t\s+be\s+bothered|"
    r"couldn(?:'|’)?t\s+be\s+bothered|(?:doesn|don)(?:'|’)?t\s+(?:read|listen|care)|"
    r"zero\s+(?:respect|accountability|communication)|moved\s+the\s+goal\s*posts|"
    # The complaint's story: the target's own failure turned back on us.
    r"(?:and\s+)?then\s+(?:\w+\s+)?(?:wonders?|wondered|asks?|asked|acts?|acted|complains?|complained|blames?|"
    r"blamed|moans?|moaned|expects?|expected)\s+(?:us\s+|me\s+)?(?:why|how|shocked|"
    r"surprised|that|us|me|about|to)|(?:is|was|it(?:'|’)?s)\s+(?:somehow\s+)?(?:our|my)\s+fault|"
    r"ghost(?:ed|s|ing)\s+(?:us|me)|talk(?:s|ed|ing)?\s+down\s+to|"
    r"refus(?:e|es|ed|ing)\s+to\s+(?:pay|listen|sign|approve|read|decide|commit|engage|answer|reply|patch|"
    r"update|budge|fund)|won(?:'|’)?t\s+(?:listen|pay|reply|sign|approve|decide|commit|read)|"
    r"(?:never|don(?:'|’)?t|doesn(?:'|’)?t|won(?:'|’)?t)\s+pay\s+on\s+time|pay(?:s|ing)?\s+(?:us\s+)?"
    r"(?:\d+\s+days\s+)?late|undermin(?:e|es|ed|ing)|left\s+(?:us|me)\s+(?:to\s+(?:it|clean|pick|deal)|"
    r"holding\s+the\s+baby|hanging|in\s+the\s+dark)|nobody\s+(?:reads?|listens?|cares?)|"
    r"no\s+(?:one|body)\s+(?:reads?|listens?|cares?)|(?:nothing|never)\s+(?:is\s+)?(?:his|her|their)\s+(?:job|fault)"
)
_EXASPERATION = (
    r"still\s+(?:can|doesn|don|won|hasn|haven|isn|didn|aren)(?:'|’)?t|(?:for|with)\s+no\s+(?:reason|warning|notice)|"
    r"(?:every|each)\.?\s+(?:single\.?\s+)?(?:time|day|week|month|call|ticket)|funny\s+how|(?:how|why)\s+(?:hard|difficult)\s+is\s+it|seriously\?|"
    r"asking\s+why|(?:last|final)\s+minute|out\s+of\s+hours|at\s+the\s+weekend|on\s+a\s+weekend|"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|\w+teen|twenty|thirty|forty|fifty)\s+"
    r"(?:times|emails|calls|messages|tickets|reminders)\b|(?:third|fourth|fifth|sixth|\d+(?:rd|th))\s+"
    r"(?:time|sprint|week|month|year|quarter)\s+(?:running|in\s+a\s+row|this)|in\s+a\s+row|"
    r"(?:again|AGAIN)[.!]|still\s+waiting|(?:weeks|months)\s+later|"
    r"(?:how|why)\s+(?:is|are)\s+(?:this|that|it)\s+(?:so\s+)?(?:hard|difficult)"
)
_ANGER = (
    r"hate|loathe|can(?:'|’)?t\s+stand|cannot\s+stand|(?:sick|tired)(?:\s+and\s+tired)?\s+of|"
    r"sick\s+to\s+death\s+of|fed\s+up|done\s+with|had\s+it\s+with|furious|livid|seething|fuming|"
    r"pissed\s+off|so\s+angry|raging|rage"
)
_SARCASM = (
    r"(?:love|loving|adore)\s+(?:it\s+)?(?:when|how)|(?:gotta|got\s+to|have\s+to|you\s+have\s+to)\s+love|"
    r"nothing\s+(?:says|like|beats)|oh\s+(?:great|good|joy|brilliant|wonderful)|"
    r"because\s+of\s+course|what\s+a\s+surprise|shocker|surprise,?\s+surprise|cool\s+cool|genius\s+move|"
    r"yet\s+again|once\s+again|for\s+the\s+(?:third|fourth|fifth|tenth|nth|\d+(?:rd|th))\s+time|"
    r"at\s+(?:1[0-2]|[1-9])(?::\d\d)?\s*(?:pm|am)|midnight|on\s+a\s+(?:sunday|saturday|friday\s+night)|"
    r"apparently|love\s+that\s+for\s+(?:us|me)|(?:such|what)\s+a\s+treat|living\s+the\s+dream|"
    r"(?:great|good|nice)\s+(?:to\s+know|job|work)\s*,?\s+(?:guys|everyone|team)|(?:slow\s+)?clap|"
    r"bless\s+(?:them|him|her)|(?:so|very)\s+(?:helpful|professional)\.|the\s+bar\s+is\s+(?:on\s+the\s+floor|low)|"
    r"(?:a|the)\s+(?:masterclass|triumph)\s+(?:in|of)"
)
# Sarcasm no one could read straight.
_IRONY = (
    r"who\s+needs\s+(?:a\s+|an\s+)?[\w-]+(?:\s+[\w-]+)?\s+when|(?:what|how)\s+could\s+(?:possibly\s+)?go\s+wrong|"
    r"said\s+no\s*(?:one|body)\s+ever|must\s+be\s+nice|thanks\s+for\s+nothing|"
    r"(?:great|brilliant|inspired|visionary|stellar|top)\s+leadership"
)
# A sentence that is nothing but a sarcastic verdict on what the sentence before said a target did.
_CLOSER = (
    r"(?:(?<=^|[.!?]\s+|\n\s*)(?:genius(?:\s+move)?|priorities|funny\s+how\s+that\s+works|ok(?:ay)?\s+then|"
    r"you\s+(?:cannot|can(?:'|’)?t|could\s*n(?:'|’)?t)\s+make\s+(?:this|it)\s+up|"
    r"tells\s+you\s+everything|the\s+absolute\s+state(?:\s+of\s+it)?|thanks\s+guys|unreal|unbelievable|"
    r"own\s+it|what\s+a\s+time\s+to\s+be\s+alive|make\s+it\s+make\s+sense|make\s+(?:it|this)\s+stop|"
    r"do\s+better|speechless|lost\s+for\s+words|words\s+fail\s+me|"
    r"the\s+audacity|the\s+nerve|the\s+cheek|(?:what\s+)?a\s+joke|"
    r"(?:absolute|complete|total|utter)\s+(?:joke|shambles|disgrace|circus|madness|chaos|farce|mess)|rant\s+over|/rant|end\s+rant)"
    r"(?:[.!]+(?=\s|$)|[ \t]*$))"
)
# The same short verdict in words of praise is sarcastic only after a complaint: a weak cue, a second needed.
_PRAISE_CLOSER = (
    r"(?:(?<=^|[.!?]\s+|\n\s*|,\s+)(?:brilliant|genius|great|lovely|fantastic|amazing|perfect|"
    r"wonderful|excellent|marvellous|superb|cool(?:\s+cool)*|nice(?:\s+one)?|of\s+course|well\s+done|"
    r"insane|madness|wild|classic|typical|"
    r"good\s+(?:job|times|stuff)|great\s+(?:job|stuff|work)|top\s+(?:work|stuff)|bravo|legend|love\s+(?:it|that|this)|"
    r"very\s+(?:cool|smart|clever)|(?:truly|really)\s+inspiring|"
    r"love\s+to\s+see\s+it|can(?:'|’)?t\s+wait|ok(?:ay)?|fine|noted)(?:[.!]+(?=\s|$)|[ \t]*$))"
)
# How the writer feels about what a target did: resignation and understatement, said by "I" about them.
_END = r"(?=\s*(?:[.!?…,;]|\p{So}|$))"  # nothing more in the sentence: "I give up.", not "I give up trying"
_RESIGNATION = (
    rf"(?:I\s+give\s+up|I\s+(?:can(?:'|’)?t|cannot)(?:\s+(?:do\s+this|take\s+(?:this|it|much\s+more)|cope))?"
    rf"(?:\s+any\s*more)?|I\s+quit|(?:I(?:'|’)?m|I\s+am)\s+(?:so\s+|just\s+|officially\s+)?(?:done|tired|exhausted|"
    rf"over\s+it)|this\s+is\s+fine|(?:we(?:'|’)?re|we\s+are|I(?:'|’)?m)\s+not\s+going\s+to\s+make\s+it){_END}|"
    r"I(?:'|’)?m\s+(?:so\s+)?done\s+(?:with\s+(?:this|it|them|him|her)|covering|being|pretending)|"
    r"(?:losing|lost)\s+the\s+will\s+to\s+live|(?:it(?:'|’)?s|they(?:'|’)?re|he(?:'|’)?s|she(?:'|’)?s)\s+killing\s+me|"
    r"kill\s+me\s+now|why\s+do\s+I\s+(?:even\s+)?bother|pray\s+for\s+(?:me|us)|I\s+(?:could|want\s+to)\s+(?:scream|cry)|"
    r"at\s+the\s+end\s+of\s+my\s+(?:tether|rope)|(?:I(?:'|’)?ve|I\s+have)\s+had\s+enough|I\s+can(?:'|’)?t\s+even"
)
# Wishing a target the trouble it is heading for.
_ILL_WILL = (
    r"enjoy\s+(?:the|your)\s+(?:ransomware|breach|fine|audit|outage|fallout|consequences|data\s+breach|downtime)|"
    r"good\s+luck\s+with\s+that|serves\s+(?:them|him|her|you)\s+right|see\s+how\s+that\s+works\s+out|"
    r"(?:don(?:'|’)?t|do\s+not)\s+come\s+crying|told\s+(?:you|them)\s+so|"
    r"hope\s+(?:they|he|she|you|your\s+\w+)\s+(?:get|gets|find|finds|enjoy|enjoys|choke|rot)"
)
# A target's contempt for us in a label ("the IT boy"), or ours for them in an address (", pal.").
_LABEL = (
    r"(?:the|an?|our|their|his|her)\s+(?:it|tech|computer|pc|wifi|printer)\s+(?:boys?|girls?|kids?|lads?|monkeys?|nerds?|geeks?)|,\s*(?:pal|mate|buddy|champ|chief|sunshine|einstein|genius|sweetheart|sweetie)(?=\s*[.!?]|\s*$)|"
    r"(?:called|calls|calling)\s+(?:us|me|our\s+\w+|my\s+\w+)\s+(?:a|an|the)\b"
)
_LABEL_RE = regex.compile(rf"\b(?:{_LABEL})\b", _FLAGS)
# A question asked at a target that wants no answer.
_QUESTION = (
    r"(?<=^|[.!?:]\s+|\n\s*)(?:honest\s+question:?\s+)?(?:why\s+(?:do|does|did|would|can(?:'|’)?t|won(?:'|’)?t|is|are|"
    r"must)\b|what\s+(?:even\s+)?is\s+(?:his|her|their)\s+job|"
    r"what\s+(?:exactly\s+)?(?:do|does)\s+(?:they|he|she)\s+(?:even\s+)?do|since\s+when|"
    r"how\s+(?:many\s+times|hard|difficult|is\s+it\s+(?:so\s+)?hard)|who\s+(?:thinks|thought|decided|signs)|"
    r"can\s+we\s+talk\s+about|is\s+it\s+(?:too\s+much|really\s+too\s+much)\s+to\s+ask)"
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
# British swearing common enough in print that the rarity test above lets it through.
_ALSO_PROFANE = frozenset("arse arses arsed bollocks bugger buggered pillock pillocks".split())
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
# Scare quotes: a word or three in quotation marks right after "his", "her", "their" — the writer holding a
# target's word at arm's length (his "conference"). After "the" or "our" they mostly name a thing.
_SCARE_QUOTE = regex.compile(
    r"\b(?:his|her|their|its)\s+(?:\"[^\"\n\s]+(?:\s[^\"\n\s]+){0,2}\"|"
    r"“[^”\n\s]+(?:\s[^”\n\s]+){0,2}”)",
    regex.IGNORECASE,
)
# An open letter to a target ("Dear clients who …", "To the manager who …"): "you" in it is that target.
_VOCATIVE = regex.compile(r"^\W*(?:dear|to\s+(?:the|all\s+the|every|any|those|my|our))\s+", regex.IGNORECASE)
_RELATIVE = regex.compile(r"\s+(?:that\s+|who\s+)?", regex.IGNORECASE)
_YOU = regex.compile(r"\b(?:you|your|yours|yourself|yourselves)\b", regex.IGNORECASE)
_CAPS_MIN, _CAPS_ZIPF = 4, 4.0  # "AGAIN", "NEVER": shouting, not an acronym (MFA, VLAN, NHS)
_FRAGMENT_WORDS = 2  # a sentence this short ("Zero.", "Every. Week.") belongs to the one before
_FRAMES = (  # (code, pattern): a frame in which harsh words are a lesson or grief, not a complaint
    (
        "lesson",
        regex.compile(
            r"\b(?:lessons?\s+(?:I\s+|we\s+)?learn(?:ed|t)|what\s+(?:I|we|it)\s+(?:learn(?:ed|t)|taught)|"
            r"taught\s+(?:me|us)|lessons?|in\s+training|training\s+(?:session|course|day|module|scenario|exercise|"
            r"video|deck|programme|program)s?|trainees?|role-?play\w*|de-?escalat\w*|how\s+(?:to|we|I)\s+"
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


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the rules read in a paragraph: the model's features and the finding's words come from it."""

    masked: str  # the text with idioms and quoted speech blanked
    frame: str  # the lesson or grief frame the paragraph sits in, by its code ("": none)
    mentions: list[_Mention]
    spans: list[tuple[int, int]]  # sentences
    aimed: list[list[tuple[_Cue, _Mention]]]  # per sentence: each cue with the target it is aimed at
    vents: list[tuple[int, int, list[tuple[_Cue, _Mention]]]]  # sentences the rules alone call venting
    set_aside: list[tuple[_Cue, str]]  # cues aimed at no one, with why


@dataclass(frozen=True, slots=True)
class _Paragraph:
    reading: _Reading
    grams: list[list[Gram]]  # per sentence of reading.spans
    features: frozenset[str]


PARAGRAPH_CACHE = 4096  # paragraphs read and kept, as the Scanner keeps its own per-paragraph decisions
# Why a cue is aimed at no one; the model weighs each reason as a feature of its own (the code).
_NO_TARGET = "no client, employer, manager or colleague named near it"
_AT_SELF = "aimed at the writer (a joke at one's own expense)"
_THANKING = "in a sentence that thanks people"
_PRAISING = "beside an enthusiastic idiom (praise in a harsh word)"
_WEAK = (
    "one weak cue only (sarcasm or a negative word needs a second, and negative words a negative sentence)"
)
_ASIDE_CODES = {
    _NO_TARGET: "untargeted",
    _AT_SELF: "self",
    _THANKING: "thanks",
    _PRAISING: "praise",
    _WEAK: "weak",
}
_FRAME_NAMES = {"lesson": "a lessons-learned or training frame", "grief": "a post of grief"}
_VADER_BUCKETS = (("low", -0.5), ("negative", -0.05))  # the most negative sentence at or under each edge
_VADER_POSITIVE = 0.5
_MOOD_CHARS = 400  # a sentence's first characters that VADER reads
_SHOWN_WORDS = 3  # words named in an explanation when no rule's cue carried the verdict
MODEL = files("discreet.recognizers.data").joinpath("tone_model.json")


def _profanity_words(lexicon: dict[str, float]) -> frozenset[str]:
    listed = files("better_profanity").joinpath("profanity_wordlist.txt").read_text("utf-8").splitlines()
    entries = {w.strip().lower() for w in listed if w.strip()}
    return (
        frozenset(
            w
            for w in entries - _NOT_PROFANE
            if zipf_frequency(w, "en") < _RARE_ZIPF or lexicon.get(w, 0.0) < 0
        )
        | _ALSO_PROFANE
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
        Rule(ENTITY, "praise-closer", _PRAISE_CLOSER, SCORE, flags=_FLAGS | regex.MULTILINE),
        Rule(ENTITY, "resignation", rf"\b(?:{_RESIGNATION})\b", SCORE, flags=_FLAGS | regex.MULTILINE),
        Rule(ENTITY, "ill-will", rf"\b(?:{_ILL_WILL})\b", SCORE, flags=_FLAGS),
        Rule(ENTITY, "irony", rf"\b(?:{_IRONY})\b", SCORE, flags=_FLAGS),
        Rule(ENTITY, "question", _QUESTION, SCORE, flags=_FLAGS | regex.MULTILINE),
    )

    def __init__(
        self,
        context: Iterable[str] | None = None,
        clients: Sequence[Recognizer] = (),
        model: LinearModel | None = None,
    ):
        """`clients`: the policy's client recognizers; a client they find is a target by name. `model`: the
        weights that turn what the rules read into a verdict (the shipped ones by default)."""
        super().__init__(context=context, name=self.NAME)
        # A policy's own target words ("trust", "board") add to the built-in ones: the model learned those from
        # its training posts, so they cannot be taken away.
        self.context_words = self.CONTEXT | self.context_words
        self.clients = tuple(clients)
        self.model = model or _shipped_model()
        self._paragraph = lru_cache(maxsize=PARAGRAPH_CACHE)(self._read_paragraph)
        self._targets = regex.compile(
            rf"\b(?:(?P<det>{_DETERMINER})\s+(?:[\w-]+\s+)?)?(?P<w>{_alternation(self.context_words)})(?:s|es)?\b"
            r"|\b(?:their|the\s+client(?:'|’)?s|the\s+customer(?:'|’)?s)\s+(?P<role>cio|cto|ceo|cfo|"
            r"it\s+(?:director|manager|lead)|practice\s+manager|finance\s+team|procurement\s+team|pm|team)\b"
            r"|\b(?P<head>head\s+of\s+(?:it|engineering|technology|tech|ops|operations|delivery|department|service))\b",
            _FLAGS,
        )

    def candidates(self, text: str) -> list[Candidate]:
        """One finding when the model reads the post as venting, on the sentence that vents most; else the
        rules' venting sentences set aside with the model's score. Cues the rules set aside come back with the
        reason either way. Each paragraph is read once and cached: typing re-reads only the one it changes."""
        parts = self._parts(text)
        probability = self.model.probability(_features(parts))
        aside = [
            self._cue_candidate(paragraph, c, why, start)
            for start, paragraph, part in parts
            for c, why in part.reading.set_aside
        ]
        if probability >= (self.model.corroborated if _ruled(parts) else self.model.threshold):
            return [*aside, self._finding(parts, probability)]
        why = (
            f"the post reads as venting with likelihood {probability:.2f}, under the "
            f"{self.model.threshold:.2f} it takes to warn"
        )
        return aside + [
            self._cue_candidate(
                paragraph,
                c,
                f"inside {_FRAME_NAMES[part.reading.frame]}; {why}" if part.reading.frame else why,
                start,
            )
            for start, paragraph, part in parts
            for _, _, used in part.reading.vents
            for c, _ in used
        ]

    def features(self, text: str) -> frozenset[str]:
        """What the model weighs in a post: each paragraph's words, word pairs and what the rules read in it."""
        return _features(self._parts(text))

    def ruled(self, text: str) -> bool:
        """Whether the rules alone call the post venting: a strong cue, or two weak ones, aimed at a target."""
        return _ruled(self._parts(text))

    def _parts(self, text: str) -> list[tuple[int, str, _Paragraph]]:
        """Each paragraph with its offset and its (cached) reading."""
        return [(a, text[a:b], self._paragraph(text[a:b])) for a, b in paragraph_spans(text)]

    def _read_paragraph(self, paragraph: str) -> _Paragraph:
        reading = self.read(paragraph)
        named = [(m.start, m.end) for m in reading.mentions if m.named]
        found = grams(paragraph, reading.spans, named)
        out = [g.feature for sentence in found for g in sentence]
        lone = {c for c, why in reading.set_aside if why == _WEAK}  # aimed, but no second weak cue came
        out += [f"aimed:{c.kind}" for aimed in reading.aimed for c, _ in aimed if c not in lone]
        out += [f"aside:{c.kind}:{_ASIDE_CODES[why]}" for c, why in reading.set_aside]
        out += ["rules:vent"] if reading.vents else []
        out += [f"target:{m.kind}" for m in reading.mentions]
        out += ["target:named"] if any(m.named for m in reading.mentions) else []
        out += [f"frame:{reading.frame}"] if reading.frame else []
        # VADER reads a sentence's start only: its cost grows faster than the sentence (a wall of emoji).
        compound = [
            self._ANALYZER.polarity_scores(reading.masked[a : min(b, a + _MOOD_CHARS)])["compound"]
            for a, b in reading.spans
        ]
        low = min(compound, default=0.0)
        out += [f"vader:{bucket}" for bucket, edge in _VADER_BUCKETS if low <= edge]
        out += ["vader:positive"] if max(compound, default=0.0) >= _VADER_POSITIVE else []
        # The definition itself: a negative sentence about a work relationship (not about trains, or oneself).
        starts = [a for a, _ in reading.spans]
        kinds: list[set[str]] = [set() for _ in reading.spans]
        for m in reading.mentions:
            if starts and m.start >= starts[0]:
                kinds[bisect_right(starts, m.start) - 1].add(m.kind)
        for value, here in zip(compound, kinds, strict=True):
            mood = (
                "negative"
                if value <= _VADER_BUCKETS[-1][1]
                else "positive"
                if value >= _VADER_POSITIVE
                else ""
            )
            out += [f"{mood}@{kind}" for kind in here] if mood else []
        return _Paragraph(reading, found, frozenset(out))

    def read(self, text: str) -> _Reading:
        """Targets, cues, which cue is aimed at which target, and the sentences the rules alone call venting."""
        masked = _mask(text)
        frame = next((reason for reason, pattern in _FRAMES if pattern.search(masked)), "")
        mentions = self._mentions(text, masked)
        cues = self._cues(text, masked)
        spans = _sentences(text)
        mentions += _addressed(masked, spans, mentions)
        set_aside: list[tuple[_Cue, str]] = []
        aimed_by_sentence: list[list[tuple[_Cue, _Mention]]] = []
        recent: list[
            tuple[int, _Mention]
        ] = []  # (sentence index, target): what "they" and "I give up" are about
        praise = [m.span() for m in _IDIOMS.finditer(text)]
        for i, (start, end) in enumerate(spans):
            here = [m for m in mentions if start <= m.start and m.end <= end]
            topic = next((m for j, m in reversed(recent) if i - j <= TOPIC_REACH), None)
            if topic is not None and all(m.kind == "self" for m in here):
                here += [
                    _Mention(p.start(), p.end(), topic.kind, topic.word, topic.named)
                    for p in _PRONOUN.finditer(masked, start, end)
                ]
                first = words(masked[start:end])[:1]
                last = (
                    recent[-1][1] if recent and recent[-1][0] == i - 1 else None
                )  # a left-out subject: the one before
                if last is not None and first and first[0] not in _OWN_SUBJECT:
                    here.append(_Mention(start, start, last.kind, last.word, last.named))
            here.sort(key=_at)
            in_sentence = [c for c in cues if start <= c.start and c.end <= end]
            praised = any(start <= a and b <= end for a, b in praise)
            aimed, aside = self._aim(masked, (start, end), in_sentence, here, topic, praised)
            set_aside += aside
            aimed_by_sentence.append(aimed)
            recent += [
                (i, m) for m in here if m.kind != "self" and m.end > m.start
            ]  # a left-out subject is no chain
        vents, weak = self._verdicts(masked, spans, aimed_by_sentence)
        set_aside += [(c, _WEAK) for c in weak]
        return _Reading(masked, frame, mentions, spans, aimed_by_sentence, vents, set_aside)

    def _verdicts(
        self, masked: str, spans: list[tuple[int, int]], aimed_by_sentence: list[list[tuple[_Cue, _Mention]]]
    ) -> tuple[list[tuple[int, int, list[tuple[_Cue, _Mention]]]], list[_Cue]]:
        """The rules' own verdict: a sentence vents with one strong cue aimed at a target, or two weak ones: its
        own, or one of its own with one left over from the sentence or two before ("… at 5pm on a Friday. 🙄").
        Returns the venting sentences with their cues, and the weak cues that found no second."""
        vents: list[tuple[int, int, list[tuple[_Cue, _Mention]]]] = []
        pending: list[tuple[int, tuple[_Cue, _Mention]]] = []  # weak cues not yet part of a verdict
        for i, ((start, end), aimed) in enumerate(zip(spans, aimed_by_sentence, strict=True)):
            pending = [(j, a) for j, a in pending if i - j <= TOPIC_REACH]
            strong = [a for a in aimed if a[0].kind in STRONG]
            weak = [a for a in aimed if a[0].kind not in STRONG]
            pooled = [a for _, a in pending] + weak if weak else []
            lexical = all(c.kind == "negative" for c, _ in pooled)
            lo = min((c.start for c, _ in pooled), default=start)
            if bool(strong) or (len(pooled) >= 2 and (not lexical or self._negative(masked[lo:end]))):
                vents.append((start, end, strong + pooled))
                pending = []
            else:
                pending += [(i, a) for a in weak]
        return vents, [c for _, (c, _m) in pending]

    def _mentions(self, text: str, masked: str) -> list[_Mention]:
        found = [_Mention(m.start(), m.end(), "self", m.group()) for m in _SELF.finditer(masked)]
        for m in self._targets.finditer(masked):
            if m.group("w") and _NOT_A_TARGET.match(masked, m.start("w")):
                continue
            if m.group("role") or m.group("head"):
                found.append(
                    _Mention(m.start(), m.end(), "client" if m.group("role") else "manager", m.group())
                )
                continue
            word, det = m.group("w").lower(), (m.group("det") or "").lower()
            if word in _NEEDS_DETERMINER and det not in _DEFINITE and not _bare_ok(masked, m.start(), det):
                continue
            if word in _NEEDS_DEFINITE and det not in _DEFINITE:
                continue
            kind = "manager" if word in _MANAGER_WORDS else _TARGET_KINDS.get(word, "client")
            found.append(_Mention(m.start(), m.end(), kind, m.group()))
        for recognizer in self.clients:
            found += [
                _Mention(c.start, c.end, "client", text[c.start : c.end], named=True)
                for c in recognizer.candidates(text)
                if not c.set_aside
            ]
        found.sort(key=_at)
        # "the company I work for", "the manager I report to": that "I" is not what the sentence is about.
        return [
            m
            for k, m in enumerate(found)
            if not (
                m.kind == "self"
                and k
                and found[k - 1].kind != "self"
                and _RELATIVE.fullmatch(masked, found[k - 1].end, m.start)
            )
        ]

    def _cues(self, text: str, masked: str) -> list[_Cue]:
        cues = []
        cues += [_Cue(m.start(), m.end(), rule.name) for rule, m in self.matches(masked)]
        cues += [_Cue(m.start(), m.end(), "scare-quote") for m in _SCARE_QUOTE.finditer(text)]
        cues += [_Cue(m.start(), m.end(), "label") for m in _LABEL_RE.finditer(text)]
        # The word lists are looked up word by word: as regex alternations they cost a millisecond a paragraph.
        for m in _TOKEN.finditer(masked):
            word = m.group().lower()
            singular = word[:-1] if word.endswith("s") else word  # VADER lists "idiot", not "idiots"
            kind = (
                "profanity"
                if word in self._PROFANITY
                else "negative"
                if word in self._VADER_NEGATIVE or singular in self._VADER_NEGATIVE
                else "caps"
                if _shouted(m.group())
                else ""
            )
            if kind:
                cues.append(_Cue(m.start(), m.end(), kind))
        # A cue inside a longer one (the "worst" of "worst client") counts once, and so does a shouted phrase.
        cues.sort(key=lambda c: (c.start, -(c.end - c.start)))
        kept: list[_Cue] = []
        for c in cues:
            if kept and c.kind == kept[-1].kind == "caps" and not masked[kept[-1].end : c.start].strip():
                kept[-1] = _Cue(kept[-1].start, c.end, "caps")
            elif not kept or c.start >= kept[-1].end:
                kept.append(c)
        return kept

    def _aim(
        self,
        masked: str,
        sentence: tuple[int, int],
        cues: list[_Cue],
        mentions: list[_Mention],
        topic: _Mention | None,
        praised: bool,
    ) -> tuple[list[tuple[_Cue, _Mention]], list[tuple[_Cue, str]]]:
        """Each cue of a sentence with the target it is aimed at, or set aside with the reason. `praised`: the
        sentence holds an enthusiastic idiom, so its harsh words are praise ("mad respect, this team is
        ridiculous")."""
        start, end = sentence
        thanks = bool(_THANKS.search(masked, start, end))
        aimed: list[tuple[_Cue, _Mention]] = []
        set_aside: list[tuple[_Cue, str]] = []
        for cue in cues:
            referent = _referent(cue, mentions, masked)
            # "Sick of this." / "the boss … fed up.": anger with no object but "this" is about what came before.
            topical = cue.kind in TOPICAL or (
                cue.kind == ANGER and referent is None and set(words(masked[cue.end : end])) <= _BARE_OBJECT
            )
            if topical and (referent is None or referent.kind == "self" or referent.start > cue.start):
                before = [m for m in mentions if m.kind != "self" and m.end <= cue.start]
                carried = topic and _Mention(start, start, topic.kind, topic.word, topic.named)
                referent = (
                    before[-1]
                    if before
                    else carried or (referent if referent and referent.kind != "self" else None)
                )
            reason = ""
            if referent is None:
                reason = _NO_TARGET
            elif referent.kind == "self":
                reason = _AT_SELF
            elif thanks and cue.kind not in STRONG:
                reason = _THANKING
            elif praised and cue.kind in _PRAISE_SAFE:
                reason = _PRAISING
            if reason:
                set_aside.append((cue, reason))
            else:
                aimed.append((cue, referent))
        return aimed, set_aside

    def _negative(self, sentence: str) -> bool:
        return self._ANALYZER.polarity_scores(sentence)["compound"] <= -0.5

    @staticmethod
    def _rule_reading(used: list[tuple[_Cue, _Mention]], target: _Mention | None) -> str:
        if not used:
            return "no rule fired"
        kinds = ", ".join(dict.fromkeys(c.kind for c, _ in used))
        return f"the rules read {kinds} aimed at '{target.word if target else used[0][1].word}'"

    def _cue_candidate(self, text: str, cue: _Cue, reason: str, offset: int) -> Candidate:
        """A cue set aside, in the offsets of the post whose paragraph `text` starts at `offset`."""
        return Candidate(
            offset + cue.start,
            offset + cue.end,
            ENTITY,
            SCORE,
            f"'{text[cue.start : cue.end]}' ({cue.kind}) is not venting at a work relationship here",
            source=f"tone cue '{cue.kind}'",
            set_aside=reason,
        )

    def _finding(self, parts: list[tuple[int, str, _Paragraph]], probability: float) -> Candidate:
        """The sentence that weighs most towards venting, narrowed to the clause its cues are in, with its
        target and the words that carry the tone: the rules' cues where they fired, else the words the model
        weighed most."""
        weight = self.model.weights

        # Each sentence as (paragraph offset, paragraph, its reading, sentence index, the rules' cues in it).
        sentences = []
        for offset, paragraph, part in parts:
            cues = {(x, y): used for x, y, used in part.reading.vents}
            sentences += [
                (offset, paragraph, part, i, cues.get(span, [])) for i, span in enumerate(part.reading.spans)
            ]
        ruled = [s for s in sentences if s[4] and not s[2].reading.frame]

        def heft(sentence: tuple[int, str, _Paragraph, int, list[tuple[_Cue, _Mention]]]) -> float:
            _, _, part, i, used = sentence
            own = sum(weight.get(g.feature, 0.0) for g in part.grams[i])
            return own + sum(weight.get(f"aimed:{c.kind}", 0.0) for c, _ in used)

        offset, text, part, i, used = max(ruled or sentences, key=heft)
        start, end = part.reading.spans[i]
        if used:
            inside = [(p.start, p.end) for c, m in used for p in (c, m) if start <= p.start and p.end <= end]
            start, end = _clause(text, start, end, min(a for a, _ in inside), max(b for _, b in inside))
            shown = [_phrase(text, c, start, end) for c, _ in used]
        else:
            start, end = _clause(text, start, end, start, end)
            shown = _heaviest(text, part.grams[i], weight)
        mentions = [m for m in part.reading.mentions if m.kind != "self"]
        anywhere = [m for *_, other in parts for m in other.reading.mentions if m.kind != "self"]
        target = next(
            (m for _, m in used),
            next((m for m in mentions if start <= m.start < end), None)
            or (mentions or anywhere or [None])[0],
        )
        label = _target_label(target) if target else "someone at work"
        carrying = ", ".join(dict.fromkeys(f"'{w}'" for w in shown))
        return Candidate(
            offset + start,
            offset + end,
            ENTITY,
            SCORE,
            f"This reads as a complaint about {label}: {carrying}. {ADVICE}",
            source=f"tone: venting likelihood {probability:.2f}; {self._rule_reading(used, target)} (warns from "
            f"{self.model.threshold:.2f}, or from {self.model.corroborated:.2f} when the rules call it venting)",
        )


def _features(parts: list[tuple[int, str, _Paragraph]]) -> frozenset[str]:
    return frozenset(f for *_, part in parts for f in part.features)


def _ruled(parts: list[tuple[int, str, _Paragraph]]) -> bool:
    return any(part.reading.vents and not part.reading.frame for *_, part in parts)


@cache
def _shipped_model() -> LinearModel:
    return LinearModel.load(Path(str(MODEL)))


def _heaviest(text: str, grams: list[Gram], weight: dict[str, float]) -> list[str]:
    """The words that weigh most towards venting, a phrase each: no two overlapping, none a function word."""
    chosen: list[Gram] = []
    for g in sorted(grams, key=lambda g: -weight.get(g.feature, 0.0)):
        if len(chosen) == _SHOWN_WORDS or weight.get(g.feature, 0.0) <= 0:
            break
        if all(g.end <= c.start or c.end <= g.start for c in chosen):
            chosen.append(g)
    return [text[g.start : g.end] for g in sorted(chosen, key=lambda g: g.start)]


def _addressed(masked: str, spans: list[tuple[int, int]], mentions: list[_Mention]) -> list[_Mention]:
    """In an open letter to a target ("Dear clients who …:"), every "you" is that target."""
    if not spans or not _VOCATIVE.match(masked):
        return []
    end = spans[0][1]
    target = next((m for m in mentions if m.kind != "self" and m.end <= end), None)
    if target is None:
        return []
    return [
        _Mention(m.start(), m.end(), target.kind, target.word, target.named) for m in _YOU.finditer(masked)
    ]


def _at(m: _Mention) -> int:
    return m.start


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, a fragment of a word or two ("Zero.", "Every. Week.") joined to the sentence before."""
    out: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        if out and len(words(text[start:end])) <= _FRAGMENT_WORDS and "\n" not in text[out[-1][1] : start]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _shouted(word: str) -> bool:
    """An ordinary word in capitals ("AGAIN", "NEVER"), not an acronym."""
    return len(word) >= _CAPS_MIN and word.isupper() and zipf_frequency(word.lower(), "en") >= _CAPS_ZIPF


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
    following = next((m for m in others if m.start >= cue.end), None)
    if following is not None and _BY.fullmatch(text, cue.end, following.start):
        return following  # "disrespected by a customer"
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
