"""Engine benchmark: quality and speed of Discreet against stock Presidio, measured in the same run.

    .venv/bin/python bench/bench_engine.py [--corpus ../shared/corpus]

Prints figures and ratios; asserts nothing (timings on a shared machine are noisy: note `uptime` beside
them). The bars it reports on: F2 >= 0.90, clean-post alarms <= 5 %, every category's recall >= 0.85; a cold
3,000-character scan >= 4x faster than stock `AnalyzerEngine.analyze`; re-scanning a post as it grows word by
word p95 <= 10 ms and >= 15x faster; start-up to first scan <= 3 s; resident memory <= 400 MB with a
20,000-name roster. Speed is measured twice: on posts built from the shared corpus, and on care-heavy posts
(generated clinician queries and patient sentences, with their clean ones) where NER is needed most. In
process, not over HTTP (bench_service.py measures the service).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from discreet.engine.decision import Decision, Status, utf16_offsets
from discreet.engine.policy import Policy, load_policy
from discreet.engine.scanner import Scanner
from discreet.tuning.evaluation import Report, evaluate, load_corpus

REPO = Path(__file__).resolve().parents[1]
# Stock entity types mapped onto Discreet's categories; types with no counterpart (URL, LOCATION, NRP, ...)
# are left out rather than counted as false alarms, which flatters stock Presidio a little.
STOCK_CATEGORIES = {
    "CLIENT": "client",
    "PROJECT_CODE": "project",
    "PROJECT_CODENAME": "project",
    "PERSON": "patient",
    "UK_NHS": "patient",
    "MEDICAL_LICENSE": "patient",
    "DATE_TIME": "patient",
    **dict.fromkeys(
        (
            "EMAIL_ADDRESS",
            "PHONE_NUMBER",
            "CREDIT_CARD",
            "IBAN_CODE",
            "US_SSN",
            "UK_NINO",
            "US_BANK_NUMBER",
            "US_DRIVER_LICENSE",
            "US_PASSPORT",
            "US_ITIN",
            "IP_ADDRESS",
        ),
        "personal",
    ),
}


def stock_analyzer():
    """Stock Presidio: AnalyzerEngine with its default recognizers, on the same spaCy model as Discreet."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from discreet.recognizers.names import DEFAULT_MODEL

    nlp = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": DEFAULT_MODEL}],
        }
    ).create_engine()
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])


def stock_presidio(policy: Policy):
    """Stock AnalyzerEngine with its default recognizers plus the policy as plain Presidio recognizers."""
    from presidio_analyzer import Pattern, PatternRecognizer

    engine = stock_analyzer()
    for spec in policy.recognizers:
        if spec.roster:
            terms = [a for e in spec.roster for a in e.aliases]
            engine.registry.add_recognizer(
                PatternRecognizer(supported_entity=spec.entity, name=spec.name + " list", deny_list=terms)
            )
        if spec.patterns:
            patterns = [Pattern(p.name, p.regex, p.score) for p in spec.patterns]
            engine.registry.add_recognizer(
                PatternRecognizer(supported_entity=spec.entity, name=spec.name, patterns=patterns)
            )
    return engine


def stock_scan(engine):
    def scan(text: str) -> list[Decision]:
        table = utf16_offsets(text)
        out = []
        for r in engine.analyze(text=text, language="en"):
            start, end = (r.start, r.end) if table is None else (table[r.start], table[r.end])
            category = STOCK_CATEGORIES.get(r.entity_type)
            if category is None:
                continue
            out.append(
                Decision(
                    start,
                    end,
                    text[r.start : r.end],
                    Status.FOUND,
                    category,
                    "",
                    "warn",
                    r.entity_type,
                    "Presidio",
                    "",
                    r.score,
                    r.score,
                    None,
                    "",
                    "",
                    False,
                )
            )
        return out

    return scan


