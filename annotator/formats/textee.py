"""TextEE / OneIE sentence-level JSON Lines (``ej0cl6/TextEE:data/README.md``): export.

One window (by default one stored sentence) per line::

    {"doc_id": "story-1", "wnd_id": "story-1-0", "text": "Russia pulled out of the meeting .",
     "lang": "en",
     "tokens": ["Russia", "pulled", "out", "of", "the", "meeting", "."],
     "entity_mentions": [{"id": "story-1-0-E0", "entity_type": "GPE", "text": "Russia",
                          "start": 0, "end": 1, "offset_start": 0, "offset_end": 6}],
     "relation_mentions": [{"id": "story-1-0-R0", "relation_type": "PHYS:Located",
                            "arguments": [{"entity_id": "...", "role": "Arg-1", "text": ...,
                                           "start": ..., "end": ..., "offset_start": ...,
                                           "offset_end": ...}, {..., "role": "Arg-2"}]}],
     "event_mentions": [{"id": "story-1-0-EV0", "event_type": "Contact:Meet",
                         "trigger": {"text": "meeting", "start": 5, "end": 6,
                                     "offset_start": 25, "offset_end": 32},
                         "arguments": [{"entity_id": "story-1-0-E0", "role": "Entity",
                                        "text": "Russia", "start": 0, "end": 1,
                                        "offset_start": 0, "offset_end": 6}]}]}

``lang`` (required by TextEE's data README) is the document's language code. Token
``start``/``end`` are window-relative, end exclusive; ``offset_start``/``offset_end`` are
character offsets into the window's ``text`` (the exact document text of the window, so
``text[offset_start:offset_end]`` is the mention text), as in TextEE's ``demo_output.json``.
Entity mentions are the entity and value spans of the window (OneIE keeps values and times as
entity mentions); whitespace tokens are dropped.

Type spelling is the label map's job: ``separator=":"`` turns ``Conflict.Attack`` into
``Conflict:Attack`` (OneIE/TextEE style). ``options.extra``: ``window`` = sentences per window
(default 1; larger windows keep more cross-sentence arguments). Reported as losses: spans off
token boundaries, mentions across windows, relations and arguments whose parts are in
different windows, arguments filled by an event, attributes and KB ids.

``out`` is a ``.json``/``.jsonl`` file (every exported document, whatever its split), or a
folder (an existing one, or a path without suffix), which receives ``<split>.json`` per split
(``all.json`` without a split) plus OneIE's valid-pattern files built from the project schema
(after the label map): ``patterns/event_role.json`` ``{event_type: [role, ...]}``,
``patterns/role_entity.json`` ``{role: [entity_type, ...]}`` and
``patterns/relation_entity.json`` ``{relation_type: [entity_type, ...]}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.progress import ProgressFn
from annotator.errors import ExportError
from annotator.formats.align import Alignment, lose_attributes
from annotator.formats.export import ExportOptions, ExportReport, LabelMap, export_documents
from annotator.formats.tokens import TokenMap

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.core.schema import Schema

CROSS_WINDOW = "crosses a sentence (window) boundary"


def export(project: Project, out: Path, options: ExportOptions, report: ExportReport,
           progress: ProgressFn | None = None) -> None:
    out = Path(out)
    folder = out.is_dir() or (not out.exists() and out.suffix == "")
    window = int(options.extra.get("window", 1))
    if window < 1:
        raise ExportError(f"window must be at least 1 sentence, got {window}")
    handles: dict[str, Any] = {}
    try:
        if folder:
            out.mkdir(parents=True, exist_ok=True)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            handles["*"] = out.open("w", encoding="utf-8", newline="\n")
            report.files.append(str(out))
        for ed in export_documents(project, options, report, progress):
            key = ed.split if folder else "*"
            if key not in handles:
                path = out / f"{ed.split}.json"
                handles[key] = path.open("w", encoding="utf-8", newline="\n")
                report.files.append(str(path))
            fh = handles[key]
            for line in document_windows(ed.doc, ed.ann, report, window=window):
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    finally:
        for fh in handles.values():
            fh.close()
    if folder:
        for name, data in valid_patterns(project.schema, options.label_map).items():
            path = out / "patterns" / name
            path.parent.mkdir(exist_ok=True)
            path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")
            report.files.append(str(path))
    else:
        if options.split:
            report.notes.append("TextEE: one file holds every split; export to a folder for "
                                "<split>.json files")
        report.notes.append("TextEE: OneIE valid-pattern files (event_role.json, "
                            "role_entity.json, relation_entity.json) are written only when "
                            "exporting to a folder")
    report.notes.append(f"TextEE: {window} sentence(s) per window; token ends exclusive, "
                        "offsets relative to the window text")


def document_windows(doc: Any, ann: Any, report: ExportReport, *, window: int = 1
                     ) -> list[dict[str, Any]]:
    """The TextEE lines of one document."""
    w = _Windows(doc, ann, report, window)
    w.relations()
    w.events()
    lose_attributes(report, doc, ann, "TextEE")
    return w.lines


Placed = tuple[int, dict[str, Any]]  # (window, mention fields)


class _Windows:
    """The windows of one document and the mentions placed in them."""

    def __init__(self, doc: Any, ann: Any, report: ExportReport, window: int) -> None:
        self.doc = doc
        tm = self.tm = TokenMap(doc)
        sents = tm.sentences
        self.windows = [(sents[k][0], sents[min(k + window, len(sents)) - 1][1])
                        for k in range(0, len(sents), window)]
        self.win_of = [0] * len(tm)
        for w, (a, b) in enumerate(self.windows):
            for i in range(a, b):
                self.win_of[i] = w
        self.lines: list[dict[str, Any]] = []
        for w, (a, b) in enumerate(self.windows):
            cs, ce = tm.char_range(a, b)
            self.lines.append({"doc_id": doc.name, "wnd_id": f"{doc.name}-{w}",
                               "text": doc.text[cs:ce], "lang": doc.lang or "en",
                               "tokens": [doc.text[s:e] for s, e in tm.tokens[a:b]],
                               "entity_mentions": [], "relation_mentions": [],
                               "event_mentions": []})
        self.placed: dict[str, Placed] = {}
        self.entity_ids: dict[str, str] = {}
        self.al = Alignment(doc, ann, report, tm, refuse=self._crosses, each=self._place)

    def _crosses(self, span: Any, r: tuple[int, int]) -> str | None:
        return CROSS_WINDOW if self.win_of[r[1] - 1] != self.win_of[r[0]] else None

    def _place(self, span: Any, r: tuple[int, int]) -> None:
        """Window-relative fields of an aligned span; entity mentions for non-triggers."""
        w = self.win_of[r[0]]
        a = self.windows[w][0]
        base = self.tm.tokens[a][0]
        fields = {"text": self.doc.text[span.start:span.end], "start": r[0] - a,
                  "end": r[1] - a, "offset_start": span.start - base,
                  "offset_end": span.end - base}
        self.placed[span.id] = (w, fields)
        if span.kind == "trigger":
            return
        mentions = self.lines[w]["entity_mentions"]
        eid = f"{self.lines[w]['wnd_id']}-E{len(mentions)}"
        self.entity_ids[span.id] = eid
        mentions.append({"id": eid, "entity_type": span.label, **fields})

    def relations(self) -> None:
        al, ids = self.al, self.entity_ids
        for rel in al.ann.relations:
            if al.relation_ends(rel, reason="argument not exported", usable=ids) is None:
                continue
            h, t = self.placed[rel.head_id], self.placed[rel.tail_id]
            if h[0] != t[0]:
                hs = al.by_id[rel.head_id]
                al.report.lose(self.doc, "relation", "arguments in different sentences "
                               "(windows)", label=rel.type, start=hs.start, end=hs.end,
                               id=rel.id)
                continue
            rels = self.lines[h[0]]["relation_mentions"]
            rels.append({"id": f"{self.lines[h[0]]['wnd_id']}-R{len(rels)}",
                         "relation_type": rel.type,
                         "arguments": [
                             {"entity_id": ids[rel.head_id], "role": "Arg-1", **h[1]},
                             {"entity_id": ids[rel.tail_id], "role": "Arg-2", **t[1]}]})

    def events(self) -> None:
        for ev in self.al.ann.events:
            if self.al.trigger(ev, reason="trigger not exported", locate=False) is None:
                continue
            w, trigger = self.placed[ev.trigger_id]
            evs = self.lines[w]["event_mentions"]
            evs.append({"id": f"{self.lines[w]['wnd_id']}-EV{len(evs)}", "event_type": ev.type,
                        "trigger": trigger, "arguments": self._arguments(ev, w)})

    def _arguments(self, ev: Any, w: int) -> list[dict[str, Any]]:
        report, doc = self.al.report, self.doc
        args = []
        for a in ev.arguments:
            label = f"{ev.type}/{a.role}"
            if a.filler_kind != "span" or a.filler_id not in self.entity_ids:
                reason = ("argument filled by an event or trigger (TextEE arguments are entity "
                          "mentions)" if a.filler_kind != "span" or a.filler_id in self.placed
                          else "filler not exported")
                report.lose(doc, "argument", reason, label=label, id=a.id)
                continue
            fw, fields = self.placed[a.filler_id]
            if fw != w:
                f = self.al.by_id[a.filler_id]
                report.lose(doc, "argument", "argument outside the trigger's sentence (window)",
                            label=label, start=f.start, end=f.end, id=a.id)
                continue
            args.append({"entity_id": self.entity_ids[a.filler_id], "role": a.role, **fields})
        return args


class _Patterns:
    """Type names after the label map, wildcards expanded to the schema's types."""

    def __init__(self, schema: Schema, label_map: LabelMap) -> None:
        self.lm = label_map
        self.entities = [t.name for t in schema.entity_types]
        self.values = [t.name for t in schema.value_types]

    def mapped(self, name: str) -> str | None:
        return self.lm.apply(name) if not self.lm.identity else name

    def fillers(self, types: list[str]) -> set[str]:
        from annotator.core.schema import ANY, ANY_ENTITY, ANY_VALUE

        out: list[str] = []
        for t in types:
            if t in (ANY, ANY_ENTITY):
                out.extend(self.entities)
            if t in (ANY, ANY_VALUE):
                out.extend(self.values)
            if not t.startswith("<"):
                out.append(t)
        return {m for f in out if (m := self.mapped(f))}


def valid_patterns(schema: Schema, label_map: LabelMap | None = None
                   ) -> dict[str, dict[str, list[str]]]:
    """OneIE's event_role / role_entity / relation_entity tables from the schema."""
    pt = _Patterns(schema, label_map or LabelMap())
    event_role: dict[str, list[str]] = {}
    role_entity: dict[str, set[str]] = {}
    for et in schema.event_types:
        name = pt.mapped(et.name)
        if name is None:
            continue
        roles = event_role.setdefault(name, [])
        for role in et.roles:
            if role.name not in roles:
                roles.append(role.name)
            role_entity.setdefault(role.name, set()).update(pt.fillers(role.fillers))
    relation_entity: dict[str, set[str]] = {}
    for rt in schema.relation_types:
        name = pt.mapped(rt.name)
        if name is not None:
            relation_entity.setdefault(name, set()).update(pt.fillers(rt.arg1 + rt.arg2))
    return {
        "event_role.json": event_role,
        "role_entity.json": {k: sorted(v) for k, v in role_entity.items()},
        "relation_entity.json": {k: sorted(v) for k, v in relation_entity.items()},
    }
