"""Settings persistence, background import (progress, cancel), export, screenshot, errors."""

from __future__ import annotations

import struct

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

import annotator
from annotator.gui import actions
from annotator.gui.keymap import KEYMAP, keymap_markdown
from tests.gui.helpers_mainwindow import (
    REPO,
    demo_project,
    isolate_settings,
    open_window,
    press,
    small_project,
)

pytestmark = pytest.mark.gui

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_settings_persist(qtbot, tmp_path, monkeypatch):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    from annotator.gui import main_window as mw
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

    # the annotator's name is asked once and remembered
    monkeypatch.setattr(mw, "ask_annotator_name", lambda parent, current="": "zoe")
    w = MainWindow(Settings())
    qtbot.addWidget(w)
    assert w.annotator_name == ""
    w.ensure_annotator_name()
    assert w.annotator_name == "zoe"
    w.open_project(path)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert w.project.annotator == "zoe"
    press(qtbot, K.Key_Plus, CTRL)
    press(qtbot, K.Key_Plus, CTRL)
    press(qtbot, K.Key_PageDown, CTRL)
    second = w.current_doc
    w.resize(720, 540)
    w.docks["problems"].hide()
    w.close()
    ini = QSettings("annotator", "annotator")
    assert ini.fileName().startswith(str(tmp_path))
    assert ini.value("annotator/name") == "zoe"

    monkeypatch.setattr(mw, "ask_annotator_name",
                        lambda *a, **k: pytest.fail("asked the name twice"))
    w2 = MainWindow(Settings())
    qtbot.addWidget(w2)
    w2.ensure_annotator_name()
    assert w2.annotator_name == "zoe"
    w2.open_project(path)
    w2.show()
    qtbot.waitExposed(w2)
    assert w2.view.font_point_size() == 14
    assert w2.current_doc == second  # last document of this project
    assert (w2.width(), w2.height()) == (720, 540)
    assert w2.docks["problems"].isHidden()
    assert str(path.resolve()) in Settings().recent_projects()
    actions.fill_recent(w2)
    assert any(a.text() == str(path.resolve()) for a in w2.recent_menu.actions())
    # --annotator overrides the remembered name
    w2.close()
    w3 = MainWindow(Settings(), annotator_name="override")
    qtbot.addWidget(w3)
    w3.open_project(path)
    assert w3.project.annotator == "override"
    w3.close()


def _write_texts(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"story-{i:03d}.txt").write_text(
            f"Story {i}. " + "NATO met Russia in Brussels on Monday. " * 20, encoding="utf-8")


def test_background_import_and_export(qtbot, tmp_path, monkeypatch):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    w = open_window(qtbot, path)
    from annotator.gui.live_dictionary import live_dictionary_of

    # its job after the label key would add suggestions and its own status message
    live_dictionary_of(w).set_enabled(False)
    folder = tmp_path / "in"
    _write_texts(folder, 20)
    runner = w.start_import([str(folder)])
    # the window stays usable while the worker runs: label something meanwhile
    w.activateWindow()
    w.view.setFocus()
    w.view.set_text_selection(0, 6)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and w.view.isAncestorOf(QApplication.focusWidget()))
    press(qtbot, K.Key_G)
    assert getattr(w, "last_error", "") == ""
    qtbot.waitUntil(lambda: runner.outcome != "", timeout=60_000)
    assert runner.outcome == "ok", runner.result
    assert len(w.doclist.model.docs) == 23
    assert len(w.project.spans(w.project.document_by_name("alpha").id)) == 1
    assert "Imported 20" in w.statusBar().currentMessage()
    # export every document as native JSONL in the background
    out = tmp_path / "out.jsonl"
    ex = w.start_export("jsonl", str(out), documents="all")
    qtbot.waitUntil(lambda: ex.outcome != "", timeout=60_000)
    assert ex.outcome == "ok", ex.result
    box = w.findChild(QMessageBox, "exportFinished")
    assert box is not None and "Exported 23 document(s)" in box.text()
    box.close()
    assert out.exists() and out.stat().st_size > 0
    # exporting over it asks first: No keeps the old file, Yes replaces it (#9.3)
    before = out.read_bytes()
    out.write_bytes(b"old export\n")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    assert w.start_export("jsonl", str(out), documents="all") is None
    assert out.read_bytes() == b"old export\n"
    again = w.start_export("jsonl", str(out), documents="all")
    qtbot.waitUntil(lambda: again.outcome != "", timeout=60_000)
    assert again.outcome == "ok", again.result
    assert out.read_bytes() == before and answers == []
    w.close()


