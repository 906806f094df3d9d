"""Plain-text articles: one article per ``.txt`` file, or folders of them.

Text is decoded as UTF-8, UTF-8 with BOM, or UTF-16 with BOM (the BOM is not part of the text);
anything else is refused with the file named. Line ends are kept verbatim. Metadata comes from
an optional sidecar ``NAME.meta.json`` beside ``NAME.txt`` (title, source, url, date, ...).
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.inputs import DocumentInput
from annotator.errors import InputFormatError


def decode(data: bytes, path: Path | str) -> str:
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


def sidecar_meta(path: Path | str) -> dict[str, Any]:
    side = os.path.splitext(path)[0] + ".meta.json"
    if not os.path.exists(side):
        return {}
    try:
        with open(side, encoding="utf-8-sig") as fh:
            meta = json.loads(fh.read())
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
        return files_under(path, (".txt",))
    return [path]


def files_under(folder: Path, suffixes: tuple[str, ...], *, as_str: bool = False,
                follow_links: bool = False, skipped: list[str] | None = None) -> list[Any]:
    """Files below ``folder`` with one of ``suffixes`` (lower case), recursively, sorted by path;
    ``os.scandir`` keeps this cheap for folders of thousands of articles.

    Symbolic links are not followed unless ``follow_links`` (a link to ``/etc`` must not import
    ``/etc/*.txt``); each link left out is added to ``skipped``. Followed links are visited once
    (a link to a parent folder does not loop)."""
    found: list[str] = []
    stack = [str(folder)]
    seen = {os.path.realpath(folder)}
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_symlink() and not follow_links:
                    if skipped is not None:
                        skipped.append(entry.path)
                    continue
                if entry.is_dir():
                    real = os.path.realpath(entry.path)
                    if real not in seen:
                        seen.add(real)
                        stack.append(entry.path)
                elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in suffixes:
                    found.append(entry.path)
    found.sort()
    return found if as_str else [Path(p) for p in found]


def read_file(path: Path | str, *, sidecar: bool = True) -> DocumentInput:
    """One article; ``sidecar=False`` when the caller knows there is no metadata sidecar."""
    source = os.fspath(path)
    try:
        with open(source, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputFormatError(f"cannot read: {exc.strerror}", path=source) from None
    text = decode(data, source)
    if not text or text.isspace():
        raise InputFormatError("the file is empty", path=source)
    name = os.path.splitext(os.path.basename(source))[0]
    meta = sidecar_meta(source) if sidecar else {}
    return DocumentInput(text=text, name=name, meta=meta, source=source)


def read(path: Path, **_: Any) -> Iterator[DocumentInput]:
    """Every article under ``path`` (a file or a folder searched recursively)."""
    for file in text_files(Path(path)):
        yield read_file(file)
