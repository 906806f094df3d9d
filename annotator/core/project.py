"""The Project facade: every read and every edit of a project goes through here.

Each edit runs in one SQLite transaction, is recorded for undo (row before/after images), and
returns what it created or a ``Changes`` describing what to repaint. Listeners registered with
``subscribe`` receive the same ``Changes`` after every committed edit, undo and redo.

The facade owns the transaction, the undo history, the listeners, the schema cache and the
reads. The edits live in ``annotator.core.ops`` (spans, events and arguments, relations,
statuses), each module given the project, its store and its recorder, and the bulk import in
``annotator.core.importing``; the edit methods here are one-line calls into them, so this class
stays the one place that lists what a project can do.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from annotator.core.bulk_suggest import BulkSuggestAPI
from annotator.core.changes import Changes, mark
from annotator.core.importing import Tokenizer, TokenizerProvider, import_documents
from annotator.core.inputs import DocumentInput, ImportReport
from annotator.core.merge import SetDiff, SetRows, TeamAPI, replace_sets, stored_rows
from annotator.core.model import (
    Annotations,
    Argument,
    Document,
    DocumentSummary,
    Event,
    Relation,
    Span,
    new_id,
)
from annotator.core.offsets import TokenIndex
from annotator.core.ops import ChainOps, FragmentOps
from annotator.core.ops.events import EVENT_FIELDS, EventOps
from annotator.core.ops.relations import RELATION_FIELDS, RelationOps
from annotator.core.ops.spans import SPAN_FIELDS, SpanOps
from annotator.core.ops.statuses import StatusOps
from annotator.core.progress import ProgressFn
from annotator.core.replay import Replay
from annotator.core.reports import ReportsAPI
from annotator.core.revision import RevisionAPI
from annotator.core.schema import Schema, load_schema
from annotator.core.suggestions import SuggestionAPI
from annotator.core.undo import History, RowChange, Step
from annotator.errors import NotFoundError, ProjectError, ValidationError
from annotator.store import Store
from annotator.store import rows as R

__all__ = ["DEFAULT_ANNOTATOR", "EVENT_FIELDS", "RELATION_FIELDS", "SPAN_FIELDS",
           "DocumentInput", "ImportReport", "Listener", "Project"]

Listener = Callable[[Changes], None]
DEFAULT_ANNOTATOR = "annotator"


class Project(ChainOps, FragmentOps, ReportsAPI, SuggestionAPI, BulkSuggestAPI, TeamAPI,
              RevisionAPI):
    """An open project file. Create with ``create_project`` / ``open_project``.

    ``tokenizers`` gives the tokenizer of a language for imports (``annotator.open_project``
    and ``create_project`` pass spaCy's); a Project built without one refuses to import."""

    def __init__(self, store: Store, annotator: str = DEFAULT_ANNOTATOR, *,
                 tokenizers: TokenizerProvider | None = None) -> None:
        self._store = store
        self._tokenizers = tokenizers
        self.annotator = annotator or DEFAULT_ANNOTATOR  # who edits (recorded on every change)
        self._set = ""  # which annotation set new annotations go to; "" = the annotator's own
        self._history = History()
        self._step: Step | None = None
        self._pending = Changes()
        self._listeners: list[Listener] = []
        self._schema: Schema | None = None
        self._token_cache: dict[str, TokenIndex] = {}
        self._spans = SpanOps(self, store, self._record)
        self._events = EventOps(self, store, self._record)
        self._spans.events = self._events
        self._relations = RelationOps(self, store, self._record)
        self._statuses = StatusOps(self, store, self._record)

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
    def read_only(self) -> bool:
        """True when edits are refused: asked for, a read-only file or folder, or another
        process writing it; ``read_only_reason`` says which, in words for a user."""
        return self._store.readonly

    readonly = read_only  # the shorter name older callers use

    @property
    def read_only_reason(self) -> str | None:
        return self._store.readonly_reason

    @property
    def verified(self) -> bool | None:
        """The integrity check of a project opened with ``verify="background"``: True sound,
        False damaged (every write is refused), None still running."""
        return self._store.verified

    @property
    def damage(self) -> str | None:
        """Why writes are refused when the background check found damage (None: it did not)."""
        return self._store.damage

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
        copy = Project(self._store.sibling(), self.annotator, tokenizers=self._tokenizers)
        copy.annotation_set = self._set
        return copy

    def close(self) -> None:
        self._history.clear()
        self._store.close()

    @contextmanager
    def snapshot(self) -> Iterator[Project]:
        """Every read inside sees one consistent state of the project (one read transaction):
        edits that other processes commit meanwhile are seen after the block. Wrap an export,
        a check or statistics in it; edits inside it are refused."""
        with self._store.snapshot():
            yield self

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
            step, done = self._step, len(self._step.changes)
            try:
                with self._store.transaction():
                    yield self._pending
            except BaseException:
                del step.changes[done:]
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
        """Write the step's images back in one transaction (``core.replay``: over what other
        connections wrote meanwhile, such as the live dictionary's proposals on its spans)."""
        try:
            with self._store.transaction():
                changes = Replay(self._store, step, undo=undo).run()
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
        """Replace the schema; refused when annotations would use labels it lacks (unless
        force). ``schema`` is a Schema, a built-in name or a ``.toml`` file (a brat
        ``annotation.conf`` is loaded by ``annotator.formats.schema_sources`` first)."""
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
        schema = self.schema.renamed(old, new)
        with self.compound(f"Rename {old} to {new}") as changes:
            self._put_schema(schema)
            stamp = self._spans.stamp()
            for table, column in (("spans", "label"), ("events", "type"), ("relations", "type"),
                                  ("chains", "type")):
                for row in self._store.rename_label(table, column, old, new):
                    after = {**row, column: new, **stamp}
                    self._record(table, row, after, row["doc_id"])
        return changes

    def rename_role(self, event_type: str, old: str, new: str) -> Changes:
        """Rename one role of an event type, in the schema and in every argument."""
        schema = self.schema.with_role_renamed(event_type, old, new)
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
        added; without it the first bad document aborts the whole import. Documents without
        tokens are tokenised by the tokenizer of the project's language.
        """
        result = import_documents(self._store, self._tokenizer(), self.lang, inputs,
                                  progress=progress, total=total, batch_size=batch_size,
                                  on_bad=on_bad)
        if result.added:
            self._notify(Changes(label="Import", documents=set(result.added)))
        return result

    def _tokenizer(self) -> Tokenizer:
        if self._tokenizers is None:
            raise ProjectError(
                f"{self.path}: this Project was built without a tokenizer, so it cannot import "
                "documents; open it with annotator.open_project or annotator.create_project, "
                "or pass tokenizers=annotator.nlp.tokenize.get_tokenizer to Project")
        return self._tokenizers(self.lang)

    # ---- statuses ------------------------------------------------------------------------
    def status(self, doc_id: str, annotator: str | None = None) -> str:
        row = self._store.status_row(doc_id, annotator or self.annotation_set)
        return row["status"] if row else "new"

    def statuses(self, doc_id: str) -> dict[str, str]:
        return {r["annotator"]: r["status"] for r in self._store.status_rows(doc_id)}

    def set_status(self, doc_id: str, status: str) -> Changes:
        return self._statuses.set_status(doc_id, status)

    # ---- work packages and merge (annotator.team) --------------------------------------
    def identity(self) -> str:
        """This project's id, made and stored on first use: a work package names the project
        it belongs to, so it can be merged back only into that project."""
        value = self._store.get_meta("project_id")
        if value is None:
            value = new_id()
            with self._store.transaction():
                self._store.set_meta("project_id", value)
        return value

    def meta_value(self, key: str) -> str | None:
        """A value of the project's metadata table (``project_id``, ``package_of`` ...)."""
        return self._store.get_meta(key)

    def set_meta_value(self, key: str, value: str) -> None:
        """Store a metadata value (not an undo step)."""
        with self._store.transaction():
            self._store.set_meta(key, value)

    def annotation_rows(self, doc_id: str, annotator: str) -> SetRows:
        """One set of one document as stored rows, table by table (what a merge copies)."""
        return stored_rows(self._store, doc_id, annotator)

    def replace_annotation_sets(self, items: Iterable[tuple[str, str, Annotations | SetRows,
                                                          str | None]]) -> list[SetDiff]:
        """For each (document id, annotator, annotations or their rows, status): make that set
        of that document exactly these annotations, all in one transaction (a merge: not an
        undo step, and the undo history is cleared since it may name replaced rows)."""
        with self._store.transaction():
            diffs, changed = replace_sets(self._store, items)
        self._history.clear()
        if changed:
            self._notify(Changes(label="Merge", doc_ids=changed))
        return diffs

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
        return Annotations(spans, events, relations, self.chains(doc_id, who))

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

    # ---- span edits (annotator.core.ops.spans) ------------------------------------------
    def add_span(self, doc_id: str, start: int, end: int, label: str, *, kind: str | None = None,
                 attrs: dict[str, Any] | None = None, note: str = "", kb_id: str = "",
                 status: str = "gold", origin: str = "manual", id: str | None = None) -> Span:
        return self._spans.add_span(doc_id, start, end, label, kind=kind, attrs=attrs,
                                    note=note, kb_id=kb_id, status=status, origin=origin, id=id)

    def update_span(self, span_id: str, **fields: Any) -> Span:
        """Change span fields; a trigger's events follow its new label. A trigger with events
        cannot become an entity or value span: change or delete the events first."""
        return self._spans.update_span(span_id, self._accepting("spans", span_id, fields))

    def delete_span(self, span_id: str) -> Changes:
        """Delete a span with every relation, argument and event (if it is a trigger) on it."""
        return self._spans.delete_span(span_id)

    def label_occurrences(self, span_id: str, doc_ids: Iterable[str] | None = None) -> Changes:
        """Label every unlabelled occurrence (whole words) of the span's text in ``doc_ids``
        (default: the span's own document) like the span, as one undo step; the new spans'
        ids are in the returned ``Changes.spans``."""
        return self._spans.label_occurrences(span_id, doc_ids)

    # ---- event edits (annotator.core.ops.events) -----------------------------------------
    def add_event(self, type: str, trigger_id: str, *, attrs: dict[str, Any] | None = None,
                  arguments: Iterable[tuple[str, str]] = (), note: str = "",
                  status: str = "gold", origin: str = "manual", id: str | None = None) -> Event:
        """Create an event on an existing trigger span; ``arguments`` are (role, filler id).
        Only the given ``attrs`` are stored (defaults: ``Schema.effective_attrs``)."""
        return self._events.add_event(type, trigger_id, attrs=attrs, arguments=arguments,
                                      note=note, status=status, origin=origin, id=id)

    def add_trigger_event(self, doc_id: str, start: int, end: int, type: str, *,
                          attrs: dict[str, Any] | None = None,
                          arguments: Iterable[tuple[str, str]] = ()) -> Event:
        """Create the trigger span and its event in one undo step."""
        return self._events.add_trigger_event(doc_id, start, end, type, attrs=attrs,
                                              arguments=arguments)

    def update_event(self, event_id: str, **fields: Any) -> Event:
        return self._events.update_event(event_id, self._accepting("events", event_id, fields))

    def delete_event(self, event_id: str) -> Changes:
        """Delete an event, its arguments and arguments that point at it (trigger span stays)."""
        return self._events.delete_event(event_id)

    def add_argument(self, event_id: str, role: str, filler_id: str) -> Argument:
        """Fill a role; refused for a filler already in that role or a role already full."""
        return self._events.add_argument(event_id, role, filler_id)

    def remove_argument(self, argument_id: str) -> Changes:
        return self._events.remove_argument(argument_id)

    # ---- relation edits (annotator.core.ops.relations) -----------------------------------
    def add_relation(self, type: str, head_id: str, tail_id: str, *,
                     attrs: dict[str, Any] | None = None, note: str = "", status: str = "gold",
                     origin: str = "manual", id: str | None = None) -> Relation:
        return self._relations.add_relation(type, head_id, tail_id, attrs=attrs, note=note,
                                            status=status, origin=origin, id=id)

    def update_relation(self, relation_id: str, **fields: Any) -> Relation:
        return self._relations.update_relation(
            relation_id, self._accepting("relations", relation_id, fields))

    def reverse_relation(self, relation_id: str) -> Relation:
        return self._relations.reverse_relation(relation_id)

    def delete_relation(self, relation_id: str) -> Changes:
        return self._relations.delete_relation(relation_id)

    # ---- reads added for the views -------------------------------------------------------
    def document_summary(self, doc_id: str) -> DocumentSummary:
        """The ``documents()`` row of one document in the current annotation set (one query:
        a document list updates that row after an edit instead of re-listing every one)."""
        row = self._store.document_summary(doc_id, self.annotation_set)
        if row is None:
            raise NotFoundError(f"no document with id {doc_id}")
        return DocumentSummary(**row)

    def documents_uncounted(self) -> list[DocumentSummary]:
        """``documents()`` with ``annotation_count`` -1 (not counted): a window lists a large
        project at once and fills the counts in from ``documents()`` in the background."""
        return [DocumentSummary(**r)
                for r in self._store.list_documents_uncounted(self.annotation_set)]