def test_background_import_cancel_leaves_project_unchanged(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    w = open_window(qtbot, path)
    folder = tmp_path / "many"
    _write_texts(folder, 600)
    runner = w.start_import([str(folder)])
    # press Cancel on the progress dialog once it shows progress
    qtbot.waitUntil(lambda: runner.dialog.labelText() not in ("", "Importing documents…"))
    cancel = next(b for b in runner.dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner.outcome != "", timeout=60_000)
    assert runner.outcome == "cancelled"
    assert "nothing" in str(runner.result)
    assert len(w.doclist.model.docs) == 3
    w.close()
    p = annotator.open_project(path, readonly=True)
    assert p.document_count() == 3
    p.close()


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_screenshot(tmp_path):
    isolate_settings(tmp_path)
    path = demo_project(tmp_path)
    from annotator.gui.app import run_gui

    out = tmp_path / "shot.png"
    assert run_gui(str(path), document="russia-nato-meeting", screenshot=str(out),
                   annotator="ana", annotation_set="gold", show_all_arcs=True) == 0
    assert out.stat().st_size > 20_000
    assert _png_size(out) == (1440, 900)
    for w in QApplication.topLevelWidgets():
        w.close()


def test_keymap_table_and_docs():
    names = [k.name for k in KEYMAP]
    assert len(names) == len(set(names))
    # no key bound twice among window/document actions
    seen: dict[str, str] = {}
    for k in KEYMAP:
        if k.scope == "view" or k.name == "label_hotkey":
            continue
        for key in k.keys:
            assert key not in seen, f"{key} bound to {seen.get(key)} and {k.name}"
            seen[key] = k.name
    md = keymap_markdown()
    for k in KEYMAP:
        assert k.description in md
    doc = REPO / "docs" / "keyboard.md"
    assert doc.read_text(encoding="utf-8") == md, "regenerate docs/keyboard.md"


def test_drop_project_file_opens_it(qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    isolate_settings(tmp_path)
    first = small_project(tmp_path, "one.annproj")
    second = small_project(tmp_path, "two.annproj")
    w = open_window(qtbot, first)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(second))])
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                    Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    w.dropEvent(ev)
    assert w.project.path.name == "two.annproj"
    w.close()


def test_excepthook_shows_dialog(qtbot):
    from annotator.gui.app import _excepthook

    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        _excepthook(RuntimeError, exc, exc.__traceback__)
    boxes = [b for b in QApplication.topLevelWidgets() if b.inherits("QMessageBox")
             and b.isVisible()]
    assert any("boom" in b.text() for b in boxes)
    for b in boxes:
        b.close()


def test_a_damaged_page_read_while_working_is_explained(qtbot):
    """SQLite's 'malformed' on a read in the middle of work says what happened and the way
    out, not a bare exception name (#9.4/#9.15)."""
    import sqlite3

    from annotator.gui.app import _excepthook

    try:
        raise sqlite3.DatabaseError("database disk image is malformed")
    except sqlite3.DatabaseError as exc:
        _excepthook(type(exc), exc, exc.__traceback__)
    boxes = [b for b in QApplication.topLevelWidgets() if b.inherits("QMessageBox")
             and b.isVisible()]
    texts = [b.text() for b in boxes]
    assert any("project file is damaged" in t and "backup" in t for t in texts), texts
    assert not any("Traceback" in t for t in texts)
    for b in boxes:
        b.close()


def test_label_keys_never_collide_with_command_keys():
    from annotator.gui.keymap import label_shortcut

    assert label_shortcut("p") == "P"
    assert label_shortcut("e") == "Shift+E"  # news-basic's EVENT: E makes events
    assert label_shortcut("r") == "Shift+R"
    assert label_shortcut("3") == "Shift+3"  # digits fill roles
    assert label_shortcut("") == ""


def test_dark_and_light_palettes(qtbot, monkeypatch):
    from PySide6.QtGui import QPalette

    from annotator.gui import theme

    app = QApplication.instance()
    monkeypatch.setattr(theme, "is_dark", lambda: True)
    theme.apply_theme(app)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert theme.error_color().name() == theme.ERROR_COLOR["dark"].lower()
    monkeypatch.setattr(theme, "is_dark", lambda: False)
    theme.apply_theme(app)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 180


def test_undo_of_event_releases_it(qtbot, tmp_path):
    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path))
    m = w.doc_text.index(" met ") + 1
    w.view.set_text_selection(m, m + 3)
    press(qtbot, K.Key_E)
    qtbot.waitUntil(lambda: w.popup is not None)
    press(qtbot, K.Key_1)  # Attack
    assert w.event_id is not None
    # the trigger cannot be relabelled as an entity by a label key
    w.view.select_annotation("span", w.project.event(w.event_id).trigger_id)
    press(qtbot, K.Key_P)
    assert w.project.event(w.event_id).type == "Attack"
    press(qtbot, K.Key_Z, CTRL)
    assert w.event_id is None
    press(qtbot, K.Key_1)  # no current event: a message, no error box
    assert getattr(w, "last_error", "") == ""
    w.close()


