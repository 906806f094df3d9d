"""Native JSON Lines: one document per line with text, metadata, tokens, statuses and every
annotation set (spans with their fragments and references, events with arguments, relations,
coreference chains with ACE-style entity ids: a chain's id and its mentions' span ids).
Lossless: export then import gives back an identical project. Specified in docs/formats.md; validated against
resources/native-jsonl.schema.json, with errors naming the line and the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.inputs import DocumentInput
from annotator.core.model import (
    Annotations,
    Argument,
    Chain,
    Event,
    Reference,
    Relation,
    Span,
    new_id,
)
from annotator.core.ops.fragments import check_fragments
from annotator.core.progress import ProgressFn, report
from annotator.errors import InputFormatError, ValidationError
from annotator.resources_path import resource_path

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.formats.export import ExportOptions, ExportReport

FORMAT_VERSION = 1
_PROV = ("created_by", "created_at", "modified_by", "modified_at")


@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(resource_path("native-jsonl.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _field_path(error: Any) -> str:
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(line)"


# ---- reading ------------------------------------------------------------------------------
def read(path: Path, **_: Any) -> Iterator[DocumentInput]:
    path = Path(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115  (bytes: a bad encoding is reported by line)
    except OSError as exc:
        raise InputFormatError(f"cannot read: {exc.strerror}", path=str(path)) from None
    with fh:
        for n, raw in enumerate(fh, 1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputFormatError(
                    f"not UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start + 1} of the "
                    "line); save the file as UTF-8", path=str(path), line=n) from None
            if not line.strip():
                continue
            yield parse_line(line, path=str(path), line_no=n)


def parse_line(line: str, *, path: str = "<jsonl>", line_no: int = 1) -> DocumentInput:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputFormatError(f"not valid JSON: {exc.msg} at column {exc.colno}", path=path,
                               line=line_no) from None
    except RecursionError:
        raise InputFormatError("not readable: JSON nested too deeply", path=path,
                               line=line_no) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise InputFormatError(f"not valid JSON: {exc}", path=path, line=line_no) from None
    errors = sorted(_validator().iter_errors(obj), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        raise InputFormatError(e.message, path=path, line=line_no, field=_field_path(e))
    return _to_input(obj, path, line_no)


def _to_input(obj: dict[str, Any], path: str, line_no: int) -> DocumentInput:
    text: str = obj["text"]

    def fail(msg: str, field: str) -> InputFormatError:
        return InputFormatError(msg, path=path, line=line_no, field=field)

    def pairs(key: str) -> list[tuple[int, int]] | None:
        if key not in obj:
            return None
        out = []
        for i, (s, e) in enumerate(obj[key]):
            if not 0 <= s <= e <= len(text):
                raise fail(f"[{s}, {e}] is outside the text (length {len(text)})", f"{key}[{i}]")
            out.append((s, e))
        return out

    for key in ("sets", "status"):  # a set named "" would be imported, then never exported
        if "" in obj.get(key, {}):
            raise fail("an annotator (annotation set) name must not be empty", key)

    sets: dict[str, Annotations] = {}
    for who, data in obj.get("sets", {}).items():
        base = f"sets.{who}"
        spans = _read_spans(data, base, text, fail)
        span_ids = {s.id for s in spans}
        events: list[Event] = []
        raw_events = data.get("events", [])
        event_ids = {e.get("id") for e in raw_events if e.get("id")}
        for i, e in enumerate(raw_events):
            where = f"{base}.events[{i}]"
            if e["trigger"] not in span_ids:
                raise fail(f"trigger {e['trigger']!r} is not a span id of this set",
                           where + ".trigger")
            ev_id = e.get("id") or new_id()
            args = []
            for j, a in enumerate(e.get("arguments", [])):
                kind = a.get("filler_kind") or ("event" if a["filler"] in event_ids else "span")
                pool = span_ids if kind == "span" else event_ids
                if a["filler"] not in pool:
                    raise fail(f"argument filler {a['filler']!r} is not a {kind} id of this set",
                               f"{where}.arguments[{j}].filler")
                args.append(Argument(id=a.get("id") or new_id(), event_id=ev_id, role=a["role"],
                                     filler_id=a["filler"], filler_kind=kind, position=j,
                                     status=a.get("status", "gold"),
                                     origin=a.get("origin", "manual"), **_read_suggestion(a)))
            events.append(Event(
                id=ev_id, doc_id="", type=e["type"], trigger_id=e["trigger"],
                attrs=e.get("attrs", {}), note=e.get("note", ""), arguments=args,
                status=e.get("status", "gold"), origin=e.get("origin", "import"),
                **{k: e.get(k, "") for k in _PROV}, **_read_suggestion(e)))
        relations = _read_relations(data, base, span_ids, fail)
        chains = [_read_chain(c, span_ids, f"{base}.chains[{i}]", fail)
                  for i, c in enumerate(data.get("chains", []))]
        sets[who] = Annotations(spans, events, relations, chains)

    return DocumentInput(
        text=text, name=obj.get("name", ""), meta=obj.get("meta", {}), lang=obj.get("lang", ""),
        id=obj.get("id", ""), tokens=pairs("tokens"), sentences=pairs("sentences"),
        tokenizer=obj.get("tokenizer", ""), status=obj.get("status", {}), sets=sets,
        source=f"{path}:{line_no}")


# ---- writing ------------------------------------------------------------------------------
def _prov(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in _PROV} | _suggestion(obj)


def _suggestion(obj: Any) -> dict[str, Any]:
    """A suggestion's source and score, written only when set (gold output is unchanged)."""
    out: dict[str, Any] = {"source": obj.source} if obj.source else {}
    if obj.score is not None:
        out["score"] = obj.score
    return out


