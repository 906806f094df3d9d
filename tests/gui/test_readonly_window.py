"""A project open for writing in another process opens read-only in the GUI: it can be read,
every edit is refused with a clear message, and nothing reaches the file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import annotator
from tests.gui.helpers_mainwindow import isolate_settings, open_window, small_project

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def held_elsewhere(tmp_path):
    path = small_project(tmp_path)
    script = textwrap.dedent(f"""
        import sys, annotator
        p = annotator.open_project({str(path)!r}, annotator="other")
        print("ready", flush=True)
        sys.stdin.readline()
        p.close()
    """)
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=ROOT,
                              env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert holder.stdout.readline().strip() == "ready"
    yield path
    holder.communicate("\n", timeout=30)


def test_project_in_use_opens_read_only_and_refuses_edits(qtbot, tmp_path, held_elsewhere):
    isolate_settings(tmp_path)
    window = open_window(qtbot, held_elsewhere, document="alpha")
    assert window.project.readonly
    assert "read-only" in window.windowTitle()
    assert window.view.current_document() is not None  # the document is shown
    window.view.set_text_selection(0, 6)  # "Russia"
    window.apply_label("PER")
    assert "read-only" in window.last_error
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorBox"]
    assert boxes and "read-only" in boxes[-1].text()
    for box in boxes:
        box.close()
    window.close()
    with annotator.open_project(held_elsewhere, readonly=True) as project:
        doc = project.document_by_name("alpha")
        assert project.annotations(doc.id, None).spans == []
