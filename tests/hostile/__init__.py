"""Misbehaving endpoints for the runner's tests (127.0.0.1, port 0, one thread each)."""
