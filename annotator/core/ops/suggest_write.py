"""Writing a source's suggestions into one document: the earlier open suggestions of that
source are replaced, while gold, rejected and edited annotations stay and win.

``put_suggestions`` runs inside the caller's ``compound`` (one transaction, one undo step) and
reads the document's annotations *inside* it, so what the annotator did while a background
job was computing the suggestions is what they are checked against: a proposal is dropped
when the same source had it rejected in this document, when a span already covers the same
offsets (gold, or another source's suggestion), when a relation or argument already exists,
or when its label is not in the schema (counted, so the caller can report it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.core.model import Argument, Event, Relation, Span, new_id, now
from annotator.core.ops.common import EditOps
from annotator.errors import ValidationError
from annotator.store import rows as R
from annotator.store import suggestion_rows as Q

if TYPE_CHECKING:
    from annotator.core.suggestions import Batch, SpanKey

SCORE_DIGITS = 4  # scores are stored rounded (a model's float noise is not information)


@dataclass
class PutReport:
    """What one ``put_suggestions`` did in one document."""

    added: int = 0
    replaced: int = 0  # earlier open suggestions of the source removed
    kept_rejected: int = 0  # proposals the source had rejected here before
    kept_existing: int = 0  # proposals already there (gold or another source)
    unknown_labels: Counter[str] = field(default_factory=Counter)


class SuggestionWriter(EditOps):
    """``put_suggestions`` for one (document, source) at a time."""

    def put_suggestions(self, doc_id: str, source: str, origin: str, batch: Batch,
                        replace: bool = True) -> PutReport:
        """``replace`` False keeps the source's open suggestions (an incremental update
        adds only what is new; an identical proposal is already there)."""
        if not source:
            raise ValidationError("a suggestion needs the name of its source")
        rep = PutReport()
        who = self.project.annotation_set
        rep.replaced = self._drop_open(doc_id, who, source) if replace else 0
        self._doc_id, self._source, self._origin, self._rep = doc_id, source, origin, rep
        self._length = self.doc_length(doc_id)
        ann = self.project.annotations(doc_id, who)
        live = [s for s in ann.spans if s.status != "rejected"]
        self._covered = {(s.start, s.end) for s in live}
        self._by_key: dict[SpanKey, str] = {}
        for s in sorted(live, key=lambda s: s.status != "gold"):
            self._by_key.setdefault((s.start, s.end, s.label), s.id)
        self._rejected = self._rejected_keys(doc_id, who, source)
        for sp in batch.spans:
            self._add_span(sp.start, sp.end, sp.label, sp.score, kind=None)
        events_at = {(s.start, s.end): s for s in live if s.kind == "trigger"}
        typed = {(e.trigger_id, e.type) for e in ann.events if e.status != "rejected"}
        for ev in batch.events:
            self._add_event(ev.start, ev.end, ev.type, ev.score, events_at, typed)
        pairs = {(r.type, r.head_id, r.tail_id) for r in ann.relations if r.status != "rejected"}
        for rel in batch.relations:
            self._add_relation(rel.type, rel.head, rel.tail, rel.score, pairs)
        for arg in batch.arguments:
            self._add_argument(arg.event_id, arg.role, arg.filler, arg.score)
        return rep

    # ---- replacing the earlier open suggestions ------------------------------------------
    def _drop_open(self, doc_id: str, who: str, source: str) -> int:
        """Delete the open suggestions of ``source``; a suggested span someone built gold on
        (a relation, an argument, an event) stays, since that edit accepted it in effect."""
        n = 0
        for arg in Q.source_argument_rows(self.store, doc_id, who, source, "suggested"):
            self.record("event_args", arg, None, doc_id)
            n += 1
        for table in ("relations", "events", "spans"):
            for row in Q.source_rows(self.store, table, doc_id, who, source, "suggested"):
                if self.store.get_row(table, row["id"]) is None:
                    continue  # gone with a span or event deleted before it
                if table == "events":
                    n += self._drop_event(row)
                elif table == "spans":
                    n += self._drop_span(row)
                else:
                    self.record(table, row, None, doc_id)
                    n += 1
        return n

    def _drop_event(self, row: dict[str, Any]) -> int:
        args = self.store.argument_rows(row["id"]) + \
            self.store.arguments_filled_by_event(row["id"])
        if any(a.get("status", "gold") != "suggested" for a in args):
            return 0
        for a in args:
            self.record("event_args", a, None, row["doc_id"])
        self.record("events", row, None, row["doc_id"])
        return 1

    def _drop_span(self, row: dict[str, Any]) -> int:
        sid, doc_id = row["id"], row["doc_id"]
        hanging = ([("relations", r) for r in self.store.relations_touching(sid)]
                   + [("event_args", a) for a in self.store.arguments_filled_by_span(sid)]
                   + [("events", e) for e in self.store.events_triggered_by(sid)])
        if any(r.get("status", "gold") != "suggested" for _, r in hanging):
            return 0
        for table, r in hanging:
            if table == "events":
                if not self._drop_event(r):
                    return 0
            elif self.store.get_row(table, r["id"]) is not None:
                self.record(table, r, None, doc_id)
        self.record("spans", row, None, doc_id)
        return 1

    def _rejected_keys(self, doc_id: str, who: str, source: str) -> set[tuple[Any, ...]]:
        """What ``source`` was told no in this document, as comparable keys."""
        keys: set[tuple[Any, ...]] = set()
        spans: dict[str, SpanKey] = {}

        def key_of(span_id: str) -> SpanKey | None:
            if span_id not in spans:
                row = self.store.get_row("spans", span_id)
                if row is None:
                    return None
                spans[span_id] = (row["start"], row["end"], row["label"])
            return spans[span_id]

        for row in Q.source_rows(self.store, "spans", doc_id, who, source, "rejected"):
            keys.add(("span", row["start"], row["end"], row["label"]))
        for row in Q.source_rows(self.store, "events", doc_id, who, source, "rejected"):
            trig = key_of(row["trigger_id"])
            if trig:
                keys.add(("event", trig[0], trig[1], row["type"]))
        for row in Q.source_rows(self.store, "relations", doc_id, who, source, "rejected"):
            keys.add(("relation", row["type"], key_of(row["head_id"]), key_of(row["tail_id"])))
        for row in Q.source_argument_rows(self.store, doc_id, who, source, "rejected"):
            filler = key_of(row["span_id"]) if row["span_id"] else None
            keys.add(("argument", row["event_id"], row["role"], filler))
        return keys

    # ---- adding ---------------------------------------------------------------------------
    def _stamped(self, obj: Span | Event | Relation, score: float | None) -> None:
        stamp = now()
        obj.created_by = obj.modified_by = self.project.annotator
        obj.created_at = obj.modified_at = stamp
        obj.source = self._source
        obj.score = None if score is None else round(float(score), SCORE_DIGITS)

    def _add_span(self, start: int, end: int, label: str, score: float | None, *,
                  kind: str | None) -> str | None:
        rep = self._rep
        if ("span", start, end, label) in self._rejected:
            rep.kept_rejected += 1
            return None
        if (start, end) in self._covered:
            rep.kept_existing += 1
            return None
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end
                <= self._length):
            raise ValidationError(f"suggested span [{start}:{end}] is outside the document")
        try:
            kind = kind or self.kind_for(label)
        except ValidationError:
            rep.unknown_labels[label] += 1
            return None
        span = Span(id=new_id(), doc_id=self._doc_id, start=start, end=end, label=label,
                    kind=kind, status="suggested", origin=self._origin,
                    annotator=self.project.annotation_set)
        self._stamped(span, score)
        self.record("spans", None, R.span_to_row(span), self._doc_id)
        self._covered.add((start, end))
        self._by_key[(start, end, label)] = span.id
        rep.added += 1
        return span.id

    def _add_event(self, start: int, end: int, type: str, score: float | None,
                   triggers: dict[tuple[int, int], Span], typed: set[tuple[str, str]]) -> None:
        rep = self._rep
        schema = self.project.schema
        if schema.event_types and schema.event_type(type) is None:
            rep.unknown_labels[type] += 1
            return
        if ("event", start, end, type) in self._rejected:
            rep.kept_rejected += 1
            return
        trigger = triggers.get((start, end))
        if trigger is not None and trigger.label == type and (trigger.id, type) not in typed:
            trigger_id: str | None = trigger.id  # a gold trigger without its event
        elif (start, end) in self._covered:
            rep.kept_existing += 1
            return
        else:
            trigger_id = self._add_span(start, end, type, score, kind="trigger")
            if trigger_id is None:
                return
            rep.added -= 1  # the trigger and its event count as one suggestion
        assert trigger_id is not None
        ev = Event(id=new_id(), doc_id=self._doc_id, type=type, trigger_id=trigger_id,
                   status="suggested", origin=self._origin,
                   annotator=self.project.annotation_set)
        self._stamped(ev, score)
        self.record("events", None, R.event_to_row(ev), self._doc_id)
        typed.add((trigger_id, type))
        rep.added += 1

    def _add_relation(self, type: str, head: SpanKey, tail: SpanKey, score: float | None,
                      pairs: set[tuple[str, str, str]]) -> None:
        rep = self._rep
        schema = self.project.schema
        if schema.relation_types and not schema.relation_types_named(type):
            rep.unknown_labels[type] += 1
            return
        if ("relation", type, head, tail) in self._rejected:
            rep.kept_rejected += 1
            return
        head_id, tail_id = self._by_key.get(head), self._by_key.get(tail)
        if head_id is None or tail_id is None or head_id == tail_id:
            return  # an end is not (or no longer) there
        if schema.is_symmetric(type) and (tail[0], tail[1]) < (head[0], head[1]):
            head_id, tail_id = tail_id, head_id
        if (type, head_id, tail_id) in pairs or (
                schema.is_symmetric(type) and (type, tail_id, head_id) in pairs):
            rep.kept_existing += 1
            return
        rel = Relation(id=new_id(), doc_id=self._doc_id, type=type, head_id=head_id,
                       tail_id=tail_id, status="suggested", origin=self._origin,
                       annotator=self.project.annotation_set)
        self._stamped(rel, score)
        self.record("relations", None, R.relation_to_row(rel), self._doc_id)
        pairs.add((type, head_id, tail_id))
        rep.added += 1

    def _add_argument(self, event_id: str, role: str, filler: SpanKey,
                      score: float | None) -> None:
        rep = self._rep
        ev = self.store.get_row("events", event_id)
        filler_id = self._by_key.get(filler)
        if ev is None or ev["status"] == "rejected" or filler_id is None \
                or ev["doc_id"] != self._doc_id:
            return
        if ("argument", event_id, role, filler) in self._rejected:
            rep.kept_rejected += 1
            return
        existing = [a for a in self.store.argument_rows(event_id)
                    if a.get("status", "gold") != "rejected"]
        et = self.project.schema.event_type(ev["type"])
        definition = et.role(role) if et is not None else None
        if et is not None and definition is None:
            rep.unknown_labels[f"{ev['type']}/{role}"] += 1
            return
        in_role = [a for a in existing if a["role"] == role]
        most = definition.bounds[1] if definition is not None else None
        if any(a["span_id"] == filler_id for a in in_role) or (
                most is not None and len(in_role) >= most):
            rep.kept_existing += 1
            return
        arg = Argument(id=new_id(), event_id=event_id, role=role, filler_id=filler_id,
                       position=len(existing), status="suggested", origin=self._origin,
                       source=self._source,
                       score=None if score is None else round(float(score), SCORE_DIGITS))
        self.record("event_args", None, R.argument_to_row(arg), self._doc_id)
        rep.added += 1
