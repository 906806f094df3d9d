"""Prodigy JSONL (``db-out`` or task files) -> documents (``read_prodigy``).

Only ``answer: accept`` records are gold; ``reject``/``ignore`` records are skipped and
reported; a record without ``answer`` (a task file with pre-annotations) is imported with its
spans as ``suggested``. Relations point at spans through ``head_span``/``child_span``
(character offsets); ``head``/``child`` token positions are used only when those are missing
(then via the record's own span ``token_end``). ``meta`` is kept, plus ``prodigy``
{input_hash, task_hash, view_id}. An entity-linking answer (one span, ``options`` with ids,
``accept: ["Q312545"]``) gives the span a reference per accepted id (and its ``kb_id``);
other classification keys (``accept``, ``label``, ``options``) are reported, not carried. The rules shared with the other peers are in ``peer_common``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Reference, Relation, Span, new_id
from annotator.errors import InputFormatError
from annotator.formats.peer_common import (
    Offsets,
    Warn,
    check_text,
    jsonl_objects,
    make_span,
    reader_options,
    text_field,
)


class _ProdigySpans:
    """The spans of one record, found by (start, end, label), (start, end) or token_end."""

    def __init__(self, text: str, src: str, lineno: int, status: str, warn: Warn) -> None:
        self.text, self.src, self.lineno, self.status, self.warn = text, src, lineno, status, warn
        self.offsets = Offsets(text, "codepoint", src)
        self.spans: list[Span] = []
        self.by_key: dict[tuple[int, int, Any], Span] = {}
        self.by_offsets: dict[tuple[int, int], Span] = {}
        self.by_token_end: dict[int, Span] = {}

    def error(self, message: str, field: str) -> InputFormatError:
        return InputFormatError(message, path=self.src, line=self.lineno, field=field)

    def add(self, sp: Any, field: str) -> Span:
        if not isinstance(sp, dict):
            raise self.error("a span must be an object", field)
        s, e = self.offsets.span(sp.get("start"), sp.get("end"), self.src, self.lineno, field)
        span = make_span(s, e, sp.get("label"), self.src, self.lineno, f"{field}.label",
                         status=self.status)  # checks the label before it is used as a key
        key = (s, e, span.label)
        if key in self.by_key:
            return self.by_key[key]
        check_text(self.text, span, sp.get("text"), f"{self.src}:{self.lineno} {field}",
                   self.warn)
        self.spans.append(span)
        self.by_key[key] = span
        self.by_offsets.setdefault((s, e), span)
        if isinstance(sp.get("token_end"), int):
            self.by_token_end.setdefault(sp["token_end"], span)
        return span

    def read_spans(self, raw_spans: Any) -> None:
        if not isinstance(raw_spans, list):
            raise self.error("'spans' must be a list", "spans")
        for i, sp in enumerate(raw_spans):
            n_before = len(self.spans)
            self.add(sp, f"spans[{i}]")
            if len(self.spans) == n_before:
                self.warn(f"{self.src}:{self.lineno} spans[{i}]: duplicate of an earlier span, "
                          "imported once")

    def end(self, rel: dict[str, Any], field: str, side: str, token_key: str) -> Span:
        """The span at one end of a relation (added, and reported, if the record lacks it)."""
        where = f"{self.src}:{self.lineno}"
        sp = rel.get(side)
        if isinstance(sp, dict):
            s, e = self.offsets.span(sp.get("start"), sp.get("end"), self.src, self.lineno,
                                     f"{field}.{side}")
            label = sp.get("label")
            found = (self.by_key.get((s, e, label)) if isinstance(label, str) else None) \
                or self.by_offsets.get((s, e))
            if found is None:
                found = self.add(sp, f"{field}.{side}")
                self.warn(f"{where} {field}.{side}: span [{s}, {e}) is not among the record's "
                          "spans; added")
            return found
        tok = rel.get(token_key)
        if isinstance(tok, int) and tok in self.by_token_end:
            self.warn(f"{where} {field}: no {side}; resolved {token_key}={tok} through the "
                      "record's token_end (token indices may be stale)")
            return self.by_token_end[tok]
        raise self.error(f"cannot resolve the relation's {side} (no span at token {tok!r})",
                         f"{field}.{side}")

    def relations(self, raw: Any) -> list[Relation]:
        relations: list[Relation] = []
        raw = raw or []
        if not isinstance(raw, list):
            raise self.error("'relations' must be a list", "relations")
        for i, rel in enumerate(raw):
            field = f"relations[{i}]"
            if not isinstance(rel, dict):
                raise self.error("a relation must be an object", field)
            ends = [self.end(rel, field, side, token_key)
                    for side, token_key in (("head_span", "head"), ("child_span", "child"))]
            label = rel.get("label")
            if not isinstance(label, str) or not label:
                raise self.error("relation without a label", f"{field}.label")
            relations.append(Relation(id=new_id(), doc_id="", type=label, head_id=ends[0].id,
                                      tail_id=ends[1].id, status=self.status, origin="import"))
        return relations


def _meta(rec: dict[str, Any], src: str, lineno: int) -> dict[str, Any]:
    meta = rec.get("meta") or {}
    if not isinstance(meta, dict):
        raise InputFormatError("'meta' must be an object", path=src, line=lineno, field="meta")
    meta = dict(meta)
    prodigy = {k.lstrip("_"): rec[k] for k in ("_input_hash", "_task_hash", "_view_id",
                                               "_session_id") if rec.get(k) is not None}
    if prodigy:
        meta["prodigy"] = prodigy
    return meta


def _status(rec: dict[str, Any], where: str, src: str, lineno: int, warn: Warn) -> str | None:
    """``gold`` (accepted), ``suggested`` (a task without answer) or None (skipped)."""
    answer = rec.get("answer")
    if answer in ("reject", "ignore"):
        warn(f"{where}: answer {answer!r}: record not imported (only accepted answers are "
             "gold)")
        return None
    if answer not in (None, "accept"):
        raise InputFormatError(f"unknown answer {answer!r} (accept, reject or ignore)",
                               path=src, line=lineno, field="answer")
    if answer is None:
        warn(f"{where}: no answer (a task, not an annotation): spans imported as suggested")
    return "gold" if answer == "accept" else "suggested"


def _entity_links(rec: dict[str, Any], spans: list[Span], where: str, warn: Warn) -> bool:
    """An entity-linking answer (``el.manual`` / ``nel``: one span, ``options`` with ``id``s,
    ``accept: ["Q312545"]``): each accepted id becomes a reference of the span (name: the
    option's ``text``; ``NIL_*`` ids say "no link" and are reported), the first also its
    ``kb_id``. True when the record is one; a ``label`` is still reported."""
    accept, options = rec.get("accept"), rec.get("options")
    if not (isinstance(accept, list) and isinstance(options, list) and options
            and all(isinstance(o, dict) and "id" in o for o in options)):
        return False
    if len(spans) != 1:
        warn(f"{where}: entity-linking answer on {len(spans)} spans not carried (one expected)")
        return True
    names = {str(o["id"]): str(o.get("text") or "") for o in options}
    span = spans[0]
    for ident in map(str, accept):
        if ident.startswith("NIL"):
            warn(f"{where}: entity-linking answer {ident!r} (no link) not carried")
            continue
        ref = Reference("", ident, names.get(ident, ""))
        if ref not in span.refs:
            span.refs.append(ref)
    span.kb_id = span.kb_id or (span.refs[0].key if span.refs else "")
    if rec.get("label") not in (None, [], ""):
        warn(f"{where}: 'label' (classification) not carried")
    return True


def read_prodigy(path: str | Path, **kwargs: Any) -> Iterator[DocumentInput]:
    """Prodigy JSONL (``db-out`` or task files): spans and relations of accepted records."""
    path = Path(path)
    warn, set_name = reader_options(kwargs)
    src = str(path)
    skipped: Counter[str] = Counter()
    for lineno, rec in jsonl_objects(path):
        where = f"{src}:{lineno}"
        text = text_field(rec, "text", src, lineno)
        status = _status(rec, where, src, lineno, warn)
        if status is None:
            skipped[rec["answer"]] += 1
            continue
        rs = _ProdigySpans(text, src, lineno, status, warn)
        rs.read_spans(rec.get("spans") or [])
        relations = rs.relations(rec.get("relations"))
        linked = _entity_links(rec, rs.spans, where, warn)
        for key in ("accept", "label", "options"):
            if key in rec and rec[key] not in (None, [], "") and not linked:
                warn(f"{where}: {key!r} (classification) not carried")
        yield DocumentInput(text=text, name=f"{path.stem}-{lineno}",
                            meta=_meta(rec, src, lineno),
                            sets={set_name: Annotations(rs.spans, [], relations)},
                            status={set_name: "done"} if status == "gold" else {},
                            source=where)
    if skipped:
        warn(f"{src}: {sum(skipped.values())} record(s) not imported: "
             + ", ".join(f"{n} {k}" for k, n in sorted(skipped.items())))
