"""Y and X with no suggestion selected (right after a span labelled by hand, or with only the
caret placed) decide the suggestion K would select when it starts in the caret's sentence,
then go on as with a selected one; one further away is left alone. Driven by keys, the
project file checked after each."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import annotator
from annotator.core.suggestions import Batch, SpanSuggestion
from annotator.gui.suggestions import suggestions_of
from tests.conftest import word_offsets
from tests.gui.helpers_mainwindow import (
    isolate_settings,
    open_window,
    press,
    small_project,
    span_rows,
)

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
TEXT = "Russia said NATO met in Brussels. Russia and NATO talked again in Paris."


def at(word: str, nth: int = 0) -> tuple[int, int]:
    return word_offsets(TEXT, word, nth)


def on_file(path):
    """(word, start, label, status) of every span of "alpha" as the project file has it."""
    return span_rows(path)


def status_of(path, word: str, nth: int = 0) -> str | None:
    start = at(word, nth)[0]
    return next((st for w, s, _l, st in on_file(path) if (w, s) == (word, start)), None)


@pytest.fixture
def window(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    with annotator.open_project(path, annotator="ana") as p:
        doc = p.document_by_name("alpha")
        assert doc.text.startswith(TEXT)
        p.put_suggestions(doc.id, "tiny", Batch(spans=[
            SpanSuggestion(*at("NATO"), "ORG"), SpanSuggestion(*at("Brussels"), "GPE"),
            SpanSuggestion(*at("Russia", 1), "GPE")]))
    w = open_window(qtbot, path, annotator_name="ana", document="alpha")
    yield w
    if w.project is not None:
        w.close()


def test_y_after_a_span_labelled_by_hand_accepts_the_next_suggestion_of_the_sentence(
        window, qtbot):
    w = window
    path = w.project.path
    w.view.set_text_selection(0, 0)
    press(qtbot, K.Key_Right, ALT | SHIFT)  # "Russia" selected as text
    assert w.view.text_selection() == at("Russia")
    press(qtbot, K.Key_G)  # labelled GPE by hand: the new gold span is selected
    assert status_of(path, "Russia") == "gold"
    assert suggestions_of(w).selected() is None
    press(qtbot, K.Key_Y)  # NATO, the next suggestion in that sentence: accepted, no K
    assert status_of(path, "NATO") == "gold"
    assert status_of(path, "Brussels") == "suggested"
    assert suggestions_of(w).selected().start == at("Brussels")[0]  # on to the next
    press(qtbot, K.Key_Z, CTRL)  # one undo step: NATO open again, Russia still gold
    assert status_of(path, "NATO") == "suggested"
    assert status_of(path, "Russia") == "gold"


def test_x_with_only_the_caret_placed_rejects_the_next_suggestion_of_the_sentence(
        window, qtbot):
    w = window
    path = w.project.path
    w.view.set_text_selection(at("met")[0], at("met")[0])  # after NATO, before Brussels
    press(qtbot, K.Key_X)
    assert status_of(path, "Brussels") == "rejected"
    assert status_of(path, "NATO") == "suggested"  # behind the caret: left alone
    assert suggestions_of(w).selected().start == at("Russia", 1)[0]


def test_y_leaves_a_suggestion_of_another_sentence_alone(window, qtbot):
    w = window
    path = w.project.path
    end = at("Brussels")[1]
    w.view.set_text_selection(end, end)  # past the first sentence's last suggestion
    before = on_file(path)
    press(qtbot, K.Key_Y)
    assert on_file(path) == before  # Russia of the next sentence is not accepted unseen
    assert suggestions_of(w).selected() is None
    assert "select a suggestion first" in w.statusBar().currentMessage()
