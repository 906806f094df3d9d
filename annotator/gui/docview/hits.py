"""What is where in the document view: the spans and arc labels under a point, tooltips, and
the laid-out rectangles of a span, its lane and the arc labels (what tests check paints
against).

Span pieces come from the geometry cache; arc labels from the paints (their rects are known
once an arc has been drawn).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtWidgets import QTextEdit

from annotator.core.suggestions import status_note
from annotator.gui.docview.geometry import Frag, GeometryCache
from annotator.gui.docview.image_cache import ArcHit
from annotator.gui.docview.index import DocIndex
from annotator.gui.docview.paint_arcs import ArcPainter
from annotator.gui.docview.state import ViewState


class HitTester:
    """Hit tests and rectangles in viewport coordinates."""

    def __init__(self, state: ViewState, geometry: GeometryCache, arcs: ArcPainter,
                 area: QTextEdit) -> None:
        self._state = state
        self._geometry = geometry
        self._arcs = arcs
        self._area = area

    def spans_hit(self, pos: QPointF) -> list[tuple[str, str]]:
        """(span id, "text" | "lane") under a viewport point, innermost/shortest first; a
        span whose lane or label is under the point comes before spans whose text is."""
        idx = self._state.index
        if idx is None:
            return []
        geometry = self._geometry
        doc_pt = pos - geometry.offset()
        found: dict[str, str] = {}
        for block in geometry.visible_blocks():
            r = geometry.block_extent(block)
            if not (r.top() - 2 <= doc_pt.y() <= r.bottom() + 2):
                continue
            g = geometry.geometry(block)
            if g is None:
                continue
            p = doc_pt - block.layout().position()
            for f in g.frags:
                if f.text.contains(p):
                    found.setdefault(f.span_id, "text")
                elif f.lane.contains(p) or (f.label is not None and f.label.contains(p)):
                    found[f.span_id] = "lane"
        spans = idx.spans
        items = sorted(found.items(), key=lambda kv: (
            spans[kv[0]].end - spans[kv[0]].start, -spans[kv[0]].start, kv[0]))
        # a click right on a lane picks that lane's span first
        lane_hits = [kv for kv in items if kv[1] == "lane"]
        if lane_hits:
            items = lane_hits + [kv for kv in items if kv[1] != "lane"]
        return items

    def arc_at(self, pos: QPointF) -> tuple[str, str] | None:
        """(kind, id) of the arc whose label is under a viewport point (topmost first)."""
        for rect, kind, ann_id in reversed(self.arc_label_rects()):
            if rect.contains(pos):
                return kind, ann_id
        return None

    def tooltip_at(self, pos: QPoint) -> str:
        """What is under the mouse: span labels (with status) or an arc's label."""
        idx = self._state.index
        if idx is None:
            return ""
        arc = self.arc_at(QPointF(pos))
        if arc is not None:
            return _arc_tip(idx, *arc)
        lines = []
        for sid, _ in self.spans_hit(QPointF(pos))[:6]:
            s = idx.spans[sid]
            extra = "" if s.status == "gold" else f" ({status_note(s)})"
            kind = " trigger" if s.kind == "trigger" else ""
            lines.append(f"{s.label}{kind}{extra}: {idx.text[s.start:s.end][:60]!r}")
        return "\n".join(lines)

    def span_rects(self, span_id: str) -> list[QRectF]:
        """Viewport rects of a span's text highlight (what the painter fills)."""
        return self._fragment_rects(span_id, lambda f: f.text)

    def lane_rects(self, span_id: str) -> list[QRectF]:
        """Viewport rects of a span's lane (or label tag), as painted."""
        return self._fragment_rects(span_id, lambda f: f.label or f.lane)

    def lane_labels(self, span_id: str) -> list[tuple[str, QRectF]]:
        """The label text drawn on each of a span's tags, with the tag's viewport rect."""
        frags = self._fragments(span_id)  # in the order _fragment_rects gives their rects
        rects = self._fragment_rects(span_id, lambda f: f.label or f.lane)
        return [(f.label_text, r) for f, r in zip(frags, rects, strict=True)
                if f.label is not None]

    def _fragments(self, span_id: str) -> list[Frag]:
        idx = self._state.index
        if idx is None or span_id not in idx.spans:
            return []
        doc = self._area.document()
        out: list[Frag] = []
        for b in idx.blocks_of_span(idx.spans[span_id]):
            g = self._geometry.geometry(doc.findBlockByNumber(b))
            if g is not None:
                out += g.by_span.get(span_id, [])
        return out

    def _fragment_rects(self, span_id: str, pick: Callable[[Frag], QRectF]) -> list[QRectF]:
        idx = self._state.index
        if idx is None or span_id not in idx.spans:
            return []
        out = []
        doc = self._area.document()
        off = self._geometry.offset()
        for b in idx.blocks_of_span(idx.spans[span_id]):
            block = doc.findBlockByNumber(b)
            g = self._geometry.geometry(block)
            if g is None:
                continue
            lp = block.layout().position()
            out += [pick(f).translated(lp + off) for f in g.by_span.get(span_id, [])]
        return out

    def arc_label_rects(self) -> list[ArcHit]:
        """Where the paints put the labels of the arcs now on screen (viewport rects)."""
        off = self._geometry.offset()
        out = []
        for block in self._geometry.visible_blocks():
            hits = self._arcs.hits_of(block.blockNumber())
            if hits:
                lp = block.layout().position() + off
                out += [(rect.translated(lp), kind, ann_id) for rect, kind, ann_id in hits]
        return out


def _arc_tip(idx: DocIndex, kind: str, ann_id: str) -> str:
    """A relation's type with both ends' text, or an event's type with its roles."""
    if kind == "relation" and ann_id in idx.relations:
        r = idx.relations[ann_id]
        h, t = idx.spans.get(r.head_id), idx.spans.get(r.tail_id)
        if h and t:
            return (f"{r.type}: {idx.text[h.start:h.end]!r} \u2192 "
                    f"{idx.text[t.start:t.end]!r}")
    if kind == "event" and ann_id in idx.events:
        ev = idx.events[ann_id]
        roles = ", ".join(a.role for a in ev.arguments)
        return f"{ev.type} event ({roles})" if roles else f"{ev.type} event"
    return ""
