"""How well detection holds on text no one here wrote: Faker-generated labelled sentences, per category.

Run (needs the dev requirements, Faker among them; nothing is fetched):
    .venv/bin/python bench/bench_generalisation.py [--n 400] [--before aa02bb4]

Sentences are built from Faker's names, numbers, addresses and dates (fixed seed, so every run prints the same
figures for the same code) in templates of the styles people post in: clinical shorthand, care homes, claims
operations, personal details, pasted credentials, and clean sentences that only look like them. Each is scored
by the current engine, by the engine at `--before` (a git revision, run from `git archive` in a subprocess) and
by stock Presidio (AnalyzerEngine, default recognizers) in the same run. A sentence counts as found when a
finding of its category overlaps the labelled span (for stock Presidio, which has no categories, any finding);
a clean sentence counts as warned when anything at `warn` or `block` is found.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = 20250611


def _templates():
    """(category, template) pairs; {x} is the labelled span, other fields are context."""
    patient = [
        "{age}yo {sex} pt w/ hx of {cond}, {x}, seen at {city} on {short}",
        "Handover: {x} in bed {bed}, {age} {sex}, s/p {proc}, c/o pain overnight",
        "Night shift was rough, {x} in bay {bed} kept pulling at her cannula",
        "Claim for {x} was denied again, member ID {id} does not match",
        "Mrs {x} in side room {bed} is asking for her daughter",
        "{x}, {age}, admitted with {cond} last night, started on {drug}",
        "DOB {x} on the wristband didn't match the chart",
        "Our resident {x} on the dementia unit turned {age} today",
        "Subscriber ID {x} was billed twice for the same MRI",
        "Baby {x} is finally off oxygen in the NICU",
        "Pt {x} dx {cond}, f/u in 2 weeks",
        "Mr {x} on {drug} since his stroke, family visiting at 3",
    ]
    personal = [
        "You can text me on {x} after six",
        "Her mobile is {x} if the ward needs her",
        "my US number is {x}, call any time",
        "email me at {x} and I'll send the forms",
        "SSN {x} was in the subject line of the ticket",
        "She moved to {x} last month",
        "Card {x} was read out on the call",
        "NI number {x} on the payslip",
    ]
    secret = [
        "export API_TOKEN={x}",
        "curl -u admin:{x} https://jira.internal/rest/api/2",
        "the wifi password is {x} for guests",
        "DEV=1 HF_TOKEN={x} poetry run python app.py",
        "my gitlab token {x} stopped working",
        "OPENAI_API_KEY={x}",
        "db_password: {x}",
        "slack bot {x} in the config",
    ]
    clean = [
        "Great panel with {name} on interoperability at {city} this week",
        "Thanks to {name} for the migration runbook, a huge effort",
        "Call our helpdesk on {tollfree} for support",
        "In {year} we grew to {num} staff across {num2} sites",
        "Room {bed} is booked for the sprint review at {short}",
        "Reset your password today: password managers are great",
        "Ticket {ref} closed after the patch",
        "{name} ran the marathon in memory of her dad, who had dementia",
        "Send your CV to careers@{domain}",
        "Our office is at {address}",
        "Version {ver} fixes the login bug on Windows {win}",
        "Dr {last} presented the sepsis dashboard at the summit",
    ]
    return (
        [("patient", t) for t in patient]
        + [("personal", t) for t in personal]
        + [("secret", t) for t in secret]
        + [("clean", t) for t in clean]
    )


_CONDITIONS = ["CKD", "COPD", "type 2 diabetes", "atrial fibrillation", "pneumonia", "sepsis", "a UTI", "CHF"]
_PROCEDURES = ["CABG", "hip replacement", "appendectomy", "TKR", "lap chole"]
_DRUGS = ["metformin", "apixaban", "amoxicillin", "furosemide", "ramipril", "sertraline", "warfarin"]


def _span(fake, rng, category: str, template: str) -> str:
    """The labelled value a template's {x} stands for."""
    if category == "patient":
        if "DOB" in template:
            return rng.choice(
                [
                    fake.date_of_birth().strftime(fmt)
                    for fmt in ("%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%d-%b-%Y")
                ]
            )
        if "ID {x}" in template:
            return rng.choice([fake.bothify("??-#######-##").upper(), fake.bothify("?#########").upper()])
        if template.startswith("Mrs"):
            return fake.last_name()
        if "resident" in template or template.startswith("Baby"):
            return fake.first_name()
        if template.startswith("Mr "):
            return f"{fake.random_uppercase_letter()}. {fake.last_name()}"
        if template.startswith("Pt") or "hx of" in template:
            return f"{fake.first_name()} {fake.last_name()[0]}."
        # A full name without Faker's titles and suffixes ("Dr Billy Thompson" would be a clinician).
        return f"{fake.first_name()} {fake.last_name()}"
    if category == "personal":
        if "text me" in template or "mobile" in template:
            return rng.choice(
                [
                    fake.phone_number(),
                    "07700 9" + fake.numerify("#####"),
                    "+44 7700 9" + fake.numerify("#####"),
                ]
            )
        if "US number" in template:
            return rng.choice(
                [
                    "(" + fake.numerify("###") + ") 555-01" + fake.numerify("##"),
                    "+1 " + fake.numerify("### 555 01##"),
                ]
            )
        if "email" in template:
            return rng.choice(
                [
                    fake.free_email(),
                    f"{fake.first_name().lower()}.{fake.last_name().lower()}@{fake.domain_name()}",
                ]
            )
        if "SSN" in template:
            return fake.ssn()
        if "moved" in template:
            return fake.address().replace("\n", ", ")
        if "Card" in template:
            return fake.credit_card_number()
        return fake.bothify("??######?", letters="ABCEHJKLMNPRSTWXYZ")[:8] + rng.choice("ABCD")
    if "password is" in template:
        return "-".join(fake.words(3))
    if "curl" in template:
        return fake.password(length=12)
    if "HF_TOKEN" in template:
        return "hf_" + fake.pystr(min_chars=34, max_chars=34)
    if "gitlab" in template:
        return "glpat-" + fake.pystr(min_chars=20, max_chars=20)
    if "OPENAI" in template:
        return "sk-proj-" + fake.pystr(min_chars=48, max_chars=48)
    if "slack" in template:
        return f"xoxb-{fake.numerify('############')}-{fake.numerify('#############')}-{fake.pystr(min_chars=24, max_chars=24)}"
    return fake.password(length=20)


