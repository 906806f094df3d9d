"""Importers for other annotation tools: Prodigy JSONL, doccano JSONL, Label Studio JSON.

Every reader is ``read_X(path, **kwargs) -> Iterator[DocumentInput]`` and shares these rules:

* annotations go into the set ``annotator`` (default ``gold``); imported gold spans have status
  ``gold`` and origin ``import``, and the document status of that set is ``done``;
* offsets are checked (``0 <= start < end <= len(text)``, integers) and bad input raises
  ``InputFormatError`` naming the file, the line (JSONL) or task, and the field;
* redundant text fields (Prodigy span ``text``, Label Studio ``value.text``) are recomputed from
  the offsets and every mismatch is reported through the ``warn`` callback (offsets win);
* everything read but not carried (rejected answers, classification labels, per-region choices,
  cancelled annotations, ...) is reported through ``warn`` -- nothing is dropped silently;
* token fields are not trusted: documents are re-tokenised by the project at import
  (``DocumentInput.tokens`` stays None).

Prodigy (``read_prodigy``): only ``answer: accept`` records are gold; ``reject``/``ignore``
records are skipped and reported; a record without ``answer`` (a task file with
pre-annotations) is imported with its spans as ``suggested``. Relations point at spans through
``head_span``/``child_span`` (character offsets); ``head``/``child`` token positions are used
only when those are missing (then via the record's own span ``token_end``). ``meta`` is kept,
plus ``prodigy`` {input_hash, task_hash, view_id}.

doccano (``read_doccano``): ``label: [[start, end, LABEL], ...]`` or ``entities`` +
``relations`` (``from_id``/``to_id`` are entity ids of the same line). ``offsets="utf16"``
reads offsets counted in UTF-16 code units (doccano's browser offsets, doccano#2290); default
``"codepoint"``. Other keys go to the document meta; string labels (text classification) are
reported, not carried.

Label Studio (``read_labelstudio``): a JSON list of tasks (or one task object). Result items
of type ``labels`` become spans (several labels on one region -> several spans), ``relation``
items become relations (``direction`` right: from -> to; left: to -> from; bi: from -> to,
reported; empty ``labels`` -> type ``related``, reported; several labels -> one relation each).
Cancelled annotations are skipped and reported. By default the first non-cancelled annotation
of a task is imported (``which="first"``); ``which="all"`` imports every one as its own set,
named after ``completed_by``. ``predictions`` are imported as ``suggested`` spans/relations with
origin ``model`` into the same set (``include_predictions=True`` default); a prediction equal
to an annotated span is not duplicated. ``offsets="utf16"`` as for doccano. The text is
``data[text_key]`` (default ``text``, or the only string value of ``data``).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Relation, Span, new_id
from annotator.errors import InputFormatError

__all__ = ["read_doccano", "read_labelstudio", "read_prodigy"]

log = logging.getLogger(__name__)
Warn = Callable[[str], None]


def _default_warn(message: str) -> None:
    log.warning("%s", message)


def _opts(kwargs: dict[str, Any]) -> tuple[Warn, str]:
    return kwargs.get("warn") or _default_warn, kwargs.get("annotator") or "gold"


# ---- shared helpers -------------------------------------------------------------------------
def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line; errors name file and line."""
    try:
        fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputFormatError(f"cannot read: {exc.strerror}", path=str(path)) from None
    with fh:
        lineno = 0
        while True:
            try:
                raw = fh.readline()
            except UnicodeDecodeError as exc:
                raise InputFormatError(f"not UTF-8 text ({exc.reason})", path=str(path),
                                       line=lineno + 1) from None
            if not raw:
                return
            lineno += 1
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise InputFormatError(f"not valid JSON: {exc.msg} (column {exc.colno})",
                                       path=str(path), line=lineno) from None
            if not isinstance(obj, dict):
                raise InputFormatError(f"expected a JSON object, got {type(obj).__name__}",
                                       path=str(path), line=lineno)
            yield lineno, obj


def _text(obj: dict[str, Any], key: str, src: str, line: int | None) -> str:
    text = obj.get(key)
    if not isinstance(text, str):
        raise InputFormatError(f"missing or non-string {key!r}", path=src, line=line, field=key)
    return text


