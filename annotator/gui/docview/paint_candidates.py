"""Curation candidates drawn on the text: a band per open candidate under the gold lanes.

Why its own module: the curation mode (``gui.curation``) shows the gold set being built as
the view's annotations, and the annotators' open candidates as an ``Overlay`` of the view:
``core.curation_marks`` decides what goes where (per block, in lanes under the gold lanes);
this painter draws it and finds what is under the mouse.

Styles (told apart without colour: line and fill patterns, and the tag's initials):

* a candidate every annotator made (agreed, open): a tinted band in its label's colour with a
  solid outline;
* a disagreement: a hatched band with a dashed outline;
* the tag reads "A·B GPE": the initials of who made it (``Marks.initials``) and its label, in
  the palette's text colour (readable in light and dark themes); a relation's ends with "→";
* an event candidate's trigger is outlined on the text (dashed), like a gold trigger;
* the selected candidate (the panel's current row): its band, and the text it stands for (a
  span; a trigger and its argument fillers; a relation's head and tail), outlined in the
  palette's highlight colour.

Per block the rectangles are computed once and cached until the block's lines move (another
width, other line spacing, other gold lanes) or the block's marks change (``marks_changed``
after an edit forgets only the blocks it changed); a paint draws them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import cast

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen, QTextBlock, QTextLine
from PySide6.QtWidgets import QTextEdit

from annotator.core.curation_marks import Mark, Marks
from annotator.gui.docview.colors import is_dark
from annotator.gui.docview.geometry import GeometryCache, short_label
from annotator.gui.docview.state import ViewState

Sig = tuple[int, int, int, int, float]


@dataclass(slots=True)
class Piece:
    """One mark's band on one line of a block (block layout coordinates)."""

    mark: Mark
    line: int
    text: QRectF  # the text the band is under, on this line
    band: QRectF
    tag: QRectF | None = None  # on the first piece only
    tag_text: str = ""


@dataclass(slots=True)
class BlockPieces:
    sig: Sig
    pieces: list[Piece] = field(default_factory=list)


def _x(line: QTextLine, pos: int) -> float:
    # PySide6's stub types QTextLine.cursorToX as object; it returns (x, position)
    return cast("tuple[float, int]", line.cursorToX(pos))[0]


def _fitting_tag(tag: str, room: float, advance: Callable[[str], float]) -> str:
    """``tag`` when it fits in ``room`` pixels, else its label abbreviated to the last dotted
    part ("A Conflict.Attack" -> "A Attack"), the initials kept."""
    if advance(tag) + 6 <= room:
        return tag
    who, _, label = tag.partition(" ")
    return f"{who} {short_label(label)}" if label else tag


