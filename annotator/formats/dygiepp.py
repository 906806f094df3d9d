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
``ner``; ``max_span_width`` (default 8): what DyGIE++'s reader merges or skips (events on one
trigger token, a second NER label of a span, spans longer than this) is named in the report
(``dygiepp_limits``). Reported as losses: spans off token boundaries, entities/relations/arguments across a
sentence boundary, arguments filled by an event, attributes and KB ids.

Import (``read``): ``sentences``, ``ner`` (nested spans kept), ``relations`` and ``events``
become spans, relations and events in set ``annotator`` (default ``"gold"``, marked ``status``
``"done"``). Text = tokens joined by single spaces, sentences by ``"\\n"``. A relation or
argument span that is not in ``ner`` becomes an entity span labelled ``unlabeled`` (default
``"ARG"``) with ``attrs["dygiepp_unlabeled"] = True``, which the exporter keeps out of ``ner``.
``clusters`` are coreference: ``clusters="chains"`` (default) makes each cluster a chain
(untyped; a mention not in ``ner`` an unlabeled span), which the exporter writes back as
``clusters``; ``"meta"`` keeps them (character offsets) in ``meta["dygiepp"]`` and the exporter
writes them back; ``"relations"`` imports each mention as a ``coref`` relation to the cluster's
first mention; ``"drop"`` drops them. ``event_clusters`` (chains join spans, not events) are
kept in the meta or dropped; every case but ``chains`` is announced through ``warn``.
``_``-prefixed per-sentence keys and ``weight`` are kept in ``meta["dygiepp"]`` and written
back when the sentences still match; ``predicted_*`` keys are ignored (announced).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Argument, Chain, Event, Relation, Span, new_id
from annotator.core.progress import ProgressFn
from annotator.errors import ExportError, InputFormatError
from annotator.formats.align import Alignment, lose_attributes
from annotator.formats.dygiepp_limits import DEFAULT_MAX_SPAN_WIDTH, Limits
from annotator.formats.export import ExportOptions, ExportReport, export_documents
from annotator.formats.tokens import CROSSES_SENTENCE, UNLABELED_ATTR, TokenMap

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
    limits = Limits(_max_span_width(extra))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for ed in export_documents(project, options, report, progress):
            obj, n = document_json(ed.doc, ed.ann, report, dataset=extra.get("dataset"),
                                   head_rule=head_rule, kinds=kinds)
            multi += n
            limits.check(ed.doc.name, obj)
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    report.files.append(str(out))
    report.notes.extend(limits.notes())
    report.notes.append(f"DyGIE++: one-token triggers by the {head_rule!r}-token rule "
                        f"(options trigger_head); {multi} multi-token trigger(s) were cut to "
                        "one token")


def _max_span_width(extra: dict[str, Any]) -> int:
    raw = extra.get("max_span_width", DEFAULT_MAX_SPAN_WIDTH)
    try:
        width = int(raw)
    except (TypeError, ValueError):
        width = 0
    if width < 1:
        raise ExportError(f"max_span_width must be a whole number of tokens, got {raw!r}")
    return width


def document_json(doc: Any, ann: Any, report: ExportReport, *, dataset: str | None = None,
                  head_rule: str = "last", kinds: tuple[str, ...] = ("entity", "value")
                  ) -> tuple[dict[str, Any], int]:
    """The DyGIE++ object of one document and how many triggers were cut to one token."""
    tm = TokenMap(doc)
    n_sent = len(tm.sentences)
    ner: list[list[list[Any]]] = [[] for _ in range(n_sent)]

    def each(s: Any, r: tuple[int, int]) -> None:
        if s.kind not in kinds or s.attrs.get(UNLABELED_ATTR):
            return
        if not tm.same_sentence(r):
            report.lose_span(doc, s, CROSSES_SENTENCE)
            return
        ner[tm.sentence_of(r[0])].append([r[0], r[1] - 1, s.label])

    al = Alignment(doc, ann, report, tm, each=each)
    relations = _relations(al, n_sent)
    events, multi = _events(al, n_sent, head_rule)
    lose_attributes(report, doc, ann, "DyGIE++")
    sentences = [[tm.text[s:e] for s, e in tm.tokens[a:b]] for a, b in tm.sentences]
    meta = doc.meta.get(META_KEY) if isinstance(doc.meta.get(META_KEY), dict) else {}
    key: Any = doc.name
    if "doc_key" in meta and str(meta["doc_key"]) == doc.name:
        key = meta["doc_key"]
    obj: dict[str, Any] = {"doc_key": key,
                           "dataset": dataset or meta.get("dataset") or "annotator",
                           "sentences": sentences, "ner": ner, "relations": relations,
                           "events": events}
    if ann.chains:
        obj["clusters"] = _clusters(doc, ann, tm, report)
    _write_back_meta(obj, meta, tm, n_sent)
    return obj, multi