class _Offsets:
    """Converts offsets in the input's unit to code points, with range checks."""

    def __init__(self, text: str, unit: str, src: str) -> None:
        if unit not in ("codepoint", "utf16"):
            raise InputFormatError(f"offsets must be 'codepoint' or 'utf16', got {unit!r}",
                                   path=src)
        self.text = text
        self.map: dict[int, int] | None = None
        self.units = len(text)
        if unit == "utf16" and any(ord(c) > 0xFFFF for c in text):
            self.map = {}
            u = 0
            for i, c in enumerate(text):
                self.map[u] = i
                u += 2 if ord(c) > 0xFFFF else 1
            self.map[u] = len(text)
            self.units = u

    def span(self, start: Any, end: Any, src: str, line: int | None, field: str
             ) -> tuple[int, int]:
        if not isinstance(start, int) or not isinstance(end, int) or \
                isinstance(start, bool) or isinstance(end, bool):
            raise InputFormatError(f"offsets must be integers, got {start!r}, {end!r}", path=src,
                                   line=line, field=field)
        if not 0 <= start < end <= self.units:
            raise InputFormatError(f"span [{start}, {end}) is empty or outside the text "
                                   f"(length {self.units})", path=src, line=line, field=field)
        if self.map is None:
            return start, end
        if start not in self.map or end not in self.map:
            raise InputFormatError(f"UTF-16 offset {start if start not in self.map else end} "
                                   "falls inside a surrogate pair", path=src, line=line,
                                   field=field)
        return self.map[start], self.map[end]


def _span(start: int, end: int, label: Any, src: str, line: int | None, field: str, *,
          status: str = "gold", origin: str = "import") -> Span:
    if not isinstance(label, str) or not label:
        raise InputFormatError(f"missing or empty label {label!r}", path=src, line=line,
                               field=field)
    return Span(id=new_id(), doc_id="", start=start, end=end, label=label, kind="entity",
                status=status, origin=origin)


def _check_text(doc_text: str, s: Span, given: Any, where: str, warn: Warn) -> None:
    if isinstance(given, str) and given != doc_text[s.start:s.end]:
        warn(f"{where}: text {given!r} does not match the document text "
             f"{doc_text[s.start:s.end]!r} at [{s.start}, {s.end}) (offsets kept)")


# ---- Prodigy --------------------------------------------------------------------------------
class _ProdigySpans:
    """The spans of one record, found by (start, end, label), (start, end) or token_end."""

    def __init__(self, text: str, src: str, lineno: int, status: str, warn: Warn) -> None:
        self.text, self.src, self.lineno, self.status, self.warn = text, src, lineno, status, warn
        self.offsets = _Offsets(text, "codepoint", src)
        self.spans: list[Span] = []
        self.by_key: dict[tuple[int, int, Any], Span] = {}
        self.by_offsets: dict[tuple[int, int], Span] = {}
        self.by_token_end: dict[int, Span] = {}

    def add(self, sp: Any, field: str) -> Span:
        if not isinstance(sp, dict):
            raise InputFormatError("a span must be an object", path=self.src, line=self.lineno,
                                   field=field)
        s, e = self.offsets.span(sp.get("start"), sp.get("end"), self.src, self.lineno, field)
        key = (s, e, sp.get("label"))
        if key in self.by_key:
            return self.by_key[key]
        span = _span(s, e, sp.get("label"), self.src, self.lineno, f"{field}.label",
                     status=self.status)
        _check_text(self.text, span, sp.get("text"), f"{self.src}:{self.lineno} {field}",
                    self.warn)
        self.spans.append(span)
        self.by_key[key] = span
        self.by_offsets.setdefault((s, e), span)
        if isinstance(sp.get("token_end"), int):
            self.by_token_end.setdefault(sp["token_end"], span)
        return span


