"""The team workflow in the window, end to end: assign (CLI) -> label in the packages ->
File > Merge annotator files -> Documents > Agreement -> Enter on a document opens curation ->
gold by keyboard, with the project file checked at each step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

import annotator
from annotator.gui.curation import curation_of
from annotator.gui.team_windows import AgreementWindow
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press, small_project

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def label_package(path, who: str) -> None:
    """Label "alpha" in a package: both label Russia and NATO; Brussels differs."""
    with annotator.open_project(path, annotator=who) as p:
        for doc_id in p.document_ids():
            doc = p.document(doc_id)
            if doc.name != "alpha":
                continue
            for word, label in (("Russia", "GPE"), ("NATO", "ORG"),
                                ("Brussels", "GPE" if who == "ana" else "ORG")):
                start = doc.text.index(word)
                p.add_span(doc_id, start, start + len(word), label)
            p.set_status(doc_id, "done")


def box_text(name: str) -> str:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.objectName() == name and \
                widget.isVisible():
            return widget.text()
    return ""


def close_boxes() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            widget.close()


def focus_text(qtbot, w) -> None:
    """Back to the main window's text, as a person clicking into it."""
    def focused() -> bool:
        w.activateWindow()
        w.view.setFocus()
        f = QApplication.focusWidget()
        return f is not None and f.window() is w
    qtbot.waitUntil(focused)


@pytest.fixture
def packages(tmp_path, cli):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    code, _out, err = cli("assign", path, "--annotators", "ana,bo", "--out",
                          tmp_path / "out", "--shared", "alpha", "--overlap", "2")
    assert code == 0, err
    for who in ("ana", "bo"):
        label_package(tmp_path / "out" / f"{who}.annproj", who)
    return path, [str(tmp_path / "out" / f"{who}.annproj") for who in ("ana", "bo")]


def test_merge_agree_and_curate_in_the_window(qtbot, packages, monkeypatch):
    path, files = packages
    w = open_window(qtbot, path, annotator_name="cy")
    w.project.add_span(w.project.document_by_name("beta").id, 0, 6, "PER")  # an own edit
    assert w.project.can_undo
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (files, ""))
    press(qtbot, K.Key_M, CTRL | SHIFT)  # File > Merge annotator files
    qtbot.waitUntil(lambda: not w.io.jobs, timeout=30_000)
    qtbot.waitUntil(lambda: bool(box_text("mergeFinished")))
    report = box_text("mergeFinished")
    assert "ana: " in report and "bo: " in report and "3 added" in report
    assert "backup of the project before the merge" in report
    assert not w.project.can_undo  # its steps could name rows the merge replaced
    with annotator.open_project(path, readonly=True) as p:
        alpha = p.document_by_name("alpha").id
        assert {s.label for s in p.spans(alpha, "bo")} == {"GPE", "ORG"}
        assert len(p.spans(alpha, "ana")) == 3
    close_boxes()
    # merging the same files again changes nothing
    focus_text(qtbot, w)
    press(qtbot, K.Key_M, CTRL | SHIFT)
    qtbot.waitUntil(lambda: "nothing changed" in box_text("mergeFinished"), timeout=30_000)
    close_boxes()
    focus_text(qtbot, w)

    press(qtbot, K.Key_K, CTRL | SHIFT)  # Documents > Agreement
    qtbot.waitUntil(lambda: bool(w.findChildren(AgreementWindow)), timeout=30_000)
    (window,) = w.findChildren(AgreementWindow)
    pairs = window.findChild(type(window.documents), "agreementDocuments")
    assert pairs is window.documents
    assert window.tabs.tabText(1) == "ana / bo"
    table = window.findChild(object, "agreementPairs")
    assert table.item(0, 0).text() == "ana / bo" and table.item(0, 2).text() == "0.667"
    heat = window.findChild(object, "confusion_ana_bo")
    cells = {(heat.verticalHeaderItem(r).text(), heat.horizontalHeaderItem(c).text()):
             heat.item(r, c).text() for r in range(heat.rowCount())
             for c in range(heat.columnCount())}
    assert cells[("GPE", "ORG")] == "1" and cells[("ORG", "ORG")] == "1"
    docs = window.documents
    assert docs.item(0, 0).text() == "alpha" and float(docs.item(0, 1).text()) > 0
    docs.setFocus()
    docs.setCurrentCell(0, 0)
    qtbot.keyClick(docs, K.Key_Return)  # opens alpha in curation
    mode = curation_of(w)
    assert mode.active and w.project.document(w.current_doc).name == "alpha"

    focus_text(qtbot, w)
    press(qtbot, K.Key_T, CTRL | ALT)  # Russia and NATO
    press(qtbot, K.Key_F6)
    press(qtbot, K.Key_F6)  # bo's Brussels (ORG)
    press(qtbot, K.Key_T, CTRL)
    press(qtbot, K.Key_F6, SHIFT)  # back to ana's Brussels (GPE)
    press(qtbot, K.Key_X, CTRL | SHIFT)
    with annotator.open_project(path, readonly=True) as p:
        spans = p.spans(alpha, "gold")
        assert sorted((s.label, s.status) for s in spans) == [
            ("GPE", "gold"), ("GPE", "rejected"), ("ORG", "gold"), ("ORG", "gold")]
        assert {s.created_by for s in spans} == {"cy"}
        assert p.status(alpha, "gold") == "done"
    w.close()


