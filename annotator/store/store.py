"""Store: the SQLite project file behind the Project facade (all SQL lives in this package)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from operator import itemgetter
from pathlib import Path
from typing import Any

import sqlite_utils

from annotator.errors import (
    ProjectError,
    ProjectExistsError,
    ProjectInUseError,
    ReadOnlyProjectError,
    ValidationError,
)
from annotator.store import integrity, migrations, search, tables
from annotator.store.connection import APPLICATION_ID, connect, why_not_writable
from annotator.store.lock import WriterLock
from annotator.store.verify import BackgroundCheck
from annotator.store.walsync import WalSync

# Primary key columns of each table that undo records touch.
KEYS: dict[str, tuple[str, ...]] = {
    "spans": ("id",), "events": ("id",), "event_args": ("id",), "relations": ("id",),
    "doc_status": ("doc_id", "annotator"), "documents": ("id",), "document_content": ("doc_id",),
    "project_meta": ("key",), "chains": ("id",),
}


class Store:
    """An open project file: pragmas set, migrated, locked for writing (or read-only)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: WriterLock | None,
                 readonly: bool, *, reason: str | None = None, immutable: bool = False) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        self._lock = lock
        self.readonly = readonly
        # why edits are impossible, for messages (None: writable)
        self.readonly_reason = (reason or "it was opened read-only") if readonly else None
        self._immutable = immutable
        self._depth = 0
        self._snapshots = 0  # nesting depth of snapshot()
        self._edited = False  # a transaction committed on this connection
        self._check: BackgroundCheck | None = None  # a writer's integrity check, running
        self.backup_path: Path | None = None
        self._wal_sync = None if readonly else WalSync(path)

    # ---- opening -----------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, meta: dict[str, str]) -> Store:
        path = Path(path)
        if path.exists():
            raise ProjectExistsError(f"{path} already exists; refusing to overwrite it")
        if not path.parent.exists():
            raise ProjectError(f"{path.parent} does not exist")
        if (reason := why_not_writable(path)) is not None:
            raise ProjectError(f"cannot create {path}: {reason}")
        try:  # the file exists before it is locked (the lock is on the file itself)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            raise ProjectExistsError(f"{path} already exists; refusing to overwrite it"
                                     ) from None
        store: Store | None = None
        try:
            store = cls._open(path, readonly=False, creating=True)
            with store.transaction():
                store.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                for key, value in meta.items():
                    store.set_meta(key, value)
        except BaseException:
            if store is not None:
                store.close()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            raise
        return store

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False,
             fallback_readonly: bool = False, verify: str = "now") -> Store:
        """Open for writing (locked), or read-only when asked, when the file or its folder
        cannot be written (``readonly_reason`` says which), or, with ``fallback_readonly``,
        when another process writes it. ``verify="background"``: the integrity check of a
        writer runs on a worker thread and the first write waits for it (store.verify)."""
        path = Path(path)
        if not path.exists():
            raise ProjectError(f"{path} does not exist")
        if path.is_dir():
            raise ProjectError(f"{path} is a folder, not a project file")
        reason = "it was opened read-only" if readonly else why_not_writable(path)
        return cls._open(path, readonly=reason is not None, creating=False,
                         fallback_readonly=fallback_readonly, reason=reason, verify=verify)

    @classmethod
    def _open(cls, path: Path, *, readonly: bool, creating: bool,
              fallback_readonly: bool = False, reason: str | None = None,
              verify: str = "now") -> Store:
        lock: WriterLock | None = None
        if not readonly:
            lock = WriterLock(path)
            if not lock.acquire():
                message = f"it is open for writing in another process ({lock.holder()})"
                if not fallback_readonly:
                    raise ProjectInUseError(f"{path}: {message}. Close it there first, or "
                                            "open this one read-only.")
                lock, readonly, reason = None, True, message
        immutable = readonly and _needs_immutable(path)
        conn: sqlite3.Connection | None = None
        store: Store | None = None
        try:
            conn = connect(path, readonly=readonly, expect_project=not creating,
                           immutable=immutable)
            store = cls(path, conn, lock, readonly, reason=reason, immutable=immutable)
            store._prepare(creating, background=verify == "background")
            return store
        except BaseException:
            if store is not None and store._wal_sync is not None:
                store._wal_sync.close()
            if conn is not None:
                conn.close()
            if lock:
                lock.release()
            raise

    def _prepare(self, creating: bool, background: bool = False) -> None:
        """Writers: check for damage, then migrate; readers: check that they can read it.
        ``background``: a writer that needs no migration is checked on a worker thread."""
        if self.readonly:
            missing = set(migrations.pending_steps(self.conn)) - migrations.OPTIONAL_FOR_READING
            if missing:  # a reader can do without indexes and views, not without tables
                raise ProjectError(f"{self.path} needs a format upgrade; open it for writing "
                                   "once to migrate it (in a writable folder)")
            return
        if background and not creating and not migrations.pending_steps(self.conn):
            self._check = BackgroundCheck(self.path)
            return
        if not creating and (problems := integrity.quick_check(self.conn)):
            raise integrity.damaged_error(self.path, problems)
        self.backup_path = migrations.migrate(self.conn, self.path)

    def sibling(self) -> Store:
        """Another connection to this file for a worker thread of the same process."""
        conn = connect(self.path, readonly=self.readonly, immutable=self._immutable)
        return Store(self.path, conn, None, self.readonly, reason=self.readonly_reason,
                     immutable=self._immutable)

    def close(self) -> None:
        """Close the connection and release the lock, always (also on a full disk, where the
        last flush or statistics may fail). Statistics (``PRAGMA optimize``) are refreshed
        only after edits: a project opened and closed unedited stays byte-identical."""
        if self.conn is None:
            return
        conn = self.conn
        if self._check is not None:
            self._check.cancel()
        try:
            if self._edited and not self.readonly:
                with suppress(sqlite3.Error):  # statistics only: losing them loses nothing
                    conn.execute("PRAGMA optimize")
            if self._wal_sync is not None:
                self._wal_sync.close()  # flushed before the lock goes
                self._wal_sync = None
        finally:
            self.conn = None  # type: ignore[assignment]
            try:
                conn.close()
            finally:
                if self._lock:
                    self._lock.release()

    # ---- transactions ------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One edit = one transaction; a nested call is a savepoint inside the outer one, so
        a failure inside it undoes just its own writes."""
        if self.readonly:
            raise ReadOnlyProjectError(f"{self.path} cannot be changed: {self.readonly_reason}")
        if self._snapshots:
            raise ProjectError(f"{self.path}: no edits inside a snapshot (it reads one state "
                               "of the file; edit after the snapshot ends)")
        if self._depth:
            name = f"nested_{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                if self.conn.in_transaction:  # SQLite may have rolled back everything already
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            finally:
                self._depth -= 1
            self.conn.execute(f"RELEASE {name}")
            return
        self._await_check()
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            self._depth = 0
            self.conn.execute("COMMIT")
        except BaseException as exc:
            self._depth = 0
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error) and integrity.is_full(exc):
                raise integrity.disk_full_error(self.path) from exc
            raise
        self._edited = True
        if self._wal_sync is not None:
            self._wal_sync.request()

    def _await_check(self) -> None:
        """The first write of a store checked in the background waits for the check; a
        damaged file refuses every write, with the way to recover (nothing is written)."""
        if self._check is None:
            return
        problems = self._check.result()
        if problems:
            raise integrity.damaged_error(self.path, problems)
        self._check = None

    @property
    def verified(self) -> bool | None:
        """True once the file is known sound, False when it is damaged, None while checking."""
        if self._check is None:
            return True
        if not self._check.done:
            return None
        return not self._check.result()

    @property
    def damage(self) -> str | None:
        """What the finished background check found, as the refusal's message (None: none)."""
        if self._check is None or not self._check.done or not self._check.result():
            return None
        return str(integrity.damaged_error(self.path, self._check.result()))

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read inside sees one consistent state of the file: one read transaction
        (in WAL mode other connections keep writing meanwhile; their commits are seen after
        it ends). Nested calls share the outer snapshot."""
        if self._depth:  # inside an edit: its transaction already reads one state
            yield
            return
        if self._snapshots:
            self._snapshots += 1
            try:
                yield
            finally:
                self._snapshots -= 1
            return
        self.conn.execute("BEGIN DEFERRED")
        try:
            # the read transaction starts at the first read: take it now, not at the caller's
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self._snapshots = 1
            yield
        finally:
            self._snapshots = 0
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def wait_synced(self, timeout: float | None = None) -> bool:
        """Block until every committed edit has been flushed to disk (see ``walsync``)."""
        return self._wal_sync is None or self._wal_sync.wait(timeout)

    # ---- generic rows (undo/redo write through these) ----------------------------------
    def put_row(self, table: str, row: dict[str, Any]) -> None:
        """Insert ``row``, or update the row with its key (undo/redo write through this)."""
        self.conn.execute(_upsert_sql(table, list(row)), list(row.values()))

    def insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert new rows with the same columns in one executemany (imports: the caller has
        checked that no key exists yet, so a clash is an error, never a silent update)."""
        if rows:
            cols = list(rows[0])
            quoted = ", ".join(f'"{c}"' for c in cols)
            try:  # executemany: 50,000 spans in 0.46-0.58 s, sqlite-utils insert_all 1.06-1.11 s
                self.conn.executemany(
                    f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(cols))})",
                    [[r[c] for c in cols] for r in rows] if len(cols) == 1
                    else list(map(itemgetter(*cols), rows)))
            except sqlite3.IntegrityError as exc:
                raise ValidationError(f"cannot add these {table}: {exc}") from None

    def is_empty(self, table: str) -> bool:
        return self.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None

    def existing_ids(self, table: str, ids: list[str]) -> set[str]:
        """Which of ``ids`` already are rows of ``table`` (tables keyed by ``id``)."""
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            cur = self.conn.execute(f"SELECT id FROM {table} WHERE id IN "
                                    f"({', '.join('?' * len(chunk))})", chunk)
            found.update(r[0] for r in cur)
        return found

    def delete_row(self, table: str, row: dict[str, Any]) -> None:
        keys = KEYS[table]
        where = " AND ".join(f'"{k}" = ?' for k in keys)
        self.conn.execute(f"DELETE FROM {table} WHERE {where}", [row[k] for k in keys])

    def get_row(self, table: str, key: str) -> dict[str, Any] | None:
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (key,))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    # ---- project meta ------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM project_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def meta_row(self, key: str) -> dict[str, Any] | None:
        value = self.get_meta(key)
        return None if value is None else {"key": key, "value": value}

    def set_meta(self, key: str, value: str) -> None:
        self.put_row("project_meta", {"key": key, "value": value})

    # ---- documents ---------------------------------------------------------------------
    def existing_hashes(self, hashes: list[str]) -> dict[str, str]:
        """content hash -> document name, for the hashes already in the project."""
        out: dict[str, str] = {}
        for i in range(0, len(hashes), 500):
            chunk = hashes[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for h, name in self.conn.execute(
                    f"SELECT content_hash, name FROM documents WHERE content_hash IN ({marks})",
                    chunk):
                out[h] = name
        return out

    def existing_names(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT name FROM documents")}

    def next_position(self) -> int:
        row = self.conn.execute("SELECT max(position) FROM documents").fetchone()
        return 0 if row[0] is None else row[0] + 1

    def insert_documents(self, docs: list[dict[str, Any]], contents: list[dict[str, Any]]) -> None:
        """Bulk insert (one import batch); rows as produced by the Project. The search index
        takes the batch in one statement (3x faster than a trigger per row)."""
        last = self.conn.execute("SELECT coalesce(max(rowid), 0) FROM document_content"
                                 ).fetchone()[0]
        for table, rows in (("documents", docs), ("document_content", contents)):
            if not rows:
                continue
            cols = list(rows[0])
            # executemany: measured 2x faster than sqlite-utils insert_all (see insert_rows)
            self.conn.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [tuple(r[c] for c in cols) for r in rows])
        if contents:
            tables.index_new_documents(self.db, last)

    def list_documents(self, annotator: str) -> list[dict[str, Any]]:
        return self._rows(
            """SELECT d.id, d.name, d.title, d.length, d.position,
                      COALESCE(s.status, 'new') AS status, COALESCE(c.n, 0) AS annotation_count
               FROM documents d
               LEFT JOIN doc_status s ON s.doc_id = d.id AND s.annotator = ?
               LEFT JOIN (SELECT doc_id, count(*) AS n FROM spans WHERE annotator = ?
                          GROUP BY doc_id) c ON c.doc_id = d.id
               ORDER BY d.position""", (annotator, annotator))

    def list_document_length(self, doc_id: str) -> int | None:
        row = self.conn.execute("SELECT length FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def document_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def get_document(self, doc_id: str) -> dict[str, Any] | None:
        rows = self._rows(
            """SELECT d.*, c.text, c.tokens, c.sentences FROM documents d
               JOIN document_content c ON c.doc_id = d.id WHERE d.id = ?""", (doc_id,))
        return rows[0] if rows else None

    def document_id_by_name(self, name: str) -> str | None:
        row = self.conn.execute("SELECT id FROM documents WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def document_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents ORDER BY position")]

    def search_documents(self, query: str, limit: int = 200) -> list[str]:
        """Ids of documents whose text contains ``query`` (case-insensitive for ASCII), in
        document order; the FTS5 index narrows the scan (see ``store.search``)."""
        return search.search_documents(self.conn, query, limit)

    # ---- statuses ----------------------------------------------------------------------
    def status_row(self, doc_id: str, annotator: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM doc_status WHERE doc_id = ? AND annotator = ?",
                          (doc_id, annotator))
        return rows[0] if rows else None

    def status_rows(self, doc_id: str) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM doc_status WHERE doc_id = ? ORDER BY annotator",
                          (doc_id,))

    # ---- annotations -------------------------------------------------------------------
    def span_rows(self, doc_id: str, annotator: str | None) -> list[dict[str, Any]]:
        return self._doc_rows("spans", doc_id, annotator, 'start, "end", id')

    def event_rows(self, doc_id: str, annotator: str | None) -> list[dict[str, Any]]:
        return self._doc_rows("events", doc_id, annotator, "created_at, id")

    def relation_rows(self, doc_id: str, annotator: str | None) -> list[dict[str, Any]]:
        return self._doc_rows("relations", doc_id, annotator, "created_at, id")

    def _doc_rows(self, table: str, doc_id: str, annotator: str | None, order: str
                  ) -> list[dict[str, Any]]:
        """One document's rows of one table, for one annotation set (None: every set)."""
        if annotator is None:
            return self._rows(f"SELECT * FROM {table} WHERE doc_id = ? ORDER BY {order}",
                              (doc_id,))
        return self._rows(f"SELECT * FROM {table} WHERE doc_id = ? AND annotator = ? "
                          f"ORDER BY {order}", (doc_id, annotator))

    def has_chains(self) -> bool:
        """Whether the file has the ``chains`` table (a read-only file of release 0.1 not)."""
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'chains'"
                                 ).fetchone() is not None

    def chain_rows(self, doc_id: str, annotator: str | None) -> list[dict[str, Any]]:
        if self.readonly and not self.has_chains():
            return []
        return self._doc_rows("chains", doc_id, annotator, "created_at, id")

    def chains_with_mention(self, span_id: str) -> list[dict[str, Any]]:
        """The chains that list ``span_id`` among their mentions (of the span's document)."""
        if self.readonly and not self.has_chains():
            return []
        return self._rows(
            "SELECT c.* FROM chains c JOIN spans s ON s.doc_id = c.doc_id WHERE s.id = ? AND "
            "EXISTS (SELECT 1 FROM json_each(c.mentions) m WHERE m.value = ?) ORDER BY c.id",
            (span_id, span_id))

    def argument_rows_for_doc(self, doc_id: str, annotator: str | None) -> list[dict[str, Any]]:
        sql = """SELECT a.* FROM event_args a JOIN events e ON e.id = a.event_id
                 WHERE e.doc_id = ?"""
        params: list[Any] = [doc_id]
        if annotator is not None:
            sql += " AND e.annotator = ?"
            params.append(annotator)
        return self._rows(sql + " ORDER BY a.event_id, a.position, a.id", params)

    def argument_rows(self, event_id: str) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM event_args WHERE event_id = ? ORDER BY position, id",
                          (event_id,))

    def relations_touching(self, span_id: str) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM relations WHERE head_id = ? OR tail_id = ?",
                          (span_id, span_id))

    def arguments_filled_by_span(self, span_id: str) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM event_args WHERE span_id = ?", (span_id,))

    def arguments_filled_by_event(self, event_id: str) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM event_args WHERE filler_event_id = ?", (event_id,))

    def events_triggered_by(self, span_id: str) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM events WHERE trigger_id = ?", (span_id,))

    def annotators(self) -> list[str]:
        """Every annotation set's name. The spans' names come by a skip-scan of the
        ``spans_annotator`` index (one seek per set: 0.4 ms instead of 180-590 ms over 1.5
        million spans, which the window paid on opening); the other tables are smaller."""
        return [r[0] for r in self.conn.execute(
            """WITH RECURSIVE sets(name) AS (
                   SELECT min(annotator) FROM spans
                   UNION ALL
                   SELECT (SELECT min(annotator) FROM spans WHERE annotator > name)
                   FROM sets WHERE name IS NOT NULL)
               SELECT name FROM sets WHERE name IS NOT NULL
               UNION SELECT annotator FROM events UNION SELECT annotator FROM relations
               UNION SELECT annotator FROM doc_status ORDER BY 1""")]

    # ---- statistics and checks ---------------------------------------------------------
    def count_by(self, table: str, column: str) -> list[tuple[str, str, int]]:
        """(annotator, value, count) rows for one table and column."""
        assert table in ("spans", "events", "relations") and column in ("label", "type", "status")
        return [(r[0], r[1], r[2]) for r in self.conn.execute(
            f"SELECT annotator, {column}, count(*) FROM {table} GROUP BY 1, 2 ORDER BY 1, 2")]

    def status_counts(self) -> list[tuple[str, str, int]]:
        return [(r[0], r[1], r[2]) for r in self.conn.execute(
            "SELECT annotator, status, count(*) FROM doc_status GROUP BY 1, 2 ORDER BY 1, 2")]

    def chain_counts(self) -> list[tuple[str, str, int]]:
        """(annotator, chain type, count) of the gold coreference chains."""
        return [(r[0], r[1], r[2]) for r in self.conn.execute(
            "SELECT annotator, type, count(*) FROM chains WHERE status = 'gold' "
            "GROUP BY 1, 2 ORDER BY 1, 2")]

    def label_usage(self) -> dict[str, int]:
        """How many annotations use each span label, event type or relation type."""
        usage: dict[str, int] = {}
        for sql in ("SELECT label, count(*) FROM spans GROUP BY 1",
                    "SELECT type, count(*) FROM events GROUP BY 1",
                    "SELECT type, count(*) FROM relations GROUP BY 1"):
            for name, n in self.conn.execute(sql):
                usage[name] = usage.get(name, 0) + n
        return usage

    def rename_label(self, table: str, column: str, old: str, new: str) -> list[dict[str, Any]]:
        """Rows that carry ``old`` (before-images), for a recorded rename."""
        assert table in ("spans", "events", "relations", "event_args", "chains")
        assert column in ("label", "type", "role")
        return self._rows(f"SELECT * FROM {table} WHERE {column} = ?", (old,))

    def integrity_problems(self) -> list[str]:
        """Damage and dangling references, as messages (a damaged file is reported, not
        raised: ``annotator check`` says what is wrong)."""
        try:
            problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check")
                        if r[0] != "ok"]
            problems += [f"dangling reference in {r[0]} row {r[1]} -> {r[2]}"
                         for r in self.conn.execute("PRAGMA foreign_key_check")]
        except sqlite3.DatabaseError as exc:
            problems = [f"the file is damaged: {exc}"]
        return problems

    def document_summary(self, doc_id: str, annotator: str) -> dict[str, Any] | None:
        """One row of ``list_documents`` (one query, by index): what a document list updates
        after an edit of that document."""
        rows = self._rows(
            """SELECT d.id, d.name, d.title, d.length, d.position,
                      COALESCE((SELECT status FROM doc_status
                                WHERE doc_id = d.id AND annotator = ?), 'new') AS status,
                      (SELECT count(*) FROM spans
                       WHERE doc_id = d.id AND annotator = ?) AS annotation_count
               FROM documents d WHERE d.id = ?""", (annotator, annotator, doc_id))
        return rows[0] if rows else None

    def list_documents_uncounted(self, annotator: str) -> list[dict[str, Any]]:
        """``list_documents`` without the span counts (``annotation_count`` -1): counting 1.5
        million spans takes half a second, listing 10,000 documents a few milliseconds."""
        return self._rows(
            """SELECT d.id, d.name, d.title, d.length, d.position,
                      COALESCE(s.status, 'new') AS status, -1 AS annotation_count
               FROM documents d
               LEFT JOIN doc_status s ON s.doc_id = d.id AND s.annotator = ?
               ORDER BY d.position""", (annotator,))


def _needs_immutable(path: Path) -> bool:
    """A read-only folder: SQLite cannot create the shared-memory file a WAL reader needs, so
    the file is read as immutable, unless its journal holds edits (a writer that crashed
    before the folder became read-only): those only a normal reader sees."""
    real = path.resolve()
    if os.access(real.parent, os.W_OK):
        return False
    wal = real.with_name(real.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        if not real.with_name(real.name + "-shm").exists():
            raise ProjectError(
                f"{path}: its journal {wal.name} holds edits not yet in the file, and they "
                "cannot be read in a read-only folder; copy the project together with "
                f"{wal.name} into a writable folder and open it there")
        return False
    return True


def _upsert_sql(table: str, cols: list[str]) -> str:
    keys = KEYS[table]
    quoted = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c not in keys)
    return (f"INSERT INTO {table} ({quoted}) VALUES ({marks}) "
            f"ON CONFLICT({', '.join(keys)}) DO UPDATE SET {updates}")
