"""Key economy of the suggestion workflow, driven by keys as an annotator would: Shift+Y
accepts the sentence of the selected suggestion and Shift+X rejects what is left of it, each
one undo step, and both go on to the next sentence's first suggestion; a label key on a
selected suggestion accepts it with that label (a relabel when it differs) and goes on as Y
does. The project file is checked after each."""

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
TEXT = "Russia said NATO met in Brussels. Russia and NATO talked again in Paris."


def at(word: str, nth: int = 0) -> tuple[int, int]:
    return word_offsets(TEXT, word, nth)


def on_file(path):
    """(word, label, status) of every span of "alpha" as the project file has it."""
    return span_rows(path)


@pytest.fixture
def window(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    with annotator.open_project(path, annotator="ana") as p:
        doc = p.document_by_name("alpha")
        assert doc.text.startswith(TEXT)
        p.put_suggestions(doc.id, "tiny", Batch(spans=[
            SpanSuggestion(*at("Russia"), "GPE", 0.9), SpanSuggestion(*at("NATO"), "ORG", 0.8),
            SpanSuggestion(*at("Brussels"), "PER", 0.3),
            SpanSuggestion(*at("Russia", 1), "GPE"), SpanSuggestion(*at("Paris"), "GPE")]))
    w = open_window(qtbot, path, annotator_name="ana", document="alpha")
    yield w
    if w.project is not None:
        w.close()


def selected_start(w) -> int | None:
    s = suggestions_of(w).selected()
    return None if s is None else s.start


def test_shift_y_accepts_the_sentence_and_goes_on_to_the_next(window, qtbot):
    w = window
    path = w.project.path
    press(qtbot, K.Key_K)
    press(qtbot, K.Key_K)  # NATO, in the first sentence
    assert selected_start(w) == at("NATO")[0]
    press(qtbot, K.Key_Y, SHIFT)
    states = {(word, start): status for word, start, _l, status in on_file(path)}
    assert states == {("Russia", 0): "gold", ("NATO", at("NATO")[0]): "gold",
                      ("Brussels", at("Brussels")[0]): "gold",
                      ("Russia", at("Russia", 1)[0]): "suggested",
                      ("Paris", at("Paris")[0]): "suggested"}
    assert selected_start(w) == at("Russia", 1)[0]  # the next sentence's first suggestion
    press(qtbot, K.Key_Z, CTRL)  # one undo step
    assert {status for *_x, status in on_file(path)} == {"suggested"}


def test_shift_x_rejects_what_is_left_of_the_sentence_and_goes_on(window, qtbot):
    w = window
    path = w.project.path
    press(qtbot, K.Key_K)
    press(qtbot, K.Key_Y)  # Russia accepted, NATO selected
    press(qtbot, K.Key_X, SHIFT)  # NATO and Brussels rejected
    assert [(word, status) for word, _s, _l, status in on_file(path)] == [
        ("Brussels", "rejected"), ("NATO", "rejected"), ("Paris", "suggested"),
        ("Russia", "gold"), ("Russia", "suggested")]
    assert selected_start(w) == at("Russia", 1)[0]
    press(qtbot, K.Key_X, SHIFT)  # the second sentence: nothing left to go on to
    assert suggestions_of(w).selected() is None
    assert [status for *_x, status in on_file(path)].count("suggested") == 0
    press(qtbot, K.Key_Z, CTRL)
    press(qtbot, K.Key_Z, CTRL)  # each sentence was one undo step
    assert [(word, status) for word, _s, _l, status in on_file(path)] == [
        ("Brussels", "suggested"), ("NATO", "suggested"), ("Paris", "suggested"),
        ("Russia", "gold"), ("Russia", "suggested")]


def test_a_label_key_on_a_suggestion_accepts_it_with_that_label_and_goes_on(window, qtbot):
    w = window
    path = w.project.path
    press(qtbot, K.Key_K)
    press(qtbot, K.Key_K)
    press(qtbot, K.Key_K)  # Brussels, suggested as PER
    assert selected_start(w) == at("Brussels")[0]
    press(qtbot, K.Key_G)  # the GPE key: relabelled and accepted
    assert ("Brussels", at("Brussels")[0], "GPE", "gold") in on_file(path)
    assert selected_start(w) == at("Russia", 1)[0]  # on to the next, as Y does
    press(qtbot, K.Key_G)  # the label it has: accepted as it is
    assert ("Russia", at("Russia", 1)[0], "GPE", "gold") in on_file(path)
    assert selected_start(w) == at("Paris")[0]
    press(qtbot, K.Key_Z, CTRL)
    press(qtbot, K.Key_Z, CTRL)  # one undo step each
    assert ("Brussels", at("Brussels")[0], "PER", "suggested") in on_file(path)


def test_a_label_key_on_a_gold_span_still_only_relabels_it(window, qtbot):
    w = window
    p = w.project
    doc_id = w.current_doc
    paris = next(s for s in p.suggestions(doc_id) if s.start == at("Paris")[0])
    p.accept(paris.id)
    w.view.select_annotation("span", paris.id)
    press(qtbot, K.Key_T)  # TIME
    assert ("Paris", at("Paris")[0], "TIME", "gold") in on_file(p.path)
    assert w.view.selected_annotation() == ("span", paris.id)  # stays on it


def test_y_never_skips_a_nested_suggestion_that_starts_at_the_same_place(qtbot, tmp_path):
    """K and Y follow the text order of the list (start, end, ...): the suggestion inside a
    longer one at the same start is reached, whatever the order of their random ids."""
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    with annotator.open_project(path, annotator="ana") as p:
        doc = p.document_by_name("alpha")
        inner = (at("Russia")[0], at("said")[1])
        for _ in range(64):  # ids are random: make the outer one's id the smaller
            p.put_suggestions(doc.id, "tiny", Batch(spans=[
                SpanSuggestion(*at("Russia"), "GPE"), SpanSuggestion(*inner, "ORG"),
                SpanSuggestion(*at("NATO"), "ORG")]))
            ids = {(s.start, s.end): s.id for s in p.suggestions(doc.id)}
            if ids[inner] < ids[at("Russia")]:
                break
        else:
            pytest.fail("no id order to test")
    w = open_window(qtbot, path, annotator_name="ana", document="alpha")
    try:
        press(qtbot, K.Key_K)
        assert suggestions_of(w).selected().end == at("Russia")[1]
        press(qtbot, K.Key_Y)
        assert suggestions_of(w).selected().end == inner[1]  # not NATO
        press(qtbot, K.Key_Y)
        assert selected_start(w) == at("NATO")[0]
    finally:
        w.close()


def test_deciding_the_last_suggestion_does_not_jump_back_to_the_top(window, qtbot):
    """Working forward, the caret stays after the last suggestion decided (the earlier
    open ones wait for K), so adding what is missing after it needs no walk back."""
    w = window
    for _ in range(5):
        press(qtbot, K.Key_K)
    assert selected_start(w) == at("Paris")[0]
    press(qtbot, K.Key_Y)
    assert suggestions_of(w).selected() is None
    assert w.view.text_selection() == (at("Paris")[1], at("Paris")[1])
    assert "4 before it" in w.statusBar().currentMessage()
    press(qtbot, K.Key_K)  # K goes on from the top
    assert selected_start(w) == 0
