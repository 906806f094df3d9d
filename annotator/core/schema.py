"""The label schema: entity, value, event and relation types, roles, attributes, colours, keys.

A schema is plain data. It is loaded from TOML (``resources/schemas/*.toml``) here, or from a
brat ``annotation.conf`` through ``annotator.formats.schema_sources``, copied into the project
file as JSON, and used by ``annotator.core.validate`` to check every annotation. Renames are pure
(``renamed``, ``with_role_renamed`` return a new Schema) so the Project only records rows.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import SchemaError, ValidationError

# Filler wildcards, as in brat: any entity, any event, any value type, anything.
ANY_ENTITY = "<ENTITY>"
ANY_EVENT = "<EVENT>"
ANY_VALUE = "<VALUE>"
ANY_RELATION = "<RELATION>"
ANY = "<ANY>"

_CARD_RE = re.compile(r"^(?:\?|\*|\+|1|\{(\d+)\}|\{(\d+)-(\d+)\})$")


def parse_cardinality(card: str) -> tuple[int, int | None]:
    """``?``, ``1``, ``*``, ``+``, ``{N}``, ``{N-M}`` -> (min, max or None for unbounded)."""
    m = _CARD_RE.match(card.strip())
    if not m:
        raise SchemaError(f"bad cardinality {card!r}: use one of ? 1 * + {{N}} {{N-M}}")
    card = card.strip()
    if card == "?":
        return 0, 1
    if card == "1":
        return 1, 1
    if card == "*":
        return 0, None
    if card == "+":
        return 1, None
    if m.group(1):
        n = int(m.group(1))
        return n, n
    lo, hi = int(m.group(2)), int(m.group(3))
    if lo > hi:
        raise SchemaError(f"bad cardinality {card!r}: lower bound above upper bound")
    return lo, hi


@dataclass
class SpanType:
    """An entity or value type (value types: times, money, crimes ...)."""

    name: str
    label: str = ""
    subtypes: list[str] = field(default_factory=list)
    parent: str = ""
    selectable: bool = True
    color: str = ""
    hotkey: str = ""


@dataclass
class Role:
    """An event role: name, allowed filler types and cardinality (? 1 * + {N} {N-M})."""

    name: str
    fillers: list[str] = field(default_factory=list)
    cardinality: str = "*"
    hotkey: str = ""

    @property
    def bounds(self) -> tuple[int, int | None]:
        return parse_cardinality(self.cardinality)

    @property
    def required(self) -> bool:
        return self.bounds[0] > 0


@dataclass
class EventType:
    name: str
    label: str = ""
    roles: list[Role] = field(default_factory=list)
    parent: str = ""
    selectable: bool = True
    color: str = ""
    hotkey: str = ""

    def role(self, name: str) -> Role | None:
        return next((r for r in self.roles if r.name == name), None)


@dataclass
class RelationType:
    """A binary relation; ``arg1``/``arg2`` list allowed types (several lines may share a name)."""

    name: str
    label: str = ""
    arg1: list[str] = field(default_factory=list)
    arg2: list[str] = field(default_factory=list)
    symmetric: bool = False
    transitive: bool = False
    arg1_role: str = "Arg1"
    arg2_role: str = "Arg2"
    color: str = ""
    hotkey: str = ""


@dataclass
class AttributeDef:
    """An attribute: ``targets`` are type names or wildcards; no ``values`` means binary."""

    name: str
    targets: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    default: str | bool | None = None
    label: str = ""

    @property
    def binary(self) -> bool:
        return not self.values


@dataclass
class Schema:
    name: str = "schema"
    version: int = 1
    description: str = ""
    allow_overlap: bool = True
    entity_types: list[SpanType] = field(default_factory=list)
    value_types: list[SpanType] = field(default_factory=list)
    event_types: list[EventType] = field(default_factory=list)
    relation_types: list[RelationType] = field(default_factory=list)
    attributes: list[AttributeDef] = field(default_factory=list)
    # the overlap rules of an imported brat annotation.conf, verbatim (``<OVERLAP> Arg1:A,
    # Arg2:B, <OVL-TYPE>:contain``, ``ENTITY-NESTING ...``), written back by the brat export;
    # annotator itself only reads allow_overlap
    overlap_rules: list[str] = field(default_factory=list)

    # ---- lookups -----------------------------------------------------------------------
    def entity_type(self, name: str) -> SpanType | None:
        return next((t for t in self.entity_types if t.name == name), None)

    def value_type(self, name: str) -> SpanType | None:
        return next((t for t in self.value_types if t.name == name), None)

    def event_type(self, name: str) -> EventType | None:
        return next((t for t in self.event_types if t.name == name), None)

    def relation_types_named(self, name: str) -> list[RelationType]:
        return [t for t in self.relation_types if t.name == name]

    def relation_type_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.relation_types:
            seen.setdefault(t.name, None)
        return list(seen)

    def is_symmetric(self, relation_type: str) -> bool:
        return any(t.symmetric for t in self.relation_types_named(relation_type))

    def span_kind_of(self, label: str) -> str | None:
        """The span kind a label belongs to: entity, value or trigger (event type)."""
        if self.entity_type(label):
            return "entity"
        if self.value_type(label):
            return "value"
        if self.event_type(label):
            return "trigger"
        return None

    def span_labels(self) -> list[str]:
        """Every selectable label for spans, entity types first."""
        return ([t.name for t in self.entity_types if t.selectable]
                + [t.name for t in self.value_types if t.selectable])

    def attributes_for(self, kind: str, type_name: str) -> list[AttributeDef]:
        """Attributes that apply to an annotation of ``kind`` (entity/value/trigger/event/relation)."""
        wildcard = {"entity": ANY_ENTITY, "value": ANY_VALUE, "trigger": ANY_EVENT,
                    "event": ANY_EVENT, "relation": ANY_RELATION}.get(kind, "")
        return [a for a in self.attributes
                if ANY in a.targets or wildcard in a.targets or type_name in a.targets]

    def effective_attrs(self, kind: str, type_name: str, attrs: dict[str, Any]
                        ) -> dict[str, Any]:
        """The attributes an annotation has once the schema's defaults are filled in.

        The one rule for defaults, whoever made the annotation (GUI, API, CLI or import): the
        stored ``attrs`` hold only what was set, so an import round trip stays exact and a
        schema whose default changes changes every annotation that never set the attribute;
        views and anything else that shows an attribute's value read it through here."""
        shown = {a.name: a.default for a in self.attributes_for(kind, type_name)
                 if a.default not in (None, "")}
        shown.update(attrs)
        return shown

    def type_matches(self, label: str, kind: str, allowed: list[str]) -> bool:
        """Whether an annotation with ``label`` (of ``kind``) fits a filler/argument list."""
        if not allowed or ANY in allowed or label in allowed:
            return True
        if kind == "entity" and ANY_ENTITY in allowed:
            return True
        if kind == "value" and ANY_VALUE in allowed:
            return True
        if kind in ("event", "trigger") and ANY_EVENT in allowed:
            return True
        # A subtype written as "PER.Individual" or a hierarchy parent also matches.
        t = self._span_type(label)
        seen = {label}
        while t is not None and t.parent and t.parent not in seen:  # stop on a parent cycle
            if t.parent in allowed:
                return True
            seen.add(t.parent)
            t = self._span_type(t.parent)
        return False

    def color_of(self, label: str) -> str:
        t = self._span_type(label)
        if t and t.color:
            return t.color
        rels = self.relation_types_named(label)
        if rels and rels[0].color:
            return rels[0].color
        return ""

    def _all_types(self) -> list[SpanType | EventType]:
        return [*self.entity_types, *self.value_types, *self.event_types]

    def _span_type(self, name: str) -> SpanType | EventType | None:
        return self.entity_type(name) or self.value_type(name) or self.event_type(name)

    # ---- pure rewrites (a new Schema; this one is left as it is) ------------------------
    def renamed(self, old: str, new: str) -> Schema:
        """This schema with the span label, event type or relation type ``old`` called
        ``new`` everywhere it is named (parents, role fillers, relation arguments, attribute
        targets)."""
        schema = Schema.from_dict(self.to_dict())
        found = False
        for t in schema._all_types():
            if t.name == old:
                t.name, found = new, True
            if t.parent == old:
                t.parent = new
        for r in schema.relation_types:
            if r.name == old:
                r.name, found = new, True
        names = [r.fillers for et in schema.event_types for r in et.roles]
        names += [r.arg1 for r in schema.relation_types] + [r.arg2 for r in schema.relation_types]
        names += [a.targets for a in schema.attributes]
        for coll in names:
            coll[:] = [new if x == old else x for x in coll]
        if not found:
            raise ValidationError(f"no label named {old!r} in the schema")
        schema.check(source="renamed schema")
        return schema

    def with_role_renamed(self, event_type: str, old: str, new: str) -> Schema:
        """This schema with role ``old`` of ``event_type`` called ``new``."""
        schema = Schema.from_dict(self.to_dict())
        et = schema.event_type(event_type)
        role = et.role(old) if et is not None else None
        if role is None:
            raise ValidationError(f"{event_type} has no role {old!r}")
        role.name = new
        schema.check(source="renamed schema")
        return schema

    # ---- (de)serialisation -------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "schema") -> Schema:
        try:
            schema = cls(
                name=str(data.get("name", "schema")),
                version=int(data.get("version", 1)),
                description=str(data.get("description", "")),
                allow_overlap=bool(data.get("allow_overlap", True)),
                entity_types=[SpanType(**_known(SpanType, t)) for t in data.get("entity_types", [])],
                value_types=[SpanType(**_known(SpanType, t)) for t in data.get("value_types", [])],
                event_types=[_event_type(t) for t in data.get("event_types", [])],
                relation_types=[RelationType(**_known(RelationType, t))
                                for t in data.get("relation_types", [])],
                attributes=[AttributeDef(**_known(AttributeDef, a))
                            for a in data.get("attributes", [])],
                overlap_rules=[str(r) for r in data.get("overlap_rules", [])],
            )
        except (TypeError, ValueError, KeyError) as exc:
            raise SchemaError(f"{source}: malformed schema: {exc}") from None
        schema.check(source=source)
        return schema

    def check(self, *, source: str = "schema") -> None:
        """Raise SchemaError when the schema contradicts itself (duplicates, unknown fillers)."""
        names: dict[str, str] = {}
        for group, types in (("entity", self.entity_types), ("value", self.value_types),
                             ("event", self.event_types)):
            for t in types:
                if not t.name:
                    raise SchemaError(f"{source}: a {group} type has no name")
                if t.name in names:
                    raise SchemaError(f"{source}: type {t.name!r} declared twice "
                                      f"({names[t.name]} and {group})")
                names[t.name] = group
        known = set(names) | {ANY, ANY_ENTITY, ANY_EVENT, ANY_VALUE}
        for et in self.event_types:
            for role in et.roles:
                parse_cardinality(role.cardinality)
                if role.name and role.name[-1].isdigit():
                    raise SchemaError(f"{source}: role {role.name!r} of {et.name} ends in a digit "
                                      "(brat numbers repeated roles: Org2, Org3)")
                for f in role.fillers:
                    if f not in known:
                        raise SchemaError(f"{source}: role {et.name}/{role.name} allows unknown "
                                          f"type {f!r}")
        for rt in self.relation_types:
            for f in rt.arg1 + rt.arg2:
                if f not in known:
                    raise SchemaError(f"{source}: relation {rt.name} allows unknown type {f!r}")
        for t in self._all_types():
            parent, seen = t.parent, {t.name}
            while parent:
                if parent not in names:
                    raise SchemaError(f"{source}: type {t.name!r} has unknown parent {parent!r}")
                if parent in seen:
                    raise SchemaError(f"{source}: type {t.name!r} is its own ancestor "
                                      f"(parent cycle through {parent!r})")
                seen.add(parent)
                parent_type = self._span_type(parent)
                parent = parent_type.parent if parent_type is not None else ""
        hotkeys: dict[str, str] = {}
        for t in self._all_types():
            if t.hotkey:
                if t.hotkey in hotkeys:
                    raise SchemaError(f"{source}: hotkey {t.hotkey!r} used by both "
                                      f"{hotkeys[t.hotkey]} and {t.name}")
                hotkeys[t.hotkey] = t.name
        for a in self.attributes:
            if a.values and a.default not in (None, "") and a.default not in a.values:
                raise SchemaError(f"{source}: attribute {a.name!r} default {a.default!r} "
                                  f"is not one of {a.values}")


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)} in {cls.__name__} {data.get('name', '')!r}")
    return dict(data)


