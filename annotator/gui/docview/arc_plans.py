"""Arc plans of the document view: for each block, where each of its arcs rises from (the
centre of the first piece of the span at each end), on which line, to which row, and where
its label sits (``arc_layout.place`` on each line).

A plan depends only on where the words are across the lines (x and line breaks), not on the
room between the lines, so it is made before that room is given (see room: all arcs shown,
a line gets the rows its plan needs) and kept when the lines only move down or up. It is made
again when the block's annotations change (room drops it), or the width changes (a re-wrap:
``rewrapped`` is called, and room gives every block its room again).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

from PySide6.QtGui import QTextBlock, QTextLine
from PySide6.QtWidgets import QTextEdit

from annotator.core.model import Span
from annotator.gui.docview.arc_layout import PAD, LinePlan, Piece, place
from annotator.gui.docview.index import Arc, DocIndex
from annotator.gui.docview.labels import short_label
from annotator.gui.docview.state import ViewState

_OTHER_SIDE = 80.0  # px a half arc's label may slide on the far side of its leg
Anchor = tuple[float, int]  # x where an arc rises from a span, the line it is on


def _cursor_x(line: QTextLine, pos: int) -> float:
    # PySide6's stub types QTextLine.cursorToX as object; it returns (x, position)
    return cast("tuple[float, int]", line.cursorToX(pos))[0]


def piece_x(line: QTextLine, a: int, z: int) -> tuple[float, float]:
    """Left and right x of the block positions [a, z) on ``line`` (at least 3 px wide): where
    a span piece's box is drawn, and (its centre) where its arcs rise from."""
    x1 = _cursor_x(line, a)
    x2 = _cursor_x(line, z)
    if x2 < x1:
        x1, x2 = x2, x1
    if x2 - x1 < 3:
        x2 = x1 + 3
    return x1, x2


@dataclass(slots=True)
class BlockPlan:
    """The placed arc pieces of one block, by line."""

    lines: dict[int, LinePlan] = field(default_factory=dict)
    signature: tuple[tuple[str, str, int, int, int, int], ...] = ()  # see ArcPlans

    @property
    def rows(self) -> int:
        """The most rows any line of the block needs."""
        return max((lp.rows for lp in self.lines.values()), default=0)

    @property
    def first_rows(self) -> int:
        """Rows above the block's first line (room the block before gives)."""
        lp = self.lines.get(0)
        return lp.rows if lp is not None else 0

    @property
    def inner_rows(self) -> int:
        """The most rows a line after the block's first needs (room its own lines give)."""
        return max((lp.rows for li, lp in self.lines.items() if li > 0), default=0)

    def pieces(self) -> Iterator[tuple[int, Piece]]:
        """(line, piece) of every placed piece, line by line."""
        for li in sorted(self.lines):
            for p in self.lines[li].pieces:
                yield li, p


class _Lines:
    """A block's laid-out lines, measured once per plan."""

    def __init__(self, block: QTextBlock) -> None:
        layout = block.layout()
        self.lines = [layout.lineAt(i) for i in range(layout.lineCount())]
        self.starts = [line.textStart() for line in self.lines]
        self.ends = [s + line.textLength() for s, line in zip(self.starts, self.lines,
                                                               strict=True)]
        self.block = block.blockNumber()
        self.pos = block.position()

    def anchor(self, idx: DocIndex, s: Span) -> Anchor | None:
        """Where arcs rise from span ``s`` in this block: the centre of its first piece (as
        geometry draws its box), None when the span starts in another block."""
        m = idx.map
        if m.block_of(s.start) != self.block:
            return None
        bs, be = m.block_range(self.block)
        for ps, pe in s.parts:
            if pe <= bs or ps >= be:
                continue
            qs = m.to_qt(max(ps, bs)) - self.pos
            qe = m.to_qt(min(pe, be)) - self.pos
            for li in range(max(0, bisect_right(self.starts, qs) - 1), len(self.lines)):
                if self.starts[li] >= qe:
                    break
                a, z = max(qs, self.starts[li]), min(qe, self.ends[li])
                if a < z:
                    x1, x2 = piece_x(self.lines[li], a, z)
                    return (x1 + x2) / 2, li
        return None


