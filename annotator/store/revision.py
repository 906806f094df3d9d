"""The project file's revision as one connection sees it: a value that differs after any commit
to the file, made on this connection or on any other (a worker thread's, another process's).

``PRAGMA data_version`` changes when another connection committed; ``total_changes`` counts
this connection's own writes. A cache of reads (the window's next document, read ahead while
the user reads the current one) keeps the pair it read at and is current while it is equal.
"""

from __future__ import annotations

import sqlite3


def revision(conn: sqlite3.Connection) -> tuple[int, int]:
    """(data_version, total_changes) of ``conn``: equal pairs mean no commit in between."""
    row = conn.execute("PRAGMA data_version").fetchone()
    return int(row[0]), conn.total_changes