Fail = Callable[[str, str], InputFormatError]  # (message, field) -> the error to raise


def _read_spans(data: dict[str, Any], base: str, text: str, fail: Fail) -> list[Span]:
    """The spans of one set, offsets and ``text`` checked against the document."""
    spans: list[Span] = []
    for i, s in enumerate(data.get("spans", [])):
        where = f"{base}.spans[{i}]"
        if not 0 <= s["start"] < s["end"] <= len(text):
            raise fail(f"span [{s['start']}:{s['end']}] is outside the text "
                       f"(length {len(text)}) or empty", where)
        if "text" in s and text[s["start"]:s["end"]] != s["text"]:
            raise fail(f"span text {s['text']!r} does not match the text at its offsets "
                       f"({text[s['start']:s['end']]!r})", where + ".text")
        spans.append(Span(
            id=s.get("id") or new_id(), doc_id="", start=s["start"], end=s["end"],
            label=s["label"], kind=s.get("kind", "entity"), attrs=s.get("attrs", {}),
            note=s.get("note", ""), kb_id=s.get("kb_id", ""), status=s.get("status", "gold"),
            origin=s.get("origin", "import"), **{k: s.get(k, "") for k in _PROV},
            **_read_suggestion(s)))
        _read_fragments_refs(spans[-1], s, len(text), where, fail)
    return spans


def _read_relations(data: dict[str, Any], base: str, span_ids: set[str],
                    fail: Fail) -> list[Relation]:
    """The relations of one set; both ends must be span ids of the set."""
    relations: list[Relation] = []
    for i, r in enumerate(data.get("relations", [])):
        where = f"{base}.relations[{i}]"
        for end in ("head", "tail"):
            if r[end] not in span_ids:
                raise fail(f"relation {end} {r[end]!r} is not a span id of this set",
                           f"{where}.{end}")
        relations.append(Relation(
            id=r.get("id") or new_id(), doc_id="", type=r["type"], head_id=r["head"],
            tail_id=r["tail"], attrs=r.get("attrs", {}), note=r.get("note", ""),
            status=r.get("status", "gold"), origin=r.get("origin", "import"),
            **{k: r.get(k, "") for k in _PROV}, **_read_suggestion(r)))
    return relations


def _read_refs(raw: list[dict[str, str]]) -> list[Reference]:
    return [Reference(r["db"], r["id"], r.get("name", "")) for r in raw]


def _read_fragments_refs(span: Span, raw: dict[str, Any], length: int, where: str,
                         fail: Fail) -> None:
    """A span's ``fragments`` (two or more, their hull its start/end) and ``refs``."""
    span.fragments = [(a, b) for a, b in raw.get("fragments", [])]
    span.refs = _read_refs(raw.get("refs", []))
    try:
        check_fragments(span, length)
    except ValidationError as exc:
        raise fail(str(exc), where + ".fragments") from None


def _read_chain(raw: dict[str, Any], span_ids: set[str], where: str, fail: Fail) -> Chain:
    """A chain of this set: its mentions must be span ids of the set."""
    for j, m in enumerate(raw["mentions"]):
        if m not in span_ids:
            raise fail(f"chain mention {m!r} is not a span id of this set",
                       f"{where}.mentions[{j}]")
    if len(set(raw["mentions"])) != len(raw["mentions"]):
        raise fail("a chain lists each mention once", where + ".mentions")
    return Chain(id=raw.get("id") or new_id(), doc_id="", type=raw.get("type", ""),
                 mentions=list(raw["mentions"]), attrs=raw.get("attrs", {}),
                 refs=_read_refs(raw.get("refs", [])), note=raw.get("note", ""),
                 status=raw.get("status", "gold"), origin=raw.get("origin", "import"),
                 **{k: raw.get(k, "") for k in _PROV})


