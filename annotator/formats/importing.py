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
from annotator.formats.registry import checked_reader_options, detect_format, reader
from annotator.formats.text import files_under, read_file


@dataclass
class ImportOptions:
    format: str | None = None  # None: detect from each path
    skip_bad: bool = False
    reader_options: dict[str, Any] = field(default_factory=dict)
    follow_links: bool = False  # follow symbolic links found in folders


# readers that skip a bad file or line of a collection themselves under skip_bad (callbacks
# ``skip_file``/``skip_line``), so that one bad file does not cost the whole folder
SKIPPING_READERS = frozenset({"brat"})

# what a reader raises on input it did not expect (a number where a list belongs ...): reported
# as an input error naming the file, never as a traceback
_READER_FAULTS = (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError)


def import_paths(project: Project, paths: list[str | Path], options: ImportOptions | None = None,
                 progress: ProgressFn | None = None) -> ImportReport:
    """Read every path and add the documents: all or nothing unless ``skip_bad``."""
    options = options or ImportOptions()
    skipped: list[tuple[str, str]] = []
    skipped_lines: list[tuple[str, str]] = []
    warnings: list[str] = []

    def documents() -> Iterator[DocumentInput]:
        for path, fmt in _units(paths, options.format, options.follow_links, warnings):
            if isinstance(path, TextFile):  # a file listed from a folder
                try:
                    yield read_file(path.path, sidecar=path.sidecar)
                except AnnotatorError as exc:
                    if not options.skip_bad:
                        raise
                    skipped.append((path.path, str(exc)))
                continue
            read = reader(fmt)
            kwargs = _reader_kwargs(fmt, options.reader_options, warnings)
            if fmt == "brat":  # parsed where tokenised: in the import's workers (formats.brat)
                kwargs["deferred"] = True
            if options.skip_bad and fmt in SKIPPING_READERS:
                kwargs.update(skip_file=lambda source, reason: skipped.append((source, reason)),
                              skip_line=lambda where, reason: skipped_lines.append(
                                  (where, reason)))
            docs = _guarded(read(path, warn=warnings.append, **kwargs)
                            if fmt not in ("text", "jsonl") else read(path), path, fmt)
            if not options.skip_bad:
                yield from _noting_empty(docs, path, warnings)
                continue
            if fmt in SKIPPING_READERS:  # the reader skips bad files and lines itself
                try:
                    yield from _noting_empty(docs, path, warnings)
                except AnnotatorError as exc:
                    skipped.append((str(path), str(exc)))
                continue
            try:
                # a bad file is skipped whole: none of the documents before its bad line
                file_docs = list(docs)
            except AnnotatorError as exc:
                skipped.append((str(path), str(exc)))
                continue
            if not file_docs:
                warnings.append(f"{path}: no documents in this file")
            yield from file_docs

    def on_bad(doc: DocumentInput, exc: Exception) -> None:
        skipped.append((doc.source or doc.name, str(exc)))

    result = project.add_documents(documents(), progress=progress,
                                   on_bad=on_bad if options.skip_bad else None)
    result.skipped.extend(skipped)
    result.skipped_lines.extend(skipped_lines)
    result.warnings.extend(warnings)
    return result


def _reader_kwargs(fmt: str, given: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """The options for the ``fmt`` reader, checked (``-O`` keys it lacks are refused; for
    plain text and native JSONL, which take none, they are noted as unused)."""
    if fmt in ("text", "jsonl"):
        unused = sorted(set(given) - {"annotator"})
        if unused:
            note = f"options {', '.join(unused)} not used by {fmt} files (they take none)"
            if note not in warnings:
                warnings.append(note)
        return {}
    return checked_reader_options(fmt, given)


class TextFile(NamedTuple):
    """A ``.txt`` file found in a folder, and whether the listing saw its metadata sidecar
    (which saves a look-up per file on folders of thousands of articles)."""

    path: str
    sidecar: bool


def _detected(path: Path) -> str:
    """The format of ``path``; a file that breaks the detection is an input error."""
    try:
        return detect_format(path)
    except _READER_FAULTS as exc:
        detail = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise InputFormatError(f"cannot tell its format: {detail}", path=str(path)) from None


def _guarded(docs: Iterator[DocumentInput], path: Path, fmt: str) -> Iterator[DocumentInput]:
    """``docs``, with a reader's unexpected exception turned into an input error naming the
    file (the readers name the line and field for what they check themselves)."""
    try:
        yield from docs
    except _READER_FAULTS as exc:
        detail = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise InputFormatError(f"not readable as {fmt}: {type(exc).__name__}: {detail}",
                               path=str(path)) from None


def _noting_empty(docs: Iterator[DocumentInput], path: Path,
                  warnings: list[str]) -> Iterator[DocumentInput]:
    """``docs``; a file that held none gets a note ("no documents") instead of silence."""
    count = 0
    for doc in docs:
        count += 1
        yield doc
    if not count:
        warnings.append(f"{path}: no documents in this file")


def _units(paths: list[str | Path], fmt: str | None, follow_links: bool = False,
           warnings: list[str] | None = None) -> Iterator[tuple[Path | TextFile, str]]:
    """(path, format) pairs to read. A folder is one brat collection when it holds ``.ann``
    files; otherwise each ``.txt``, ``.jsonl`` and ``.json`` file in it (recursively, metadata
    sidecars excepted) is read by its own format, so one bad file can be skipped alone."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputFormatError("no such file or folder", path=str(path))
        if fmt is not None or path.is_file():
            yield path, fmt or _detected(path)
            continue
        if detect_format(path) == "brat":
            yield path, "brat"
            continue
        links: list[str] = []
        listed = files_under(path, (".txt", ".jsonl", ".json"), as_str=True,
                             follow_links=follow_links, skipped=links)
        if links and warnings is not None:
            warnings.append(f"{path}: skipped {len(links)} symbolic link(s), e.g. {links[0]} "
                            "(use --follow-links to import what they point to)")
        sidecars = {p for p in listed if p.endswith(".meta.json")}
        files = [p for p in listed if p not in sidecars]
        if not files:
            raise InputFormatError("no .txt, .jsonl or .json files to import in this folder",
                                   path=str(path))
        for file in files:  # in a folder without .ann files, .txt is plain text
            if file.lower().endswith(".txt"):
                yield TextFile(file, file[:-4] + ".meta.json" in sidecars), "text"
            else:
                yield Path(file), _detected(Path(file))