def long_posts(posts: list[str], size: int = 3000, count: int = 12) -> list[str]:
    """Distinct posts of about `size` characters built from shorter ones (each paragraph tagged to be unique)."""
    texts = []
    for k in range(count):
        parts, total, i = [], 0, k * 7
        while total < size:
            post = posts[i % len(posts)]
            parts.append(f"{post} (#{k}-{i})")
            total += len(post)
            i += 1
        texts.append("\n\n".join(parts)[:size])
    return texts


def care_texts() -> list[str]:
    """Texts heavier in care settings than the shared corpus (NER runs on most sentences): the generated
    clinician queries and patient sentences of bench_clinician.py and bench_generalisation.py, with their clean
    ones, in paragraphs of three."""
    sys.path.insert(0, str(REPO / "bench"))
    from bench_generalisation import generate
    from clinician_cases import queries

    sentences = [q["text"] for q in queries()]
    sentences += [g["text"] for g in generate(60) if g["category"] in ("patient", "clean")]
    sentences = [sentences[(i * 37) % len(sentences)] for i in range(len(sentences))]  # mix the kinds
    return [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences) - 2, 3)]


def speed(name: str, policy: Policy, stock, paragraphs: list[str]) -> dict[str, float]:
    """Cold scans of 3,000-character posts and typing one word by word, ours and stock, on `paragraphs`."""
    texts = long_posts(paragraphs)
    fresh = Scanner(policy)
    fresh.warm_up()
    cold = [timed(fresh.scan, t) for t in texts]
    cold_ours, cold_p95 = statistics.median(cold), sorted(cold)[int(len(cold) * 0.95)]
    cold_stock = statistics.median(timed(stock.analyze, t, "en") for t in texts)
    print(f"\n{name}: cold scan of a 3,000-character post (median of {len(texts)}):")
    print(
        f"  discreet {cold_ours:7.1f} ms (p95 {cold_p95:.1f})   stock presidio {cold_stock:7.1f} ms   "
        f"{cold_stock / cold_ours:5.1f}x faster"
    )
    post = long_posts(paragraphs, count=1)[0].replace(" (#0-", " (#typing-")
    cuts = [i for i, ch in enumerate(post) if ch == " "] + [len(post)]
    typing = Scanner(policy)
    typing.warm_up()
    ours_times = [timed(typing.scan, post[:c]) for c in cuts]
    stock_times = [timed(stock.analyze, post[:c], "en") for c in cuts[::8]]
    typed_ours, typed_stock = statistics.median(ours_times), statistics.median(stock_times)
    p95 = sorted(ours_times)[int(len(ours_times) * 0.95)]
    print(f"{name}: typing a 3,000-character post word by word ({len(cuts)} prefixes; stock on every 8th):")
    print(
        f"  discreet p50 {typed_ours:6.2f} ms (p95 {p95:.2f})   stock presidio p50 {typed_stock:7.1f} ms   "
        f"{typed_stock / typed_ours:5.1f}x faster"
    )
    return {
        "cold_ms": cold_ours,
        "cold_p95_ms": cold_p95,
        "stock_cold_ms": cold_stock,
        "typing_p50_ms": typed_ours,
        "typing_p95_ms": p95,
        "stock_typing_p50_ms": typed_stock,
    }


def timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - started) * 1000


def quality_row(name: str, report: Report) -> str:
    cats = " ".join(f"{c}={t.recall:.2f}" for c, t in sorted(report.categories.items()))
    o = report.overall
    return (
        f"  {name:15} F2 {o.f2:.3f}  precision {o.precision:.3f}  recall {o.recall:.3f}  "
        f"clean-post alarms {report.clean_alarm_rate:.1%}  recall by category: {cats}"
    )


def startup_seconds(policy_path: Path) -> float:
    code = textwrap.dedent(
        f"""
        import time; t = time.perf_counter()
        from discreet.engine.policy import load_policy; from discreet.engine.scanner import Scanner
        s = Scanner(load_policy({str(policy_path)!r}))
        s.scan("Mrs Ada Lovett in bed 4 was discharged; DOB 02/03/1941.")
        print(time.perf_counter() - t)
        """
    )
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    in_process = float(out)
    return time.perf_counter() - started, in_process


