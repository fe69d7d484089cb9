"""The policy lab: a local page where a security team edits a policy and sees what changes."""