class CandidatePainter:
    """The curation candidates of the shown document, drawn over the view (an Overlay)."""

    def __init__(self, area: QTextEdit) -> None:
        self._area = area
        self._state: ViewState | None = None
        self._geometry: GeometryCache | None = None
        self.marks: Marks | None = None
        self.selected: int | None = None  # the group index of the selected candidate
        self._cache: dict[int, BlockPieces] = {}

    # ---- Overlay ------------------------------------------------------------------------
    def attach(self, state: ViewState, geometry: GeometryCache) -> None:
        self._state, self._geometry = state, geometry

    def lanes(self) -> Mapping[int, int]:
        return self.marks.lanes if self.marks is not None else {}

    def set_marks(self, marks: Marks | None) -> None:
        self.marks = marks
        self._cache.clear()

    def marks_changed(self, blocks: set[int]) -> None:
        """The marks (updated in place) draw differently in ``blocks``: forget their bands."""
        for b in blocks:
            self._cache.pop(b, None)

    # ---- geometry -----------------------------------------------------------------------
    def _signature(self, block: QTextBlock) -> Sig:
        state = self._state
        assert state is not None and state.index is not None
        layout = block.layout()
        n = layout.lineCount()
        last = layout.lineAt(n - 1).y() if n else 0.0
        return (self._area.viewport().width(), self._area.horizontalScrollBar().value(),
                state.index.nlanes.get(block.blockNumber(), 0), n, last)

    def pieces(self, block: QTextBlock) -> list[Piece]:
        """The bands of block ``block`` (cached until its lines or the marks change)."""
        marks, state = self.marks, self._state
        b = block.blockNumber()
        if marks is None or state is None or state.index is None or b not in marks.by_block:
            return []
        if block.layout() is None or block.layout().lineCount() == 0:
            return []
        sig = self._signature(block)
        cached = self._cache.get(b)
        if cached is not None and cached.sig == sig:
            return cached.pieces
        out = BlockPieces(sig)
        gold = state.index.nlanes.get(b, 0)
        m = state.metrics
        for mark, lane in marks.by_block[b]:
            first = True
            for li, text in self.text_rects(block, mark.start, mark.end):
                layout_line = block.layout().lineAt(li)
                y = layout_line.y() + layout_line.height() + 1 + (gold + lane) * m.lane_h + (
                    2 if gold else 0)
                band = QRectF(text.left(), y, text.width(), m.lane_h - 1)
                piece = Piece(mark, li, text, band)
                if first and mark.start >= self._block_start(b):
                    piece.tag_text = mark.tag
                first = False
                out.pieces.append(piece)
        self._place_tags(out.pieces, block.layout().lineAt(0).width())
        self._cache[b] = out
        return out.pieces

    def _block_start(self, b: int) -> int:
        assert self._state is not None and self._state.index is not None
        return self._state.index.map.block_range(b)[0]

    def text_rects(self, block: QTextBlock, start: int, end: int) -> list[tuple[int, QRectF]]:
        """(line, rect) of code points [start, end) on each line of ``block`` they reach."""
        assert self._state is not None and self._state.index is not None
        tmap = self._state.index.map
        bs, be = tmap.block_range(block.blockNumber())
        if end <= bs or start >= max(be, bs + 1):
            return []
        bpos = block.position()
        qs = tmap.to_qt(max(start, bs)) - bpos
        qe = tmap.to_qt(min(max(end, start + 1), be)) - bpos
        layout = block.layout()
        lines = [layout.lineAt(i) for i in range(layout.lineCount())]
        starts = [line.textStart() for line in lines]
        out = []
        for li in range(max(0, bisect_right(starts, qs) - 1), len(lines)):
            line = lines[li]
            ls, le = starts[li], starts[li] + line.textLength()
            if ls >= qe:
                break
            a, z = max(qs, ls), min(qe, le)
            if a >= z:
                continue
            x1, x2 = sorted((_x(line, a), _x(line, z)))
            out.append((li, QRectF(x1, line.y(), max(3.0, x2 - x1), line.height())))
        return out

    def _place_tags(self, pieces: list[Piece], width: float) -> None:
        """Each tag as wide as its text, up to the next band in its lane on its line."""
        assert self._state is not None
        m = self._state.metrics
        rows: dict[tuple[int, float], list[Piece]] = {}
        for piece in pieces:
            rows.setdefault((piece.line, piece.band.top()), []).append(piece)
        for row in rows.values():
            row.sort(key=lambda piece: piece.band.left())
            for i, piece in enumerate(row):
                if not piece.tag_text:
                    continue
                limit = row[i + 1].band.left() - 2 if i + 1 < len(row) else width
                room = max(limit - piece.band.left(), piece.band.width())
                piece.tag_text = _fitting_tag(piece.tag_text, room, m.adv_bold)
                w = max(piece.band.width(), min(m.adv_bold(piece.tag_text) + 6, room))
                piece.tag = QRectF(piece.band.left(), piece.band.top(), w, piece.band.height())

    # ---- painting -----------------------------------------------------------------------
    def paint(self, p: QPainter, blocks: list[QTextBlock], off: QPointF) -> None:
        state = self._state
        if self.marks is None or state is None or state.index is None:
            return
        pal = self._area.palette()
        dark = is_dark(pal)
        for block in blocks:
            pieces = self.pieces(block)
            if not pieces:
                continue
            lp = block.layout().position() + off
            p.save()
            p.translate(lp)
            for piece in pieces:
                self._draw_piece(p, piece, pal, dark)
            p.restore()
        if self.selected is not None:
            self._draw_selected(p, blocks, off, pal)

    def _draw_piece(self, p: QPainter, piece: Piece, pal: QPalette, dark: bool) -> None:
        assert self._state is not None
        mark = piece.mark
        color = self._state.colors.color(mark.label)
        edge = color.lighter(140) if dark else color.darker(150)
        box = piece.tag or piece.band
        if mark.agreed:
            tint = QColor(color)
            tint.setAlpha(110 if dark else 80)
            p.setPen(QPen(edge, 1.2))
            p.setBrush(tint)
            p.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        else:
            hatch = QColor(color)
            hatch.setAlpha(150 if dark else 120)
            pen = QPen(edge, 1.4)
            pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            p.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        if mark.kind == "event":  # the trigger, outlined on the text
            pen = QPen(edge, 1.2)
            pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(piece.text.adjusted(0.5, 0.5, -0.5, -0.5))
        if piece.tag is not None:
            m = self._state.metrics
            p.setFont(m.small_bold)
            p.setPen(pal.color(QPalette.ColorRole.Text))
            m.draw_label(p, piece.tag.adjusted(3, 0, -1, 0), piece.tag_text, True, False)

    def _draw_selected(self, p: QPainter, blocks: list[QTextBlock], off: QPointF,
                       pal: QPalette) -> None:
        marks = self.marks
        mark = marks.of_group(self.selected) if marks is not None and \
            self.selected is not None else None
        if mark is None:
            return
        pen = QPen(pal.color(QPalette.ColorRole.Highlight), 2.2)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for block in blocks:
            lp = block.layout().position() + off
            p.setPen(pen)
            for piece in self.pieces(block):
                if piece.mark.group == mark.group:
                    p.drawRoundedRect((piece.tag or piece.band).translated(lp)
                                      .adjusted(-1, -1, 1, 1), 3, 3)
            dashed = QPen(pen)
            dashed.setWidthF(1.6)
            dashed.setStyle(Qt.PenStyle.DashLine)
            for i, (s, e) in enumerate(mark.outline):
                p.setPen(pen if i == 0 else dashed)
                for _li, r in self.text_rects(block, s, e):
                    p.drawRoundedRect(r.translated(lp).adjusted(-1.5, -1, 1.5, 1), 2, 2)

    # ---- what is where (viewport coordinates) --------------------------------------------
    def _visible_pieces(self) -> list[tuple[Piece, QPointF]]:
        if self._geometry is None or self.marks is None:
            return []
        off = self._geometry.offset()
        out = []
        for block in self._geometry.visible_blocks():
            lp = block.layout().position() + off
            out += [(piece, lp) for piece in self.pieces(block)]
        return out

    def at(self, pos: QPointF) -> Mark | None:
        """The mark whose band or tag is under a viewport point."""
        for piece, lp in self._visible_pieces():
            if (piece.tag or piece.band).translated(lp).contains(pos):
                return piece.mark
        return None

    def rects(self, group: int) -> list[QRectF]:
        """Viewport rects of group ``group``'s bands (its tag where it has one)."""
        return [(piece.tag or piece.band).translated(lp) for piece, lp in
                self._visible_pieces() if piece.mark.group == group]

    def tags(self) -> list[tuple[int, str]]:
        """(group, tag text as drawn) of the marks on screen."""
        return [(piece.mark.group, piece.tag_text) for piece, _ in self._visible_pieces()
                if piece.tag_text]
