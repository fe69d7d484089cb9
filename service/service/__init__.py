"""The local HTTP service: app factory, guards, pairing, tokens, hot reload, and its client."""
