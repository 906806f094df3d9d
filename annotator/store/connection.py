"""Connections to a project file: the URI that names it exactly, the pragmas, the checks that
it is a project (made before anything could write to a foreign file)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from annotator.errors import ProjectError
from annotator.store import migrations
from annotator.store.integrity import damaged_error, is_damage

APPLICATION_ID = 0x414E4E50  # "ANNP": marks the file as an annotator project


def file_uri(path: Path, **params: str) -> str:
    """A ``file:`` URI for exactly ``path``: percent-quoted, so ``#``, ``?``, ``%``, spaces and
    non-ASCII names reach SQLite as the file's name, not as URI syntax (#9.8)."""
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return path.absolute().as_uri() + (f"?{query}" if query else "")


def connect(path: Path, *, readonly: bool, expect_project: bool = False,
            immutable: bool = False) -> sqlite3.Connection:
    """A connection with the project's pragmas, read-only or read-write; ``expect_project``
    checks (reading only) that the file is a project this program can open.

    A read-only view of a file it could write is a read-write connection with
    ``query_only``: closing it removes the journal files like a writer's close (a ``mode=ro``
    connection leaves ``-wal`` and ``-shm`` behind). ``immutable`` reads a file in a
    read-only folder, where SQLite cannot create its shared-memory file (nothing can write
    the file meanwhile: nobody can write that folder)."""
    soft = readonly and not immutable and os.access(path, os.W_OK)
    mode = "ro" if readonly and not soft else "rw" if expect_project or soft else "rwc"
    uri = file_uri(path, mode=mode, **({"immutable": "1"} if immutable else {}))
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        if soft:
            conn.execute("PRAGMA query_only = 1")
        conn.execute("PRAGMA busy_timeout = 5000")
        if expect_project:
            # Look before switching the journal mode: a foreign file or one written by a newer
            # program must be left exactly as it was.
            check_is_project(conn, path)
            migrations.check_version(conn, path)
        if not readonly:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise ProjectError(f"{path}: cannot switch to WAL journal (got {mode})")
        conn.execute("PRAGMA foreign_keys = ON")
        # NORMAL: a committed edit has reached the OS when the call returns (a killed program
        # loses nothing); WalSync flushes it to disk a moment later, off the caller's thread.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: bulk imports stay in memory
    except sqlite3.DatabaseError as exc:
        conn.close()
        if is_damage(exc) and expect_project and _looks_like_sqlite(path):
            raise damaged_error(path, [str(exc)]) from None
        raise ProjectError(f"{path} is not an annotator project file ({exc})") from None
    except BaseException:
        conn.close()
        raise
    return conn


def why_not_writable(path: Path) -> str | None:
    """Why the project at ``path`` cannot be written (None: it can), in words for a user."""
    if path.exists() and not os.access(path, os.W_OK):
        return f"the file {path.name} is read-only (no write permission)"
    folder = path.resolve().parent  # SQLite keeps its journal beside the link's target
    if not os.access(folder, os.W_OK):
        return f"its folder {folder} is read-only, and SQLite keeps its journal beside the file"
    return None


def check_is_project(conn: sqlite3.Connection, path: Path) -> None:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        conn.close()
        if is_damage(exc) and _looks_like_sqlite(path):
            raise damaged_error(path, [str(exc)]) from None
        raise ProjectError(f"{path} is not an annotator project file ({exc})") from None
    if app_id != APPLICATION_ID:
        conn.close()
        raise ProjectError(f"{path} is not an annotator project file")


def _looks_like_sqlite(path: Path) -> bool:
    """The file starts with SQLite's header (damaged inside, not some other file)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False
