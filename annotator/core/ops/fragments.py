"""Discontinuous spans and knowledge-base references: the rules for a span's fragments
(sorted, disjoint, non-empty, their hull the span's ``start``/``end``) and the Project API that
creates a fragmented span, adds a fragment to a span, and sets a span's references.

Why its own module: fragments and references are checked the same way by edits and imports
(``check_fragments``, ``check_refs``), and the edits are undoable like every other one (they
rewrite the span row through ``SpanOps.update_span``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from annotator.core.model import Reference, Span
from annotator.errors import ValidationError

if TYPE_CHECKING:
    from annotator.core.ops.spans import SpanOps


def merge_fragments(pairs: Iterable[Sequence[int]]) -> list[tuple[int, int]]:
    """``pairs`` sorted with overlapping or touching ones joined: the canonical fragments of
    a span ([] when they join into one contiguous span)."""
    out: list[tuple[int, int]] = []
    for pair in sorted((int(a), int(b)) for a, b in pairs):
        if out and pair[0] <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], pair[1]))
        else:
            out.append(pair)
    return out if len(out) > 1 else []


def check_fragments(span: Span, length: int) -> None:
    """A fragmented span's fragments: two or more, each inside the document and non-empty,
    sorted, disjoint and not touching, first start = ``span.start``, last end = ``span.end``."""
    frags = span.fragments
    if not frags:
        return
    if not isinstance(frags, list) or len(frags) < 2:
        raise ValidationError(f"span fragments must be a list of two or more (start, end) "
                              f"pairs (none for a contiguous span), got {frags!r}")
    last = -1
    for pair in frags:
        if (not isinstance(pair, tuple | list) or len(pair) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) for x in pair)):
            raise ValidationError(f"a span fragment must be a pair of integers, got {pair!r}")
        a, b = pair
        if not 0 <= a < b <= length:
            raise ValidationError(f"span fragment [{a}:{b}] is outside the document "
                                  f"(length {length}) or empty")
        if a <= last:
            raise ValidationError(f"span fragments must be sorted, disjoint and not touching "
                                  f"(join touching ones), got {frags!r}")
        last = b
    if (frags[0][0], frags[-1][1]) != (span.start, span.end):
        raise ValidationError(f"span [{span.start}:{span.end}] must be the hull of its "
                              f"fragments {frags!r}")


def as_pairs(value: Any) -> list[tuple[int, int]]:
    """Fragments given as lists or tuples, as a list of (start, end) tuples."""
    if not isinstance(value, list | tuple):
        raise ValidationError(f"span fragments must be a list of (start, end) pairs, got "
                              f"{value!r}")
    out: list[tuple[int, int]] = []
    for pair in value:
        if (not isinstance(pair, tuple | list) or len(pair) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) for x in pair)):
            raise ValidationError(f"a span fragment must be a pair of integers, got {pair!r}")
        out.append((pair[0], pair[1]))
    return out


def check_refs(refs: Any, what: str = "span") -> None:
    """References: a list of ``Reference`` with a non-empty id and text fields."""
    if not isinstance(refs, list):
        raise ValidationError(f"{what} references must be a list, got {refs!r}")
    for r in refs:
        if not isinstance(r, Reference):
            raise ValidationError(f"a {what} reference must be a Reference(db, id, name), "
                                  f"got {r!r}")
        if not all(isinstance(x, str) for x in (r.db, r.id, r.name)) or not r.id.strip():
            raise ValidationError(f"a {what} reference needs an id and text fields, got {r!r}")


def as_refs(items: Iterable[Reference | Sequence[str]]) -> list[Reference]:
    """References from ``Reference`` objects or (db, id[, name]) tuples."""
    out: list[Reference] = []
    for item in items:
        if isinstance(item, Reference):
            out.append(item)
        elif isinstance(item, tuple | list) and len(item) in (2, 3):
            out.append(Reference(*item))
        else:
            raise ValidationError(f"a reference is (database, id[, name]), got {item!r}")
    return out


def refit(frags: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The fragments of a span resized to ``[start, end)``: the parts inside it, the first
    and last stretched to the new ends (none left: contiguous)."""
    inside = [(max(a, start), min(b, end)) for a, b in frags if b > start and a < end]
    if not inside:
        return []
    inside[0] = (start, inside[0][1])
    inside[-1] = (inside[-1][0], end)
    return merge_fragments(inside)


class FragmentOps:
    """Project API (a mixin of ``Project``): fragmented spans and span references."""

    if TYPE_CHECKING:
        _spans: SpanOps

        def span(self, span_id: str) -> Span: ...

    def add_fragmented_span(self, doc_id: str, fragments: Iterable[Sequence[int]], label: str,
                            *, kind: str | None = None, attrs: dict[str, Any] | None = None,
                            note: str = "", kb_id: str = "",
                            refs: Iterable[Reference | Sequence[str]] = (),
                            status: str = "gold", origin: str = "manual",
                            id: str | None = None) -> Span:
        """A span of several fragments (brat ``T1 Location 0 5;16 23``), one undo step;
        touching or overlapping fragments are joined (one left: a contiguous span)."""
        pairs = [(int(a), int(b)) for a, b in fragments]
        if not pairs:
            raise ValidationError("a span needs at least one fragment")
        frags = merge_fragments(pairs)
        start, end = min(a for a, _ in pairs), max(b for _, b in pairs)
        return self._spans.add_span(doc_id, start, end, label, kind=kind, attrs=attrs,
                                    note=note, kb_id=kb_id, status=status, origin=origin,
                                    id=id, fragments=frags, refs=as_refs(refs))

    def add_fragment(self, span_id: str, start: int, end: int) -> Span:
        """Add the fragment ``[start, end)`` to a span (joined with fragments it touches; the
        span's start/end grow to the new hull), one undo step."""
        s = self.span(span_id)
        frags = merge_fragments([*s.parts, (start, end)])
        return self._spans.update_span(span_id, {
            "fragments": frags, "start": min(s.start, start), "end": max(s.end, end)})

    def set_fragments(self, span_id: str, fragments: Iterable[Sequence[int]]) -> Span:
        """Make a span exactly these fragments (its start/end become their hull)."""
        pairs = [(int(a), int(b)) for a, b in fragments]
        if not pairs:
            raise ValidationError("a span needs at least one fragment")
        return self._spans.update_span(span_id, {
            "fragments": merge_fragments(pairs), "start": min(a for a, _ in pairs),
            "end": max(b for _, b in pairs)})

    def set_span_refs(self, span_id: str, refs: Iterable[Reference | Sequence[str]]) -> Span:
        """Replace a span's knowledge-base references (``(db, id, name)``), one undo step."""
        return self._spans.update_span(span_id, {"refs": as_refs(refs)})


def refs_text(refs: Iterable[Reference]) -> str:
    """References as one line for a text field: ``Wikidata:Q42 Douglas Adams; GeoNames:123``
    (each ``DB:ID`` then its name, if any; ``;`` between them)."""
    return "; ".join(f"{r.key} {r.name}".rstrip() if r.name else r.key for r in refs)


def parse_refs(text: str) -> list[Reference]:
    """The inverse of ``refs_text``: ``;``-separated ``DB:ID [name]`` items (an item without
    ``:`` is an id without a database); blank items are skipped."""
    return refs_of_items(text.split(";"))


def refs_of_items(items: Iterable[str]) -> list[Reference]:
    """``DB:ID [name]`` items as references (blank items skipped); the one reading rule of
    ``parse_refs`` and of the inspector's escaped field."""
    out: list[Reference] = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        key, _, name = item.partition(" ")
        out.append(Reference.from_key(key, name.strip()))
    return out
