"""Where things are in the document view: block rectangles, the visible blocks, and per block
the rectangles of every span piece, its lane and its label (cached until the block changes).
A label that has no room before the next piece in its lane is abbreviated to its last dotted
part ("Conflict.Attack" -> "Attack"; the tooltip names it in full) rather than clipped.

Rectangles of a block are kept in the block layout's coordinates, so scrolling moves nothing
here; a re-wrap (new viewport width) or sideways scroll clears the cache. Qt positions are
converted to code points through the index's ``QtTextMap`` only.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF
from PySide6.QtGui import QImage, QTextBlock, QTextLine
from PySide6.QtWidgets import QTextEdit

from annotator.core.model import Span
from annotator.gui.docview.arc_plans import ArcPlans, piece_x
from annotator.gui.docview.image_cache import BlockImages
from annotator.gui.docview.index import MAX_LEVEL, DocIndex
from annotator.gui.docview.labels import fitting_label, label_text, short_label
from annotator.gui.docview.state import ViewState

# re-exported: callers import the label texts from here
__all__ = ["BlockGeom", "Frag", "GeometryCache", "fitting_label", "label_text", "piece_x",
           "short_label"]


@dataclass(slots=True)
class Frag:
    """One piece of a span on one visual line (rects relative to the block layout)."""

    span_id: str
    line: int
    lane_no: int
    text: QRectF
    lane: QRectF
    label: QRectF | None = None
    label_text: str = ""


@dataclass(slots=True)
class BlockGeom:
    """A block's lines and span pieces, with its cached images (see image_cache)."""

    frags: list[Frag] = field(default_factory=list)
    by_span: dict[str, list[Frag]] = field(default_factory=dict)
    line_tops: list[float] = field(default_factory=list)
    line_heights: list[float] = field(default_factory=list)
    block: int = 0  # block number
    left: float = 0.0  # x of the block layout's position (document coordinates)
    under: QImage | None = None  # cached fills, drawn under the text
    under_at: QPointF = field(default_factory=QPointF)  # its top-left, block layout coordinates
    over: QImage | None = None  # cached boxes, lanes and labels
    over_at: QPointF = field(default_factory=QPointF)


