"""doccano JSONL -> documents (``read_doccano``).

Two layouts: ``label: [[start, end, LABEL], ...]`` (sequence labelling), or ``entities`` +
``relations`` (relation extraction; ``from_id``/``to_id`` are entity ids of the same line).
The text is ``text`` (doccano 1.2 and later), or ``data`` in doccano 1.0/1.1 exports
(``{"id": 1, "data": "...", "label": [[0, 5, "PER"]]}``).
``offsets="utf16"`` reads offsets counted in UTF-16 code units (doccano's browser offsets,
doccano#2290); default ``"codepoint"``. Other keys go to the document meta; string labels
(text classification) are reported, not carried. The rules shared with the other peers are in
``peer_common``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Relation, Span, new_id
from annotator.errors import InputFormatError
from annotator.formats.peer_common import (
    Offsets,
    jsonl_objects,
    make_span,
    reader_options,
    text_field,
)


class _Line:
    """One doccano record: its spans, relations and classification labels."""

    def __init__(self, rec: dict[str, Any], offsets: Offsets, src: str, lineno: int) -> None:
        self.rec, self.offsets, self.src, self.lineno = rec, offsets, src, lineno
        self.spans: list[Span] = []
        self.relations: list[Relation] = []
        self.categories: list[str] = []

    def error(self, message: str, field: str) -> InputFormatError:
        return InputFormatError(message, path=self.src, line=self.lineno, field=field)

    def read(self) -> None:
        rec = self.rec
        if "entities" in rec:
            ids = self._entities(rec["entities"])
            self._relations(rec.get("relations") or [], ids)
            labels = rec.get("label") or []
        else:
            labels = rec.get("label", rec.get("labels")) or []
            if "relations" in rec and rec["relations"]:
                raise self.error("'relations' without 'entities'", "relations")
        self._labels(labels)

    def _entities(self, ents: Any) -> dict[Any, Span]:
        if not isinstance(ents, list):
            raise self.error("'entities' must be a list", "entities")
        ids: dict[Any, Span] = {}
        for i, ent in enumerate(ents):
            field = f"entities[{i}]"
            if not isinstance(ent, dict):
                raise self.error("an entity must be an object", field)
            s, e = self.offsets.span(ent.get("start_offset"), ent.get("end_offset"), self.src,
                                     self.lineno, field)
            span = make_span(s, e, ent.get("label"), self.src, self.lineno, f"{field}.label")
            if "id" in ent:
                if not isinstance(ent["id"], Hashable):
                    raise self.error(f"entity id {ent['id']!r} must be a string or a number",
                                     f"{field}.id")
                if ent["id"] in ids:
                    raise self.error(f"entity id {ent['id']!r} used twice", f"{field}.id")
                ids[ent["id"]] = span
            self.spans.append(span)
        return ids

    def _relations(self, rels: Any, ids: dict[Any, Span]) -> None:
        if not isinstance(rels, list):
            raise self.error("'relations' must be a list", "relations")
        for i, rel in enumerate(rels):
            field = f"relations[{i}]"
            if not isinstance(rel, dict):
                raise self.error("a relation must be an object", field)
            ends = []
            for k in ("from_id", "to_id"):
                if not isinstance(rel.get(k), Hashable) or rel.get(k) not in ids:
                    raise self.error(f"{k} {rel.get(k)!r} is not the id of an entity on this "
                                     "line", f"{field}.{k}")
                ends.append(ids[rel[k]])
            rtype = rel.get("type") or rel.get("label")
            if not isinstance(rtype, str) or not rtype:
                raise self.error("relation without a type", f"{field}.type")
            self.relations.append(Relation(id=new_id(), doc_id="", type=rtype,
                                           head_id=ends[0].id, tail_id=ends[1].id,
                                           status="gold", origin="import"))

    def _labels(self, labels: Any) -> None:
        if not isinstance(labels, list):
            raise self.error("'label' must be a list", "label")
        for i, item in enumerate(labels):
            field = f"label[{i}]"
            if isinstance(item, str):
                self.categories.append(item)
                continue
            if not isinstance(item, list) or len(item) != 3:
                raise self.error(f"expected [start, end, label], got {item!r}", field)
            s, e = self.offsets.span(item[0], item[1], self.src, self.lineno, field)
            self.spans.append(make_span(s, e, item[2], self.src, self.lineno, field))


def read_doccano(path: str | Path, **kwargs: Any) -> Iterator[DocumentInput]:
    """doccano JSONL: ``label`` triples, or ``entities`` + ``relations``."""
    path = Path(path)
    warn, set_name = reader_options(kwargs)
    unit = kwargs.get("offsets", "codepoint")
    src = str(path)
    for lineno, rec in jsonl_objects(path):
        where = f"{src}:{lineno}"
        key = "data" if "text" not in rec and isinstance(rec.get("data"), str) else "text"
        text = text_field(rec, key, src, lineno)
        line = _Line(rec, Offsets(text, unit, src), src, lineno)
        line.read()
        if line.categories:
            warn(f"{where}: document label(s) {', '.join(line.categories)} (text "
                 "classification) not carried")
        meta = {k: v for k, v in rec.items()
                if k not in (key, "label", "labels", "entities", "relations")
                and v not in ([], None, "")}
        yield DocumentInput(text=text, name=f"{path.stem}-{lineno}", meta=meta,
                            sets={set_name: Annotations(line.spans, [], line.relations)},
                            status={set_name: "done"}, source=where)
