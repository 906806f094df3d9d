"""Stepping through documents writes the settings once the user stays, not at every step
(#10.16): a settings write rewrites the file and syncs it to disk on the GUI thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import annotator
from annotator.core.inputs import DocumentInput
from annotator.gui import first_document
from annotator.gui.settings import Settings
from tests.gui.helpers_mainwindow import TEST_SCHEMA, isolate_settings, open_window, press

pytestmark = pytest.mark.gui

NEXT = Qt.Key.Key_PageDown
CTRL = Qt.KeyboardModifier.ControlModifier


def six_documents(tmp_path):
    path = tmp_path / "six.annproj"
    schema = tmp_path / "schema.toml"
    schema.write_text(TEST_SCHEMA, encoding="utf-8")
    p = annotator.create_project(path, schema=schema, annotator="ana")
    p.add_documents([DocumentInput(text=f"Story {i}: NATO met Russia in Brussels.",
                                   name=f"story-{i}") for i in range(6)])
    p.close()
    return path


def test_steps_write_the_last_document_once_the_user_stays(qtbot, tmp_path, monkeypatch):
    isolate_settings(tmp_path)
    monkeypatch.setattr(first_document, "REMEMBER_AFTER_MS", 200)
    writes: list[str] = []
    real = Settings.set_last_document
    monkeypatch.setattr(Settings, "set_last_document",
                        lambda self, path, doc_id: (writes.append(doc_id),
                                                    real(self, path, doc_id)))
    path = six_documents(tmp_path)
    w = open_window(qtbot, path)
    qtbot.waitUntil(lambda: not w.last_document.pending)  # the first document, once
    writes.clear()
    for _ in range(4):
        press(qtbot, NEXT, CTRL)
    shown = w.current_doc
    assert w.doclist.model.row_of(shown) == 4  # four steps were taken
    assert writes == []  # no settings write (nor disk sync) while stepping
    qtbot.waitUntil(lambda: writes == [shown])  # the one stayed on, written once
    press(qtbot, NEXT, CTRL)  # one more step, then the window closes at once
    last = w.current_doc
    w.close()
    assert writes == [shown, last]  # closing writes what was still pending
    again = open_window(qtbot, path)
    assert again.current_doc == last
    again.close()
