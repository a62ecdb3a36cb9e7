"""`deferred_interrupts`: the first Ctrl-C is told and counted, the second one obeyed.

Signals are sent to this very process, inside the context (whose handlers replace pytest's
for that time); the previous handlers are back afterwards.
"""

from __future__ import annotations

import io
import os
import signal
import time

import pytest

from conformance.interrupts import deferred_interrupts


def _signal_self(signum: signal.Signals) -> None:
    """Send `signum` here and give Python a moment to run its handler."""
    os.kill(os.getpid(), signum)
    time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_first_interrupt_is_counted_second_one_obeyed(
    signum: signal.Signals, capfd: pytest.CaptureFixture[str]
) -> None:
    before = signal.getsignal(signum)
    counted = []
    with deferred_interrupts("cleaning up first") as deferred:
        _signal_self(signum)
        counted.append(deferred.count)  # still here: the first one was not obeyed
        with pytest.raises(KeyboardInterrupt):
            _signal_self(signum)
    assert (counted, deferred.count) == ([1], 2)
    assert signal.getsignal(signum) is before
    assert capfd.readouterr().err == "batch-conformance: cleaning up first\n"


def test_the_notice_never_breaks_the_cleanup(monkeypatch: pytest.MonkeyPatch) -> None:
    """With stderr no file (pytest's capture in plugin mode), the notice goes to fd 2."""
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with deferred_interrupts("cleaning up first") as deferred:
        _signal_self(signal.SIGINT)
    assert deferred.count == 1
