"""The policy: Presidio's recognizer YAML plus Discreet's keys, loaded strictly and frozen once built.

Presidio falls back to its defaults when a file is missing or broken; a policy that silently stops finding
clients is worse than one that refuses to load, so every problem here is an error naming file and line.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import regex
import yaml

from discreet import __version__
from discreet.engine.categories import BUILTIN_CATEGORIES, SEVERITIES, Category
from discreet.recognizers.secret_pack import PackRule, parse_pack

BUILTIN_FAMILIES = ("patient", "secret", "personal", "tone")
# A policy or roster file larger than this is refused rather than read (a roster of 20,000 names is ~1 MB).
MAX_FILE_BYTES = 16 * 1024 * 1024
# Presidio predefined recognizers a policy may name with `type: predefined`: pattern recognizers that run
# in-process on their own data. Presidio's NLP, transformer, GLiNER, LangExtract and Azure recognizers
# load models from the network or send text to a cloud service, and any other name is unknown.
LOCAL_PREDEFINED = frozenset(
    """AbaRoutingRecognizer AuAbnRecognizer AuAcnRecognizer AuMedicareRecognizer AuTfnRecognizer
    CaSinRecognizer CreditCardRecognizer CryptoRecognizer DateRecognizer EmailRecognizer IbanRecognizer
    InAadhaarRecognizer InPanRecognizer IpRecognizer MacAddressRecognizer MedicalLicenseRecognizer
    NhsRecognizer PhoneRecognizer SgFinRecognizer UkDrivingLicenceRecognizer UkNinoRecognizer
    UkPassportRecognizer UkPostcodeRecognizer UrlRecognizer UsBankRecognizer UsClaimNumberRecognizer
    UsHealthInsuranceMemberIdRecognizer UsItinRecognizer UsLicenseRecognizer UsMbiRecognizer
    UsNpiRecognizer UsPassportRecognizer UsPrescriptionNumberRecognizer UsPriorAuthorizationNumberRecognizer
    UsProviderTaxIdRecognizer UsReferralNumberRecognizer UsSsnRecognizer UuidRecognizer""".split()
)

_RECOGNIZER_KEYS = {
    "name",
    "supported_language",
    "supported_languages",
    "supported_entity",
    "supported_entities",
    "patterns",
    "context",
    "deny_list",
    "deny_list_score",
    "deny_list_file",
    "category",
    "severity",
    "type",
    "enabled",
    "global_regex_flags",
}
_TOP_KEYS = {
    "recognizers",
    "allow_list",
    "categories",
    "builtin_recognizers",
    "model",
    "supported_languages",
    "global_regex_flags",
    "secret_packs",
}
_CATEGORY_KEYS = {"name", "label", "severity", "replacement"}
# Presidio entity names a plain Presidio file may use, so that it loads without Discreet's `category` key.
_ENTITY_CATEGORIES = {
    "UK_NHS": "patient",
    "MEDICAL_LICENSE": "patient",
    "US_HEALTH_INSURANCE_MEMBER_ID": "patient",
    "PERSON": "patient",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a policy, where it is."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PolicyError(Exception):
    """A policy that cannot be used. `str()` lists every problem as `file:line: what is wrong`."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0]
        self.file, self.line, self.message = first.file, first.line, first.message
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True, slots=True)
class PatternSpec:
    name: str
    regex: str
    score: float
    line: int


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One roster line: the canonical name and every alias (the canonical name included)."""

    name: str
    aliases: tuple[str, ...]
    file: Path
    line: int


@dataclass(frozen=True, slots=True)
class RecognizerSpec:
    name: str
    entity: str
    category: str
    severity: str
    patterns: tuple[PatternSpec, ...]
    context: tuple[str, ...]
    roster: tuple[RosterEntry, ...]
    predefined: bool
    regex_flags: int
    file: Path
    line: int


@dataclass(frozen=True)
class Policy:
    """A validated policy. Immutable: a change on disk means a new Policy (and a new Scanner)."""

    path: Path
    recognizers: tuple[RecognizerSpec, ...]
    allow_list: frozenset[str]
    categories: Mapping[str, Category]
    builtins: Mapping[str, tuple[str, ...] | None]  # family -> the policy's context words, None: its own
    model: str | None
    files: tuple[Path, ...]
    fingerprint: str = field(default="")
    secret_pack: tuple[PackRule, ...] = ()  # rules of the policy's gitleaks-format secret packs

    def category(self, name: str) -> Category:
        return self.categories[name]


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader that remembers the line of every mapping and of each of its keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}
        return mapping


class _Collector:
    """Gathers problems while validating, so one run reports all of them."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: Path, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))


