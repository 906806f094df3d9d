"""Label Studio JSON export -> documents (``read_labelstudio``).

A JSON list of tasks (or one task object). Result items of type ``labels`` become spans
(several labels on one region -> several spans), ``relation`` items become relations
(``direction`` right: from -> to; left: to -> from; bi: from -> to, reported; empty ``labels``
-> type ``related``, reported; several labels -> one relation each). Cancelled annotations are
skipped and reported. By default the first non-cancelled annotation of a task is imported
(``which="first"``); ``which="all"`` imports every one as its own set, named after
``completed_by``. ``predictions`` are imported as ``suggested`` spans/relations with origin
``model`` into the same set (``include_predictions=True`` default); a prediction equal to an
annotated span is not duplicated. ``offsets="utf16"`` reads UTF-16 offsets. The text is
``data[text_key]`` (default ``text``, or the only string value of ``data``). The rules shared
with the other peers are in ``peer_common``.
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
    Warn,
    check_text,
    load_json,
    make_span,
    reader_options,
)


def _ls_user(ann: dict[str, Any]) -> str:
    who = ann.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if who in (None, ""):
        return "unknown"
    return f"user{who}" if isinstance(who, int) else str(who)


class _LSConverter:
    """Result lists of one task -> spans and relations."""

    def __init__(self, text: str, offsets: Offsets, src: str, warn: Warn) -> None:
        self.text, self.offsets, self.src, self.warn = text, offsets, src, warn

    def error(self, message: str, field: str) -> InputFormatError:
        return InputFormatError(message, path=self.src, field=field)

    def convert(self, result: Any, where: str, field: str, *, status: str, origin: str
                ) -> tuple[list[Span], list[Relation]]:
        if not isinstance(result, list):
            raise self.error("'result' must be a list", field)
        spans: list[Span] = []
        regions: dict[Any, list[Span]] = {}
        pending: list[tuple[int, dict[str, Any]]] = []
        for i, item in enumerate(result):
            f = f"{field}[{i}]"
            if not isinstance(item, dict):
                raise self.error("a result item must be an object", f)
            if not isinstance(item.get("id"), Hashable):
                raise self.error(f"region id {item.get('id')!r} must be a string or a number",
                                 f"{f}.id")
            kind = item.get("type")
            if kind == "relation":
                pending.append((i, item))
            elif kind == "labels":
                made = self._labels(item, where, f, status, origin)
                spans.extend(made)
                if made:
                    regions.setdefault(item.get("id"), []).extend(made)
            else:
                self._not_carried(item, result, regions, where, f)
        relations: list[Relation] = []
        for i, item in pending:
            relations += self._relations(item, regions, where, f"{field}[{i}]", status, origin)
        return spans, relations

    def _labels(self, item: dict[str, Any], where: str, f: str, status: str, origin: str
                ) -> list[Span]:
        value = item.get("value")
        if not isinstance(value, dict):
            raise self.error("a labels item needs a 'value' object", f"{f}.value")
        s, e = self.offsets.span(value.get("start"), value.get("end"), self.src, None,
                                 f"{f}.value")
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels:
            self.warn(f"{where} {f}: region without labels not carried")
            return []
        made = [make_span(s, e, label, self.src, None, f"{f}.value.labels[{j}]", status=status,
                          origin=origin) for j, label in enumerate(labels)]
        check_text(self.text, made[0], value.get("text"), f"{where} {f}", self.warn)
        return made

    def _not_carried(self, item: dict[str, Any], result: list[Any],
                     regions: dict[Any, list[Span]], where: str, f: str) -> None:
        target = item.get("id")
        scope = "per-region" if target in regions or any(
            isinstance(o, dict) and o.get("id") == target and o.get("type") == "labels"
            for o in result) else "task-level"
        self.warn(f"{where} {f}: {scope} {item.get('type')!r} result not carried"
                  + (f" (region {target})" if scope == "per-region" else ""))

    def _relations(self, item: dict[str, Any], regions: dict[Any, list[Span]], where: str,
                   f: str, status: str, origin: str) -> list[Relation]:
        ends = []
        for k in ("from_id", "to_id"):
            if not isinstance(item.get(k), Hashable) or item.get(k) not in regions:
                raise self.error(f"{k} {item.get(k)!r} is not a labelled region of this "
                                 "annotation", f"{f}.{k}")
            region = regions[item[k]]
            if len(region) > 1:
                self.warn(f"{where} {f}: region {item[k]} has several labels; the relation is "
                          f"attached to its {region[0].label} span")
            ends.append(region[0])
        direction = item.get("direction", "right")
        if direction == "left":
            ends.reverse()
        elif direction == "bi":
            self.warn(f"{where} {f}: bidirectional relation imported as from -> to")
        elif direction != "right":
            raise self.error(f"unknown direction {direction!r} (right, left or bi)",
                             f"{f}.direction")
        labels = item.get("labels") or []
        if not isinstance(labels, list):
            raise self.error("'labels' must be a list", f"{f}.labels")
        if not labels:
            self.warn(f"{where} {f}: relation without a label imported as type 'related'")
            labels = ["related"]
        return [Relation(id=new_id(), doc_id="", type=str(label), head_id=ends[0].id,
                         tail_id=ends[1].id, status="gold" if status == "gold" else "suggested",
                         origin=origin) for label in labels]


def _task_text(tdata: dict[str, Any], text_key: str | None, src: str, tf: str
               ) -> tuple[str, str]:
    """``(key, text)`` of a task's data."""
    key = text_key or ("text" if "text" in tdata else None)
    if key is None:
        strings = [k for k, v in tdata.items() if isinstance(v, str)]
        if len(strings) != 1:
            raise InputFormatError("cannot tell which data field is the text (pass text_key)",
                                   path=src, field=f"{tf}.data")
        key = strings[0]
    text = tdata.get(key)
    if not isinstance(text, str):
        raise InputFormatError(f"data.{key} is not a string", path=src,
                               field=f"{tf}.data.{key}")
    return key, text