def _span_json(s: Span) -> dict[str, Any]:
    out = {"id": s.id, "start": s.start, "end": s.end, "label": s.label, "kind": s.kind,
           "attrs": s.attrs, "note": s.note, "kb_id": s.kb_id, "status": s.status,
           "origin": s.origin, **_prov(s)}
    if s.fragments:
        out["fragments"] = [list(f) for f in s.fragments]
    if s.refs:
        out["refs"] = _refs_json(s.refs)
    return out


def _refs_json(refs: list[Reference]) -> list[dict[str, str]]:
    return [{"db": r.db, "id": r.id, "name": r.name} for r in refs]


def _chain_json(c: Chain) -> dict[str, Any]:
    return {"id": c.id, "type": c.type, "mentions": list(c.mentions), "attrs": c.attrs,
            "refs": _refs_json(c.refs), "note": c.note, "status": c.status, "origin": c.origin,
            **_prov(c)}


def _read_suggestion(obj: dict[str, Any]) -> dict[str, Any]:
    return {"source": obj.get("source", ""), "score": obj.get("score")}


def annotations_to_json(ann: Annotations) -> dict[str, Any]:
    return {
        "spans": [_span_json(s) for s in ann.spans],
        "events": [{"id": e.id, "type": e.type, "trigger": e.trigger_id, "attrs": e.attrs,
                    "note": e.note,
                    "arguments": [{"id": a.id, "role": a.role, "filler": a.filler_id,
                                   "filler_kind": a.filler_kind,
                                   **({"status": a.status} if a.status != "gold" else {}),
                                   **({"origin": a.origin} if a.origin != "manual" else {}),
                                   **_suggestion(a)} for a in e.arguments],
                    "status": e.status, "origin": e.origin, **_prov(e)} for e in ann.events],
        "relations": [{"id": r.id, "type": r.type, "head": r.head_id, "tail": r.tail_id,
                       "attrs": r.attrs, "note": r.note, "status": r.status, "origin": r.origin,
                       **_prov(r)} for r in ann.relations],
        **({"chains": [_chain_json(c) for c in ann.chains]} if ann.chains else {}),
    }


def document_to_json(project: Project, doc_id: str, annotators: list[str] | None) -> dict:
    doc = project.document(doc_id)
    sets = {}
    for who in annotators if annotators is not None else project.annotators():
        ann = project.annotations(doc_id, who)
        if ann.spans or ann.events or ann.relations:
            sets[who] = annotations_to_json(ann)
    return {
        "annotator_jsonl": FORMAT_VERSION, "id": doc.id, "name": doc.name, "text": doc.text,
        "lang": doc.lang, "meta": doc.meta, "tokenizer": doc.tokenizer,
        "tokens": [list(t) for t in doc.tokens], "sentences": [list(s) for s in doc.sentences],
        "status": project.statuses(doc_id), "sets": sets,
    }


def export(project: Project, out: Path, options: ExportOptions, rep: ExportReport,
           progress: ProgressFn | None = None) -> None:
    """Write the selected documents with every annotation set (or only ``options.annotator``'s).

    Lossless by design: suggested spans, attributes, notes and provenance are all kept, and the
    label map is not applied (use it with the training formats)."""
    from annotator.formats.export import resolve_annotator, selected_documents

    # the sets are listed once: listing them scans every annotation table (per document, the
    # export of 4,000 documents took 763 s instead of a few)
    who = [options.annotator] if options.annotator else project.annotators()
    rep.annotator = options.annotator or "all sets"
    # "done" means done in the chosen set (gold if it exists), as for every other format
    ids = selected_documents(project, options, resolve_annotator(project, options)) \
        if options.documents != "all" else project.document_ids()
    # written straight to ``out``: run_export stages it beside the target and renames it
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for i, doc_id in enumerate(ids):
            obj = document_to_json(project, doc_id, who)
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
            rep.documents += 1
            for data in obj["sets"].values():
                rep.spans.update(s["label"] for s in data["spans"])
                rep.events.update(e["type"] for e in data["events"])
                rep.relations.update(r["type"] for r in data["relations"])
            report(progress, i + 1, len(ids), f"exported {i + 1} of {len(ids)} documents")
    rep.files.append(str(out))
    if not options.label_map.identity:
        rep.notes.append("the label map is not applied to the lossless native JSONL")
