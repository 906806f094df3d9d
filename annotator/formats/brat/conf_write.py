"""Schema -> brat ``annotation.conf`` (and ``write_brat_schema`` for all three conf files).

brat type names must match ``[a-zA-Z0-9_-]``: names go through ``names.brat_name_map``
(``Conflict.Attack`` -> ``Conflict_Attack``), the display forms go to ``visual.conf``. What brat
cannot say is written as ``# annotator:`` comment lines, which brat ignores and
``conf_read.parse_annotation_conf`` reads back, so that a write/read round trip gives the same
schema:

* ``# annotator:schema NAME`` / ``version N`` / ``description TEXT``;
* ``# annotator:value-types A B`` -- these ``[entities]`` are value types;
* ``# annotator:subtypes TYPE S1|S2`` -- an entity/value type's ``subtypes``;
* ``# annotator:default ATTRIBUTE VALUE`` -- an attribute default (``true``/``false`` if binary);
* ``# annotator:rename KIND BRAT-NAME ORIGINAL`` (KIND ``type``, ``role`` or ``attribute``) --
  restores names that were not brat-safe;
* ``# annotator:declared-attribute NAME`` -- an attribute declared only so that brat accepts
  the ``A`` lines written (entity subtypes, see ``declare``); not part of the schema.

The wildcard ``<VALUE>`` has no brat equivalent and is written as the list of value types. Two
attribute definitions with the same name are written as one (targets and values merged).
brat ``.ann`` files cannot carry attributes on relations (brat#791), but ``annotation.conf``
accepts ``Arg:<RELATION>``, so relation attributes are written as such. ``allow_overlap``
is written as the collection's own rules (``Schema.overlap_rules``, kept by ``conf_read``),
or without them as ``<OVERLAP> Arg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from annotator.core.schema import EventType, Schema, SpanType
from annotator.errors import SchemaError
from annotator.formats.brat.conf_syntax import ANY_OVERLAP, DIRECTIVE
from annotator.formats.brat.names import ConfNames, brat_safe_name

_T = TypeVar("_T", SpanType, EventType)


def _hierarchy(types: Sequence[_T], write_line: Callable[[_T], str]) -> list[str]:
    """Lines for a list of typed nodes, children TAB-indented under their parent."""
    names = {t.name for t in types}
    lines: list[str] = []
    done: set[str] = set()

    def visit(t: _T, depth: int) -> None:
        if t.name in done:
            return
        done.add(t.name)
        lines.append("\t" * depth + write_line(t))
        for child in types:
            if child.parent == t.name:
                visit(child, depth + 1)

    for t in types:
        if not t.parent or t.parent not in names:
            visit(t, 0)
    for t in types:  # parent cycles: write what is left at the top level
        visit(t, 0)
    return lines


def _directives(schema: Schema, w: ConfNames, declared: Sequence[str] = ()) -> list[str]:
    """The header: ``# annotator:`` lines for what brat cannot express."""
    out = ["# brat annotation.conf written by annotator from schema "
           f"{schema.name!r} (version {schema.version}).",
           "# '# annotator:' lines are ignored by brat and restore what brat cannot express.",
           f"{DIRECTIVE}schema {schema.name}",
           f"{DIRECTIVE}version {schema.version}"]
    if schema.description:
        out.append(f"{DIRECTIVE}description {' '.join(schema.description.split())}")
    if schema.value_types:
        out.append(f"{DIRECTIVE}value-types " + " ".join(w.t(t.name) for t in schema.value_types))
    for t in (*schema.entity_types, *schema.value_types):
        if t.subtypes:
            out.append(f"{DIRECTIVE}subtypes {w.t(t.name)} " + "|".join(t.subtypes))
    for a in w.attributes:
        if a.default not in (None, ""):
            value = str(a.default).lower() if isinstance(a.default, bool) else a.default
            out.append(f"{DIRECTIVE}default {brat_safe_name(a.name)} {value}")
    out += [f"{DIRECTIVE}declared-attribute {name}" for name in declared]
    return out + _renames(schema, w)