def _live(annotations: list[Any], which: str, where: str, src: str, tf: str, warn: Warn
          ) -> list[tuple[int, dict[str, Any]]]:
    """The annotations to import: not cancelled; only the first unless ``which="all"``."""
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
    return live


def _add_predictions(conv: _LSConverter, task: dict[str, Any], sets: dict[str, Annotations],
                     annotated: set[str], set_name: str, where: str, src: str, tf: str) -> None:
    """Predictions as suggested spans/relations of the first set (no duplicate spans)."""
    target = next(iter(sets), set_name)
    ann_ = sets.setdefault(target, Annotations())
    have = {(s.start, s.end, s.label) for s in ann_.spans}
    predictions = task.get("predictions") or []
    if not isinstance(predictions, list):
        raise InputFormatError("'predictions' must be a list", path=src,
                               field=f"{tf}.predictions")
    for pi, pred in enumerate(predictions):
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
                dup[s.id] = next(x.id for x in ann_.spans if (x.start, x.end, x.label) == k)
            have.add(k)
        ann_.spans.extend(s for s in spans if s.id in keep)
        for r in rels:
            r.head_id = dup.get(r.head_id, r.head_id)
            r.tail_id = dup.get(r.tail_id, r.tail_id)
        ann_.relations.extend(rels)
    if not ann_.spans and not ann_.relations and target not in annotated:
        del sets[target]


def _task(task: Any, ti: int, data: Any, path: Path, opts: dict[str, Any], warn: Warn,
          set_name: str) -> DocumentInput:
    src = str(path)
    tf = f"[{ti}]" if isinstance(data, list) else ""
    if not isinstance(task, dict):
        raise InputFormatError("a task must be an object", path=src, field=tf or "task")
    where = f"{src} task {task.get('id', ti + 1)}"
    tdata = task.get("data")
    if not isinstance(tdata, dict):
        raise InputFormatError("task without a 'data' object", path=src,
                               field=f"{tf}.data" if tf else "data")
    key, text = _task_text(tdata, opts["text_key"], src, tf)
    conv = _LSConverter(text, Offsets(text, opts["unit"], src), src, warn)
    annotations = task.get("annotations", task.get("completions")) or []
    if not isinstance(annotations, list):
        raise InputFormatError("'annotations' must be a list", path=src,
                               field=f"{tf}.annotations")
    sets: dict[str, Annotations] = {}
    annotated: set[str] = set()
    for ai, ann in _live(annotations, opts["which"], where, src, tf, warn):
        name = set_name if opts["which"] == "first" else _ls_user(ann)
        base, n = name, 2
        while name in sets:
            name, n = f"{base}-{n}", n + 1
        spans, rels = conv.convert(ann.get("result") or [], where,
                                   f"{tf}.annotations[{ai}].result", status="gold",
                                   origin="import")
        sets[name] = Annotations(spans, [], rels)
        annotated.add(name)
    if opts["include_predictions"]:
        _add_predictions(conv, task, sets, annotated, set_name, where, src, tf)
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
    return DocumentInput(text=text, name=name, meta=meta, sets=sets,
                         status={s: "done" for s in annotated}, source=where)


def read_labelstudio(path: str | Path, **kwargs: Any) -> Iterator[DocumentInput]:
    """Label Studio JSON export (list of tasks, or one task)."""
    path = Path(path)
    warn, set_name = reader_options(kwargs)
    which = kwargs.get("which", "first")
    if which not in ("first", "all"):
        raise InputFormatError(f"which must be 'first' or 'all', got {which!r}", path=str(path))
    opts = {"which": which, "include_predictions": kwargs.get("include_predictions", True),
            "unit": kwargs.get("offsets", "codepoint"), "text_key": kwargs.get("text_key")}
    data = load_json(path)
    tasks = [data] if isinstance(data, dict) else data
    if not isinstance(tasks, list):
        raise InputFormatError("expected a list of tasks (or one task object)", path=str(path))
    for ti, task in enumerate(tasks):
        yield _task(task, ti, data, path, opts, warn, set_name)
