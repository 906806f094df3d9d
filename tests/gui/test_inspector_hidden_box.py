"""While the hint covers the inspector's span box (a text selection replaced the selected span),
no field of the box takes the keyboard focus, and the label key that follows makes them usable
again (#10.16: the box is no longer disabled and enabled again for that, which cost every label
key a change event to each of its ~50 widgets)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QGroupBox, QWidget

from tests.conftest import word_offsets
from tests.gui.helpers_mainwindow import (
    focused,
    isolate_settings,
    open_window,
    press,
    seed_project,
)

K = Qt.Key


def _settle(qtbot, w) -> None:
    qtbot.waitUntil(lambda: not w.inspector._pending and not w.panels.pending)
    for _ in range(3):
        QApplication.processEvents()


def _open_with_hint_over_box(qtbot, tmp_path):
    """The window after a label key on 'NATO' (span box built) and a text selection of
    'Russia' (the hint over the box); the box."""
    from annotator.gui.live_dictionary import live_dictionary_of

    isolate_settings(tmp_path)
    w = open_window(qtbot, seed_project(tmp_path))
    live_dictionary_of(w).set_enabled(False)  # its suggestions would change the selection
    w.view.set_text_selection(*word_offsets(w.doc_text, "NATO"))
    _settle(qtbot, w)
    press(qtbot, K.Key_O)
    _settle(qtbot, w)
    box = w.inspector.widget().findChild(QGroupBox, "spanBox")
    assert box is not None
    w.view.set_text_selection(*word_offsets(w.doc_text, "Russia"))
    _settle(qtbot, w)
    return w, box


def test_tab_in_the_inspector_never_reaches_the_covered_span_box(qtbot, tmp_path):
    w, box = _open_with_hint_over_box(qtbot, tmp_path)
    press(qtbot, K.Key_3, Qt.KeyboardModifier.ControlModifier)  # focus the inspector
    for _ in range(6):
        f = focused()
        assert f is None or not box.isAncestorOf(f), f.objectName()
        if f is None or not w.inspector.isAncestorOf(f):
            break
        press(qtbot, K.Key_Tab)
    w.view.setFocus()
    qtbot.waitUntil(lambda: focused() is w.view or w.view.isAncestorOf(focused()))
    press(qtbot, K.Key_O)  # ORG: the same box comes back on top, filled with Russia
    _settle(qtbot, w)
    combo = w.inspector.widget().findChild(QComboBox, "span_label")
    assert combo is not None and box.isAncestorOf(combo)
    assert combo.currentData() == "ORG"
    press(qtbot, K.Key_3, Qt.KeyboardModifier.ControlModifier)
    reached = []
    for _ in range(12):  # Tab through the inspector: the box's fields take the focus again
        f = focused()
        if f is not None and box.isAncestorOf(f):
            reached.append(f.objectName())
        press(qtbot, K.Key_Tab)
    assert "span_label" in reached


def test_a_field_with_the_focus_gives_it_up_when_the_hint_covers_its_box(qtbot, tmp_path):
    from annotator.gui.live_dictionary import live_dictionary_of

    isolate_settings(tmp_path)
    w = open_window(qtbot, seed_project(tmp_path))
    live_dictionary_of(w).set_enabled(False)
    w.view.set_text_selection(*word_offsets(w.doc_text, "NATO"))
    _settle(qtbot, w)
    press(qtbot, K.Key_O)  # ORG: NATO selected, its box shown
    _settle(qtbot, w)
    box = w.inspector.widget().findChild(QGroupBox, "spanBox")
    combo = w.inspector.widget().findChild(QComboBox, "span_label")
    assert box is not None and combo is not None and box.isAncestorOf(combo)
    combo.setFocus()  # the user is in the label field
    qtbot.waitUntil(lambda: focused() is combo)
    w.view.set_text_selection(*word_offsets(w.doc_text, "Russia"))  # the hint covers the box
    _settle(qtbot, w)
    f: QWidget | None = focused()
    assert f is None or not box.isAncestorOf(f)  # no key goes to a field no one sees
    w.view.setFocus()
    qtbot.waitUntil(lambda: focused() is w.view or w.view.isAncestorOf(focused()))
    press(qtbot, K.Key_O)  # ORG on Russia: the same box back on top, usable
    _settle(qtbot, w)
    shown = w.inspector.widget().findChild(QComboBox, "span_label")
    assert shown is combo and shown.currentData() == "ORG"
    assert box.isEnabled() and shown.focusPolicy() != Qt.FocusPolicy.NoFocus


def test_label_keys_update_every_panel(qtbot, tmp_path):
    """A label key, then a relabel key on a role's filler: the document row and the status
    bar count the new span, the inspector shows the span's new label, and the problems
    panel lists the wrong filler (each panel follows the key, as a person sees it)."""
    from annotator.gui.live_dictionary import live_dictionary_of
    from tests.gui.helpers_mainwindow import small_project

    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path))
    live_dictionary_of(w).set_enabled(False)
    p, doc = w.project, w.current_doc
    m = w.doc_text.index(" met ") + 1
    event = p.add_trigger_event(doc, m, m + 3, "Meet")
    _settle(qtbot, w)
    assert w.status_count.text() == "1 annotation · new"
    w.view.set_text_selection(*word_offsets(w.doc_text, "Russia"))
    _settle(qtbot, w)
    press(qtbot, K.Key_G)  # Russia: GPE
    qtbot.waitUntil(lambda: not w.panels.pending and not w.inspector._pending)
    sel = w.view.selected_annotation()
    assert sel is not None and sel[0] == "span"
    assert w.doclist.summary(doc).annotation_count == 2  # the document's row
    assert w.status_count.text() == "2 annotations · new"  # the status bar
    combo = w.inspector.widget().findChild(QComboBox, "span_label")
    assert combo is not None and combo.currentData() == "GPE"  # the inspector
    assert [x.code for x in w.problems_panel.problems] == ["missing-role"]  # Meet's Entity
    p.add_argument(event.id, "Entity", sel[1])  # Russia fills the meeting's Entity role
    _settle(qtbot, w)
    press(qtbot, K.Key_T)  # relabel the selected Russia: TIME cannot fill Entity
    qtbot.waitUntil(lambda: not w.panels.pending and not w.inspector._pending)
    combo = w.inspector.widget().findChild(QComboBox, "span_label")
    assert combo is not None and combo.currentData() == "TIME"
    assert [s.label for s in p.spans(doc) if s.id == sel[1]] == ["TIME"]
    messages = [x.message for x in w.problems_panel.problems]
    assert any("cannot be filled by TIME" in x for x in messages), messages
    assert w.problems_panel.tree.topLevelItemCount() == len(messages)
