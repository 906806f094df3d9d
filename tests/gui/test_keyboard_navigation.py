"""Navigation that does not waste keys (#12): token moves jump over punctuation-only tokens
(Alt+. / Alt+, stop on every token), and relations are selected from the keyboard (. and , for
the selected span's arcs, F9 / Shift+F9 for the document's relations): selected as a click
selects them, shown in the inspector, deleted with Delete in one undo step, Esc back to the
span. Driven by key presses in the real main window, checked in the project file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QPushButton

import annotator
from annotator.core.inputs import DocumentInput
from tests.gui.helpers_mainwindow import TEST_SCHEMA, isolate_settings, open_window, press

pytestmark = pytest.mark.gui

K = Qt.Key
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
NOMOD = Qt.KeyboardModifier.NoModifier

TEXT = ('Russia, NATO and "the EU" met in Brussels (Belgium). Ana said: NATO - again - '
        "refused...")


def at(word: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = TEXT.index(word, i + 1)
    return i, i + len(word)


def nav_project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """One document full of punctuation, with spans, three relations and a Meet event."""
    schema = tmp_path / "nav-schema.toml"
    schema.write_text(TEST_SCHEMA, encoding="utf-8")
    path = tmp_path / "nav.annproj"
    p = annotator.create_project(path, schema=schema, annotator="ana")
    p.add_documents([DocumentInput(text=TEXT, name="nav")])
    doc = p.document_by_name("nav").id
    ids = {"russia": p.add_span(doc, *at("Russia"), "GPE").id,
           "nato": p.add_span(doc, *at("NATO"), "ORG").id,
           "brussels": p.add_span(doc, *at("Brussels"), "GPE").id,
           "belgium": p.add_span(doc, *at("Belgium"), "GPE").id,
           "ana": p.add_span(doc, *at("Ana"), "PER").id}  # no relation
    ids["member"] = p.add_relation("member_of", ids["russia"], ids["nato"]).id
    ids["nato_in"] = p.add_relation("located_in", ids["nato"], ids["brussels"]).id
    ids["brussels_in"] = p.add_relation("located_in", ids["brussels"], ids["belgium"]).id
    ids["meet"] = p.add_trigger_event(doc, *at("met"), "Meet",
                                      arguments=[("Entity", ids["nato"])]).id
    p.close()
    return path, ids


@pytest.fixture
def nav(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path, ids = nav_project(tmp_path)
    w = open_window(qtbot, path)
    w.view.set_text_selection(0, 0)
    yield w, path, ids
    if w.project is not None:
        w.close()


def selected_text(w) -> str:
    s, e = w.view.text_selection()
    return w.doc_text[s:e]


def relations_in_file(path: Path) -> dict[str, tuple[str, str, str]]:
    """id -> (type, head text, tail text) of every relation in the project file."""
    p = annotator.open_project(path, readonly=True)
    try:
        doc = p.document_by_name("nav").id
        ann = p.annotations(doc, "ana")
        spans = ann.span_by_id()
        return {r.id: (r.type, TEXT[spans[r.head_id].start:spans[r.head_id].end],
                       TEXT[spans[r.tail_id].start:spans[r.tail_id].end])
                for r in ann.relations}
    finally:
        p.close()


def status(w) -> str:
    return w.statusBar().currentMessage()


def inspector_shows_relation(qtbot, w, type_: str) -> None:
    """The inspector comes to show the selected relation's box, its type editable there."""
    def shown() -> bool:
        combo = w.inspector.findChild(QComboBox, "relation_type")
        return (w.inspector.findChild(QGroupBox, "relationBox") is not None
                and combo is not None and combo.isEnabled() and combo.currentText() == type_
                and w.inspector.findChild(QPushButton, "relation_reverse") is not None)
    qtbot.waitUntil(shown)


# ---- token moves --------------------------------------------------------------------------
def test_alt_right_jumps_over_punctuation_and_labels_the_word_reached(nav, qtbot):
    w, path, _ = nav
    words = ["Russia", "NATO", "and", "the", "EU", "met", "in", "Brussels", "Belgium"]
    for expected in words:
        press(qtbot, K.Key_Right, ALT)
        assert selected_text(w) == expected
    press(qtbot, K.Key_Left, ALT)  # back over "(" in one press
    assert selected_text(w) == "Brussels"
    press(qtbot, K.Key_Right, ALT)
    for expected in ["Ana", "said", "NATO", "again"]:
        press(qtbot, K.Key_Right, ALT)
        assert selected_text(w) == expected
    press(qtbot, K.Key_T)  # TIME on what was reached: "again", not "-"
    press(qtbot, K.Key_Right, ALT)
    assert selected_text(w) == "refused"
    press(qtbot, K.Key_Right, ALT)  # nothing but "..." after it: stays on the last word
    assert selected_text(w) == "refused"
    w.close()
    p = annotator.open_project(path, readonly=True)
    try:
        doc = p.document_by_name("nav").id
        labelled = {TEXT[s.start:s.end]: s.label for s in p.annotations(doc, "ana").spans}
    finally:
        p.close()
    assert labelled["again"] == "TIME"
    assert not any(k.strip(".,:()\"-") == "" for k in labelled)  # no punctuation labelled


