"""Shared helpers of the document view tests: open a view offscreen, find a word, map code
points to Qt cursors and caret rectangles (through the view's public ``text_map``)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QTextCursor

from annotator.gui.docview import DocumentView


def open_doc_view(qtbot, project, doc_id: str, width: int = 700, height: int = 420, *,
                  all_arcs: bool = False) -> DocumentView:
    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(width, height)
    view.set_project(project)
    view.show_document(doc_id)
    view.show_all_arcs = all_arcs
    view.show()
    qtbot.waitExposed(view)
    return view


def word(text: str, w: str, n: int = 1) -> tuple[int, int]:
    """Code points [start, end) of the ``n``-th occurrence of ``w`` in ``text``."""
    i = -1
    for _ in range(n):
        i = text.index(w, i + 1)
    return i, i + len(w)


def qt_cursor(view: DocumentView, start: int, end: int | None = None) -> QTextCursor:
    """A cursor on the view's text at code point ``start`` (selecting up to ``end``)."""
    m = view.text_map
    assert m is not None
    c = QTextCursor(view.text_area.document())
    c.setPosition(m.to_qt(start))
    if end is not None:
        c.setPosition(m.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    return c


def caret_rect(view: DocumentView, cp: int) -> QRect:
    """Viewport rect of the caret before code point ``cp``."""
    return view.text_area.cursorRect(qt_cursor(view, cp))