def generate(n: int) -> list[dict]:
    """`n` sentences per category (patient, personal, secret, clean), labelled, in a fixed order."""
    from faker import Faker

    fake = Faker(["en_US", "en_GB"])
    Faker.seed(SEED)
    rng = random.Random(SEED)
    by_category: dict[str, list[str]] = {}
    for category, template in _templates():
        by_category.setdefault(category, []).append(template)
    out = []
    for category, templates in by_category.items():
        for i in range(n):
            template = templates[i % len(templates)]
            value = _span(fake, rng, category, template) if "{x}" in template else ""
            fields = {
                "x": value,
                "age": rng.randint(19, 97),
                "sex": rng.choice("MF"),
                "cond": rng.choice(_CONDITIONS),
                "proc": rng.choice(_PROCEDURES),
                "drug": rng.choice(_DRUGS),
                "city": fake.city(),
                "short": f"{rng.randint(1, 12)}/{rng.randint(1, 28)}",
                "bed": rng.randint(1, 30),
                "id": fake.bothify("??-#######").upper(),
                "last": fake.last_name(),
                "name": fake.name(),
                "tollfree": "0800 " + fake.numerify("### ####"),
                "year": rng.randint(2015, 2025),
                "num": f"{rng.randint(100, 3000):,}",
                "num2": rng.randint(2, 40),
                "ref": fake.bothify("INC-######"),
                "domain": fake.domain_name(),
                "address": fake.address().replace("\n", ", "),
                "ver": f"{rng.randint(1, 9)}.{rng.randint(0, 20)}",
                "win": rng.choice([10, 11]),
            }
            text = template.format(**fields)
            start = text.find(value) if value else -1
            out.append(
                {
                    "category": category,
                    "text": text,
                    "span": [start, start + len(value)] if value else None,
                }
            )
    return out


