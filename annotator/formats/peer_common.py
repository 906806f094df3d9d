"""What the readers of other annotation tools (``prodigy``, ``doccano``, ``labelstudio``) share.

* annotations go into the set ``annotator`` (default ``gold``); imported gold spans have status
  ``gold`` and origin ``import``, and the document status of that set is ``done``;
* offsets are checked (``0 <= start < end <= len(text)``, integers; ``Offsets`` also reads
  UTF-16 code units, as browsers count) and bad input raises ``InputFormatError`` naming the
  file, the line (JSONL) or task, and the field;
* redundant text fields are recomputed from the offsets and every mismatch is reported through
  the ``warn`` callback (``check_text``: offsets win);
* everything read but not carried is reported through ``warn`` -- nothing is dropped silently;
* token fields are not trusted: documents are re-tokenised by the project at import
  (``DocumentInput.tokens`` stays None).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.model import Span, new_id
from annotator.errors import InputFormatError

log = logging.getLogger("annotator.formats.peers")
Warn = Callable[[str], None]


def default_warn(message: str) -> None:
    log.warning("%s", message)


def reader_options(kwargs: dict[str, Any]) -> tuple[Warn, str]:
    """``(warn, set name)`` from a reader's keyword arguments."""
    return kwargs.get("warn") or default_warn, kwargs.get("annotator") or "gold"


def jsonl_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line; errors name file and line."""
    try:
        fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputFormatError(f"cannot read: {exc.strerror}", path=str(path)) from None
    with fh:
        lineno = 0
        while True:
            try:
                raw = fh.readline()
            except UnicodeDecodeError as exc:
                raise InputFormatError(f"not UTF-8 text ({exc.reason})", path=str(path),
                                       line=lineno + 1) from None
            if not raw:
                return
            lineno += 1
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise InputFormatError(f"not valid JSON: {exc.msg} (column {exc.colno})",
                                       path=str(path), line=lineno) from None
            if not isinstance(obj, dict):
                raise InputFormatError(f"expected a JSON object, got {type(obj).__name__}",
                                       path=str(path), line=lineno)
            yield lineno, obj


def text_field(obj: dict[str, Any], key: str, src: str, line: int | None) -> str:
    text = obj.get(key)
    if not isinstance(text, str):
        raise InputFormatError(f"missing or non-string {key!r}", path=src, line=line, field=key)
    return text


class Offsets:
    """Converts offsets in the input's unit to code points, with range checks."""

    def __init__(self, text: str, unit: str, src: str) -> None:
        if unit not in ("codepoint", "utf16"):
            raise InputFormatError(f"offsets must be 'codepoint' or 'utf16', got {unit!r}",
                                   path=src)
        self.text = text
        self.map: dict[int, int] | None = None
        self.units = len(text)
        if unit == "utf16" and any(ord(c) > 0xFFFF for c in text):
            self.map = {}
            u = 0
            for i, c in enumerate(text):
                self.map[u] = i
                u += 2 if ord(c) > 0xFFFF else 1
            self.map[u] = len(text)
            self.units = u

    def span(self, start: Any, end: Any, src: str, line: int | None, field: str
             ) -> tuple[int, int]:
        if not isinstance(start, int) or not isinstance(end, int) or \
                isinstance(start, bool) or isinstance(end, bool):
            raise InputFormatError(f"offsets must be integers, got {start!r}, {end!r}", path=src,
                                   line=line, field=field)
        if not 0 <= start < end <= self.units:
            raise InputFormatError(f"span [{start}, {end}) is empty or outside the text "
                                   f"(length {self.units})", path=src, line=line, field=field)
        if self.map is None:
            return start, end
        if start not in self.map or end not in self.map:
            raise InputFormatError(f"UTF-16 offset {start if start not in self.map else end} "
                                   "falls inside a surrogate pair", path=src, line=line,
                                   field=field)
        return self.map[start], self.map[end]


def make_span(start: int, end: int, label: Any, src: str, line: int | None, field: str, *,
          status: str = "gold", origin: str = "import") -> Span:
    if not isinstance(label, str) or not label:
        raise InputFormatError(f"missing or empty label {label!r}", path=src, line=line,
                               field=field)
    return Span(id=new_id(), doc_id="", start=start, end=end, label=label, kind="entity",
                status=status, origin=origin)


def check_text(doc_text: str, s: Span, given: Any, where: str, warn: Warn) -> None:
    if isinstance(given, str) and given != doc_text[s.start:s.end]:
        warn(f"{where}: text {given!r} does not match the document text "
             f"{doc_text[s.start:s.end]!r} at [{s.start}, {s.end}) (offsets kept)")


def load_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return json.load(fh)
    except OSError as exc:
        raise InputFormatError(f"cannot read: {exc.strerror}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputFormatError(f"not valid JSON: {exc.msg} (column {exc.colno})",
                               path=str(path), line=exc.lineno) from None
