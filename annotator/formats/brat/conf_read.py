"""brat ``annotation.conf`` -> Schema (with its ``visual.conf`` and ``kb_shortcuts.conf``).

Reading follows brat's own parser (``nlplab/brat: server/src/projectconfig.py``):

* sections ``[entities]`` (alias ``[spans]``), ``[relations]``, ``[events]``, ``[attributes]``;
  any may be empty or missing; an unknown section is ignored with a warning, and lines before
  the first section are ignored with a warning (brat ignores both);
* blank lines, ``#`` comments and ``-`` separator lines are skipped;
* leading TAB indentation gives the is-a hierarchy (``parent``); ``!Type`` is a grouping node
  (``selectable=False``); ``Type|Synonym`` keeps the first term as the name;
* macros ``<POG>=Person|Organization|GPE`` are textual replacements, valid from their definition
  to the end of their section (as in brat); ``<ENTITY>``, ``<EVENT>``, ``<RELATION>``, ``<ANY>``
  and brat's other reserved names are built in; any other ``<...>`` is an unknown macro;
* ``<INHERIT>`` copies the parent line's arguments;
* relations: ``TYPE Arg1:A|B, Arg2:C`` (one line per allowed combination, the same TYPE may
  repeat; custom role names go to ``arg1_role``/``arg2_role``), ``<REL-TYPE>:symmetric``,
  ``transitive`` or ``symmetric-transitive``; a legacy ``Equiv`` without ``<REL-TYPE>`` is
  symmetric-transitive, as brat assumes; a ``!Group`` line without arguments only groups;
* events: ``TYPE ROLE:F|F, ROLE?:F, ROLE*:F, ROLE+:F, ROLE{2}:F, ROLE{1-3}:F``; a role without a
  suffix has cardinality ``1`` (exactly one);
* attributes: ``NAME Arg:<EVENT>|Type[, Value:V1|V2]``; without ``Value`` the attribute is binary;
* ``# annotator:`` directive lines (see ``conf_write``) restore what brat cannot say.

**Accepted as brat accepts them** (reported through ``warn``; brat loads these silently):
an argument type no ``[entities]``/``[events]`` line declares (``Arg1:Span`` in brat's
CoNLL-X configurations, a typo, a macro naming an undeclared type) is left out of the list
(a list left empty allows any type); a commented-out type inside an argument list
(``Theme:Protein|#Entity``) or a commented-out argument (``#Site?:Entity``) is left out;
numbered roles of cardinality one (``Org1:Organization, Org2:Organization`` in brat's
NIST-ACE-05 configuration) are one role ``Org{2}``, as the ``.ann`` reader strips brat's
role numbering. A numbered role that may repeat (``Theme2+``) is refused, as brat does.

**Overlap.** Any ``<OVERLAP>`` rule (or the deprecated ``ENTITY-NESTING``) gives
``allow_overlap=True``, none gives ``False``; the rules themselves are kept verbatim in
``Schema.overlap_rules`` (macros expanded) for the brat export to write back. brat has no value types: ``[entities]`` become entity types unless a
``# annotator:value-types`` directive names them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.schema import (
    ANY,
    ANY_ENTITY,
    ANY_EVENT,
    AttributeDef,
    EventType,
    RelationType,
    Role,
    Schema,
    SpanType,
    parse_cardinality,
)
from annotator.errors import SchemaError
from annotator.formats.brat.conf_syntax import ANY_OVERLAP, DIRECTIVE, SECTION_RE
from annotator.formats.brat.conf_syntax import conf_error as _err
from annotator.formats.brat.names import text_bound_types
from annotator.formats.brat.visual import apply_kb_shortcuts, apply_visual_conf

SECTIONS = ("entities", "relations", "events", "attributes")
SECTION_ALIAS = {"spans": "entities"}
RESERVED = frozenset(
    f"<{n}>" for n in ("ANY", "ENTITY", "RELATION", "EVENT", "NONE", "EMPTY", "REL-TYPE", "URL",
                       "URLBASE", "GLYPH-POS", "DEFAULT", "NORM", "OVERLAP", "OVL-TYPE", "INHERIT"))
OVERLAP_TYPES = ("<OVERLAP>", "ENTITY-NESTING")

_SEPARATOR_RE = re.compile(r"^\s*-+\s*$")
_MACRO_DEF_RE = re.compile(r"^<([a-zA-Z_-]+)>=\s*(.*?)\s*$")
_MACRO_USE_RE = re.compile(r"<.*?>")
_LINE_RE = re.compile(r"^(\s*)(\S+)(?:\s+(.*))?$")
_ARG_RE = re.compile(r"^(\S*?):(\S*)$")
_ROLE_KEY_RE = re.compile(r"^(\S+?)(\{\S+\}|\?|\*|\+|)$")
_NUMBERED_RE = re.compile(r"^(.+?)(\d+)$")

Warn = Callable[[str], None]
log = logging.getLogger("annotator.formats.brat")


def _log_warning(message: str) -> None:
    log.warning("%s", message)

# ---- reading annotation.conf ---------------------------------------------------------------

@dataclass
class _Node:
    lineno: int
    name: str
    unused: bool
    args: list[str]
    parent: str = ""


@dataclass
class _Directives:
    name: str = ""
    version: int | None = None
    description: str = ""
    value_types: list[str] = field(default_factory=list)
    subtypes: dict[str, list[str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    renames: dict[str, dict[str, str]] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)  # attributes only there for brat


def _read_directive(d: _Directives, body: str, source: str, lineno: int) -> None:
    key, _, rest = body.strip().partition(" ")
    rest = rest.strip()
    parts = rest.split(None, 2)
    if key == "schema":
        d.name = rest
    elif key == "version":
        try:
            d.version = int(rest)
        except ValueError:
            raise _err(source, lineno, f"bad schema version {rest!r}") from None
    elif key == "description":
        d.description = rest
    elif key == "value-types":
        d.value_types.extend(rest.split())
    elif key == "subtypes" and len(parts) >= 2:
        type_name, subs = rest.split(None, 1)
        d.subtypes[type_name] = [s.strip() for s in subs.split("|") if s.strip()]
    elif key == "default" and len(parts) >= 2:
        attr, value = rest.split(None, 1)
        d.defaults[attr] = value.strip()
    elif key == "declared-attribute" and len(parts) == 1:
        d.declared.add(rest)
    elif key == "rename" and len(parts) == 3 and parts[0] in ("type", "role", "attribute"):
        d.renames.setdefault(parts[0], {})[parts[1]] = parts[2].strip()
    else:
        raise _err(source, lineno, f"malformed '{DIRECTIVE}' line: {body.strip()!r}")


def _split_sections(text: str, source: str, directives: _Directives, warn: Warn
                    ) -> dict[str, list[tuple[int, str]]]:
    sections: dict[str, list[tuple[int, str]]] = {s: [] for s in SECTIONS}
    current: str | None = None
    ignored = ""  # an unknown section being skipped
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(DIRECTIVE):
            _read_directive(directives, stripped[len(DIRECTIVE):], source, lineno)
            continue
        m = SECTION_RE.match(line)
        if m:
            name = SECTION_ALIAS.get(m.group(1).strip(), m.group(1).strip())
            current, ignored = (name, "") if name in sections else (None, m.group(1))
            if ignored:
                warn(f"{source}:{lineno}: unknown section [{ignored}] ignored with its lines "
                     "(expected [entities] [relations] [events] [attributes]; brat ignores "
                     "it too)")
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if current is None:
            if not ignored:
                warn(f"{source}:{lineno}: line before any section ignored (as brat does): "
                     f"{stripped!r}")
                ignored = "-"
            continue
        sections[current].append((lineno, line))
    return sections


def _expand_macros(raw: str, macros: dict[str, str], source: str, lineno: int) -> str:
    """``raw`` with the section's macros replaced; any other ``<...>`` must be built in."""
    line = raw
    for key, value in macros.items():
        line = line.replace(key, value)
    for um in _MACRO_USE_RE.finditer(line):
        if um.group(0) not in RESERVED:
            raise _err(source, lineno, f"unknown macro {um.group(0)} (macros are defined "
                       "as <NAME>=A|B|C earlier in the same section)")
    return line


