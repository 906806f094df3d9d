"""Where a brat export goes: a folder or a ``.zip``, and the file stem of every document.

File stems must be valid on every platform a collection may be copied to: at most 255 bytes
(Linux, most file systems) or 255 UTF-16 units (Windows, macOS) per path part, none of
``\\ : * ? " < > |`` or control characters, no Windows device names (``CON``, ``NUL``,
``COM1`` ..., also with an extension) and no folder name ending in a dot. A path part longer
than ``MAX_STEM_BYTES`` UTF-8 bytes (a 108-character Chinese headline is 324 bytes) is cut at a
character boundary and gets ``~`` plus the first 8 hex digits of the SHA-1 of the whole part,
so that the stem stays unique and is the same in every export of that document (issue #9.9).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from annotator.errors import ExportError

#: UTF-8 bytes kept of a long path part (plus ``~`` + 8 hex digits, ``-N`` and ``.ann``: < 255)
MAX_STEM_BYTES = 190
_BAD_FILE_CHARS = re.compile(r'[\x00-\x1f\\:*?"<>|]')
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                       *(f"LPT{i}" for i in range(1, 10))})


def too_long(name: str) -> bool:
    """Whether :func:`file_stem` shortens some path part of the document name ``name``."""
    return any(len(part.encode("utf-8")) > MAX_STEM_BYTES for part in name.split("/"))


def _safe_part(part: str, last: bool) -> str:
    safe = _BAD_FILE_CHARS.sub("_", part).strip()
    if safe in ("", ".", ".."):
        return "_"
    if not last and safe.endswith("."):  # Windows drops a folder name's trailing dots
        safe = safe.rstrip(".") + "_"
    base, dot, rest = safe.partition(".")
    if base.rstrip(" ").upper() in _RESERVED:
        safe = f"{base}_{dot}{rest}"
    raw = safe.encode("utf-8")
    if len(raw) > MAX_STEM_BYTES:
        head = raw[:MAX_STEM_BYTES].decode("utf-8", "ignore")  # drops a cut character only
        digest = hashlib.sha1(part.encode("utf-8")).hexdigest()[:8]
        safe = f"{head.rstrip()}~{digest}"
    return safe


def file_stem(name: str, taken: set[str]) -> str:
    """A safe, unique (case-insensitively, against ``taken``, which it updates) relative stem
    for the document ``name`` (``/`` separates folders)."""
    parts = name.split("/")
    stem = "/".join(_safe_part(p, k == len(parts) - 1) for k, p in enumerate(parts))
    base, i = stem, 2
    while stem.lower() in taken:
        stem, i = f"{base}-{i}", i + 1
    taken.add(stem.lower())
    return stem


class Sink:
    """A folder or a zip archive to write text files into."""

    def __init__(self, out: Path, zipped: bool) -> None:
        self.out = out
        self.zip: zipfile.ZipFile | None = None
        self.names: set[str] = set()
        try:
            if zipped:
                out.parent.mkdir(parents=True, exist_ok=True)
                self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
            else:
                out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"{out}: cannot write: {exc.strerror or exc}") from None

    def write(self, rel: str, text: str) -> None:
        self.names.add(rel)
        try:
            if self.zip is not None:
                self.zip.writestr(rel, text.encode("utf-8"))
                return
            path = self.out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        except OSError as exc:
            raise ExportError(f"{self.out / rel}: cannot write: {exc.strerror or exc}") from None

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()
