"""The window's live gold dictionary job starts on the edit and waits for the user's pause
(issue #12): an edit made while it waits goes in the same job, one made while it works goes
in the next one, and closing the window while it waits stops it before it writes anything.
Driven by keys, checked in the project file."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

import annotator
import annotator.gui.foreground as foreground
from annotator.gui.live_dictionary import LiveDictionary, live_dictionary_of
from tests.gui.helpers_mainwindow import press

K = Qt.Key


def suggested(path):
    """(document, text, label) of every open gold-dictionary suggestion, on file."""
    with annotator.open_project(path, readonly=True) as p:
        out = []
        for doc_id in p.document_ids():
            doc = p.document(doc_id)
            out += [(doc.name, doc.text[s.start:s.end], s.label) for s in p.spans(doc_id, "ana")
                    if s.status == "suggested" and s.source == "gold-dictionary"]
        return sorted(out)


@pytest.fixture
def window(alpha_window):
    return alpha_window


@pytest.fixture
def jobs(monkeypatch):
    """The documents each job took as it started its work, one list per job."""
    taken: list[list[str]] = []
    take = LiveDictionary._take

    def spy(self):
        ids = take(self)
        taken.append(ids)
        return ids

    monkeypatch.setattr(LiveDictionary, "_take", spy)
    return taken


def test_an_edit_while_the_job_waits_for_the_pause_goes_in_the_same_job(
        window, qtbot, monkeypatch, jobs):
    monkeypatch.setattr(foreground, "QUIET_S", 2.0)  # the user's pause: long, for the test
    monkeypatch.setattr(foreground, "MAX_WAIT_S", 30.0)
    w = window
    live = live_dictionary_of(w)
    press(qtbot, K.Key_U)  # Russia
    press(qtbot, K.Key_U)  # NATO
    press(qtbot, K.Key_O)  # ORG
    qtbot.waitUntil(lambda: live.running, timeout=10_000)  # started, waiting for the pause
    press(qtbot, K.Key_U)  # Brussels
    press(qtbot, K.Key_G)  # GPE
    qtbot.waitUntil(lambda: live.last is not None and not live.running
                    and not live.timer.isActive(), timeout=30_000)
    alpha = w.project.document_by_name("alpha").id
    assert jobs == [[alpha]]  # one job took both edits
    assert suggested(w.project.path) == [
        ("alpha", "NATO", "ORG"), ("beta", "NATO", "ORG"), ("gamma", "Brussels", "GPE"),
        ("gamma", "NATO", "ORG")]
    assert live.last.added == 4


def test_an_edit_while_the_job_works_goes_in_the_next_job(window, qtbot, monkeypatch, jobs):
    from annotator.nlp.live_gold import LiveGold

    real = LiveGold.refresh
    reached, release = threading.Event(), threading.Event()

    def refresh(self, *args, **kwargs):  # the first job holds on at its end
        report = real(self, *args, **kwargs)
        if not reached.is_set():
            reached.set()
            release.wait(20)
        return report

    monkeypatch.setattr(LiveGold, "refresh", refresh)
    w = window
    live = live_dictionary_of(w)
    press(qtbot, K.Key_U)
    press(qtbot, K.Key_U)
    press(qtbot, K.Key_O)  # NATO: ORG
    qtbot.waitUntil(reached.is_set, timeout=10_000)
    press(qtbot, K.Key_U)  # Brussels, while the job works
    press(qtbot, K.Key_G)
    release.set()
    qtbot.waitUntil(lambda: len(jobs) == 2 and not live.running
                    and not live.timer.isActive(), timeout=20_000)
    alpha = w.project.document_by_name("alpha").id
    assert jobs == [[alpha], [alpha]]
    assert ("gamma", "Brussels", "GPE") in suggested(w.project.path)


def test_closing_the_window_while_the_job_waits_writes_nothing(window, qtbot, monkeypatch,
                                                                 jobs):
    monkeypatch.setattr(foreground, "QUIET_S", 30.0)  # the user never pauses
    w = window
    path = w.project.path
    live = live_dictionary_of(w)
    press(qtbot, K.Key_U)
    press(qtbot, K.Key_U)
    press(qtbot, K.Key_O)
    qtbot.waitUntil(lambda: live.running, timeout=10_000)
    w.close()  # stops the job at its next step: after at most MAX_WAIT_S of waiting
    assert not live.running and jobs == []
    assert suggested(path) == []
    with annotator.open_project(path, readonly=True) as p:
        alpha = p.document_by_name("alpha")
        assert [(alpha.text[s.start:s.end], s.status) for s in p.spans(alpha.id, "ana")] == [
            ("NATO", "gold")]
