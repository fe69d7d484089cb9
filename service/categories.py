"""Finding categories: the built-in five, and any a policy declares."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("block", "warn", "info")


@dataclass(frozen=True, slots=True)
class Category:
    """What a finding is, in words people read, and how hard it stops a post by default."""

    name: str
    label: str
    severity: str


BUILTIN_CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in (
        Category("client", "a confidential client", "warn"),
        Category("project", "an internal project", "warn"),
        Category("patient", "patient data", "block"),
        Category("secret", "a credential", "block"),
        Category("personal", "a personal identifier", "warn"),
    )
}
