"""A newcomer's first minutes, driven as a person would: the demo shows its gold annotations
with a banner (#10.2), the name is asked in the shown window once (#10.3), and a text file
opens as an offer to make a project (#10.5)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QPushButton

import annotator
from tests.gui.helpers_mainwindow import (
    demo_project,
    isolate_settings,
    press,
    seed_text,
    type_text,
)

pytestmark = pytest.mark.gui

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def start(qtbot, path=None, **kw):
    from annotator.gui.app import start_window

    w = start_window(str(path) if path else None, **kw)
    qtbot.addWidget(w)
    qtbot.waitExposed(w)
    return w


# ---- #10.2 ------------------------------------------------------------------------------
def test_demo_opens_showing_gold_with_a_banner_to_start_ones_own_set(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = demo_project(tmp_path)
    w = start(qtbot, path, annotator="newbie", document="russia-nato-meeting")
    hint = w.set_hint
    qtbot.waitUntil(hint.isVisible)  # the sets are read after the first paint
    assert w.edit_set() == "gold"
    assert len(w.view.shown_spans()) > 20  # the annotations are visible
    assert "set: gold" in w.status_annotator.text()
    assert "gold" in hint.text.text() and "'newbie'" in hint.text.text()
    assert not w.findChildren(QInputDialog)  # told, not asked: nothing modal
    w.view.setFocus()
    qtbot.waitUntil(lambda: w.view.isAncestorOf(QApplication.focusWidget()))
    own = hint.findChild(QPushButton, "setHintOwn")
    qtbot.mouseClick(own, Qt.MouseButton.LeftButton)
    assert not hint.isVisible()
    assert w.edit_set() == "newbie"
    assert len(w.view.shown_spans()) == 0
    assert w.view.isAncestorOf(QApplication.focusWidget())  # the banner never took the keys
    w.close()
    # the choice is the user's now: reopening shows their (still empty) set with the banner
    # again, never a set they did not ask for without saying so
    w2 = start(qtbot, path, annotator="newbie", document="russia-nato-meeting")
    qtbot.waitUntil(w2.set_hint.isVisible)
    assert w2.edit_set() == "gold"
    w2.close()


def test_a_user_with_annotations_sees_their_own_set_and_no_banner(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = demo_project(tmp_path)
    w = start(qtbot, path, annotator="gold", document="russia-nato-meeting")
    qtbot.waitUntil(lambda: w.set_hint._reading is None)  # the sets were read
    assert w.edit_set() == "gold" and not w.set_hint.isVisible()
    w.close()
    w = start(qtbot, path, annotator="newbie", annotation_set="newbie")
    assert w.edit_set() == "newbie" and not w.set_hint.isVisible()  # asked for explicitly
    w.close()


# ---- #10.3 ------------------------------------------------------------------------------
def test_name_is_asked_in_the_shown_window_prefilled_and_only_once(qtbot, tmp_path,
                                                                  monkeypatch):
    from annotator.gui.first_start import login_name

    isolate_settings(tmp_path)
    path = demo_project(tmp_path)
    w = start(qtbot, path, document="russia-nato-meeting")
    dlg = w.findChild(QInputDialog, "annotatorNameDialog")
    assert dlg is not None and dlg.isVisible()
    assert w.isVisible() and dlg.parent() is w  # in the window, not before it
    assert dlg.textValue() == login_name()
    qtbot.waitUntil(lambda: dlg.isAncestorOf(QApplication.focusWidget()))
    press(qtbot, K.Key_A, CTRL)
    type_text(qtbot, "Zoe K")
    press(qtbot, K.Key_Return)
    qtbot.waitUntil(lambda: w.annotator_name == "Zoe K")
    assert w.project.annotator == "Zoe K"
    assert QSettings("annotator", "annotator").value("annotator/name") == "Zoe K"
    w.close()
    w2 = start(qtbot, path)
    assert w2.findChild(QInputDialog, "annotatorNameDialog") is None
    assert w2.annotator_name == "Zoe K"
    w2.close()


def test_cancelled_name_question_keeps_the_login_name_and_is_not_asked_again(qtbot, tmp_path):
    from annotator.gui.first_start import login_name

    isolate_settings(tmp_path)
    w = start(qtbot)
    dlg = w.findChild(QInputDialog, "annotatorNameDialog")
    qtbot.waitUntil(lambda: dlg.isAncestorOf(QApplication.focusWidget()))
    press(qtbot, K.Key_Escape)
    qtbot.waitUntil(lambda: w.annotator_name == login_name())
    w.close()
    w2 = start(qtbot)
    assert w2.findChild(QInputDialog, "annotatorNameDialog") is None
    w2.close()


# ---- #10.5 ------------------------------------------------------------------------------
def test_a_text_file_opens_as_an_offer_to_create_a_project_and_import_it(qtbot, tmp_path):
    from annotator.gui.text_open import NewProjectForFile

    isolate_settings(tmp_path)
    folder = tmp_path / "articles"
    folder.mkdir()
    seed = folder / "seed.txt"
    seed.write_bytes(seed_text().encode("utf-8"))
    w = start(qtbot, seed, annotator="ana")
    dlg = w.findChild(NewProjectForFile, "newProjectForFile")
    assert dlg is not None and dlg.isVisible()
    assert dlg.path_edit.text() == str(folder / "seed.annproj")  # beside it by default
    assert sorted(p.name for p in folder.iterdir()) == ["seed.txt"]  # nothing written yet
    qtbot.mouseClick(dlg.findChild(QPushButton, "createProject"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.project is not None and w.current_doc is not None,
                    timeout=30_000)
    assert w.doc_text == seed_text()
    w.close()
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["seed.annproj", "seed.txt"], left  # no lock or journal files remain
    p = annotator.open_project(folder / "seed.annproj", readonly=True)
    assert [d.name for d in p.documents()] == ["seed"]
    p.close()


def test_cancelling_the_offer_writes_nothing(qtbot, tmp_path):
    from annotator.gui.text_open import NewProjectForFile

    isolate_settings(tmp_path)
    seed = tmp_path / "note.txt"
    seed.write_text("Russia said NATO met.", encoding="utf-8")
    w = start(qtbot, seed, annotator="ana")
    dlg = w.findChild(NewProjectForFile, "newProjectForFile")
    qtbot.waitUntil(lambda: dlg.isAncestorOf(QApplication.focusWidget()))
    press(qtbot, K.Key_Escape)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert w.project is None
    w.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["note.txt"]


def test_the_inspector_of_a_window_opened_on_a_project_shows_the_hint(qtbot, tmp_path):
    """`annotator PROJECT` built the inspector before the project was open and kept saying
    "No project open." beside the open project until something was selected."""
    from PySide6.QtWidgets import QLabel

    isolate_settings(tmp_path)
    path = demo_project(tmp_path)
    w = start(qtbot, path, annotator="newbie")

    def shown() -> list[str]:
        return [lb.text() for lb in w.inspector.findChildren(QLabel)
                if lb.isVisibleTo(w.inspector)]

    qtbot.waitUntil(lambda: any("label key" in t for t in shown()))
    assert "No project open." not in shown()
