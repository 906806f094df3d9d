"""The references of a span or chain as one line of a text field, with escapes.

The inspector shows a span's references as ``Wikidata:Q42 Douglas Adams; GeoNames:2988507``:
``;`` separates them. A name holding ``;`` (``Tom; Jerry``, a film title) could not be
typed: the field split it into two references (#11). In the field a ``;`` that belongs to a
name or id is written ``\\;`` and a backslash ``\\\\``; a reference without either reads as
before. The core keeps the references as a list (``Span.refs``): only the field escapes.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.model import Reference
from annotator.core.ops.fragments import refs_of_items

SEPARATOR = "; "


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;")


def refs_field_text(refs: Iterable[Reference]) -> str:
    """``DB:ID name`` items joined by ``; ``, a ``;`` or ``\\`` inside one escaped."""
    return SEPARATOR.join(_escape(f"{r.key} {r.name}".rstrip() if r.name else r.key)
                          for r in refs)


def _items(text: str) -> list[str]:
    """``text`` split at each ``;`` not escaped, the escapes undone in each item."""
    items, cur, i = [], [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in "\\;":
            cur.append(text[i + 1])
            i += 2
            continue
        if c == ";":
            items.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    items.append("".join(cur))
    return items


def parse_refs_field(text: str) -> list[Reference]:
    """The inverse of ``refs_field_text``: ``DB:ID [name]`` items (an item without ``:`` is an
    id without a database); blank items are skipped; a lone backslash is kept as typed."""
    return refs_of_items(_items(text))