def read_prodigy(path: str | Path, **kwargs: Any) -> Iterator[DocumentInput]:
    """Prodigy JSONL (``db-out`` or task files): spans and relations of accepted records."""
    path = Path(path)
    warn, set_name = _opts(kwargs)
    src = str(path)
    skipped: Counter = Counter()
    for lineno, rec in _jsonl(path):
        where = f"{src}:{lineno}"
        text = _text(rec, "text", src, lineno)
        answer = rec.get("answer")
        if answer in ("reject", "ignore"):
            skipped[answer] += 1
            warn(f"{where}: answer {answer!r}: record not imported (only accepted answers are "
                 "gold)")
            continue
        if answer not in (None, "accept"):
            raise InputFormatError(f"unknown answer {answer!r} (accept, reject or ignore)",
                                   path=src, line=lineno, field="answer")
        status = "gold" if answer == "accept" else "suggested"
        if answer is None:
            warn(f"{where}: no answer (a task, not an annotation): spans imported as suggested")
        rs = _ProdigySpans(text, src, lineno, status, warn)
        raw_spans = rec.get("spans") or []
        if not isinstance(raw_spans, list):
            raise InputFormatError("'spans' must be a list", path=src, line=lineno,
                                   field="spans")
        for i, sp in enumerate(raw_spans):
            n_before = len(rs.spans)
            rs.add(sp, f"spans[{i}]")
            if len(rs.spans) == n_before:
                warn(f"{where} spans[{i}]: duplicate of an earlier span, imported once")
        spans, offsets = rs.spans, rs.offsets
        by_key, by_offsets, by_token_end = rs.by_key, rs.by_offsets, rs.by_token_end
        add = rs.add
        relations: list[Relation] = []
        for i, rel in enumerate(rec.get("relations") or []):
            field = f"relations[{i}]"
            if not isinstance(rel, dict):
                raise InputFormatError("a relation must be an object", path=src, line=lineno,
                                       field=field)
            ends = []
            for side, token_key in (("head_span", "head"), ("child_span", "child")):
                sp = rel.get(side)
                if isinstance(sp, dict):
                    s, e = offsets.span(sp.get("start"), sp.get("end"), src, lineno,
                                        f"{field}.{side}")
                    found = by_key.get((s, e, sp.get("label"))) or by_offsets.get((s, e))
                    if found is None:
                        found = add(sp, f"{field}.{side}")
                        warn(f"{where} {field}.{side}: span [{s}, {e}) is not among the "
                             "record's spans; added")
                    ends.append(found)
                    continue
                tok = rel.get(token_key)
                if isinstance(tok, int) and tok in by_token_end:
                    warn(f"{where} {field}: no {side}; resolved {token_key}={tok} through the "
                         "record's token_end (token indices may be stale)")
                    ends.append(by_token_end[tok])
                    continue
                raise InputFormatError(f"cannot resolve the relation's {side} (no span at "
                                       f"token {tok!r})", path=src, line=lineno,
                                       field=f"{field}.{side}")
            label = rel.get("label")
            if not isinstance(label, str) or not label:
                raise InputFormatError("relation without a label", path=src, line=lineno,
                                       field=f"{field}.label")
            relations.append(Relation(id=new_id(), doc_id="", type=label, head_id=ends[0].id,
                                      tail_id=ends[1].id, status=status, origin="import"))
        for key in ("accept", "label", "options"):
            if key in rec and rec[key] not in (None, [], ""):
                warn(f"{where}: {key!r} (classification) not carried")
        meta = rec.get("meta") or {}
        if not isinstance(meta, dict):
            raise InputFormatError("'meta' must be an object", path=src, line=lineno,
                                   field="meta")
        meta = dict(meta)
        prodigy = {k.lstrip("_"): rec[k] for k in ("_input_hash", "_task_hash", "_view_id",
                                                   "_session_id") if rec.get(k) is not None}
        if prodigy:
            meta["prodigy"] = prodigy
        yield DocumentInput(text=text, name=f"{path.stem}-{lineno}", meta=meta,
                            sets={set_name: Annotations(spans, [], relations)},
                            status={set_name: "done"} if status == "gold" else {},
                            source=where)
    if skipped:
        warn(f"{src}: {sum(skipped.values())} record(s) not imported: "
             + ", ".join(f"{n} {k}" for k, n in sorted(skipped.items())))


