"""brat storage names: the ``[a-zA-Z0-9_-]`` form brat allows for type, role and attribute
names, made unique for a whole schema.

Both the ``.ann`` writer and the conf writers use the same map, so an exported collection's
``.ann`` files and its ``annotation.conf`` agree; the reader maps them back through the
``# annotator:rename`` directives.
"""

from __future__ import annotations

import re

from annotator.core.schema import ANY, ANY_VALUE, AttributeDef, EventType, Schema, SpanType
from annotator.errors import SchemaError

_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_-]")


def brat_safe_name(name: str) -> str:
    """A brat storage form: every character outside ``[a-zA-Z0-9_-]`` becomes ``_``."""
    return _UNSAFE_RE.sub("_", name.replace(" ", "_")) or "_"


def text_bound_types(schema: Schema) -> list[SpanType | EventType]:
    """Entity, value and event types in that order (brat's text-bound annotation types)."""
    return [*schema.entity_types, *schema.value_types, *schema.event_types]


def brat_name_map(schema: Schema) -> dict[str, str]:
    """Every entity, value, event and relation type name -> a unique brat-safe name.

    Names that are already safe keep their form; a clash (``A.B`` and ``A_B``) gets ``_2``,
    ``_3`` ... appended to the later name.
    """
    names = [t.name for t in text_bound_types(schema)]
    names += schema.relation_type_names()
    taken = {n for n in names if brat_safe_name(n) == n}
    mapping: dict[str, str] = {}
    for name in names:
        if name in mapping:
            continue
        safe = brat_safe_name(name)
        if safe != name:
            base, i = safe, 2
            while safe in taken:
                safe, i = f"{base}_{i}", i + 1
            taken.add(safe)
        mapping[name] = safe
    return mapping


class ConfNames:
    """The brat names the three conf writers share: types (``brat_name_map``), filler lists
    (``<VALUE>`` written as the value types) and attributes merged by brat name."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.types = brat_name_map(schema)
        self.value_names = [t.name for t in schema.value_types]
        self.attributes = self._merged_attributes()

    def t(self, name: str) -> str:
        return self.types.get(name, name)

    def fillers(self, names: list[str]) -> str:
        out: list[str] = []
        for n in names or [ANY]:
            expanded = self.value_names if n == ANY_VALUE else [n]
            for e in expanded:
                if self.t(e) not in out:
                    out.append(self.t(e))
        return "|".join(out) if out else ANY

    def role(self, name: str) -> str:
        return brat_safe_name(name)

    def _merged_attributes(self) -> list[AttributeDef]:
        merged: dict[str, AttributeDef] = {}
        for a in self.schema.attributes:
            key = brat_safe_name(a.name)
            if key not in merged:
                merged[key] = AttributeDef(a.name, list(a.targets), list(a.values), a.default,
                                           a.label)
                continue
            m = merged[key]
            m.targets += [x for x in a.targets if x not in m.targets]
            m.values += [x for x in a.values if x not in m.values]
        for a in merged.values():
            for v in a.values:
                if not v or re.search(r"[\s,|]", v):
                    raise SchemaError(f"attribute {a.name!r}: value {v!r} cannot be written to "
                                      "brat (no spaces, commas or '|')")
        return list(merged.values())
