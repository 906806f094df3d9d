"""The Project facade: every read and every edit of a project goes through here.

Each edit runs in one SQLite transaction, is recorded for undo (row before/after images), and
returns what it created or a ``Changes`` describing what to repaint. Listeners registered with
``subscribe`` receive the same ``Changes`` after every committed edit, undo and redo.
"""

from __future__ import annotations

import gc
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotator.core.changes import Changes, mark
from annotator.core.codec import content_hash
from annotator.core.inputs import DocumentInput, ImportReport
from annotator.core.model import (
    DOC_STATUSES,
    SPAN_KINDS,
    SPAN_ORIGINS,
    SPAN_STATUSES,
    Annotations,
    Argument,
    Document,
    DocumentSummary,
    Event,
    Relation,
    Span,
    new_id,
    now,
)
from annotator.core.offsets import TokenIndex
from annotator.core.progress import ProgressFn, report
from annotator.core.schema import Schema, load_schema
from annotator.core.undo import History, RowChange, Step
from annotator.core.validate import Problem, validate_annotations
from annotator.errors import NotFoundError, ValidationError
from annotator.store import Store
from annotator.store import rows as R

Listener = Callable[[Changes], None]
SPAN_FIELDS = ("start", "end", "label", "kind", "attrs", "note", "kb_id", "status", "origin")
EVENT_FIELDS = ("type", "trigger_id", "attrs", "note", "status", "origin")
RELATION_FIELDS = ("type", "head_id", "tail_id", "attrs", "note", "status", "origin")
DEFAULT_ANNOTATOR = "annotator"


