"""DyGIE++ JSON Lines (``dwadden/dygiepp:doc/data.md``): export and import.

One document per line::

    {"doc_key": "...", "dataset": "annotator",
     "sentences": [["Russia", "pulled", "out", "."], ...],       # whitespace tokens dropped
     "ner":       [[[0, 0, "GPE"]], ...],                         # per sentence [s, e, label]
     "relations": [[[s1, e1, s2, e2, "ORG-AFF.Employment"]], ...],
     "events":    [[[[1, "Movement.Transport"], [0, 0, "Artifact"]]], ...],
     "clusters":  [[[s, e], ...], ...]}                           # only if imported (see below)

Token indices are document-level over the kept (non-whitespace) tokens, ends inclusive;
annotations are grouped by the sentence of their first token (events: of the trigger).

Export (``options.extra``): ``dataset`` (default: the ``dataset`` a DyGIE++ import recorded in
the document's meta, else ``"annotator"``); ``trigger_head`` ``"last"`` (default) | ``"first"``:
DyGIE++ triggers are one token, so a multi-token trigger is written as its last (first) token,
counted in ``report.notes``; ``kinds`` (default ``"entity,value"``) span kinds written to
``ner``. Reported as losses: spans off token boundaries, entities/relations/arguments across a
sentence boundary, arguments filled by an event, attributes and KB ids.

Import (``read``): ``sentences``, ``ner`` (nested spans kept), ``relations`` and ``events``
become spans, relations and events in set ``annotator`` (default ``"gold"``, marked ``status``
``"done"``). Text = tokens joined by single spaces, sentences by ``"\\n"``. A relation or
argument span that is not in ``ner`` becomes an entity span labelled ``unlabeled`` (default
``"ARG"``) with ``attrs["dygiepp_unlabeled"] = True``, which the exporter keeps out of ``ner``.
``clusters``/``event_clusters`` are coreference, which the project has no annotation for:
``clusters="meta"`` (default) keeps them (character offsets) in ``meta["dygiepp"]`` and the
exporter writes them back; ``"relations"`` imports each mention as a ``coref`` relation to the
cluster's first mention; ``"drop"`` drops them; every case is announced through ``warn``.
``_``-prefixed per-sentence keys and ``weight`` are kept in ``meta["dygiepp"]`` and written
back when the sentences still match; ``predicted_*`` keys are ignored (announced).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Argument, Event, Relation, Span, new_id
from annotator.core.progress import ProgressFn
from annotator.errors import ExportError, InputFormatError
from annotator.formats.export import ExportOptions, ExportReport, export_documents
from annotator.formats.tokens import (
    CROSSES_SENTENCE,
    NOT_ALIGNED,
    UNLABELED_ATTR,
    TokenMap,
    lose_attributes,
)

if TYPE_CHECKING:
    from annotator.core.project import Project

META_KEY = "dygiepp"


# ---- export ---------------------------------------------------------------------------------
def export(project: Project, out: Path, options: ExportOptions, report: ExportReport,
           progress: ProgressFn | None = None) -> None:
    out = Path(out)
    if out.is_dir():
        raise ExportError(f"{out}: the DyGIE++ export writes one .jsonl file; this is a folder")
    extra = options.extra
    head_rule = str(extra.get("trigger_head", "last"))
    if head_rule not in ("last", "first"):
        raise ExportError(f"trigger_head must be 'last' or 'first', got {head_rule!r}")
    kinds = extra.get("kinds", "entity,value")
    kinds = tuple(k.strip() for k in (kinds.split(",") if isinstance(kinds, str) else kinds))
    multi = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for ed in export_documents(project, options, report, progress):
            obj, n = document_json(ed.doc, ed.ann, report, dataset=extra.get("dataset"),
                                   head_rule=head_rule, kinds=kinds)
            multi += n
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    report.files.append(str(out))
    report.notes.append(f"DyGIE++: one-token triggers by the {head_rule!r}-token rule "
                        f"(options trigger_head); {multi} multi-token trigger(s) were cut to "
                        "one token")


def document_json(doc: Any, ann: Any, report: ExportReport, *, dataset: str | None = None,
                  head_rule: str = "last", kinds: tuple[str, ...] = ("entity", "value")
                  ) -> tuple[dict[str, Any], int]:
    """The DyGIE++ object of one document and how many triggers were cut to one token."""
    tm = TokenMap(doc)
    n_sent = len(tm.sentences)
    sentences = [[tm.text[s:e] for s, e in tm.tokens[a:b]] for a, b in tm.sentences]
    ner: list[list[list[Any]]] = [[] for _ in range(n_sent)]
    relations: list[list[list[Any]]] = [[] for _ in range(n_sent)]
    events: list[list[list[Any]]] = [[] for _ in range(n_sent)]
    aligned: dict[str, tuple[int, int]] = {}
    for s in ann.spans:
        r = tm.span(s.start, s.end)
        if r is None:
            report.lose_span(doc, s, NOT_ALIGNED)
            continue
        aligned[s.id] = r
        if s.kind not in kinds or s.attrs.get(UNLABELED_ATTR):
            continue
        if not tm.same_sentence(r):
            report.lose_span(doc, s, CROSSES_SENTENCE)
            continue
        ner[tm.sentence_of(r[0])].append([r[0], r[1] - 1, s.label])
    by_id = ann.span_by_id()
    for rel in ann.relations:
        h, t = aligned.get(rel.head_id), aligned.get(rel.tail_id)
        if h is None or t is None:
            report.lose(doc, "relation", f"argument {NOT_ALIGNED}", label=rel.type, id=rel.id)
            continue
        if not tm.same_sentence(h, t):
            hs = by_id[rel.head_id]
            report.lose(doc, "relation", "arguments in different sentences", label=rel.type,
                        start=hs.start, end=hs.end, id=rel.id)
            continue
        relations[tm.sentence_of(h[0])].append([h[0], h[1] - 1, t[0], t[1] - 1, rel.type])
    multi = 0
    for ev in ann.events:
        tr = aligned.get(ev.trigger_id)
        if tr is None:
            report.lose(doc, "event", f"trigger {NOT_ALIGNED}", label=ev.type, id=ev.id)
            continue
        if tr[1] - tr[0] > 1:
            multi += 1
        head = tr[1] - 1 if head_rule == "last" else tr[0]
        sent = tm.sentence_of(head)
        item: list[list[Any]] = [[head, ev.type]]
        for a in ev.arguments:
            label = f"{ev.type}/{a.role}"
            if a.filler_kind != "span":
                report.lose(doc, "argument", "argument filled by an event (DyGIE++ arguments "
                            "are spans)", label=label, id=a.id)
                continue
            r = aligned.get(a.filler_id)
            if r is None:
                report.lose(doc, "argument", f"filler {NOT_ALIGNED}", label=label, id=a.id)
                continue
            if not tm.same_sentence(r) or tm.sentence_of(r[0]) != sent:
                f = by_id[a.filler_id]
                report.lose(doc, "argument", "argument outside the trigger's sentence",
                            label=label, start=f.start, end=f.end, id=a.id)
                continue
            item.append([r[0], r[1] - 1, a.role])
        events[sent].append(item)
    lose_attributes(report, doc, ann, "DyGIE++")

    meta = doc.meta.get(META_KEY) if isinstance(doc.meta.get(META_KEY), dict) else {}
    key: Any = doc.name
    if "doc_key" in meta and str(meta["doc_key"]) == doc.name:
        key = meta["doc_key"]
    obj: dict[str, Any] = {"doc_key": key,
                           "dataset": dataset or meta.get("dataset") or "annotator",
                           "sentences": sentences, "ner": ner, "relations": relations,
                           "events": events}
    for name in ("clusters", "event_clusters"):
        if meta.get(name):
            clusters = []
            for cluster in meta[name]:
                members = [tm.span(s, e) for s, e in cluster]
                members = [[r[0], r[1] - 1] for r in members if r is not None]
                if members:
                    clusters.append(members)
            obj[name] = clusters
    for name, values in (meta.get("sentence_meta") or {}).items():
        if isinstance(values, list) and len(values) == n_sent:
            obj[name] = values
    if "weight" in meta:
        obj["weight"] = meta["weight"]
    return obj, multi


# ---- import ---------------------------------------------------------------------------------
def read(path: Path, *, annotator: str = "gold", status: str | None = "done",
         unlabeled: str = "ARG", clusters: str = "meta",
         warn: Callable[[str], None] | None = None, **_: Any) -> Iterator[DocumentInput]:
    """Documents of a DyGIE++ ``.jsonl`` file (or a single-document ``.json``)."""
    path = Path(path)
    if clusters not in ("meta", "relations", "drop"):
        raise InputFormatError(f"clusters must be meta, relations or drop, got {clusters!r}",
                               path=str(path))
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputFormatError(f"cannot read: {exc.strerror}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    for line_no, obj in _objects(raw, path):
        yield _document(obj, path, line_no, annotator=annotator, status=status,
                        unlabeled=unlabeled, clusters=clusters, warn=warn)


def _objects(raw: str, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    lines = raw.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return
    try:
        json.loads(lines[first])
        per_line = True
    except json.JSONDecodeError:
        per_line = False
    if not per_line:  # one pretty-printed document
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputFormatError(f"bad JSON: {exc.msg}", path=str(path),
                                   line=exc.lineno) from None
        objs = obj if isinstance(obj, list) else [obj]
        for o in objs:
            if not isinstance(o, dict):
                raise InputFormatError("expected a JSON object per document", path=str(path))
            yield first + 1, o
        return
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputFormatError(f"bad JSON: {exc.msg}", path=str(path), line=n) from None
        if not isinstance(obj, dict):
            raise InputFormatError("expected a JSON object", path=str(path), line=n)
        yield n, obj


def _per_sentence(obj: dict[str, Any], key: str, n: int, path: Path, line: int) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return [[] for _ in range(n)]
    if not isinstance(value, list) or len(value) != n or not all(isinstance(x, list)
                                                                 for x in value):
        raise InputFormatError(f"expected one list per sentence ({n})", path=str(path),
                               line=line, field=key)
    return value


def _document(obj: dict[str, Any], path: Path, line: int, *, annotator: str,
              status: str | None, unlabeled: str, clusters: str,
              warn: Callable[[str], None] | None) -> DocumentInput:
    where = {"path": str(path), "line": line}
    sents = obj.get("sentences")
    if not isinstance(sents, list) or not sents:
        raise InputFormatError("expected a non-empty list of token lists", **where,
                               field="sentences")
    for k, sent in enumerate(sents):
        if not isinstance(sent, list) or not all(isinstance(t, str) and t for t in sent):
            raise InputFormatError(f"sentence {k} must be a list of non-empty strings", **where,
                                   field="sentences")
    if "doc_key" not in obj:
        raise InputFormatError("missing doc_key", **where, field="doc_key")
    n = len(sents)
    ner = _per_sentence(obj, "ner", n, path, line)
    rels = _per_sentence(obj, "relations", n, path, line)
    evs = _per_sentence(obj, "events", n, path, line)

    parts: list[str] = []
    tokens: list[tuple[int, int]] = []  # every token incl. the "\n" between sentences
    offsets: list[tuple[int, int]] = []  # DyGIE++ token index -> chars
    sent_ranges: list[tuple[int, int]] = []
    sent_of: list[int] = []
    pos = 0
    for k, sent in enumerate(sents):
        if k:
            tokens.append((pos, pos + 1))
            parts.append("\n")
            pos += 1
        first = pos
        for i, tok in enumerate(sent):
            if i:
                parts.append(" ")
                pos += 1
            offsets.append((pos, pos + len(tok)))
            tokens.append((pos, pos + len(tok)))
            sent_of.append(k)
            parts.append(tok)
            pos += len(tok)
        sent_ranges.append((first, pos))
    total = len(offsets)

    spans: list[Span] = []
    by_range: dict[tuple[int, int], str] = {}
    seen: set[tuple[int, int, str]] = set()

    def tok_range(s: Any, e: Any, field: str) -> tuple[int, int]:
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e < total):
            raise InputFormatError(f"token range [{s}, {e}] outside the {total} tokens "
                                   "(ends are inclusive)", **where, field=field)
        return s, e

    def add_span(s: int, e: int, label: str, kind: str = "entity",
                 attrs: dict[str, Any] | None = None) -> Span:
        span = Span(id=new_id(), doc_id="", start=offsets[s][0], end=offsets[e][1], label=label,
                    kind=kind, attrs=attrs or {}, status="gold", origin="import")
        spans.append(span)
        return span

    def filler(s: int, e: int) -> str:
        if (s, e) not in by_range:
            by_range[(s, e)] = add_span(s, e, unlabeled, attrs={UNLABELED_ATTR: True}).id
        return by_range[(s, e)]

    for k, items in enumerate(ner):
        for item in items:
            if not (isinstance(item, list) and len(item) >= 3 and isinstance(item[2], str)):
                raise InputFormatError(f"sentence {k}: expected [start, end, label], got "
                                       f"{item!r}", **where, field="ner")
            s, e = tok_range(item[0], item[1], "ner")
            if (s, e, item[2]) in seen:
                if warn is not None:
                    warn(f"{path}:{line}: {obj['doc_key']}: duplicate ner entry {item!r} "
                         "imported once")
                continue
            seen.add((s, e, item[2]))
            span = add_span(s, e, item[2])
            by_range.setdefault((s, e), span.id)
    relations: list[Relation] = []
    for k, items in enumerate(rels):
        for item in items:
            if not (isinstance(item, list) and len(item) >= 5 and isinstance(item[4], str)):
                raise InputFormatError(f"sentence {k}: expected [s1, e1, s2, e2, label], got "
                                       f"{item!r}", **where, field="relations")
            h = tok_range(item[0], item[1], "relations")
            t = tok_range(item[2], item[3], "relations")
            relations.append(Relation(id=new_id(), doc_id="", type=item[4], head_id=filler(*h),
                                      tail_id=filler(*t), status="gold", origin="import"))
    events: list[Event] = []
    for k, items in enumerate(evs):
        for item in items:
            ok = (isinstance(item, list) and item and isinstance(item[0], list)
                  and len(item[0]) >= 2 and isinstance(item[0][0], int)
                  and isinstance(item[0][1], str))
            if not ok:
                raise InputFormatError(f"sentence {k}: expected [[trigger, type], [s, e, role], "
                                       f"...], got {item!r}", **where, field="events")
            ti = tok_range(item[0][0], item[0][0], "events")[0]
            trigger = add_span(ti, ti, item[0][1], kind="trigger")
            ev = Event(id=new_id(), doc_id="", type=item[0][1], trigger_id=trigger.id,
                       status="gold", origin="import")
            for arg in item[1:]:
                if not (isinstance(arg, list) and len(arg) >= 3 and isinstance(arg[2], str)):
                    raise InputFormatError(f"sentence {k}: expected argument [s, e, role], got "
                                           f"{arg!r}", **where, field="events")
                s, e = tok_range(arg[0], arg[1], "events")
                ev.arguments.append(Argument(id=new_id(), event_id=ev.id, role=arg[2],
                                             filler_id=filler(s, e)))
            events.append(ev)

    meta: dict[str, Any] = {"source_format": "dygiepp", "source_file": path.name}
    extra: dict[str, Any] = {"doc_key": obj["doc_key"]}
    if isinstance(obj.get("dataset"), str):
        extra["dataset"] = obj["dataset"]
    name = str(obj["doc_key"])
    for key in ("clusters", "event_clusters"):
        value = obj.get(key)
        if not value:
            continue
        if not isinstance(value, list):
            raise InputFormatError("expected a list of clusters", **where, field=key)
        char_clusters = []
        for cluster in value:
            if not isinstance(cluster, list):
                raise InputFormatError("expected a list of [start, end] per cluster", **where,
                                       field=key)
            members = []
            for m in cluster:
                if not (isinstance(m, list) and len(m) >= 2):
                    raise InputFormatError(f"expected [start, end], got {m!r}", **where,
                                           field=key)
                s, e = tok_range(m[0], m[1], key)
                members.append((s, e))
            char_clusters.append(members)
        n_mentions = sum(len(c) for c in char_clusters)
        if clusters == "relations" and key == "clusters":
            for members in char_clusters:
                first = filler(*members[0])
                for m in members[1:]:
                    relations.append(Relation(id=new_id(), doc_id="", type="coref",
                                              head_id=filler(*m), tail_id=first,
                                              status="gold", origin="import"))
            note = "imported as 'coref' relations to each cluster's first mention"
        elif clusters == "drop":
            note = "dropped (clusters='drop')"
        else:
            extra[key] = [[[offsets[s][0], offsets[e][1]] for s, e in c] for c in char_clusters]
            note = (f"kept in the document's meta[{META_KEY!r}][{key!r}] (not annotations); "
                    "the DyGIE++ export writes them back")
        if warn is not None:
            warn(f"{path}:{line}: {name}: {len(char_clusters)} {key} ({n_mentions} mentions) "
                 f"{note}")
    sentence_meta = {k: v for k, v in obj.items() if k.startswith("_")}
    if sentence_meta:
        extra["sentence_meta"] = sentence_meta
    if "weight" in obj:
        extra["weight"] = obj["weight"]
    predicted = [k for k in obj if k.startswith("predicted_")]
    if predicted and warn is not None:
        warn(f"{path}:{line}: {name}: model predictions ({', '.join(predicted)}) not imported")
    meta[META_KEY] = extra
    return DocumentInput(
        text="".join(parts), name=name, meta=meta, tokens=tokens, sentences=sent_ranges,
        tokenizer="dygiepp", status={annotator: status} if status else {},
        sets={annotator: Annotations(spans=spans, events=events, relations=relations)},
        source=f"{path}:{line}")
