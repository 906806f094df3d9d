"""Bulk import: documents (with their tokens and annotation sets) written in one transaction.

The core does not tokenise: the ``Project`` is given a ``TokenizerProvider`` by whoever opens
it (``annotator.open_project`` passes spaCy's, from ``annotator.nlp.tokenize``), so the core
imports nothing of ``annotator.nlp``. Reading, tokenising and writing overlap: chunks are
tokenised here and in worker processes (``core.import_workers``) while the reader goes on,
and ``_ImportWriter`` checks and writes each chunk with one ``executemany`` per table and set
of columns (rows as tuples: it is the import's hot path, see bench/bench_core.py). A document
that comes with a loader (brat) is read, checked and turned into row tuples where it is
tokenised (``load_document``), so that parsing runs in the workers too; what needs the whole
import (duplicates, ids used elsewhere, names) is still checked here. An import is not an
undo step.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from annotator.core.codec import content_hash
from annotator.core.document_checks import (
    check_id,
    check_name,
    check_offsets,
    check_text,
    name_from_title,
)
from annotator.core.gc_pause import cyclic_gc_paused
from annotator.core.import_workers import Preparer, prepared_chunks
from annotator.core.inputs import DocumentInput, ImportReport, PreparedRows
from annotator.core.model import DOC_STATUSES, Annotations, now
from annotator.core.ops.chains import check_chain_fields
from annotator.core.ops.common import check_span_fields, fill_provenance
from annotator.core.progress import ProgressFn, report
from annotator.errors import ValidationError
from annotator.store import Store, bulk_indexes
from annotator.store import rows as R

OnBad = Callable[[DocumentInput, Exception], None]
Rows = dict[str, list[dict[str, Any]]]
# per table: its columns and a tuple of values per row (what executemany takes)
TableValues = dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]


class Tokenizer(Preparer, Protocol):
    """What an import needs of a tokenizer (``annotator.nlp.tokenize.DocTokenizer`` is one):
    its name and ``prepare`` (packed tokens and sentences of a chunk of texts, run here and in
    the worker processes of ``core.import_workers``), and sentences for given tokens."""

    def sentences_for(self, text: str, tokens: Any) -> Any:
        """Sentences for tokens that came with a document, by the tokenizer's own rule."""
        ...


# the tokenizer of a language ("en", "de" ...), as the Project's creator provides it
TokenizerProvider = Callable[[str], Tokenizer]

_ID_TABLES = ("documents", "spans", "events", "event_args", "relations", "chains")
_ROW_TABLES = ("doc_status", "spans", "events", "event_args", "relations", "chains")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def import_documents(store: Store, tokenizer: Tokenizer, lang: str,
                     inputs: Iterable[DocumentInput], *, progress: ProgressFn | None = None,
                     total: int | None = None, batch_size: int = 256,
                     on_bad: OnBad | None = None) -> ImportReport:
    """Tokenise, check and write ``inputs`` (see ``Project.add_documents``)."""
    result = ImportReport()
    counts = _Counts(progress, total, batch_size)
    chunks = prepared_chunks(tokenizer, _checked(inputs, tokenizer, counts, on_bad),
                             progress=counts.tokenised, each=load_document)
    with cyclic_gc_paused():
        _write_chunks(store, _ImportWriter(store, lang, result, on_bad), chunks, counts)
    return result


class _Counts:
    """Documents read and tokenised so far, reported to the progress callback (which may
    cancel) every ``batch_size`` documents."""

    def __init__(self, progress: ProgressFn | None, total: int | None, batch_size: int) -> None:
        self.progress, self.total, self.batch_size = progress, total, batch_size
        self.read = self.done = 0

    def count_read(self) -> None:
        self.read += 1
        if self.read % self.batch_size == 0:  # the bar follows tokenising; reading may cancel
            report(self.progress, self.done, self.total, f"read {self.read} documents")

    def tokenised(self, count: int, message: str) -> None:
        self.done = count
        if count % self.batch_size == 0:
            report(self.progress, count, self.total or self.read, message)


def _refuse(d: DocumentInput, exc: Exception, on_bad: OnBad | None) -> None:
    """Abort the import on a bad document, or hand it to ``on_bad`` (skip-bad)."""
    if on_bad is None:
        raise ValidationError(f"{d.source or d.name}: {exc}") from None
    on_bad(d, exc)


def _checked(inputs: Iterable[DocumentInput], tokenizer: Tokenizer, counts: _Counts,
             on_bad: OnBad | None) -> Iterator[DocumentInput]:
    """The documents that can be stored, sentences added where tokens came without them
    (a document with a loader is checked once loaded, by ``load_document``)."""
    for d in inputs:
        if d.loader is not None:
            counts.count_read()
            yield d
            continue
        problem = _document_problem(d)
        if problem is not None:
            counts.read += 1
            _refuse(d, problem, on_bad)
            continue
        if d.tokens is not None and d.sentences is None:
            d.sentences = tokenizer.sentences_for(d.text, d.tokens)
        counts.count_read()
        yield d


