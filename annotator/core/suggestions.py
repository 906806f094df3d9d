"""Suggestions in the Project API (a mixin of ``Project``): what a source proposes, writing
it into a document, accepting and rejecting, bulk and per sentence or document, listing the
open suggestions in text order, and counting them apart from gold.

Suggestions are ordinary annotations with status ``suggested`` in the current annotation
set, named by their ``source``; producing them (spaCy pipelines, patterns, the gold
dictionary) lives in ``annotator.nlp``, which hands a ``Batch`` per document to
``put_suggestions``. Every operation here is one transaction and one undo step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from annotator.core.changes import Changes
from annotator.core.model import Annotations, Event, Relation, Span
from annotator.core.ops.suggest_status import SuggestionStatus
from annotator.core.ops.suggest_write import PutReport, SuggestionWriter
from annotator.core.project_host import ProjectHost
from annotator.store import suggestion_rows as Q

if TYPE_CHECKING:
    from annotator.core.project import Project

SpanKey = tuple[int, int, str]  # (start, end, label): a span of the document, gold or new

__all__ = ["ArgumentSuggestion", "Batch", "EventSuggestion", "PutReport", "RelationSuggestion",
           "SpanKey", "SpanSuggestion", "Suggestion", "SuggestionAPI", "gold_only", "shown",
           "status_note", "without_rejected"]


@dataclass(frozen=True, slots=True)
class SpanSuggestion:
    start: int
    end: int
    label: str
    score: float | None = None


@dataclass(frozen=True, slots=True)
class EventSuggestion:
    """A trigger word and its event type (the trigger span is made with it)."""

    start: int
    end: int
    type: str
    score: float | None = None


@dataclass(frozen=True, slots=True)
class RelationSuggestion:
    type: str
    head: SpanKey
    tail: SpanKey
    score: float | None = None


@dataclass(frozen=True, slots=True)
class ArgumentSuggestion:
    """``filler`` (a span, gold or suggested in the same batch) for ``role`` of an event."""

    event_id: str
    role: str
    filler: SpanKey
    score: float | None = None


@dataclass
class Batch:
    """What one source proposes for one document."""

    spans: list[SpanSuggestion] = field(default_factory=list)
    events: list[EventSuggestion] = field(default_factory=list)
    relations: list[RelationSuggestion] = field(default_factory=list)
    arguments: list[ArgumentSuggestion] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.spans) + len(self.events) + len(self.relations) + len(self.arguments)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An open suggestion as the views list it: its kind (span, event, relation,
    argument), id, where it is in the text, its label and source, and its score."""

    kind: str
    id: str
    doc_id: str
    start: int
    end: int
    label: str
    source: str
    score: float | None


def gold_only(ann: Annotations) -> Annotations:
    """The gold part of a set: what ``check`` validates and ``stats`` counts."""
    spans = [s for s in ann.spans if s.status == "gold"]
    ids = {s.id for s in spans}
    events = [replace(e, arguments=[a for a in e.arguments if a.status == "gold"])
              for e in ann.events if e.status == "gold" and e.trigger_id in ids]
    relations = [r for r in ann.relations if r.status == "gold"
                 and r.head_id in ids and r.tail_id in ids]
    return replace(ann, spans=spans, events=events, relations=relations)


def without_rejected(ann: Annotations) -> Annotations:
    """What a view shows: everything but rejected suggestions (and what hangs on them)."""
    spans = [s for s in ann.spans if s.status != "rejected"]
    ids = {s.id for s in spans}
    events = [e for e in (shown(e) for e in ann.events) if e is not None and e.trigger_id in ids]
    fillers = ids | {e.id for e in events}
    events = [replace(e, arguments=[a for a in e.arguments if a.filler_id in fillers])
              for e in events]
    relations = [r for r in ann.relations if r.status != "rejected"
                 and r.head_id in ids and r.tail_id in ids]
    return replace(ann, spans=spans, events=events, relations=relations)