def test_alt_shift_right_extends_by_words_and_alt_period_stops_on_punctuation(nav, qtbot):
    w, _, _ = nav
    w.view.set_text_selection(*at("the"))
    press(qtbot, K.Key_Right, ALT | SHIFT)
    assert selected_text(w) == "the EU"
    press(qtbot, K.Key_Right, ALT | SHIFT)  # over the closing quote
    assert selected_text(w) == 'the EU" met'
    press(qtbot, K.Key_Left, ALT | SHIFT)  # shrinks back past the quote to the word
    assert selected_text(w) == "the EU"
    w.view.set_text_selection(*at("Brussels"))
    press(qtbot, K.Key_Period, ALT)  # every token: the bracket
    assert selected_text(w) == "("
    press(qtbot, K.Key_Period, ALT)
    assert selected_text(w) == "Belgium"
    press(qtbot, K.Key_Period, ALT)
    assert selected_text(w) == ")"
    press(qtbot, K.Key_Comma, ALT)
    assert selected_text(w) == "Belgium"
    press(qtbot, K.Key_Right, ALT)  # word moves again
    assert selected_text(w) == "Ana"


# ---- relations from the keyboard ------------------------------------------------------------
def tab_to_span(qtbot, w, span_id: str) -> None:
    for _ in range(20):
        press(qtbot, K.Key_Tab)
        if w.view.selected_annotation() == ("span", span_id):
            return
    raise AssertionError("never reached the span")


def test_period_cycles_the_arcs_of_the_span_delete_and_undo(nav, qtbot):
    w, path, ids = nav
    tab_to_span(qtbot, w, ids["nato"])
    # NATO's arcs by the other end's place: Russia (member_of), met (Meet), Brussels
    press(qtbot, K.Key_Period)
    assert w.view.selected_annotation() == ("relation", ids["member"])
    assert w.view.selection_arcs() == {"r:" + ids["member"]}  # drawn as a clicked arc is
    assert "member_of" in status(w) and "1 of 3" in status(w)
    inspector_shows_relation(qtbot, w, "member_of")
    press(qtbot, K.Key_Period)
    assert w.view.selected_annotation() == ("event", ids["meet"])
    assert "Meet" in status(w)
    press(qtbot, K.Key_Period)
    assert w.view.selected_annotation() == ("relation", ids["nato_in"])
    assert "3 of 3" in status(w) and "'NATO' → 'Brussels'" in status(w)
    press(qtbot, K.Key_Period)  # round again
    assert w.view.selected_annotation() == ("relation", ids["member"])
    press(qtbot, K.Key_Comma)  # and backwards
    assert w.view.selected_annotation() == ("relation", ids["nato_in"])
    inspector_shows_relation(qtbot, w, "located_in")
    # Esc goes back to the span, and the message about the relation goes
    press(qtbot, K.Key_Escape)
    assert w.view.selected_annotation() == ("span", ids["nato"])
    assert "located_in" not in status(w)
    # Delete deletes the selected relation (only it), and the span is selected again
    press(qtbot, K.Key_Comma)
    assert w.view.selected_annotation() == ("relation", ids["nato_in"])
    press(qtbot, K.Key_Delete)
    assert w.view.selected_annotation() == ("span", ids["nato"])
    # the file as written (read beside the window, which keeps it open)
    assert set(relations_in_file(path)) == {ids["member"], ids["brussels_in"]}
    press(qtbot, K.Key_Z, CTRL)  # one undo step brings it back
    assert set(relations_in_file(path)) == {ids["member"], ids["brussels_in"], ids["nato_in"]}
    w.close()
    assert relations_in_file(path)[ids["nato_in"]] == ("located_in", "NATO", "Brussels")


def test_f9_cycles_the_relations_of_the_document_in_text_order(nav, qtbot):
    w, path, ids = nav
    order = [ids["member"], ids["nato_in"], ids["brussels_in"]]
    for rel in order + order[:1]:  # from the top, round again
        press(qtbot, K.Key_F9)
        assert w.view.selected_annotation() == ("relation", rel)
    assert "in the document" in status(w)
    press(qtbot, K.Key_F9, SHIFT)
    assert w.view.selected_annotation() == ("relation", ids["brussels_in"])
    press(qtbot, K.Key_F9, SHIFT)
    assert w.view.selected_annotation() == ("relation", ids["nato_in"])
    # from a selected span: the next relation starting at or after it
    tab_to_span(qtbot, w, ids["brussels"])
    press(qtbot, K.Key_F9)
    assert w.view.selected_annotation() == ("relation", ids["brussels_in"])
    # the keys of a selected relation work on it: reverse, then Esc back to the span
    press(qtbot, K.Key_R, CTRL)
    assert w.view.selected_annotation() == ("relation", ids["brussels_in"])
    press(qtbot, K.Key_Escape)
    assert w.view.selected_annotation() == ("span", ids["brussels"])
    w.close()
    assert relations_in_file(path)[ids["brussels_in"]] == ("located_in", "Belgium", "Brussels")


def test_arc_keys_without_a_span_or_relations_say_so(nav, qtbot):
    w, _, ids = nav
    press(qtbot, K.Key_Period)  # nothing selected
    assert w.view.selected_annotation() is None
    assert "Select a span first" in status(w)
    tab_to_span(qtbot, w, ids["ana"])
    press(qtbot, K.Key_Period)  # a span without arcs: stays selected
    assert w.view.selected_annotation() == ("span", ids["ana"])
    assert "No relation or event arc ends on this span" in status(w)
    tab_to_span(qtbot, w, ids["belgium"])
    press(qtbot, K.Key_Period)  # Belgium's one relation, again and again
    assert w.view.selected_annotation() == ("relation", ids["brussels_in"])
    press(qtbot, K.Key_Period)
    assert w.view.selected_annotation() == ("relation", ids["brussels_in"])
    assert "1 of 1 of 'Belgium'" in status(w)