# ---- doccano --------------------------------------------------------------------------------
def read_doccano(path: str | Path, **kwargs: Any) -> Iterator[DocumentInput]:
    """doccano JSONL: ``label`` triples, or ``entities`` + ``relations``."""
    path = Path(path)
    warn, set_name = _opts(kwargs)
    unit = kwargs.get("offsets", "codepoint")
    src = str(path)
    for lineno, rec in _jsonl(path):
        where = f"{src}:{lineno}"
        text = _text(rec, "text", src, lineno)
        offsets = _Offsets(text, unit, src)
        spans: list[Span] = []
        relations: list[Relation] = []
        categories: list[str] = []
        if "entities" in rec:
            ents = rec["entities"]
            if not isinstance(ents, list):
                raise InputFormatError("'entities' must be a list", path=src, line=lineno,
                                       field="entities")
            ids: dict[Any, Span] = {}
            for i, ent in enumerate(ents):
                field = f"entities[{i}]"
                if not isinstance(ent, dict):
                    raise InputFormatError("an entity must be an object", path=src, line=lineno,
                                           field=field)
                s, e = offsets.span(ent.get("start_offset"), ent.get("end_offset"), src, lineno,
                                    field)
                span = _span(s, e, ent.get("label"), src, lineno, f"{field}.label")
                if "id" in ent:
                    if ent["id"] in ids:
                        raise InputFormatError(f"entity id {ent['id']!r} used twice", path=src,
                                               line=lineno, field=f"{field}.id")
                    ids[ent["id"]] = span
                spans.append(span)
            rels = rec.get("relations") or []
            if not isinstance(rels, list):
                raise InputFormatError("'relations' must be a list", path=src, line=lineno,
                                       field="relations")
            for i, rel in enumerate(rels):
                field = f"relations[{i}]"
                if not isinstance(rel, dict):
                    raise InputFormatError("a relation must be an object", path=src,
                                           line=lineno, field=field)
                ends = []
                for k in ("from_id", "to_id"):
                    if rel.get(k) not in ids:
                        raise InputFormatError(f"{k} {rel.get(k)!r} is not the id of an entity "
                                               "on this line", path=src, line=lineno,
                                               field=f"{field}.{k}")
                    ends.append(ids[rel[k]])
                rtype = rel.get("type") or rel.get("label")
                if not isinstance(rtype, str) or not rtype:
                    raise InputFormatError("relation without a type", path=src, line=lineno,
                                           field=f"{field}.type")
                relations.append(Relation(id=new_id(), doc_id="", type=rtype,
                                          head_id=ends[0].id, tail_id=ends[1].id,
                                          status="gold", origin="import"))
            labels = rec.get("label") or []
        else:
            labels = rec.get("label", rec.get("labels")) or []
            if "relations" in rec and rec["relations"]:
                raise InputFormatError("'relations' without 'entities'", path=src, line=lineno,
                                       field="relations")
        if not isinstance(labels, list):
            raise InputFormatError("'label' must be a list", path=src, line=lineno,
                                   field="label")
        for i, item in enumerate(labels):
            field = f"label[{i}]"
            if isinstance(item, str):
                categories.append(item)
                continue
            if not isinstance(item, list) or len(item) != 3:
                raise InputFormatError(f"expected [start, end, label], got {item!r}", path=src,
                                       line=lineno, field=field)
            s, e = offsets.span(item[0], item[1], src, lineno, field)
            spans.append(_span(s, e, item[2], src, lineno, field))
        if categories:
            warn(f"{where}: document label(s) {', '.join(categories)} (text classification) "
                 "not carried")
        meta = {k: v for k, v in rec.items()
                if k not in ("text", "label", "labels", "entities", "relations")
                and v not in ([], None, "")}
        name = f"{path.stem}-{lineno}"
        yield DocumentInput(text=text, name=name, meta=meta,
                            sets={set_name: Annotations(spans, [], relations)},
                            status={set_name: "done"}, source=where)


# ---- Label Studio ---------------------------------------------------------------------------
def _load_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return json.load(fh)
    except OSError as exc:
        raise InputFormatError(f"cannot read: {exc.strerror}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputFormatError(f"not valid JSON: {exc.msg} (column {exc.colno})",
                               path=str(path), line=exc.lineno) from None


def _ls_user(ann: dict[str, Any]) -> str:
    who = ann.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if who in (None, ""):
        return "unknown"
    return f"user{who}" if isinstance(who, int) else str(who)


