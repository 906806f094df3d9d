"""A label key shows the new span in the inspector's span box in place (#10.16): the same
widgets, the new span's values, and every field acting on the new span, not the old one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QLineEdit

import annotator
from tests.conftest import word_offsets
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press, seed_project

K = Qt.Key




def test_label_keys_fill_the_same_span_box_and_its_fields_act_on_the_new_span(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = seed_project(tmp_path)
    w = open_window(qtbot, path)
    ids = []
    boxes = []
    for word in ("NATO", "Russia"):
        w.view.set_text_selection(*word_offsets(w.doc_text, word))
        qtbot.waitUntil(lambda: not w.inspector._pending)
        press(qtbot, K.Key_O)  # ORG
        qtbot.waitUntil(lambda: not w.inspector._pending)
        sel = w.view.selected_annotation()
        assert sel is not None and sel[0] == "span"
        ids.append(sel[1])
        box = w.inspector.widget().findChild(QGroupBox, "spanBox")
        assert box is not None and box.isVisible()
        boxes.append(box)
    assert boxes[0] is boxes[1]  # filled in place, not built anew
    inner = w.inspector.widget()
    assert inner.findChild(QLabel, "span_text").text() == "Russia"
    start, end = word_offsets(w.doc_text, "Russia")
    assert inner.findChild(QLabel, "span_kind").text() == f"entity   [{start}–{end}]"
    # a choice in the refilled box edits the span shown now, not the first one
    combo = inner.findChild(QComboBox, "span_attr_mention_type")
    combo.setCurrentIndex(combo.findData("PRO"))
    note = inner.findChild(QLineEdit, "span_note")
    note.setText("the country")
    note.editingFinished.emit()
    first, second = ids
    w.close()
    with annotator.open_project(path, annotator="ana") as again:
        assert again.span(second).attrs.get("mention_type") == "PRO"
        assert again.span(second).note == "the country"
        assert "mention_type" not in again.span(first).attrs
        assert again.span(first).note == ""
