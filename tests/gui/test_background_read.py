"""The document list's background count ends without blocking the window (#10.16).

Opening a project with 100,000 spans took 33 s in the real window: after the count arrived the
GUI thread waited its whole 30 s timeout for the worker thread, whose quit was queued to the
very thread that waited.
"""

from __future__ import annotations

import pytest

import annotator
from annotator.gui.workers import BackgroundRead

pytestmark = pytest.mark.gui


def test_stop_after_the_result_ends_the_thread_at_once(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QObject

    monkeypatch.setattr(BackgroundRead, "STOP_TIMEOUT_MS", 2_000)
    with annotator.create_project(tmp_path / "p.annproj", annotator="ana") as project:
        project.add_document("Rebels attacked Kabul.", name="kabul")
        parent = QObject()
        read = BackgroundRead(parent, project, lambda worker: len(worker.document_ids()))
        with qtbot.waitSignal(read.done, timeout=10_000) as blocker:
            read.start()
        assert blocker.args == [1]
        read.stop()  # what the document list does when the count arrives
        assert read.worker_thread.isFinished()


def test_a_large_document_is_checked_off_the_gui_thread(qtbot, tmp_path, monkeypatch):
    """The problems of a document with many spans are validated on a worker connection
    (#9.15: 100,000 spans took seconds on the GUI thread before the first paint); an edit made
    while the check runs is checked again, so the panel ends up true to the last edit."""
    import threading

    from annotator.core.project import Project
    from annotator.gui import panels
    from tests.gui.helpers_mainwindow import isolate_settings, open_window

    isolate_settings(tmp_path)
    monkeypatch.setattr(panels, "BACKGROUND_CHECK_SPANS", 2)
    checked_on: list[bool] = []
    problems = Project.problems

    def recording(self, doc_id):
        checked_on.append(threading.current_thread() is threading.main_thread())
        return problems(self, doc_id)

    monkeypatch.setattr(Project, "problems", recording)
    path = tmp_path / "big.annproj"
    with annotator.create_project(path, annotator="ana") as p:
        doc = p.add_document("Rebels attacked Kabul on Monday near Herat.", name="kabul")
        for start, end in ((0, 6), (16, 21), (37, 42)):
            p.add_span(doc.id, start, end, "GPE")
        event = p.add_trigger_event(doc.id, 7, 15, "Conflict.Attack")
        monday = p.add_span(doc.id, 25, 31, "TIME")
        p.add_argument(event.id, "Attacker", monday.id)  # a wrong filler: one problem
    w = open_window(qtbot, path)
    try:
        qtbot.waitUntil(lambda: not w.panels.checking and bool(w.problems_panel.problems),
                        timeout=10_000)
        assert checked_on and not any(checked_on)  # validated on worker threads only
        assert [x.code for x in w.problems_panel.problems] == ["wrong-filler"]
        w.project.add_argument(event.id, "Target", monday.id)  # a second wrong filler
        qtbot.waitUntil(lambda: not w.panels.pending and not w.panels.checking, timeout=10_000)
        assert [x.code for x in w.problems_panel.problems] == ["wrong-filler"] * 2
        assert checked_on.count(False) >= 2  # the open and the edits, on workers
    finally:
        w.close()
