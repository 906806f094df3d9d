"""What can go wrong with the file itself, and the messages that say what to do: damage
(SQLite's ``quick_check`` before a file is opened for writing, as Anki checks its collection)
and a full disk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.errors import DamagedProjectError, DiskFullError

MALFORMED = ("malformed", "not a database", "corrupt")  # SQLite's words for a damaged file


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite's error says the file itself is damaged."""
    return any(word in str(exc).lower() for word in MALFORMED)


def quick_check(conn: sqlite3.Connection, limit: int = 5) -> list[str]:
    """The first ``limit`` problems ``PRAGMA quick_check`` finds (empty: the file is sound).
    It reads every page (about 90 ms for a 70 MB project) but skips the index contents."""
    try:
        found = [r[0] for r in conn.execute(f"PRAGMA quick_check({int(limit)})")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if found == ["ok"] else found


def damaged_error(path: Path, problems: list[str]) -> DamagedProjectError:
    """The error for a damaged file, naming its backups and the export that saves the rest."""
    backups = sorted(path.parent.glob(f"{_glob_escape(path.name)}*.bak"))
    restore = (f"restore the newest backup beside it ({backups[-1].name}), or "
               if backups else "restore a copy from your backups, or ")
    return DamagedProjectError(
        f"{path} is damaged ({'; '.join(problems[:3])}), so it was not opened for writing "
        f"and nothing was written into it. To recover: {restore}export what is still "
        f"readable with `annotator export --format jsonl --out recovered.jsonl {path}` "
        "(read-only, it reads what it can) and import that into a new project.")


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def is_full(exc: sqlite3.Error) -> bool:
    """SQLITE_FULL: the disk, or the file's size limit, has no room for the change."""
    return (getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
            or "database or disk is full" in str(exc))


def disk_full_error(path: Path) -> DiskFullError:
    return DiskFullError(
        f"{path}: the disk is full (or the project reached its size limit), so this change "
        "was not saved; everything saved before it is kept. Free some space on "
        f"{path.parent} and do it again.")