def _read_nodes(lines: list[tuple[int, str]], source: str) -> list[_Node]:
    """One section as a flat list of nodes with parents (separators dropped, macros expanded)."""
    nodes: list[_Node] = []
    macros: dict[str, str] = {}
    stack: list[tuple[int, _Node]] = []  # (depth, node) of the open hierarchy path
    for lineno, raw in lines:
        if _SEPARATOR_RE.match(raw):
            continue
        m = _MACRO_DEF_RE.match(raw.strip())
        if m:
            key = f"<{m.group(1)}>"
            if key in RESERVED:
                raise _err(source, lineno, f"cannot redefine the built-in {key}")
            macros[key] = m.group(2)
            continue
        line = _expand_macros(raw, macros, source, lineno)
        m = _LINE_RE.match(line.rstrip())
        if not m:
            raise _err(source, lineno, f"cannot parse line {raw.strip()!r}")
        indent, terms, rest = m.groups()
        depth = len(indent)
        term = terms.split("|")[0].strip()
        unused = any(t.strip().startswith("!") for t in terms.split("|"))
        name = term.lstrip("!")
        if not name:
            raise _err(source, lineno, "empty type name")
        args = [a.strip() for a in (rest or "").split(",") if a.strip()]
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1] if stack else None
        if depth > 0 and parent is None:
            raise _err(source, lineno, f"indented line {name!r} has no parent line above it")
        if "<INHERIT>" in args:
            if parent is None:
                raise _err(source, lineno, "<INHERIT> on a top-level line")
            i = args.index("<INHERIT>")
            args[i:i + 1] = parent.args
        node = _Node(lineno, name, unused, args, parent.name if parent else "")
        nodes.append(node)
        stack.append((depth, node))
    return nodes


