"""Keys act on the one thing selected (#10.8), the current event is explicit (#10.9) and a
character-precise selection survives snapping (#10.10): driven with key presses and mouse
drags in the real main window, checked in the project file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

import annotator
from annotator.core.inputs import DocumentInput
from tests.gui.helpers_docview import caret_rect
from tests.gui.helpers_mainwindow import (
    focused,
    isolate_settings,
    open_window,
    press,
    small_project,
)

pytestmark = pytest.mark.gui

K = Qt.Key
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NOMOD = Qt.KeyboardModifier.NoModifier


def selected_text(w) -> str:
    s, e = w.view.text_selection()
    return w.doc_text[s:e]


def select_token(qtbot, w, text: str, limit: int = 60) -> None:
    """Alt+Right from the start until the token ``text`` is selected."""
    w.view.set_text_selection(0, 0)
    for _ in range(limit):
        press(qtbot, K.Key_Right, ALT)
        if selected_text(w) == text:
            return
    raise AssertionError(f"never reached {text!r}")


def tab_to(qtbot, w, text: str, backwards: bool = False, limit: int = 30) -> str:
    for _ in range(limit):
        press(qtbot, K.Key_Tab, SHIFT if backwards else NOMOD)
        sel = w.view.selected_annotation()
        if sel and sel[0] == "span":
            s = w.project.span(sel[1])
            if w.doc_text[s.start:s.end] == text:
                return sel[1]
    raise AssertionError(f"never reached span {text!r}")


def spans_by_text(path, who: str = "ana") -> list[tuple[str, str]]:
    p = annotator.open_project(path, readonly=True)
    try:
        doc = p.document_by_name("alpha")
        text = p.document(doc.id).text
        return sorted((text[s.start:s.end], s.label) for s in p.annotations(doc.id, who).spans)
    finally:
        p.close()


# ---- #10.8 ------------------------------------------------------------------------------
def test_label_key_after_tab_relabels_the_selected_span_not_the_old_text(qtbot, tmp_path):
    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path))
    # "Russia said NATO met in Brussels. ..." : Russia wrongly as ORG, NATO as ORG
    select_token(qtbot, w, "Russia")
    press(qtbot, K.Key_O)
    select_token(qtbot, w, "NATO")
    press(qtbot, K.Key_O)
    # a text selection on "said", then Shift+Tab back to the span "Russia"
    select_token(qtbot, w, "said")
    tab_to(qtbot, w, "Russia", backwards=True)
    # one thing is selected, and it looks that way: no text selection remains
    s, e = w.view.text_selection()
    assert s == e
    press(qtbot, K.Key_G)
    path = w.project.path
    w.close()
    assert spans_by_text(path) == [("NATO", "ORG"), ("Russia", "GPE")]


def test_e_after_tab_makes_the_selected_span_the_trigger(qtbot, tmp_path):
    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path))
    select_token(qtbot, w, "Russia")
    press(qtbot, K.Key_G)
    m = w.doc_text.index(" met ") + 1
    met = w.project.add_span(w.current_doc, m, m + 3, "ORG")  # an entity on "met"
    select_token(qtbot, w, "NATO")  # a text selection elsewhere
    tab_to(qtbot, w, "met")
    press(qtbot, K.Key_E)
    qtbot.waitUntil(lambda: w.popup is not None and focused() is w.popup.filter)
    from PySide6.QtWidgets import QLabel

    assert w.popup.findChild(QLabel, "pickTitle").text() == "Event type for 'met'"
    press(qtbot, K.Key_Escape)
    qtbot.waitUntil(lambda: w.popup is None)
    assert w.project.span(met.id).label == "ORG"


def test_a_new_text_selection_replaces_the_selected_span(qtbot, tmp_path):
    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path))
    select_token(qtbot, w, "Russia")
    press(qtbot, K.Key_G)
    assert w.view.selected_annotation() is not None  # the new span stays selected
    press(qtbot, K.Key_Right, ALT)  # the next token: "said"
    assert selected_text(w) == "said"
    assert w.view.selected_annotation() is None
    press(qtbot, K.Key_P)
    path = w.project.path
    w.close()
    assert spans_by_text(path) == [("Russia", "GPE"), ("said", "PER")]


# ---- #10.9 ------------------------------------------------------------------------------
def test_tabbing_across_a_trigger_leaves_no_event_current(qtbot, tmp_path):
    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path))
    p = w.project
    russia = p.add_span(w.current_doc, 0, 6, "GPE")
    m = w.doc_text.index(" met ") + 1
    ev = p.add_trigger_event(w.current_doc, m, m + 3, "Meet")
    w.view.setFocus()
    w.view.set_text_selection(0, 0)
    tab_to(qtbot, w, "met")
    assert w.event_id is None
    assert w.modes.status_label.text() == "no current event"
    tab_to(qtbot, w, "Russia", backwards=True)
    press(qtbot, K.Key_1)  # no current event: nothing is filled
    assert p.event(ev.id).arguments == []
    assert "No current event" in w.statusBar().currentMessage()
    # Enter on the trigger makes its event current, and the status bar says so
    tab_to(qtbot, w, "met")
    press(qtbot, K.Key_Return)
    assert w.event_id == ev.id
    assert w.modes.status_label.text() == "current event: Meet 'met'"
    assert w.view.isAncestorOf(focused())  # still in the text
    tab_to(qtbot, w, "Russia", backwards=True)
    press(qtbot, K.Key_1)
    assert [(a.role, a.filler_id) for a in p.event(ev.id).arguments] == [("Entity", russia.id)]
    press(qtbot, K.Key_Escape)  # clears the selection
    press(qtbot, K.Key_Escape)  # releases the event
    assert w.event_id is None
    assert w.modes.status_label.text() == "no current event"


# ---- #10.10 -----------------------------------------------------------------------------
def us_window(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    p = annotator.open_project(path, annotator="ana")
    p.add_documents([DocumentInput(text="The U.S.-led force met Russia.", name="us")])
    p.close()
    return open_window(qtbot, path, document="us")


def test_shift_arrows_selection_is_not_widened_by_snapping(qtbot, tmp_path):
    w = us_window(qtbot, tmp_path)
    assert w.view.snap_to_tokens
    w.view.set_text_selection(4, 4)
    press(qtbot, K.Key_Right, SHIFT, times=4)
    assert selected_text(w) == "U.S."
    press(qtbot, K.Key_G)
    [s] = w.project.annotations(w.current_doc).spans
    assert w.doc_text[s.start:s.end] == "U.S."


def test_mouse_selection_snapped_says_so_in_the_status_bar(qtbot, tmp_path):
    w = us_window(qtbot, tmp_path)
    vp = w.view.text_area.viewport()
    r0, r1 = caret_rect(w.view, 4), caret_rect(w.view, 8)
    p0, p1 = QPoint(r0.x() + 1, r0.center().y()), QPoint(r1.x(), r1.center().y())
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=p0)
    qtbot.mouseMove(vp, p1)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=p1)
    assert selected_text(w) == "U.S.-led"
    assert "Snapped to whole tokens" in w.statusBar().currentMessage()
    assert "Shift+arrows" in w.statusBar().currentMessage()


def test_problems_of_a_document_stepped_to_follow_and_f8_reaches_them(qtbot, tmp_path):
    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path))
    p = w.project
    beta = next(d.id for d in p.documents() if d.name == "beta")
    p.add_span(beta, 0, 3, "PER")  # "Dmi": off the token boundaries, a warning
    press(qtbot, K.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert w.current_doc == beta
    press(qtbot, K.Key_F8)  # at once, not "No problems" while the check waits
    assert w.view.selected_annotation() is not None
    qtbot.waitUntil(lambda: w.problems_panel.summary.text() == "0 error(s), 1 warning(s)")
    press(qtbot, K.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.problems_panel.summary.text() == "No problems")


def test_double_click_on_a_labelled_word_then_a_label_key_relabels_it(qtbot, tmp_path):
    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path))
    p = w.project
    nato = p.add_span(w.current_doc, 12, 16, "PER")  # "NATO", wrongly PER
    vp = w.view.text_area.viewport()
    pos = w.view.span_rects(nato.id)[0].center().toPoint()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(vp, Qt.MouseButton.LeftButton, pos=pos)
    assert w.view.selected_annotation() == ("span", nato.id)
    press(qtbot, K.Key_O)
    assert [(s.start, s.end, s.label) for s in p.spans(w.current_doc)] == [(12, 16, "ORG")]
