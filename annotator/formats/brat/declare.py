"""Every attribute a brat export writes, declared in its ``annotation.conf``.

brat's verifier refuses an ``A`` line whose attribute is not declared for the target's type
(``verify_attributes``), and brat cannot show a value the definition does not list. A project
carries attributes its schema does not declare as attributes: entity subtypes
(``attrs["subtype"]``, declared as the types' ``subtypes`` lists), and whatever an import
brought. ``AttributeUses`` collects, from the written ``.ann`` texts, every (attribute, target
type, value); ``declare`` then adds to the export's schema what is missing: a new attribute
definition (named in ``# annotator:declared-attribute`` so that a re-import drops it again), or
the missing target types and values of a declared one (reported). brat matches ``Arg:``
types exactly or through ``<ENTITY>``/``<EVENT>``/``<ANY>``, not through the hierarchy, and
so does this check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.schema import ANY, ANY_ENTITY, ANY_EVENT, ANY_VALUE, AttributeDef, Schema
from annotator.formats.brat.names import brat_safe_name


@dataclass
class _Use:
    types: set[str] = field(default_factory=set)  # brat type names of the targets
    values: set[str] = field(default_factory=set)
    binary: bool = False


class AttributeUses:
    """(attribute, target type, value) of every ``A`` line written."""

    def __init__(self) -> None:
        self.uses: dict[str, _Use] = {}

    def add(self, ann_text: str) -> None:
        types: dict[str, str] = {}
        attrs: list[list[str]] = []
        for line in ann_text.split("\n"):
            parts = line.split("\t", 2)
            if len(parts) < 2:
                continue
            if line[0] == "T":
                types[parts[0]] = parts[1].split(" ", 1)[0]
            elif line[0] == "E":
                types[parts[0]] = parts[1].split(":", 1)[0]
            elif line[0] == "A":
                attrs.append(parts[1].split())
        for items in attrs:
            use = self.uses.setdefault(items[0], _Use())
            if items[1] in types:
                use.types.add(types[items[1]])
            if len(items) > 2:
                use.values.add(items[2])
            else:
                use.binary = True

    def declare(self, schema: Schema, brat_names: dict[str, str]) -> tuple[list[str], list[str]]:
        """Add to ``schema`` what the written attributes need (``brat_names``: schema type
        name -> brat name). Returns (attributes added, attributes extended, as descriptions)."""
        ours = {b: name for name, b in brat_names.items()}
        added: list[str] = []
        extended: list[str] = []
        for bname, use in sorted(self.uses.items()):
            targets = sorted(ours.get(t, t) for t in use.types)
            defs = [a for a in schema.attributes if brat_safe_name(a.name) == bname]
            if not defs:
                values = sorted(use.values | _subtypes(schema, targets)) if bname == "subtype" \
                    else sorted(use.values)
                schema.attributes.append(AttributeDef(name=bname, targets=targets,
                                                      values=values))
                added.append(bname)
                continue
            a = defs[0]
            missing = [t for t in targets if not _covered(schema, a.targets, t)]
            new_values = sorted(use.values - set(a.values)) if a.values else []
            if missing or new_values:
                a.targets += missing
                a.values += new_values
                extended.append(f"{a.name} (" + ", ".join(
                    [*(f"on {t}" for t in missing), *(f"value {v}" for v in new_values)]) + ")")
        return added, extended


def _covered(schema: Schema, targets: list[str], type_name: str) -> bool:
    """Whether brat reads ``Arg:`` (``targets``, as conf_write writes them) as allowing
    ``type_name`` (value types are written as entities)."""
    if not targets or type_name in targets or ANY in targets:
        return True
    if schema.event_type(type_name) is not None:
        return ANY_EVENT in targets
    if schema.value_type(type_name) is not None:
        return ANY_ENTITY in targets or ANY_VALUE in targets
    return ANY_ENTITY in targets


def _subtypes(schema: Schema, types: list[str]) -> set[str]:
    out: set[str] = set()
    for name in types:
        t = schema.entity_type(name) or schema.value_type(name)
        if t is not None:
            out.update(t.subtypes)
    return out
