"""Curation mode driven by keyboard as a curator would, checking the project file after."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import annotator
from annotator.gui.curation import curation_of
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press, small_project

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
TEXT = "Russia said NATO met in Brussels. Russia and NATO talked again in Paris."


def at(word: str) -> tuple[int, int]:
    return TEXT.index(word), TEXT.index(word) + len(word)


def two_sets(path):
    """ana and bo labelled "alpha": they agree on Russia, NATO and the Meet event, not on
    Brussels (GPE / ORG); only bo labelled Paris."""
    for who, brussels in (("ana", "GPE"), ("bo", "ORG")):
        with annotator.open_project(path, annotator=who) as p:
            doc = p.document_by_name("alpha")
            p.add_span(doc.id, *at("Russia"), "GPE")
            nato = p.add_span(doc.id, *at("NATO"), "ORG",
                              attrs={"mention_type": "NAM" if who == "ana" else "NOM"})
            p.add_span(doc.id, *at("Brussels"), brussels)
            if who == "bo":
                p.add_span(doc.id, *at("Paris"), "GPE")
            meet = p.add_trigger_event(doc.id, *at("met"), "Meet", attrs={"realis": "actual"})
            p.add_argument(meet.id, "Entity", nato.id)
            p.set_status(doc.id, "done")
    return path


@pytest.fixture
def curator(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = two_sets(small_project(tmp_path))
    w = open_window(qtbot, path, annotator_name="cy", document="alpha")
    yield w
    if w.project is not None:
        w.close()


def gold(path):
    with annotator.open_project(path, readonly=True) as p:
        doc = p.document_by_name("alpha")
        return p.annotations(doc.id, "gold"), p.status(doc.id, "gold")


def current(w):
    g = curation_of(w).current_group()
    return (g.kind, g.label, w.doc_text[g.start:g.end]) if g else None


def test_curate_a_document_by_keyboard(curator, qtbot):
    w = curator
    path = w.project.path
    press(qtbot, K.Key_G, CTRL | SHIFT)  # curation on
    mode = curation_of(w)
    assert mode.active and w.project.annotation_set == "gold"
    assert w.docks["curation"].isVisible()
    panel = mode.panel
    assert panel.annotators == ["ana", "bo"]
    headers = [panel.table.horizontalHeaderItem(i).text() for i in range(panel.table.columnCount())]
    assert headers == ["Text", "Kind", "Label", "Details", "ana", "bo", "Gold"]
    assert panel.table.rowCount() == 6  # Russia, NATO, met, Brussels x2, Paris
    assert "2 disagreements" not in panel.summary.text()  # three are open: 2 Brussels, Paris
    assert "3 disagreements open" in panel.summary.text()

    press(qtbot, K.Key_T, CTRL | ALT)  # take every agreed annotation
    ann, status = gold(path)
    assert sorted(s.label for s in ann.spans) == ["GPE", "Meet", "ORG"]
    assert len(ann.events) == 1 and len(ann.events[0].arguments) == 1
    assert {s.created_by for s in ann.spans} == {"cy"} and status == "in_progress"
    assert w.project.undo_label == "Take 3 agreed annotation(s) into gold"

    press(qtbot, K.Key_F6)  # first open disagreement: Brussels as ana labelled it
    assert current(w) == ("span", "GPE", "Brussels")
    assert w.view.text_selection() == at("Brussels")
    press(qtbot, K.Key_X, CTRL | SHIFT)  # reject it
    press(qtbot, K.Key_F6)
    assert current(w) == ("span", "ORG", "Brussels")
    press(qtbot, K.Key_T, CTRL)  # take bo's version
    ann, _ = gold(path)
    assert ("ORG", "gold") in {(s.label, s.status) for s in ann.spans
                               if (s.start, s.end) == at("Brussels")}
    assert ("GPE", "rejected") in {(s.label, s.status) for s in ann.spans}
    press(qtbot, K.Key_Z, CTRL)  # undo the take: one step
    ann, _ = gold(path)
    assert ("ORG", "gold") not in {(s.label, s.status) for s in ann.spans
                                   if (s.start, s.end) == at("Brussels")}
    assert current(w) == ("span", "ORG", "Brussels")  # the panel followed the undo
    press(qtbot, K.Key_Z, CTRL | SHIFT)  # redo
    press(qtbot, K.Key_F6)
    assert current(w) == ("span", "GPE", "Paris")
    press(qtbot, K.Key_T, CTRL)
    press(qtbot, K.Key_F6)  # nothing left
    assert "No" in w.statusBar().currentMessage()
    ann, status = gold(path)
    assert status == "done"
    assert sorted((s.label, s.status) for s in ann.spans) == [
        ("GPE", "gold"), ("GPE", "gold"), ("GPE", "rejected"), ("Meet", "gold"),
        ("ORG", "gold"), ("ORG", "gold")]
    assert {s.created_by for s in ann.spans} == {"cy"}
    # the document list shows and filters the gold status
    dl = w.doclist
    assert not dl.table.isColumnHidden(4)
    row = dl.model.row_of(w.current_doc)
    assert dl.model.index(row, 4).data() == "curated"
    dl.gold_combo.setCurrentIndex(dl.gold_combo.findData("new"))
    assert w.current_doc not in dl.visible_ids() and len(dl.visible_ids()) == 2
    dl.gold_combo.setCurrentIndex(dl.gold_combo.findData("done"))
    assert dl.visible_ids() == [w.current_doc]
    press(qtbot, K.Key_G, CTRL | SHIFT)  # curation off: back to the curator's own set
    assert not mode.active and w.project.annotation_set == "cy"


def test_take_the_version_of_the_annotator_whose_column_is_current(curator, qtbot):
    w = curator
    press(qtbot, K.Key_G, CTRL | SHIFT)
    panel = curation_of(w).panel
    nato = next(i for i, g in enumerate(curation_of(w).state.groups) if g.label == "ORG"
                and g.kind == "span" and w.doc_text[g.start:g.end] == "NATO")
    panel.select_row(nato)
    panel.table.setFocus()
    press(qtbot, K.Key_Home)  # the first column, then right to bo's column
    press(qtbot, K.Key_Right, times=5)
    assert panel.current_annotator() == "bo"
    assert "NOM" in panel.table.currentItem().toolTip()
    press(qtbot, K.Key_T, CTRL)
    ann, _ = gold(w.project.path)
    (nato_gold,) = [s for s in ann.spans if s.label == "ORG"]
    assert nato_gold.attrs == {"mention_type": "NOM"}


def test_keys_outside_curation_only_say_how_to_start(curator, qtbot):
    w = curator
    press(qtbot, K.Key_F6)
    assert "Curation is off" in w.statusBar().currentMessage()
    press(qtbot, K.Key_T, CTRL)
    ann, _ = gold(w.project.path)
    assert ann.spans == []