_A = TypeVar("_A", Span, Event, Relation)


def shown(obj: _A) -> _A | None:
    """One annotation as a view shows it: None when rejected; an event without its
    rejected arguments."""
    if obj.status == "rejected":
        return None
    if isinstance(obj, Event) and any(a.status == "rejected" for a in obj.arguments):
        return replace(obj, arguments=[a for a in obj.arguments if a.status != "rejected"])
    return obj


def status_note(obj: Span | Event | Relation) -> str:
    """Words for a tooltip or the inspector: '' for gold, else the status, source, score."""
    if obj.status == "gold":
        return ""
    score = "" if obj.score is None else f", score {obj.score:.2f}"
    source = f" by {obj.source}" if obj.source else ""
    return f"{obj.status}{source}{score}"


class SuggestionAPI(ProjectHost):
    """Project API for suggestions (see the module docstring)."""

    def _project(self) -> Project:
        return self  # type: ignore[return-value]  # a mixin: self is always a Project

    # ---- writing --------------------------------------------------------------------------
    def put_suggestions(self, doc_id: str, source: str, batch: Batch, *,
                        origin: str = "model", replace: bool = True) -> PutReport:
        """Replace the open suggestions of ``source`` in one document by ``batch`` (gold,
        rejected and edited annotations stay and win; see ``core.ops.suggest_write``);
        ``replace`` False adds to them instead."""
        writer = SuggestionWriter(self._project(), self._store, self._record)
        with self.compound(f"Suggest ({source})"):
            return writer.put_suggestions(doc_id, source, origin, batch, replace)

    # ---- accepting and rejecting ----------------------------------------------------------
    def accept(self, ids: str | Iterable[str]) -> Changes:
        """Turn suggestions (spans, events, relations, arguments, by id) into gold, with what
        they need (a relation's ends, an argument's event and filler): one undo step."""
        return self._change_status(ids, accept=True)

    def reject(self, ids: str | Iterable[str]) -> Changes:
        """Mark suggestions rejected (with the suggestions hanging on them); the same source
        never proposes them again in that document. One undo step."""
        return self._change_status(ids, accept=False)

    def suggestion_scores(self, source: str) -> dict[str, tuple[float, float]]:
        """document id -> (lowest, mean) score of ``source``'s open span suggestions in the
        current set, for the documents where it gave scores (least confident first)."""
        return Q.score_summary(self._store, self._project().annotation_set, source)

    def _change_status(self, ids: str | Iterable[str], *, accept: bool) -> Changes:
        wanted = [ids] if isinstance(ids, str) else list(dict.fromkeys(ids))
        status = SuggestionStatus(self._project(), self._store, self._record)
        verb = "Accept" if accept else "Reject"
        label = f"{verb} {len(wanted)} suggestion{'' if len(wanted) == 1 else 's'}"
        with self.compound(label) as changes:
            for ident in wanted:
                (status.accept if accept else status.reject)(ident)
        return changes

    def accept_where(self, doc_ids: Iterable[str] | None = None, *, source: str | None = None,
                     min_score: float | None = None) -> Changes:
        """Accept every open suggestion of these documents (default: all) from ``source``
        (default: any) with a score of at least ``min_score`` (default: any, scored or not)."""
        return self._change_status(self._matching(doc_ids, source, min_score), accept=True)

    def reject_where(self, doc_ids: Iterable[str] | None = None, *, source: str | None = None,
                     min_score: float | None = None) -> Changes:
        """Reject every open suggestion matching the same filters as ``accept_where``."""
        return self._change_status(self._matching(doc_ids, source, min_score), accept=False)

    def _matching(self, doc_ids: Iterable[str] | None, source: str | None,
                  min_score: float | None) -> list[str]:
        docs = list(doc_ids) if doc_ids is not None else self.document_ids()
        return [ident for _, ident, _ in
                Q.open_suggestions(self._store, docs, self.annotation_set, source, min_score)]

    def accept_in_document(self, doc_id: str) -> Changes:
        """Accept every open suggestion of one document (one undo step)."""
        return self.accept([s.id for s in self.suggestions(doc_id)])

    def accept_in_sentence(self, doc_id: str, position: int) -> Changes:
        """Accept every open suggestion that starts in the sentence holding ``position``."""
        return self.accept(self._in_sentence(doc_id, position))

    def reject_in_sentence(self, doc_id: str, position: int) -> Changes:
        """Reject every open suggestion that starts in the sentence holding ``position``
        (one undo step)."""
        return self.reject(self._in_sentence(doc_id, position))

    def sentence_of(self, doc_id: str, position: int) -> tuple[int, int]:
        """(start, end) of the sentence holding ``position`` (the whole text if none)."""
        doc = self.document(doc_id)
        return next(((a, b) for a, b in doc.sentences if a <= position < b),
                    (0, len(doc.text)))

    def _in_sentence(self, doc_id: str, position: int) -> list[str]:
        start, end = self.sentence_of(doc_id, position)
        return [s.id for s in self.suggestions(doc_id) if start <= s.start < end]

    # ---- reading --------------------------------------------------------------------------
    def suggestions(self, doc_id: str) -> list[Suggestion]:
        """The open suggestions of one document in the current set, in text order."""
        ann = self.annotations(doc_id)
        spans = {s.id: s for s in ann.spans}
        out = [Suggestion("span", s.id, doc_id, s.start, s.end, s.label, s.source, s.score)
               for s in ann.spans if s.status == "suggested" and s.kind != "trigger"]
        for e in ann.events:
            t = spans[e.trigger_id]
            if e.status == "suggested" or t.status == "suggested":
                out.append(Suggestion("event", e.id, doc_id, t.start, t.end, e.type,
                                      e.source or t.source, e.score))
            for a in e.arguments:
                f = spans.get(a.filler_id)
                if a.status == "suggested" and f is not None:
                    out.append(Suggestion("argument", a.id, doc_id, f.start, f.end,
                                          f"{e.type}/{a.role}", a.source, a.score))
        for r in ann.relations:
            h, t = spans[r.head_id], spans[r.tail_id]
            if r.status == "suggested":
                out.append(Suggestion("relation", r.id, doc_id, min(h.start, t.start),
                                      max(h.end, t.end), r.type, r.source, r.score))
        return sorted(out, key=lambda s: (s.start, s.end, s.kind, s.id))

    def suggestion_counts(self) -> dict[str, dict[str, dict[str, int]]]:
        """annotation set -> spans/events/relations/arguments -> label -> open suggestions."""
        out: dict[str, dict[str, dict[str, int]]] = {}
        for table in Q.TABLES:
            for who, label, n in Q.counts_by_status(self._store, table, gold=False):
                out.setdefault(who, {}).setdefault(table, {})[label] = n
        if Q.has_suggestion_columns(self._store):
            for who, role, n in Q.suggested_argument_counts(self._store):
                out.setdefault(who, {}).setdefault("arguments", {})[role] = n
        return out

    def _gold_counts(self) -> list[list[tuple[str, str, int]]]:
        """(set, label or type, count) of the gold spans, events and relations (``stats``)."""
        return [Q.counts_by_status(self._store, table, gold=True) for table in Q.TABLES]

    def _accepting(self, table: str, ident: str, fields: dict[str, Any]) -> dict[str, Any]:
        """An edit of a suggestion's label or extent (type or ends of a relation) accepts
        it: ``fields`` with ``status`` gold added, unless the caller sets a status."""
        keys = {"spans": ("label", "start", "end"), "events": ("type",),
                "relations": ("type", "head_id", "tail_id")}[table]
        if "status" in fields or not any(k in fields for k in keys):
            return fields
        row = self._store.get_row(table, ident)
        if row is None or row["status"] != "suggested" or all(
                row[k] == fields[k] for k in keys if k in fields):
            return fields
        return {**fields, "status": "gold"}

