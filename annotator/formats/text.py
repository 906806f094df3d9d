"""Plain-text articles: one article per ``.txt`` file, or folders of them.

Text is decoded as UTF-8, UTF-8 with BOM, or UTF-16 with BOM (the BOM is not part of the text);
anything else is refused with the file named. Line ends are kept verbatim. Metadata comes from
an optional sidecar ``NAME.meta.json`` beside ``NAME.txt`` (title, source, url, date, ...).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.project import DocumentInput
from annotator.errors import InputFormatError


def decode(data: bytes, path: Path) -> str:
    """Decode article bytes by BOM: UTF-16 LE/BE, UTF-8 with BOM, else strict UTF-8."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputFormatError(f"invalid UTF-16 at byte {exc.start}", path=str(path)) from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputFormatError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}, line {line}); "
            "save the file as UTF-8 or UTF-16 with a BOM", path=str(path)) from None
    if "\x00" in text:  # valid UTF-8 but not text: typically UTF-16 saved without a BOM
        at = data.index(b"\x00")
        line = data[:at].count(b"\n") + 1
        raise InputFormatError(
            f"NUL byte at offset {at}, line {line}: not a text file, or UTF-16 without a BOM; "
            "save the file as UTF-8 or UTF-16 with a BOM", path=str(path))
    return text


def sidecar_meta(path: Path) -> dict[str, Any]:
    side = path.with_name(path.stem + ".meta.json")
    if not side.exists():
        return {}
    try:
        meta = json.loads(side.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise InputFormatError(f"bad JSON in metadata sidecar: {exc.msg}", path=str(side),
                               line=exc.lineno) from None
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"metadata sidecar is not UTF-8 (byte offset {exc.start})",
                               path=str(side)) from None
    except OSError as exc:
        raise InputFormatError(f"cannot read metadata sidecar: {exc.strerror}",
                               path=str(side)) from None
    if not isinstance(meta, dict):
        raise InputFormatError("metadata sidecar must hold a JSON object", path=str(side))
    return meta


def text_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*.txt") if p.is_file())
    return [path]


def read_file(path: Path) -> DocumentInput:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFormatError(f"cannot read: {exc.strerror}", path=str(path)) from None
    text = decode(data, path)
    if not text.strip():
        raise InputFormatError("the file is empty", path=str(path))
    return DocumentInput(text=text, name=path.stem, meta=sidecar_meta(path), source=str(path))


def read(path: Path, **_: Any) -> Iterator[DocumentInput]:
    """Every article under ``path`` (a file or a folder searched recursively)."""
    for file in text_files(Path(path)):
        yield read_file(file)
