"""Annotate the first paragraphs of the seed article with key presses only (no mouse, no API
calls that change anything), then check what the project file holds."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import annotator
from tests.gui.helpers_mainwindow import (
    focused,
    isolate_settings,
    open_window,
    press,
    seed_project,
    type_text,
)

pytestmark = pytest.mark.gui

K = Qt.Key
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def selected_text(w) -> str:
    s, e = w.view.text_selection()
    return w.doc_text[s:e]


def select_word(qtbot, w, words: str, limit: int = 200) -> None:
    """Alt+Right token by token until the first word is selected, Alt+Shift+Right for more."""
    first, *rest = words.split()
    for _ in range(limit):
        press(qtbot, K.Key_Right, ALT)
        if selected_text(w) == first:
            break
    else:
        raise AssertionError(f"never reached {first!r}")
    for _ in rest:
        press(qtbot, K.Key_Right, ALT | SHIFT)
    assert selected_text(w) == words


def tab_to(qtbot, w, text: str, backwards: bool = False, limit: int = 60) -> None:
    """Tab (Shift+Tab) through annotations until the selected span's text is ``text``."""
    for _ in range(limit):
        press(qtbot, K.Key_Tab, SHIFT if backwards else Qt.KeyboardModifier.NoModifier)
        sel = w.view.selected_annotation()
        if sel and sel[0] == "span":
            s = w.project.span(sel[1])
            if w.doc_text[s.start:s.end] == text:
                return
    raise AssertionError(f"never reached span {text!r}")


def test_annotate_seed_article_by_keyboard(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = seed_project(tmp_path)
    w = open_window(qtbot, path, annotator_name="kb")
    assert w.view.isAncestorOf(focused()) or focused() is w.view

    # entities of the headline and the first paragraph, left to right
    for words, key in (("Russia", K.Key_G), ("NATO", K.Key_O)):
        select_word(qtbot, w, words)
        press(qtbot, key)
    # the headline's "Meeting" is a Contact.Meet trigger: E, filter, Enter
    select_word(qtbot, w, "Meeting")
    press(qtbot, K.Key_E)
    qtbot.waitUntil(lambda: w.popup is not None and focused() is w.popup.filter)
    type_text(qtbot, "contact.meet")
    press(qtbot, K.Key_Return)
    qtbot.waitUntil(lambda: w.popup is None)
    assert w.event_id is not None
    # fill the Entity role (key 1) with Russia and NATO: Shift+Tab back to each, press 1
    tab_to(qtbot, w, "NATO", backwards=True)
    press(qtbot, K.Key_1)
    tab_to(qtbot, w, "Russia", backwards=True)
    press(qtbot, K.Key_1)
    # realis: focus the inspector (Ctrl+3) and pick "other" in the Realis combo by keys
    press(qtbot, K.Key_3, CTRL)
    w.inspector.rebuild_now()
    from PySide6.QtWidgets import QComboBox

    realis = w.inspector.widget().findChild(QComboBox, "cur_event_attr_realis")
    for _ in range(30):
        if focused() is realis:
            break
        press(qtbot, K.Key_Tab)
    assert focused() is realis
    press(qtbot, K.Key_Down)
    press(qtbot, K.Key_Down)
    qtbot.waitUntil(lambda: w.project.event(w.event_id).attrs.get("realis") == "other")
    # back to the text; Esc releases the event
    press(qtbot, K.Key_2, CTRL)
    press(qtbot, K.Key_Escape)
    press(qtbot, K.Key_Escape)
    assert w.event_id is None

    # second paragraph: Russian (GPE) President (JOB-TITLE) Dmitry Medvedev (PER) NATO (ORG)
    for words, key in (("Russian", K.Key_G), ("President", K.Key_J),
                       ("Dmitry Medvedev", K.Key_P), ("NATO", K.Key_O)):
        select_word(qtbot, w, words)
        press(qtbot, key)
    # relation: Medvedev works for Russia (ORG-AFF.Employment PER -> GPE)
    tab_to(qtbot, w, "Dmitry Medvedev", backwards=True)
    press(qtbot, K.Key_R)
    tab_to(qtbot, w, "Russian", backwards=True)
    press(qtbot, K.Key_Return)
    qtbot.waitUntil(lambda: w.popup is not None and focused() is w.popup.filter)
    type_text(qtbot, "employ")
    assert w.popup.visible_values() == ["ORG-AFF.Employment"]
    press(qtbot, K.Key_Return)
    qtbot.waitUntil(lambda: w.popup is None)
    # BRUSSELS (GPE) and Reuters (ORG) in the dateline
    for words, key in (("BRUSSELS", K.Key_G), ("Reuters", K.Key_O)):
        select_word(qtbot, w, words)
        press(qtbot, key)
    press(qtbot, K.Key_D, CTRL)  # done

    path = w.project.path
    w.close()
    p = annotator.open_project(path, readonly=True)
    doc = p.documents()[0]
    text = p.document(doc.id).text
    ann = p.annotations(doc.id, "kb")
    by_text = {(text[s.start:s.end], s.label) for s in ann.spans}
    assert {("Russia", "GPE"), ("NATO", "ORG"), ("Russian", "GPE"), ("President", "JOB-TITLE"),
            ("Dmitry Medvedev", "PER"), ("BRUSSELS", "GPE"), ("Reuters", "ORG"),
            ("Meeting", "Contact.Meet")} <= by_text
    entities = [s for s in ann.spans if s.kind != "trigger"]
    assert len(entities) >= 5
    assert all(s.created_by == "kb" for s in ann.spans)
    [event] = ann.events
    spans = ann.span_by_id()
    assert event.type == "Contact.Meet"
    assert text[spans[event.trigger_id].start:spans[event.trigger_id].end] == "Meeting"
    assert event.attrs.get("realis") == "other"
    assert sorted((a.role, text[spans[a.filler_id].start:spans[a.filler_id].end])
                  for a in event.arguments) == [("Entity", "NATO"), ("Entity", "Russia")]
    [rel] = ann.relations
    assert rel.type == "ORG-AFF.Employment"
    head, tail = spans[rel.head_id], spans[rel.tail_id]
    assert (text[head.start:head.end], text[tail.start:tail.end]) == ("Dmitry Medvedev",
                                                                      "Russian")
    assert p.status(doc.id, "kb") == "done"
    assert p.problems(doc.id) == [] or all(x.severity == "warning" for x in p.problems(doc.id))
    p.close()
