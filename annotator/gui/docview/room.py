"""Room between the lines of the document view: each block's line spacing makes space under
its lines for the span lanes and above its own lines after the first for their arcs; its
bottom margin adds what the next block's first line needs for its arcs above that.

Why a block's lines share one spacing: Qt's document layout gives every line of a block the
same line distance (``QTextBlockFormat.lineHeight``, applied under each line, the last one
included); no format sets it per visual line, and the lines' positions are the layout's own
(set again on every relayout). What it does allow per block is the margins, so the room above
a paragraph's first line (the arcs there) is the previous block's bottom margin and no longer
widens the gaps between the paragraph's own lines, nor those of the paragraph before (a
wrapped paragraph with arcs on its first line only gets no arc room between its lines; one
with arcs on its third line gets that room above each line after the first).

This is the only change the view makes to the QTextDocument (``QTextBlockFormat`` line
distance and bottom margin, and the root frame's top margin for the first line's arcs).

A re-wrap (a new width) plans at once only the blocks on screen and a screen above and below
(``REPLAN_MARGIN``): planning every block of a long article took a good part of a second a
resize step. The others keep the room of the old width until idle slices (``IDLE_SLICE_MS``)
or a scroll that brings them near the screen plan them; room given to blocks above the screen
then moves the scroll bar by as much, so the text on screen stays where it is. Growing happens at once
(text would overlap); shrinking waits until edits pause (``SHRINK_AFTER_MS``), because closing
up a paragraph relayouts and repaints everything below it; and not while the user is pointing
or clicking in the text (the view asks ``later``), so the words never move under the mouse.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QSizeF, QTimer
from PySide6.QtGui import QTextBlock, QTextBlockFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

from annotator.gui.docview.geometry import GeometryCache
from annotator.gui.docview.index import MAX_LEVEL
from annotator.gui.docview.state import ViewState

# Paragraphs that need less room after an edit (a lane or an arc level fewer) are closed up
# only after this long without edits: closing up relayouts and repaints everything below,
# which would put a delete over one frame; growing is never deferred (text would overlap).
SHRINK_AFTER_MS = 800

SELECTION_LEVELS = 3  # arc levels of room when only the selection's arcs are drawn

# a re-wrap plans at once the blocks within this many viewport heights of the screen (the
# rest in idle slices of IDLE_SLICE_MS, nearest first, or when a scroll brings them near)
REPLAN_MARGIN = 1.0
IDLE_SLICE_MS = 8
PLAN_VISIBLE_FIRST = True  # False: every block at once (as before; bench_resize compares)

Room = tuple[float, float]  # (line distance under each line, bottom margin of the block)


def _set_block_format(cur: QTextCursor, block: QTextBlock, room: Room) -> None:
    cur.setPosition(block.position())
    fmt = QTextBlockFormat()
    fmt.setLineHeight(room[0], QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
    fmt.setBottomMargin(room[1])
    cur.mergeBlockFormat(fmt)


class BlockRoom:
    """The line spacing each block has been given, and the blocks waiting to close up."""

    def __init__(self, area: QTextEdit, state: ViewState, geometry: GeometryCache,
                 parent: QObject, settle: Callable[[], None]) -> None:
        self._area = area
        self._state = state
        self._geometry = geometry
        self._applied: dict[int, Room] = {}
        self._shrink_later: set[int] = set()  # blocks with more room than they need
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHRINK_AFTER_MS)
        self._timer.timeout.connect(settle)
        # a re-wrap: every block's arc plan is made again, then its room (once Qt has
        # wrapped the lines anew: the resize event that tells comes before it does)
        self._replan = QTimer(parent)
        self._replan.setSingleShot(True)
        self._replan.setInterval(0)
        self._replan.timeout.connect(self.replan)
        geometry.plans.rewrapped = self._replan.start
        # blocks whose room is still that of the width before the last re-wrap
        self._pending: set[int] = set()
        self._idle = QTimer(parent)
        self._idle.setInterval(0)
        self._idle.timeout.connect(self._plan_slice)
        self._keeping = False  # moving the scroll bar to keep the text on screen in place
        area.verticalScrollBar().valueChanged.connect(self._scrolled)

    def reset(self) -> None:
        """Forget what was applied (another project, or a font that changes every room)."""
        self._applied.clear()
        self._shrink_later.clear()
        self._drop_pending()
        self._geometry.plans.clear()

    def _drop_pending(self) -> None:
        self._pending.clear()
        self._idle.stop()

    def rewrapped(self) -> None:
        """The text area's width changed (its resize event, before Qt wraps the lines anew):
        geometry is forgotten; with all arcs shown, the lines are wrapped at the new width
        now, as the text area is about to, and every block gets the rows its arcs need there
        before the next paint (else that paint would draw labels planned for one width in
        the room of another)."""
        self._geometry.clear()
        if self._state.index is None or not self._state.show_all:
            return
        area, doc = self._area, self._area.document()
        width = area.viewport().width()
        if area.lineWrapMode() == QTextEdit.LineWrapMode.WidgetWidth and \
                doc.pageSize().width() != width:
            doc.setPageSize(QSizeF(width, -1))
        self.replan(before_qt=True)

    def replan(self, before_qt: bool = False) -> None:
        """The lines wrapped anew: with all arcs shown, give the blocks near the screen the
        rows their arcs need at this width now (more or less room at once: the text moved
        anyway), the others in idle slices (see the module docstring). ``before_qt``: in the
        text area's resize event, before QTextEdit lays the whole document out again."""
        if self._state.index is None or not self._state.show_all:
            return
        self._geometry.plans.clear()
        wanted = self._wanted()
        self._drop_pending()
        if PLAN_VISIBLE_FIRST:
            if not before_qt:
                self._finish_layout()
            near = self._near(wanted)
            self._pending = wanted - near
            wanted = near
        self._replanned(self.apply(wanted, shrink=True))
        if self._pending:
            self._idle.start()

    def _finish_layout(self) -> None:
        """Have Qt lay out the rest of the document now. It lays out what is off screen in
        steps on a timer, after a new width; a block format changed while it is under way
        ends those steps where they are, and the blocks after stay without lines (never
        drawn, as tall as nothing) until something relayouts them: so the rooms of pending
        blocks are given only once that layout is done (planning every block at once did
        it too, by laying out each block it planned)."""
        doc = self._area.document()
        doc.documentLayout().blockBoundingRect(doc.lastBlock())

    def _replanned(self, relaid: set[int]) -> None:
        for b in relaid:
            self._geometry.drop(b)
            self._geometry.drop_arcs(b)
        if relaid:
            self._area.viewport().update()

    def _near(self, blocks: Iterable[int], margin: float = REPLAN_MARGIN) -> set[int]:
        """Those of ``blocks`` that draw within ``margin`` viewport heights of the screen
        (and the block before each: its margin is the room above the next one's line)."""
        area, geometry = self._area, self._geometry
        h = area.viewport().height()
        top = area.verticalScrollBar().value()
        lo = geometry.block_at_y(max(0.0, top - margin * h))
        hi = geometry.block_at_y(top + (1 + margin) * h + geometry.arc_reach())
        return {b for b in blocks if lo - 1 <= b <= hi + 1}

    def _plan_pending(self, blocks: set[int]) -> None:
        """Give pending ``blocks`` their room at this width, the text on screen kept where it
        is: when blocks above it grew or shrank, the scroll bar moves by as much."""
        self._pending -= blocks
        if not self._pending:
            self._idle.stop()
        self._finish_layout()
        area = self._area
        sb = area.verticalScrollBar()
        layout = area.document().documentLayout()
        first = self._geometry.block_at_y(sb.value())
        anchor = area.document().findBlockByNumber(first)
        before = layout.blockBoundingRect(anchor).top()
        relaid = self.apply(blocks, shrink=True)
        if relaid and min(relaid) < first:
            shift = round(layout.blockBoundingRect(anchor).top() - before)
            if shift:
                self._keeping = True
                try:
                    sb.setValue(sb.value() + shift)
                finally:
                    self._keeping = False
        self._replanned(relaid)

    def _plan_slice(self) -> None:
        """Idle: plan pending blocks, nearest the screen first, for ``IDLE_SLICE_MS``."""
        if self._state.index is None or not self._state.show_all or not self._pending:
            self._drop_pending()
            return
        t0 = time.perf_counter()
        first = self._geometry.block_at_y(self._area.verticalScrollBar().value())
        ordered = sorted(self._pending, key=lambda b: abs(b - first))
        while ordered and time.perf_counter() - t0 < IDLE_SLICE_MS / 1000:
            batch, ordered = set(ordered[:8]), ordered[8:]
            self._plan_pending(batch)

    def _scrolled(self, _value: int) -> None:
        """A scroll: pending blocks coming near the screen get their room before they show."""
        if self._keeping or not self._pending or self._state.index is None:
            return
        near = self._near(self._pending)
        if near:
            self._plan_pending(near)

    def later(self) -> None:
        """Ask again in ``SHRINK_AFTER_MS`` (the user is pointing at the text right now)."""
        if self._shrink_later:
            self._timer.start()

    def settled(self) -> bool:
        """Whether no block is waiting to be closed up, nor for its room at a new width."""
        return not self._shrink_later and not self._pending

    def settle(self) -> set[int]:
        """Close up the blocks that kept room they no longer need, and give the blocks
        waiting for their room at a new width that room; the blocks whose lines moved (their
        geometry and arc layers are dropped here)."""
        if self._pending:
            self._plan_pending(set(self._pending))
        self._timer.stop()
        blocks, self._shrink_later = self._shrink_later, set()
        if self._state.index is None or not blocks:
            return set()
        relaid = self.apply(blocks, shrink=True)
        for b in relaid:
            self._geometry.drop(b)
            self._geometry.drop_arcs(b)
        return relaid

    def room(self, b: int, planned: bool = True) -> Room:
        """The line distance and bottom margin block ``b`` needs for its lanes and the arcs
        around it: under each line its lanes and the arcs above its lines after the first;
        under the last line, as much more (the margin) as the next block's first line needs.

        All arcs shown: the rows their plans need (see arc_plans; ``planned`` False: an
        estimate from the arcs' levels that lays nothing out, as if every line had the
        block's highest arcs). Else three levels at most (a selection's few arcs are planned
        among themselves: with two, the labels of a third level, which an event with half a
        dozen arguments reaches, were drawn over the lanes of the line above)."""
        idx = self._state.index
        assert idx is not None
        m = self._state.metrics
        plans = self._geometry.plans
        if self._state.show_all and planned:
            rows, below_rows = plans.inner_rows(b), plans.first_rows(b + 1)
        else:
            cap = MAX_LEVEL if self._state.show_all else SELECTION_LEVELS
            rows, below_rows = (min(cap, idx.maxlevel.get(b, 0)),
                                min(cap, idx.maxlevel.get(b + 1, 0)))
        below = m.arcs_px(below_rows)
        if self._area.document().findBlockByNumber(b).length() <= 1:
            # a blank line between paragraphs: its own height already holds part of the
            # arcs above the next paragraph, so it only adds what does not fit
            return m.base_gap + max(0.0, below - m.fm.height()), 0.0
        lanes = idx.nlanes.get(b, 0) + self._state.extra_lanes.get(b, 0)
        inner = m.arcs_px(rows)
        return m.base_gap + m.lanes_px(lanes) + inner, max(0.0, below - inner)

    def _apply_top(self) -> bool:
        """Room above the first line for its arcs (the root frame's top margin)."""
        idx = self._state.index
        assert idx is not None
        doc = self._area.document()
        # the first line has no line above to reach into: room for all its levels
        rows = self._geometry.plans.first_rows(0) if self._state.show_all else \
            idx.maxlevel.get(0, 0)
        want = doc.documentMargin() + self._state.metrics.arcs_px(rows)
        frame = doc.rootFrame()
        fmt = frame.frameFormat()
        if abs(fmt.topMargin() - want) < 0.5:
            return False
        fmt.setTopMargin(want)
        frame.setFrameFormat(fmt)
        return True

    def apply_all(self) -> None:
        """Give every block the room it needs (a new document, font or arc setting)."""
        self._shrink_later.clear()
        self._drop_pending()
        self._timer.stop()
        self._geometry.plans.clear()
        doc = self._area.document()
        base_gap = self._state.metrics.base_gap
        cur = QTextCursor(doc)
        cur.beginEditBlock()
        cur.select(QTextCursor.SelectionType.Document)
        fmt = QTextBlockFormat()
        fmt.setLineHeight(base_gap, QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
        fmt.setBottomMargin(0.0)
        cur.mergeBlockFormat(fmt)
        cur.endEditBlock()
        self._applied.clear()
        # the first line's room first: planning it lays out only the first block, so the
        # top margin (which lays out again all that is laid out) costs nothing later
        self._apply_top()
        # then the rooms the levels suggest, while nothing is laid out (cheap); with all arcs
        # shown, the plans then lay the blocks out, and only the blocks whose planned room
        # differs get their format again (laid out again)
        nblocks = doc.blockCount()
        wanted = [b for b in sorted(self._wanted()) if b < nblocks]
        self._set_rooms({b: self.room(b, planned=False) for b in wanted})
        if self._state.show_all:
            self._set_rooms({b: self.room(b) for b in wanted})
        self._apply_top()
        self._geometry.clear()

    def _set_rooms(self, rooms: dict[int, Room]) -> None:
        """Give the blocks ``rooms`` (those that already have it are left alone)."""
        doc = self._area.document()
        base = (self._state.metrics.base_gap, 0.0)
        cur = QTextCursor(doc)
        cur.beginEditBlock()
        for b, room in rooms.items():
            if room != self._applied.get(b, base):
                _set_block_format(cur, doc.findBlockByNumber(b), room)
            self._applied[b] = room
        cur.endEditBlock()

    def _wanted(self) -> set[int]:
        """The blocks that may need more than the base room: those with spans, arcs or an
        overlay's lanes, the blocks before them (room above their first line) and the first."""
        idx = self._state.index
        assert idx is not None
        wanted = {0}
        for b in set(idx.all_blocks()) | self._state.extra_lanes.keys():
            wanted.add(b)
            if b > 0:
                wanted.add(b - 1)
        return wanted

    def apply(self, blocks: set[int], *, shrink: bool = False) -> set[int]:
        """Give ``blocks`` the room their lanes and arcs need; the blocks whose lines moved.
        Less room than they have is left for ``settle`` unless ``shrink``."""
        doc = self._area.document()
        base = (self._state.metrics.base_gap, 0.0)
        changed: set[int] = set()
        cur: QTextCursor | None = None
        self._geometry.plans.drop(blocks)  # their arcs or spans changed: planned again
        for b in sorted(blocks):
            if b >= doc.blockCount():
                continue
            room = self.room(b)
            had = self._applied.get(b, base)
            if not shrink and room != had and room[0] <= had[0] and room[1] <= had[1]:
                self._shrink_later.add(b)
                self._timer.start()
                continue
            if had != room:
                if cur is None:
                    cur = QTextCursor(doc)
                    cur.beginEditBlock()
                _set_block_format(cur, doc.findBlockByNumber(b), room)
                self._applied[b] = room
                changed.add(b)
        if cur is not None:
            cur.endEditBlock()
        if 0 in blocks and self._apply_top():
            self._geometry.clear()
            changed.add(0)
        return changed
