"""Span painting of the document view: fills under the text, then boxes, lanes and labels
over it (one cached image per block each), then the selection's outlines, drawn live.

Gold spans get a solid lane in their label's colour with the label in the colour that reads on
it; suggestions a lighter, hatched lane and a dotted box; rejected spans a grey one; triggers a
dashed box and a bold label.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen, QTextBlock
from PySide6.QtWidgets import QWidget

from annotator.core.model import Span
from annotator.gui.docview.colors import is_dark
from annotator.gui.docview.geometry import BlockGeom, Frag, GeometryCache
from annotator.gui.docview.image_cache import render
from annotator.gui.docview.state import ViewState

_FILL_ALPHA = {"gold": 95, "suggested": 45, "rejected": 25}


def _fills_rect(g: BlockGeom) -> QRectF:
    """What the fills layer of a block covers (block layout coordinates)."""
    r = QRectF()
    for f in g.frags:
        r = r.united(f.text)
    return r.adjusted(-1, -1, 1, 1)


def _over_rect(g: BlockGeom) -> QRectF:
    """What the lanes layer of a block covers (block layout coordinates)."""
    r = QRectF()
    for f in g.frags:
        r = r.united(f.text).united(f.lane)
        if f.label is not None:
            r = r.united(f.label)
    return r.adjusted(-2, -2, 2, 2)


class SpanPainter:
    """Draws the span layers of the visible blocks; ``widget`` gives the palette, ``viewport``
    the device pixel ratio of the cached images."""

    def __init__(self, state: ViewState, geometry: GeometryCache, widget: QWidget,
                 viewport: QWidget) -> None:
        self._state = state
        self._geometry = geometry
        self._widget = widget
        self._viewport = viewport

    def paint_under(self, p: QPainter, blocks: list[QTextBlock], off: QPointF) -> None:
        """Span fills under the text: one cached image per block, drawn where the block is."""
        geometry, images = self._geometry, self._geometry.images
        for block in blocks:
            g = geometry.geometry(block)
            if g is None or not g.frags:
                continue
            if g.under is None:
                g.under, g.under_at = render(g, _fills_rect(g), self._draw_fills,
                                             self._viewport.devicePixelRatioF())
                images.cached(block.blockNumber())
            else:
                images.touch(block.blockNumber())
            p.drawImage(block.layout().position() + off + g.under_at, g.under)

    def paint_over(self, p: QPainter, blocks: list[QTextBlock], off: QPointF) -> None:
        """Boxes, lanes and labels: one cached image per block; then the outlines of the
        selected span (solid) and of the spans of a selected event or relation (dashed)."""
        state = self._state
        highlight = self._widget.palette().color(QPalette.ColorRole.Highlight)
        sel_span = state.selected_span()
        outlined = state.related_spans() | ({sel_span} if sel_span else set())
        geometry, images = self._geometry, self._geometry.images
        p.setBrush(Qt.BrushStyle.NoBrush)
        for block in blocks:
            b = block.blockNumber()
            g = geometry.geometry(block)
            if g is None or not g.frags:
                continue
            lp = block.layout().position() + off
            if g.over is None:
                g.over, g.over_at = render(g, _over_rect(g), self._draw_lanes,
                                           self._viewport.devicePixelRatioF())
                images.cached(b)
            else:
                images.touch(b)
            p.drawImage(lp + g.over_at, g.over)
            for sid in outlined & g.by_span.keys():
                pen = QPen(highlight, 2.0 if sid == sel_span else 1.4)
                if sid != sel_span:
                    pen.setStyle(Qt.PenStyle.DashLine)
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                for f in g.by_span[sid]:
                    p.drawRoundedRect(f.text.translated(lp).adjusted(-1, -1, 1, 1), 2, 2)
                    p.drawRoundedRect((f.label or f.lane).translated(lp).adjusted(-1, -1, 1, 1),
                                      2, 2)

    def _draw_fills(self, p: QPainter, g: BlockGeom) -> None:
        idx = self._state.index
        assert idx is not None
        colors = self._state.colors
        dark = is_dark(self._widget.palette())
        for f in sorted(g.frags, key=lambda f: -f.text.width()):  # nested ones on top
            s = idx.spans[f.span_id]
            c = QColor(colors.color(s.label))
            alpha = _FILL_ALPHA.get(s.status, 95)
            c.setAlpha(alpha + (25 if dark else 0))
            p.fillRect(f.text, c)

    def _draw_lanes(self, p: QPainter, g: BlockGeom) -> None:
        idx = self._state.index
        assert idx is not None
        pal = self._widget.palette()
        for f in g.frags:
            self._draw_lane(p, f, idx.spans[f.span_id], pal)

    def _draw_lane(self, p: QPainter, f: Frag, s: Span, pal: QPalette) -> None:
        """One piece's box (not for gold entities), lane bar and label."""
        colors = self._state.colors
        color = colors.color(s.label)
        text_r, lane_r, lab_r = f.text, f.lane, f.label
        # the text box: dashed for triggers, dotted for suggestions
        if s.kind == "trigger" or s.status != "gold":
            pen = QPen(color.darker(135), 1.3)
            pen.setStyle(Qt.PenStyle.DashLine if s.kind == "trigger" and
                         s.status == "gold" else Qt.PenStyle.DotLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(text_r.adjusted(0.5, 0.5, -0.5, -0.5))
        bar = QColor(color)
        if s.status == "suggested":
            bar.setAlpha(110)
        elif s.status == "rejected":
            bar = QColor(pal.color(QPalette.ColorRole.Mid))
            bar.setAlpha(90)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(bar)
        p.drawRoundedRect(lane_r, 2, 2)
        if lab_r is not None and lab_r.width() > lane_r.width():
            p.drawRoundedRect(lab_r, 2, 2)
        if s.status != "gold":
            p.setBrush(QBrush(color.darker(150), Qt.BrushStyle.BDiagPattern))
            p.drawRoundedRect(lane_r, 2, 2)
        if lab_r is not None:
            m = self._state.metrics
            bold = s.kind == "trigger"
            p.setFont(m.small_bold if bold else m.small)
            p.setPen(colors.text_color(s.label) if s.status == "gold" else
                     pal.color(QPalette.ColorRole.Text))
            m.draw_label(p, lab_r.adjusted(3, 0, -1, 0), f.label_text, bold, False)
