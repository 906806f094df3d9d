"""The project file's format: named steps applied through sqlite-utils ``Migrations``.

Each step runs in one transaction together with its record in ``_sqlite_migrations`` (set
``annotator``), so a failing step leaves the file as it was before that step. The steps also
keep ``PRAGMA user_version`` equal to the number applied: release 0.1 recorded only that number,
and it still makes an old program refuse a file this one wrote (it reads ``user_version``).

Files of release 0.1 (``user_version`` N, no ``_sqlite_migrations``) are adopted: their first N
steps are recorded as applied, then the rest run. A file that records a step this program does
not know, or a higher ``user_version``, was written by a newer program and is refused
(ProjectTooNewError) before anything is written. Before migrating a file that has content, a
backup copy is written beside it (``backup_before_migration``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from annotator.errors import ProjectError, ProjectTooNewError
from annotator.store import suggestion_tables, tables

SET_NAME = "annotator"
Step = Callable[[sqlite_utils.Database], None]
# (name, step) in order; ``migrate`` builds the sqlite-utils Migrations set from this list.
MIGRATIONS: list[tuple[str, Step]] = [
    ("0001_initial", tables.create_tables),
    ("0002_label_indexes", tables.create_label_indexes),
    ("0003_document_search", tables.create_search_index),
    ("0004_browsing_views", tables.create_views),
    ("0005_suggestions", suggestion_tables.add_suggestions),
    ("0006_chains_fragments_references", tables.create_chains_fragments_references),
]
# Steps a read-only reader can do without (indexes, search index, views; the suggestion
# columns, whose absence reads as their defaults): a file missing only these is read as it is
# when it cannot be migrated (read-only open, read-only folder); without 0006 it reads as a file
# without chains, fragments or references.
OPTIONAL_FOR_READING = frozenset({"0002_label_indexes", "0003_document_search",
                                  "0004_browsing_views", "0005_suggestions",
                                  "0006_chains_fragments_references"})


def current_version() -> int:
    return len(MIGRATIONS)


def file_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def recorded_steps(conn: sqlite3.Connection) -> list[str]:
    """Names of this program's steps recorded in ``_sqlite_migrations`` (empty: none/legacy)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                        (Migrations.migrations_table,)).fetchone():
        return []
    return [r[0] for r in conn.execute(
        f"SELECT name FROM {Migrations.migrations_table} WHERE migration_set = ? ORDER BY id",
        (SET_NAME,))]


def applied_steps(conn: sqlite3.Connection) -> list[str]:
    """Steps applied to this file, whether recorded by name or (release 0.1) only counted."""
    names = recorded_steps(conn)
    if names:
        return names
    return [name for name, _ in MIGRATIONS[:file_version(conn)]]


def pending_steps(conn: sqlite3.Connection) -> list[str]:
    done = set(applied_steps(conn))
    return [name for name, _ in MIGRATIONS if name not in done]


def check_version(conn: sqlite3.Connection, path: Path) -> int:
    """Refuse a file written by a newer program (reads only); returns ``user_version``."""
    version = file_version(conn)
    known = {name for name, _ in MIGRATIONS}
    unknown = [n for n in recorded_steps(conn) if n not in known]
    if version > current_version() or unknown:
        found = f"format steps {', '.join(unknown)}" if unknown else f"format version {version}"
        raise ProjectTooNewError(
            f"{path}: this project file has {found}, but this program reads "
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
    pending = pending_steps(conn)
    if stop_before is not None:
        stop_before = stop_before if stop_before in pending else None
        pending = pending[:pending.index(stop_before)] if stop_before else []
    if not pending:
        return None
    backup = backup_before_migration(conn, path, version) if has_content(conn) else None
    db = sqlite_utils.Database(conn, execute_plugins=False)
    steps = _migration_set()
    try:
        _adopt_legacy(db, steps, version)
        steps.apply(db, stop_before=stop_before)
    except sqlite3.Error as exc:
        failed = steps.pending(db)[0].name if steps.pending(db) else "?"
        raise ProjectError(f"{path}: migration {failed} failed: {exc}; "
                           f"the file is unchanged at version {file_version(conn)}"
                           + (f" and a backup is at {backup}" if backup else "")) from None
    return backup


def _migration_set() -> Migrations:
    """The steps as a sqlite-utils Migrations set; each also sets ``user_version``."""
    steps = Migrations(SET_NAME)
    for number, (name, fn) in enumerate(MIGRATIONS, start=1):
        steps(name=name)(_numbered(fn, number))
    return steps


def _numbered(fn: Step, number: int) -> Step:
    def run(db: sqlite_utils.Database) -> None:
        fn(db)
        db.execute(f"PRAGMA user_version = {int(number)}")

    run.__name__ = getattr(fn, "__name__", "step")
    return run


def _adopt_legacy(db: sqlite_utils.Database, steps: Migrations, version: int) -> None:
    """A release 0.1 file counted its steps in ``user_version`` only: record them by name
    (in one transaction with the table, so a crash cannot leave an empty record)."""
    if version == 0 or recorded_steps(db.conn):
        return
    with db.atomic():
        steps.ensure_migrations_table(db)
        applied_at = str(datetime.now(UTC))
        for name, _ in MIGRATIONS[:version]:
            db.table(Migrations.migrations_table).insert(
                {"migration_set": SET_NAME, "name": name, "applied_at": applied_at})
