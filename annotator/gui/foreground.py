"""The user's activity, for background jobs to step aside while the user edits (issue #12).

A job on a worker thread shares the process with the GUI thread: while its Python code runs,
the GUI thread waits for the interpreter lock at every call into Qt or SQLite, so an edit
that takes 3 ms alone took 20-30 ms (p99 over 100 ms) while the live gold dictionary ran
(bench_gui.py). ``ForegroundWatch`` notes the time of the user's last key, click or wheel
step and of the last edit of the window's project; ``wait_quiet`` (called by a job between
its steps of a few milliseconds) sleeps, releasing the interpreter, until the user has paused
for ``QUIET_S``, but never longer than ``MAX_WAIT_S`` at a time, so that a job still moves
on while someone types without a break. ``job_running`` goes around such a job: the
interpreter's switch interval drops from 5 ms to ``SWITCH_S``, so each time the GUI thread
asks for the lock (at every call into Qt or SQLite) it has it back within half a millisecond
instead of five, and the cyclic garbage collector pauses (``core.gc_pause``: a full pass
over the window's objects, started by the job's allocations, held the lock 10-20 ms).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

QUIET_S = 0.1  # a pause in the user's input this long lets a job go on
MAX_WAIT_S = 1.0  # a job waits at most this long at one step
STEP_S = 0.005
SWITCH_S = 0.0005  # the interpreter's switch interval while a job runs

_INPUT = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
          QEvent.Type.MouseButtonRelease, QEvent.Type.Wheel, QEvent.Type.ShortcutOverride}
_INPUT_CLASSES = (QKeyEvent, QMouseEvent, QWheelEvent)  # the classes of the _INPUT events

_last = 0.0  # time.monotonic() of the last input or edit (a float: written whole)
_jobs = 0  # jobs inside job_running
_interval = 0.005
_lock = threading.Lock()


def mark(*_args: object) -> None:
    """The user did something now (an input event, an edit of the window's project)."""
    global _last
    _last = time.monotonic()


def wait_quiet() -> None:
    """On a worker thread: sleep while the user is active (see the module docstring)."""
    start = time.monotonic()
    while time.monotonic() - _last < QUIET_S and time.monotonic() - start < MAX_WAIT_S:
        time.sleep(STEP_S)


@contextmanager
def job_running() -> Iterator[None]:
    """Around a background job's work (any thread; counted, see the module docstring)."""
    from annotator.core.gc_pause import cyclic_gc_paused

    global _jobs, _interval
    with _lock:
        if _jobs == 0:
            _interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_interval, SWITCH_S))
        _jobs += 1
    try:
        with cyclic_gc_paused():
            yield
    finally:
        with _lock:
            _jobs -= 1
            if _jobs == 0:
                sys.setswitchinterval(_interval)


class ForegroundWatch(QObject):
    """An application-wide event filter that calls ``mark`` on every input event."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # every event of the application passes here (a label key: ~100, paints and change
        # events): a class test first, since event.type() makes a Python enum each time
        # (6 us an event; the type is asked only of mouse events, for their press/release)
        if isinstance(event, _INPUT_CLASSES) and (
                not isinstance(event, QMouseEvent) or event.type() in _INPUT):
            mark()
        return False
