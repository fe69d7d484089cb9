"""Finding categories: the built-in defaults, which a policy may override, and any a policy declares.

The policy is the one source of a category's label, severity and replacement; the service serves them, so the
extension and the CLI's `--redact` read the same words.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("block", "warn", "info")


@dataclass(frozen=True, slots=True)
class Category:
    """What a finding is, in words people read; how hard it stops a post; what replaces it by default."""

    name: str
    label: str
    severity: str
    replacement: str

    def to_dict(self) -> dict:
        return asdict(self)


BUILTIN_CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in (
        Category("client", "a confidential client", "warn", "a client"),
        Category("project", "an internal project", "warn", "an internal project"),
        Category("patient", "patient data", "block", "[patient]"),
        Category("secret", "a credential", "block", "[redacted]"),
        Category("personal", "a personal identifier", "warn", "[personal details]"),
        Category(
            "tone", "venting about a client, employer or colleague", "warn", "[cut: reread it in an hour]"
        ),
    )
}
