"""Tuning tools for security teams: evaluation on a labelled corpus, policy checks, roster import."""
