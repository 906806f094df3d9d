"""The window opens a project before its integrity check ends and says at once when the check
finds damage; an edit is refused and nothing is written (#10.16 with #9.4's promise)."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

import annotator
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press
from tests.store.test_damage import TEXT, page_of

pytestmark = pytest.mark.gui


def _damaged_project(tmp_path):
    path = tmp_path / "damaged.annproj"
    with annotator.create_project(path, annotator="ana") as proj:
        for i in range(60):
            doc = proj.add_document(f"Story {i}. " + TEXT * 30, name=f"story-{i:02d}")
            proj.add_span(doc.id, 0, 5, "PER")
    size, page = page_of(path, "document_content")
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(os.urandom(size))
    return path


def test_the_window_tells_of_damage_found_after_the_first_paint(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = _damaged_project(tmp_path)
    before = path.read_bytes()
    w = open_window(qtbot, path)
    try:
        assert w.project is not None and not w.project.read_only
        qtbot.waitUntil(lambda: w.integrity.box is not None and w.integrity.box.isVisible(),
                        timeout=15_000)
        text = w.integrity.box.text()
        assert "damaged" in text and "annotator export --format jsonl" in text
        assert "damaged" in w.windowTitle()
        w.integrity.box.close()
        w.view.text_area.setFocus()
        press(qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # a token selected
        press(qtbot, Qt.Key.Key_P)  # a label key: refused
        assert "damaged" in (w.ops.last_error or "")
    finally:
        w.close()
    assert path.read_bytes() == before


def test_a_sound_project_is_verified_and_edited_as_before(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = tmp_path / "sound.annproj"
    with annotator.create_project(path, annotator="ana") as proj:
        proj.add_document(TEXT, name="story")
    w = open_window(qtbot, path)
    try:
        qtbot.waitUntil(lambda: not w.integrity.watching, timeout=15_000)
        assert w.project.verified is True and w.integrity.box is None
        assert "damaged" not in w.windowTitle()
    finally:
        w.close()