def test_import_native_jsonl_with_annotations(qtbot, tmp_path):
    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path))
    runner = w.start_import([str(REPO / "sample_projects" / "news-demo" /
                                 "seed-annotations.jsonl")])
    qtbot.waitUntil(lambda: runner.outcome != "", timeout=60_000)
    assert runner.outcome == "ok", runner.result
    assert [d.name for d in w.doclist.model.docs][-1] == "russia-nato-meeting"
    doc_id = w.doclist.model.docs[-1].id
    assert len(w.project.annotations(doc_id, "gold").events) == 10
    w.close()


def test_fill_from_selection_button(qtbot, tmp_path):
    from PySide6.QtWidgets import QToolButton

    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path))
    p = w.project
    m = w.doc_text.index(" met ") + 1
    ev = p.add_trigger_event(w.current_doc, m, m + 3, "Meet")
    russia = p.add_span(w.current_doc, 0, 6, "GPE")
    w.view.select_annotation("event", ev.id)
    assert w.event_id == ev.id
    w.view.select_annotation("span", russia.id)
    w.inspector.rebuild_now()
    assert w.inspector.flagged == ["Entity"]  # "+" cardinality, empty
    button = w.inspector.widget().findChild(QToolButton, "cur_event_fill_Entity")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert [a.filler_id for a in p.event(ev.id).arguments] == [russia.id]
    w.inspector.rebuild_now()
    assert w.inspector.flagged == []
    remove = w.inspector.widget().findChild(QToolButton, "cur_event_remove_Entity")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)  # clear the filler
    assert p.event(ev.id).arguments == []
    w.close()


def test_export_dialog_values(qtbot, tmp_path):
    from annotator.formats.registry import EXPORTERS, FORMAT_HELP
    from annotator.gui.dialogs import ExportDialog

    dlg = ExportDialog(None, {k: FORMAT_HELP.get(k, "") for k in EXPORTERS}, ["ana", "gold"],
                       str(tmp_path))
    qtbot.addWidget(dlg)
    assert [dlg.format.itemData(i) for i in range(dlg.format.count())] == list(EXPORTERS)
    dlg.format.setCurrentIndex(list(EXPORTERS).index("conll"))
    dlg.all_docs.setChecked(True)
    dlg.split.setText("0.8,0.1,0.1")
    dlg.set_combo.setCurrentIndex(2)
    dlg.out.setText(str(tmp_path / "x"))
    assert dlg.values() == ("conll", str(tmp_path / "x"), "all", "0.8,0.1,0.1", "gold")


def test_import_folder_action_runs_the_cli_pipeline(qtbot, tmp_path, monkeypatch):
    """File > Import a folder reads what `annotator import --skip-bad` reads (the .jsonl in a
    folder too), skips the bad file, and shows the report the CLI prints."""
    import subprocess
    import sys

    from annotator.gui import io_actions

    isolate_settings(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.jsonl").write_text(
        '{"text": "NATO met Russia in Brussels.", "name": "one"}\n'
        '{"text": "Georgia said no.", "name": "two"}\n', encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"text": "ok", "name": "ok"}\n{not json\n',
                                         encoding="utf-8")
    (folder / "story.txt").write_text("A plain story about Kyiv.\n", encoding="utf-8")
    cli_path = small_project(tmp_path, "cli.annproj")
    cli = subprocess.run([sys.executable, "-m", "annotator", "import", str(cli_path),
                          str(folder), "--skip-bad"], capture_output=True, text=True,
                         cwd=REPO, check=True)
    w = open_window(qtbot, small_project(tmp_path))
    monkeypatch.setattr(io_actions.QFileDialog, "getExistingDirectory",
                        lambda *a, **k: str(folder))
    w.actions_["import_folder"].trigger()
    qtbot.waitUntil(lambda: w.findChild(QMessageBox, "importFinished") is not None,
                    timeout=60_000)
    box = w.findChild(QMessageBox, "importFinished")
    assert box.text().splitlines() == cli.stdout.splitlines()
    assert "skipped 1 bad file(s)" in box.text() and "broken.jsonl:2" in box.text()
    assert "Imported 3 document(s)" in w.statusBar().currentMessage()
    assert len(w.doclist.model.docs) == 6
    box.close()
    path = w.project.path
    w.close()
    with annotator.open_project(path, readonly=True) as p:
        names = {d.name for d in p.documents()}
        assert {"one", "two", "story"} <= names and "ok" not in names
        assert p.document_count() == 6