def _event_type(data: dict[str, Any]) -> EventType:
    data = dict(data)
    roles = [Role(**_known(Role, r)) for r in data.pop("roles", [])]
    return EventType(roles=roles, **_known(EventType, data))


# ---- loading -------------------------------------------------------------------------------
def schema_dir() -> Path:
    from annotator.resources_path import resource_path

    return resource_path("schemas")


def builtin_schema_names() -> list[str]:
    return sorted(p.stem for p in schema_dir().glob("*.toml"))


def load_schema_toml(path: str | Path) -> Schema:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read: {exc.strerror}") from None
    return Schema.from_dict(data, source=str(path))


def is_brat_conf(path: str | Path) -> bool:
    """Whether ``path`` names a brat ``annotation.conf`` (read by ``annotator.formats``)."""
    path = Path(path)
    return path.suffix == ".conf" or path.name == "annotation.conf"


def load_schema(spec: str | Path) -> Schema:
    """A built-in schema name or a ``.toml`` file.

    A brat ``annotation.conf`` is a format the core does not read (the core imports no
    ``annotator.formats``): ``annotator.formats.schema_sources.load_schema_source`` and
    ``annotator.load_schema`` read all three."""
    spec_str = str(spec)
    path = Path(spec_str)
    if is_brat_conf(path):
        raise SchemaError(f"{path}: a brat annotation.conf is read through "
                          "annotator.formats.schema_sources.load_schema_source, not the core")
    if path.suffix == ".toml":
        return load_schema_toml(path)
    builtin = schema_dir() / f"{spec_str}.toml"
    if builtin.exists():
        return load_schema_toml(builtin)
    raise SchemaError(f"unknown schema {spec_str!r}: give one of {builtin_schema_names()}, "
                      "a .toml file or a brat annotation.conf")


def schema_to_toml(schema: Schema) -> str:
    import tomli_w

    def clean(obj: Any) -> Any:
        if isinstance(obj, dict):
            return {k: clean(v) for k, v in obj.items() if v not in (None, "", [], {})
                    or k in ("name",)}
        if isinstance(obj, list):
            return [clean(v) for v in obj]
        return obj

    data = clean(schema.to_dict())
    data["allow_overlap"] = schema.allow_overlap
    return tomli_w.dumps(data)
