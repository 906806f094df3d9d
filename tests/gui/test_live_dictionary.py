"""The gold dictionary follows the annotator's edits in the window (issue #12): a text
labelled by keys is proposed in the other documents by a background job once the edits
pause, the document shown repaints it, and the setting (Annotate > Suggest from gold as I
work) turns it off. Checked in the project file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

import annotator
from annotator.gui.live_dictionary import live_dictionary_of
from annotator.gui.suggestions import suggestions_of
from tests.gui.helpers_mainwindow import press

K = Qt.Key


def suggested(path, name):
    """(text, label) of every open gold-dictionary suggestion of a document, on file."""
    with annotator.open_project(path, readonly=True) as p:
        doc = p.document_by_name(name)
        return sorted((doc.text[s.start:s.end], s.label) for s in p.spans(doc.id, "ana")
                      if s.status == "suggested" and s.source == "gold-dictionary")


@pytest.fixture
def window(alpha_window):
    return alpha_window


def test_a_labelled_text_is_proposed_in_every_document_in_the_background(window, qtbot):
    w = window
    path = w.project.path
    live = live_dictionary_of(w)
    assert live.action.isChecked()
    assert any(live.action in m.actions() for m in w.menuBar().findChildren(QMenu))
    press(qtbot, K.Key_U)  # Russia
    press(qtbot, K.Key_U)  # NATO
    press(qtbot, K.Key_O)  # labelled ORG: gold
    assert suggested(path, "beta") == []  # nothing waits for the dictionary
    qtbot.waitUntil(lambda: live.last is not None and not live.running, timeout=10_000)
    assert suggested(path, "beta") == [("NATO", "ORG")]
    assert suggested(path, "gamma") == [("NATO", "ORG")]
    assert suggested(path, "alpha") == [("NATO", "ORG")]  # the second NATO, shown too
    press(qtbot, K.Key_K)
    s = suggestions_of(w).selected()
    assert s is not None and s.label == "ORG" and w.doc_text[s.start:s.end] == "NATO"
    press(qtbot, K.Key_Y)  # accepted: a gold edit again, nothing new to propose
    qtbot.waitUntil(lambda: not live.running and not live.timer.isActive(), timeout=10_000)
    assert suggested(path, "alpha") == [] and suggested(path, "beta") == [("NATO", "ORG")]


def test_the_setting_turns_it_off(window, qtbot):
    w = window
    path = w.project.path
    live = live_dictionary_of(w)
    live.action.trigger()  # Annotate > Suggest from gold as I work: off
    assert not w.settings.live_dictionary
    press(qtbot, K.Key_U)
    press(qtbot, K.Key_G)  # Russia labelled GPE
    qtbot.wait(600)
    assert not live.running and live.last is None
    assert suggested(path, "alpha") == []


def test_many_documents_written_are_counted_by_the_job_for_the_document_list(
        window, qtbot, monkeypatch):
    """Past MANY_DOCUMENTS written documents the job reads the list's span counts itself (one
    query on its connection) and the list takes them in one reset."""
    import annotator.gui.live_dictionary as live_module

    monkeypatch.setattr(live_module, "MANY_DOCUMENTS", 0)
    w = window
    live = live_dictionary_of(w)
    beta = w.project.document_by_name("beta").id
    before = w.doclist.summary(beta).annotation_count
    press(qtbot, K.Key_U)  # Russia
    press(qtbot, K.Key_U)  # NATO
    press(qtbot, K.Key_O)
    qtbot.waitUntil(lambda: live.last is not None and not live.running, timeout=10_000)
    assert suggested(w.project.path, "beta") == [("NATO", "ORG")]
    assert w.doclist.summary(beta).annotation_count == before + 1 == len(
        w.project.spans(beta))
