"""A brat collection on disk: listing its ``.txt``/``.ann`` pairs, finding the
``annotation.conf`` brat would use, and reading every document (``read``).

Documents are named by their path relative to the imported folder, without ``.txt``.
Annotations go into the set ``annotator`` (default ``gold``) with status ``gold`` and origin
``import``; the document status of that set is ``doc_status`` (default ``done``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.inputs import DocumentInput, Note
from annotator.core.schema import Schema
from annotator.errors import InputFormatError, SchemaError
from annotator.formats.brat.ann_lines import Warn, default_warn
from annotator.formats.brat.ann_read import OTHER_NOTES, Ids, SchemaInfo, parse_ann

KB_NAMES = "kb_names"
#: ``(source, reason)`` of a file or line skipped under ``--skip-bad``
Skipped = Callable[[str, str], None]


def find_annotation_conf(path: str | Path) -> Path | None:
    """The ``annotation.conf`` brat would use for ``path`` (a collection folder or a file):
    the nearest one in the folder itself or any folder above it."""
    path = Path(path).resolve()
    folder = path if path.is_dir() else path.parent
    for candidate in (folder, *folder.parents):
        conf = candidate / "annotation.conf"
        if conf.is_file():
            return conf
    return None


def read_schema(path: str | Path) -> Schema | None:
    """The schema of a brat collection (``annotation.conf`` plus its ``visual.conf`` and
    ``kb_shortcuts.conf``), found upward from ``path`` as brat does; None if there is none."""
    conf = find_annotation_conf(path)
    if conf is None:
        return None
    from annotator.formats.brat.conf_read import read_annotation_conf

    return read_annotation_conf(conf)


def _folder_pairs(root: Path, warn: Warn, skip_file: Skipped | None = None
                  ) -> list[tuple[Path, Path, str]]:
    from annotator.formats.text import files_under

    listed = files_under(root, (".ann", ".txt"), as_str=True)  # os.scandir: cheap
    anns = sorted((f for f in listed if f.endswith(".ann")), key=lambda f: f.split(os.sep))
    texts = {f for f in listed if f.endswith(".txt")}
    prefix = len(os.path.join(str(root), ""))
    pairs = []
    for ann in anns:
        txt = ann[:-4] + ".txt"
        if txt not in texts:
            reason = f"no text file {os.path.basename(txt)} next to the annotations"
            if skip_file is None:
                raise InputFormatError(reason, path=ann)
            skip_file(ann, reason)
            continue
        name = ann[prefix:-4].replace(os.sep, "/")
        pairs.append((Path(txt), Path(ann), name))
    lonely = sorted(texts - {a[:-4] + ".txt" for a in anns}, key=lambda f: f.split(os.sep))
    if lonely:
        shown = ", ".join(f[prefix:] for f in lonely[:5])
        warn(f"{root}: skipped {len(lonely)} .txt file(s) without an .ann file ({shown}"
             f"{', ...' if len(lonely) > 5 else ''})")
    return pairs


def collect_pairs(root: Path, warn: Warn, skip_file: Skipped | None = None
                  ) -> list[tuple[Path, Path, str]]:
    """(txt, ann, document name) for a folder (recursive), a .txt or an .ann file. In a
    folder, an ``.ann`` without its text is refused, or handed to ``skip_file``."""
    if root.is_dir():
        return _folder_pairs(root, warn, skip_file)
    if root.suffix == ".ann":
        txt, ann = root.with_suffix(".txt"), root
    elif root.suffix == ".txt":
        txt, ann = root, root.with_suffix(".ann")
    else:
        raise InputFormatError("expected a brat collection folder, a .txt or an .ann file",
                               path=str(root))
    if not txt.is_file():
        raise InputFormatError(f"no text file {txt.name}", path=str(ann))
    if not ann.is_file():
        raise InputFormatError(f"no annotation file {ann.name} next to the text", path=str(txt))
    return [(txt, ann, root.stem)]


def read_utf8(path: Path) -> str:
    """The file's text, line ends untouched (bytes decoded at once: cheaper than a text
    stream for thousands of small files)."""
    try:
        with open(path, "rb") as fh:
            return fh.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"not UTF-8 text (byte {exc.start}: {exc.reason})",
                               path=str(path)) from None
    except OSError as exc:
        raise InputFormatError(f"cannot read: {exc.strerror}", path=str(path)) from None


class _Schemas:
    """Each folder's nearest annotation.conf, as brat does (cached per conf file); or the one
    schema the caller gave."""

    def __init__(self, given: Schema | None, warn: Warn) -> None:
        self.given, self.warn = given, warn
        self.infos: dict[Path | None, SchemaInfo] = {}
        self.confs: dict[Path, Path | None] = {}

    def info_for(self, ann_path: Path) -> SchemaInfo:
        conf = None
        if self.given is None:
            folder = ann_path.parent
            if folder not in self.confs:
                self.confs[folder] = find_annotation_conf(folder)
            conf = self.confs[folder]
        if conf not in self.infos:
            schema = self.given
            if conf is not None:
                from annotator.formats.brat.conf_read import read_annotation_conf

                try:
                    schema = read_annotation_conf(conf, warn=self.warn)
                except SchemaError as exc:
                    self.warn(f"ignoring {conf}: {exc}")
            self.infos[conf] = SchemaInfo(schema)
        return self.infos[conf]


def _line_skipper(skip_line: Skipped | None) -> Callable[[InputFormatError], None] | None:
    """The ``on_bad`` of ``parse_ann`` that hands a bad line to ``skip_line`` as
    ``(FILE:LINE, reason)``; None without ``skip_line``."""
    if skip_line is None:
        return None
    line_skipper = skip_line

    def on_bad(exc: InputFormatError) -> None:
        where = f"{exc.path}:{exc.line}" if exc.line is not None else str(exc.path)
        message = str(exc)
        line_skipper(where, message[len(where) + 2:] if message.startswith(where) else message)

    return on_bad


def read(path: str | Path, **kwargs: Any) -> Iterator[DocumentInput]:
    """brat documents under ``path`` (folder, recursively; or one .txt/.ann pair).

    Keyword arguments: ``annotator`` (set name, default ``gold``), ``doc_status`` (default
    ``done``), ``warn`` (callback for everything reported but not fatal), ``discontinuous``
    (``"fragments"`` default: a discontinuous span keeps its fragments; ``"hull"``;
    ``"error"``), ``schema`` (a Schema deciding entity/value/trigger
    kinds, symmetric relations and brat-safe names; default: for each folder the nearest
    ``annotation.conf`` at or above it, as brat looks it up). ``skip_file`` and ``skip_line``
    (callbacks ``(source, reason)``, what ``--skip-bad`` passes): a bad file is skipped and
    the next one read; a bad line is skipped and the rest of its document kept, as brat does.
    Without them the first bad line refuses the whole import.

    ``deferred=True`` (what ``annotator import`` uses): the documents only say where they are
    and are read by the import, where it tokenises them (``BratLoader``: in worker processes
    for a large collection); the callbacks are still called here, in document order, and a
    bad file still stops the import naming the file and line.
    """
    root = Path(path)
    if not root.exists():
        raise InputFormatError("no such file or folder", path=str(root))
    warn: Warn = kwargs.get("warn") or default_warn
    set_name = kwargs.get("annotator") or "gold"
    doc_status = kwargs.get("doc_status", "done")
    discontinuous = kwargs.get("discontinuous", "fragments")
    if discontinuous not in ("fragments", "hull", "error"):
        raise InputFormatError("discontinuous must be 'fragments', 'hull' or 'error', got "
                               f"{discontinuous!r}")
    skip_file: Skipped | None = kwargs.get("skip_file")
    on_bad = _line_skipper(kwargs.get("skip_line"))
    schemas = _Schemas(kwargs.get("schema"), warn)
    if kwargs.get("deferred"):
        yield from _deferred(root, schemas, warn, skip_file, kwargs.get("skip_line"),
                             set_name, doc_status, discontinuous)
        return
    ids = Ids()
    for txt, ann_path, name in collect_pairs(root, warn, skip_file):
        try:
            text = read_utf8(txt)
            ann_text = read_utf8(ann_path)
            info = schemas.info_for(ann_path)
            notes: dict[str, list[list[str]]] = {}
            ann, kb_names = parse_ann(text, ann_text, source=str(ann_path), schema=info.schema,
                                      warn=warn, discontinuous=discontinuous, _info=info,
                                      _new_id=ids, on_bad=on_bad, other_notes=notes)
        except InputFormatError as exc:
            if skip_file is None:
                raise
            source = exc.path or str(ann_path)
            message = str(exc)
            skip_file(source, message[len(source) + 2:] if message.startswith(source + ": ")
                      else message)
            continue
        meta: dict[str, Any] = {}
        if kb_names:
            meta[KB_NAMES] = kb_names
        if notes:
            meta[OTHER_NOTES] = notes
        yield DocumentInput(text=text, name=name, meta=meta, sets={set_name: ann},
                            status={set_name: doc_status} if doc_status else {},
                            source=str(txt))


def _deferred(root: Path, schemas: _Schemas, warn: Warn, skip_file: Skipped | None,
              skip_line: Skipped | None, set_name: str, doc_status: str,
              discontinuous: str) -> Iterator[DocumentInput]:
    """``read``'s documents, each to be read by a ``BratLoader`` where it is tokenised."""
    pairs = collect_pairs(root, warn, skip_file)
    # each folder's schema is found here (once per folder), so the workers need not
    loader = BratLoader([(str(txt), str(ann), schemas.info_for(ann)) for txt, ann, _ in pairs],
                        set_name, doc_status, discontinuous, warn, skip_file, skip_line)
    for i, (txt, _ann, name) in enumerate(pairs):
        yield DocumentInput(text="", name=name, source=str(txt), loader=loader, location=i)


