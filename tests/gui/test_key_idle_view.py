"""A label key repaints only the lines it changed and does not move the text the user selected
(#10.16: each key repainted the whole document view, and a word near the view's edge was
scrolled to a third of the height, repainting the view and its scroll bar)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QPaintEvent, QTextCursor
from PySide6.QtWidgets import QApplication

import annotator
from tests.conftest import word_offsets
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press, seed_project

K = Qt.Key


class Paints(QObject):
    """The rectangles painted in a widget."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if isinstance(event, QPaintEvent):
            self.rects.append(QRect(event.rect()))
        return False


def _settle(qtbot, w) -> None:
    qtbot.waitUntil(lambda: not w.inspector._pending and not w.panels.pending)
    if not w.view.layout_settled():
        w.view.settle_layout()
    for _ in range(3):
        QApplication.processEvents()


def _label(qtbot, w, start: int, end: int) -> tuple[list[QRect], int]:
    """Select [start, end), press the ORG key: the rectangles the text area painted for the
    key and the scroll position before it."""
    w.view.set_text_selection(start, end)
    _settle(qtbot, w)
    viewport = w.view.text_area.viewport()
    paints = Paints()
    bar = w.view.text_area.verticalScrollBar().value()
    viewport.installEventFilter(paints)
    try:
        press(qtbot, K.Key_O)
        _settle(qtbot, w)
    finally:
        viewport.removeEventFilter(paints)
    assert w.view.selected_annotation() is not None
    return paints.rects, bar


def test_a_label_key_repaints_only_the_changed_lines(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = seed_project(tmp_path)
    w = open_window(qtbot, path)
    w.resize(1200, 800)
    _settle(qtbot, w)
    # a span in the paragraph first (its lane makes room, moving the lines below it)
    _label(qtbot, w, *word_offsets(w.doc_text, "postponed"))
    rects, _ = _label(qtbot, w, *word_offsets(w.doc_text, "chiefs"))
    viewport = w.view.text_area.viewport()
    assert rects, "the key painted nothing"
    assert all(r != viewport.rect() for r in rects), rects  # never the whole view
    painted = QRect()
    for r in rects:
        painted = painted.united(r)
    assert painted.height() < viewport.height() // 2, (painted, viewport.rect())
    sel = w.view.selected_annotation()
    w.close()
    with annotator.open_project(path, annotator="ana") as again:
        assert again.span(sel[1]).label == "ORG"
        assert again.document(again.span(sel[1]).doc_id).text[
            again.span(sel[1]).start:again.span(sel[1]).end] == "chiefs"


def test_a_label_key_on_a_word_at_the_views_edge_does_not_move_the_text(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = seed_project(tmp_path)
    with annotator.open_project(path, annotator="ana") as p:  # every paragraph has its lane
        doc = p.documents()[0].id
        text = p.document(doc).text
        pos = 0
        for para in text.split("\n"):
            if para.strip():
                first = para.split()[0]
                p.add_span(doc, pos + para.index(first), pos + para.index(first) + len(first),
                           "ORG")
            pos += len(para) + 1
    w = open_window(qtbot, path)
    w.resize(900, 420)  # the article scrolls
    _settle(qtbot, w)
    area = w.view.text_area
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0, "the article must scroll for this test"
    text, vp = w.doc_text, area.viewport().rect()
    project = w.project
    index = project.token_index(w.current_doc)
    word = None
    for s, e in zip(index.starts, index.ends, strict=True):  # the first word below the view
        c = QTextCursor(area.document())
        c.setPosition(w.view.text_map.to_qt(s))
        if text[s].isalpha() and area.cursorRect(c).top() > vp.height() and \
                not w.view.spans_at(s):
            word = (s, e)
            break
    assert word is not None
    rects, before = _label(qtbot, w, *word)  # selecting it scrolls it in at the bottom edge
    assert bar.value() < bar.maximum()  # room to scroll further: the old code did
    assert bar.value() == before  # the text the user labelled stays under their eyes
    assert all(r != area.viewport().rect() for r in rects), rects
