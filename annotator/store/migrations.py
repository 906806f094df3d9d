"""Versioned migrations of the project file: named, ordered steps, each in one transaction.

``PRAGMA user_version`` holds the number of applied steps; a file with a higher number than this
program knows is refused (ProjectTooNewError). Before migrating a file that already has content,
a backup copy is written beside it (see ``backup_before_migration``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from annotator.errors import ProjectError, ProjectTooNewError

Step = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Step]] = []


def migration(name: str) -> Callable[[Step], Step]:
    def register(fn: Step) -> Step:
        MIGRATIONS.append((name, fn))
        return fn

    return register


@migration("0001_initial")
def _initial(conn: sqlite3.Connection) -> None:
    # CHECKs compare with OR rather than IN (...): SQLite builds a temporary index for an IN
    # list on every row checked, which made bulk imports four times slower.
    _run_script(conn,
        """
        CREATE TABLE project_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            position INTEGER NOT NULL,
            name TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            length INTEGER NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}',
            lang TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,
            tokenizer TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX documents_position ON documents(position);
        CREATE TABLE document_content (
            doc_id TEXT PRIMARY KEY REFERENCES documents(id),
            text TEXT NOT NULL,
            tokens BLOB NOT NULL,
            sentences BLOB NOT NULL
        );
        CREATE TABLE doc_status (
            doc_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status = 'new' OR status = 'in_progress' OR status = 'done'),
            modified_at TEXT NOT NULL,
            PRIMARY KEY (doc_id, annotator)
        );
        CREATE TABLE spans (
            id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind = 'entity' OR kind = 'trigger' OR kind = 'value'),
            attrs TEXT NOT NULL DEFAULT '{}',
            note TEXT NOT NULL DEFAULT '',
            kb_id TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL
                CHECK (status = 'gold' OR status = 'suggested' OR status = 'rejected'),
            origin TEXT NOT NULL CHECK (origin = 'manual' OR origin = 'import' OR origin = 'model'
                                        OR origin = 'pattern'),
            created_by TEXT NOT NULL, created_at TEXT NOT NULL,
            modified_by TEXT NOT NULL, modified_at TEXT NOT NULL,
            CHECK (0 <= start AND start < "end")
        );
        CREATE INDEX spans_doc ON spans(doc_id, annotator, start);
        CREATE INDEX spans_annotator ON spans(annotator, doc_id);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            type TEXT NOT NULL,
            trigger_id TEXT NOT NULL REFERENCES spans(id),
            attrs TEXT NOT NULL DEFAULT '{}',
            note TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL, origin TEXT NOT NULL,
            created_by TEXT NOT NULL, created_at TEXT NOT NULL,
            modified_by TEXT NOT NULL, modified_at TEXT NOT NULL
        );
        CREATE INDEX events_doc ON events(doc_id, annotator);
        CREATE INDEX events_trigger ON events(trigger_id);
        CREATE TABLE event_args (
            id TEXT PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id),
            role TEXT NOT NULL,
            span_id TEXT REFERENCES spans(id),
            filler_event_id TEXT REFERENCES events(id),
            position INTEGER NOT NULL DEFAULT 0,
            CHECK ((span_id IS NULL) != (filler_event_id IS NULL))
        );
        CREATE INDEX event_args_event ON event_args(event_id);
        CREATE INDEX event_args_span ON event_args(span_id);
        CREATE INDEX event_args_filler_event ON event_args(filler_event_id);
        CREATE TABLE relations (
            id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            type TEXT NOT NULL,
            head_id TEXT NOT NULL REFERENCES spans(id),
            tail_id TEXT NOT NULL REFERENCES spans(id),
            attrs TEXT NOT NULL DEFAULT '{}',
            note TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL, origin TEXT NOT NULL,
            created_by TEXT NOT NULL, created_at TEXT NOT NULL,
            modified_by TEXT NOT NULL, modified_at TEXT NOT NULL
        );
        CREATE INDEX relations_doc ON relations(doc_id, annotator);
        CREATE INDEX relations_head ON relations(head_id);
        CREATE INDEX relations_tail ON relations(tail_id);
        """
    )


@migration("0002_label_indexes")
def _label_indexes(conn: sqlite3.Connection) -> None:
    """Indexes for statistics and project-wide renames (label/type/role lookups)."""
    _run_script(conn,
        """
        CREATE INDEX spans_label ON spans(label);
        CREATE INDEX events_type ON events(type);
        CREATE INDEX relations_type ON relations(type);
        CREATE INDEX event_args_role ON event_args(role);
        """
    )


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one (executescript would COMMIT the enclosing transaction)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buffer[:80]!r}")


def current_version() -> int:
    return len(MIGRATIONS)


def file_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_version(conn: sqlite3.Connection, path: Path) -> int:
    version = file_version(conn)
    if version > current_version():
        raise ProjectTooNewError(
            f"{path}: this project file has format version {version}, but this program reads "
            f"versions up to {current_version()}. It was written by a newer annotator; "
            "upgrade the program to open it (the file was not changed)."
        )
    return version


def has_content(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='documents'"
    ).fetchone()
    return bool(row[0])


def backup_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the whole file (consistent snapshot via the backup API) before changing its format."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def migrate(conn: sqlite3.Connection, path: Path, *, stop_before: str | None = None) -> Path | None:
    """Apply every pending step in order; returns the backup path when one was written."""
    version = check_version(conn, path)
    pending = MIGRATIONS[version:]
    if stop_before is not None:
        names = [n for n, _ in MIGRATIONS]
        pending = MIGRATIONS[version: names.index(stop_before)]
    if not pending:
        return None
    backup = backup_before_migration(conn, path, version) if has_content(conn) else None
    for offset, (name, step) in enumerate(pending, start=version + 1):
        try:
            conn.execute("BEGIN IMMEDIATE")
            step(conn)
            conn.execute(f"PRAGMA user_version = {offset}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise ProjectError(f"{path}: migration {name} failed: {exc}; "
                               f"the file is unchanged at version {offset - 1}"
                               + (f" and a backup is at {backup}" if backup else "")) from None
    return backup
