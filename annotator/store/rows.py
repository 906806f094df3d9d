"""Conversions between core dataclasses and table rows (JSON for dicts, packed ints for tokens)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from annotator.core.codec import pack_pairs, unpack_pairs  # noqa: F401 (re-exported)
from annotator.core.model import Argument, Chain, Event, Reference, Relation, Span
from annotator.errors import ValidationError

_PROV = ("status", "origin", "annotator", "created_by", "created_at", "modified_by",
         "modified_at")


def dumps(obj: Any) -> str:
    if not obj and isinstance(obj, dict):
        return "{}"  # most annotations have no attributes
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def span_to_row(span: Span) -> dict[str, Any]:
    return {
        "id": span.id, "doc_id": span.doc_id, "annotator": span.annotator,
        "start": span.start, "end": span.end, "label": span.label, "kind": span.kind,
        "attrs": dumps(span.attrs), "note": span.note, "kb_id": span.kb_id,
        "status": span.status, "origin": span.origin,
        "created_by": span.created_by, "created_at": span.created_at,
        "modified_by": span.modified_by, "modified_at": span.modified_at,
        "source": span.source, "score": span.score,
        "fragments": dump_pairs(span.fragments), "refs": dump_refs(span.refs),
    }


SPAN_COLUMNS = ("id", "doc_id", "annotator", "start", "end", "label", "kind", "attrs", "note",
                "kb_id", "status", "origin", "created_by", "created_at", "modified_by",
                "modified_at", "source", "score", "fragments", "refs")


def span_values(span: Span) -> tuple[Any, ...]:
    """``span_to_row`` as a tuple in ``SPAN_COLUMNS`` order, without the dict: an import
    makes one per span (a third of the time of the dict and its values)."""
    return (span.id, span.doc_id, span.annotator, span.start, span.end, span.label, span.kind,
            dumps(span.attrs), span.note, span.kb_id, span.status, span.origin,
            span.created_by, span.created_at, span.modified_by, span.modified_at, span.source,
            span.score, dump_pairs(span.fragments), dump_refs(span.refs))


def row_to_span(row: dict[str, Any]) -> Span:
    data = dict(row)
    data["attrs"] = _attrs(data["attrs"])
    data["fragments"] = load_pairs(data.get("fragments", "[]"))
    data["refs"] = load_refs(data.get("refs", "[]"))
    return Span(**data)


def dump_pairs(pairs: list[tuple[int, int]]) -> str:
    """Fragments as JSON ``[[0,5],[16,23]]``; ``[]`` for a contiguous span."""
    return "[]" if not pairs else json.dumps([list(p) for p in pairs], separators=(",", ":"))


def load_pairs(text: str) -> list[tuple[int, int]]:
    return [] if text == "[]" else [(int(a), int(b)) for a, b in json.loads(text)]


def dump_refs(refs: list[Reference]) -> str:
    """References as JSON ``[{"db": ..., "id": ..., "name": ...}]``; ``[]`` for none."""
    if not refs:
        return "[]"
    return json.dumps([{"db": r.db, "id": r.id, "name": r.name} for r in refs],
                      ensure_ascii=False, separators=(",", ":"))


def load_refs(text: str) -> list[Reference]:
    return [] if text == "[]" else [Reference(r["db"], r["id"], r.get("name", ""))
                                    for r in json.loads(text)]


def chain_to_row(chain: Chain) -> dict[str, Any]:
    row = {"id": chain.id, "doc_id": chain.doc_id, "type": chain.type,
           "mentions": json.dumps(chain.mentions, separators=(",", ":")),
           "attrs": dumps(chain.attrs), "refs": dump_refs(chain.refs), "note": chain.note}
    row.update({k: getattr(chain, k) for k in _PROV})
    return row


def row_to_chain(row: dict[str, Any]) -> Chain:
    data = dict(row)
    data["attrs"] = _attrs(data["attrs"])
    data["refs"] = load_refs(data["refs"])
    data["mentions"] = json.loads(data["mentions"])
    return Chain(**data)


def event_to_row(event: Event) -> dict[str, Any]:
    row = {"id": event.id, "doc_id": event.doc_id, "type": event.type,
           "trigger_id": event.trigger_id, "attrs": dumps(event.attrs), "note": event.note,
           "source": event.source, "score": event.score}
    row.update({k: getattr(event, k) for k in _PROV})
    return row


def row_to_event(row: dict[str, Any], arguments: list[Argument]) -> Event:
    data = dict(row)
    data["attrs"] = _attrs(data["attrs"])
    return Event(arguments=arguments, **data)


def argument_to_row(arg: Argument) -> dict[str, Any]:
    return {
        "id": arg.id, "event_id": arg.event_id, "role": arg.role,
        "span_id": arg.filler_id if arg.filler_kind == "span" else None,
        "filler_event_id": arg.filler_id if arg.filler_kind == "event" else None,
        "position": arg.position, "status": arg.status, "origin": arg.origin,
        "source": arg.source, "score": arg.score,
    }


def row_to_argument(row: dict[str, Any]) -> Argument:
    if row["span_id"] is not None:
        filler, kind = row["span_id"], "span"
    else:
        filler, kind = row["filler_event_id"], "event"
    return Argument(id=row["id"], event_id=row["event_id"], role=row["role"], filler_id=filler,
                    filler_kind=kind, position=row["position"],
                    status=row.get("status", "gold"), origin=row.get("origin", "manual"),
                    source=row.get("source", ""), score=row.get("score"))


def relation_to_row(rel: Relation) -> dict[str, Any]:
    row = {"id": rel.id, "doc_id": rel.doc_id, "type": rel.type, "head_id": rel.head_id,
           "tail_id": rel.tail_id, "attrs": dumps(rel.attrs), "note": rel.note,
           "source": rel.source, "score": rel.score}
    row.update({k: getattr(rel, k) for k in _PROV})
    return row


def row_to_relation(row: dict[str, Any]) -> Relation:
    data = dict(row)
    data["attrs"] = _attrs(data["attrs"])
    return Relation(**data)


def _attrs(text: str) -> dict[str, Any]:
    return {} if text == "{}" else json.loads(text)  # most annotations have no attributes


def insert_values(conn: sqlite3.Connection, table: str, columns: Sequence[str],
                  values: list[tuple[Any, ...]]) -> None:
    """Insert new rows given as tuples in ``columns`` order, in one executemany (imports: the
    caller has checked that no key exists yet, so a clash is an error, never an update).
    Tuples rather than dicts: an import worker sends them back cheaply and SQLite takes them
    as they are."""
    if not values:
        return
    quoted = ", ".join(f'"{c}"' for c in columns)
    try:
        conn.executemany(f"INSERT INTO {table} ({quoted}) VALUES "
                         f"({', '.join('?' * len(columns))})", values)
    except sqlite3.IntegrityError as exc:
        raise ValidationError(f"cannot add these {table}: {exc}") from None
