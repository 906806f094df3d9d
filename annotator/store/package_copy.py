"""Merging a work package inside SQLite: stage its rows, check, report and copy in SQL.

Why its own module: merging read every package document's set through Python (one query per
document and table), compared rows as dicts and wrote them row by row, at a sixth of the
speed of a bare ``ATTACH`` + ``INSERT ... SELECT`` copy. Here a package is attached read-only
(an exact ``file:`` URI), the rows of its annotator for its documents are copied into
temporary tables in one snapshot of it, and it is detached again: SQLite attaches at most ten
files, cannot detach one inside the transaction that read it, and a merge of twenty packages
must still be one transaction. Inside the merge transaction (``apply``) every check, the
per-document report (added, changed, removed, by id and content: ``EXCEPT``) and the copy are
statements over the staged tables; only the report's rows reach Python.

``apply`` makes the annotator's set of each package document exactly the staged rows (rows not
in the package are deleted, changed ones rewritten, new ones inserted), sets the document
status when the package has one other than ``new``, and refuses (ValidationError, the caller
rolls back) an id that another document or set already uses.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import ValidationError
from annotator.store.connection import file_uri
from annotator.store.set_reads import SET_TABLES, has_table

_ALIAS = "merge_package"


@dataclass(slots=True)
class Staged:
    """One package staged in temporary tables (``merge_<key>_<table>``)."""

    key: int
    annotator: str
    doc_ids: list[str]
    columns: dict[str, list[str]]  # table -> the columns copied (the project's, in order)


@dataclass(slots=True)
class DocumentDiff:
    """What ``apply`` changed in one document (annotation counts over every table)."""

    doc_id: str
    name: str
    added: int
    changed: int
    removed: int


class PackageStage:
    """Packages staged on one connection; ``close`` drops the temporary tables."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._staged: list[Staged] = []

    def add(self, path: Path, annotator: str, doc_ids: Sequence[str]) -> Staged:
        """Copy ``annotator``'s rows of ``doc_ids`` and their statuses out of the package file
        at ``path`` (outside any transaction of this connection: it attaches a file)."""
        staged = Staged(len(self._staged), annotator, list(doc_ids), {})
        self._staged.append(staged)
        chosen = json.dumps(staged.doc_ids)
        self.conn.execute(f"ATTACH DATABASE ? AS {_ALIAS}", (file_uri(path, mode="ro"),))
        try:
            self.conn.execute("BEGIN")  # one snapshot of the package for every table
            for table in SET_TABLES:
                staged.columns[table] = self._stage_table(staged, table, chosen)
            self.conn.execute(
                f"CREATE TEMP TABLE {_name(staged, 'status')} AS SELECT doc_id, status FROM "
                f"{_ALIAS}.doc_status WHERE annotator = ? AND doc_id IN "
                "(SELECT value FROM json_each(?))", (annotator, chosen))
            self.conn.execute("COMMIT")
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.conn.execute(f"DETACH DATABASE {_ALIAS}")
        return staged

    def _stage_table(self, staged: Staged, table: str, chosen: str) -> list[str]:
        """``merge_<key>_<table>``: the package's rows (the project's columns that the package
        has) with their document in ``merge_doc``; the columns copied."""
        ours = _columns(self.conn, "main", table)
        theirs = set(_columns(self.conn, _ALIAS, table)) if \
            self.conn.execute(f"SELECT 1 FROM {_ALIAS}.sqlite_master WHERE type = 'table' "
                              "AND name = ?", (table,)).fetchone() else set()
        cols = [c for c in ours if c in theirs]
        target = _name(staged, table)
        if not cols:  # a package without this table (chains in an older file): nothing staged
            self.conn.execute(f"CREATE TEMP TABLE {target} (merge_doc TEXT, id TEXT)")
            return ["id"]
        picked = ", ".join(f't."{c}"' for c in cols)
        owner, source = _owner(_ALIAS, table)
        self.conn.execute(
            f"CREATE TEMP TABLE {target} AS SELECT {owner}.doc_id AS merge_doc, {picked} "
            f"FROM {source} WHERE {owner}.annotator = ? AND {owner}.doc_id IN "
            "(SELECT value FROM json_each(?))", (staged.annotator, chosen))
        self.conn.execute(f"CREATE INDEX {target}_id ON {target}(id)")
        return cols

    def close(self) -> None:
        """Drop every staged table (after the merge transaction ended)."""
        names = [r[0] for r in self.conn.execute(
            "SELECT name FROM temp.sqlite_master WHERE type = 'table' AND name LIKE 'merge%'")]
        for name in names:
            self.conn.execute(f'DROP TABLE IF EXISTS temp."{name}"')
        self._staged.clear()

    # ---- inside the merge transaction ---------------------------------------------------
    def apply(self, staged: Staged, stamp: str) -> list[DocumentDiff]:
        """Replace the project's sets by the staged ones (see the module docstring); the
        report of every package document, in the package's order."""
        conn = self.conn
        conn.execute("PRAGMA defer_foreign_keys = ON")  # rows rewritten while referenced
        fresh = not _has_set(conn, staged.annotator)
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_diff "
                     "(doc_id TEXT, added INTEGER, changed INTEGER, removed INTEGER)")
        conn.execute("DELETE FROM temp.merge_diff")
        conn.execute("CREATE INDEX IF NOT EXISTS temp.merge_diff_doc ON merge_diff(doc_id)")
        chosen = json.dumps(staged.doc_ids)
        # the package's documents in its order, by id (joins on json_each scan it per row)
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_order (doc TEXT PRIMARY KEY, "
                     "position INTEGER)")
        conn.execute("DELETE FROM temp.merge_order")
        conn.execute("INSERT OR IGNORE INTO temp.merge_order SELECT value, key "
                     "FROM json_each(?)", (chosen,))
        tables = [t for t in SET_TABLES if t != "chains" or has_table(conn, "chains")]
        for table in tables:
            _prepare(conn, staged, table, chosen, fresh)
        _refuse_taken_ids(conn, staged, tables)
        for table in reversed(tables):  # arguments and relations before what they point at
            _count_and_delete(conn, staged, table)
        for table in tables:
            cols = ", ".join(f'"{c}"' for c in staged.columns[table])
            conn.execute(f"INSERT INTO main.{table} ({cols}) SELECT {cols} FROM "
                         f"{_name(staged, table)} WHERE id IN (SELECT id FROM temp.merge_come_"
                         f"{table})")
        conn.execute(
            "INSERT INTO main.doc_status (doc_id, annotator, status, modified_at) "
            f"SELECT n.doc_id, ?, n.status, ? FROM {_name(staged, 'status')} n "
            "WHERE n.status != 'new' AND n.status != coalesce((SELECT o.status FROM "
            "main.doc_status o WHERE o.doc_id = n.doc_id AND o.annotator = ?), 'new') "
            "ON CONFLICT (doc_id, annotator) DO UPDATE SET status = excluded.status, "
            "modified_at = excluded.modified_at", (staged.annotator, stamp, staged.annotator))
        # checks of later writes are immediate again; these are checked at the commit
        conn.execute("PRAGMA defer_foreign_keys = OFF")
        return [DocumentDiff(*row) for row in conn.execute(
            "SELECT d.id, d.name, coalesce(sum(m.added), 0), coalesce(sum(m.changed), 0), "
            "coalesce(sum(m.removed), 0) FROM json_each(?) j JOIN main.documents d "
            "ON d.id = j.value LEFT JOIN temp.merge_diff m ON m.doc_id = j.value "
            "GROUP BY j.key ORDER BY j.key", (chosen,))]