def memory_mb(roster_names: int, corpus: Path) -> tuple[float, float]:
    """Peak RSS (MB) of a process that loads a roster of this size and scans the corpus; and build seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "clients.txt").write_text(
            "\n".join(f"Client{i:05d} Holdings|CH{i:05d}" for i in range(roster_names)) + "\n",
            encoding="utf-8",
        )
        (folder / "policy.yaml").write_text(
            "recognizers:\n  - {name: r, supported_entity: CLIENT, category: client, deny_list_file: clients.txt}\n",
            encoding="utf-8",
        )
        code = textwrap.dedent(
            f"""
            import time
            from discreet.tuning.evaluation import load_corpus
            from discreet.engine.policy import load_policy; from discreet.engine.scanner import Scanner
            t = time.perf_counter(); s = Scanner(load_policy({str(folder / "policy.yaml")!r}))
            built = time.perf_counter() - t
            for p in load_corpus(__import__("pathlib").Path({str(corpus / "corpus.jsonl")!r})): s.scan(p.text)
            # VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
            hwm = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
            print(int(hwm) / 1024, built)
            """
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    return float(out[0]), float(out[1])


ADVERSARIAL = {
    "one long word": "a" * 50000,
    "capitalised pairs": "Hello World " * 4000,
    "digit groups": "123-" * 10000,
    "credential words": ("password " + "x" * 60 + " ") * 500,
    "connection string keys": "Server=a;" * 5000,
    "user:pass@ runs": "http://a:b@" + "c" * 40000,
    "half e-mails": "a@b." * 10000,
    "unterminated key block": "-----BEGIN RSA PRIVATE KEY-----\n" + "A" * 40000,
    "titled names in care": "Mrs " + "Abc " * 8000 + "patient",
    "emoji": "\U0001f600" * 20000,
    "aimed insults": "my boss is useless and " * 1700,
}


def adversarial(scanner: Scanner) -> None:
    """Inputs built to make regexes backtrack or NER crawl: the slowest shows the worst a post can cost."""
    print("\nAdversarial inputs (about 40,000 characters each; the service caps a post's length):")
    for name, text in ADVERSARIAL.items():
        print(f"  {name:24} {timed(scanner.scan, text):8.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    policy = load_policy(args.corpus / "policy.yaml")
    posts = load_corpus(args.corpus / "corpus.jsonl")
    ours = Scanner(policy)
    ours.warm_up()
    stock = stock_presidio(policy)
    stock_fn = stock_scan(stock)
    stock_fn("warm up")
    figures: dict[str, float] = {}

    print("Quality on the shared corpus (same spaCy model):")
    ours_report, stock_report = evaluate(posts, ours.scan), evaluate(posts, stock_fn)
    print(quality_row("discreet", ours_report))
    print(quality_row("stock presidio", stock_report))
    figures |= {"f2": ours_report.overall.f2, "clean_alarm_rate": ours_report.clean_alarm_rate}
    figures |= {"stock_f2": stock_report.overall.f2, "stock_clean_alarm_rate": stock_report.clean_alarm_rate}

    corpus_speed = speed("Shared corpus", policy, stock, [p.text for p in posts])
    figures |= corpus_speed
    figures |= {f"care_{k}": v for k, v in speed("Care-heavy posts", policy, stock, care_texts()).items()}

    adversarial(Scanner(policy))

    wall, inside = startup_seconds(args.corpus / "policy.yaml")
    print(
        f"\nStart-up to first scan: {wall:.2f} s for a new process ({inside:.2f} s after the interpreter started)"
    )
    rss, built = memory_mb(20000, args.corpus)
    print(f"Peak resident memory with a 20,000-name roster after scanning the corpus: {rss:.0f} MB")
    print(f"20,000-name roster loaded and built in {built:.2f} s")
    figures |= {"startup_s": wall, "rss_mb_20k": rss, "roster_20k_build_s": built}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
