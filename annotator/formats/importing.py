"""Import files and folders into a project: pick the reader, collect every document, then add
them all in one transaction (or skip bad files with ``skip_bad`` and report each one)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from annotator.core.inputs import DocumentInput, ImportReport
from annotator.core.progress import ProgressFn
from annotator.core.project import Project
from annotator.errors import AnnotatorError, InputFormatError
from annotator.formats.registry import detect_format, reader
from annotator.formats.text import files_under, read_file


@dataclass
class ImportOptions:
    format: str | None = None  # None: detect from each path
    skip_bad: bool = False
    reader_options: dict[str, Any] = field(default_factory=dict)


def import_paths(project: Project, paths: list[str | Path], options: ImportOptions | None = None,
                 progress: ProgressFn | None = None) -> ImportReport:
    """Read every path and add the documents: all or nothing unless ``skip_bad``."""
    options = options or ImportOptions()
    skipped: list[tuple[str, str]] = []
    warnings: list[str] = []

    def documents() -> Iterator[DocumentInput]:
        for path, fmt in _units(paths, options.format):
            if isinstance(path, TextFile):  # a file listed from a folder
                try:
                    yield read_file(path.path, sidecar=path.sidecar)
                except AnnotatorError as exc:
                    if not options.skip_bad:
                        raise
                    skipped.append((path.path, str(exc)))
                continue
            read = reader(fmt)
            docs = read(path, warn=warnings.append, **options.reader_options) \
                if fmt not in ("text", "jsonl") else read(path)
            if not options.skip_bad:
                yield from docs
                continue
            try:
                # a bad file is skipped whole: none of the documents before its bad line
                file_docs = list(docs)
            except AnnotatorError as exc:
                skipped.append((str(path), str(exc)))
                continue
            yield from file_docs

    def on_bad(doc: DocumentInput, exc: Exception) -> None:
        skipped.append((doc.source or doc.name, str(exc)))

    result = project.add_documents(documents(), progress=progress,
                                   on_bad=on_bad if options.skip_bad else None)
    result.skipped.extend(skipped)
    result.warnings.extend(warnings)
    return result


class TextFile(NamedTuple):
    """A ``.txt`` file found in a folder, and whether the listing saw its metadata sidecar
    (which saves a look-up per file on folders of thousands of articles)."""

    path: str
    sidecar: bool


def _units(paths: list[str | Path], fmt: str | None) -> Iterator[tuple[Path | TextFile, str]]:
    """(path, format) pairs to read. A folder is one brat collection when it holds ``.ann``
    files; otherwise each ``.txt``, ``.jsonl`` and ``.json`` file in it (recursively, metadata
    sidecars excepted) is read by its own format, so one bad file can be skipped alone."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputFormatError("no such file or folder", path=str(path))
        if fmt is not None or path.is_file():
            yield path, fmt or detect_format(path)
            continue
        if detect_format(path) == "brat":
            yield path, "brat"
            continue
        listed = files_under(path, (".txt", ".jsonl", ".json"), as_str=True)
        sidecars = {p for p in listed if p.endswith(".meta.json")}
        files = [p for p in listed if p not in sidecars]
        if not files:
            raise InputFormatError("no .txt, .jsonl or .json files to import in this folder",
                                   path=str(path))
        for file in files:  # in a folder without .ann files, .txt is plain text
            if file.lower().endswith(".txt"):
                yield TextFile(file, file[:-4] + ".meta.json" in sidecars), "text"
            else:
                yield Path(file), detect_format(Path(file))