def load_policy(path: str | Path, text: str | None = None) -> Policy:
    """Load, validate and fingerprint a policy file and every file it names. Raises PolicyError.

    `text`, when given, is used instead of the file's content (an edited copy in the policy lab); the
    files it names are still found beside `path`.
    """
    path = Path(path).resolve()
    problems = _Collector()
    raw = _read_text(path, problems) if text is None else text
    if raw is None:
        raise PolicyError(problems.problems)
    try:
        doc = yaml.load(raw, Loader=_LineLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        raise PolicyError([Problem(path, line, f"not valid YAML: {err.problem or err}")]) from None
    except yaml.YAMLError as err:
        raise PolicyError([Problem(path, 1, f"not valid YAML: {err}")]) from None
    if not isinstance(doc, dict):
        raise PolicyError([Problem(path, 1, "a policy must be a mapping with a 'recognizers:' list")])
    policy = _build(path, doc, problems)
    if problems.problems:
        raise PolicyError(problems.problems)
    return policy


def _read_text(path: Path, problems: _Collector, line: int = 1, named_in: Path | None = None) -> str | None:
    """A regular file of at most MAX_FILE_BYTES as text: a FIFO, a device or a giant is a problem, not a hang."""
    where = named_in or path
    try:
        data = _read_regular(path)
    except FileNotFoundError:
        problems.add(where, line, f"file not found: {path}")
    except IsADirectoryError:
        problems.add(where, line, f"is a directory, not a file: {path}")
    except ValueError as err:
        problems.add(where, line, f"{err}: {path}")
    except OSError as err:
        problems.add(where, line, f"cannot read {path}: {err.strerror}")
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as err:
            problems.add(path, data[: err.start].count(b"\n") + 1, "not valid UTF-8")
    return None


def _read_regular(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # opening a FIFO must not block
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    return data


def _build(path: Path, doc: dict, problems: _Collector) -> Policy:
    lines = doc.get("__lines__", {})
    for key in doc:
        if key not in _TOP_KEYS and not key.startswith("__"):
            problems.add(path, lines.get(key, 1), f"unknown top-level key '{key}'")
    categories = _categories(path, doc, problems)
    files = [path]
    flags = _int(doc.get("global_regex_flags", regex.DOTALL | regex.MULTILINE | regex.IGNORECASE))
    raw_recognizers = doc.get("recognizers", [])
    if not isinstance(raw_recognizers, list):
        problems.add(path, lines.get("recognizers", 1), "'recognizers' must be a list")
        raw_recognizers = []
    specs = []
    for raw in raw_recognizers:
        spec = _recognizer(path, raw, categories, flags, files, problems)
        if spec is not None:
            specs.append(spec)
    names = [s.name for s in specs]
    for spec in specs:
        if names.count(spec.name) > 1:
            problems.add(path, spec.line, f"recognizer name '{spec.name}' is used more than once")
            break
    allow = doc.get("allow_list", [])
    if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        problems.add(path, lines.get("allow_list", 1), "'allow_list' must be a list of strings")
        allow = []
    builtins = _builtins(path, doc, problems)
    model = doc.get("model")
    if model is not None and not isinstance(model, str):
        problems.add(path, lines.get("model", 1), "'model' must be the name of an installed spaCy model")
        model = None
    policy = Policy(
        path=path,
        recognizers=tuple(specs),
        allow_list=frozenset(a.strip().casefold() for a in allow if a.strip()),
        categories=MappingProxyType(categories),
        builtins=MappingProxyType(builtins),
        model=model,
        files=tuple(dict.fromkeys(files)),
        secret_pack=tuple(_secret_packs(path, doc, files, problems)),
    )
    object.__setattr__(policy, "fingerprint", _fingerprint(policy.files))
    return policy


def _builtins(path: Path, doc: dict, problems: _Collector) -> dict[str, tuple[str, ...] | None]:
    """The built-in families to run, each a name or `{name, context}` where the policy gives its own words."""
    items = doc.get("builtin_recognizers", list(BUILTIN_FAMILIES))
    line = doc.get("__lines__", {}).get("builtin_recognizers", 1)
    if not isinstance(items, list):
        problems.add(
            path, line, f"'builtin_recognizers' must be a list drawn from {', '.join(BUILTIN_FAMILIES)}"
        )
        return {}
    chosen: dict[str, tuple[str, ...] | None] = {}
    for item in items:
        name, context = (item.get("name"), item.get("context")) if isinstance(item, dict) else (item, None)
        where = item.get("__line__", line) if isinstance(item, dict) else line
        if name not in BUILTIN_FAMILIES:
            problems.add(path, where, f"unknown built-in recognizer {name!r} ({', '.join(BUILTIN_FAMILIES)})")
            continue
        if context is not None and (
            not isinstance(context, list) or not all(isinstance(c, str) for c in context)
        ):
            problems.add(path, where, f"built-in recognizer '{name}': 'context' must be a list of words")
            continue
        if isinstance(item, dict):
            for key in sorted(set(item) - {"name", "context", "__line__", "__lines__"}):
                problems.add(path, where, f"built-in recognizer '{name}': unknown key '{key}'")
        chosen[name] = tuple(c.lower() for c in context) if context is not None else None
    return chosen


def _secret_packs(path: Path, doc: dict, files: list[Path], problems: _Collector) -> list[PackRule]:
    """`secret_packs:` gitleaks-format TOML files beside the policy, their problems reported at their lines."""
    named = doc.get("secret_packs", [])
    line = doc.get("__lines__", {}).get("secret_packs", 1)
    if not isinstance(named, list) or not all(isinstance(n, str) for n in named):
        problems.add(path, line, "'secret_packs' must be a list of gitleaks-format TOML files")
        return []
    rules = []
    for name in named:
        pack_path = (path.parent / name).resolve()
        files.append(pack_path)
        text = _read_text(pack_path, problems, line, named_in=path)
        if text is None:
            continue
        found, wrong = parse_pack(pack_path, text)
        rules += found
        for where, message in wrong:
            problems.add(pack_path, where, message)
    return rules


def _categories(path: Path, doc: dict, problems: _Collector) -> dict[str, Category]:
    categories = dict(BUILTIN_CATEGORIES)
    declared = doc.get("categories", [])
    if not isinstance(declared, list):
        problems.add(path, doc["__lines__"].get("categories", 1), "'categories' must be a list")
        return categories
    for item in declared:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            line = item.get("__line__", 1) if isinstance(item, dict) else 1
            problems.add(path, line, "a category needs a 'name'")
            continue
        for key in sorted(set(item) - _CATEGORY_KEYS - {"__line__", "__lines__"}):
            problems.add(
                path,
                item["__lines__"].get(key, item["__line__"]),
                f"category '{item['name']}': unknown key '{key}'",
            )
        severity = item.get(
            "severity", categories[item["name"]].severity if item["name"] in categories else "warn"
        )
        if severity not in SEVERITIES:
            problems.add(path, item["__line__"], f"severity must be one of {', '.join(SEVERITIES)}")
            continue
        default = categories.get(item["name"])
        label = item.get("label", default.label if default else item["name"])
        replacement = item.get("replacement", default.replacement if default else "[redacted]")
        categories[item["name"]] = Category(item["name"], str(label), severity, str(replacement))
    return categories


def _recognizer(
    path: Path, raw: Any, categories: dict[str, Category], flags: int, files: list[Path], problems: _Collector
) -> RecognizerSpec | None:
    if not isinstance(raw, dict):
        problems.add(path, 1, "each entry of 'recognizers' must be a mapping")
        return None
    line = raw["__line__"]
    lines = raw["__lines__"]
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add(path, line, "recognizer has no 'name'")
        return None
    where = f"recognizer '{name}'"
    for key in raw:
        if key not in _RECOGNIZER_KEYS and not key.startswith("__"):
            problems.add(path, lines.get(key, line), f"{where}: unknown key '{key}'")
    if raw.get("enabled", True) is False:
        return None
    language = raw.get("supported_language", "en")
    if language != "en" and "en" not in (raw.get("supported_languages") or []):
        return None  # Presidio files may hold recognizers for other languages; posts are scanned in English.
    entity = raw.get("supported_entity") or (raw.get("supported_entities") or [None])[0]
    predefined = raw.get("type") == "predefined"
    if not isinstance(entity, str) and not predefined:
        problems.add(path, line, f"{where}: 'supported_entity' is missing")
        return None
    if predefined and name not in LOCAL_PREDEFINED:
        problems.add(
            path,
            lines.get("type", line),
            f"{where}: 'type: predefined' needs one of Presidio's local pattern recognizers "
            "(e.g. EmailRecognizer, UsSsnRecognizer, NhsRecognizer); others are unknown, or load models "
            "or send text over the network",
        )
        return None
    entity = entity or name
    category = raw.get("category") or _ENTITY_CATEGORIES.get(entity, "personal")
    if category not in categories:
        known = ", ".join(sorted(categories))
        problems.add(path, lines.get("category", line), f"{where}: unknown category '{category}' ({known})")
        return None
    severity = raw.get("severity", categories[category].severity)
    if severity not in SEVERITIES:
        problems.add(
            path, lines.get("severity", line), f"{where}: severity must be one of {', '.join(SEVERITIES)}"
        )
    local_flags = _int(raw.get("global_regex_flags", flags))
    patterns = _patterns(path, raw, where, local_flags, problems)
    context = raw.get("context", [])
    if not isinstance(context, list) or not all(isinstance(c, str) for c in context):
        problems.add(path, lines.get("context", line), f"{where}: 'context' must be a list of words")
        context = []
    roster = _roster(path, raw, where, files, problems)
    if not patterns and not roster and not predefined:
        problems.add(path, line, f"{where}: needs 'patterns', 'deny_list' or 'deny_list_file'")
        return None
    return RecognizerSpec(
        name=name,
        entity=entity,
        category=category,
        severity=severity,
        patterns=tuple(patterns),
        context=tuple(c.lower() for c in context),
        roster=tuple(roster),
        predefined=predefined,
        regex_flags=local_flags,
        file=path,
        line=line,
    )


def _patterns(path: Path, raw: dict, where: str, flags: int, problems: _Collector) -> list[PatternSpec]:
    items = raw.get("patterns", [])
    if not isinstance(items, list):
        problems.add(
            path, raw["__lines__"].get("patterns", raw["__line__"]), f"{where}: 'patterns' must be a list"
        )
        return []
    out = []
    for item in items:
        if not isinstance(item, dict):
            problems.add(path, raw["__line__"], f"{where}: each pattern must be a mapping")
            continue
        line = item["__line__"]
        pattern, score = item.get("regex"), item.get("score", 0.5)
        pname = item.get("name", "pattern")
        if not isinstance(pattern, str) or not pattern:
            problems.add(path, line, f"{where}: pattern '{pname}' has no 'regex'")
            continue
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
            problems.add(
                path, item["__lines__"].get("score", line), f"{where}: score must be between 0 and 1"
            )
            continue
        try:
            regex.compile(pattern, flags)
        except regex.error as err:
            problems.add(
                path, item["__lines__"].get("regex", line), f"{where}: invalid regex '{pattern}': {err}"
            )
            continue
        out.append(PatternSpec(str(pname), pattern, float(score), line))
    return out


def _roster(path: Path, raw: dict, where: str, files: list[Path], problems: _Collector) -> list[RosterEntry]:
    entries = []
    inline = raw.get("deny_list", [])
    if not isinstance(inline, list) or not all(isinstance(x, str) for x in inline):
        problems.add(
            path, raw["__lines__"].get("deny_list", raw["__line__"]), f"{where}: 'deny_list' must be a list"
        )
        inline = []
    line = raw["__lines__"].get("deny_list", raw["__line__"])
    entries += [RosterEntry(term.strip(), (term.strip(),), path, line) for term in inline if term.strip()]
    named = raw.get("deny_list_file")
    if named is None:
        return entries
    line = raw["__lines__"].get("deny_list_file", raw["__line__"])
    if not isinstance(named, str):
        problems.add(path, line, f"{where}: 'deny_list_file' must be a path")
        return entries
    folder = path.parent.resolve()
    roster_path = (folder / named).resolve()
    if Path(named).is_absolute() or ".." in Path(named).parts or not roster_path.is_relative_to(folder):
        message = "'deny_list_file' must name a file in the policy's folder (no absolute path, no '..')"
        problems.add(path, line, f"{where}: {message}")
        return entries
    files.append(roster_path)
    text = _read_text(roster_path, problems, line, named_in=path)
    if text is not None:
        entries += parse_roster(roster_path, text, problems)
    return entries


def parse_roster(path: Path, text: str, problems: _Collector) -> list[RosterEntry]:
    """One entry a line, aliases after '|', '#' comments and blank lines ignored."""
    entries = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        content = raw_line.split("#", 1)[0] if raw_line.lstrip().startswith("#") else raw_line
        content = content.strip()
        if not content:
            continue
        names = [" ".join(part.split()) for part in content.split("|")]
        if any(not n for n in names):
            problems.add(path, number, "empty name between '|' separators")
            continue
        entries.append(RosterEntry(names[0], tuple(dict.fromkeys(names)), path, number))
    return entries


def _fingerprint(files: tuple[Path, ...]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for f in files:
        digest.update(str(f.name).encode())
        try:
            digest.update(_read_regular(f))
        except (OSError, ValueError):
            digest.update(b"<unreadable>")
    return digest.hexdigest()[:16]


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