class Project:
    """An open project file. Create with ``create_project`` / ``open_project``."""

    def __init__(self, store: Store, annotator: str = DEFAULT_ANNOTATOR) -> None:
        self._store = store
        self.annotator = annotator or DEFAULT_ANNOTATOR  # who edits (recorded on every change)
        self._set = ""  # which annotation set new annotations go to; "" = the annotator's own
        self._history = History()
        self._step: Step | None = None
        self._pending = Changes()
        self._listeners: list[Listener] = []
        self._schema: Schema | None = None
        self._token_cache: dict[str, TokenIndex] = {}

    @property
    def annotation_set(self) -> str:
        """The set that is read by default and that new annotations go to (an adjudicator
        editing "gold" keeps their own name as ``annotator``); defaults to ``annotator``."""
        return self._set or self.annotator

    @annotation_set.setter
    def annotation_set(self, name: str | None) -> None:
        self._set = "" if not name or name == self.annotator else name

    # ---- lifecycle -----------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self._store.path

    @property
    def readonly(self) -> bool:
        return self._store.readonly

    @property
    def backup_path(self) -> Path | None:
        """The backup written when this open migrated an older file, else None."""
        return self._store.backup_path

    @property
    def lang(self) -> str:
        return self._store.get_meta("lang", "en") or "en"

    def worker_copy(self) -> Project:
        """A second connection to the same file for a background thread (same process, so it
        shares this process's writer lock); SQLite serialises the two writers."""
        copy = Project(self._store.sibling(), self.annotator)
        copy.annotation_set = self._set
        return copy

    def close(self) -> None:
        self._history.clear()
        self._store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- listeners -----------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, changes: Changes) -> None:
        for listener in list(self._listeners):
            listener(changes)

    # ---- recording -----------------------------------------------------------------------
    @contextmanager
    def compound(self, label: str) -> Iterator[Changes]:
        """Group several edits into one transaction and one undo step."""
        if self._step is not None:
            # Nested: part of the outer step, but a failure inside takes back only its own
            # writes (savepoint), so a caught error never leaves half an operation behind.
            step, mark = self._step, len(self._step.changes)
            try:
                with self._store.transaction():
                    yield self._pending
            except BaseException:
                del step.changes[mark:]
                self._schema = None
                raise
            return
        self._step = Step(label)
        self._pending = Changes(label=label)
        changes = self._pending
        try:
            with self._store.transaction():
                yield changes
        except BaseException:
            self._step = None
            self._pending = Changes()
            self._schema = None
            raise
        step, self._step = self._step, None
        self._pending = Changes()
        self._history.push(step)
        if not changes.empty:
            self._notify(changes)

    def _record(self, table: str, before: dict | None, after: dict | None, doc_id: str) -> None:
        assert self._step is not None, "edits must run inside compound()"
        if after is None:
            assert before is not None
            self._store.delete_row(table, before)
        else:
            self._store.put_row(table, after)
        self._step.changes.append(RowChange(table, before, after, doc_id))
        mark(self._pending, table, before or after, doc_id)  # type: ignore[arg-type]

    # ---- undo / redo ---------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return self._history.undo_label is not None

    @property
    def can_redo(self) -> bool:
        return self._history.redo_label is not None

    @property
    def undo_label(self) -> str | None:
        return self._history.undo_label

    @property
    def redo_label(self) -> str | None:
        return self._history.redo_label

    def undo(self) -> Changes | None:
        """Write back the before-images of the last step; None when there is nothing to undo."""
        step = self._history.pop_undo()
        if step is None:
            return None
        return self._replay(step, undo=True)

    def redo(self) -> Changes | None:
        """Write again the after-images of the last undone step."""
        step = self._history.pop_redo()
        if step is None:
            return None
        return self._replay(step, undo=False)

    def _replay(self, step: Step, *, undo: bool) -> Changes:
        changes = Changes(label=f"{'Undo' if undo else 'Redo'} {step.label}")
        try:
            with self._store.transaction():
                for ch in reversed(step.changes) if undo else step.changes:
                    old, new = (ch.after, ch.before) if undo else (ch.before, ch.after)
                    if new is None:
                        self._store.delete_row(ch.table, old)  # type: ignore[arg-type]
                    else:
                        self._store.put_row(ch.table, new)
                    mark(changes, ch.table, new or old, ch.doc_id)  # type: ignore[arg-type]
        except BaseException:
            # the step stays where it was; nothing was written
            (self._history.pushed_back_for_undo if undo else
             self._history.pushed_back_for_redo)(step)
            raise
        (self._history.pushed_back_for_redo if undo else self._history.pushed_back_for_undo)(step)
        if changes.schema:
            self._schema = None
        self._notify(changes)
        return changes

    # ---- schema --------------------------------------------------------------------------
    @property
    def schema(self) -> Schema:
        if self._schema is None:
            raw = self._store.get_meta("schema")
            self._schema = Schema.from_dict(json.loads(raw)) if raw else Schema()
        return self._schema

    def set_schema(self, schema: Schema | str | Path, *, force: bool = False) -> Changes:
        """Replace the schema; refused when annotations would use labels it lacks (unless force)."""
        new = schema if isinstance(schema, Schema) else load_schema(schema)
        new.check(source=new.name)
        if not force:
            known = ({t.name for t in new.entity_types} | {t.name for t in new.value_types}
                     | {t.name for t in new.event_types} | set(new.relation_type_names()))
            missing = {name: n for name, n in self._store.label_usage().items()
                       if name not in known}
            if missing:
                listed = ", ".join(f"{k} ({v})" for k, v in sorted(missing.items()))
                raise ValidationError(f"the new schema lacks labels still in use: {listed}; "
                                      "rename them first or pass force")
        with self.compound("Change schema") as changes:
            self._put_schema(new)
        return changes

    def _put_schema(self, schema: Schema) -> None:
        before = self._store.meta_row("schema")
        after = {"key": "schema", "value": R.dumps(schema.to_dict())}
        self._record("project_meta", before, after, "")
        self._schema = schema

    def rename_label(self, old: str, new: str) -> Changes:
        """Rename a span label, event type or relation type in the schema and every annotation."""
        schema = Schema.from_dict(self.schema.to_dict())
        found = False
        for t in [*schema.entity_types, *schema.value_types, *schema.event_types]:
            if t.name == old:
                t.name, found = new, True
            if t.parent == old:
                t.parent = new
        for r in schema.relation_types:
            if r.name == old:
                r.name, found = new, True
        for coll in [r.fillers for et in schema.event_types for r in et.roles] + \
                [r.arg1 for r in schema.relation_types] + [r.arg2 for r in schema.relation_types] + \
                [a.targets for a in schema.attributes]:
            coll[:] = [new if x == old else x for x in coll]
        if not found:
            raise ValidationError(f"no label named {old!r} in the schema")
        schema.check(source="renamed schema")
        with self.compound(f"Rename {old} to {new}") as changes:
            self._put_schema(schema)
            stamp = self._stamp()
            for table, column in (("spans", "label"), ("events", "type"), ("relations", "type")):
                for row in self._store.rename_label(table, column, old, new):
                    after = {**row, column: new, **stamp}
                    self._record(table, row, after, row["doc_id"])
        return changes

    def rename_role(self, event_type: str, old: str, new: str) -> Changes:
        """Rename one role of an event type, in the schema and in every argument."""
        schema = Schema.from_dict(self.schema.to_dict())
        et = schema.event_type(event_type)
        if et is None or et.role(old) is None:
            raise ValidationError(f"{event_type} has no role {old!r}")
        et.role(old).name = new  # type: ignore[union-attr]
        schema.check(source="renamed schema")
        with self.compound(f"Rename role {old} to {new}") as changes:
            self._put_schema(schema)
            for row in self._store.rename_label("event_args", "role", old, new):
                ev = self._store.get_row("events", row["event_id"])
                if ev and ev["type"] == event_type:
                    self._record("event_args", row, {**row, "role": new}, ev["doc_id"])
        return changes

    # ---- documents -----------------------------------------------------------------------
    def documents(self) -> list[DocumentSummary]:
        return [DocumentSummary(**r) for r in self._store.list_documents(self.annotation_set)]

    def document_count(self) -> int:
        return self._store.document_count()

    def document_ids(self) -> list[str]:
        return self._store.document_ids()

    def document(self, doc_id: str) -> Document:
        row = self._store.get_document(doc_id)
        if row is None:
            raise NotFoundError(f"no document with id {doc_id}")
        return Document(
            id=row["id"], name=row["name"], text=row["text"], meta=json.loads(row["meta"]),
            lang=row["lang"], content_hash=row["content_hash"],
            tokens=R.unpack_pairs(row["tokens"]), sentences=R.unpack_pairs(row["sentences"]),
            tokenizer=row["tokenizer"], created_at=row["created_at"], position=row["position"])

    def document_by_name(self, name: str) -> Document:
        doc_id = self._store.document_id_by_name(name)
        if doc_id is None:
            raise NotFoundError(f"no document named {name!r}")
        return self.document(doc_id)

    def token_index(self, doc_id: str) -> TokenIndex:
        index = self._token_cache.get(doc_id)
        if index is None:
            doc = self.document(doc_id)
            index = TokenIndex(doc.tokens, doc.text)
            if len(self._token_cache) > 64:
                self._token_cache.clear()
            self._token_cache[doc_id] = index
        return index

    def search(self, query: str, limit: int = 200) -> list[str]:
        """Ids of documents containing ``query`` (a phrase), in document order."""
        return self._store.search_documents(query, limit) if query.strip() else []

    def add_document(self, text: str, name: str = "", meta: dict[str, Any] | None = None
                     ) -> Document:
        report_ = self.add_documents([DocumentInput(text=text, name=name, meta=meta or {})])
        if not report_.added:
            raise ValidationError(f"document {name or '(unnamed)'} duplicates "
                                  f"{report_.duplicates[0][1]!r}")
        return self.document_by_name(report_.added[0])

    def add_documents(self, inputs: Iterable[DocumentInput], *, progress: ProgressFn | None = None,
                      total: int | None = None, batch_size: int = 256,
                      on_bad: Callable[[DocumentInput, Exception], None] | None = None
                      ) -> ImportReport:
        """Import documents (and their annotations): all or nothing (one transaction).

        Duplicates (same content hash as a document already in the project or earlier in this
        import) are skipped and reported. ``on_bad`` is called for a document that cannot be
        added; without it the first bad document aborts the whole import.
        """
        from annotator.nlp.tokenize import get_tokenizer

        result = ImportReport()
        tokenizer = get_tokenizer(self.lang)
        read = tokenised_so_far = 0

        def given_tokens(docs: Iterable[DocumentInput]) -> Iterator[DocumentInput]:
            nonlocal read
            for d in docs:
                read += 1
                if not d.text.isascii() and _has_lone_surrogate(d.text):
                    bad = _LONE_SURROGATE.search(d.text)
                    assert bad is not None
                    # JSON can spell one (\ud800); spaCy and SQLite cannot store it
                    exc = ValidationError(
                        f"the text holds a lone surrogate U+{ord(bad.group()):04X} at offset "
                        f"{bad.start()}, which is not valid Unicode")
                    if on_bad is None:
                        raise ValidationError(f"{d.source or d.name}: {exc}")
                    on_bad(d, exc)
                    continue
                if d.tokens is not None and d.sentences is None:
                    d.sentences = tokenizer.sentences_for(d.text, d.tokens)
                if read % batch_size == 0:  # the bar follows tokenising; reading may cancel
                    report(progress, tokenised_so_far, total, f"read {read} documents")
                yield d

        def tokenised(count: int, message: str) -> None:
            nonlocal tokenised_so_far
            tokenised_so_far = count
            if count % batch_size == 0:
                report(progress, count, total or read, message)

        with _cyclic_gc_paused():
            self._write_imported(tokenizer.prepared_chunks(given_tokens(inputs),
                                                           progress=tokenised),
                                 result, on_bad, progress, lambda: read)
        if result.added:
            self._notify(Changes(label="Import", documents=set(result.added)))
        return result

    def _write_imported(self, chunks: Iterator[tuple[list[DocumentInput], bool]],
                        result: ImportReport,
                        on_bad: Callable[[DocumentInput, Exception], None] | None,
                        progress: ProgressFn | None, read: Callable[[], int]) -> None:
        """Write the prepared chunks of an import (``add_documents``)."""
        first, in_workers = next(chunks, ([], False))
        writer = _ImportWriter(self, result, on_bad)
        if in_workers:
            # worker processes tokenise while this process writes: one long transaction (a
            # CLI import; the GUI imports on a thread, tokenising in-process, below)
            with self._store.transaction():
                writer.write(first)
                for chunk, _ in chunks:
                    writer.write(chunk)
                report(progress, read(), read(), f"wrote {read()} documents")
        else:
            # tokenise everything first, outside any transaction, so other connections (the
            # GUI's) stay writable; then one short transaction writes it all
            batches = [first, *(chunk for chunk, _ in chunks)]
            count = sum(len(b) for b in batches)
            report(progress, count, count, f"writing {count} documents")
            with self._store.transaction():
                for batch in batches:
                    writer.write(batch)

    def _check_import_ids(self, d: DocumentInput, taken: set[str], used: set[str]) -> set[str]:
        """The ids ``d`` brings in; refused when one is already used in the project or earlier
        in this import (writing it would silently move that row to this document)."""
        mine: set[str] = set()
        for _table, what, id_ in _claimed_ids(d):
            if id_ in mine or id_ in taken or id_ in used:
                raise ValidationError(f"{what} id {id_!r} is already used (ids must be unique "
                                      "in a project)")
            mine.add(id_)
        return mine

    def _annotation_rows(self, d: DocumentInput) -> dict[str, list[dict[str, Any]]]:
        """Rows of an imported document's statuses and annotation sets, checked (offsets,
        references inside the document) but not written; import is not an undo step."""
        rows: dict[str, list[dict[str, Any]]] = {
            "doc_status": [], "spans": [], "events": [], "event_args": [], "relations": []}
        for annotator, status in d.status.items():
            if status not in DOC_STATUSES:
                raise ValidationError(f"status {status!r} is not one of {DOC_STATUSES}")
            rows["doc_status"].append({"doc_id": d.id, "annotator": annotator,
                                       "status": status, "modified_at": now()})
        stamp = now() if d.sets else ""
        for annotator, ann in d.sets.items():
            for s in ann.spans:
                _check_span_fields(s, len(d.text))
                s.doc_id, s.annotator = d.id, annotator
                _fill_provenance(s, annotator, stamp)
                rows["spans"].append(R.span_to_row(s))
            span_ids = {s.id for s in ann.spans}
            event_ids = {e.id for e in ann.events}
            for e in ann.events:
                if e.trigger_id not in span_ids:
                    raise ValidationError(f"event {e.id} trigger {e.trigger_id} is not a span "
                                          "of this document")
                e.doc_id, e.annotator = d.id, annotator
                _fill_provenance(e, annotator, stamp)
                rows["events"].append(R.event_to_row(e))
            for e in ann.events:
                for i, a in enumerate(e.arguments):
                    pool = span_ids if a.filler_kind == "span" else event_ids
                    if a.filler_id not in pool:
                        raise ValidationError(f"event {e.id} argument {a.role} points at "
                                              f"unknown {a.filler_kind} {a.filler_id}")
                    a.event_id, a.position = e.id, i
                    rows["event_args"].append(R.argument_to_row(a))
            for r in ann.relations:
                if r.head_id not in span_ids or r.tail_id not in span_ids:
                    raise ValidationError(f"relation {r.id} points at a span not in this "
                                          "document")
                r.doc_id, r.annotator = d.id, annotator
                _fill_provenance(r, annotator, stamp)
                rows["relations"].append(R.relation_to_row(r))
        return rows

    # ---- statuses ------------------------------------------------------------------------
    def status(self, doc_id: str, annotator: str | None = None) -> str:
        row = self._store.status_row(doc_id, annotator or self.annotation_set)
        return row["status"] if row else "new"

    def statuses(self, doc_id: str) -> dict[str, str]:
        return {r["annotator"]: r["status"] for r in self._store.status_rows(doc_id)}

    def set_status(self, doc_id: str, status: str) -> Changes:
        if status not in DOC_STATUSES:
            raise ValidationError(f"status must be one of {', '.join(DOC_STATUSES)}")
        self._require_doc(doc_id)
        label = {"done": "Mark done", "in_progress": "Mark in progress", "new": "Mark new"}[status]
        with self.compound(label) as changes:
            before = self._store.status_row(doc_id, self.annotation_set)
            after = {"doc_id": doc_id, "annotator": self.annotation_set, "status": status,
                     "modified_at": now()}
            self._record("doc_status", before, after, doc_id)
            changes.documents.add(doc_id)
        return changes

    # ---- reading annotations -------------------------------------------------------------
    def annotators(self) -> list[str]:
        return self._store.annotators()

    def annotations(self, doc_id: str, annotator: str | None = "") -> Annotations:
        """One set (default: the current annotator's); ``annotator=None`` for every set."""
        who = self.annotation_set if annotator == "" else annotator
        spans = [R.row_to_span(r) for r in self._store.span_rows(doc_id, who)]
        args: dict[str, list[Argument]] = {}
        for r in self._store.argument_rows_for_doc(doc_id, who):
            a = R.row_to_argument(r)
            args.setdefault(a.event_id, []).append(a)
        events = [R.row_to_event(r, args.get(r["id"], [])) for r in
                  self._store.event_rows(doc_id, who)]
        relations = [R.row_to_relation(r) for r in self._store.relation_rows(doc_id, who)]
        return Annotations(spans, events, relations)

    def spans(self, doc_id: str, annotator: str | None = "") -> list[Span]:
        who = self.annotation_set if annotator == "" else annotator
        return [R.row_to_span(r) for r in self._store.span_rows(doc_id, who)]

    def span(self, span_id: str) -> Span:
        row = self._store.get_row("spans", span_id)
        if row is None:
            raise NotFoundError(f"no span with id {span_id}")
        return R.row_to_span(row)

    def event(self, event_id: str) -> Event:
        row = self._store.get_row("events", event_id)
        if row is None:
            raise NotFoundError(f"no event with id {event_id}")
        args = [R.row_to_argument(a) for a in self._store.argument_rows(event_id)]
        return R.row_to_event(row, args)

    def relation(self, relation_id: str) -> Relation:
        row = self._store.get_row("relations", relation_id)
        if row is None:
            raise NotFoundError(f"no relation with id {relation_id}")
        return R.row_to_relation(row)

    def events_of_trigger(self, span_id: str) -> list[Event]:
        return [self.event(r["id"]) for r in self._store.events_triggered_by(span_id)]

    # ---- span edits ----------------------------------------------------------------------
    def add_span(self, doc_id: str, start: int, end: int, label: str, *, kind: str | None = None,
                 attrs: dict[str, Any] | None = None, note: str = "", kb_id: str = "",
                 status: str = "gold", origin: str = "manual", id: str | None = None) -> Span:
        length = self._doc_length(doc_id)
        kind = kind or self._kind_for(label)
        self._require_new_id("spans", id)
        span = Span(id=id or new_id(), doc_id=doc_id, start=start, end=end, label=label,
                    kind=kind, attrs=dict(attrs or {}), note=note, kb_id=kb_id, status=status,
                    origin=origin, annotator=self.annotation_set)
        _check_span_fields(span, length)
        _fill_provenance(span, self.annotator, now(), force=True)
        with self.compound(f"Add {label}"):
            self._record("spans", None, R.span_to_row(span), doc_id)
        return span

    def update_span(self, span_id: str, **fields: Any) -> Span:
        unknown = set(fields) - set(SPAN_FIELDS)
        if unknown:
            raise ValidationError(f"cannot change span field(s) {sorted(unknown)}")
        old = self.span(span_id)
        if "label" in fields and "kind" not in fields:
            fields["kind"] = self._kind_for(fields["label"])
        new = replace(old, **{**fields, "attrs": dict(fields.get("attrs", old.attrs))})
        _check_span_fields(new, self._doc_length(old.doc_id))
        if new.label != old.label and "label" in fields:
            self._kind_for(new.label)
        new.modified_by, new.modified_at = self.annotator, now()
        what = "Relabel" if new.label != old.label else (
            "Resize" if (new.start, new.end) != (old.start, old.end) else "Edit")
        with self.compound(f"{what} {new.label}"):
            self._record("spans", R.span_to_row(old), R.span_to_row(new), old.doc_id)
            if new.label != old.label and new.kind == "trigger":
                # An event's type follows its trigger's label.
                for row in self._store.events_triggered_by(span_id):
                    self._record("events", row, {**row, "type": new.label, **self._stamp()},
                                 row["doc_id"])
        return new

    def delete_span(self, span_id: str) -> Changes:
        """Delete a span with every relation, argument and event (if it is a trigger) on it."""
        old = self.span(span_id)
        with self.compound(f"Delete {old.label}") as changes:
            for row in self._store.relations_touching(span_id):
                self._record("relations", row, None, row["doc_id"])
            for row in self._store.arguments_filled_by_span(span_id):
                self._record("event_args", row, None, old.doc_id)
            for row in self._store.events_triggered_by(span_id):
                self._delete_event_rows(row["id"])
            self._record("spans", R.span_to_row(old), None, old.doc_id)
        return changes

    # ---- event edits ---------------------------------------------------------------------
    def add_event(self, type: str, trigger_id: str, *, attrs: dict[str, Any] | None = None,
                  arguments: Iterable[tuple[str, str]] = (), note: str = "",
                  status: str = "gold", origin: str = "manual", id: str | None = None) -> Event:
        """Create an event on an existing trigger span; ``arguments`` are (role, filler id)."""
        if self.schema.event_types and self.schema.event_type(type) is None:
            raise ValidationError(f"event type {type!r} is not in the schema")
        trigger = self.span(trigger_id)
        self._require_new_id("events", id)
        ev = Event(id=id or new_id(), doc_id=trigger.doc_id, type=type, trigger_id=trigger_id,
                   attrs=dict(attrs or self._default_attrs("event", type)), note=note,
                   status=status, origin=origin, annotator=trigger.annotator)
        _fill_provenance(ev, self.annotator, now(), force=True)
        with self.compound(f"Add event {type}"):
            if trigger.kind != "trigger" or trigger.label != type:
                self.update_span(trigger_id, label=type, kind="trigger")
            self._record("events", None, R.event_to_row(ev), ev.doc_id)
            for role, filler in arguments:
                ev.arguments.append(self.add_argument(ev.id, role, filler))
        return ev

    def add_trigger_event(self, doc_id: str, start: int, end: int, type: str, *,
                          attrs: dict[str, Any] | None = None,
                          arguments: Iterable[tuple[str, str]] = ()) -> Event:
        """Create the trigger span and its event in one undo step."""
        with self.compound(f"Add event {type}"):
            trigger = self.add_span(doc_id, start, end, type, kind="trigger")
            return self.add_event(type, trigger.id, attrs=attrs, arguments=arguments)

    def update_event(self, event_id: str, **fields: Any) -> Event:
        unknown = set(fields) - set(EVENT_FIELDS)
        if unknown:
            raise ValidationError(f"cannot change event field(s) {sorted(unknown)}")
        old = self.event(event_id)
        if "type" in fields and self.schema.event_types and \
                self.schema.event_type(fields["type"]) is None:
            raise ValidationError(f"event type {fields['type']!r} is not in the schema")
        new = replace(old, **{**fields, "attrs": dict(fields.get("attrs", old.attrs))})
        if new.trigger_id != old.trigger_id:
            trigger = self.span(new.trigger_id)
            self._require_same_doc(trigger.doc_id, old.doc_id, "a trigger")
            self._require_same_set(trigger.annotator, old.annotator, "a trigger")
        new.modified_by, new.modified_at = self.annotator, now()
        with self.compound(f"Edit event {new.type}"):
            self._record("events", R.event_to_row(old), R.event_to_row(new), old.doc_id)
            if new.type != old.type or new.trigger_id != old.trigger_id:
                trig = self.span(new.trigger_id)
                if trig.label != new.type or trig.kind != "trigger":
                    self.update_span(trig.id, label=new.type, kind="trigger")
        return new

    def delete_event(self, event_id: str) -> Changes:
        """Delete an event, its arguments and arguments that point at it (trigger span stays)."""
        old = self.event(event_id)
        with self.compound(f"Delete event {old.type}") as changes:
            self._delete_event_rows(event_id)
        return changes

    def _delete_event_rows(self, event_id: str) -> None:
        row = self._store.get_row("events", event_id)
        if row is None:
            return
        for arg in self._store.arguments_filled_by_event(event_id):
            self._record("event_args", arg, None, row["doc_id"])
        for arg in self._store.argument_rows(event_id):
            self._record("event_args", arg, None, row["doc_id"])
        self._record("events", row, None, row["doc_id"])

    def add_argument(self, event_id: str, role: str, filler_id: str) -> Argument:
        ev_row = self._store.get_row("events", event_id)
        if ev_row is None:
            raise NotFoundError(f"no event with id {event_id}")
        et = self.schema.event_type(ev_row["type"])
        if et is not None and et.role(role) is None:
            raise ValidationError(f"{ev_row['type']} has no role {role!r}; roles: "
                                  f"{', '.join(r.name for r in et.roles)}")
        if (filler := self._store.get_row("spans", filler_id)) is not None:
            kind = "span"
        elif (filler := self._store.get_row("events", filler_id)) is not None:
            kind = "event"
            if filler_id == event_id:
                raise ValidationError("an event cannot be its own argument")
        else:
            raise NotFoundError(f"no span or event with id {filler_id}")
        self._require_same_doc(filler["doc_id"], ev_row["doc_id"], "an argument")
        self._require_same_set(filler["annotator"], ev_row["annotator"], "an argument")
        position = len(self._store.argument_rows(event_id))
        arg = Argument(id=new_id(), event_id=event_id, role=role, filler_id=filler_id,
                       filler_kind=kind, position=position)
        with self.compound(f"Add {role}"):
            self._record("event_args", None, R.argument_to_row(arg), ev_row["doc_id"])
            self._touch_event(ev_row)
        return arg

    def remove_argument(self, argument_id: str) -> Changes:
        row = self._store.get_row("event_args", argument_id)
        if row is None:
            raise NotFoundError(f"no argument with id {argument_id}")
        ev_row = self._store.get_row("events", row["event_id"])
        with self.compound(f"Remove {row['role']}") as changes:
            self._record("event_args", row, None, ev_row["doc_id"])  # type: ignore[index]
            self._touch_event(ev_row)  # type: ignore[arg-type]
        return changes

    def _touch_event(self, ev_row: dict[str, Any]) -> None:
        self._record("events", ev_row, {**ev_row, **self._stamp()}, ev_row["doc_id"])

    # ---- relation edits ------------------------------------------------------------------
    def add_relation(self, type: str, head_id: str, tail_id: str, *,
                     attrs: dict[str, Any] | None = None, note: str = "", status: str = "gold",
                     origin: str = "manual", id: str | None = None) -> Relation:
        if self.schema.relation_types and not self.schema.relation_types_named(type):
            raise ValidationError(f"relation type {type!r} is not in the schema")
        head, tail = self.span(head_id), self.span(tail_id)
        if head.doc_id != tail.doc_id:
            raise ValidationError("a relation must join two spans of the same document")
        self._require_same_set(tail.annotator, head.annotator, "a relation argument")
        if self.schema.is_symmetric(type) and (tail.start, tail.end, tail.id) < (
                head.start, head.end, head.id):
            head, tail = tail, head
        self._require_new_id("relations", id)
        rel = Relation(id=id or new_id(), doc_id=head.doc_id, type=type, head_id=head.id,
                       tail_id=tail.id, attrs=dict(attrs or {}), note=note, status=status,
                       origin=origin, annotator=head.annotator)
        _fill_provenance(rel, self.annotator, now(), force=True)
        with self.compound(f"Add relation {type}"):
            self._record("relations", None, R.relation_to_row(rel), rel.doc_id)
        return rel

    def update_relation(self, relation_id: str, **fields: Any) -> Relation:
        unknown = set(fields) - set(RELATION_FIELDS)
        if unknown:
            raise ValidationError(f"cannot change relation field(s) {sorted(unknown)}")
        old = self.relation(relation_id)
        new = replace(old, **{**fields, "attrs": dict(fields.get("attrs", old.attrs))})
        if new.type != old.type and self.schema.relation_types and \
                not self.schema.relation_types_named(new.type):
            raise ValidationError(f"relation type {new.type!r} is not in the schema")
        head, tail = self.span(new.head_id), self.span(new.tail_id)
        for end in (head, tail):
            self._require_same_doc(end.doc_id, old.doc_id, "a relation argument")
            self._require_same_set(end.annotator, old.annotator, "a relation argument")
        if self.schema.is_symmetric(new.type) and \
                (tail.start, tail.end, tail.id) < (head.start, head.end, head.id):
            new.head_id, new.tail_id = tail.id, head.id
        new.modified_by, new.modified_at = self.annotator, now()
        with self.compound(f"Edit relation {new.type}"):
            self._record("relations", R.relation_to_row(old), R.relation_to_row(new), old.doc_id)
        return new

    def reverse_relation(self, relation_id: str) -> Relation:
        old = self.relation(relation_id)
        if self.schema.is_symmetric(old.type):
            return old
        return self.update_relation(relation_id, head_id=old.tail_id, tail_id=old.head_id)

    def delete_relation(self, relation_id: str) -> Changes:
        old = self.relation(relation_id)
        with self.compound(f"Delete relation {old.type}") as changes:
            self._record("relations", R.relation_to_row(old), None, old.doc_id)
        return changes

    # ---- checks and statistics -----------------------------------------------------------
    def check(self, doc_ids: Iterable[str] | None = None, annotator: str | None = None
              ) -> list[Problem]:
        """Integrity and schema problems (every annotation set unless ``annotator`` given)."""
        problems = [Problem("error", "integrity", p) for p in self._store.integrity_problems()]
        schema = self.schema
        for doc_id in doc_ids if doc_ids is not None else self.document_ids():
            doc = self.document(doc_id)
            index = TokenIndex(doc.tokens, doc.text)
            sets = [annotator] if annotator else (self.annotators() or [self.annotation_set])
            for who in sets:
                ann = self.annotations(doc_id, who)
                for p in validate_annotations(schema, doc_id, doc.text, index, ann):
                    problems.append(replace(p, message=f"{doc.name} ({who}): {p.message}"))
        return problems

    def problems(self, doc_id: str) -> list[Problem]:
        """Problems of the current annotator's set in one document (the problems panel)."""
        doc = self.document(doc_id)
        return validate_annotations(self.schema, doc_id, doc.text, self.token_index(doc_id),
                                    self.annotations(doc_id))

    def stats(self) -> dict[str, Any]:
        def nest(rows: list[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
            out: dict[str, dict[str, int]] = {}
            for who, key, n in rows:
                out.setdefault(who, {})[key] = n
            return out

        spans = nest(self._store.count_by("spans", "label"))
        events = nest(self._store.count_by("events", "type"))
        relations = nest(self._store.count_by("relations", "type"))
        statuses = nest(self._store.status_counts())
        total = self.document_count()
        for who in statuses:
            statuses[who]["new"] = total - sum(v for k, v in statuses[who].items() if k != "new")
        return {"documents": total, "annotators": self.annotators(), "spans": spans,
                "events": events, "relations": relations, "status": statuses}

    # ---- helpers -------------------------------------------------------------------------
    def _stamp(self) -> dict[str, str]:
        return {"modified_by": self.annotator, "modified_at": now()}

    @staticmethod
    def _require_same_doc(doc_id: str, expected: str, what: str) -> None:
        if doc_id != expected:
            raise ValidationError(f"{what} must be in the same document as the annotation "
                                  "it belongs to")

    @staticmethod
    def _require_same_set(annotator: str, expected: str, what: str) -> None:
        if annotator != expected:
            raise ValidationError(f"{what} must be in the same annotation set ({expected}) as "
                                  f"the annotation it belongs to, not in {annotator}'s")

    def _require_new_id(self, table: str, id: str | None) -> None:
        """A caller-chosen id must not name an existing row (it would be overwritten, and
        undoing the add would then delete the original)."""
        if id and self._store.get_row(table, id) is not None:
            raise ValidationError(f"id {id} is already used by another annotation")

    def _require_doc(self, doc_id: str) -> None:
        self._doc_length(doc_id)

    def _doc_length(self, doc_id: str) -> int:
        rows = self._store.list_document_length(doc_id)
        if rows is None:
            raise NotFoundError(f"no document with id {doc_id}")
        return rows

    def _kind_for(self, label: str) -> str:
        schema = self.schema
        kind = schema.span_kind_of(label)
        if kind is None:
            if not (schema.entity_types or schema.value_types or schema.event_types):
                return "entity"
            raise ValidationError(f"label {label!r} is not in the schema "
                                  f"({schema.name}); known: {', '.join(schema.span_labels())}")
        return kind

    def _default_attrs(self, kind: str, type_name: str) -> dict[str, Any]:
        return {a.name: a.default for a in self.schema.attributes_for(kind, type_name)
                if a.default not in (None, "")}


# ---- module helpers -------------------------------------------------------------------------
_gc_pauses = 0  # imports running that paused the cyclic garbage collector
_gc_was_enabled = True
_gc_lock = threading.Lock()


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk import: it allocates hundreds of
    thousands of objects that die by reference counting, and the collector would rescan the
    live ones again and again (1.5 s of a 10,000-document brat import)."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


_ID_TABLES = ("documents", "spans", "events", "event_args", "relations")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` cannot be encoded (encoding is much faster than searching)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class _ImportWriter:
    """Writes prepared documents chunk by chunk inside the import's transaction: duplicates
    and id clashes are checked against the project and the chunks written before, every
    document's annotations are checked before anything of the chunk is written, and each
    table gets one executemany per chunk."""

    def __init__(self, project: Project, result: ImportReport,
                 on_bad: Callable[[DocumentInput, Exception], None] | None) -> None:
        self.project, self.store, self.result, self.on_bad = project, project._store, result, on_bad
        self.started = False

    def start(self) -> None:
        self.names = self.store.existing_names()
        self.position = self.store.next_position()
        self.lang, self.stamp = self.project.lang, now()
        self.seen: dict[str, str] = {}  # content hash -> name, for this import
        self.taken: set[str] = set()  # ids used by documents accepted so far in this import
        # tables without rows before this import need no look-up of the ids it brings: clashes
        # inside the import are caught by ``taken``
        self.empty = {t for t in _ID_TABLES if self.store.is_empty(t)}
        self.started = True

    def refuse(self, d: DocumentInput, exc: ValidationError) -> None:
        if self.on_bad is None:
            raise ValidationError(f"{d.source or d.name}: {exc}") from None
        self.on_bad(d, exc)

    def write(self, docs: list[DocumentInput]) -> None:
        if not self.started:
            self.start()
        result = self.result
        hashes = [d.content_hash or content_hash(d.text) for d in docs]
        existing = self.store.existing_hashes(hashes)
        wanted: dict[str, list[str]] = {}
        if len(self.empty) < len(_ID_TABLES):  # some table had rows before: look the new ids up there
            for d in docs:
                for table, _what, id_ in _claimed_ids(d):
                    if table not in self.empty:
                        wanted.setdefault(table, []).append(id_)
        # ids the chunk brings that the project already has: a few queries per table
        used = set().union(*(self.store.existing_ids(t, ids) for t, ids in wanted.items()))
        doc_rows, content_rows, pending = [], [], {}
        for d, h in zip(docs, hashes, strict=True):
            duplicate = existing.get(h) or self.seen.get(h)
            if duplicate is not None:
                result.duplicates.append((d.source or d.name, duplicate))
                continue
            try:
                # before any write, so a bad document is refused (or skipped) whole
                mine = self.project._check_import_ids(d, self.taken, used)
                name = _unique_name(d.name or str(d.meta.get("title") or "document"), self.names)
                # content-derived id: the same article gets the same id in every project
                d.id, d.name = d.id or h[:32], name
                rows = self.project._annotation_rows(d)
            except ValidationError as exc:
                self.refuse(d, exc)
                continue
            self.taken |= mine
            self.names.add(name)
            self.seen[h] = name
            doc_rows.append({
                "id": d.id, "position": self.position, "name": name,
                "title": str(d.meta.get("title") or ""), "length": len(d.text),
                "meta": R.dumps(d.meta), "lang": d.lang or self.lang, "content_hash": h,
                "tokenizer": d.tokenizer, "created_at": self.stamp})
            content_rows.append({"doc_id": d.id, "text": d.text,
                                 "tokens": R.pack_pairs(_or_empty(d.tokens)),
                                 "sentences": R.pack_pairs(_or_empty(d.sentences))})
            self.position += 1
            for table, table_rows in rows.items():
                pending.setdefault(table, []).extend(table_rows)
            result.spans += len(rows["spans"])
            result.events += len(rows["events"])
            result.relations += len(rows["relations"])
            result.added.append(name)
        self.store.insert_documents(doc_rows, content_rows)
        for table in ("doc_status", "spans", "events", "event_args", "relations"):
            self.store.insert_rows(table, pending.get(table, []))


def _claimed_ids(d: DocumentInput) -> Iterator[tuple[str, str, str]]:
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


def _or_empty(pairs: Any) -> Any:
    return [] if pairs is None else pairs


def _unique_name(base: str, taken: set[str]) -> str:
    base = base.strip() or "document"
    if base not in taken:
        return base
    i = 2
    while f"{base}-{i}" in taken:
        i += 1
    return f"{base}-{i}"


def _check_span_fields(span: Span, length: int) -> None:
    if not isinstance(span.start, int) or not isinstance(span.end, int):
        raise ValidationError(f"span offsets must be integers, got {span.start!r}, {span.end!r}")
    if not 0 <= span.start < span.end <= length:
        raise ValidationError(f"span [{span.start}:{span.end}] is outside the document "
                              f"(length {length}) or empty")
    if not span.label:
        raise ValidationError("a span needs a label")
    if span.kind not in SPAN_KINDS:
        raise ValidationError(f"span kind must be one of {SPAN_KINDS}, got {span.kind!r}")
    if span.status not in SPAN_STATUSES:
        raise ValidationError(f"span status must be one of {SPAN_STATUSES}, got {span.status!r}")
    if span.origin not in SPAN_ORIGINS:
        raise ValidationError(f"span origin must be one of {SPAN_ORIGINS}, got {span.origin!r}")


def _fill_provenance(obj: Span | Event | Relation, annotator: str, stamp: str, *,
                     force: bool = False) -> None:
    if force or not obj.created_by:
        obj.created_by = annotator
    if force or not obj.created_at:
        obj.created_at = stamp
    if force or not obj.modified_by:
        obj.modified_by = annotator
    if force or not obj.modified_at:
        obj.modified_at = stamp
