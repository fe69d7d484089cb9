"""Discreet: warns, while you type, that a post names a client, a patient, a project or a credential."""

from discreet.engine import offline  # noqa: F401  (must run before presidio/tldextract are imported)

__version__ = "0.1.0"
