"""Chains, fragments and references in the window, driven by keys as an annotator would:
Ctrl+L on a span then Ctrl+L on another mention links them, Ctrl+. / Ctrl+, move along the
chain, Ctrl+Alt+L takes a mention out, Ctrl+Alt+F adds a fragment, the inspector lists the
chain and edits references; the project file is checked after each (#11.1-3)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLineEdit

import annotator
from annotator.core.model import Reference
from annotator.gui.chains import chains_of
from tests.conftest import word_offsets
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press, small_project

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
TEXT = "Russia said NATO met in Brussels. Russia and NATO talked again in Paris."


def at(word: str, nth: int = 0) -> tuple[int, int]:
    return word_offsets(TEXT, word, nth)


def on_file(path):
    """(chains as lists of mention texts, {(start, end): (fragments, refs)}) from the file."""
    with annotator.open_project(path, readonly=True) as p:
        doc = p.document_by_name("alpha")
        spans = {s.id: s for s in p.spans(doc.id, "ana")}
        chains = [[TEXT[spans[m].start:spans[m].end] for m in c.mentions]
                  for c in p.chains(doc.id, "ana")]
        return chains, {(s.start, s.end): (s.fragments, s.refs) for s in spans.values()}


@pytest.fixture
def window(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    with annotator.open_project(path, annotator="ana") as p:
        doc = p.document_by_name("alpha")
        for word, nth, label in (("Russia", 0, "GPE"), ("NATO", 0, "ORG"),
                                 ("Russia", 1, "GPE"), ("NATO", 1, "ORG")):
            p.add_span(doc.id, *at(word, nth), label)
    w = open_window(qtbot, path, annotator_name="ana", document="alpha")
    yield w
    if w.project is not None:
        w.close()


def select_next(qtbot, w, times=1):
    press(qtbot, K.Key_Tab, times=times)
    return w.selected_span_id()


def test_link_step_and_unlink_by_keys(window, qtbot):
    w = window
    path = w.project.path
    first = select_next(qtbot, w)  # Russia
    press(qtbot, K.Key_L, CTRL)
    assert chains_of(w).link_from == first
    select_next(qtbot, w, 2)  # NATO, then the second Russia
    press(qtbot, K.Key_L, CTRL)
    assert on_file(path)[0] == [["Russia", "Russia"]]
    # the chain's other mention is marked (outlined) while one is selected
    assert w.view._state.related_spans() == {first}
    qtbot.waitUntil(lambda: w.findChild(QGroupBox, "chainBox") is not None)
    press(qtbot, K.Key_Period, CTRL)  # next mention (wraps to the first Russia)
    assert w.selected_span_id() == first
    press(qtbot, K.Key_Comma, CTRL)
    assert w.selected_span_id() != first
    press(qtbot, K.Key_Z, CTRL)  # undo the link
    assert on_file(path)[0] == []
    press(qtbot, K.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
    assert on_file(path)[0] == [["Russia", "Russia"]]
    w.view.setFocus()
    press(qtbot, K.Key_L, CTRL | ALT)  # the selected mention leaves the chain
    assert on_file(path)[0] == [["Russia"]]
    assert w.view._state.related_spans() == set()


def test_add_a_fragment_and_edit_references_in_the_inspector(window, qtbot):
    w = window
    path = w.project.path
    span = select_next(qtbot, w)  # Russia
    press(qtbot, K.Key_F, CTRL | ALT)
    w.view.set_text_selection(*at("Brussels"))  # as a mouse drag would
    press(qtbot, K.Key_F, CTRL | ALT)
    frags, _ = on_file(path)[1][at("Russia")[0], at("Brussels")[1]]
    assert frags == [at("Russia"), at("Brussels")]
    assert w.selected_span_id() == span
    # drawn as two pieces with the gap between them left out
    def pieces():
        return sorted((f for g in w.view._geometry.blocks.values() if g is not None
                       for f in g.by_span.get(span, [])), key=lambda f: f.text.left())
    qtbot.waitUntil(lambda: len(pieces()) == 2)
    first, second = pieces()
    assert first.text.right() < second.text.left() and second.label_text.startswith("\u2026")
    press(qtbot, K.Key_Z, CTRL)
    assert on_file(path)[1][at("Russia")][0] == []
    w.view.select_annotation("span", span)
    qtbot.waitUntil(lambda: not w.inspector._pending)  # the inspector shows the span
    edit = w.inspector.widget().findChild(QLineEdit, "span_refs")
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(edit, "Wikidata:Q159 Russia; GeoNames:2017370")
    qtbot.keyClick(edit, K.Key_Return)
    assert on_file(path)[1][at("Russia")][1] == [Reference("Wikidata", "Q159", "Russia"),
                                             Reference("GeoNames", "2017370", "")]
