"""Labelled tone corpora and their post-level score, shared by the tone model's training, its tests and
bench/bench_tone.py: a post counts as warned when any `tone` finding is shown on it.

The format: posts split on lines of `=====`, each headed `@ <id> <site> <label> <tag>`. In a venting post of a
training set, `{{` and `}}` wrap the clauses that vent, so that the model learns which paragraph carries it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import regex

REPO = Path(__file__).resolve().parents[1]
TRAINING = REPO / "recognizers" / "training" / "tone"  # what the model is fitted on, one file per writer
HELD_OUT = REPO / "tests" / "engine" / "data" / "tone"  # never fitted on
POSTS = HELD_OUT / "posts.txt"  # the rules were tuned on it
# Written before the second round of rules and never used to tune them.
HELDOUT = HELD_OUT / "heldout.txt"
# Written after the second round of rules, before the learned-weights experiment; never tuned or fitted on.
HELDOUT2 = HELD_OUT / "heldout2.txt"
# Every held-out set, as the benches report them: the issue-shaped sets, ordinary posts, the earlier rounds'.
HELD_OUT_SETS = (
    "heldout3.txt",
    "heldout4.txt",
    "heldout5.txt",
    "heldout6.txt",
    "heldout7.txt",
    "ordinary.txt",
    "ordinary2.txt",
    "ordinary3.txt",
    "ordinary4.txt",
    "heldout.txt",
    "heldout2.txt",
    "posts.txt",
)
LABELS = ("vent", "neutral", "hard")


@dataclass(frozen=True)
class TonePost:
    id: str
    site: str
    label: str  # vent | neutral | hard
    tag: str  # the target of a vent, or the kind of hard negative
    text: str
    vents: tuple[tuple[int, int], ...] = ()  # the marked clauses of a training post, offsets into `text`


@dataclass
class ToneScore:
    warned: dict[str, list[str]] = field(default_factory=dict)  # label -> ids of posts with a tone warning
    totals: dict[str, int] = field(default_factory=dict)

    def rate(self, label: str) -> float:
        return len(self.warned.get(label, [])) / self.totals[label] if self.totals.get(label) else 0.0

    @property
    def recall(self) -> float:
        return self.rate("vent")

    @property
    def precision(self) -> float:
        flagged = sum(len(v) for v in self.warned.values())
        return len(self.warned.get("vent", [])) / flagged if flagged else 1.0

    @property
    def others_rate(self) -> float:
        """The share of posts that do not vent (neutral and hard negatives) that get a tone warning."""
        others = self.totals.get("neutral", 0) + self.totals.get("hard", 0)
        flagged = len(self.warned.get("neutral", [])) + len(self.warned.get("hard", []))
        return flagged / others if others else 0.0


def load_posts(path: Path = POSTS) -> list[TonePost]:
    """Posts split on lines of `=====`, each headed `@ <id> <site> <label> <tag>`; `#` lines before the first
    post are comments. A malformed header is an error naming its line."""
    posts: list[TonePost] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    header: tuple[int, list[str]] | None = None
    body: list[str] = []

    def close() -> None:
        if header is not None:
            number, parts = header
            if len(parts) != 5 or parts[3] not in LABELS:
                raise ValueError(f"{path}:{number}: header must be '@ <id> <site> <vent|neutral|hard> <tag>'")
            text, vents = _unmark("\n".join(body).strip())
            if parts[3] != "vent" and vents:
                raise ValueError(f"{path}:{number}: only a venting post may mark clauses with {{{{ }}}}")
            posts.append(TonePost(parts[1], parts[2], parts[3], parts[4], text, vents))

    for number, line in enumerate(lines, start=1):
        if line == "=====":
            close()
            header, body = None, []
        elif header is None and line.startswith("@ "):
            header = (number, line.split())
        elif header is not None:
            body.append(line)
    close()
    return posts


_MARK = regex.compile(r"\{\{(.*?)\}\}", regex.DOTALL)


def _unmark(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The text without its `{{ }}` marks, and where the marked clauses are in it."""
    text, vents, last = [], [], 0
    length = 0
    for m in _MARK.finditer(marked):
        text.append(marked[last : m.start()])
        length += m.start() - last
        vents.append((length, length + len(m.group(1))))
        text.append(m.group(1))
        length += len(m.group(1))
        last = m.end()
    text.append(marked[last:])
    return "".join(text), tuple(vents)


def score(posts: list[TonePost], warns: Callable[[str], bool], ids: set[str] | None = None) -> ToneScore:
    """Which posts (of `ids`, when given) `warns` flags, by label."""
    result = ToneScore()
    for post in posts:
        if ids is not None and post.id not in ids:
            continue
        result.totals[post.label] = result.totals.get(post.label, 0) + 1
        if warns(post.text):
            result.warned.setdefault(post.label, []).append(post.id)
    return result
