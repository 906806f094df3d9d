"""A label key after a text selection shows the new span in the inspector without laying the
inspector out again (#10.16): the span box and the hint share one room, so the key shows,
hides, moves and resizes no widget of the inspector, and the box is painted once."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QGroupBox, QLabel, QWidget

import annotator
from tests.conftest import word_offsets
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press, seed_project

K = Qt.Key
WATCHED = (QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.Move, QEvent.Type.Resize,
           QEvent.Type.Paint)


class InspectorEvents(QObject):
    """Counts show/hide/move/resize/paint events of the inspector's widgets."""

    def __init__(self, inspector: QWidget) -> None:
        super().__init__()
        self.inspector = inspector
        self.seen: Counter[tuple[str, str]] = Counter()
        self.full_paints: Counter[str] = Counter()  # paints of a widget's whole rectangle

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in WATCHED and isinstance(obj, QWidget) \
                and self.inspector.isAncestorOf(obj):
            name = obj.objectName() or type(obj).__name__
            self.seen[(event.type().name, name)] += 1
            if isinstance(event, QPaintEvent) and event.rect() == obj.rect():
                self.full_paints[name] += 1
        return False


def _settle(qtbot, w) -> None:
    qtbot.waitUntil(lambda: not w.inspector._pending and not w.panels.pending)
    for _ in range(3):
        QApplication.processEvents()


def _on_top(page: QWidget) -> QWidget | None:
    """The page (span box or hint) seen at the top left of the span page."""
    hit = page.childAt(QPoint(4, 4))
    while hit is not None and hit.parentWidget() is not page:
        hit = hit.parentWidget()
    return hit


def test_a_label_key_after_a_text_selection_lays_out_nothing_in_the_inspector(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = seed_project(tmp_path)
    w = open_window(qtbot, path)
    w.view.set_text_selection(*word_offsets(w.doc_text, "NATO"))
    _settle(qtbot, w)
    press(qtbot, K.Key_O)  # ORG: the inspector builds its span box
    _settle(qtbot, w)
    inner = w.inspector.widget()
    box = inner.findChild(QGroupBox, "spanBox")
    page = inner.findChild(QWidget, "spanPage")
    assert box is not None and page is not None
    w.view.set_text_selection(*word_offsets(w.doc_text, "Russia"))  # the span unselected
    _settle(qtbot, w)
    hint = inner.findChild(QLabel, "inspectorHint")
    assert hint is not None and _on_top(page) is hint  # the hint shows in the box's room
    assert [f for f in box.findChildren(QWidget)  # the box under it takes no focus
            if f.focusPolicy() != Qt.FocusPolicy.NoFocus] == []
    watch = InspectorEvents(w.inspector)
    QApplication.instance().installEventFilter(watch)
    try:
        press(qtbot, K.Key_O)
        _settle(qtbot, w)
    finally:
        QApplication.instance().removeEventFilter(watch)
    assert w.inspector.widget() is inner and inner.findChild(QGroupBox, "spanBox") is box
    assert _on_top(page) is box and box.isEnabled()
    label = inner.findChild(QWidget, "span_label")
    assert label is not None and label.focusPolicy() != Qt.FocusPolicy.NoFocus  # usable again
    relaid = {k: n for k, n in watch.seen.items() if k[0] in ("Show", "Hide", "Move", "Resize")}
    assert relaid == {}, relaid  # nothing shown, hidden, moved or resized
    assert watch.full_paints["spanBox"] == 1, watch.full_paints  # the box painted once
    assert inner.findChild(QLabel, "span_text").text() == "Russia"
    sel = w.view.selected_annotation()
    assert sel is not None and sel[0] == "span"
    w.close()
    with annotator.open_project(path, annotator="ana") as again:
        assert again.span(sel[1]).label == "ORG"
