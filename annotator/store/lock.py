"""The writer lock: one process at a time may write a project, whatever path it used.

POSIX: an exclusive ``flock`` on the database file itself. It belongs to the file (its inode),
not to a name, so a second writer through a symlink, a hard link or a renamed path is refused,
nothing can delete it from under its holder, the OS releases it when the holder dies, and
nothing is left beside the project. SQLite's own locks are POSIX record locks, which do not
interact with ``flock`` on local file systems (network file systems cannot hold a WAL
project anyway: WAL needs shared memory on one machine).

Release 0.1 locked a ``PROJECT.lock`` file beside the project instead: such a file is still
honoured while a process holds it (an old program writing), and removed when stale.

Windows keeps a lock file beside the project (``msvcrt`` byte locks on the database would
block SQLite's own reads); it is removed on a clean release.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


# Descriptors of the database files this process has locked, kept open for the process's
# life: closing any descriptor of a file drops every POSIX lock the process holds on it, and
# SQLite's connections to the same file hold such locks (SQLite keeps its own the same way).
_FDS: dict[tuple[int, int], int] = {}
_HELD: set[tuple[int, int]] = set()  # files a WriterLock of this process holds


class WriterLock:
    """Held while a process may write the project at ``project_path``."""

    def __init__(self, project_path: Path) -> None:
        self.project_path = project_path
        self.legacy_path = project_path.with_name(project_path.name + ".lock")
        self._key: tuple[int, int] | None = None
        self._fh: IO[bytes] | None = None  # Windows: the lock file

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another live process holds it, or
        another Project of this process (through any path to the same file)."""
        if fcntl is None:  # pragma: no cover - Windows
            return self._acquire_lock_file()
        st = os.stat(self.project_path)
        key = (st.st_dev, st.st_ino)
        if key in _HELD:
            return False
        fd = _FDS.get(key)
        if fd is None:
            fd = _FDS[key] = os.open(self.project_path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        if not _clear_legacy_lock(self.legacy_path):
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        _HELD.add(key)
        self._key = key
        return True

    def holder(self) -> str:
        """Who holds the lock, for messages ("process 123 on this machine")."""
        pid = _flock_holder(self.project_path) if fcntl is not None else None
        if pid is None:
            try:
                pid = int(self.legacy_path.read_text().split()[0])
            except (OSError, ValueError, IndexError):
                return "another process"
        return "this process" if pid == os.getpid() else f"process {pid} on this machine"

    def release(self) -> None:
        if fcntl is None:  # pragma: no cover - Windows
            fh, self._fh = self._fh, None
            if fh is not None:
                fh.close()
                self.legacy_path.unlink(missing_ok=True)
            return
        key, self._key = self._key, None
        if key is None:
            return
        _HELD.discard(key)
        fcntl.flock(_FDS[key], fcntl.LOCK_UN)  # the descriptor stays open (see _FDS)

    def _acquire_lock_file(self) -> bool:  # pragma: no cover - Windows
        if sys.platform != "win32":
            return False
        fh = open(self.legacy_path, "a+b")  # noqa: SIM115
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n".encode())
        fh.flush()
        self._fh = fh
        return True


def _clear_legacy_lock(path: Path) -> bool:
    """False while a release 0.1 process holds ``PROJECT.lock``; a stale one is removed."""
    try:
        fh = open(path, "rb")  # noqa: SIM115
    except OSError:
        return True  # none (or unreadable: nobody can be holding it through us)
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        path.unlink(missing_ok=True)
        return True
    except OSError:
        return True  # a read-only folder: the stale file stays, it binds no one
    finally:
        fh.close()  # closing drops the flock


def _flock_holder(path: Path) -> int | None:
    """The pid holding a flock on ``path``'s inode, from /proc/locks (Linux), else None."""
    try:
        inode = os.stat(path).st_ino
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 30413 fe:00:2146412 0 EOF"
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5].rsplit(":", 1)[-1] == str(inode):
            try:
                return int(fields[4])
            except ValueError:
                return None
    return None
