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
