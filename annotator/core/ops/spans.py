"""Span edits: add, change (label, offsets, fragments, references, fields), delete with what
hangs on the span (relations, arguments, events it triggers, its place in chains), and label
every other occurrence of a span's text in one undo step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from annotator.core.changes import Changes
from annotator.core.model import Reference, Span, new_id, now
from annotator.core.offsets import find_all
from annotator.core.ops.chains import drop_mention
from annotator.core.ops.common import (
    EditOps,
    check_span_fields,
    fill_provenance,
    require_known_fields,
)
from annotator.core.ops.fragments import as_pairs, refit
from annotator.errors import ValidationError
from annotator.store import rows as R

if TYPE_CHECKING:
    from annotator.core.ops.events import EventOps

SPAN_FIELDS = ("start", "end", "label", "kind", "attrs", "note", "kb_id", "status", "origin",
               "fragments", "refs")


class SpanOps(EditOps):
    events: EventOps  # set by the Project: deleting a trigger deletes its events

    def add_span(self, doc_id: str, start: int, end: int, label: str, *, kind: str | None,
                 attrs: dict[str, Any] | None, note: str, kb_id: str, status: str, origin: str,
                 id: str | None, fragments: list[tuple[int, int]] | None = None,
                 refs: list[Reference] | None = None) -> Span:
        length = self.doc_length(doc_id)
        kind = kind or self.kind_for(label)
        self.require_new_id("spans", id)
        project = self.project
        span = Span(id=id or new_id(), doc_id=doc_id, start=start, end=end, label=label,
                    kind=kind, attrs=dict(attrs or {}), note=note, kb_id=kb_id, status=status,
                    origin=origin, annotator=project.annotation_set,
                    fragments=list(fragments or []), refs=list(refs or []))
        check_span_fields(span, length)
        fill_provenance(span, project.annotator, now(), force=True)
        with project.compound(f"Add {label}"):
            self.record("spans", None, R.span_to_row(span), doc_id)
        return span

    def update_span(self, span_id: str, fields: dict[str, Any]) -> Span:
        """Change span fields; a trigger's events follow its new label. A trigger with events
        cannot become an entity or value span (change or delete the events first)."""
        require_known_fields(fields, SPAN_FIELDS, "span")
        old = self.project.span(span_id)
        if "label" in fields and "kind" not in fields:
            fields["kind"] = self.kind_for(fields["label"])
        new = replace(old, **{**fields, "attrs": dict(fields.get("attrs", old.attrs))})
        if "fragments" not in fields and (new.start, new.end) != (old.start, old.end):
            new.fragments = refit(old.fragments, new.start, new.end)  # a resize keeps the gaps
        new.fragments = as_pairs(new.fragments)
        check_span_fields(new, self.doc_length(old.doc_id))
        if new.label != old.label and "label" in fields:
            self.kind_for(new.label)
        relabelled = new.label != old.label
        follow = old.kind == "trigger" or (relabelled and new.kind == "trigger")
        events = self.store.events_triggered_by(span_id) if follow else []
        if events and new.kind != "trigger":
            raise ValidationError(
                f"this {old.label} span triggers {len(events)} event(s), so it cannot become "
                f"{new.label!r}: change the event type, or delete the event first")
        new.modified_by, new.modified_at = self.project.annotator, now()
        what = "Relabel" if relabelled else (
            "Resize" if new.parts != old.parts else "Edit")
        with self.project.compound(f"{what} {new.label}"):
            self.record("spans", R.span_to_row(old), R.span_to_row(new), old.doc_id)
            if relabelled:
                # An event's type follows its trigger's label.
                for row in events:
                    self.record("events", row, {**row, "type": new.label, **self.stamp()},
                                row["doc_id"])
        return new

    def delete_span(self, span_id: str) -> Changes:
        """Delete a span with every relation, argument and event (if it is a trigger) on it."""
        old = self.project.span(span_id)
        with self.project.compound(f"Delete {old.label}") as changes:
            for row in self.store.relations_touching(span_id):
                self.record("relations", row, None, row["doc_id"])
            for row in self.store.arguments_filled_by_span(span_id):
                self.record("event_args", row, None, old.doc_id)
            for row in self.store.events_triggered_by(span_id):
                self.events.delete_event_rows(row["id"])
            for row in self.store.chains_with_mention(span_id):
                drop_mention(self.record, row, span_id, self.stamp())
            self.record("spans", R.span_to_row(old), None, old.doc_id)
        return changes

    def label_occurrences(self, span_id: str, doc_ids: Iterable[str] | None) -> Changes:
        """Give every occurrence of the span's text (whole words, as ``find_all``) in
        ``doc_ids`` (default: the span's document) that has no span of the same label at the
        same offsets in the current annotation set a copy of the span: same label, kind,
        attributes and KB id. One transaction and one undo step (none when every occurrence
        is labelled already); the new spans' ids are in ``changes.spans``."""
        project = self.project
        s = project.span(span_id)
        needle = project.document(s.doc_id).text[s.start:s.end]
        label = f"Label all {needle!r} as {s.label}"
        todo = [(doc_id, start, end)
                for doc_id in ([s.doc_id] if doc_ids is None else dict.fromkeys(doc_ids))
                for start, end in self._unlabelled(doc_id, needle, s.label)]
        if not todo:
            return Changes(label=label)
        with project.compound(label) as changes:
            for doc_id, start, end in todo:
                self.add_span(doc_id, start, end, s.label, kind=s.kind, attrs=dict(s.attrs),
                              note="", kb_id=s.kb_id, status="gold", origin="manual", id=None)
        return changes

    def _unlabelled(self, doc_id: str, needle: str, label: str) -> list[tuple[int, int]]:
        """Where ``needle`` occurs in a document without a ``label`` span on exactly it."""
        have = {(x.start, x.end) for x in self.project.spans(doc_id) if x.label == label}
        return [hit for hit in find_all(self.project.document(doc_id).text, needle)
                if hit not in have]
