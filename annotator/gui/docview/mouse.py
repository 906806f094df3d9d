"""Mouse input of the document view: a click selects the arc label or span under it (a second
click on nested spans cycles through them), a drag selects text (snapped to tokens on
release, which the view signals with ``selectionSnapped``), a double click selects a token
(a word that is the span the first click selected keeps that span selected) or activates the
annotation under the label.

Works through the view's public methods, the hit tests and the text cursor.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from annotator.gui.docview.hits import HitTester
from annotator.gui.docview.selection import TextCursor

if TYPE_CHECKING:
    from annotator.gui.docview.view import DocumentView


class MouseHandler:
    """What the text area's mouse events do before (or instead of) the text widget's own."""

    def __init__(self, view: DocumentView, hits: HitTester, cursor: TextCursor) -> None:
        self._view = view
        self._hits = hits
        self._cursor = cursor
        self._press_pos: QPointF | None = None
        self._press_selected = False  # the press selected a span (a drag unselects it)
        self._last_click: tuple[QPointF, str] | None = None  # where, and the span it picked
        self._active_at = -1e9  # time.monotonic() of the last press, move or release

    def pointing_within(self, seconds: float) -> bool:
        """Whether the mouse moved or clicked over the text in the last ``seconds``."""
        return time.monotonic() - self._active_at < seconds

    def forget_click(self) -> None:
        """Another document: the next click on nested spans starts at the innermost."""
        self._last_click = None

    def press(self, e: QMouseEvent) -> bool:
        """A left press; True when it is consumed (the text widget must not see it)."""
        view = self._view
        pos = e.position()
        self._active_at = time.monotonic()
        self._press_pos = pos
        self._press_selected = False
        arc = self._hits.arc_at(pos)
        if arc is not None:
            view.select_annotation(arc[0], arc[1], scroll=False)
            e.accept()
            return True
        hits = self._hits.spans_hit(pos)
        if not hits:
            self._last_click = None
            view.clear_annotation_selection()
            return False
        ids = [sid for sid, _ in hits]
        pick = ids[0]
        last = self._last_click
        sel = view.selected_annotation()
        if last is not None and (last[0] - pos).manhattanLength() <= 4 and \
                sel is not None and sel[1] in ids:
            pick = ids[(ids.index(sel[1]) + 1) % len(ids)]
        self._last_click = (pos, pick)
        view.select_annotation("span", pick, scroll=False)
        self._press_selected = True
        if hits[ids.index(pick)][1] != "text":
            e.accept()
            return True
        return False

    def move(self, e: QMouseEvent) -> None:
        """A drag that starts on a span selects text, not the span under it."""
        self._active_at = time.monotonic()
        if e.buttons() & Qt.MouseButton.LeftButton and self._press_pos is not None and \
                (e.position() - self._press_pos).manhattanLength() >= \
                QApplication.startDragDistance() and self._press_selected:
            self._press_selected = False
            self._last_click = None
            self._view.clear_annotation_selection()

    def release(self, e: QMouseEvent) -> None:
        """After the text widget's own release: snap a mouse selection to tokens."""
        self._active_at = time.monotonic()
        self._press_pos = None
        if e.button() == Qt.MouseButton.LeftButton and self._view.snap_to_tokens:
            s, t = self._cursor.selection()
            if s != t:
                snapped = self._cursor.snap()
                if snapped is not None:  # the window says so in the status bar
                    self._view.selectionSnapped.emit(s, t, *snapped)

    def double_click(self, e: QMouseEvent) -> None:
        """A left double click: on a lane or label, activate the selection; on text, select
        the token under the mouse (the text widget's word selection never runs)."""
        view = self._view
        hits = self._hits.spans_hit(e.position())
        sel = view.selected_annotation()
        if hits and hits[0][1] != "text" and sel is not None:
            view.annotationActivated.emit(*sel)
            e.accept()
            return
        if view.text_map is None:
            return
        point = e.position().toPoint()
        span = view.shown_span(sel[1]) if sel is not None and sel[0] == "span" else None
        if span is not None and self._cursor.token_at(point) == (span.start, span.end):
            e.accept()  # the word is the span the first click selected: it stays selected
            return
        self._cursor.select_token_at(point)
        e.accept()