def load_document(d: DocumentInput) -> None:
    """Read a document that came with a loader, check it and make its row tuples, in the
    process that tokenises it (what ``_checked`` and ``_ImportWriter._accept`` do for the
    others); a problem is kept in ``d.problem`` for the writer to refuse, in order. The
    annotation objects are dropped: only the rows go on."""
    assert d.loader is not None
    if not d.loader.load(d, d.notes):
        d.skipped = True
        return
    d.problem = _document_problem(d)
    if d.problem is None:
        d.content_hash = content_hash(d.text)
        try:
            d.prepared = prepared_rows(d)
        except ValidationError as exc:
            d.problem = exc
    d.sets = {}


def prepared_rows(d: DocumentInput) -> PreparedRows:
    """``d``'s annotation rows as tuples and the ids it brings (checked in themselves; the
    writer checks them against the project). Its id is the content-derived one unless given."""
    claimed = list(claimed_ids(d))
    check_claimed(claimed, set(), set())
    given = d.id
    d.id = given or d.content_hash[:32]
    try:
        return _prepared(d, claimed)
    finally:
        d.id = given


def _prepared(d: DocumentInput, claimed: list[tuple[str, str, str]]) -> PreparedRows:
    """``annotation_rows`` of ``d`` as (columns, tuples) per table, with their counts."""
    rows = annotation_rows(d)

    def count(table: str) -> int:
        return len(rows[table][1]) if table in rows else 0

    return PreparedRows(rows, claimed, (count("spans"), count("events"), count("relations"),
                                        count("chains")))


def _document_problem(d: DocumentInput) -> ValidationError | None:
    """Why ``d`` cannot be stored as it is (its text, name, or the tokens and sentences it
    brought), or None; the same rules as ``annotator check`` (core.document_checks)."""
    if not d.text.isascii() and _has_lone_surrogate(d.text):
        return _lone_surrogate_error(d.text)
    try:
        check_text(d.text)
        if d.name:
            check_name("document name", d.name)
        check_offsets(d.text, d.tokens, d.sentences)
    except ValidationError as exc:
        return exc
    return None