def _relations(al: Alignment, n_sent: int) -> list[list[list[Any]]]:
    tm, doc = al.tm, al.doc
    relations: list[list[list[Any]]] = [[] for _ in range(n_sent)]
    for rel in al.ann.relations:
        ends = al.relation_ends(rel, locate=False)
        if ends is None:
            continue
        h, t = ends
        if not tm.same_sentence(h, t):
            hs = al.by_id[rel.head_id]
            al.report.lose(doc, "relation", "arguments in different sentences", label=rel.type,
                           start=hs.start, end=hs.end, id=rel.id)
            continue
        relations[tm.sentence_of(h[0])].append([h[0], h[1] - 1, t[0], t[1] - 1, rel.type])
    return relations


def _events(al: Alignment, n_sent: int, head_rule: str) -> tuple[list[list[list[Any]]], int]:
    """Events per sentence (of the trigger's head token) and how many triggers were cut."""
    events: list[list[list[Any]]] = [[] for _ in range(n_sent)]
    multi = 0
    for ev in al.ann.events:
        tr = al.trigger(ev, locate=False)
        if tr is None:
            continue
        if tr[1] - tr[0] > 1:
            multi += 1
        head = tr[1] - 1 if head_rule == "last" else tr[0]
        sent = al.tm.sentence_of(head)
        events[sent].append([[head, ev.type], *_arguments(al, ev, sent)])
    return events, multi


def _arguments(al: Alignment, ev: Any, sent: int) -> list[list[Any]]:
    tm, doc = al.tm, al.doc
    out: list[list[Any]] = []
    for a in ev.arguments:
        label = f"{ev.type}/{a.role}"
        if a.filler_kind != "span":
            al.report.lose(doc, "argument", "argument filled by an event (DyGIE++ arguments "
                           "are spans)", label=label, id=a.id)
            continue
        r = al.filler(ev, a, locate=False)
        if r is None:
            continue
        if not tm.same_sentence(r) or tm.sentence_of(r[0]) != sent:
            f = al.by_id[a.filler_id]
            al.report.lose(doc, "argument", "argument outside the trigger's sentence",
                           label=label, start=f.start, end=f.end, id=a.id)
            continue
        out.append([r[0], r[1] - 1, a.role])
    return out


def _clusters(doc: Any, ann: Any, tm: TokenMap, report: ExportReport) -> list[list[list[int]]]:
    """The chains as DyGIE++ clusters: [[s, e], ...] per chain, token ranges, ends inclusive
    (a mention off token boundaries is reported and left out; a fragmented one is its hull)."""
    spans = ann.span_by_id()
    out = []
    for c in ann.chains:
        members = []
        for m in c.mentions:
            s = spans.get(m)
            r = tm.span(s.start, s.end) if s is not None else None
            if r is None:
                if s is not None:
                    report.lose_span(doc, s, "chain mention off token boundaries")
                continue
            members.append([r[0], r[1] - 1])
        if members:
            out.append(members)
    return out


def _write_back_meta(obj: dict[str, Any], meta: dict[str, Any], tm: TokenMap,
                     n_sent: int) -> None:
    """Clusters, per-sentence ``_`` keys and ``weight`` a DyGIE++ import kept in the meta
    (clusters kept by ``clusters="meta"``, or by an import before chains existed, unless the
    document has chains)."""
    for name in ("clusters", "event_clusters"):
        if meta.get(name) and name not in obj:
            clusters = []
            for cluster in meta[name]:
                ranges = [tm.span(s, e) for s, e in cluster]
                members = [[r[0], r[1] - 1] for r in ranges if r is not None]
                if members:
                    clusters.append(members)
            obj[name] = clusters
    for name, values in (meta.get("sentence_meta") or {}).items():
        if isinstance(values, list) and len(values) == n_sent:
            obj[name] = values
    if "weight" in meta:
        obj["weight"] = meta["weight"]


