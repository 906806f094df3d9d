"""Arc painting of the document view: relations and event arguments as brat-style arcs.

Both ends on one line: one curve between them. Ends on different lines: each end gets a half
arc that runs to the margin in the other end's direction, labelled at that end (the other end's
block draws the other half). With all arcs shown, each block's arcs are one cached image; the
selection's arcs are drawn live on each paint (few), levelled among themselves when they are
the only arcs shown. Label rects are kept for clicks and tooltips (see hits).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPolygonF,
    QTextBlock,
)
from PySide6.QtWidgets import QTextEdit, QWidget

from annotator.gui.docview.colors import is_dark
from annotator.gui.docview.geometry import BlockGeom, GeometryCache
from annotator.gui.docview.image_cache import ArcHit, ArcLayer, render
from annotator.gui.docview.index import MAX_LEVEL, Arc
from annotator.gui.docview.state import ViewState

_Label = tuple[QRectF, QColor, str, bool]  # rect, colour, text, gold


def arrow(p: QPainter, tip: QPointF, color: QColor) -> None:
    """An arrow head pointing down at ``tip`` (the arc's tail end)."""
    p.save()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawPolygon(QPolygonF([tip, tip + QPointF(-4, -7), tip + QPointF(4, -7)]))
    p.restore()


def chevron(p: QPainter, at: QPointF, sx: int, color: QColor) -> None:
    """An open end at the margin (direction ``sx``): the half arc continues elsewhere."""
    p.save()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawPolygon(QPolygonF([at + QPointF(sx * 4, 0), at + QPointF(-sx * 2, -4),
                             at + QPointF(-sx * 2, 4)]))
    p.restore()


def spread_labels(rects: list[QRectF], right: float, gap: float = 3.0) -> None:
    """Move arc labels that share a row apart, in place (the hit rects are the same objects):
    left to right each label starts after the one before it, then the row is pushed back
    inside ``right``. Labels of crossing arcs at one level would otherwise print over each
    other."""
    rows: dict[int, list[QRectF]] = {}
    for r in rects:
        rows.setdefault(round(r.center().y()), []).append(r)
    for row in rows.values():
        if len(row) < 2:
            continue
        row.sort(key=lambda r: r.left())
        end = row[0].right()
        for r in row[1:]:
            if r.left() < end + gap:
                r.moveLeft(end + gap)
            end = r.right()
        limit = right
        for r in reversed(row):
            if r.right() > limit:
                r.moveRight(limit)
            limit = r.left() - gap


class ArcPainter:
    """Draws the arcs of the visible blocks and remembers where their labels went."""

    def __init__(self, state: ViewState, geometry: GeometryCache, area: QTextEdit,
                 widget: QWidget) -> None:
        self._state = state
        self._geometry = geometry
        self._area = area
        self._widget = widget
        # arc label rects (block layout coordinates) per block, from the live paints so far
        self._live_hits: dict[int, list[ArcHit]] = {}

    # ---- label hits ----------------------------------------------------------------------
    def hits_of(self, b: int) -> Sequence[ArcHit]:
        """Block ``b``'s arc labels as last painted (block layout coordinates)."""
        if self._state.show_all:  # every arc is in the blocks' cached layers
            layer = self._geometry.images.arcs.get(b)
            return layer.hits if layer is not None else ()
        return self._live_hits.get(b, ())

    def forget_hits(self) -> None:
        """Another document: no label is on screen until the next paint."""
        self._live_hits.clear()

    # ---- painting ------------------------------------------------------------------------
    def paint_layers(self, p: QPainter, blocks: list[QTextBlock], off: QPointF) -> None:
        """All arcs shown: each block's arcs as one cached image."""
        idx = self._state.index
        assert idx is not None
        images = self._geometry.images
        for block in blocks:
            b = block.blockNumber()
            if b not in idx.block_arcs:
                continue
            layer = images.arcs.get(b)
            if layer is None or layer.img is None:
                g = self._geometry.geometry(block)
                if g is None:
                    continue
                hits: list[ArcHit] = []
                img, at = render(g, self._arcs_rect(block, g),
                                 partial(self._draw_all_arcs, hits=hits),
                                 self._area.viewport().devicePixelRatioF())
                layer = images.arcs[b] = ArcLayer(img, at, hits)
                images.cached(b)
            else:
                images.touch(b)
            assert layer.img is not None
            p.drawImage(block.layout().position() + off + layer.at, layer.img)

    def paint_live(self, p: QPainter, blocks: list[QTextBlock], off: QPointF) -> None:
        """The selection's arcs, drawn on each paint (few): the only arcs unless all are
        shown; with all shown (already in the cached layers), drawn again, thicker."""
        state = self._state
        idx = state.index
        assert idx is not None
        visible = [(b.blockNumber(), b) for b in blocks]
        if not state.show_all:
            for b, _ in visible:
                self._live_hits.pop(b, None)
        keys = state.shown_arcs
        if not keys:
            return
        for b, block in visible:
            mine = idx.block_arcs.get(b, set()) & keys
            if not mine:
                continue
            g = self._geometry.geometry(block)
            if g is None:
                continue
            lp = block.layout().position()
            hits: list[ArcHit]
            if state.show_all:
                levels, width, hits = idx.levels.get(b, {}), 2.2, []
            else:  # only the selection's arcs: level them among themselves
                levels, width = idx.block_levels(b, mine), 1.4
                hits = self._live_hits.setdefault(b, [])
            p.save()
            p.translate(lp + off)
            self._draw_block_arcs(p, g, mine, levels, width, self._arc_right(lp.x()), hits)
            p.restore()

    # ---- geometry of arcs ----------------------------------------------------------------
    def _arcs_rect(self, block: QTextBlock, g: BlockGeom) -> QRectF:
        """What the arcs layer of a block may cover (block layout coordinates): the full
        width (half arcs run to the edges), from above the highest line with an arc end down
        to the lowest such line (arcs rise from the tops of their spans)."""
        idx = self._state.index
        assert idx is not None
        b = block.blockNumber()
        left = block.layout().position().x()
        ys = []
        for key in idx.block_arcs.get(b, ()):
            a = idx.arcs.get(key)
            if a is None:
                continue
            for end in (a.head, a.tail):
                e = self._arc_end(end, g)
                if e is not None:
                    ys.append(e[0].y())
        if not ys:
            return QRectF()
        reach = (min(MAX_LEVEL, idx.maxlevel.get(b, 1)) + 1) * self._state.metrics.step + 4
        top, bottom = min(ys) - reach, max(ys) + 3
        return QRectF(-left, top, self._arc_right(left) + left + 6, bottom - top)

    def _arc_right(self, left: float) -> float:
        """The right edge half arcs run to, for a block laid out at x = ``left``."""
        return self._area.viewport().width() + self._area.horizontalScrollBar().value() \
            - 3 - left

    def _arc_end(self, span_id: str, g: BlockGeom) -> tuple[QPointF, int] | None:
        """(anchor point, line) of a span's arc end in block ``g`` (block layout
        coordinates), or None when the span starts in another block."""
        idx = self._state.index
        assert idx is not None
        s = idx.spans.get(span_id)
        if s is None or idx.map.block_of(s.start) != g.block:
            return None
        frags = g.by_span.get(span_id)
        if not frags:
            return None
        f = frags[0]
        return QPointF(f.text.center().x(), f.text.top()), f.line

    def _clamp_label(self, x: float, text: str, left: float, right: float) -> float:
        """Keep a label's centre such that the whole label stays inside [left, right]."""
        half = (self._state.metrics.adv(text) + 8) / 2 + 1
        return max(left + half, min(x, right - half)) if right - left > 2 * half else x

    def _label_rect(self, center: QPointF, text: str) -> QRectF:
        m = self._state.metrics
        w = m.adv(text) + 8
        h = m.fms.height() + 1
        return QRectF(center.x() - w / 2, center.y() - h / 2, w, h)

    # ---- drawing -------------------------------------------------------------------------
    def _draw_all_arcs(self, p: QPainter, g: BlockGeom, hits: list[ArcHit]) -> None:
        """The arcs layer of block ``g`` with all arcs shown (none highlighted)."""
        idx = self._state.index
        assert idx is not None
        self._draw_block_arcs(p, g, idx.block_arcs.get(g.block, set()),
                              idx.levels.get(g.block, {}), 1.4, self._arc_right(g.left), hits)

    def _arc_color(self, a: Arc, dark: bool, default: QColor) -> QColor:
        """An event's type colour; a relation's own colour, else the text colour."""
        colors = self._state.colors
        color = QColor(colors.color(a.color_label)) if a.kind == "event" else (
            QColor(colors.color(a.label)) if colors.has_own(a.label) else QColor(default))
        return color.darker(140) if not dark else color.lighter(120)

    def _draw_block_arcs(self, p: QPainter, g: BlockGeom, keys: set[str],
                         levels: dict[str, int], width: float, right: float,
                         hits: list[ArcHit]) -> None:
        """Arcs ``keys`` at their ends in block ``g`` (block layout coordinates), labels last.

        Appends (label rect, kind, id) to ``hits``."""
        idx = self._state.index
        assert idx is not None
        pal = self._widget.palette()
        dark = is_dark(pal)
        default_arc = pal.color(QPalette.ColorRole.Text)
        labels: list[_Label] = []
        p.setBrush(Qt.BrushStyle.NoBrush)
        for key in sorted(keys):
            a = idx.arcs.get(key)
            if a is None:
                continue
            hs, ts = idx.spans.get(a.head), idx.spans.get(a.tail)
            if hs is None or ts is None:
                continue
            h = self._arc_end(a.head, g)
            t = self._arc_end(a.tail, g)
            if h is None and t is None:
                continue
            color = self._arc_color(a, dark, default_arc)
            pen = QPen(color, width)
            if a.status != "gold":
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            level = levels.get(key, 1)
            if h is not None and t is not None and h[1] == t[1]:
                new = [self._same_line_arc(p, h[0], t[0], level, a.label, color, right)]
            else:
                forward = (ts.start, ts.end) >= (hs.start, hs.end)
                new = self._half_arcs(p, h, t, forward, level, a.label, color, right)
            for rect, text in new:
                labels.append((rect, color, text, a.status == "gold"))
                hits.append((rect, a.kind, a.ann_id))
        if labels:
            self._draw_labels(p, labels, right, pal)

    def _same_line_arc(self, p: QPainter, h: QPointF, t: QPointF, level: int, text: str,
                       color: QColor, right: float) -> tuple[QRectF, str]:
        """One curve from head to tail on their line; its label rect and text."""
        y0 = h.y()
        top = y0 - 3 - level * self._state.metrics.step
        x1, x2 = h.x(), t.x()
        if abs(x2 - x1) < 14:  # nested spans: centres (almost) coincide
            sx = 1 if x2 >= x1 else -1
            x1, x2 = x1 - sx * 6, x2 + sx * 6
        path = QPainterPath(QPointF(x1, y0))
        c = y0 - (y0 - top) * 4 / 3
        path.cubicTo(QPointF(x1, c), QPointF(x2, c), QPointF(x2, y0))
        p.drawPath(path)
        arrow(p, QPointF(x2, y0), color)
        lx = self._clamp_label((x1 + x2) / 2, text, 0.0, right)
        return self._label_rect(QPointF(lx, top), text), text

    def _half_arcs(self, p: QPainter, h: tuple[QPointF, int] | None,
                   t: tuple[QPointF, int] | None, forward: bool, level: int, text: str,
                   color: QColor, right: float) -> list[tuple[QRectF, str]]:
        """A half arc from each end in this block towards the margin on the other end's side
        (tail after head: the head's runs right, the tail's left); label rects and texts."""
        m = self._state.metrics
        out = []
        for end, is_head in ((h, True), (t, False)):
            if end is None:
                continue
            y0 = end[0].y()
            top = y0 - 3 - level * m.step
            x = end[0].x()
            toward_right = forward if is_head else not forward
            edge = right if toward_right else -2.0
            edge = max(edge, x + 12) if toward_right else min(edge, x - 12)
            path = QPainterPath(QPointF(x, y0))
            r = min(8.0, abs(edge - x) / 2)
            sx = 1 if toward_right else -1
            path.lineTo(QPointF(x, top + r))
            path.quadTo(QPointF(x, top), QPointF(x + sx * r, top))
            path.lineTo(QPointF(edge, top))
            p.drawPath(path)
            if is_head:  # an open end at the margin shows the arc continues
                chevron(p, QPointF(edge, top), sx, color)
            else:
                arrow(p, QPointF(x, y0), color)
            shown = text + " \u2192" if is_head else "\u2192 " + text
            lx = x + sx * (m.adv(shown) / 2 + 10)
            lx = self._clamp_label(lx, shown, 0.0, right)
            out.append((self._label_rect(QPointF(lx, top), shown), shown))
        return out

    def _draw_labels(self, p: QPainter, labels: list[_Label], right: float,
                     pal: QPalette) -> None:
        """Arc labels on an almost opaque tag, moved apart where they share a row."""
        m = self._state.metrics
        spread_labels([rect for rect, *_ in labels], right)
        base = QColor(pal.color(QPalette.ColorRole.Base))
        base.setAlpha(235)
        p.setFont(m.small)
        for rect, color, text, gold in labels:
            p.setPen(QPen(color, 1.0, Qt.PenStyle.SolidLine if gold else Qt.PenStyle.DotLine))
            p.setBrush(base)
            p.drawRoundedRect(rect, 3, 3)
            p.setPen(color)
            m.draw_label(p, rect, text, False, True)
