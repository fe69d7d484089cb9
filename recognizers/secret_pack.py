"""Secret packs: a security team's gitleaks-format rule file, read as extra secret rules.

Teams already keep gitleaks TOML for their repositories; the same file names their own token formats for posts.
Read from it: each `[[rules]]` `id`, `description`, `regex`, `secretGroup`, `entropy`, `keywords` and its
allowlist (`[rules.allowlist]` or `[[rules.allowlists]]`: `regexes`, `stopwords`), and the file's global
`[allowlist]`. `path`-only rules match file names, not text, and are refused. Every problem names file and line.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import regex

_RULE_HEADER = regex.compile(r"^\s*\[\[\s*rules\s*\]\]\s*(?:#.*)?$")


@dataclass(frozen=True, slots=True)
class PackRule:
    """One gitleaks rule, ready to run on a post."""

    id: str
    description: str
    regex: str
    secret_group: int
    entropy: float
    keywords: tuple[str, ...]
    allow_regexes: tuple[str, ...]
    stopwords: tuple[str, ...]
    where: str  # file:line of the rule


def parse_pack(path: Path, text: str) -> tuple[list[PackRule], list[tuple[int, str]]]:
    """The rules of a gitleaks TOML file and its problems as (line, message)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line = regex.search(r"line (\d+)", str(err))
        return [], [(int(line.group(1)) if line else 1, f"not valid TOML: {err}")]
    lines = text.splitlines()
    headers = [i + 1 for i, raw in enumerate(lines) if _RULE_HEADER.match(raw)]
    rules_raw = doc.get("rules", [])
    if not isinstance(rules_raw, list) or not rules_raw:
        return [], [(1, "a secret pack needs at least one [[rules]] table")]
    global_allow = _allowlist(doc.get("allowlist", {}))
    rules, problems = [], []
    for index, raw in enumerate(rules_raw):
        start = headers[index] if index < len(headers) else 1
        end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
        key_line = _key_lines(lines, start, end)
        rule_id = raw.get("id")
        where = f"rule '{rule_id}'" if isinstance(rule_id, str) else "a rule"
        if not isinstance(rule_id, str) or not rule_id.strip():
            problems.append((start, "rule has no 'id'"))
            continue
        pattern = raw.get("regex")
        if not isinstance(pattern, str) or not pattern:
            problems.append(
                (start, f"{where} has no 'regex' (rules that only match file paths cannot match a post)")
            )
            continue
        try:
            compiled = regex.compile(pattern)
        except regex.error as err:
            problems.append((key_line.get("regex", start), f"{where}: invalid regex: {err}"))
            continue
        group = raw.get("secretGroup", 0)
        if not isinstance(group, int) or isinstance(group, bool) or not 0 <= group <= compiled.groups:
            problems.append(
                (key_line.get("secretGroup", start), f"{where}: secretGroup must be 0 to {compiled.groups}")
            )
            continue
        entropy = raw.get("entropy", 0.0)
        if isinstance(entropy, bool) or not isinstance(entropy, int | float) or entropy < 0:
            problems.append((key_line.get("entropy", start), f"{where}: entropy must be a number ≥ 0"))
            continue
        keywords = raw.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            problems.append((key_line.get("keywords", start), f"{where}: keywords must be a list of strings"))
            continue
        allow = [_allowlist(a) for a in _rule_allowlists(raw)]
        bad = next((r for a in [*allow, global_allow] for r in a[0] if not _compiles(r)), None)
        if bad is not None:
            problems.append((key_line.get("regexes", start), f"{where}: invalid allowlist regex '{bad}'"))
            continue
        rules.append(
            PackRule(
                id=rule_id,
                description=str(raw.get("description", rule_id)),
                regex=pattern,
                secret_group=group or (1 if compiled.groups else 0),
                entropy=float(entropy),
                keywords=tuple(k.lower() for k in keywords),
                allow_regexes=tuple(r for a in allow for r in a[0]) + global_allow[0],
                stopwords=tuple(s.lower() for a in allow for s in a[1]) + global_allow[1],
                where=f"{path.name}:{start}",
            )
        )
    return rules, problems


def _rule_allowlists(raw: dict) -> list[dict]:
    single = raw.get("allowlist")
    several = raw.get("allowlists", [])
    return ([single] if isinstance(single, dict) else []) + [a for a in several if isinstance(a, dict)]


def _allowlist(raw: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(raw, dict):
        return (), ()
    regexes = tuple(r for r in raw.get("regexes", []) if isinstance(r, str))
    stopwords = tuple(s.lower() for s in raw.get("stopwords", []) if isinstance(s, str))
    return regexes, stopwords


def _compiles(pattern: str) -> bool:
    try:
        regex.compile(pattern)
    except regex.error:
        return False
    return True


def _key_lines(lines: list[str], start: int, end: int) -> dict[str, int]:
    """The line of each `key =` inside one rule's block (1-based, as editors count)."""
    found: dict[str, int] = {}
    for number in range(start, end):
        m = regex.match(r"\s*([A-Za-z]+)\s*=", lines[number - 1])
        if m:
            found.setdefault(m.group(1), number)
    return found
