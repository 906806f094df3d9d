"""Secondary indexes set aside for a bulk insert: dropped inside the insert's transaction and
made again before its commit.

SQLite builds an index from rows already in a table with one sort, which costs less than
updating it row by row (span rows of a large import: about 15 %). Only tables that hold no row
yet are handled, so making the index again costs the new rows alone. Primary keys and unique
constraints are not indexes of their own here (``sql IS NULL``) and stay; a failed or
interrupted insert rolls the drop back with everything else.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence


def drop_secondary_indexes(conn: sqlite3.Connection, tables: Sequence[str]) -> list[str]:
    """Drop the declared indexes of ``tables`` and answer the statements that make them."""
    if not tables:
        return []
    marks = ", ".join("?" * len(tables))
    found = conn.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                         f"sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
                         list(tables)).fetchall()
    for name, _sql in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def make_indexes(conn: sqlite3.Connection, statements: Sequence[str]) -> None:
    """Make again the indexes ``drop_secondary_indexes`` answered (one sort per index)."""
    for statement in statements:
        conn.execute(statement)