def _prepare(conn: sqlite3.Connection, staged: Staged, table: str, chosen: str,
             fresh: bool) -> None:
    """``merge_old_<t>``: the project's rows of the set in these documents (id, document);
    ``merge_come_<t>``: the staged rows that are new or differ from the project's (id,
    document, whether the set already had that id)."""
    rows = _name(staged, table)
    conn.execute(f"DROP TABLE IF EXISTS temp.merge_old_{table}")
    conn.execute(f"DROP TABLE IF EXISTS temp.merge_come_{table}")
    conn.execute(f"CREATE TEMP TABLE merge_old_{table} (id TEXT PRIMARY KEY, doc TEXT)")
    conn.execute(f"CREATE TEMP TABLE merge_come_{table} "
                 "(id TEXT PRIMARY KEY, doc TEXT, known INTEGER)")
    if fresh:  # nothing of this set in the project: every staged row comes, none is known
        conn.execute(f"INSERT INTO merge_come_{table} SELECT id, merge_doc, 0 FROM {rows}")
        return
    owner, source = _owner("main", table)
    conn.execute(f"INSERT INTO merge_old_{table} SELECT t.id, {owner}.doc_id FROM {source} "
                 f"WHERE {owner}.annotator = ? AND {owner}.doc_id IN "
                 "(SELECT value FROM json_each(?))", (staged.annotator, chosen))
    cols = ", ".join(f'"{c}"' for c in staged.columns[table])
    conn.execute(
        f"INSERT INTO merge_come_{table} SELECT s.id, s.merge_doc, "
        f"EXISTS (SELECT 1 FROM merge_old_{table} o WHERE o.id = s.id AND o.doc = s.merge_doc) "
        f"FROM {rows} s WHERE s.id IN (SELECT id FROM (SELECT {cols} FROM {rows} EXCEPT "
        f"SELECT {cols} FROM main.{table} WHERE id IN (SELECT id FROM {rows})))")


