"""Label maps from a source's labels to the project schema: the shipped default from the
OntoNotes 5 labels that released English spaCy pipelines predict to the ACE 2005 schema,
``--map A=B`` items and mapping files (``A=B`` lines, or JSON / TOML tables).

A label the map does not name passes through when the schema has it (a pipeline trained on
this project predicts its own labels) and is otherwise dropped and counted, so ``suggest``
can say which labels it left out.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from annotator.errors import ValidationError

# OntoNotes 5 (spaCy's en_core_web_* NER labels) -> ACE 2005. NORP ("Iraqi", "Americans")
# is a GPE mention in ACE; DATE and TIME are both TIME (TIMEX2). The rest has no ACE type.
ONTONOTES_TO_ACE2005: dict[str, str | None] = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "FAC", "NORP": "GPE",
    "DATE": "TIME", "TIME": "TIME", "MONEY": "MONEY", "PERCENT": "PERCENT",
    "PRODUCT": None, "EVENT": None, "WORK_OF_ART": None, "LAW": None, "LANGUAGE": None,
    "QUANTITY": None, "ORDINAL": None, "CARDINAL": None,
}


@dataclass
class LabelMapping:
    """``apply(label)`` -> the schema label, or None (dropped, counted in ``dropped``)."""

    table: dict[str, str | None] = field(default_factory=dict)
    known: frozenset[str] = frozenset()  # the schema's labels (empty: everything passes)
    dropped: Counter[str] = field(default_factory=Counter)

    def apply(self, label: str) -> str | None:
        if label in self.table:
            target = self.table[label]
        else:
            target = label if (not self.known or label in self.known) else None
        if target is None or (self.known and target not in self.known):
            self.dropped[label] += 1
            return None
        return target


def parse_items(items: list[str]) -> dict[str, str | None]:
    """``["PERSON=PER", "EVENT="]`` -> {"PERSON": "PER", "EVENT": None} (empty: drop)."""
    out: dict[str, str | None] = {}
    for item in items:
        source, sep, target = item.partition("=")
        if not sep or not source.strip():
            raise ValidationError(f"--map {item!r}: expected SOURCE=TARGET (TARGET empty to "
                                  "drop the label)")
        out[source.strip()] = target.strip() or None
    return out


def read_mapping_file(path: Path) -> dict[str, str | None]:
    """A mapping file: ``.json`` or ``.toml`` (an object of label -> label or ""), else one
    ``SOURCE=TARGET`` per line (``#`` comments)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"{path}: cannot read the mapping file ({exc.strerror})") from None
    if path.suffix in (".json", ".toml"):
        try:
            data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        except (ValueError, tomllib.TOMLDecodeError) as exc:
            raise ValidationError(f"{path}: not a valid {path.suffix[1:]} mapping: {exc}") \
                from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ValidationError(f"{path}: a mapping file holds label = \"LABEL\" pairs")
        return {str(k): (v or None) for k, v in data.items()}
    lines = [(n, line.split("#", 1)[0].strip()) for n, line in enumerate(text.splitlines(), 1)]
    out: dict[str, str | None] = {}
    for n, line in lines:
        if line:
            try:
                out.update(parse_items([line]))
            except ValidationError as exc:
                raise ValidationError(f"{path}:{n}: {exc}") from None
    return out


def build_mapping(known: set[str] | frozenset[str], items: list[str] | None = None,
                  files: list[Path] | None = None, *, default: bool = True) -> LabelMapping:
    """The default table (when the schema has the ACE labels it maps to), then the files,
    then the ``A=B`` items, later ones winning."""
    table: dict[str, str | None] = {}
    if default and {"PER", "ORG", "GPE"} <= set(known):
        table.update(ONTONOTES_TO_ACE2005)
    for path in files or []:
        table.update(read_mapping_file(Path(path)))
    table.update(parse_items(items or []))
    return LabelMapping(table, frozenset(known))
