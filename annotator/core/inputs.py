"""What importers hand to the core: documents on their way in, and the report of an import.

Readers in ``annotator.formats`` build ``DocumentInput`` objects without touching the store;
``Project.add_documents`` checks and writes them and answers with an ``ImportReport``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from annotator.core.model import Annotations

# what a loader reports while it reads a document, for the reader's callbacks in this
# process: (kind, first, second), e.g. ("warn", message, "") or ("skip_line", where, why)
Note = tuple[str, str, str]


class DocumentLoader(Protocol):
    """Reads a document where it is tokenised (a worker process in a large import): a reader
    whose parsing costs as much as tokenising (brat) yields documents that only say where
    they are, so that parsing runs in the workers too. ``load`` reports through ``notes``
    (never through callbacks: they live in the importing process) and ``replay`` hands the
    notes to the reader's callbacks there, in document order."""

    def load(self, d: DocumentInput, notes: list[Note]) -> bool:
        """Fill in ``d`` (text, annotation sets, meta, status) from ``d.location``; False
        when the document is skipped (``notes`` say why). A bad file raises, naming it."""
        ...

    def replay(self, notes: list[Note]) -> None:
        """Hand ``notes`` to the callbacks of the reader (warnings, skipped files and lines)."""
        ...


@dataclass(slots=True)
class PreparedRows:
    """A document's annotation rows, checked and converted where it was read and tokenised:
    per table its columns and a tuple of values per row (what ``executemany`` takes; far
    cheaper to send back from a worker than the objects), the ids it brings (checked against
    the project and the rest of the import by the writer) and what it counts."""

    rows: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]
    claimed: list[tuple[str, str, str]]  # (table, kind, id)
    counts: tuple[int, int, int, int]  # spans, events, relations, chains


@dataclass(slots=True)
class DocumentInput:
    """A document on its way in: what every importer produces."""

    text: str
    name: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    lang: str = ""
    id: str = ""
    # (start, end) pairs, or flat int32 arrays as the tokenizer yields; None: tokenise at import
    tokens: Any = None
    sentences: Any = None
    tokenizer: str = ""
    content_hash: str = ""  # filled in while tokenising at import
    status: dict[str, str] = field(default_factory=dict)
    sets: dict[str, Annotations] = field(default_factory=dict)
    source: str = ""  # file (and line) it came from, for messages
    # read later, where it is tokenised: by ``loader``, from ``location`` (its key there)
    loader: DocumentLoader | None = None
    location: Any = None
    # set by the import while preparing: the rows, a problem that refuses the document (or
    # goes to ``on_bad``), an error of its loader that stops the import, the notes of its
    # loader, whether the loader skipped it
    prepared: PreparedRows | None = None
    problem: Exception | None = None
    failure: Exception | None = None
    notes: list[Note] = field(default_factory=list)
    skipped: bool = False


@dataclass(slots=True)
class ImportReport:
    added: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, existing name)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    # (file:line, reason) of lines skipped under --skip-bad, their documents kept
    skipped_lines: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what a reader could not carry
    spans: int = 0
    events: int = 0
    relations: int = 0
    chains: int = 0

    def summary(self) -> str:
        parts = [f"imported {len(self.added)} document(s)"]
        if self.spans or self.events or self.relations:
            parts.append(f"{self.spans} spans, {self.events} events, {self.relations} relations"
                         + (f", {self.chains} chains" if self.chains else ""))
        if self.duplicates:
            parts.append(f"skipped {len(self.duplicates)} duplicate(s)")
        if self.skipped:
            parts.append(f"skipped {len(self.skipped)} bad file(s)")
        if self.skipped_lines:
            parts.append(f"skipped {len(self.skipped_lines)} bad line(s)")
        return "; ".join(parts)

    def detail_lines(self) -> list[str]:
        """The report under the summary, one line each, as ``annotator import`` prints it
        (and the window shows it): duplicates, skipped files, skipped lines, notes."""
        lines = [f"  duplicate: {source} (same text as {existing})"
                 for source, existing in self.duplicates]
        lines += [f"  skipped: {reason if reason.startswith(source) else f'{source}: {reason}'}"
                  for source, reason in self.skipped]
        lines += [f"  skipped line: {source}: {reason}" for source, reason in self.skipped_lines]
        lines += [f"  note: {warning}" for warning in self.warnings]
        return lines