def _split_arg(arg: str, source: str, lineno: int) -> tuple[str, list[str]]:
    m = _ARG_RE.match(arg)
    if not m or not m.group(1):
        raise _err(source, lineno, f"cannot parse argument {arg!r} (expected KEY:VALUE)")
    key, values = m.groups()
    types = values.split("|")
    if any(not t.strip() for t in types):
        raise _err(source, lineno, f"empty type in argument {arg!r}")
    return key, [t.strip() for t in types]


def _role(key: str, fillers: list[str], source: str, lineno: int) -> Role:
    m = _ROLE_KEY_RE.match(key)
    if not m:
        raise _err(source, lineno, f"cannot parse role {key!r}")
    name, rep = m.groups()
    card = rep or "1"
    try:
        lo, hi = parse_cardinality(card)
    except SchemaError as exc:
        raise _err(source, lineno, f"role {name!r}: {exc}") from None
    if hi == 0:
        raise _err(source, lineno, f"role {name!r}: cardinality {card} allows no filler")
    if name[-1].isdigit() and hi != 1:
        raise _err(source, lineno, f"role {name!r} ends in a digit and may repeat (brat "
                   "numbers repeated roles: Theme2, Theme3; brat refuses it too)")
    return Role(name=name, fillers=fillers, cardinality=card)


