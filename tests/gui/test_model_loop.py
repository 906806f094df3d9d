"""The model in the loop in the window (issue #12): after every N documents newly marked
done (Ctrl+D) the model is trained again in the background and its evaluation against the
done documents is shown; Train can be cancelled between spaCy steps, keeping the previous
model. Checked in the project file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPlainTextEdit, QPushButton

import annotator
from annotator.gui.suggestions import MODEL_META, suggestions_of
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press, small_project

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def window(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    with annotator.open_project(path, annotator="ana") as p:
        for name in ("alpha", "beta", "gamma"):
            doc = p.document_by_name(name)
            at = doc.text.index("NATO")
            p.add_span(doc.id, at, at + 4, "ORG")
    w = open_window(qtbot, path, annotator_name="ana", document="alpha")
    yield w
    runner = suggestions_of(w).runner
    if runner is not None and runner.running:
        runner.cancel()
        qtbot.waitUntil(lambda: runner.outcome != "", timeout=60_000)
    if w.project is not None:
        w.close()


def model_on_file(path):
    with annotator.open_project(path, readonly=True) as p:
        return p.meta_value(MODEL_META)


def test_retrain_after_every_two_done_documents_shows_the_evaluation(window, qtbot):
    w = window
    w.settings.retrain_every = 2
    actions = suggestions_of(w)
    actions.train_steps = 20
    press(qtbot, K.Key_D, CTRL)  # alpha done: one of two
    assert actions.runner is None
    press(qtbot, K.Key_PageDown, CTRL)
    press(qtbot, K.Key_D, CTRL)  # beta done: training starts in the background
    qtbot.waitUntil(lambda: actions.runner is not None, timeout=5_000)
    runner = actions.runner
    qtbot.waitUntil(lambda: runner.outcome != "", timeout=120_000)
    assert runner.outcome == "ok", runner.result
    model = model_on_file(w.project.path)
    assert model and "model" in model
    dialog = w.findChild(QDialog, "evaluationWindow")
    assert dialog is not None and dialog.isVisible()
    table = dialog.findChild(QPlainTextEdit, "evaluationText").toPlainText()
    assert "ORG" in table and "(overall)" in table and "2 document(s)" in table
    assert "F1" in actions.last_report


def test_train_is_cancelled_between_steps_and_keeps_no_new_model(window, qtbot):
    w = window
    p = w.project
    for name in ("alpha", "beta"):
        p.set_status(p.document_by_name(name).id, "done")
    actions = suggestions_of(w)
    actions.train_steps = 100_000
    press(qtbot, K.Key_M, CTRL | ALT)  # Annotate > Train model
    runner = actions.runner
    qtbot.waitUntil(lambda: "step" in runner.dialog.labelText(), timeout=120_000)
    button = runner.dialog.findChild(QPushButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the progress window's Cancel
    qtbot.waitUntil(lambda: runner.outcome != "", timeout=60_000)
    assert runner.outcome == "cancelled" and "step" in runner.result
    assert model_on_file(p.path) is None
