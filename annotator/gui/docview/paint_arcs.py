"""Arc painting of the document view: relations and event arguments as brat-style arcs.

Where each arc goes comes from its block's plan (arc_plans, arc_layout): both ends on one line,
one flat-topped arc between them, its label on its top; ends on different lines, a half arc at
each end running to the margin in the other end's direction, labelled beside that end (the
other end's block draws the other half). Labels never overlap: each has its own slot in its
row, abbreviated (the tooltip names it in full) before going up a row. With all arcs shown,
each block's arcs are one cached image; the selection's arcs are drawn live on each paint
(few), planned among themselves when they are the only arcs shown. Label rects are kept for
clicks and tooltips (see hits).
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

from annotator.gui.docview.arc_layout import Piece
from annotator.gui.docview.arc_plans import BlockPlan
from annotator.gui.docview.colors import is_dark
from annotator.gui.docview.geometry import BlockGeom, GeometryCache
from annotator.gui.docview.image_cache import ArcHit, ArcLayer, render
from annotator.gui.docview.index import Arc
from annotator.gui.docview.room import SELECTION_LEVELS
from annotator.gui.docview.state import ViewState

_Label = tuple[QRectF, QColor, str, bool]  # rect, colour, text, gold
ArcLabel = tuple[str, str, QRectF]  # an arc's key, the text on its label, the label's rect


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
    """Move labels that share a row apart, in place: left to right each label starts after
    the one before it, then the row is pushed back inside ``right``. (The view's own arc
    labels get free slots from arc_layout instead; kept for callers of the old helper.)"""
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


def flat_arc(x1: float, x2: float, y0: float, top: float) -> QPainterPath:
    """Up from (x1, y0), along ``top``, down to (x2, y0), with rounded corners."""
    r = min(8.0, abs(x2 - x1) / 2, max(0.0, y0 - top))
    sx = 1 if x2 >= x1 else -1
    path = QPainterPath(QPointF(x1, y0))
    path.lineTo(QPointF(x1, top + r))
    path.quadTo(QPointF(x1, top), QPointF(x1 + sx * r, top))
    path.lineTo(QPointF(x2 - sx * r, top))
    path.quadTo(QPointF(x2, top), QPointF(x2, top + r))
    path.lineTo(QPointF(x2, y0))
    return path


def half_arc(x: float, edge: float, y0: float, top: float) -> QPainterPath:
    """Up from (x, y0), then along ``top`` to the margin at ``edge``."""
    r = min(8.0, abs(edge - x) / 2, max(0.0, y0 - top))
    sx = 1 if edge >= x else -1
    path = QPainterPath(QPointF(x, y0))
    path.lineTo(QPointF(x, top + r))
    path.quadTo(QPointF(x, top), QPointF(x + sx * r, top))
    path.lineTo(QPointF(edge, top))
    return path


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
        self._live_plans: dict[int, BlockPlan] = {}  # what those paints drew, per block

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
        self._live_plans.clear()

    def labels_on_screen(self) -> list[ArcLabel]:
        """(arc key, text on the label, viewport rect) of every arc label of the blocks on
        screen, from the plans the paints draw (all arcs shown: every block's; else the
        selection's as last painted)."""
        geometry = self._geometry
        off = geometry.offset()
        out: list[ArcLabel] = []
        for block in geometry.visible_blocks():
            b = block.blockNumber()
            plan = geometry.plans.plan(b) if self._state.show_all else \
                self._live_plans.get(b)
            g = geometry.geometry(block)
            if plan is None or g is None:
                continue
            lp = block.layout().position() + off
            out += [(pc.key, pc.text, self._label_rect(g, li, pc).translated(lp))
                    for li, pc in plan.pieces()]
        return out

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
                plan = self._geometry.plans.plan(b)
                if g is None or plan is None:
                    continue
                hits: list[ArcHit] = []
                img, at = render(g, self._arcs_rect(g, plan),
                                 partial(self._draw_plan, plan=plan, width=1.4, hits=hits),
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
                self._live_plans.pop(b, None)
        keys = state.shown_arcs
        if not keys:
            return
        plans = self._geometry.plans
        for b, block in visible:
            mine = idx.block_arcs.get(b, set()) & keys
            if not mine:
                continue
            g = self._geometry.geometry(block)
            if g is None:
                continue
            hits: list[ArcHit]
            plan: BlockPlan | None
            if state.show_all:
                plan, width, hits = plans.plan(b), 2.2, []
            else:  # only the selection's arcs: planned among themselves, in the room given
                cap = max(1, min(SELECTION_LEVELS, idx.maxlevel.get(b, 1)))
                plan, width = plans.make(block, mine, cap), 1.4
                self._live_plans[b] = plan
                hits = self._live_hits.setdefault(b, [])
            if plan is None:
                continue
            p.save()
            p.translate(block.layout().position() + off)
            self._draw_plan(p, g, plan, width, hits, mine)
            p.restore()

    # ---- geometry of arcs ----------------------------------------------------------------
    def _arcs_rect(self, g: BlockGeom, plan: BlockPlan) -> QRectF:
        """What the arcs layer of a block may cover (block layout coordinates): the full
        width (half arcs run to the edges), from above the highest line with an arc end down
        to the lowest such line (arcs rise from the tops of their spans)."""
        if not plan.lines:
            return QRectF()
        m = self._state.metrics
        ys = [g.line_tops[li] for li in plan.lines if li < len(g.line_tops)]
        if not ys:
            return QRectF()
        reach = (plan.rows + 1) * m.step + 4
        top, bottom = min(ys) - reach, max(ys) + 3
        right = self._geometry.plans.right_edge(g.left)
        return QRectF(-g.left, top, right + g.left + 6, bottom - top)

    def _label_rect(self, g: BlockGeom, li: int, pc: Piece) -> QRectF:
        """A placed label's tag (block layout coordinates), centred on its row."""
        m = self._state.metrics
        top = g.line_tops[li] - 3 - pc.row * m.step
        return QRectF(pc.left, top - m.label_h / 2, pc.width, m.label_h)

    # ---- drawing -------------------------------------------------------------------------
    def _arc_color(self, a: Arc, dark: bool, default: QColor) -> QColor:
        """An event's type colour; a relation's own colour, else the text colour."""
        colors = self._state.colors
        color = QColor(colors.color(a.color_label)) if a.kind == "event" else (
            QColor(colors.color(a.label)) if colors.has_own(a.label) else QColor(default))
        return color.darker(140) if not dark else color.lighter(120)

    def _draw_plan(self, p: QPainter, g: BlockGeom, plan: BlockPlan, width: float,
                   hits: list[ArcHit], only: set[str] | None = None) -> None:
        """The pieces of ``plan`` (those of arcs ``only``, if given) in block ``g`` (block
        layout coordinates), labels last. Appends (label rect, kind, id) to ``hits``."""
        idx = self._state.index
        assert idx is not None
        pal = self._widget.palette()
        dark = is_dark(pal)
        default_arc = pal.color(QPalette.ColorRole.Text)
        step = self._state.metrics.step
        labels: list[_Label] = []
        p.setBrush(Qt.BrushStyle.NoBrush)
        for li, pc in plan.pieces():
            a = idx.arcs.get(pc.key)
            if a is None or li >= len(g.line_tops) or (only is not None and pc.key not in only):
                continue
            color = self._arc_color(a, dark, default_arc)
            pen = QPen(color, width)
            if a.status != "gold":
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            y0 = g.line_tops[li]
            top = y0 - 3 - pc.row * step
            if pc.end == "both":
                p.drawPath(flat_arc(pc.x_from, pc.x_to, y0, top))
                arrow(p, QPointF(pc.x_to, y0), color)
            else:
                p.drawPath(half_arc(pc.x_from, pc.x_to, y0, top))
                if pc.end == "head":  # an open end at the margin: the arc continues
                    chevron(p, QPointF(pc.x_to, top), 1 if pc.x_to >= pc.x_from else -1,
                            color)
                else:
                    arrow(p, QPointF(pc.x_from, y0), color)
            rect = self._label_rect(g, li, pc)
            labels.append((rect, color, pc.text, a.status == "gold"))
            hits.append((rect, a.kind, a.ann_id))
        if labels:
            self._draw_labels(p, labels, pal)

    def _draw_labels(self, p: QPainter, labels: list[_Label], pal: QPalette) -> None:
        """Arc labels on an almost opaque tag (their slots never overlap)."""
        m = self._state.metrics
        base = QColor(pal.color(QPalette.ColorRole.Base))
        base.setAlpha(235)
        p.setFont(m.small)
        for rect, color, text, gold in labels:
            p.setPen(QPen(color, 1.0, Qt.PenStyle.SolidLine if gold else Qt.PenStyle.DotLine))
            p.setBrush(base)
            p.drawRoundedRect(rect, 3, 3)
            p.setPen(color)
            m.draw_label(p, rect, text, False, True)
