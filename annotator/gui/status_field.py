"""Status bar fields that never make the window lay itself out again.

A QLabel whose text changes asks its parent's layout to run again; in the status bar that is
the status bar's layout and then the main window's (every dock and the document view are
placed anew), on every label key (#10.16: the span count changes with each one). A label of
fixed size asks nothing (Qt skips the layout of a widget whose minimum and maximum sizes are
equal): ``set_field`` grows the field (once) when a text needs more room and never shrinks
it, so the fields beside it do not move while the user works.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from annotator.gui.plain_text import make_plain

PAD_PX = 8  # room beside the text, so that a slightly longer text does not grow the field


def status_field(name: str) -> QLabel:
    """An empty plain-text label of fixed size (names and document text are never markup)."""
    label = make_plain(QLabel(""))
    label.setObjectName(name)
    label.setFixedHeight(label.sizeHint().height())
    label.setFixedWidth(0)
    return label


def set_field(label: QLabel, text: str) -> None:
    """Show ``text`` in a field made by ``status_field``: nothing when it is shown already;
    the field grows when the text would not fit."""
    if text == label.text():
        return
    margins = label.contentsMargins()
    need = (label.fontMetrics().horizontalAdvance(text) + margins.left() + margins.right()
            + 2 * label.margin())
    if need > label.width():
        label.setFixedWidth(need + PAD_PX)
    label.setText(text)
