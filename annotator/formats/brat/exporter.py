"""A project -> a brat collection (folder or ``.zip``): ``<name>.txt`` and ``<name>.ann`` per
document (under ``<split>/`` when split), plus ``annotation.conf``, ``visual.conf``,
``kb_shortcuts.conf`` (when the schema has hotkeys) and ``tools.conf`` (when ``N`` lines were
written). Labels the schema lacks are added to ``annotation.conf``; what brat cannot carry is
reported; file stems are made safe by ``sink.file_stem``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.schema import ANY_ENTITY, EventType, RelationType, Schema, SpanType
from annotator.errors import ExportError
from annotator.formats.brat.ann_read import NOTE_TYPE, OTHER_NOTES, REL_ATTR_NOTE
from annotator.formats.brat.ann_write import Names, fragments, write_ann
from annotator.formats.brat.collection import KB_NAMES
from annotator.formats.brat.declare import AttributeUses
from annotator.formats.brat.names import text_bound_types
from annotator.formats.brat.newlines import NEWLINE_MODES, has_crlf, to_lf
from annotator.formats.brat.sink import Sink, file_stem, too_long

if TYPE_CHECKING:
    from annotator.core.progress import ProgressFn
    from annotator.core.project import Project
    from annotator.formats.export import ExportDoc, ExportOptions, ExportReport

_KNOWN_NORM_URLS = {
    "wikidata": ("https://www.wikidata.org/", "https://www.wikidata.org/wiki/%s"),
    "wikipedia": ("https://en.wikipedia.org/", "https://en.wikipedia.org/?curid=%s"),
}


@dataclass
class _Counts:
    split_spans: int = 0
    rel_attr_notes: int = 0
    suggested: int = 0
    shortened: int = 0
    trimmed: int = 0  # spans written without a line break at their start or end
    crlf: int = 0  # documents with \r line ends
    newlines: str = "keep"
    norm_dbs: set[str] = field(default_factory=set)
    other_notes: Counter[str] = field(default_factory=Counter)  # '#' note type -> lines
    attributes: AttributeUses = field(default_factory=AttributeUses)
    equivalences: set[str] = field(default_factory=set)  # '*' types written


def _export_schema(project: Project, options: ExportOptions) -> tuple[Schema, list[str]]:
    """The project schema plus every label the export will write that it lacks."""
    from annotator.formats.export import resolve_annotator

    schema = Schema.from_dict(project.schema.to_dict())
    who = resolve_annotator(project, options)
    stats = project.stats()
    lm = options.label_map

    def mapped(labels: dict[str, int]) -> list[str]:
        out = []
        for lab in labels:
            new = lab if lm.identity else lm.apply(lab)
            if new:
                out.append(new)
        return sorted(set(out))

    added: list[str] = []
    for lab in mapped(stats["events"].get(who, {})):
        if schema.span_kind_of(lab) is None:
            schema.event_types.append(EventType(name=lab))
            added.append(lab)
    for lab in mapped(stats["spans"].get(who, {})):
        if schema.span_kind_of(lab) is None:
            schema.entity_types.append(SpanType(name=lab))
            added.append(lab)
    for lab in mapped(stats["relations"].get(who, {})):
        if not schema.relation_types_named(lab):
            schema.relation_types.append(RelationType(name=lab))
            added.append(lab)
    return schema, added


def _target(out: Path, options: ExportOptions, report: ExportReport) -> tuple[Path, bool]:
    """The output path (``.zip`` appended when zipping was asked for) and whether to zip."""
    zipped = out.suffix.lower() == ".zip" or bool(options.extra.get("zip"))
    if zipped and out.suffix.lower() != ".zip":
        out = out.with_name(out.name + ".zip")
        report.out = str(out)
    return out, zipped


def export(project: Project, out: Path, options: ExportOptions, report: ExportReport,
           progress: ProgressFn | None = None) -> None:
    """Write the selected documents as a brat collection (folder or .zip)."""
    from annotator.formats.export import export_documents

    out, zipped = _target(Path(out), options, report)
    rel_attrs = options.extra.get("relation_attributes", "notes")
    if rel_attrs not in ("notes", "drop"):
        raise ExportError(f"relation_attributes must be 'notes' or 'drop', got {rel_attrs!r}")
    newlines = options.extra.get("newlines", "keep")
    if newlines not in NEWLINE_MODES:
        raise ExportError(f"newlines must be one of {', '.join(NEWLINE_MODES)}, got "
                          f"{newlines!r}")
    schema, added = _export_schema(project, options)
    names = Names(schema)
    sink = Sink(out, zipped)
    taken: set[str] = set()
    counts = _Counts(newlines=newlines)
    try:
        for item in export_documents(project, options, report, progress):
            _write_document(sink, item, names, schema, rel_attrs, report, taken, counts)
        declared, extended = counts.attributes.declare(schema, names.map)
        for etype in sorted(counts.equivalences):  # chain types the schema lacks
            if not schema.relation_types_named(etype):
                schema.relation_types.append(RelationType(
                    etype, arg1=[ANY_ENTITY], arg2=[ANY_ENTITY], symmetric=True,
                    transitive=True))
        _write_confs(sink, schema, counts.norm_dbs, declared)
    finally:
        sink.close()
    report.files.append(str(out))
    _notes(report, added, counts)
    _attribute_notes(report, declared, extended)


def _write_document(sink: Sink, item: ExportDoc, names: Names, schema: Schema,
                    rel_attrs: str, report: ExportReport, taken: set[str],
                    counts: _Counts) -> None:
    doc = item.doc
    stem = file_stem(doc.name, taken)
    counts.shortened += too_long(doc.name)
    if item.split != "all":
        stem = f"{item.split}/{stem}"

    def lose(kind: str, reason: str, **kw: Any) -> None:
        report.lose(doc, kind, reason, **kw)

    text, ann = doc.text, item.ann
    if has_crlf(text):
        counts.crlf += 1
        if counts.newlines == "lf":
            text, ann = to_lf(text, ann)
    ann_text = write_ann(text, ann, names=names, schema=schema,
                         kb_names=doc.meta.get(KB_NAMES) or {},
                         relation_attributes=rel_attrs, lose=lose,
                         other_notes=doc.meta.get(OTHER_NOTES) or {})
    for line in ann_text.split("\n"):
        if line.startswith("#"):
            ntype = line.split("\t", 2)[1].split(" ", 1)[0]
            if ntype not in (NOTE_TYPE, REL_ATTR_NOTE):
                counts.other_notes[ntype] += 1
    for s in ann.spans:
        frags = fragments(text, s.start, s.end)
        if len(frags) > 1:
            counts.split_spans += 1
        if frags and (frags[0][0], frags[-1][1]) != (s.start, s.end):
            counts.trimmed += 1
        if s.kb_id and ":" in s.kb_id:
            counts.norm_dbs.add(s.kb_id.partition(":")[0])
        if s.status == "suggested":
            counts.suggested += 1
    counts.rel_attr_notes += ann_text.count(f"\t{REL_ATTR_NOTE} ")
    counts.equivalences.update(line[2:].split(" ", 1)[0] for line in ann_text.split("\n")
                               if line.startswith("*\t"))
    counts.norm_dbs.update(r.db for s in ann.spans for r in s.refs if r.db)
    counts.attributes.add(ann_text)
    sink.write(f"{stem}.txt", text)
    sink.write(f"{stem}.ann", ann_text)


def _write_confs(sink: Sink, schema: Schema, norm_dbs: set[str], declared: list[str]) -> None:
    from annotator.formats.brat.conf_write import write_annotation_conf
    from annotator.formats.brat.visual import write_kb_shortcuts, write_visual_conf

    sink.write("annotation.conf", write_annotation_conf(schema, declared))
    sink.write("visual.conf", write_visual_conf(schema))
    if any(t.hotkey for t in text_bound_types(schema)) or \
            any(r.hotkey for r in schema.relation_types):
        sink.write("kb_shortcuts.conf", write_kb_shortcuts(schema))
    if norm_dbs:
        sink.write("tools.conf", _tools_conf(sorted(norm_dbs)))


def _notes(report: ExportReport, added: list[str], counts: _Counts) -> None:
    if added:
        report.notes.append(f"labels not in the project schema added to annotation.conf: "
                            f"{', '.join(added)}")
    if counts.shortened:
        report.notes.append(f"{counts.shortened} document name(s) too long for a file name: "
                            "file stems cut to 190 bytes plus '~' and 8 hex digits of the "
                            "name's SHA-1 (a re-import names the documents after the files)")
    if counts.split_spans:
        report.notes.append(f"{counts.split_spans} span(s) crossing a line break written as "
                            "fragments split at the break (brat's own form; re-imports as one "
                            "span)")
    if counts.trimmed:
        report.notes.append(f"{counts.trimmed} span(s) begin or end with a line break: written "
                            "without it (brat's TEXT field cannot hold one and brat refuses a "
                            "TEXT that differs from the text at the offsets); they re-import "
                            "that much shorter")
    _newline_note(report, counts)
    if counts.other_notes:
        kinds = ", ".join(f"{n} {t}" for t, n in sorted(counts.other_notes.items()))
        report.notes.append(f"'#' notes of types other than {NOTE_TYPE} kept from the import "
                            f"written back: {kinds}")
    if counts.rel_attr_notes:
        report.notes.append(f"{counts.rel_attr_notes} relation(s) have attributes: written as "
                            f"'#' {REL_ATTR_NOTE} comment lines (brat has no relation "
                            "attributes, brat#791; annotator reads them back)")
    if counts.suggested:
        report.notes.append(f"{counts.suggested} suggested span(s) written as ordinary T "
                            "lines (brat has no status)")
    if counts.norm_dbs:
        report.notes.append("tools.conf declares the normalization DBs "
                            f"{', '.join(sorted(counts.norm_dbs))}")


def _attribute_notes(report: ExportReport, declared: list[str], extended: list[str]) -> None:
    if declared:
        report.notes.append(f"attributes written but not in the schema declared in "
                            f"annotation.conf (brat refuses undeclared ones): "
                            f"{', '.join(declared)} (marked '# annotator:declared-attribute'; "
                            "a re-import leaves them out of the schema)")
    if extended:
        report.notes.append("attribute definitions widened in annotation.conf to cover what "
                            f"was written: {'; '.join(extended)}")


def _newline_note(report: ExportReport, counts: _Counts) -> None:
    if not counts.crlf:
        return
    if counts.newlines == "lf":
        report.notes.append(f"{counts.crlf} document(s) had \\r\\n or \\r line ends: written "
                            "with \\n (-O newlines=lf), offsets moved to match; these .txt "
                            "files differ from the project's texts")
        return
    report.notes.append(f"{counts.crlf} document(s) have \\r\\n or \\r line ends, written "
                        "verbatim: offsets count \\r\\n as two characters, as brat on Python 3 "
                        "does; brat v1.3 on Python 2 counts it as one (nlplab/brat#853) and shows "
                        "these spans shifted: export with -O newlines=lf for it")


def _tools_conf(dbs: list[str]) -> str:
    lines = ["# brat tools.conf written by annotator: normalization DBs used by N lines.",
             "# Unknown DBs get placeholder URLs; edit them for your resources.", "",
             "[normalization]", ""]
    for db in dbs:
        url, base = _KNOWN_NORM_URLS.get(db.lower(), ("http://example.invalid/",
                                                      "http://example.invalid/%s"))
        lines.append(f"{db}\tDB:<NONE>, <URL>:{url}, <URLBASE>:{base}")
    return "\n".join(lines) + "\n"
