"""The tone family of an earlier commit on today's held-out tone sets: the "before" of a before-and-after.

    .venv/bin/python bench/bench_tone_before.py [COMMIT]   (default 5268d3c, the rules before the model)

Exports COMMIT with `git archive` into a temporary folder laid out as the installed package (`service/` as
`discreet`, `recognizers/` as `discreet.recognizers`) and scores its demo policy's Scanner there, in a
subprocess, on the sets in tests/engine/data/tone (the `{{ }}` marks stripped) and the shared corpus, the
same way bench/bench_tone.py --quality scores today's code. Uses only what every commit's engine offers
(`load_policy`, `Scanner.scan`). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from discreet.recognizers.tone_corpus import HELD_OUT, HELD_OUT_SETS, REPO

SCORE = r"""
import re, sys
from pathlib import Path
from discreet.engine.policy import load_policy
from discreet.engine.scanner import Scanner
held_out, shared = Path(sys.argv[1]), Path(sys.argv[2])
demo = Scanner(load_policy(Path(sys.argv[3])))
def warned(scanner, text):
    return any(f.category == "tone" for f in scanner.scan(text))
for name in sys.argv[4:]:
    body = "\n" + (held_out / name).read_text(encoding="utf-8").replace("{{", "").replace("}}", "")
    posts = [p.strip().split("\n", 1) for p in body.split("\n=====\n") if p.strip().startswith("@ ")]
    totals, hits = {}, {}
    for header, text in posts:
        label = header.split()[3]
        totals[label] = totals.get(label, 0) + 1
        hits[label] = hits.get(label, 0) + warned(demo, text.strip())
    rate = lambda *ls: sum(hits.get(l, 0) for l in ls) / max(sum(totals.get(l, 0) for l in ls), 1)
    print(f"  {name:<15} venting warned {rate('vent'):6.1%}  others warned {rate('neutral', 'hard'):5.1%}  "
          f"hard negatives warned {rate('hard'):5.1%}  ({hits} of {totals})")
scanner = Scanner(load_policy(shared / "policy.yaml"))
import json
texts = [json.loads(l)["text"] for l in (shared / "corpus.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
n = sum(warned(scanner, t) for t in texts)
print(f"  shared corpus, its own policy: {n}/{len(texts)} ({n / len(texts):.1%}) get a tone warning")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", nargs="?", default="5268d3c")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = parser.parse_args()
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", args.commit], capture_output=True, check=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        source, package = Path(tmp) / "source", Path(tmp) / "package"
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(source, filter="data")
        shutil.copytree(source / "service", package / "discreet")
        shutil.copytree(source / "recognizers", package / "discreet" / "recognizers")
        demo = package / "discreet" / "recognizers" / "packs" / "demo" / "policy.yaml"
        print(
            f"tone family at {args.commit}, on today's held-out sets (post level, demo policy):", flush=True
        )
        subprocess.run(
            [sys.executable, "-c", SCORE, str(HELD_OUT), str(args.corpus), str(demo), *HELD_OUT_SETS],
            env={"PYTHONPATH": str(package), "PATH": "/usr/bin:/bin", "HOME": tmp},
            cwd=tmp,
            check=True,
        )


if __name__ == "__main__":
    main()
