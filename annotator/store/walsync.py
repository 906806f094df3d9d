"""Flushing the write-ahead log to disk just after each commit, off the caller's thread.

The project runs SQLite in WAL mode with ``synchronous=NORMAL``: a commit has been written to
the operating system when the call returns, so a program that is killed or crashes loses
nothing; this thread then ``fsync``s the log, so the edit also survives a power cut about
50 ms later, without every edit waiting for the disk (that wait was the slowest 1 % of edits:
2-5 ms on a busy disk against a 2 ms target).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

GATHER_SECONDS = 0.05  # an edit reaches the disk at most this long (+ one fsync) after it
THREAD_NAME = "annotator-wal-sync"  # core.parallel may fork beside this thread: it holds no lock


class WalSync:
    """One daemon thread per writable connection; ``request()`` after a commit, ``close()``
    (which syncs a last time) when the connection closes."""

    def __init__(self, db_path: Path) -> None:
        self._wal = f"{db_path}-wal"
        self._cond = threading.Condition()
        self._requested = self._done = 0
        self._closing = False
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
        self._thread.start()

    def request(self) -> None:
        """A commit just returned: flush the log soon (requests coalesce)."""
        with self._cond:
            self._requested += 1
            self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every flush requested so far is done; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._done >= self._requested, timeout)

    def close(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join()
        self._sync()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closing or self._requested > self._done)
                if self._closing:
                    return
                # gather the commits of a burst (an import, "label all", a script) into one
                # flush: an fsync running while the next edit writes the log slows that edit
                self._cond.wait_for(lambda: self._closing, GATHER_SECONDS)
                target = self._requested
            self._sync()
            with self._cond:
                self._done = target
                self._cond.notify_all()

    def _sync(self) -> None:
        try:
            fd = os.open(self._wal, os.O_RDWR)
        except OSError:  # no log (yet, or any more): nothing to flush
            return
        try:
            os.fsync(fd)
        except OSError:
            pass  # the next commit asks again; SQLite's checkpoints sync the log as well
        finally:
            os.close(fd)
