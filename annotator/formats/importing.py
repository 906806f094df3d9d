"""Import files and folders into a project: pick the reader, collect every document, then add
them all in one transaction (or skip bad files with ``skip_bad`` and report each one)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.progress import ProgressFn
from annotator.core.project import DocumentInput, ImportReport, Project
from annotator.errors import AnnotatorError, InputFormatError
from annotator.formats.registry import detect_format, reader


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
        for raw in paths:
            path = Path(raw)
            if not path.exists():
                raise InputFormatError("no such file or folder", path=str(path))
            fmt = options.format or detect_format(path)
            read = reader(fmt)
            if fmt == "text" and path.is_dir():
                # one file at a time so a bad file can be skipped without losing the others
                from annotator.formats.text import read_file, text_files

                for file in text_files(path):
                    try:
                        yield read_file(file)
                    except AnnotatorError as exc:
                        if not options.skip_bad:
                            raise
                        skipped.append((str(file), str(exc)))
                continue
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
