"""Conversions between core dataclasses and table rows (JSON for dicts, packed ints for tokens)."""

from __future__ import annotations

import json
import sys
from array import array
from typing import Any

from annotator.core.model import Argument, Event, Relation, Span

_PROV = ("status", "origin", "annotator", "created_by", "created_at", "modified_by",
         "modified_at")


# Token/sentence offsets are stored compactly: a format byte, then either
#   1: count (uint32), gaps before each pair (uint8), pair lengths (uint16)   -- 3 bytes a token
#   0: flat int32 (start, end) pairs                                         -- 8 bytes a token
# Format 1 covers every ordinary text; format 0 is the fallback for huge gaps or tokens.
_COMPACT, _WIDE = b"\x01", b"\x00"


def pack_pairs(pairs: Any) -> bytes:
    """(start, end) pairs, or a flat int32 array ``[s0, e0, s1, e1 ...]``, as BLOB bytes."""
    import numpy as np

    flat = np.asarray(pairs, dtype=np.int32).reshape(-1)
    if not len(flat):
        return _WIDE
    starts, ends = flat[0::2], flat[1::2]
    gaps = np.empty_like(starts)
    gaps[0] = starts[0]
    np.subtract(starts[1:], ends[:-1], out=gaps[1:])
    lengths = ends - starts
    # one reduction: every gap in [0, 256) and every length in [0, 65536)
    if int((gaps.view(np.uint32) | (lengths.view(np.uint32) >> 8)).max()) < 256:
        return (_COMPACT + len(starts).to_bytes(4, "little")
                + gaps.astype("u1").tobytes() + lengths.astype("<u2").tobytes())
    return _WIDE + flat.astype("<i4").tobytes()


def unpack_pairs(blob: bytes) -> list[tuple[int, int]]:
    if not blob or blob[:1] == _WIDE:
        flat = array("i")
        flat.frombytes(blob[1:])
        if sys.byteorder != "little":  # pragma: no cover
            flat.byteswap()
        return list(zip(flat[0::2], flat[1::2], strict=True))
    n = int.from_bytes(blob[1:5], "little")
    gaps = blob[5:5 + n]
    lengths = array("H")
    lengths.frombytes(blob[5 + n:5 + 3 * n])
    if sys.byteorder != "little":  # pragma: no cover
        lengths.byteswap()
    out = []
    pos = 0
    for gap, length in zip(gaps, lengths, strict=True):
        start = pos + gap
        pos = start + length
        out.append((start, pos))
    return out


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def span_to_row(span: Span) -> dict[str, Any]:
    return {
        "id": span.id, "doc_id": span.doc_id, "annotator": span.annotator,
        "start": span.start, "end": span.end, "label": span.label, "kind": span.kind,
        "attrs": dumps(span.attrs), "note": span.note, "kb_id": span.kb_id,
        "status": span.status, "origin": span.origin,
        "created_by": span.created_by, "created_at": span.created_at,
        "modified_by": span.modified_by, "modified_at": span.modified_at,
    }


def row_to_span(row: dict[str, Any]) -> Span:
    data = dict(row)
    data["attrs"] = json.loads(data["attrs"])
    return Span(**data)


def event_to_row(event: Event) -> dict[str, Any]:
    row = {"id": event.id, "doc_id": event.doc_id, "type": event.type,
           "trigger_id": event.trigger_id, "attrs": dumps(event.attrs), "note": event.note}
    row.update({k: getattr(event, k) for k in _PROV})
    return row


def row_to_event(row: dict[str, Any], arguments: list[Argument]) -> Event:
    data = dict(row)
    data["attrs"] = json.loads(data["attrs"])
    return Event(arguments=arguments, **data)


def argument_to_row(arg: Argument) -> dict[str, Any]:
    return {
        "id": arg.id, "event_id": arg.event_id, "role": arg.role,
        "span_id": arg.filler_id if arg.filler_kind == "span" else None,
        "filler_event_id": arg.filler_id if arg.filler_kind == "event" else None,
        "position": arg.position,
    }


def row_to_argument(row: dict[str, Any]) -> Argument:
    if row["span_id"] is not None:
        filler, kind = row["span_id"], "span"
    else:
        filler, kind = row["filler_event_id"], "event"
    return Argument(id=row["id"], event_id=row["event_id"], role=row["role"], filler_id=filler,
                    filler_kind=kind, position=row["position"])


def relation_to_row(rel: Relation) -> dict[str, Any]:
    row = {"id": rel.id, "doc_id": rel.doc_id, "type": rel.type, "head_id": rel.head_id,
           "tail_id": rel.tail_id, "attrs": dumps(rel.attrs), "note": rel.note}
    row.update({k: getattr(rel, k) for k in _PROV})
    return row


def row_to_relation(row: dict[str, Any]) -> Relation:
    data = dict(row)
    data["attrs"] = json.loads(data["attrs"])
    return Relation(**data)
