"""Recognizer families: one class per family, configured by the policy."""
