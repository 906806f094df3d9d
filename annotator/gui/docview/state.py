"""What the document view shows and has selected, shared by all of its parts.

One object, so that the geometry cache, the painters, the hit tests and the input handlers read
the same document index, selection, fonts and display flags. Showing another document or
changing the font replaces a field, never the object, so no part keeps a stale copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.model import Span
from annotator.gui.docview.colors import ColorCache
from annotator.gui.docview.index import DocIndex
from annotator.gui.docview.metrics import Metrics


@dataclass(slots=True, eq=False)
class ViewState:
    """The shown document's index, the selected annotation and the display settings."""

    metrics: Metrics
    colors: ColorCache = field(default_factory=ColorCache)
    index: DocIndex | None = None  # None: no document shown
    selected: tuple[str, str] | None = None  # (kind, id) of the selected annotation
    shown_arcs: set[str] = field(default_factory=set)  # arc keys drawn for the selection
    show_all: bool = False  # every arc drawn (else only the selection's)
    snap: bool = True  # mouse selections snap to whole tokens
    extra_lanes: dict[int, int] = field(default_factory=dict)  # an overlay's, per block

    def exists(self, kind: str, ann_id: str) -> bool:
        """Is annotation (kind, ann_id) in the shown document?"""
        idx = self.index
        if idx is None:
            return False
        if kind == "span":
            return ann_id in idx.spans
        if kind == "event":
            return ann_id in idx.events
        if kind == "relation":
            return ann_id in idx.relations
        return False

    def anchor_span(self, kind: str, ann_id: str) -> Span | None:
        """The span an annotation is drawn from: itself, an event's trigger, a relation's head."""
        idx = self.index
        assert idx is not None
        if kind == "span":
            return idx.spans.get(ann_id)
        if kind == "event":
            ev = idx.events.get(ann_id)
            return idx.spans.get(ev.trigger_id) if ev else None
        if kind == "relation":
            r = idx.relations.get(ann_id)
            return idx.spans.get(r.head_id) if r else None
        return None

    def update_shown_arcs(self) -> None:
        """The selection's arcs, after the selection or the annotations changed."""
        if self.index is None or self.selected is None:
            self.shown_arcs = set()
        else:
            self.shown_arcs = self.index.arcs_touching(*self.selected)

    def selected_span(self) -> str | None:
        """The selected span's id (None when nothing or another kind is selected)."""
        sel = self.selected
        return sel[1] if sel and sel[0] == "span" else None

    def related_spans(self) -> set[str]:
        """Spans outlined with a selected event or relation (its trigger; head and tail), or
        with a selected span (the other mentions of its coreference chain)."""
        idx = self.index
        sel = self.selected
        related: set[str] = set()
        if idx is not None and sel and sel[0] == "span":
            return idx.chain_mates.get(sel[1], related) - {sel[1]}
        if idx is None or not sel:
            return related
        s = self.anchor_span(*sel)
        if s is not None:
            related.add(s.id)
        if sel[0] == "relation":
            r = idx.relations.get(sel[1])
            if r:
                related |= {r.head_id, r.tail_id}
        return related

    def selection_blocks(self) -> set[int]:
        """The blocks the selection draws in: the outlines of its span and related spans,
        and its arcs (repainted, and only they, when the selection changes)."""
        idx, sel = self.index, self.selected
        if idx is None or sel is None:
            return set()
        ids = self.related_spans()
        anchor = self.anchor_span(*sel)
        if anchor is not None:
            ids.add(anchor.id)
        blocks: set[int] = set()
        for sid in ids:
            s = idx.spans.get(sid)
            if s is not None:
                blocks.update(idx.blocks_of_span(s))
        if self.shown_arcs:
            blocks.update(b for b, keys in idx.block_arcs.items() if keys & self.shown_arcs)
        return blocks