# ---- import ---------------------------------------------------------------------------------
def read(path: Path, *, annotator: str = "gold", status: str | None = "done",
         unlabeled: str = "ARG", clusters: str = "chains",
         warn: Callable[[str], None] | None = None, **_: Any) -> Iterator[DocumentInput]:
    """Documents of a DyGIE++ ``.jsonl`` file (or a single-document ``.json``)."""
    path = Path(path)
    if clusters not in ("chains", "meta", "relations", "drop"):
        raise InputFormatError(f"clusters must be chains, meta, relations or drop, got "
                               f"{clusters!r}",
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
    reader = _DocReader(obj, path, line, unlabeled, warn)
    reader.read_ner()
    reader.read_relations()
    reader.read_events()
    meta = reader.meta(clusters)
    return DocumentInput(
        text=reader.text, name=reader.name, meta=meta, tokens=reader.tokens,
        sentences=reader.sent_ranges, tokenizer="dygiepp",
        status={annotator: status} if status else {},
        sets={annotator: Annotations(spans=reader.spans, events=reader.events,
                                     relations=reader.relations, chains=reader.chains)},
        source=f"{path}:{line}")


class _DocReader:
    """One DyGIE++ object -> text, tokens and annotations, errors naming file, line, field."""

    def __init__(self, obj: dict[str, Any], path: Path, line: int, unlabeled: str,
                 warn: Callable[[str], None] | None) -> None:
        self.obj, self.path, self.line, self.unlabeled, self.warn = obj, path, line, unlabeled, warn
        sents = obj.get("sentences")
        if not isinstance(sents, list) or not sents:
            raise self.error("expected a non-empty list of token lists", "sentences")
        for k, sent in enumerate(sents):
            if not isinstance(sent, list) or not all(isinstance(t, str) and t for t in sent):
                raise self.error(f"sentence {k} must be a list of non-empty strings",
                                 "sentences")
        if "doc_key" not in obj:
            raise self.error("missing doc_key", "doc_key")
        self.name = str(obj["doc_key"])
        self.n = len(sents)
        self.items = {key: _per_sentence(obj, key, self.n, path, line)
                      for key in ("ner", "relations", "events")}
        self._layout(sents)
        self.spans: list[Span] = []
        self.relations: list[Relation] = []
        self.events: list[Event] = []
        self.by_range: dict[tuple[int, int], str] = {}
        self.chains: list[Chain] = []

    def error(self, message: str, field: str) -> InputFormatError:
        return InputFormatError(message, path=str(self.path), line=self.line, field=field)

    def _layout(self, sents: list[list[str]]) -> None:
        """Text = tokens joined by spaces, sentences by ``"\\n"`` (a token of its own)."""
        parts: list[str] = []
        self.tokens: list[tuple[int, int]] = []  # every token incl. the "\n" between sentences
        self.offsets: list[tuple[int, int]] = []  # DyGIE++ token index -> chars
        self.sent_ranges: list[tuple[int, int]] = []
        pos = 0
        for k, sent in enumerate(sents):
            if k:
                self.tokens.append((pos, pos + 1))
                parts.append("\n")
                pos += 1
            first = pos
            for i, tok in enumerate(sent):
                if i:
                    parts.append(" ")
                    pos += 1
                self.offsets.append((pos, pos + len(tok)))
                self.tokens.append((pos, pos + len(tok)))
                parts.append(tok)
                pos += len(tok)
            self.sent_ranges.append((first, pos))
        self.text = "".join(parts)

    def tok_range(self, s: Any, e: Any, field: str) -> tuple[int, int]:
        total = len(self.offsets)
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e < total):
            raise self.error(f"token range [{s}, {e}] outside the {total} tokens (ends are "
                             "inclusive)", field)
        return s, e

    def add_span(self, s: int, e: int, label: str, kind: str = "entity",
                 attrs: dict[str, Any] | None = None) -> Span:
        span = Span(id=new_id(), doc_id="", start=self.offsets[s][0], end=self.offsets[e][1],
                    label=label, kind=kind, attrs=attrs or {}, status="gold", origin="import")
        self.spans.append(span)
        return span

    def filler(self, s: int, e: int) -> str:
        """The span id of a token range: an ``ner`` span, else a new unlabeled one."""
        if (s, e) not in self.by_range:
            self.by_range[(s, e)] = self.add_span(s, e, self.unlabeled,
                                                  attrs={UNLABELED_ATTR: True}).id
        return self.by_range[(s, e)]

    def read_ner(self) -> None:
        seen: set[tuple[int, int, str]] = set()
        for k, items in enumerate(self.items["ner"]):
            for item in items:
                if not (isinstance(item, list) and len(item) >= 3 and isinstance(item[2], str)):
                    raise self.error(f"sentence {k}: expected [start, end, label], got "
                                     f"{item!r}", "ner")
                s, e = self.tok_range(item[0], item[1], "ner")
                if (s, e, item[2]) in seen:
                    if self.warn is not None:
                        self.warn(f"{self.path}:{self.line}: {self.obj['doc_key']}: duplicate "
                                  f"ner entry {item!r} imported once")
                    continue
                seen.add((s, e, item[2]))
                span = self.add_span(s, e, item[2])
                self.by_range.setdefault((s, e), span.id)

    def read_relations(self) -> None:
        for k, items in enumerate(self.items["relations"]):
            for item in items:
                if not (isinstance(item, list) and len(item) >= 5 and isinstance(item[4], str)):
                    raise self.error(f"sentence {k}: expected [s1, e1, s2, e2, label], got "
                                     f"{item!r}", "relations")
                h = self.tok_range(item[0], item[1], "relations")
                t = self.tok_range(item[2], item[3], "relations")
                self.relations.append(Relation(id=new_id(), doc_id="", type=item[4],
                                               head_id=self.filler(*h), tail_id=self.filler(*t),
                                               status="gold", origin="import"))

    def read_events(self) -> None:
        for k, items in enumerate(self.items["events"]):
            for item in items:
                ok = (isinstance(item, list) and item and isinstance(item[0], list)
                      and len(item[0]) >= 2 and isinstance(item[0][0], int)
                      and isinstance(item[0][1], str))
                if not ok:
                    raise self.error(f"sentence {k}: expected [[trigger, type], [s, e, role], "
                                     f"...], got {item!r}", "events")
                self.events.append(self._event(k, item))

    def _event(self, k: int, item: list[Any]) -> Event:
        ti = self.tok_range(item[0][0], item[0][0], "events")[0]
        trigger = self.add_span(ti, ti, item[0][1], kind="trigger")
        ev = Event(id=new_id(), doc_id="", type=item[0][1], trigger_id=trigger.id,
                   status="gold", origin="import")
        for arg in item[1:]:
            if not (isinstance(arg, list) and len(arg) >= 3 and isinstance(arg[2], str)):
                raise self.error(f"sentence {k}: expected argument [s, e, role], got {arg!r}",
                                 "events")
            s, e = self.tok_range(arg[0], arg[1], "events")
            ev.arguments.append(Argument(id=new_id(), event_id=ev.id, role=arg[2],
                                         filler_id=self.filler(s, e)))
        return ev

    def meta(self, clusters: str) -> dict[str, Any]:
        obj = self.obj
        meta: dict[str, Any] = {"source_format": "dygiepp", "source_file": self.path.name}
        extra: dict[str, Any] = {"doc_key": obj["doc_key"]}
        if isinstance(obj.get("dataset"), str):
            extra["dataset"] = obj["dataset"]
        for key in ("clusters", "event_clusters"):
            if obj.get(key):
                self._clusters(key, clusters, extra)
        sentence_meta = {k: v for k, v in obj.items() if k.startswith("_")}
        if sentence_meta:
            extra["sentence_meta"] = sentence_meta
        if "weight" in obj:
            extra["weight"] = obj["weight"]
        predicted = [k for k in obj if k.startswith("predicted_")]
        if predicted and self.warn is not None:
            self.warn(f"{self.path}:{self.line}: {self.name}: model predictions "
                      f"({', '.join(predicted)}) not imported")
        meta[META_KEY] = extra
        return meta

    def _cluster_ranges(self, key: str) -> list[list[tuple[int, int]]]:
        value = self.obj[key]
        if not isinstance(value, list):
            raise self.error("expected a list of clusters", key)
        char_clusters = []
        for cluster in value:
            if not isinstance(cluster, list):
                raise self.error("expected a list of [start, end] per cluster", key)
            members = []
            for m in cluster:
                if not (isinstance(m, list) and len(m) >= 2):
                    raise self.error(f"expected [start, end], got {m!r}", key)
                members.append(self.tok_range(m[0], m[1], key))
            char_clusters.append(members)
        return char_clusters

    def _clusters(self, key: str, clusters: str, extra: dict[str, Any]) -> None:
        """Coreference clusters as the ``clusters`` option says (announced through warn)."""
        token_clusters = self._cluster_ranges(key)
        n_mentions = sum(len(c) for c in token_clusters)
        if clusters == "chains" and key == "clusters":
            for members in token_clusters:
                ids = list(dict.fromkeys(self.filler(*m) for m in members))
                self.chains.append(Chain(id=new_id(), doc_id="", type="", mentions=ids,
                                         status="gold", origin="import"))
            return
        if clusters == "relations" and key == "clusters":
            for members in token_clusters:
                first = self.filler(*members[0])
                for m in members[1:]:
                    self.relations.append(Relation(id=new_id(), doc_id="", type="coref",
                                                   head_id=self.filler(*m), tail_id=first,
                                                   status="gold", origin="import"))
            note = "imported as 'coref' relations to each cluster's first mention"
        elif clusters == "drop":
            note = "dropped (clusters='drop')"
        else:
            extra[key] = [[[self.offsets[s][0], self.offsets[e][1]] for s, e in c]
                          for c in token_clusters]
            note = (f"kept in the document's meta[{META_KEY!r}][{key!r}] (not annotations); "
                    "the DyGIE++ export writes them back")
        if self.warn is not None:
            self.warn(f"{self.path}:{self.line}: {self.name}: {len(token_clusters)} {key} "
                      f"({n_mentions} mentions) {note}")
