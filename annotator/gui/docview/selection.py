"""The text selection of the document view in code points (Qt's cursor counts UTF-16 units).

Reading and setting the text area's cursor through the index's ``QtTextMap``, snapping to
tokens, moving by tokens, finding text, scrolling to a position; ``changed`` is told each new
selection once.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextEdit

from annotator.core.offsets import TokenIndex
from annotator.gui.docview.state import ViewState


class TextCursor:
    """The text area's selection as code points [start, end)."""

    def __init__(self, area: QTextEdit, state: ViewState,
                 tokens: Callable[[], TokenIndex | None],
                 changed: Callable[[int, int], None]) -> None:
        self._area = area
        self._state = state
        self._tokens = tokens
        self._changed = changed
        self._last: tuple[int, int] | None = None
        self._precise: tuple[int, int] | None = None  # made with Shift+arrows (see mark_precise)

    def selection(self) -> tuple[int, int]:
        """(start, end) of the selection; (0, 0) without a document."""
        idx = self._state.index
        if idx is None:
            return (0, 0)
        c = self._area.textCursor()
        m = idx.map
        return m.to_cp(c.selectionStart()), m.to_cp(c.selectionEnd())

    def emit(self) -> None:
        """Tell ``changed`` about the selection if it is not the one told last."""
        sel = self.selection()
        if sel != self._last:
            self._last = sel
            self._changed(*sel)

    def forget(self) -> None:
        """A new document: its selection is news even if the numbers are the same."""
        self._last = None
        self._precise = None

    def mark_precise(self) -> None:
        """The selection now was made character by character (Shift+arrows): snapping leaves
        it as it is. Any other change of the selection ends this."""
        sel = self.selection()
        self._precise = sel if sel[0] != sel[1] else None

    def is_precise(self) -> bool:
        return self._precise is not None and self._precise == self.selection()

    def set(self, start: int, end: int, *, scroll: bool) -> None:
        """Select [start, end) (the cursor at ``end``), clamped to the text."""
        idx = self._state.index
        if idx is None:
            return
        m = idx.map
        n = m.length_cp
        start, end = max(0, min(start, n)), max(0, min(end, n))
        c = QTextCursor(self._area.document())
        c.setPosition(m.to_qt(start))
        c.setPosition(m.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        bars = self._area.verticalScrollBar(), self._area.horizontalScrollBar()
        kept = [b.value() for b in bars]
        self._area.setTextCursor(c)
        if scroll:
            self._area.ensureCursorVisible()
        else:  # setTextCursor scrolls to the cursor: the text must not move under the pointer
            for b, v in zip(bars, kept, strict=True):
                b.setValue(v)
        self.emit()

    def clear(self) -> None:
        """Drop the selection, keeping the cursor where it is."""
        c = self._area.textCursor()
        c.clearSelection()
        self._area.setTextCursor(c)
        self.emit()

    def snap(self) -> tuple[int, int] | None:
        """Widen the selection to whole tokens, keeping its direction; the new (start, end)
        when that changed it, else None."""
        tokens = self._tokens()
        if tokens is None:
            return None
        s, e = self.selection()
        ns, ne = tokens.snap(s, e)
        if (ns, ne) == (s, e):
            return None
        c = self._area.textCursor()
        if c.position() >= c.anchor():
            self.set(ns, ne, scroll=False)
        else:
            self.set(ne, ns, scroll=False)
        return ns, ne

    def token_at(self, point: QPoint) -> tuple[int, int] | None:
        """(start, end) of the token under a viewport point (or of the one just before it)."""
        idx = self._state.index
        if idx is None:
            return None
        cp = idx.map.to_cp(self._area.cursorForPosition(point).position())
        tokens = self._tokens()
        tok = tokens.token_span(cp) if tokens is not None else None
        if tok is None and cp > 0 and tokens is not None:
            tok = tokens.token_span(cp - 1)
        return tok

    def select_token_at(self, point: QPoint) -> None:
        """Select the token under a viewport point (or the one just before it)."""
        tok = self.token_at(point)
        if tok is not None:
            self.set(tok[0], tok[1], scroll=False)

    def move_token(self, direction: int, extend: bool = False, *,
                   every: bool = False) -> None:
        """Select the next (``direction`` > 0) or previous word token, jumping over tokens
        made only of punctuation (``every``: stopping on every token); ``extend``: grow or
        shrink the selection's end to the next or previous such token instead."""
        tokens = self._tokens()
        if self._state.index is None or tokens is None or not len(tokens):
            return
        step = _stepper(tokens, every)
        starts, ends = tokens.starts, tokens.ends
        s, e = self.selection()
        n = len(starts)
        if extend and s < e:
            if direction > 0:
                i = step(bisect_right(ends, e), 1)
                if i is not None:
                    self.set(s, ends[i], scroll=True)
            else:
                i = step(bisect_left(ends, e) - 1, -1)
                if i is not None and ends[i] > s:
                    self.set(s, ends[i], scroll=True)
            return
        if direction > 0:
            i = bisect_left(starts, e) if s < e else bisect_right(ends, e)
            found = step(i, 1)
            if found is None:  # nothing further: the last one
                found = step(n - 1, -1)
        else:
            i = bisect_right(ends, s) - 1 if s < e else bisect_left(starts, s) - 1
            found = step(i, -1)
            if found is None:  # nothing before: the first one
                found = step(0, 1)
        if found is None:  # only punctuation in the document
            found = min(max(i, 0), n - 1)
        self.set(starts[found], ends[found], scroll=True)

    def find(self, needle: str, backwards: bool = False) -> bool:
        """Select the next (previous) occurrence of ``needle``, ignoring case, wrapping."""
        idx = self._state.index
        if idx is None or not needle:
            return False
        s, e = self.selection()
        hits = [(m.start(), m.end())
                for m in re.finditer(re.escape(needle), idx.text, re.IGNORECASE)]
        if not hits:
            return False
        if backwards:
            before = [h for h in hits if h[0] < s]
            pick = before[-1] if before else hits[-1]
        else:
            after = [h for h in hits if h[0] >= e] if s != e else [h for h in hits if h[0] >= s]
            pick = after[0] if after else hits[0]
        self.set(pick[0], pick[1], scroll=True)
        return True

    def scroll_to(self, cp: int, margin: float) -> None:
        """Scroll code point ``cp`` to a third of the height unless it is on screen with
        ``margin`` pixels (arcs above it, lanes below) to spare."""
        idx = self._state.index
        if idx is None:
            return
        c = QTextCursor(self._area.document())
        c.setPosition(idx.map.to_qt(cp))
        r = self._area.cursorRect(c)
        vp = self._area.viewport().rect()
        if r.top() - margin < 0 or r.bottom() + margin > vp.height():
            sb = self._area.verticalScrollBar()
            sb.setValue(sb.value() + r.top() - vp.height() // 3)



def _stepper(tokens: TokenIndex, every: bool) -> Callable[[int, int], int | None]:
    """``step(i, direction)``: the token nearest to index ``i`` in ``direction`` (``i``
    itself when it qualifies) that a move may stop on: any token (``every``) or a word token
    (``TokenIndex.is_word``); None past either end."""
    def step(i: int, direction: int) -> int | None:
        if i < 0 or i >= len(tokens):
            return None
        if every:
            return i
        return tokens.word_at_or_after(i) if direction > 0 else tokens.word_at_or_before(i)
    return step