class ArcPlans:
    """Plans of the blocks with all arcs shown (cached), and of a selection's arcs (live)."""

    def __init__(self, area: QTextEdit, state: ViewState) -> None:
        self._area = area
        self._state = state
        self._plans: dict[int, BlockPlan] = {}
        self._stale: dict[int, BlockPlan] = {}  # dropped: kept if made from the same arcs
        self._width: tuple[int, int] = (-1, 0)
        self._top = 0  # most rows of a plan made since the last clear
        self.rewrapped: Callable[[], None] | None = None  # plans were for another width

    def clear(self) -> None:
        """Forget every plan (another document, font, arc setting or width)."""
        self._plans.clear()
        self._stale.clear()
        self._top = 0

    def drop(self, blocks: Iterable[int]) -> None:
        """The spans or arcs of ``blocks`` may have changed: their plans are made again when
        next asked for, unless what they were made from is the same (most edits are of spans
        that no arc ends at: a plan depends only on the arcs and where their ends are)."""
        for b in blocks:
            plan = self._plans.pop(b, None)
            if plan is not None:
                self._stale[b] = plan

    def _signature(self, b: int) -> tuple[tuple[str, str, int, int, int, int], ...]:
        """What block ``b``'s plan is made from: each arc's key, label and its ends' places
        (the text and the width do not change without the plans being cleared)."""
        idx = self._state.index
        assert idx is not None
        out = []
        for key in sorted(idx.block_arcs.get(b, ())):
            a = idx.arcs.get(key)
            h = idx.spans.get(a.head) if a is not None else None
            t = idx.spans.get(a.tail) if a is not None else None
            if a is None or h is None or t is None:
                continue
            out.append((key, a.label, h.start, h.end, t.start, t.end))
        return tuple(out)

    def right_edge(self, left: float) -> float:
        """The right edge half arcs run to, for a block laid out at x = ``left``."""
        return self._area.viewport().width() + self._area.horizontalScrollBar().value() \
            - 3 - left

    def max_rows(self) -> int:
        """The most rows a line of a block planned since the plans were cleared needs (a
        bound on how far arcs reach above a line: kept when a plan is dropped, so that it
        costs nothing on each paint)."""
        return self._top

    def _check_width(self) -> None:
        width = (self._area.viewport().width(), self._area.horizontalScrollBar().value())
        if width == self._width:
            return
        self._width = width
        if self._plans:
            self.clear()
            if self.rewrapped is not None:
                self.rewrapped()

    def plan(self, b: int) -> BlockPlan | None:
        """Block ``b``'s plan of all its arcs (None when it has none)."""
        self._check_width()
        plan = self._plans.get(b)
        if plan is not None:
            return plan
        idx = self._state.index
        if idx is None or b not in idx.block_arcs:
            return None
        block = self._area.document().findBlockByNumber(b)
        if not block.isValid():
            return None
        sig = self._signature(b)
        stale = self._stale.pop(b, None)
        if stale is not None and stale.signature == sig:
            plan = self._plans[b] = stale
        else:
            plan = self._plans[b] = self.make(block, idx.block_arcs[b], None)
            plan.signature = sig
        self._top = max(self._top, plan.rows)
        return plan

    def first_rows(self, b: int) -> int:
        """The rows above block ``b``'s first line (0: no arcs there). A block with one arc
        whose ends are surely on its first line is not planned for this: one row."""
        if self._single_on_first_line(b):
            return 1
        plan = self.plan(b)
        return plan.first_rows if plan is not None else 0

    def inner_rows(self, b: int) -> int:
        """The most rows a line of block ``b`` after its first needs (0: none has arcs): the
        room between the block's own lines (see room). Without planning, 0 for a single arc
        whose ends are surely on the first line."""
        if self._single_on_first_line(b):
            return 0
        plan = self.plan(b)
        return plan.inner_rows if plan is not None else 0

    def _single(self, b: int) -> bool:
        """Whether block ``b`` has exactly one arc (its room needs no plan)."""
        idx = self._state.index
        keys = idx.block_arcs.get(b) if idx is not None else None
        return keys is not None and len(keys) == 1

    def _single_on_first_line(self, b: int) -> bool:
        """Whether block ``b`` has one arc and the ends of it in ``b`` are surely on the
        block's first line, without laying the block out: the text up to the end of the
        word each end starts in is narrower than the line (greedy wrapping keeps on the first
        line every word that fits there). A block already laid out is asked its lines."""
        if not self._single(b) or b in self._plans:
            return False
        idx = self._state.index
        assert idx is not None
        doc = self._area.document()
        block = doc.findBlockByNumber(b)
        if not block.isValid() or block.layout().lineCount() > 0:
            return False  # laid out: planning costs little
        width = doc.textWidth() - 2 * doc.documentMargin() - 2
        if width <= 0:
            return False
        a = idx.arcs.get(next(iter(idx.block_arcs[b])))
        if a is None:
            return False
        text, pos = block.text(), block.position()
        m = idx.map
        fm = self._state.metrics.fm
        for sid in (a.head, a.tail):
            s = idx.spans.get(sid)
            if s is None or m.block_of(s.start) != b:
                continue
            q = m.to_qt(s.start) - pos
            end = q
            while end < len(text) and not text[end].isspace():
                end += 1
            head = text[:end]
            if "\u2028" in head or "\t" in head or fm.horizontalAdvance(head) > width:
                return False
        return True

    def make(self, block: QTextBlock, keys: Iterable[str], max_rows: int | None
             ) -> BlockPlan:
        """The plan of arcs ``keys`` in ``block`` (at most ``max_rows`` rows a line)."""
        idx = self._state.index
        assert idx is not None
        if block.layout().lineCount() == 0:  # not laid out yet: lay it out now
            self._area.document().documentLayout().blockBoundingRect(block)
        lines = _Lines(block)
        right = self.right_edge(block.layout().position().x())
        anchors: dict[str, Anchor | None] = {}

        def anchor(sid: str) -> Anchor | None:
            if sid not in anchors:
                s = idx.spans.get(sid)
                anchors[sid] = lines.anchor(idx, s) if s is not None else None
            return anchors[sid]

        per_line: dict[int, list[Piece]] = {}
        for key in sorted(keys):
            a = idx.arcs.get(key)
            if a is None or a.head not in idx.spans or a.tail not in idx.spans:
                continue
            for li, piece in self._pieces(idx, a, anchor(a.head), anchor(a.tail), right):
                per_line.setdefault(li, []).append(piece)
        adv = self._state.metrics.adv
        return BlockPlan({li: place(ps, adv, right, max_rows)
                          for li, ps in per_line.items()})

    def _pieces(self, idx: DocIndex, a: Arc, h: Anchor | None, t: Anchor | None,
                right: float) -> list[tuple[int, Piece]]:
        """The pieces of arc ``a`` in a block: one curve when both ends are on one line,
        else a half arc at each end here, towards the margin on the other end's side."""
        texts = tuple(dict.fromkeys((a.label, short_label(a.label))))
        if h is not None and t is not None and h[1] == t[1]:
            x1, x2 = h[0], t[0]
            if abs(x2 - x1) < 14:  # nested spans: centres (almost) coincide
                sx = 1 if x2 >= x1 else -1
                x1, x2 = x1 - sx * 6, x2 + sx * 6
            lo, hi = min(x1, x2), max(x1, x2)
            return [(h[1], Piece(a.key, "both", x1, x2, (x1 + x2) / 2, (lo, hi), texts))]
        hs, ts = idx.spans[a.head], idx.spans[a.tail]
        forward = (ts.start, ts.end) >= (hs.start, hs.end)
        adv = self._state.metrics.adv
        out = []
        for end, is_head in ((h, True), (t, False)):
            if end is None:
                continue
            x, li = end
            toward_right = forward if is_head else not forward
            sx = 1 if toward_right else -1
            edge = max(right, x + 12) if toward_right else min(-2.0, x - 12)
            shown = tuple(s + " \u2192" if is_head else "\u2192 " + s for s in texts)
            half = (adv(shown[0]) + PAD) / 2
            near, far = x + sx * (half + 4), edge - sx * half
            want = x + sx * (half + 6)
            # the other side of the leg, when the arc's own side is taken
            other = (x - sx * (half + 4), x - sx * (half + 4 + _OTHER_SIDE))
            alt: tuple[float, float] | None = (min(other), max(other))
            if (far - near) * sx < 0:  # no room towards the margin: on the leg's other side
                want, (near, far), alt = other[0] - sx * 2, other, None
            slide = (min(near, far), max(near, far))
            out.append((li, Piece(a.key, "head" if is_head else "tail", x, edge,
                                  want, slide, shown, alt)))
        return out
