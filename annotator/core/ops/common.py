"""What every edit module shares: the ``EditOps`` base (the project, its store and recorder)
and the field checks and provenance stamps that edits and imports both apply."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from annotator.core.document_checks import check_id
from annotator.core.model import (
    SPAN_KINDS,
    SPAN_ORIGINS,
    SPAN_STATUSES,
    Chain,
    Event,
    Relation,
    Span,
    now,
)
from annotator.core.ops.fragments import check_fragments, check_refs
from annotator.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.store import Store

# record(table, before, after, doc_id): write one row change and remember it for undo
Record = Callable[[str, "dict[str, Any] | None", "dict[str, Any] | None", str], None]


class EditOps:
    """The base of an edit module: reads go through the project (or the store for raw rows),
    writes through ``record`` inside ``project.compound``."""

    def __init__(self, project: Project, store: Store, record: Record) -> None:
        self.project, self.store, self.record = project, store, record

    def stamp(self) -> dict[str, str]:
        """The modified-by/-at fields of a row the current annotator changes now."""
        return {"modified_by": self.project.annotator, "modified_at": now()}

    def require_new_id(self, table: str, id: str | None) -> None:
        """A caller-chosen id must not name an existing row (it would be overwritten, and
        undoing the add would then delete the original), and follows the one id rule that
        import applies too (``core.document_checks.check_id``)."""
        if id is not None:
            check_id(table.rstrip("s"), id)
        if id and self.store.get_row(table, id) is not None:
            raise ValidationError(f"id {id} is already used by another annotation")

    def doc_length(self, doc_id: str) -> int:
        length = self.store.list_document_length(doc_id)
        if length is None:
            raise NotFoundError(f"no document with id {doc_id}")
        return length

    def kind_for(self, label: str) -> str:
        """The span kind of ``label`` (entity, value, trigger); any label is an entity when
        the schema declares no span types at all."""
        schema = self.project.schema
        kind = schema.span_kind_of(label)
        if kind is None:
            if not (schema.entity_types or schema.value_types or schema.event_types):
                return "entity"
            raise ValidationError(f"label {label!r} is not in the schema "
                                  f"({schema.name}); known: {', '.join(schema.span_labels())}")
        return kind


def require_known_fields(fields: dict[str, Any], allowed: tuple[str, ...] | frozenset[str],
                         what: str) -> None:
    """``update_span``/``update_event``/``update_relation`` refuse fields they cannot change."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(f"cannot change {what} field(s) {sorted(unknown)}")


def require_same_doc(doc_id: str, expected: str, what: str) -> None:
    if doc_id != expected:
        raise ValidationError(f"{what} must be in the same document as the annotation "
                              "it belongs to")


def require_same_set(annotator: str, expected: str, what: str) -> None:
    if annotator != expected:
        raise ValidationError(f"{what} must be in the same annotation set ({expected}) as "
                              f"the annotation it belongs to, not in {annotator}'s")


def check_span_fields(span: Span, length: int) -> None:
    """Offsets inside the document and non-empty, a label, and known kind/status/origin."""
    if not isinstance(span.start, int) or not isinstance(span.end, int):
        raise ValidationError(f"span offsets must be integers, got {span.start!r}, {span.end!r}")
    if not 0 <= span.start < span.end <= length:
        raise ValidationError(f"span [{span.start}:{span.end}] is outside the document "
                              f"(length {length}) or empty")
    if not span.label or not isinstance(span.label, str):
        raise ValidationError(f"a span needs a label (text), got {span.label!r}")
    for name in ("note", "kb_id"):
        if not isinstance(getattr(span, name), str):
            raise ValidationError(f"span {name} must be text, got {getattr(span, name)!r}")
    if not isinstance(span.attrs, dict):
        raise ValidationError(f"span attributes must be a mapping, got {span.attrs!r}")
    if span.kind not in SPAN_KINDS:
        raise ValidationError(f"span kind must be one of {SPAN_KINDS}, got {span.kind!r}")
    if span.status not in SPAN_STATUSES:
        raise ValidationError(f"span status must be one of {SPAN_STATUSES}, got {span.status!r}")
    if span.origin not in SPAN_ORIGINS:
        raise ValidationError(f"span origin must be one of {SPAN_ORIGINS}, got {span.origin!r}")
    check_fragments(span, length)
    check_refs(span.refs)


def fill_provenance(obj: Span | Event | Relation | Chain, annotator: str, stamp: str, *,
                    force: bool = False) -> None:
    """Who made and changed ``obj`` and when: every field (``force``) or the empty ones."""
    if force or not obj.created_by:
        obj.created_by = annotator
    if force or not obj.created_at:
        obj.created_at = stamp
    if force or not obj.modified_by:
        obj.modified_by = annotator
    if force or not obj.modified_at:
        obj.modified_at = stamp
