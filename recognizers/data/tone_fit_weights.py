"""Fit tone_weights.txt: the logistic regression that decides, from what the tone rules read in a paragraph,
whether it vents at a work relationship.

    .venv/bin/python recognizers/data/tone_fit_weights.py [--corpus ../shared/corpus]

Hand-set thresholds (one strong cue, or two weak ones) did not carry from one author's posts to another's; the
weights let weak evidence add up (a target, a negative sentence, a rhetorical question) and learn what each
cue is worth. Training data: the labelled tone corpora posts.txt (scored with the shared corpus's policy, whose
roster holds its clients) and heldout.txt (the demo policy); heldout2.txt is never read here. Paragraphs inside a
training or grief frame, or with no cue aimed at a target, never warn and are left out of the fit. Features are
standardised and fitted with L2-penalised Newton steps (numpy, a fitting-time tool only: the recognizer
computes a dot product). The threshold is the lowest that keeps false alarms at or under 5 % of the training
negatives, on scores each post gets from a model fitted without it (5-fold), so the in-sample fit does not
flatter it. Deterministic: the same corpora give the same file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from discreet.cli.policy_arg import DEMO_POLICY
from discreet.engine.policy import load_policy
from discreet.engine.scanner import Scanner
from discreet.recognizers.tone import ToneRecognizer

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "engine"))
from tone_corpus import HELDOUT, POSTS, load_posts  # noqa: E402

OUT = Path(__file__).with_name("tone_weights.txt")
PENALTIES = (1.0, 10.0, 100.0, 1000.0)  # L2 on standardised weights, picked by out-of-fold recall
FALSE_ALARMS = 0.05  # the bar for posts that do not vent
FOLDS = 5


def tone_of(scanner: Scanner) -> ToneRecognizer:
    return next(b.recognizer for b in scanner._bound if isinstance(b.recognizer, ToneRecognizer))


def examples(corpus: Path) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Feature names, the feature matrix, labels (1 = vents) and whether each post can warn at all."""
    rows, labels, open_ = [], [], []
    names: list[str] = []
    for path, policy in ((POSTS, corpus / "policy.yaml"), (HELDOUT, DEMO_POLICY)):
        tone = tone_of(Scanner(load_policy(policy)))
        for post in load_posts(path):
            reading = tone.read(post.text)
            features = tone.features(reading)
            names = list(features)
            rows.append([features[n] for n in names])
            labels.append(post.label == "vent")
            open_.append(reading.open)
    return names, np.array(rows, float), np.array(labels, float), np.array(open_, bool)


def fit(x: np.ndarray, y: np.ndarray, penalty: float) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Weights and bias on standardised features, and the mean and scale that standardise them."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    ridge = penalty * np.eye(z.shape[1])
    ridge[0, 0] = 0.0  # the bias is not penalised
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        gradient = z.T @ (p - y) + ridge @ w
        hessian = z.T @ (z * (p * (1 - p))[:, None]) + ridge
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w[1:], float(w[0]), mean, scale


def scores(x: np.ndarray, model: tuple[np.ndarray, float, np.ndarray, np.ndarray]) -> np.ndarray:
    w, b, mean, scale = model
    return b + ((x - mean) / scale) @ w


def out_of_fold(x: np.ndarray, y: np.ndarray, penalty: float) -> np.ndarray:
    """Each post's score from a model fitted on the other folds (folds by position, every FOLDS-th post)."""
    out = np.empty(len(y))
    fold = np.arange(len(y)) % FOLDS
    for k in range(FOLDS):
        held = fold == k
        out[held] = scores(x[held], fit(x[~held], y[~held], penalty))
    return out


def threshold(oof: np.ndarray, y: np.ndarray, open_: np.ndarray) -> float:
    """The lowest score threshold that warns on at most FALSE_ALARMS of the negatives (closed posts never do)."""
    negatives = np.sort(oof[(y == 0) & open_])[::-1]
    allowed = int(FALSE_ALARMS * (y == 0).sum())
    return float(negatives[allowed] + 1e-6) if allowed < len(negatives) else float(negatives.min())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = parser.parse_args()
    names, x, y, open_ = examples(args.corpus)
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)  # (out-of-fold recall, penalty, threshold)
    for penalty in PENALTIES:
        oof = np.full(len(y), -np.inf)  # a closed post never warns
        oof[open_] = out_of_fold(x[open_], y[open_], penalty)
        t = threshold(oof, y, open_)
        warned = oof >= t
        print(
            f"penalty {penalty:g}: out-of-fold at threshold {t:.3f}, venting warned {warned[y == 1].mean():.1%}, "
            f"others warned {warned[y == 0].mean():.1%}"
        )
        best = max(best, (float(warned[y == 1].mean()), penalty, t))
    _, penalty, t = best
    print(f"{len(y)} posts ({int(y.sum())} venting), {int(open_.sum())} fitted; penalty {penalty:g}")
    w, b, mean, scale = fit(x[open_], y[open_], penalty)
    raw = w / scale
    bias = b - float(raw @ mean)
    lines = [
        "# Tone weights: written by recognizers/data/tone_fit_weights.py from tests/engine/data/tone/posts.txt",
        "# and heldout.txt. Do not edit by hand; refit. A paragraph vents when bias + sum(weight * feature)",
        "# reaches threshold (log-odds; features as ToneRecognizer.features computes them).",
        f"bias\t{bias:.6f}",
        f"threshold\t{t:.6f}",
        f"# L2 penalty {penalty:g}, picked by out-of-fold recall at <= {FALSE_ALARMS:.0%} false alarms",
        *(f"{n}\t{v:.6f}" for n, v in sorted(zip(names, raw, strict=True), key=lambda nv: -abs(nv[1]))),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name}: {len(names)} weights")


if __name__ == "__main__":
    main()