def test_a_refused_merge_is_one_line_and_changes_nothing(qtbot, packages, tmp_path,
                                                         monkeypatch, snapshot):
    path, _files = packages
    other = tmp_path / "other.annproj"
    with annotator.create_project(other, schema="news-basic", annotator="ana") as p:
        p.add_document("Russia said NATO met in Brussels.", name="x")
    w = open_window(qtbot, path, annotator_name="cy")
    before = snapshot(w.project)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(other)], ""))
    w.actions_["merge_files"].trigger()  # the menu entry
    qtbot.waitUntil(lambda: not w.io.jobs, timeout=30_000)
    qtbot.waitUntil(lambda: bool(w.last_error))
    assert "schema differs from the project's" in w.last_error
    assert "\n" not in w.last_error and "Traceback" not in w.last_error
    assert snapshot(w.project) == before
    assert not list(tmp_path.glob("*.before-merge-*"))
    w.close()


def test_the_agreement_window_shows_chain_agreement(qtbot, tmp_path):
    """Documents > Agreement has a Chains tab with MUC, B-cubed, CEAF-e and the CoNLL F1."""
    from annotator.core.agreement import agreement

    isolate_settings(tmp_path)
    path = tmp_path / "chains.annproj"
    text = "Ana Souza met Li Wei. She said he was late."
    with annotator.create_project(path, annotator="ana") as p:
        doc = p.add_document(text, name="meeting")

        def span(q, word):
            start = text.index(word)
            return q.add_span(doc.id, start, start + len(word), "PER").id

        p.add_chain([span(p, "Ana Souza"), span(p, "She")])
        p.add_chain([span(p, "Li Wei"), span(p, "he")])
    with annotator.open_project(path, annotator="bo") as p:
        p.add_chain([span(p, "Ana Souza"), span(p, "She"), span(p, "he")])
        span(p, "Li Wei")
    with annotator.open_project(path, readonly=True) as p:
        want = agreement(p).pairs[0]
    w = open_window(qtbot, path, annotator_name="cy")
    focus_text(qtbot, w)
    press(qtbot, Qt.Key.Key_K, CTRL | SHIFT)  # Documents > Agreement
    qtbot.waitUntil(lambda: bool(w.findChildren(AgreementWindow)), timeout=30_000)
    (window,) = w.findChildren(AgreementWindow)
    assert window.tabs.tabText(1) == "Chains"
    table = window.findChild(object, "agreementChains")
    muc = want.coref["muc"]
    assert table.item(0, 0).text() == "ana / bo"
    assert table.item(0, 1).text() == f"{muc.recall:.3f} / {muc.precision:.3f} / {muc.f1:.3f}"
    assert table.item(0, 4).text() == f"{want.conll_f1:.3f}"
    assert muc.recall == pytest.approx(0.5) and 0 < want.conll_f1 < 1
