"""Suggestions in the window, driven by keys as an annotator would (K/F7 next, Y accept,
X reject, Shift+Y sentence, Ctrl+Shift+Y document, Ctrl+Alt+G suggest in the background),
checking the project file after each."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

import annotator
from annotator.core.suggestions import ArgumentSuggestion, Batch, SpanSuggestion
from annotator.gui.suggestions import suggestions_of
from tests.conftest import word_offsets
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press, small_project

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
TEXT = "Russia said NATO met in Brussels. Russia and NATO talked again in Paris."


def at(word: str, nth: int = 0) -> tuple[int, int]:
    return word_offsets(TEXT, word, nth)


def on_file(path):
    """(start, label, status) of every span of "alpha" as the project file has it."""
    with annotator.open_project(path, readonly=True) as p:
        doc = p.document_by_name("alpha")
        return sorted((s.start, s.label, s.status) for s in p.spans(doc.id, "ana"))


@pytest.fixture
def window(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    with annotator.open_project(path, annotator="ana") as p:
        doc = p.document_by_name("alpha")
        p.put_suggestions(doc.id, "tiny", Batch(spans=[
            SpanSuggestion(*at("Russia"), "GPE", 0.9), SpanSuggestion(*at("NATO"), "ORG", 0.8),
            SpanSuggestion(*at("Brussels"), "PER", 0.3),
            SpanSuggestion(*at("Russia", 1), "GPE"), SpanSuggestion(*at("Paris"), "GPE")]))
    w = open_window(qtbot, path, annotator_name="ana", document="alpha")
    yield w
    if w.project is not None:
        w.close()


def test_accept_reject_and_accept_all_by_keys(window, qtbot):
    w = window
    path = w.project.path
    press(qtbot, K.Key_K)  # the first suggestion: Russia
    assert suggestions_of(w).selected().label == "GPE"
    assert w.view.selected_annotation()[0] == "span"
    qtbot.waitUntil(lambda: w.findChild(QLabel, "span_status") is not None)
    assert w.findChild(QLabel, "span_status").text() == "suggested by tiny, score 0.90"
    press(qtbot, K.Key_Y)  # accept it; the next (NATO) is selected
    assert on_file(path)[0] == (at("Russia")[0], "GPE", "gold")
    assert suggestions_of(w).selected().start == at("NATO")[0]
    press(qtbot, K.Key_F7)  # F7 moves on too: Brussels
    press(qtbot, K.Key_X)  # reject it: hidden in the view, kept as rejected in the file
    assert (at("Brussels")[0], "PER", "rejected") in on_file(path)
    brussels = next(s for s in w.project.spans(w.current_doc) if s.status == "rejected")
    assert brussels.id not in w.view._state.index.spans
    press(qtbot, K.Key_Z, CTRL)  # undo brings the suggestion back
    assert (at("Brussels")[0], "PER", "suggested") in on_file(path)
    press(qtbot, K.Key_Y, CTRL | SHIFT)  # accept all in the document, one undo step
    assert {s for _, _, s in on_file(path)} == {"gold"}
    press(qtbot, K.Key_Z, CTRL)
    assert [s for _, _, s in on_file(path)].count("suggested") == 4
    w.view.set_text_selection(*at("Paris"))  # the second sentence
    press(qtbot, K.Key_Y, SHIFT)
    assert on_file(path) == [(at("Russia")[0], "GPE", "gold"), (at("NATO")[0], "ORG", "suggested"),
                             (at("Brussels")[0], "PER", "suggested"),
                             (at("Russia", 1)[0], "GPE", "gold"), (at("Paris")[0], "GPE", "gold")]


def test_a_suggested_argument_is_accepted_with_the_same_key(window, qtbot):
    w = window
    p = w.project
    doc_id = w.current_doc
    nato = p.add_span(doc_id, *at("NATO", 1), "ORG")
    meet = p.add_trigger_event(doc_id, *at("talked"), "Meet")
    p.put_suggestions(doc_id, "arguments", Batch(arguments=[
        ArgumentSuggestion(meet.id, "Entity", (*at("NATO", 1), "ORG"), 0.7)]))
    w.show_document(doc_id, force=True)
    w.view.setFocus()
    w.view.set_text_selection(*at("Brussels"))
    for _ in range(5):  # K until the argument is the one selected
        press(qtbot, K.Key_K)
        if suggestions_of(w).selected().kind == "argument":
            break
    assert w.view.selected_annotation() == ("span", nato.id)
    press(qtbot, K.Key_Y)
    with annotator.open_project(p.path, readonly=True) as again:
        (arg,) = again.event(meet.id).arguments
    assert (arg.role, arg.filler_id, arg.status) == ("Entity", nato.id, "gold")


def test_suggest_in_this_document_runs_in_the_background(window, qtbot):
    w = window
    p = w.project
    doc_id = w.current_doc
    p.accept(next(s.id for s in p.suggestions(doc_id) if s.label == "ORG"))  # NATO: gold
    press(qtbot, K.Key_G, CTRL | ALT)  # Annotate > Suggest in this document
    runner = suggestions_of(w).runner
    assert runner is not None
    qtbot.waitUntil(lambda: runner.outcome != "", timeout=20_000)
    assert runner.outcome == "ok", runner.result
    with annotator.open_project(p.path, readonly=True) as again:
        spans = again.spans(doc_id, "ana")
    dictionary = [(s.start, s.label) for s in spans if s.source == "gold-dictionary"]
    assert dictionary == [(at("NATO", 1)[0], "ORG")]  # the second NATO, from the gold one
    assert "suggested" in suggestions_of(w).last_report


def test_train_model_then_suggest_with_it(window, qtbot):
    w = window
    p = w.project
    for name in ("alpha", "beta", "gamma"):
        doc = p.document_by_name(name)
        for s in list(p.suggestions(doc.id)):
            p.reject(s.id)
        text = doc.text
        p.add_span(doc.id, text.index("NATO"), text.index("NATO") + 4, "ORG")
        p.set_status(doc.id, "done")
    suggestions_of(w).train_steps = 20
    press(qtbot, K.Key_M, CTRL | ALT)  # Annotate > Train model
    runner = suggestions_of(w).runner
    qtbot.waitUntil(lambda: runner.outcome != "", timeout=120_000)
    assert runner.outcome == "ok", runner.result
    model = p.meta_value("suggest_model")
    assert model and "model" in model
    w.activateWindow()  # the progress window has closed
    w.view.setFocus()
    qtbot.waitUntil(w.view.hasFocus)
    press(qtbot, K.Key_G, CTRL | ALT)  # Suggest now runs the trained model too
    runner = suggestions_of(w).runner
    qtbot.waitUntil(lambda: runner.outcome != "", timeout=60_000)
    assert runner.outcome == "ok", runner.result
    assert model in suggestions_of(w).last_report


def test_u_selects_the_next_unlabelled_name_and_a_label_key_labels_it(window, qtbot):
    w = window
    p = w.project
    doc_id = w.current_doc
    p.reject_where([doc_id])  # no suggestions: Russia, NATO ... are unlabelled again
    w.view.set_text_selection(0, 0)
    press(qtbot, K.Key_U)
    assert w.view.text_selection() == at("Russia")
    press(qtbot, K.Key_U)
    assert w.view.text_selection() == at("NATO")
    press(qtbot, K.Key_O)  # the ORG key labels it
    assert (at("NATO")[0], "ORG", "gold") in on_file(p.path)
    press(qtbot, K.Key_U)
    assert w.view.text_selection() == at("Brussels")
