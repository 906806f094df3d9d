"""Key routing of the document view: which keys the view keeps and what they do.

The view takes Tab/Shift+Tab (next/previous span), Alt+arrows (word token moves, jumping over
punctuation), Alt+. / Alt+, (moves by every token), plain and Shift navigation keys and Escape
(when there is something to clear or go back from) before the window's shortcuts;
letters, digits, Delete and Enter go on to the window's actions, so label keys work while the
text has focus. Works through the view's public methods only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from annotator.gui.docview.selection import TextCursor

if TYPE_CHECKING:
    from annotator.gui.docview.view import DocumentView

NAV_KEYS = {
    Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home,
    Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
}
MODS = (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier)
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier
_NOMOD = Qt.KeyboardModifier.NoModifier
_TABS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
_SIDEWAYS = (Qt.Key.Key_Left, Qt.Key.Key_Right)
# Alt+. / Alt+,: the next / previous token, punctuation included (every Shift/Ctrl/Alt
# combination of the arrows is taken, and Meta+arrows are the desktop's on every platform)
_EVERY = (Qt.Key.Key_Period, Qt.Key.Key_Comma)  # next, previous


class KeyRouter:
    """Decides, for the text area, which keys the view handles and handles them."""

    def __init__(self, view: DocumentView, cursor: TextCursor) -> None:
        self._view = view
        self._cursor = cursor

    def wants(self, e: QKeyEvent) -> bool:
        """Should the view take this key before the window's shortcuts (ShortcutOverride)?"""
        key, mods = e.key(), e.modifiers() & MODS
        if key in _TABS and mods in (_NOMOD, _SHIFT):
            return True
        if key in _SIDEWAYS and mods in (_ALT, _ALT | _SHIFT):
            return True
        if key in _EVERY and mods == _ALT:
            return True
        if key in NAV_KEYS and mods in (_NOMOD, _SHIFT):
            return True
        if key == Qt.Key.Key_Escape and mods == _NOMOD:
            s, t = self._view.text_selection()
            return self._view.selected_annotation() is not None or s != t
        return False

    def handle(self, e: QKeyEvent) -> bool:
        """Keys with a view-specific meaning; True when handled."""
        key, mods = e.key(), e.modifiers() & MODS
        view = self._view
        if key in _TABS and mods in (_NOMOD, _SHIFT):
            view.select_next_span(backwards=key == Qt.Key.Key_Backtab or mods == _SHIFT)
            e.accept()
            return True
        if key in _SIDEWAYS and mods in (_ALT, _ALT | _SHIFT):
            view.move_token_selection(1 if key == Qt.Key.Key_Right else -1,
                                      extend=bool(mods & _SHIFT))
            e.accept()
            return True
        if key in _EVERY and mods == _ALT:
            view.move_token_selection(1 if key == Qt.Key.Key_Period else -1, every=True)
            e.accept()
            return True
        if key == Qt.Key.Key_Escape and mods == _NOMOD:
            if view.back_to_arc_origin():  # an arc reached by a key: back to its span
                e.accept()
                return True
            if view.selected_annotation() is not None:
                view.clear_annotation_selection()
                e.accept()
                return True
            s, t = view.text_selection()
            if s != t:
                self._cursor.clear()
                e.accept()
                return True
            e.ignore()
            return False
        return False

    def after_text_key(self, e: QKeyEvent) -> None:
        """After the text widget handled a key: a selection made with Shift+arrows (or
        Shift+Home/End ...) is character-precise, so snapping must leave it alone."""
        if e.key() in NAV_KEYS and e.modifiers() & _SHIFT:
            self._cursor.mark_precise()

    def text_widget_takes(self, e: QKeyEvent) -> bool:
        """For a key press no shortcut took: True when the text widget's own handling should
        run (navigation, copy, select all); Enter activates the selected annotation; anything
        else is ignored, so that it reaches the window's actions."""
        key, mods = e.key(), e.modifiers() & MODS
        if key in NAV_KEYS and mods in (_NOMOD, _SHIFT, _CTRL, _SHIFT | _CTRL):
            return True
        if e.matches(QKeySequence.StandardKey.Copy) or e.matches(
                QKeySequence.StandardKey.SelectAll):
            return True  # only reached when no window shortcut took the key
        sel = self._view.selected_annotation()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods == _NOMOD and sel is not None:
            self._view.annotationActivated.emit(*sel)
            e.accept()
            return False
        e.ignore()  # letters, digits, Delete, Enter ...: the window's actions get them
        return False