def _has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` cannot be encoded (encoding is much faster than searching)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _lone_surrogate_error(text: str) -> ValidationError:
    bad = _LONE_SURROGATE.search(text)
    assert bad is not None
    # JSON can spell one (\ud800); spaCy and SQLite cannot store it
    return ValidationError(f"the text holds a lone surrogate U+{ord(bad.group()):04X} at "
                           f"offset {bad.start()}, which is not valid Unicode")


def _write_chunks(store: Store, writer: _ImportWriter,
                  chunks: Iterator[tuple[list[DocumentInput], bool]], counts: _Counts) -> None:
    """Write the prepared chunks of an import."""
    first, in_workers = next(chunks, ([], False))
    if in_workers:
        # worker processes tokenise while this process writes: one long transaction (a
        # CLI import; the GUI imports on a thread, tokenising in-process, below)
        with store.transaction():
            dropped = _drop_indexes_of_empty_tables(store)
            writer.write(first)
            for chunk, _ in chunks:
                writer.write(chunk)
            bulk_indexes.make_indexes(store.conn, dropped)  # one sort per index
            report(counts.progress, counts.read, counts.read, f"wrote {counts.read} documents")
        return
    # tokenise everything first, outside any transaction, so other connections (the GUI's)
    # stay writable; then one short transaction writes it all
    batches = [first, *(chunk for chunk, _ in chunks)]
    count = sum(len(b) for b in batches)
    report(counts.progress, count, count, f"writing {count} documents")
    with store.transaction():
        for batch in batches:
            writer.write(batch)


_BULK_TABLES = ("documents", "doc_status", "spans", "events", "event_args", "relations",
                "chains")


def _drop_indexes_of_empty_tables(store: Store) -> list[str]:
    """Set aside the secondary indexes of the import's tables that hold no row yet, inside the
    import's transaction (``store.bulk_indexes``), and answer the statements that make them
    again before the commit."""
    empty = [t for t in _BULK_TABLES if store.is_empty(t)]
    return bulk_indexes.drop_secondary_indexes(store.conn, empty)


class _ImportWriter:
    """Writes prepared documents chunk by chunk inside the import's transaction: duplicates
    and id clashes are checked against the project and the chunks written before, every
    document's annotations are checked before anything of the chunk is written, and each
    table gets one executemany per chunk."""

    def __init__(self, store: Store, lang: str, result: ImportReport,
                 on_bad: OnBad | None) -> None:
        self.store, self.lang, self.result, self.on_bad = store, lang, result, on_bad
        self.started = False

    def start(self) -> None:
        self.names = self.store.existing_names()
        self.position = self.store.next_position()
        self.stamp = now()
        self.seen: dict[str, str] = {}  # content hash -> name, for this import
        self.taken: set[str] = set()  # ids used by documents accepted so far in this import
        # tables without rows before this import need no look-up of the ids it brings: clashes
        # inside the import are caught by ``taken``
        self.empty = {t for t in _ID_TABLES if self.store.is_empty(t)}
        self.started = True

    def _used_ids(self, docs: list[DocumentInput]) -> set[str]:
        """Ids the chunk brings that the project already has: a few queries per table."""
        if len(self.empty) == len(_ID_TABLES):
            return set()
        wanted: dict[str, list[str]] = {}
        for d in docs:
            claimed = d.prepared.claimed if d.prepared is not None else claimed_ids(d)
            for table, _what, id_ in claimed:
                if table not in self.empty:
                    wanted.setdefault(table, []).append(id_)
        return set().union(*(self.store.existing_ids(t, ids) for t, ids in wanted.items()))

    def _admitted(self, docs: list[DocumentInput]) -> list[DocumentInput]:
        """``docs`` without those their loader skipped or that were refused (``on_bad``);
        the loaders' notes handed to the reader's callbacks, in order; a loader's error
        raised."""
        out = []
        for d in docs:
            if d.loader is not None:
                d.loader.replay(d.notes)
                d.notes = []
            if d.failure is not None:
                raise d.failure
            if d.skipped:
                continue
            if d.problem is not None:
                _refuse(d, d.problem, self.on_bad)
                continue
            out.append(d)
        return out

    def write(self, docs: list[DocumentInput]) -> None:
        if not self.started:
            self.start()
        docs = self._admitted(docs)
        hashes = [d.content_hash or content_hash(d.text) for d in docs]
        existing = self.store.existing_hashes(hashes)
        used = self._used_ids(docs)
        doc_rows: list[dict[str, Any]] = []
        content_rows: list[dict[str, Any]] = []
        pending: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = {}
        for d, h in zip(docs, hashes, strict=True):
            duplicate = existing.get(h) or self.seen.get(h)
            if duplicate is not None:
                self.result.duplicates.append((d.source or d.name, duplicate))
                continue
            rows = self._accept(d, h, used)
            if rows is None:
                continue
            doc_rows.append(self._document_row(d, h))
            content_rows.append({"doc_id": d.id, "text": d.text,
                                 "tokens": R.pack_pairs(_or_empty(d.tokens)),
                                 "sentences": R.pack_pairs(_or_empty(d.sentences))})
            for table, (columns, values) in rows.rows.items():
                pending.setdefault((table, columns), []).extend(values)
        self.store.insert_documents(doc_rows, content_rows)
        for table in _ROW_TABLES:  # in this order: rows refer to the tables before them
            for (name, columns), values in pending.items():
                if name == table:
                    R.insert_values(self.store.conn, table, columns, values)

    def _accept(self, d: DocumentInput, h: str, used: set[str]) -> PreparedRows | None:
        """The rows of ``d``'s annotations, its name and id settled; None when refused
        (checked before any write, so a bad document is refused or skipped whole)."""
        try:
            if d.prepared is not None:  # made where the document was read (load_document)
                mine = check_claimed(d.prepared.claimed, self.taken, used)
            else:
                mine = check_import_ids(d, self.taken, used)
            name = unique_name(d.name or name_from_title(d.meta.get("title")), self.names)
            # content-derived id: the same article gets the same id in every project
            d.id, d.name = d.id or h[:32], name
            rows = d.prepared if d.prepared is not None else _prepared(d, [])
        except ValidationError as exc:
            _refuse(d, exc, self.on_bad)
            return None
        self.taken |= mine
        self.names.add(name)
        self.seen[h] = name
        result = self.result
        spans, events, relations, chains = rows.counts
        result.spans += spans
        result.events += events
        result.relations += relations
        result.chains += chains
        result.added.append(name)
        return rows

    def _document_row(self, d: DocumentInput, h: str) -> dict[str, Any]:
        row = {"id": d.id, "position": self.position, "name": d.name,
               "title": str(d.meta.get("title") or ""), "length": len(d.text),
               "meta": R.dumps(d.meta), "lang": d.lang or self.lang, "content_hash": h,
               "tokenizer": d.tokenizer, "created_at": self.stamp}
        self.position += 1
        return row


def claimed_ids(d: DocumentInput) -> Iterator[tuple[str, str, str]]:
    """(table, kind, id) of every id an imported document brings with it."""
    if d.id:
        yield "documents", "document", d.id
    for ann in d.sets.values():
        for s in ann.spans:
            yield "spans", "span", s.id
        for e in ann.events:
            yield "events", "event", e.id
            for a in e.arguments:
                yield "event_args", "argument", a.id
        for r in ann.relations:
            yield "relations", "relation", r.id
        for c in ann.chains:
            yield "chains", "chain", c.id


def check_import_ids(d: DocumentInput, taken: set[str], used: set[str]) -> set[str]:
    """The ids ``d`` brings in; refused when one is already used in the project or earlier
    in this import (writing it would silently move that row to this document)."""
    return check_claimed(claimed_ids(d), taken, used)


def check_claimed(claimed: Iterable[tuple[str, str, str]], taken: set[str],
                  used: set[str]) -> set[str]:
    """``check_import_ids`` on the (table, kind, id) a document claims."""
    mine: set[str] = set()
    for _table, what, id_ in claimed:
        check_id(what, id_)
        if id_ in mine or id_ in taken or id_ in used:
            raise ValidationError(f"{what} id {id_!r} is already used (ids must be unique "
                                  "in a project)")
        mine.add(id_)
    return mine


def annotation_rows(d: DocumentInput) -> TableValues:
    """Rows of an imported document's statuses and annotation sets, checked (offsets,
    references inside the document) but not written, as (columns, tuples) per table that has
    any; import is not an undo step. Attributes are stored as given: schema defaults are not
    added (``Schema.effective_attrs``). Spans (most rows) are made as tuples directly; the
    other builders give every row of a table the same keys in the same order."""
    rows: Rows = {table: [] for table in _ROW_TABLES}
    spans: list[tuple[Any, ...]] = []
    for annotator in {*d.status, *d.sets}:
        check_name("annotation set name", annotator)
    for annotator, status in d.status.items():
        if status not in DOC_STATUSES:
            raise ValidationError(f"status {status!r} is not one of {DOC_STATUSES}")
        rows["doc_status"].append({"doc_id": d.id, "annotator": annotator,
                                   "status": status, "modified_at": now()})
    stamp = now() if d.sets else ""
    for annotator, ann in d.sets.items():
        _set_rows(d, annotator, ann, stamp, rows, spans)
    out: TableValues = {table: (tuple(table_rows[0]), [tuple(r.values()) for r in table_rows])
                        for table, table_rows in rows.items() if table_rows}
    if spans:
        out["spans"] = (R.SPAN_COLUMNS, spans)
    return out


def _set_rows(d: DocumentInput, annotator: str, ann: Annotations, stamp: str,
              rows: Rows, spans: list[tuple[Any, ...]]) -> None:
    """Append the rows of one annotation set of ``d``, checked, to ``rows`` (its spans to
    ``spans``)."""
    for s in ann.spans:
        check_span_fields(s, len(d.text))
        s.doc_id, s.annotator = d.id, annotator
        fill_provenance(s, annotator, stamp)
        spans.append(R.span_values(s))
    span_ids = {s.id for s in ann.spans}
    event_ids = {e.id for e in ann.events}
    for e in ann.events:
        if e.trigger_id not in span_ids:
            raise ValidationError(f"event {e.id} trigger {e.trigger_id} is not a span "
                                  "of this document")
        e.doc_id, e.annotator = d.id, annotator
        fill_provenance(e, annotator, stamp)
        rows["events"].append(R.event_to_row(e))
    for e in ann.events:
        for i, a in enumerate(e.arguments):
            if a.filler_kind == "event" and a.filler_id == e.id:
                raise ValidationError(f"event {e.id}: an event cannot be its own argument")
            pool = span_ids if a.filler_kind == "span" else event_ids
            if a.filler_id not in pool:
                raise ValidationError(f"event {e.id} argument {a.role} points at "
                                      f"unknown {a.filler_kind} {a.filler_id}")
            a.event_id, a.position = e.id, i
            rows["event_args"].append(R.argument_to_row(a))
    for r in ann.relations:
        if r.head_id not in span_ids or r.tail_id not in span_ids:
            raise ValidationError(f"relation {r.id} points at a span not in this document")
        r.doc_id, r.annotator = d.id, annotator
        fill_provenance(r, annotator, stamp)
        rows["relations"].append(R.relation_to_row(r))
    for c in ann.chains:
        check_chain_fields(c)
        if any(m not in span_ids for m in c.mentions):
            raise ValidationError(f"chain {c.id} lists a mention that is not a span of this "
                                  "document")
        c.doc_id, c.annotator = d.id, annotator
        fill_provenance(c, annotator, stamp)
        rows["chains"].append(R.chain_to_row(c))


def _or_empty(pairs: Any) -> Any:
    return [] if pairs is None else pairs


def unique_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... the first not in ``taken``."""
    base = base.strip() or "document"
    if base not in taken:
        return base
    i = 2
    while f"{base}-{i}" in taken:
        i += 1
    return f"{base}-{i}"