def _merge_numbered(roles: list[Role], event: str, source: str, lineno: int,
                    warn: Warn) -> list[Role]:
    """Numbered roles of cardinality one (``Org1``, ``Org2``; brat accepts them) as one role
    ``Org{2}``: the ``.ann`` reader strips brat's role numbering, so ``Org2:T7`` is an
    ``Org`` argument. Fillers are merged, cardinalities added."""
    groups: dict[str, list[Role]] = {}
    for r in roles:
        m = _NUMBERED_RE.match(r.name)
        groups.setdefault(m.group(1) if m else r.name, []).append(r)
    out: list[Role] = []
    for base, group in groups.items():
        if len(group) == 1 and group[0].name == base:
            out.append(group[0])
            continue
        lo = hi = 0
        fillers: list[str] = []
        for r in group:
            r_lo, r_hi = parse_cardinality(r.cardinality)
            lo, hi = lo + r_lo, hi + (r_hi or 0)
            fillers += [f for f in r.fillers if f not in fillers]
        card = "1" if (lo, hi) == (1, 1) else "?" if (lo, hi) == (0, 1) else \
            f"{{{lo}}}" if lo == hi else f"{{{lo}-{hi}}}"
        warn(f"{source}:{lineno}: roles {', '.join(r.name for r in group)} of {event} read as "
             f"one role {base}{'' if card == '1' else card} (the .ann reader strips brat's "
             "numbering of repeated roles)")
        out.append(Role(name=base, fillers=fillers, cardinality=card))
    return out


def _span_types(nodes: list[_Node]) -> list[SpanType]:
    return [SpanType(name=n.name, parent=n.parent, selectable=not n.unused) for n in nodes]


def _event_types(nodes: list[_Node], source: str, warn: Warn) -> list[EventType]:
    out = []
    for n in nodes:
        roles: list[Role] = []
        for arg in n.args:
            key, fillers = _split_arg(arg, source, n.lineno)
            if key in RESERVED:  # <NORM>:... and the like
                continue
            if key.startswith("#"):
                warn(f"{source}:{n.lineno}: commented-out argument {arg!r} of {n.name} ignored "
                     "(brat reads it as a role no annotation uses)")
                continue
            role = _role(key, fillers, source, n.lineno)
            if any(r.name == role.name for r in roles):
                raise _err(source, n.lineno, f"role {role.name!r} given twice for {n.name}")
            roles.append(role)
        roles = _merge_numbered(roles, n.name, source, n.lineno, warn)
        out.append(EventType(name=n.name, parent=n.parent, selectable=not n.unused, roles=roles))
    return out


def _relation_types(nodes: list[_Node], source: str
                    ) -> tuple[list[tuple[int, RelationType]], list[str]]:
    """The relation types (with their lines) and the overlap rules, verbatim."""
    out: list[tuple[int, RelationType]] = []
    overlap: list[str] = []
    for n in nodes:
        plain: list[tuple[str, list[str]]] = []
        special: dict[str, list[str]] = {}
        for arg in n.args:
            key, types = _split_arg(arg, source, n.lineno)
            if key in RESERVED:
                special[key] = types
            else:
                plain.append((key, types))
        if n.name in OVERLAP_TYPES:
            if len(plain) != 2:
                raise _err(source, n.lineno, f"{n.name} needs Arg1 and Arg2")
            overlap.append(f"{n.name}\t{', '.join(n.args)}")
            continue
        if not plain and n.unused:
            continue  # a grouping node such as "!PHYS"
        if len(plain) != 2:
            raise _err(source, n.lineno, f"relation {n.name!r} needs exactly two arguments "
                       f"(Arg1:TYPE, Arg2:TYPE), got {len(plain)}")
        rel_type = special.get("<REL-TYPE>")
        if rel_type is None and n.name == "Equiv":
            rel_type = ["symmetric-transitive"]
        flags: set[str] = set()
        for value in rel_type or []:
            flags.update(value.split("-"))
        unknown = flags - {"symmetric", "transitive"}
        if unknown:
            raise _err(source, n.lineno, f"unknown <REL-TYPE> {sorted(unknown)} (use symmetric, "
                       "transitive or symmetric-transitive)")
        (role1, arg1), (role2, arg2) = plain
        out.append((n.lineno, RelationType(name=n.name, arg1=arg1, arg2=arg2, arg1_role=role1,
                                           arg2_role=role2, symmetric="symmetric" in flags,
                                           transitive="transitive" in flags)))
    return out, overlap