@dataclass
class BratLoader:
    """Reads the documents of one ``read(..., deferred=True)`` (a ``DocumentLoader``), in
    whichever process tokenises them: ``load`` reports through notes, ``replay`` hands the
    notes to ``read``'s callbacks in the importing process. Ids are made per process (a
    forked worker must not repeat this process's)."""

    pairs: list[tuple[str, str, SchemaInfo]]  # (txt, ann, schema) by document
    set_name: str
    doc_status: str
    discontinuous: str
    warn: Warn
    skip_file: Skipped | None
    skip_line: Skipped | None
    _ids: tuple[int, Ids] | None = field(default=None, repr=False)

    def _new_id(self) -> Ids:
        if self._ids is None or self._ids[0] != os.getpid():
            self._ids = (os.getpid(), Ids())
        return self._ids[1]

    def load(self, d: DocumentInput, notes: list[Note]) -> bool:
        """Read ``d`` (text, the annotation set, status, meta); False: the file is skipped
        (``skip_file`` given). A bad file or line raises ``InputFormatError`` naming it."""
        txt, ann_path, info = self.pairs[d.location]
        on_bad = None if self.skip_line is None else _line_skipper(
            lambda where, why: notes.append(("skip_line", where, why)))
        try:
            text = read_utf8(Path(txt))
            ann_text = read_utf8(Path(ann_path))
            other: dict[str, list[list[str]]] = {}
            try:
                ann, kb_names = parse_ann(
                    text, ann_text, source=ann_path, schema=info.schema,
                    warn=lambda m: notes.append(("warn", m, "")),
                    discontinuous=self.discontinuous, _info=info, _new_id=self._new_id(),
                    on_bad=on_bad, other_notes=other)
            except (TypeError, ValueError, KeyError, AttributeError, IndexError,
                    RecursionError) as exc:  # as the importer reports a reader's fault
                detail = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
                raise InputFormatError(f"not readable as brat: {type(exc).__name__}: "
                                       f"{detail}", path=ann_path) from None
        except InputFormatError as exc:
            if self.skip_file is None:
                raise
            source = exc.path or ann_path
            message = str(exc)
            notes.append(("skip_file", source, message[len(source) + 2:]
                          if message.startswith(source + ": ") else message))
            return False
        if kb_names:
            d.meta[KB_NAMES] = kb_names
        if other:
            d.meta[OTHER_NOTES] = other
        d.text, d.sets = text, {self.set_name: ann}
        d.status = {self.set_name: self.doc_status} if self.doc_status else {}
        return True

    def replay(self, notes: list[Note]) -> None:
        for kind, first, second in notes:
            if kind == "warn":
                self.warn(first)
            elif kind == "skip_line" and self.skip_line is not None:
                self.skip_line(first, second)
            elif kind == "skip_file" and self.skip_file is not None:
                self.skip_file(first, second)