def _renames(schema: Schema, w: ConfNames) -> list[str]:
    out = [f"{DIRECTIVE}rename type {safe} {original}"
           for original, safe in w.types.items() if original != safe]
    roles = {r.name for et in schema.event_types for r in et.roles}
    roles |= {x for rt in schema.relation_types for x in (rt.arg1_role, rt.arg2_role)}
    out += [f"{DIRECTIVE}rename role {brat_safe_name(r)} {r}"
            for r in sorted(roles) if brat_safe_name(r) != r]
    out += [f"{DIRECTIVE}rename attribute {brat_safe_name(a.name)} {a.name}"
            for a in w.attributes if brat_safe_name(a.name) != a.name]
    return out


def _entities(schema: Schema, w: ConfNames) -> list[str]:
    def span_line(t: SpanType) -> str:
        return ("" if t.selectable else "!") + w.t(t.name)

    out = ["", "[entities]", ""]
    out += _hierarchy(schema.entity_types, span_line)
    if schema.value_types:
        out += ["# value types (brat has none: written as entities)"]
        out += _hierarchy(schema.value_types, span_line)
    return out


def _relations(schema: Schema, w: ConfNames) -> list[str]:
    out = ["", "[relations]", ""]
    for rt in schema.relation_types:
        args = [f"{w.role(rt.arg1_role or 'Arg1')}:{w.fillers(rt.arg1)}",
                f"{w.role(rt.arg2_role or 'Arg2')}:{w.fillers(rt.arg2)}"]
        kind = "-".join(k for k, on in (("symmetric", rt.symmetric),
                                        ("transitive", rt.transitive)) if on)
        if kind:
            args.append(f"<REL-TYPE>:{kind}")
        out.append(f"{w.t(rt.name)}\t" + ", ".join(args))
    if schema.allow_overlap:
        out += schema.overlap_rules or [ANY_OVERLAP]
    return out


def _events(schema: Schema, w: ConfNames) -> list[str]:
    def event_line(et: EventType) -> str:
        head = ("" if et.selectable else "!") + w.t(et.name)
        args = []
        for r in et.roles:
            card = "" if r.cardinality.strip() == "1" else r.cardinality.strip()
            args.append(f"{w.role(r.name)}{card}:{w.fillers(r.fillers)}")
        return head + ("\t" + ", ".join(args) if args else "")

    return ["", "[events]", "", *_hierarchy(schema.event_types, event_line)]


def _attributes(w: ConfNames) -> list[str]:
    out = ["", "[attributes]", ""]
    for a in w.attributes:
        line = f"{brat_safe_name(a.name)}\tArg:{w.fillers(a.targets)}"
        if a.values:
            line += ", Value:" + "|".join(a.values)
        out.append(line)
    return out


def write_annotation_conf(schema: Schema, declared: Sequence[str] = ()) -> str:
    """``annotation.conf`` text for a schema (see the module docstring for the mapping);
    ``declared``: attributes of ``schema`` that are only there for brat (``declare``)."""
    w = ConfNames(schema)
    out = [*_directives(schema, w, declared), *_entities(schema, w), *_relations(schema, w),
           *_events(schema, w), *_attributes(w)]
    return "\n".join(out) + "\n"


def write_brat_schema(schema: Schema, folder: str | Path) -> list[Path]:
    """Write annotation.conf, visual.conf and kb_shortcuts.conf into ``folder``."""
    from annotator.formats.brat.visual import write_kb_shortcuts, write_visual_conf

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in (("annotation.conf", write_annotation_conf(schema)),
                           ("visual.conf", write_visual_conf(schema)),
                           ("kb_shortcuts.conf", write_kb_shortcuts(schema))):
        path = folder / filename
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SchemaError(f"{path}: cannot write: {exc.strerror}") from None
        written.append(path)
    return written
