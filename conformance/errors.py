"""The two ways a run ends before a verdict, each one line: a usage error and a target error."""

from __future__ import annotations


class TargetError(Exception):
    """The target could not be started, reached or provisioned (exit 3); str() is one line."""


class UsageError(Exception):
    """A bad option or an unreadable file (exit 2); str() is one line."""
