"""spaCy v3 training data: ``<split>.spacy`` DocBin files, a ready ``config.cfg`` and a sidecar.

``out`` is a directory. It receives:

- ``train.spacy`` / ``dev.spacy`` / ``test.spacy`` (with a split) or ``all.spacy`` (without);
- ``config.cfg`` for ``python -m spacy train config.cfg --output DIR``, made by spaCy's own
  ``init config`` (see ``annotator.nlp.training``), with ``paths.train``/``paths.dev`` set;
- ``relations.jsonl``: one line per document with its relations and events in character
  offsets (for tools that do not read ``user_data``).

Every Doc is built from the stored tokens, ``Doc(nlp.vocab, words, spaces)`` with a blank vocab
of the project language, so its text equals the document text and every token-aligned span
aligns. Sentence starts come from the stored sentences.

What goes where (token ranges are spaCy's: start inclusive, end exclusive, ``doc[start:end]``):

- ``doc.ents``: entity and value spans (``extra["ents_kinds"]``, default ``"entity,value"``),
  made flat by ``extra["ents_policy"]``: ``"outermost"`` (default: a span inside another is
  dropped; of two crossing spans the earlier one stays), ``"innermost"`` (the shortest spans
  win) or ``"longest"`` (longer spans win, then the earlier one). Each span left out is reported
  as a loss "overlaps another entity (doc.ents is flat)"; it is still in ``doc.spans``.
- ``doc.spans["sc"]`` (``extra["spans_key"]``, spancat's default key): every entity and value
  span, overlaps allowed. (Unlabeled argument spans of a DyGIE++ import are in neither, only in
  ``user_data``.)
- ``doc.spans["triggers"]`` (``extra["triggers_key"]``): event trigger spans, labelled with the
  trigger label (the event type).
- ``doc.spans["coref_clusters_1"]``, ``..._2`` ...: one group per coreference chain (the key
  spacy-experimental's coreference component uses), members labelled with the chain type.
- ``doc.user_data["annotator"]`` (DocBin written with ``store_user_data=True``)::

      {"version": 1, "doc_id": str, "name": str, "split": str, "meta": {...},
       "spans": [{"id", "start", "end", "label", "kind", "attrs", "kb_id"}],
       "relations": [{"id", "label", "head": [s, e], "tail": [s, e], "head_id", "tail_id",
                      "attrs"}],
       "events": [{"id", "type", "trigger": [s, e], "trigger_id", "attrs",
                   "arguments": [{"role", "span": [s, e], "span_id"} | {"role", "event": i}]}],
       "chains": [{"id", "type", "mentions": [span id], "attrs", "refs": [[db, id, name]]}]}

  ``"event": i`` indexes this document's ``events`` list. Read it back with ``read_user_data``
  (DocBin's msgpack returns lists as tuples; ``read_user_data`` turns them back into lists).

A span whose ends are not token boundaries is reported ("not on token boundaries") and left out
of ``doc.ents``, ``doc.spans`` and ``user_data`` (never snapped silently), and so is a span that
starts or ends with a whitespace token (spaCy rejects those); events, arguments and relations
that need it are reported too.

Empty parts: spaCy needs a train and a dev corpus. If the split leaves ``dev`` empty (few
documents), ``dev.spacy`` is written as a copy of ``train.spacy`` (and vice versa) and a note
says the dev scores are then not held-out; without a split ``config.cfg`` uses ``all.spacy`` for
both. Options (``options.extra``): ``ents_policy``, ``ents_kinds``, ``spans_key``,
``triggers_key``, ``pipeline`` (``"ner"`` default, ``"spancat"``, ``"ner,spancat"``),
``max_steps`` (written into the config; default spaCy's 20000 with early stopping),
``sidecar`` (default True), ``config`` (default True).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.progress import ProgressFn
from annotator.errors import ExportError
from annotator.formats.align import Alignment
from annotator.formats.docbin_stream import StreamingDocBin
from annotator.formats.export import SPLIT_NAMES, ExportOptions, ExportReport, export_documents
from annotator.formats.tokens import (
    ENTS_POLICIES,
    NOT_ALIGNED,
    UNLABELED_ATTR,
    TokenMap,
    flat_selection,
)

if TYPE_CHECKING:
    from annotator.core.project import Project

USER_DATA_KEY = "annotator"
FLAT_LOSS = "overlaps another entity (doc.ents is flat); still in doc.spans"


def read_user_data(doc: Any) -> dict[str, Any]:
    """Relations, events and span records of a Doc read from our DocBin (see module docs),
    with ``Span`` objects resolved: every relation gets ``head_span``/``tail_span``, every event
    ``trigger_span`` and every span argument ``span_obj``. Empty lists if there is nothing."""
    data = _lists(doc.user_data.get(USER_DATA_KEY) or {})
    out: dict[str, Any] = {k: v for k, v in data.items()
                           if k not in ("spans", "relations", "events")}
    out["spans"] = [dict(s, span=doc[s["start"]:s["end"]]) for s in data.get("spans", [])]
    out["relations"] = [dict(r, head_span=doc[r["head"][0]:r["head"][1]],
                             tail_span=doc[r["tail"][0]:r["tail"][1]])
                        for r in data.get("relations", [])]
    events = []
    for ev in data.get("events", []):
        args = []
        for a in ev.get("arguments", []):
            a = dict(a)
            if "span" in a:
                a["span_obj"] = doc[a["span"][0]:a["span"][1]]
            args.append(a)
        events.append(dict(ev, arguments=args,
                           trigger_span=doc[ev["trigger"][0]:ev["trigger"][1]]))
    out["events"] = events
    return out


@contextmanager
def _cached_msgpack_encoders() -> Iterator[None]:
    """srsly looks its msgpack encoders up in catalogue (scanning every installed entry point and
    spaCy's whole registry) on *each* ``msgpack_dumps``; DocBin.add calls it three or four times
    per Doc, which is most of the export time. Freeze the lookup for the duration of the export
    (same encoders, looked up once); restored afterwards, and skipped if srsly changes."""
    try:
        from srsly.msgpack import msgpack_encoders
    except ImportError:  # pragma: no cover - srsly is a spaCy dependency
        yield
        return
    if "get_all" in vars(msgpack_encoders) or not callable(getattr(msgpack_encoders, "get_all",
                                                                    None)):
        yield  # already frozen (nested export) or an srsly we do not know
        return
    encoders = msgpack_encoders.get_all()
    msgpack_encoders.get_all = lambda: dict(encoders)
    try:
        yield
    finally:
        del msgpack_encoders.get_all


def _lists(value: Any) -> Any:
    """msgpack gives tuples back for lists; undo that so the data matches what was written."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


def _kinds(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    kinds = tuple(x.strip() for x in value if x.strip())
    bad = [k for k in kinds if k not in ("entity", "value", "trigger")]
    if bad:
        raise ExportError(f"ents_kinds: unknown span kind(s) {', '.join(bad)}")
    return kinds


@dataclass
class _Settings:
    policy: str
    ent_kinds: tuple[str, ...]
    spans_key: str
    triggers_key: str
    pipeline: list[str]
    sidecar: bool


def _settings(extra: dict[str, Any]) -> _Settings:
    from annotator.nlp.training import parse_pipeline

    policy = str(extra.get("ents_policy", "outermost"))
    if policy not in ENTS_POLICIES:
        raise ExportError(f"ents_policy must be one of {', '.join(ENTS_POLICIES)}, got "
                          f"{policy!r}")
    return _Settings(policy=policy, ent_kinds=_kinds(extra.get("ents_kinds", "entity,value")),
                     spans_key=str(extra.get("spans_key", "sc")),
                     triggers_key=str(extra.get("triggers_key", "triggers")),
                     pipeline=list(parse_pipeline(extra.get("pipeline", "ner"))),
                     sidecar=bool(extra.get("sidecar", True)))


def export(project: Project, out: Path, options: ExportOptions, report: ExportReport,
           progress: ProgressFn | None = None) -> None:
    import spacy

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: the spaCy export writes a folder; this is a file")
    out.mkdir(parents=True, exist_ok=True)
    st = _settings(options.extra)
    try:
        nlp = spacy.blank(project.lang)
    except (ImportError, KeyError, ValueError) as exc:
        raise ExportError(f"spaCy has no language {project.lang!r}: {exc}") from None
    bins, max_len = _build_bins(project, out, options, report, progress, nlp.vocab, st)
    report.notes.append(f"spaCy: doc.ents policy {st.policy!r} over {'+'.join(st.ent_kinds)} "
                        f"spans; doc.spans[{st.spans_key!r}] holds every "
                        f"{'/'.join(st.ent_kinds)} span, doc.spans[{st.triggers_key!r}] the "
                        f"triggers; relations and events in doc.user_data[{USER_DATA_KEY!r}] "
                        "(read_user_data) and relations.jsonl")
    written = _write_bins(out, bins, options, report)
    train, dev = _train_dev(out, written, options, report)
    if options.extra.get("config", True):
        _config(project, out, st, train, dev, max_len, options, report)


def _build_bins(project: Project, out: Path, options: ExportOptions, report: ExportReport,
                progress: ProgressFn | None, vocab: Any, st: _Settings
                ) -> tuple[dict[str, StreamingDocBin], int]:
    """One DocBin per split (and the relations.jsonl sidecar); the longest span in tokens.
    The bins spill each document to a temporary folder inside ``out`` (memory stays flat)."""
    bins: dict[str, StreamingDocBin] = {}
    max_len = 0
    off_ents: list[Any] = []  # without ner in the pipeline doc.ents is no loss (#11.11)
    not_flat = None if "ner" in st.pipeline else off_ents.append
    sidecar_path = out / "relations.jsonl"
    sidecar = sidecar_path.open("w", encoding="utf-8") if st.sidecar else None
    try:
        with _cached_msgpack_encoders():
            for ed in export_documents(project, options, report, progress):
                sdoc, side, longest = build_doc(
                    vocab, ed.doc, ed.ann, ed.split, report, policy=st.policy,
                    ent_kinds=st.ent_kinds, spans_key=st.spans_key,
                    triggers_key=st.triggers_key, not_flat=not_flat)
                max_len = max(max_len, longest)
                bins.setdefault(ed.split, StreamingDocBin(out)).add(sdoc)
                if sidecar is not None:
                    sidecar.write(json.dumps(side, ensure_ascii=False) + "\n")
    finally:
        if sidecar is not None:
            sidecar.close()
    if sidecar is not None:
        report.files.append(str(sidecar_path))
    if off_ents:
        report.notes.append(f"spaCy: {len(off_ents)} overlapping span(s) are not in doc.ents "
                            f"(flat) but are in doc.spans[{st.spans_key!r}], which the "
                            f"{','.join(st.pipeline)} pipeline trains on: carried")
    return bins, max_len


def _write_bins(out: Path, bins: dict[str, StreamingDocBin], options: ExportOptions,
                report: ExportReport) -> dict[str, Path]:
    """``<split>.spacy`` per split in split order (an empty one if nothing was exported)."""
    written: dict[str, Path] = {}
    parts = ([p for p, r in zip(SPLIT_NAMES, options.split, strict=False) if r > 0]
             if options.split else ["all"])
    for part in sorted(bins, key=lambda p: (p not in parts, parts.index(p) if p in parts else 0)):
        path = out / f"{part}.spacy"
        bins[part].to_disk(path)
        written[part] = path
        report.files.append(str(path))
    for part in parts:
        if part not in written and part not in ("train", "dev"):
            report.notes.append(f"{part}.spacy not written: no document fell into {part}")
    if not written:
        path = out / f"{parts[0]}.spacy"
        StreamingDocBin(out).to_disk(path)
        written[parts[0]] = path
        report.files.append(str(path))
        report.notes.append(f"{path.name} is empty: no document was exported")
    return written


def _train_dev(out: Path, written: dict[str, Path], options: ExportOptions,
               report: ExportReport) -> tuple[Path, Path]:
    """The corpora config.cfg trains and evaluates on (copies when one part is empty)."""
    if "all" in written and not options.split:
        report.notes.append("no split: config.cfg trains and evaluates on all.spacy, so dev "
                            "scores are not held-out (export with a split for real ones)")
        return written["all"], written["all"]
    train, dev = written.get("train"), written.get("dev")
    if train is not None and dev is None:
        dev = out / "dev.spacy"
        shutil.copyfile(train, dev)
        report.files.append(str(dev))
        report.notes.append("no document fell into dev: dev.spacy is a copy of train.spacy "
                            "so spacy train runs, but its scores are not held-out (add "
                            "documents or change --split/--seed)")
    elif dev is not None and train is None:
        train = out / "train.spacy"
        shutil.copyfile(dev, train)
        report.files.append(str(train))
        report.notes.append("no document fell into train: train.spacy is a copy of "
                            "dev.spacy (add documents or change --split/--seed)")
    if train is None or dev is None:  # neither part has a document
        both = next(iter(written.values()))
        report.notes.append(f"no document in train or dev: config.cfg uses {both.name} "
                            "for both")
        return both, both
    return train, dev


def _config(project: Project, out: Path, st: _Settings, train: Path, dev: Path, max_len: int,
            options: ExportOptions, report: ExportReport) -> None:
    from annotator.nlp.training import write_config

    # the config names the files where they will be once the staged export is renamed
    final = Path(report.out).absolute()
    cfg = write_config(out / "config.cfg", project.lang, st.pipeline, final / train.name,
                       final / dev.name, spans_key=st.spans_key, max_span_len=max_len,
                       max_steps=options.extra.get("max_steps"))
    report.files.append(str(cfg))
    report.notes.append(f"train with: python -m spacy train {final / cfg.name} --output "
                        "<model dir> "
                        f"(pipeline {','.join(st.pipeline)}; paths are absolute, override "
                        "with --paths.train/--paths.dev)")


def build_doc(vocab: Any, doc: Any, ann: Any, split: str, report: ExportReport, *,
              policy: str = "outermost", ent_kinds: tuple[str, ...] = ("entity", "value"),
              spans_key: str = "sc", triggers_key: str = "triggers",
              not_flat: Callable[[Any], None] | None = None
              ) -> tuple[Any, dict[str, Any], int]:
    """One spaCy Doc (plus its sidecar record and its longest sc span in tokens). A span
    kept out of the flat ``doc.ents`` is reported lost, or handed to ``not_flat`` (for a
    pipeline without ``ner``, where ``doc.spans`` is what counts)."""
    tm = TokenMap(doc, keep_whitespace=True)
    sdoc = _blank_doc(vocab, doc, tm)

    def refuse(span: Any, r: tuple[int, int]) -> str | None:
        # spaCy refuses entities that start or end with a whitespace token (E024)
        if tm.words[r[0]].isspace() or tm.words[r[1] - 1].isspace():
            return "starts or ends with a whitespace token"
        return None

    al = Alignment(doc, ann, report, tm, refuse=refuse)
    records, longest = _span_layers(sdoc, al, policy, ent_kinds, spans_key, triggers_key,
                                    not_flat)
    relations, side_relations = _relations(al)
    events, side_events = _events(al)
    sdoc.user_data[USER_DATA_KEY] = {
        "version": 1, "doc_id": doc.id, "name": doc.name, "split": split, "meta": doc.meta,
        "spans": records, "relations": relations, "events": events,
        "chains": _chain_groups(sdoc, al, ann)}
    side = {"doc_id": doc.id, "name": doc.name, "split": split, "relations": side_relations,
            "events": side_events}
    return sdoc, side, longest


def _blank_doc(vocab: Any, doc: Any, tm: TokenMap) -> Any:
    """The Doc of the stored tokens (its text is the document text), with sentence starts."""
    from spacy.tokens import Doc

    sent_starts: list[bool | int | None] | None = None
    if doc.sentences and tm.sentences:
        sent_starts = [False] * len(tm)
        for s, _ in tm.sentences:
            sent_starts[s] = True
    # TokenMap(keep_whitespace=True) covers the text exactly; a cheap check (Doc.text is slow)
    if sum(map(len, tm.words)) + sum(tm.spaces) != len(doc.text):
        raise ExportError(f"{doc.name}: the spaCy Doc text would differ from the document text")
    return Doc(vocab, words=tm.words, spaces=tm.spaces, sent_starts=sent_starts)


def _chain_groups(sdoc: Any, al: Alignment, ann: Any) -> list[dict[str, Any]]:
    """Each chain as ``doc.spans["coref_clusters_<n>"]`` (spacy-experimental's coreference
    key; members labelled with the chain type) and its ``user_data`` record (mentions as
    span ids of the ``spans`` records, references as [db, id, name])."""
    from spacy.tokens import Span

    records = []
    for n, c in enumerate(ann.chains, 1):
        members = [m for m in c.mentions if m in al.ranges]
        sdoc.spans[f"coref_clusters_{n}"] = [
            Span(sdoc, *al.ranges[m], label=c.type or "coref") for m in members]
        records.append({"id": c.id, "type": c.type, "mentions": members, "attrs": c.attrs,
                        "refs": [[r.db, r.id, r.name] for r in c.refs]})
    return records


def _span_layers(sdoc: Any, al: Alignment, policy: str, ent_kinds: tuple[str, ...],
                 spans_key: str, triggers_key: str,
                 not_flat: Callable[[Any], None] | None = None
                 ) -> tuple[list[dict[str, Any]], int]:
    """``doc.ents``, ``doc.spans[spans_key]`` and ``doc.spans[triggers_key]`` of the aligned
    spans; their user_data records and the longest span group member in tokens."""
    from spacy.tokens import Span

    records = []
    ent_spans, ent_ranges, trig = [], [], []
    for s in al.spans:
        r = al.ranges[s.id]
        records.append({"id": s.id, "start": r[0], "end": r[1], "label": s.label,
                        "kind": s.kind, "attrs": s.attrs, "kb_id": s.kb_id})
        if s.kind in ent_kinds and not s.attrs.get(UNLABELED_ATTR):
            ent_spans.append(s)
            ent_ranges.append(r)
        elif s.kind == "trigger":
            trig.append(Span(sdoc, r[0], r[1], label=s.label))
    keep = set(flat_selection(ent_ranges, policy))
    ents, group, longest = [], [], 0
    for k, (s, (i, j)) in enumerate(zip(ent_spans, ent_ranges, strict=True)):
        span = Span(sdoc, i, j, label=s.label, kb_id=s.kb_id or 0)
        group.append(span)
        longest = max(longest, j - i)
        if k in keep:
            ents.append(span)
        elif not_flat is not None:
            not_flat(s)
        else:
            al.report.lose_span(al.doc, s, FLAT_LOSS)
    sdoc.set_ents(ents, default="outside")
    sdoc.spans[spans_key] = group
    sdoc.spans[triggers_key] = trig
    return records, longest


def _relations(al: Alignment) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """user_data and sidecar records of the relations whose ends are aligned."""
    relations, side_relations = [], []
    for rel in al.ann.relations:
        ends = al.relation_ends(rel)
        if ends is None:
            continue
        h, t = ends
        relations.append({"id": rel.id, "label": rel.type, "head": list(h), "tail": list(t),
                          "head_id": rel.head_id, "tail_id": rel.tail_id, "attrs": rel.attrs})
        side_relations.append({"id": rel.id, "label": rel.type,
                               "head": _char(al.doc, al.by_id[rel.head_id]),
                               "tail": _char(al.doc, al.by_id[rel.tail_id])})
    return relations, side_relations


def _events(al: Alignment) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """user_data and sidecar records of the events whose trigger is aligned."""
    kept_events = [e for e in al.ann.events if al.trigger(e) is not None]
    index = {e.id: k for k, e in enumerate(kept_events)}
    events, side_events = [], []
    for e in kept_events:
        args, side_args = _arguments(al, e, index)
        events.append({"id": e.id, "type": e.type, "trigger": list(al.ranges[e.trigger_id]),
                       "trigger_id": e.trigger_id, "attrs": e.attrs, "arguments": args})
        side_events.append({"id": e.id, "type": e.type, "attrs": e.attrs,
                            "trigger": _char(al.doc, al.by_id[e.trigger_id]),
                            "arguments": side_args})
    return events, side_events


def _arguments(al: Alignment, e: Any, index: dict[str, int]
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    args: list[dict[str, Any]] = []
    side_args: list[dict[str, Any]] = []
    for a in e.arguments:
        if a.filler_kind == "event":
            if a.filler_id in index:
                args.append({"role": a.role, "event": index[a.filler_id]})
                side_args.append({"role": a.role, "event": index[a.filler_id]})
            else:
                al.report.lose(al.doc, "argument", "filler event not exported (trigger "
                               f"{NOT_ALIGNED})", label=f"{e.type}/{a.role}", id=a.id)
            continue
        r = al.filler(e, a)
        if r is None:
            continue
        args.append({"role": a.role, "span": list(r), "span_id": a.filler_id})
        side_args.append(dict(_char(al.doc, al.by_id[a.filler_id]), role=a.role))
    return args, side_args


def _char(doc: Any, span: Any) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "label": span.label,
            "text": doc.text[span.start:span.end]}
