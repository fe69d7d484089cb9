"""The engine: policy, categories, the Scanner and its Decisions. Knows nothing of HTTP or the DOM."""