class GeometryCache:
    """Block geometry of the text area, cached per block number; owns the block images."""

    def __init__(self, area: QTextEdit, state: ViewState) -> None:
        self._area = area
        self._state = state
        self.blocks: dict[int, BlockGeom] = {}
        self.images = BlockImages(self.blocks)
        self.plans = ArcPlans(area, state)  # where each block's arcs and labels go
        self._width: tuple[int, int] = (-1, 0)

    # ---- forgetting ----------------------------------------------------------------------
    def clear(self) -> None:
        """Forget every block's geometry and images (re-wrap, font, palette, schema ...)."""
        self.blocks.clear()
        self.images.clear()

    def drop(self, b: int) -> None:
        """Forget block ``b``'s geometry, fills and lanes (its spans or lines changed)."""
        if self.blocks.pop(b, None) is not None:
            self.images.recount(b)

    def drop_arcs(self, b: int) -> None:
        """Forget block ``b``'s arc layer (its arcs or lines changed)."""
        self.images.drop_arcs(b)

    # ---- blocks on screen ----------------------------------------------------------------
    def offset(self) -> QPointF:
        """Document -> viewport translation (minus the scroll bars' values)."""
        return QPointF(-self._area.horizontalScrollBar().value(),
                       -self._area.verticalScrollBar().value())

    def block_rect(self, b: int) -> QRectF | None:
        """Viewport rect of block ``b`` including the room under its lines (lanes, gap)."""
        block = self._area.document().findBlockByNumber(b)
        if not block.isValid():
            return None
        return self.block_extent(block).translated(self.offset())

    def block_extent(self, block: QTextBlock) -> QRectF:
        """Document rect from the block's first line to the next block's first line."""
        layout = self._area.document().documentLayout()
        r = layout.blockBoundingRect(block)
        nxt = block.next()
        bottom = layout.blockBoundingRect(nxt).top() if nxt.isValid() else \
            layout.documentSize().height()
        return QRectF(r.left(), r.top(), r.width(), max(r.height(), bottom - r.top()))

    def visible_blocks(self, rect: QRect | None = None) -> list[QTextBlock]:
        """Blocks that draw inside ``rect`` (viewport coordinates; default: all of it).

        A block draws from its arcs (above its first line) down to the next block's top."""
        vp = self._area.viewport()
        top, bottom = (0, vp.height()) if rect is None else (rect.top(), rect.bottom() + 1)
        reach = self.arc_reach()
        off = self.offset()
        doc = self._area.document()
        layout = doc.documentLayout()
        y = max(0, top) - off.y()
        lo = self.block_at_y(y)
        b = doc.findBlockByNumber(max(0, lo - 1))
        out = []
        while b.isValid():
            r = layout.blockBoundingRect(b).translated(off)
            if r.top() - reach > bottom + 2:
                break
            out.append(b)
            b = b.next()
        return out

    def arc_reach(self) -> float:
        """How far above its first line a block may draw (its arcs and their labels)."""
        m = self._state.metrics
        return m.arcs_px(max(MAX_LEVEL, self.plans.max_rows())) + m.step

    def block_at_y(self, y: float) -> int:
        """Number of the block at document height ``y``.

        The hit test is a cheap hint, checked against block geometry (it misses blocks the
        lazy document layout has not reached yet); if wrong, binary search by geometry
        (blockBoundingRect lays blocks out as needed)."""
        doc = self._area.document()
        layout = doc.documentLayout()
        hint = self._area.cursorForPosition(QPoint(0, int(y + self.offset().y()))).block()
        if hint.isValid() and layout.blockBoundingRect(hint).top() <= y:
            nxt = hint.next()
            if not nxt.isValid() or layout.blockBoundingRect(nxt).top() > y:
                return hint.blockNumber()
        lo, hi = 0, doc.blockCount() - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if layout.blockBoundingRect(doc.findBlockByNumber(mid)).top() <= y:
                lo = mid
            else:
                hi = mid - 1
        return lo

    # ---- span pieces ---------------------------------------------------------------------
    def geometry(self, block: QTextBlock) -> BlockGeom | None:
        """Block ``block``'s lines and span pieces (None while it has no laid-out line)."""
        # re-wrapped (resize, a scroll bar came or went), or scrolled sideways (half arcs run
        # to the viewport's right edge)
        width = (self._area.viewport().width(), self._area.horizontalScrollBar().value())
        if width != self._width:
            self.clear()
            self._width = width
        b = block.blockNumber()
        g = self.blocks.get(b)
        if g is not None:
            return g
        idx = self._state.index
        assert idx is not None
        layout = block.layout()
        if layout is None or layout.lineCount() == 0:
            return None
        g = BlockGeom(block=b, left=layout.position().x())
        lines = [layout.lineAt(i) for i in range(layout.lineCount())]
        g.line_tops = [line.y() for line in lines]
        g.line_heights = [line.height() for line in lines]
        ids = idx.block_spans.get(b)
        if ids:
            self._add_frags(g, idx, block, ids, lines)
            self._place_labels(g, lines[0].width())
        self.blocks[b] = g
        return g

    def _add_frags(self, g: BlockGeom, idx: DocIndex, block: QTextBlock, ids: set[str],
                   lines: list[QTextLine]) -> None:
        """One Frag per span ``ids`` per line of the block it reaches; a discontinuous span
        gets them per fragment (its gaps are not drawn)."""
        starts = [line.textStart() for line in lines]
        ends = [ls + line.textLength() for ls, line in zip(starts, lines, strict=True)]
        m = idx.map
        bpos = block.position()
        bs, be = m.block_range(g.block)
        lanes = idx.lanes.get(g.block, {})
        for sid in ids:
            s = idx.spans[sid]
            first = s.start >= bs
            for ps, pe in s.parts:
                if pe <= bs or ps >= be:
                    continue
                qs = m.to_qt(max(ps, bs)) - bpos
                qe = m.to_qt(min(pe, be)) - bpos
                first = self._line_frags(g, s, lanes.get(sid, 0), (qs, qe), first,
                                         (starts, ends), lines)

    def _line_frags(self, g: BlockGeom, s: Span, lane: int, q: tuple[int, int], first: bool,
                    bounds: tuple[list[int], list[int]], lines: list[QTextLine]) -> bool:
        """The Frags of the Qt range ``q`` of span ``s``, one per line it reaches; returns
        ``first`` after them (False once the labelled first piece is made)."""
        qs, qe = q
        starts, ends = bounds
        lane_h = self._state.metrics.lane_h
        # only the lines the span reaches (lines are in text order)
        for li in range(max(0, bisect_right(starts, qs) - 1), len(lines)):
            ls, le = starts[li], ends[li]
            if ls >= qe:
                break
            a, z = max(qs, ls), min(qe, le)
            if a >= z:
                continue
            x1, x2 = piece_x(lines[li], a, z)
            y, h = g.line_tops[li], g.line_heights[li]
            text = QRectF(x1, y, x2 - x1, h)
            ly = y + h + 1 + lane * lane_h
            fr = Frag(s.id, li, lane, text, QRectF(x1, ly, x2 - x1, lane_h - 1))
            # the label on the span's first piece; "…" marks a continued span
            fr.label_text = label_text(s) if first else "\u2026" + s.label
            first = False
            g.frags.append(fr)
            g.by_span.setdefault(s.id, []).append(fr)
        return first

    def _place_labels(self, g: BlockGeom, width: float) -> None:
        """Each labelled piece's tag: as wide as its label, up to the next piece in its lane."""
        rows: dict[tuple[int, int], list[Frag]] = {}
        for f in g.frags:
            rows.setdefault((f.line, f.lane_no), []).append(f)
        adv_bold = self._state.metrics.adv_bold
        for row in rows.values():
            row.sort(key=lambda f: f.text.left())
            for i, f in enumerate(row):
                if not f.label_text:
                    continue
                limit = row[i + 1].text.left() - 1 if i + 1 < len(row) else width
                room = max(limit - f.lane.left(), f.lane.width())
                f.label_text = fitting_label(f.label_text, room, adv_bold)
                want = adv_bold(f.label_text) + 6
                w = max(f.lane.width(), min(want, room))
                f.label = QRectF(f.lane.left(), f.lane.top(), w, f.lane.height())