def _attributes(nodes: list[_Node], source: str) -> list[AttributeDef]:
    out = []
    for n in nodes:
        parsed = dict(_split_arg(a, source, n.lineno) for a in n.args)
        if "Arg" not in parsed:
            raise _err(source, n.lineno, f"attribute {n.name!r} has no Arg: (what it applies to)")
        out.append(AttributeDef(name=n.name, targets=parsed["Arg"],
                                values=parsed.get("Value", [])))
    return out


class _Undeclared:
    """Argument types no line declares, gathered so that each is reported once."""

    def __init__(self, known: set[str]) -> None:
        self.known = known
        self.uses: dict[str, list[tuple[int, str]]] = {}  # type -> [(line, what)]
        self.emptied: list[tuple[int, str]] = []

    def keep(self, types: list[str], what: str, lineno: int) -> list[str]:
        """``types`` without the undeclared ones (brat accepts those silently: they allow
        nothing); a list left empty allows any type."""
        kept = [t for t in types if t in self.known]
        for t in types:
            if t not in self.known:
                self.uses.setdefault(t, []).append((lineno, what))
        if types and not kept:
            self.emptied.append((lineno, what))
        return kept

    def report(self, source: str, warn: Warn) -> None:
        for t, uses in self.uses.items():
            (lineno, what), more = uses[0], len(uses) - 1
            others = f" and {more} more argument list(s)" if more else ""
            if t.startswith("#"):
                warn(f"{source}:{lineno}: commented-out type {t!r} in the arguments of {what}"
                     f"{others} ignored")
            else:
                warn(f"{source}:{lineno}: type {t!r} ({what}{others}) is declared by no "
                     "[entities] or [events] line (brat accepts it; no annotation can have "
                     "it): left out")
        if self.emptied:
            (lineno, what), more = self.emptied[0], len(self.emptied) - 1
            warn(f"{source}:{lineno}: {what}{f' and {more} more' if more else ''}: no "
                 "declared type left; read as any type")


def _check_references(schema: Schema, nodes: dict[str, list[_Node]],
                      relation_lines: list[int], source: str, warn: Warn) -> None:
    """Undeclared filler/argument types left out and reported (``_Undeclared``); a type
    declared twice is refused."""
    known = {t.name for t in schema.entity_types} | {t.name for t in schema.event_types}
    undeclared = _Undeclared(known | {ANY, ANY_ENTITY, ANY_EVENT})
    lines = {("event", n.name): n.lineno for n in nodes["events"]}
    for et in schema.event_types:
        for role in et.roles:
            role.fillers = undeclared.keep(role.fillers, f"role {et.name}/{role.name}",
                                           lines[("event", et.name)])
    for lineno, rt in zip(relation_lines, schema.relation_types, strict=True):
        rt.arg1 = undeclared.keep(rt.arg1, f"relation {rt.name} Arg1", lineno)
        rt.arg2 = undeclared.keep(rt.arg2, f"relation {rt.name} Arg2", lineno)
    undeclared.report(source, warn)
    seen: dict[str, int] = {}
    for group in ("entities", "events"):
        for n in nodes[group]:
            if n.name in seen:
                raise _err(source, n.lineno, f"type {n.name!r} declared twice (first on line "
                           f"{seen[n.name]})")
            seen[n.name] = n.lineno


def parse_annotation_conf(text: str, source: str = "annotation.conf", *,
                          visual: str | None = None, kb_shortcuts: str | None = None,
                          name: str = "", warn: Warn | None = None) -> Schema:
    """A Schema from the text of an ``annotation.conf`` (and optionally visual/kb texts);
    what brat accepts but a reader should know is reported through ``warn`` (default: the
    log)."""
    warn = warn or _log_warning
    directives = _Directives()
    sections = _split_sections(text, source, directives, warn)
    nodes = {s: _read_nodes(lines, source) for s, lines in sections.items()}
    relations, overlap = _relation_types(nodes["relations"], source)
    schema = Schema(
        name=directives.name or name or "brat",
        version=directives.version or 1,
        description=directives.description,
        allow_overlap=bool(overlap),
        overlap_rules=[] if overlap == [ANY_OVERLAP] else overlap,
        entity_types=_span_types(nodes["entities"]),
        event_types=_event_types(nodes["events"], source, warn),
        relation_types=[rt for _, rt in relations],
        attributes=_attributes(nodes["attributes"], source),
    )
    _check_references(schema, nodes, [lineno for lineno, _ in relations], source, warn)
    if visual is not None:
        apply_visual_conf(schema, visual, source=_sibling(source, "visual.conf"))
    if kb_shortcuts is not None:
        apply_kb_shortcuts(schema, kb_shortcuts, source=_sibling(source, "kb_shortcuts.conf"))
    _apply_directives(schema, directives, source)
    schema.check(source=source)
    return schema


