"""Discreet: warns, while you type, that a post names a client, a patient, a project or a credential."""