class _LSConverter:
    def __init__(self, text: str, offsets: _Offsets, src: str, warn: Warn) -> None:
        self.text, self.offsets, self.src, self.warn = text, offsets, src, warn

    def convert(self, result: Any, where: str, field: str, *, status: str, origin: str
                ) -> tuple[list[Span], list[Relation]]:
        if not isinstance(result, list):
            raise InputFormatError("'result' must be a list", path=self.src, field=field)
        spans: list[Span] = []
        regions: dict[Any, list[Span]] = {}
        pending: list[tuple[int, dict[str, Any]]] = []
        for i, item in enumerate(result):
            f = f"{field}[{i}]"
            if not isinstance(item, dict):
                raise InputFormatError("a result item must be an object", path=self.src,
                                       field=f)
            kind = item.get("type")
            if kind == "relation":
                pending.append((i, item))
                continue
            value = item.get("value")
            if kind == "labels":
                if not isinstance(value, dict):
                    raise InputFormatError("a labels item needs a 'value' object",
                                           path=self.src, field=f"{f}.value")
                s, e = self.offsets.span(value.get("start"), value.get("end"), self.src, None,
                                         f"{f}.value")
                labels = value.get("labels")
                if not isinstance(labels, list) or not labels:
                    self.warn(f"{where} {f}: region without labels not carried")
                    continue
                made = []
                for j, label in enumerate(labels):
                    sp = _span(s, e, label, self.src, None, f"{f}.value.labels[{j}]",
                               status=status, origin=origin)
                    made.append(sp)
                if made:
                    _check_text(self.text, made[0], value.get("text"), f"{where} {f}", self.warn)
                spans.extend(made)
                regions.setdefault(item.get("id"), []).extend(made)
                continue
            target = item.get("id")
            scope = "per-region" if target in regions or any(
                isinstance(o, dict) and o.get("id") == target and o.get("type") == "labels"
                for o in result) else "task-level"
            self.warn(f"{where} {f}: {scope} {kind!r} result not carried"
                      + (f" (region {target})" if scope == "per-region" else ""))
        relations: list[Relation] = []
        for i, item in pending:
            f = f"{field}[{i}]"
            ends = []
            for k in ("from_id", "to_id"):
                if item.get(k) not in regions:
                    raise InputFormatError(f"{k} {item.get(k)!r} is not a labelled region of "
                                           "this annotation", path=self.src, field=f"{f}.{k}")
                region = regions[item[k]]
                if len(region) > 1:
                    self.warn(f"{where} {f}: region {item[k]} has several labels; the relation "
                              f"is attached to its {region[0].label} span")
                ends.append(region[0])
            direction = item.get("direction", "right")
            if direction == "left":
                ends.reverse()
            elif direction == "bi":
                self.warn(f"{where} {f}: bidirectional relation imported as from -> to")
            elif direction != "right":
                raise InputFormatError(f"unknown direction {direction!r} (right, left or bi)",
                                       path=self.src, field=f"{f}.direction")
            labels = item.get("labels") or []
            if not isinstance(labels, list):
                raise InputFormatError("'labels' must be a list", path=self.src,
                                       field=f"{f}.labels")
            if not labels:
                self.warn(f"{where} {f}: relation without a label imported as type 'related'")
                labels = ["related"]
            for label in labels:
                relations.append(Relation(id=new_id(), doc_id="", type=str(label),
                                          head_id=ends[0].id, tail_id=ends[1].id,
                                          status="gold" if status == "gold" else "suggested",
                                          origin=origin))
        return spans, relations


