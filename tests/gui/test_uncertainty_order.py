"""The document list ordered by the trained model's uncertainty (issue #12): documents whose
model suggestions have the lowest score come first, documents without them last; next
document (Ctrl+PgDown) follows that order; a header click leaves it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

import annotator
from annotator.core.suggestions import Batch, SpanSuggestion
from annotator.gui.suggestions import MODEL_META
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press, small_project

K = Qt.Key
MODEL = "/models/trained/model-best"


@pytest.fixture
def window(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    with annotator.open_project(path, annotator="ana") as p:
        p.set_meta_value(MODEL_META, MODEL)
        for name, scores in (("alpha", (0.9, 0.95)), ("gamma", (0.4, 0.99))):
            doc = p.document_by_name(name)
            at = doc.text.index("NATO")
            p.put_suggestions(doc.id, MODEL, Batch(spans=[
                SpanSuggestion(0, 3, "PER", scores[0]), SpanSuggestion(at, at + 4, "ORG",
                                                                      scores[1])]))
        beta = p.document_by_name("beta")  # another source's scores do not count
        p.put_suggestions(beta.id, "other", Batch(spans=[SpanSuggestion(0, 6, "PER", 0.1)]))
    w = open_window(qtbot, path, annotator_name="ana", document="alpha")
    yield w
    if w.project is not None:
        w.close()


def names(w):
    return [w.project.document(d).name for d in w.doclist.visible_ids()]


def test_order_by_uncertainty_least_confident_first(window, qtbot):
    w = window
    assert names(w) == ["alpha", "beta", "gamma"]
    combo = w.doclist.order_combo
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    qtbot.keyClick(combo, K.Key_Down)  # Order: by uncertainty
    assert combo.currentData() == "uncertainty"
    assert names(w) == ["gamma", "alpha", "beta"]  # lowest score 0.4, then 0.9, then none
    w.view.setFocus()
    qtbot.waitUntil(w.view.hasFocus)
    press(qtbot, K.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # alpha -> beta
    assert w.project.document(w.current_doc).name == "beta"
    header = w.doclist.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionPosition(0) + 5, 5))  # the Name header
    assert combo.currentData() == ""  # sorted by name again
    assert names(w)[0] == "alpha"


def test_without_a_trained_model_the_order_stays_and_says_why(window, qtbot):
    w = window
    w.project.set_meta_value(MODEL_META, "")
    combo = w.doclist.order_combo
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    qtbot.keyClick(combo, K.Key_Down)
    assert combo.currentData() == "" and names(w) == ["alpha", "beta", "gamma"]
    assert "Train model" in w.statusBar().currentMessage()
