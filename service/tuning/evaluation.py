"""Scoring findings against a labelled corpus: precision, recall and F2 per category, clean-post alarms.

A finding matches a labelled span of the same category when their overlap is at least half of the longer
of the two. Offsets are compared in UTF-16 units, as the extension sees them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from discreet.engine.decision import Decision, utf16_offsets


@dataclass
class Post:
    id: str
    text: str
    spans: list[dict]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f2(self) -> float:
        p, r = self.precision, self.recall
        return 5 * p * r / (4 * p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f2": round(self.f2, 3),
        }


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    categories: dict[str, Tally] = field(default_factory=dict)
    clean_posts: int = 0
    clean_posts_flagged: int = 0
    misses: list[dict] = field(default_factory=list)
    false_alarms: list[dict] = field(default_factory=list)
    outcomes: dict[str, tuple] = field(default_factory=dict)

    @property
    def clean_alarm_rate(self) -> float:
        return self.clean_posts_flagged / self.clean_posts if self.clean_posts else 0.0

    def as_dict(self) -> dict:
        return {
            "overall": self.overall.as_dict(),
            "categories": {k: v.as_dict() for k, v in sorted(self.categories.items())},
            "clean_posts": self.clean_posts,
            "clean_posts_flagged": self.clean_posts_flagged,
            "clean_alarm_rate": round(self.clean_alarm_rate, 3),
            "misses": self.misses,
            "false_alarms": self.false_alarms,
        }


def load_corpus(path: Path) -> list[Post]:
    with path.open(encoding="utf-8") as fh:
        return parse_corpus(fh, str(path))


def parse_corpus(lines: Iterable[str], source: str) -> list[Post]:
    """Posts of a JSON-lines corpus; `source` names it in errors (`source:line: ...`)."""
    posts = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            text = d["text"]
            posts.append(Post(str(d["id"]), text, [_span(text, s) for s in d.get("spans", [])]))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
            raise ValueError(f"{source}:{number}: not a corpus line ({err})") from None
    return posts


def _span(text: str, span: dict) -> dict:
    """A labelled span checked against its post; its `text` is filled in when the corpus leaves it out."""
    start, end, category = span["start"], span["end"], span["category"]
    if not isinstance(text, str) or not isinstance(category, str):
        raise TypeError("'text' and each span's 'category' must be strings")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise ValueError(f"span {start}-{end} is not within the post")
    return {**span, "text": span.get("text", text[start:end])}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return overlap > 0 and overlap * 2 >= max(a[1] - a[0], b[1] - b[0])


def evaluate(
    posts: Iterable[Post], scan: Callable[[str], list[Decision]], step: Callable[[], None] = lambda: None
) -> Report:
    report = Report()
    for post in posts:
        table = utf16_offsets(post.text)
        gold = [
            (
                s["category"],
                (s["start"], s["end"]) if table is None else (table[s["start"]], table[s["end"]]),
                s["text"],
            )
            for s in post.spans
        ]
        found = scan(post.text)
        matched_gold: set[int] = set()
        outcome = []
        for f in found:
            hit = next(
                (
                    i
                    for i, (cat, span, _) in enumerate(gold)
                    if i not in matched_gold and cat == f.category and _overlaps(span, (f.start, f.end))
                ),
                None,
            )
            tally = report.categories.setdefault(f.category, Tally())
            if hit is None:
                tally.fp += 1
                report.overall.fp += 1
                report.false_alarms.append({"id": post.id, "category": f.category, "text": f.text})
                outcome.append(("fp", f.category, f.text))
            else:
                matched_gold.add(hit)
                tally.tp += 1
                report.overall.tp += 1
                outcome.append(("tp", f.category, f.text))
        for i, (cat, _, text) in enumerate(gold):
            if i not in matched_gold:
                report.categories.setdefault(cat, Tally()).fn += 1
                report.overall.fn += 1
                report.misses.append({"id": post.id, "category": cat, "text": text})
                outcome.append(("fn", cat, text))
        if not post.spans:
            report.clean_posts += 1
            report.clean_posts_flagged += bool(found)
        report.outcomes[post.id] = tuple(sorted(outcome))
        step()
    return report
