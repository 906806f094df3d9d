"""Relation edits: add, change, reverse and delete a relation between two spans of one
document and annotation set (a symmetric type keeps its ends in text order)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from annotator.core.changes import Changes
from annotator.core.model import Relation, Span, new_id, now
from annotator.core.ops.common import (
    EditOps,
    fill_provenance,
    require_known_fields,
    require_same_doc,
    require_same_set,
)
from annotator.errors import ValidationError
from annotator.store import rows as R

RELATION_FIELDS = ("type", "head_id", "tail_id", "attrs", "note", "status", "origin")


def _text_order(head: Span, tail: Span) -> tuple[Span, Span]:
    """The two ends of a symmetric relation, the one earlier in the text first."""
    if (tail.start, tail.end, tail.id) < (head.start, head.end, head.id):
        return tail, head
    return head, tail


class RelationOps(EditOps):
    def _require_type(self, type: str) -> None:
        schema = self.project.schema
        if schema.relation_types and not schema.relation_types_named(type):
            raise ValidationError(f"relation type {type!r} is not in the schema")

    def add_relation(self, type: str, head_id: str, tail_id: str, *,
                     attrs: dict[str, Any] | None, note: str, status: str, origin: str,
                     id: str | None) -> Relation:
        project = self.project
        self._require_type(type)
        head, tail = project.span(head_id), project.span(tail_id)
        if head.doc_id != tail.doc_id:
            raise ValidationError("a relation must join two spans of the same document")
        require_same_set(tail.annotator, head.annotator, "a relation argument")
        if project.schema.is_symmetric(type):
            head, tail = _text_order(head, tail)
        self.require_new_id("relations", id)
        rel = Relation(id=id or new_id(), doc_id=head.doc_id, type=type, head_id=head.id,
                       tail_id=tail.id, attrs=dict(attrs or {}), note=note, status=status,
                       origin=origin, annotator=head.annotator)
        fill_provenance(rel, project.annotator, now(), force=True)
        with project.compound(f"Add relation {type}"):
            self.record("relations", None, R.relation_to_row(rel), rel.doc_id)
        return rel

    def update_relation(self, relation_id: str, fields: dict[str, Any]) -> Relation:
        require_known_fields(fields, RELATION_FIELDS, "relation")
        project = self.project
        old = project.relation(relation_id)
        new = replace(old, **{**fields, "attrs": dict(fields.get("attrs", old.attrs))})
        if new.type != old.type:
            self._require_type(new.type)
        head, tail = project.span(new.head_id), project.span(new.tail_id)
        for end in (head, tail):
            require_same_doc(end.doc_id, old.doc_id, "a relation argument")
            require_same_set(end.annotator, old.annotator, "a relation argument")
        if project.schema.is_symmetric(new.type):
            head, tail = _text_order(head, tail)
            new.head_id, new.tail_id = head.id, tail.id
        new.modified_by, new.modified_at = project.annotator, now()
        with project.compound(f"Edit relation {new.type}"):
            self.record("relations", R.relation_to_row(old), R.relation_to_row(new), old.doc_id)
        return new

    def reverse_relation(self, relation_id: str) -> Relation:
        old = self.project.relation(relation_id)
        if self.project.schema.is_symmetric(old.type):
            return old
        return self.update_relation(relation_id, {"head_id": old.tail_id, "tail_id": old.head_id})

    def delete_relation(self, relation_id: str) -> Changes:
        old = self.project.relation(relation_id)
        with self.project.compound(f"Delete relation {old.type}") as changes:
            self.record("relations", R.relation_to_row(old), None, old.doc_id)
        return changes
