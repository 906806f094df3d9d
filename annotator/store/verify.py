"""The integrity check of a project opened for writing, run beside the window instead of before.

SQLite's ``quick_check`` reads every page: about a second for a 600 MB project, which used to be
most of the time between ``annotator big.annproj`` and the first paint (issue #10.16). A damaged
file must still never be written (issue #9.4), so a store opened with ``verify="background"``
runs the check on a read-only connection of its own on a worker thread, and its first write
waits for the answer: a sound file is written as before; a damaged one refuses the write with
the recovery message, and nothing is written into it. Reads go ahead meanwhile (a damaged page
read says so by itself). A file that needs migrating is checked before (migration writes).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from annotator.store import integrity


class BackgroundCheck:
    """``quick_check`` of ``path`` on a worker thread; ``result()`` waits for its problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._problems: list[str] | None = None
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._cancelled = False
        self._thread = threading.Thread(target=self._run, name="annotator-quick-check",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            self._problems = [str(exc)]
            return
        with self._lock:
            if self._cancelled:
                conn.close()
                self._problems = []
                return
            self._conn = conn
        try:
            self._problems = integrity.quick_check(conn)
        except sqlite3.Error as exc:  # interrupted by close(), or the file went away
            self._problems = [] if self._cancelled else [str(exc)]
        finally:
            with self._lock:
                self._conn = None
            conn.close()

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self) -> list[str]:
        """The check's problems (empty: sound), waiting for it to end."""
        self._thread.join()
        return list(self._problems or [])

    def cancel(self) -> None:
        """Stop a running check (the store closes before it ended)."""
        with self._lock:
            self._cancelled = True
            if self._conn is not None:
                self._conn.interrupt()
        self._thread.join()
