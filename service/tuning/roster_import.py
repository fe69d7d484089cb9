"""A CRM export turned into a roster: names and aliases tidied, duplicates and clashes dropped, with reasons.

CRM exports repeat accounts, shout in capitals, pad with spaces and reuse short names across accounts. A
roster with those problems flags the wrong client or the same one twice, so each is fixed or dropped here
and every drop is reported with its line, for the person importing to check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

# Small words kept in lower case inside a name whose case is being fixed ("Hale and Partners").
_SMALL = frozenset(["and", "of", "the", "for", "in", "at", "on", "de", "la", "du", "van", "von"])
ALIAS_SEPARATORS = regex.compile(r"[;|]")
_WORD_START = regex.compile(r"(?:^|(?<=[\s\-/(]))\p{L}|(?<=\b\p{L}['’])\p{L}")


@dataclass(frozen=True, slots=True)
class Row:
    """One CRM record: where it was, its name and its alias cells."""

    line: int
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dropped:
    line: int
    value: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.value!r}: {self.reason}"


@dataclass
class Entry:
    name: str
    aliases: list[str]
    line: int


@dataclass
class Imported:
    entries: list[Entry] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    def roster_text(self, header: str) -> str:
        """The roster file: a comment header, then one entry a line, aliases after '|'."""
        lines = [f"# {line}" for line in header.splitlines()]
        lines += ["|".join([e.name, *e.aliases]) for e in self.entries]
        return "\n".join(lines) + "\n"


def normalise(value: str) -> str:
    """One space between words, no padding, and names in all capitals or all lower case title-cased."""
    value = " ".join(value.split())
    letters = [ch for ch in value if ch.isalpha()]
    shouting = letters and all(ch.isupper() for ch in letters) and len(letters) > 4 and " " in value
    if not letters or not (shouting or all(ch.islower() for ch in letters)):
        return value
    return _title(value)


def _title(value: str) -> str:
    words = value.lower().split(" ")
    fixed = [
        w if i and w in _SMALL else _WORD_START.sub(lambda m: m.group().upper(), w)
        for i, w in enumerate(words)
    ]
    return " ".join(fixed)


def _key(value: str) -> str:
    return value.casefold()


def import_rows(rows: list[Row]) -> Imported:
    """Entries from rows, in order: the first of duplicate names wins and takes the later rows' aliases."""
    out = Imported()
    owners: dict[str, Entry] = {}  # folded name or alias -> the entry it names
    for row in rows:
        name = normalise(row.name)
        problem = _unusable(name)
        if problem:
            out.dropped.append(Dropped(row.line, row.name, problem))
            continue
        entry = owners.get(_key(name))
        if entry is not None and _key(entry.name) != _key(name):
            out.dropped.append(
                Dropped(row.line, name, f"already an alias of '{entry.name}' (line {entry.line})")
            )
            continue
        if entry is None:
            entry = Entry(name, [], row.line)
            out.entries.append(entry)
            owners[_key(name)] = entry
        else:
            out.dropped.append(
                Dropped(row.line, name, f"duplicate of line {entry.line}; its aliases were merged")
            )
        for cell in row.aliases:
            for raw in ALIAS_SEPARATORS.split(cell):
                _add_alias(out, owners, entry, row.line, normalise(raw))
    return out


def _add_alias(out: Imported, owners: dict[str, Entry], entry: Entry, line: int, alias: str) -> None:
    if not alias:
        return
    problem = _unusable(alias)
    owner = owners.get(_key(alias))
    if problem:
        out.dropped.append(Dropped(line, alias, problem))
    elif owner is entry:
        out.dropped.append(Dropped(line, alias, f"already listed for '{entry.name}'"))
    elif owner is not None:
        out.dropped.append(
            Dropped(
                line, alias, f"alias of '{entry.name}' but already names '{owner.name}' (line {owner.line})"
            )
        )
    else:
        entry.aliases.append(alias)
        owners[_key(alias)] = entry


def _unusable(value: str) -> str:
    """Why a name cannot go in a roster line ("" when it can)."""
    if not value:
        return "no name"
    if "|" in value:
        return "contains '|', which separates aliases in a roster"
    if value.startswith("#"):
        return "starts with '#', which makes a roster line a comment"
    if not any(ch.isalnum() for ch in value):
        return "has no letters or digits"
    return ""
