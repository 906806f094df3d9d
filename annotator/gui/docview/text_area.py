"""The read-only text widget of the document view.

A QTextEdit showing the document's plain text, selectable by mouse and keyboard, never
editable. It paints the view's layers around its own text and hands mouse, key, wheel (Ctrl:
zoom) and tooltip events to the handlers the view installs (``AreaHooks``); before they are
installed it behaves as a plain read-only QTextEdit.

The vertical scroll bar is always shown. Shown only as needed, it went away and came back on
every next-document step (the old text is cleared before the new one is laid out), and each
time the viewport changed width: Qt wrapped and laid out the whole document again and the
view dropped its geometry, twice a step (#10.16); a document that fits would also wrap
differently from one that does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import (
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from annotator.gui.docview.keys import KeyRouter
from annotator.gui.docview.layers import Layers
from annotator.gui.docview.mouse import MouseHandler


@dataclass(slots=True)
class AreaHooks:
    """What the text area hands its events to."""

    layers: Layers
    mouse: MouseHandler
    keys: KeyRouter
    tooltip: Callable[[QPoint], str]  # the tooltip at a viewport point ("" for none)
    rewrapped: Callable[[], None]  # the width changed: lines wrap anew
    zoom: Callable[[int], None]  # Ctrl+wheel: one point larger (+1) or smaller (-1)
    painted: Callable[[], None]  # the viewport was painted (with the document shown)


class TextArea(QTextEdit):
    """The read-only text widget; forwards input to the handlers in its ``AreaHooks``."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._hooks: AreaHooks | None = None
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAcceptRichText(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setTabChangesFocus(False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.viewport().setMouseTracking(True)

    def install(self, hooks: AreaHooks) -> None:
        """Hand events to ``hooks`` from now on."""
        self._hooks = hooks

    # ---- painting -------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        hooks = self._hooks
        blocks = hooks.layers.visible(event.rect()) if hooks is not None else None
        if hooks is None or blocks is None:
            super().paintEvent(event)
            return
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        hooks.layers.under(p, blocks)
        p.end()
        super().paintEvent(event)
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        hooks.layers.over(p, blocks)
        p.end()
        hooks.painted()

    def wheelEvent(self, e: QWheelEvent) -> None:
        if self._hooks is not None and e.modifiers() & Qt.KeyboardModifier.ControlModifier:
            # zoom through the view so lanes, labels and arcs follow the new font size
            self._hooks.zoom(1 if e.angleDelta().y() > 0 else -1)
            e.accept()
            return
        super().wheelEvent(e)

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self._hooks is not None and event.size().width() != event.oldSize().width():
            self._hooks.rewrapped()
        super().resizeEvent(event)

    # ---- keys -----------------------------------------------------------------------------
    def event(self, e: QEvent) -> bool:
        hooks = self._hooks
        if hooks is None or not isinstance(e, QKeyEvent):
            return super().event(e)
        t = e.type()
        if t == QEvent.Type.ShortcutOverride:
            if hooks.keys.wants(e):
                e.accept()
            else:
                e.ignore()
            return True
        if t == QEvent.Type.KeyPress and hooks.keys.handle(e):
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        hooks = self._hooks
        if hooks is None or hooks.keys.text_widget_takes(e):
            super().keyPressEvent(e)
            if hooks is not None:
                hooks.keys.after_text_key(e)

    def viewportEvent(self, e: QEvent) -> bool:
        if self._hooks is not None and isinstance(e, QHelpEvent) and \
                e.type() == QEvent.Type.ToolTip:
            tip = self._hooks.tooltip(e.pos())
            if tip:
                QToolTip.showText(e.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().viewportEvent(e)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        return False  # Tab/Shift+Tab move between spans, not out of the view

    # ---- mouse ----------------------------------------------------------------------------
    def mousePressEvent(self, e: QMouseEvent) -> None:
        if self._hooks is not None and e.button() == Qt.MouseButton.LeftButton and \
                self._hooks.mouse.press(e):
            return
        super().mousePressEvent(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if self._hooks is not None:
            self._hooks.mouse.move(e)
        super().mouseMoveEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        super().mouseReleaseEvent(e)
        if self._hooks is not None:
            self._hooks.mouse.release(e)

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:
        if self._hooks is None or e.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(e)
            return
        self._hooks.mouse.double_click(e)
