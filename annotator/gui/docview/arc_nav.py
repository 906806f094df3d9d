"""Selecting arcs from the keyboard: the relations and event arcs of a span, the relations of
the document in text order, and the span to go back to.

Tab visits spans only, so without this an older relation could be selected with the mouse
only. ``ArcNavigator`` picks the next or previous arc (wrapping round) from what the document
view shows (``DocIndex``) and remembers the span it was reached from, so that Esc (and a
deletion) goes back there. No Qt here: the view selects what this picks.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from annotator.gui.docview.index import DocIndex
from annotator.gui.docview.state import ViewState

_FAR = (1 << 30, 1 << 30)  # an end not shown sorts last


@dataclass(frozen=True, slots=True)
class ArcStep:
    """An arc selected by a key: what (``kind`` "relation" or "event", ``ann_id``), the span
    it was reached from, and its place (1-based ``number`` of ``count``) in the cycle."""

    kind: str
    ann_id: str
    origin: str
    number: int
    count: int
    whole_document: bool


def span_arcs(idx: DocIndex, span_id: str) -> list[tuple[str, str]]:
    """(kind, id) of the relations and events whose arcs end on ``span_id``, ordered by the
    position of the arc's other end (an event with several arcs there: its nearest)."""
    best: dict[tuple[str, str], tuple[tuple[int, int], str]] = {}
    for key in idx.arcs_of_span.get(span_id, ()):
        a = idx.arcs[key]
        other = idx.spans.get(a.tail if a.head == span_id else a.head)
        place = ((other.start, other.end) if other is not None else _FAR, key)
        item = (a.kind, a.ann_id)
        if item not in best or place < best[item]:
            best[item] = place
    return [item for item, _ in sorted(best.items(), key=lambda kv: (kv[1], kv[0]))]


def relation_place(idx: DocIndex, relation_id: str) -> tuple[int, int, str]:
    """Where a relation is in the text: (start of its earlier end, start of its later end,
    id); the order of ``document_relations``."""
    r = idx.relations[relation_id]
    starts = sorted(s.start for s in (idx.spans.get(r.head_id), idx.spans.get(r.tail_id))
                    if s is not None) or [_FAR[0]]
    return starts[0], starts[-1], relation_id


def document_relations(idx: DocIndex) -> list[tuple[int, int, str]]:
    """``relation_place`` of every shown relation, in text order."""
    return sorted(relation_place(idx, rid) for rid in idx.relations)


class ArcNavigator:
    """Picks the next arc for the arc keys and remembers where it came from."""

    def __init__(self, state: ViewState) -> None:
        self._state = state
        self._came: tuple[str, tuple[str, str]] | None = None  # (span, arc selected)

    def origin(self) -> str | None:
        """The span the selected arc was reached from by a key (None: the selection is not
        such an arc, or that span is gone)."""
        came, idx = self._came, self._state.index
        if came is None or idx is None or self._state.selected != came[1]:
            return None
        return came[0] if came[0] in idx.spans else None

    def arrived(self, step: ArcStep) -> None:
        """``step`` is selected now."""
        self._came = (step.origin, (step.kind, step.ann_id))

    def _home_span(self) -> str | None:
        """The span whose arcs the span keys cycle: the selected span, else the span the
        selected arc was reached from, else the selected relation's head (event: trigger)."""
        state = self._state
        sel = state.selected
        if sel is None:
            return None
        if sel[0] == "span":
            return sel[1]
        origin = self.origin()
        if origin is not None:
            return origin
        anchor = state.anchor_span(*sel)
        return anchor.id if anchor is not None else None

    def of_span(self, direction: int) -> ArcStep | None:
        """The next (``direction`` > 0) or previous arc of the span (see ``_home_span``);
        None when it has none or no span is selected."""
        idx, sel = self._state.index, self._state.selected
        home = self._home_span()
        if idx is None or home is None:
            return None
        items = span_arcs(idx, home)
        if not items:
            return None
        if sel in items:
            i = (items.index(sel) + (1 if direction > 0 else -1)) % len(items)
        else:
            i = 0 if direction > 0 else len(items) - 1
        kind, ann_id = items[i]
        return ArcStep(kind, ann_id, home, i + 1, len(items), False)

    def in_document(self, direction: int, caret: int) -> ArcStep | None:
        """The next or previous relation of the document in text order from the selected
        relation (else from the selected annotation's span, else from ``caret``)."""
        state = self._state
        idx, sel = state.index, state.selected
        if idx is None or not idx.relations:
            return None
        order = document_relations(idx)
        if sel is not None and sel[0] == "relation" and sel[1] in idx.relations:
            i = order.index(relation_place(idx, sel[1])) + (1 if direction > 0 else -1)
        else:
            anchor = state.anchor_span(*sel) if sel is not None else None
            at = anchor.start if anchor is not None else caret
            i = bisect_left(order, (at, -1, ""))  # the first one starting at or after
            if direction <= 0:
                i -= 1
        i %= len(order)
        rel_id = order[i][2]
        head = idx.relations[rel_id].head_id
        return ArcStep("relation", rel_id, head, i + 1, len(order), True)