def _sibling(source: str, filename: str) -> str:
    return str(Path(source).with_name(filename)) if source.endswith(".conf") else filename


def _apply_directives(schema: Schema, d: _Directives, source: str) -> None:
    schema.attributes = [a for a in schema.attributes if a.name not in d.declared]
    if d.value_types:
        wanted = set(d.value_types)
        schema.value_types = [t for t in schema.entity_types if t.name in wanted]
        schema.entity_types = [t for t in schema.entity_types if t.name not in wanted]
    for st in [*schema.entity_types, *schema.value_types]:
        if st.name in d.subtypes:
            st.subtypes = list(d.subtypes[st.name])
    for a in schema.attributes:
        if a.name in d.defaults:
            raw = d.defaults[a.name]
            a.default = (raw.lower() == "true") if a.binary else raw
    _apply_renames(schema, d.renames.get("type", {}), d.renames.get("role", {}),
                   d.renames.get("attribute", {}))


def _apply_renames(schema: Schema, types: dict[str, str], roles: dict[str, str],
                   attrs: dict[str, str]) -> None:
    """``# annotator:rename`` directives: brat-safe names back to the original ones."""
    if not (types or roles or attrs):
        return

    def ren(names: list[str]) -> list[str]:
        return [types.get(n, n) for n in names]

    for t in text_bound_types(schema):
        t.name = types.get(t.name, t.name)
        t.parent = types.get(t.parent, t.parent)
    for et in schema.event_types:
        for r in et.roles:
            r.name = roles.get(r.name, r.name)
            r.fillers = ren(r.fillers)
    for rt in schema.relation_types:
        rt.name = types.get(rt.name, rt.name)
        rt.arg1, rt.arg2 = ren(rt.arg1), ren(rt.arg2)
        rt.arg1_role = roles.get(rt.arg1_role, rt.arg1_role)
        rt.arg2_role = roles.get(rt.arg2_role, rt.arg2_role)
    for a in schema.attributes:
        a.name = attrs.get(a.name, a.name)
        a.targets = ren(a.targets)


# ---- files ----------------------------------------------------------------------------------
def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise SchemaError(f"{path}: not UTF-8 text: {exc.reason}") from None


def read_annotation_conf(path: str | Path, *, siblings: bool = True,
                         warn: Warn | None = None) -> Schema:
    """Read ``annotation.conf``; with ``siblings``, also ``visual.conf`` and ``kb_shortcuts.conf``
    from the same folder when they exist. The schema is named after the folder."""
    path = Path(path)
    visual = kb = None
    if siblings:
        if (path.parent / "visual.conf").is_file():
            visual = _read_text(path.parent / "visual.conf")
        if (path.parent / "kb_shortcuts.conf").is_file():
            kb = _read_text(path.parent / "kb_shortcuts.conf")
    return parse_annotation_conf(_read_text(path), source=str(path), visual=visual,
                                 kb_shortcuts=kb, name=path.resolve().parent.name, warn=warn)


def read_brat_schema(folder: str | Path) -> Schema:
    """The schema of a brat collection folder (annotation.conf + visual.conf + kb_shortcuts.conf)."""
    folder = Path(folder)
    conf = folder / "annotation.conf"
    if not conf.is_file():
        raise SchemaError(f"{folder}: no annotation.conf in this folder")
    return read_annotation_conf(conf)