def read_labelstudio(path: str | Path, **kwargs: Any) -> Iterator[DocumentInput]:
    """Label Studio JSON export (list of tasks, or one task)."""
    path = Path(path)
    warn, set_name = _opts(kwargs)
    which = kwargs.get("which", "first")
    if which not in ("first", "all"):
        raise InputFormatError(f"which must be 'first' or 'all', got {which!r}", path=str(path))
    include_predictions = kwargs.get("include_predictions", True)
    unit = kwargs.get("offsets", "codepoint")
    text_key = kwargs.get("text_key")
    src = str(path)
    data = _load_json(path)
    tasks = [data] if isinstance(data, dict) else data
    if not isinstance(tasks, list):
        raise InputFormatError("expected a list of tasks (or one task object)", path=src)
    for ti, task in enumerate(tasks):
        tf = f"[{ti}]" if isinstance(data, list) else ""
        if not isinstance(task, dict):
            raise InputFormatError("a task must be an object", path=src, field=tf or "task")
        where = f"{src} task {task.get('id', ti + 1)}"
        tdata = task.get("data")
        if not isinstance(tdata, dict):
            raise InputFormatError("task without a 'data' object", path=src,
                                   field=f"{tf}.data" if tf else "data")
        key = text_key or ("text" if "text" in tdata else None)
        if key is None:
            strings = [k for k, v in tdata.items() if isinstance(v, str)]
            if len(strings) != 1:
                raise InputFormatError("cannot tell which data field is the text (pass "
                                       "text_key)", path=src, field=f"{tf}.data")
            key = strings[0]
        text = tdata.get(key)
        if not isinstance(text, str):
            raise InputFormatError(f"data.{key} is not a string", path=src,
                                   field=f"{tf}.data.{key}")
        conv = _LSConverter(text, _Offsets(text, unit, src), src, warn)
        annotations = task.get("annotations", task.get("completions")) or []
        if not isinstance(annotations, list):
            raise InputFormatError("'annotations' must be a list", path=src,
                                   field=f"{tf}.annotations")
        sets: dict[str, Annotations] = {}
        annotated: set[str] = set()
        live = []
        for ai, ann in enumerate(annotations):
            if not isinstance(ann, dict):
                raise InputFormatError("an annotation must be an object", path=src,
                                       field=f"{tf}.annotations[{ai}]")
            if ann.get("was_cancelled"):
                warn(f"{where}: annotation {ann.get('id', ai)} was cancelled: not imported")
                continue
            live.append((ai, ann))
        if which == "first" and len(live) > 1:
            warn(f"{where}: {len(live) - 1} more annotation(s) not imported (which='all' imports "
                 "each as its own set)")
            live = live[:1]
        for ai, ann in live:
            name = set_name if which == "first" else _ls_user(ann)
            base, n = name, 2
            while name in sets:
                name, n = f"{base}-{n}", n + 1
            spans, rels = conv.convert(ann.get("result") or [], where,
                                       f"{tf}.annotations[{ai}].result", status="gold",
                                       origin="import")
            sets[name] = Annotations(spans, [], rels)
            annotated.add(name)
        if include_predictions:
            target = next(iter(sets), set_name)
            ann_ = sets.setdefault(target, Annotations())
            have = {(s.start, s.end, s.label) for s in ann_.spans}
            for pi, pred in enumerate(task.get("predictions") or []):
                if not isinstance(pred, dict):
                    raise InputFormatError("a prediction must be an object", path=src,
                                           field=f"{tf}.predictions[{pi}]")
                spans, rels = conv.convert(pred.get("result") or [], where,
                                           f"{tf}.predictions[{pi}].result", status="suggested",
                                           origin="model")
                keep = {s.id for s in spans}
                dup: dict[str, str] = {}
                for s in spans:
                    k = (s.start, s.end, s.label)
                    if k in have:
                        keep.discard(s.id)
                        dup[s.id] = next(x.id for x in ann_.spans
                                         if (x.start, x.end, x.label) == k)
                    have.add(k)
                ann_.spans.extend(s for s in spans if s.id in keep)
                for r in rels:
                    r.head_id = dup.get(r.head_id, r.head_id)
                    r.tail_id = dup.get(r.tail_id, r.tail_id)
                ann_.relations.extend(rels)
            if not ann_.spans and not ann_.relations and target not in annotated:
                del sets[target]
        elif task.get("predictions"):
            warn(f"{where}: {len(task['predictions'])} prediction(s) not imported "
                 "(include_predictions=False)")
        meta: dict[str, Any] = {}
        if isinstance(task.get("meta"), dict):
            meta.update(task["meta"])
        meta.update({k: v for k, v in tdata.items() if k != key})
        if "id" in task:
            meta["labelstudio_id"] = task["id"]
        name = f"task-{task['id']}" if "id" in task else f"{path.stem}-{ti + 1}"
        status = {s: "done" for s in annotated}
        yield DocumentInput(text=text, name=name, meta=meta, sets=sets, status=status,
                            source=where)
