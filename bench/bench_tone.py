"""Tone benchmark: what a keystroke costs with the tone family on, and how it scores on its held-out sets.

    .venv/bin/python bench/bench_tone.py [--corpus ../shared/corpus] [--repeat 5] [--quality]

The budget (issue 14): <= 2 ms per changed paragraph on top of today's scan. A keystroke is simulated at the
end of every paragraph of the shared corpus and of the tone sets, each post's other paragraphs cached as
while typing: `Scanner.decide` with the corpus's policy, and the same policy without tone.
Quality is post-level (a post counts as warned when any `tone` finding is shown on it) on every set in
tests/engine/data/tone, none of which the model was fitted on, with the demo policy; and, for the warned
venting posts, whether the mark overlaps a clause its writer marked `{{ }}`. Then the share of ordinary posts
warned: the shared corpus and recognizers/data/benign_sample.txt. `--quality` skips the timings.
bench/bench_tone_before.py prints the same quality figures for an earlier commit. Prints figures; asserts
nothing (timings on a shared machine are noisy).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from discreet.cli.policy_arg import DEMO_POLICY
from discreet.engine.policy import load_policy
from discreet.engine.scanner import Scanner
from discreet.recognizers.text import paragraph_spans
from discreet.recognizers.tone_corpus import (
    HELD_OUT,
    HELD_OUT_SETS,
    REPO,
    TonePost,
    ToneScore,
    load_posts,
    score,
)
from discreet.tuning.evaluation import load_corpus
from discreet.tuning.policy_check import benign_sample

T = TypeVar("T")


def keystrokes(texts: list[str]) -> list[tuple[str, int]]:
    """(post, end of one of its paragraphs): a keystroke at the end of that paragraph."""
    return [(text, end) for text in texts for _, end in paragraph_spans(text)]


def per_call_ms(fn: Callable[[T], object], items: list[T], repeat: int) -> list[float]:
    """The best of `repeat` timings of `fn` on each item, in milliseconds."""
    out = []
    for item in items:
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn(item)
            best = min(best, time.perf_counter() - t0)
        out.append(best * 1000)
    return out


def summary(name: str, ms: list[float]) -> None:
    ordered = sorted(ms)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(
        f"  {name:<44} median {statistics.median(ms):6.3f} ms   p95 {p95:6.3f} ms   max {ordered[-1]:6.3f} ms"
    )


def keystroke(scanner: Scanner) -> Callable[[tuple[str, int]], object]:
    """`decide` on the post with a character typed at the end of one paragraph, a different one each call so
    that paragraph is never cached; the post's other paragraphs are, as while typing."""
    typed = itertools.count()

    def run(item: tuple[str, int]) -> object:
        text, end = item
        return scanner.decide(f"{text[:end]} {next(typed)}{text[end:]}")

    return run


def timings(policy_path: Path, tone_posts: list[TonePost], repeat: int) -> Scanner:
    """Cost of a keystroke (one changed paragraph); returns the scanner with tone, warmed up."""
    texts = [p.text for p in load_corpus(policy_path.parent / "corpus.jsonl")] + [p.text for p in tone_posts]
    items = keystrokes(texts)
    print(
        f"{len(items)} keystrokes (one per paragraph of the shared corpus and the tone sets), best of {repeat}"
    )
    with_tone = Scanner(load_policy(policy_path))
    without_tone = Scanner(
        load_policy(
            policy_path,
            policy_path.read_text(encoding="utf-8") + "\nbuiltin_recognizers: [patient, secret, personal]\n",
        ),
        names=with_tone.names,
    )
    with_tone.warm_up()
    for text in texts:  # every paragraph that is not typed in is cached, as in a post being written
        with_tone.decide(text)
        without_tone.decide(text)
    print("cost of a keystroke (one paragraph changed, the others cached):")
    base = per_call_ms(keystroke(without_tone), items, repeat)
    full = per_call_ms(keystroke(with_tone), items, repeat)
    summary("Scanner.decide without tone", base)
    summary("Scanner.decide with tone", full)
    summary("difference (with - without)", [f - b for f, b in zip(full, base, strict=True)])
    return with_tone


def quality(name: str, scanner: Scanner, posts: list[TonePost]) -> ToneScore:
    """Prints and returns the post-level score of `scanner` on `posts`, and where its marks land."""
    r = score(posts, lambda text: any(f.category == "tone" for f in scanner.scan(text)))
    counts = ", ".join(f"{k} {len(r.warned.get(k, []))}/{v}" for k, v in sorted(r.totals.items()))
    print(
        f"  {name:<15} venting warned {r.recall:6.1%}  others warned {r.others_rate:5.1%}  "
        f"hard negatives warned {r.rate('hard'):5.1%}  precision {r.precision:6.1%}  ({counts})"
    )
    marked = [p for p in posts if p.vents and p.id in r.warned.get("vent", [])]
    if marked:
        on = sum(
            any(
                d.start < b and a < d.end
                for d in scanner.decide(p.text)
                if d.category == "tone" and d.found
                for a, b in p.vents
            )
            for p in marked
        )
        print(f"  {'':<15} the mark overlaps a clause its writer marked as venting: {on}/{len(marked)}")
    return r


def ordinary(name: str, scanner: Scanner, texts: list[str]) -> None:
    warned = sum(any(f.category == "tone" for f in scanner.scan(t)) for t in texts)
    print(f"  {name:<40} {warned}/{len(texts)} ({warned / len(texts):.1%}) get a tone warning")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quality", action="store_true", help="only the quality figures, no timings")
    args = parser.parse_args()

    policy_path = args.corpus / "policy.yaml"
    held_out = {name: load_posts(HELD_OUT / name) for name in HELD_OUT_SETS}
    shared = (
        Scanner(load_policy(policy_path))
        if args.quality
        else timings(policy_path, [p for posts in held_out.values() for p in posts], args.repeat)
    )
    demo = Scanner(load_policy(DEMO_POLICY), names=shared.names)
    print("quality on posts the model was never fitted on (post level, demo policy):")
    for name, posts in held_out.items():
        quality(name, demo, posts)
    print("ordinary posts (the stand-ins for real public posts):")
    ordinary(
        "shared corpus, its own policy", shared, [p.text for p in load_corpus(args.corpus / "corpus.jsonl")]
    )
    ordinary("recognizers/data/benign_sample.txt lines", demo, sorted(benign_sample()))


if __name__ == "__main__":
    main()