def score(found: list[list[tuple[int, int, str, str]]], items: list[dict], any_category: bool) -> dict:
    """Recall per labelled category, and the share of clean sentences warned."""
    table: dict[str, list[int]] = {}
    for item, findings in zip(items, found, strict=True):
        category = item["category"]
        hits = table.setdefault(category, [0, 0])
        hits[1] += 1
        if category == "clean":
            hits[0] += any(sev != "info" for _, _, _, sev in findings)
            continue
        s, e = item["span"]
        hits[0] += any(a < e and s < b and (any_category or c == category) for a, b, c, _ in findings)
    return {c: round(h[0] / h[1], 3) for c, h in table.items()}


def run_engine(items: list[dict]) -> tuple[list, float]:
    from discreet.engine.policy import load_policy
    from discreet.engine.scanner import Scanner

    scanner = Scanner(load_policy(REPO / "recognizers" / "packs" / "demo" / "policy.yaml"))
    scanner.warm_up()
    t = time.perf_counter()
    found = [[(d.start, d.end, d.category, d.severity) for d in scanner.scan(i["text"])] for i in items]
    return found, (time.perf_counter() - t) / len(items) * 1000


def run_presidio(items: list[dict]) -> tuple[list, float]:
    from bench_engine import stock_analyzer

    analyzer = stock_analyzer()
    t = time.perf_counter()
    found = [
        [
            (r.start, r.end, "any", "warn")
            for r in analyzer.analyze(i["text"], language="en")
            if r.score >= 0.4
        ]
        for i in items
    ]
    return found, (time.perf_counter() - t) / len(items) * 1000


def run_before(rev: str, items: list[dict]) -> tuple[list, float]:
    """The engine at `rev`, from `git archive`, laid out as the package and run in a subprocess."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", rev, "service", "recognizers"],
            check=True,
            capture_output=True,
        ).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        package = Path(tmp) / "pkg"
        package.mkdir()
        (Path(tmp) / "service").rename(package / "discreet")
        (Path(tmp) / "recognizers").rename(package / "discreet" / "recognizers")
        (Path(tmp) / "items.json").write_text(json.dumps(items), encoding="utf-8")
        code = (
            "import json,sys;sys.path.insert(0,sys.argv[1]);sys.argv[1:]=[];"
            f"sys.path.insert(1,{str(REPO / 'bench')!r});import bench_generalisation as b;"
            f"items=json.load(open({str(Path(tmp) / 'items.json')!r}));print(json.dumps(b.run_engine(items)))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(package)], check=True, capture_output=True, text=True, cwd=tmp
        ).stdout
    found, ms = json.loads(out.splitlines()[-1])
    return [[tuple(f) for f in row] for row in found], ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=400, help="sentences per category (default 400)")
    parser.add_argument("--before", default="aa02bb4", help="git revision to compare with (default aa02bb4)")
    args = parser.parse_args()
    items = generate(args.n)
    rows = {
        f"Discreet at {args.before}": run_before(args.before, items),
        "Discreet now": run_engine(items),
        "stock Presidio": run_presidio(items),
    }
    categories = ["patient", "personal", "secret"]
    print(f"{len(items)} generated sentences ({args.n} per category, seed {SEED})")
    print(
        f"{'engine':<24}"
        + "".join(f"{c + ' recall':>17}" for c in categories)
        + f"{'clean warned':>14}{'ms/sentence':>13}"
    )
    for name, (found, ms) in rows.items():
        table = score(found, items, any_category=name == "stock Presidio")
        print(
            f"{name:<24}"
            + "".join(f"{table[c]:>17.3f}" for c in categories)
            + f"{table['clean']:>14.3f}{ms:>13.2f}"
        )


if __name__ == "__main__":
    main()