def _refuse_taken_ids(conn: sqlite3.Connection, staged: Staged, tables: list[str]) -> None:
    """A new id of the set that the project already uses elsewhere (another document or
    set): refused, naming the first one (package order, then table, then id)."""
    found = []
    for index, table in enumerate(tables):
        row = conn.execute(
            f"SELECT j.position, c.id, d.name FROM temp.merge_come_{table} c "
            "JOIN temp.merge_order j ON j.doc = c.doc JOIN main.documents d ON d.id = c.doc "
            f"WHERE NOT c.known AND EXISTS (SELECT 1 FROM main.{table} m WHERE m.id = c.id) "
            "ORDER BY j.position, c.id LIMIT 1").fetchone()
        if row is not None:
            found.append((row[0], index, row[1], row[2], table))
    if found:
        _, _, taken, name, table = min(found)
        raise ValidationError(f"{name}: {table} id {taken} of {staged.annotator}'s set is "
                              "already used by another document or set")


def _count_and_delete(conn: sqlite3.Connection, staged: Staged, table: str) -> None:
    """Add the table's counts to ``merge_diff`` (added: new ids; changed: known ids that
    differ; removed: the set's ids the package no longer has), then delete the project's rows
    that go: the removed, and the changed (written again by the insert that follows)."""
    come, old, rows = f"temp.merge_come_{table}", f"temp.merge_old_{table}", \
        _name(staged, table)
    conn.execute("INSERT INTO temp.merge_diff SELECT doc, sum(NOT known), sum(known), 0 "
                 f"FROM {come} GROUP BY doc")
    conn.execute(f"INSERT INTO temp.merge_diff SELECT o.doc, 0, 0, count(*) FROM {old} o "
                 f"WHERE o.id NOT IN (SELECT id FROM {rows}) GROUP BY o.doc")
    conn.execute(f"DELETE FROM main.{table} WHERE id IN (SELECT id FROM {old} WHERE id NOT IN "
                 f"(SELECT id FROM {rows}))")
    conn.execute(f"DELETE FROM main.{table} WHERE id IN (SELECT id FROM {come} WHERE known)")


def _has_set(conn: sqlite3.Connection, annotator: str) -> bool:
    """Whether the project has any row or status of ``annotator``'s set (by index)."""
    tables = ["spans", "events", "relations", "doc_status"] + \
        (["chains"] if has_table(conn, "chains") else [])
    return any(conn.execute(f"SELECT 1 FROM main.{t} WHERE annotator = ? LIMIT 1",
                            (annotator,)).fetchone() for t in tables)


def _owner(schema: str, table: str) -> tuple[str, str]:
    """The alias that holds ``doc_id`` and ``annotator`` for ``table``, and the FROM clause
    (arguments belong to a document and set through their event)."""
    if table == "event_args":
        return "e", f"{schema}.event_args t JOIN {schema}.events e ON e.id = t.event_id"
    return "t", f"{schema}.{table} t"


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def _name(staged: Staged, part: str) -> str:
    return f"merge_{staged.key}_{part}"
