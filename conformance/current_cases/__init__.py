"""The current scope's cases: every operation of today's Batch API (`--scope current`)."""
