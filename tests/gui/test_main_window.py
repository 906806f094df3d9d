"""Main window driven by key presses and clicks, offscreen; results checked in the project file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import annotator
from annotator.gui import actions
from tests.gui.helpers_mainwindow import (
    focused,
    isolate_settings,
    open_window,
    press,
    small_project,
    type_text,
)

pytestmark = pytest.mark.gui

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def win(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    w = open_window(qtbot, path)
    yield w
    if w.project is not None:
        w.close()


def reopen(path):
    return annotator.open_project(path, readonly=True, annotator="ana")


def doc_id(w, name):
    return w.project.document_by_name(name).id


def select_tokens(qtbot, w, first: int, count: int = 1) -> None:
    """Select tokens by keyboard: Alt+Right to the first, Alt+Shift+Right to extend."""
    w.view.setFocus()
    w.view.set_text_selection(0, 0)
    press(qtbot, K.Key_Right, ALT, times=first + 1)
    if count > 1:
        press(qtbot, K.Key_Right, ALT | SHIFT, times=count - 1)


def text_of_selection(w):
    s, e = w.view.text_selection()
    return w.doc_text[s:e]


# ---- documents ----------------------------------------------------------------------------

def test_navigate_mark_done_filter(win, qtbot, tmp_path):
    w = win
    assert w.current_doc == doc_id(w, "alpha")
    assert w.status_doc.text() == "document 1 of 3"
    assert w.status_annotator.text() == "annotator: ana"
    press(qtbot, K.Key_PageDown, CTRL)
    assert w.current_doc == doc_id(w, "beta")
    press(qtbot, K.Key_Down, ALT)
    assert w.current_doc == doc_id(w, "gamma")
    assert w.status_doc.text() == "document 3 of 3"
    press(qtbot, K.Key_Up, ALT)
    press(qtbot, K.Key_PageUp, CTRL)
    assert w.current_doc == doc_id(w, "alpha")
    press(qtbot, K.Key_D, CTRL)  # mark done
    assert w.project.status(doc_id(w, "alpha")) == "done"
    assert w.status_saved.text() == "saved"
    press(qtbot, K.Key_PageDown, CTRL)
    press(qtbot, K.Key_D, CTRL | SHIFT)  # in progress
    assert w.project.status(doc_id(w, "beta")) == "in_progress"
    w.refresh_panels()
    # filter by status
    w.doclist.set_filter(status="done")
    assert w.doclist.visible_ids() == [doc_id(w, "alpha")]
    w.doclist.set_filter(status="")
    # sorting by a header changes what next/previous follow; -1 restores project order
    w.doclist.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert w.doclist.visible_ids() == [doc_id(w, n) for n in ("gamma", "beta", "alpha")]
    w.doclist.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert w.doclist.visible_ids() == [doc_id(w, n) for n in ("alpha", "beta", "gamma")]
    # filter by text, typed into the filter box
    press(qtbot, K.Key_1, CTRL)  # focus the document list
    assert focused() is w.doclist.table
    w.doclist.filter_edit.setFocus()
    type_text(qtbot, "gam")
    assert w.doclist.visible_ids() == [doc_id(w, "gamma")]
    press(qtbot, K.Key_Return)
    assert w.current_doc == doc_id(w, "gamma")
    path = w.project.path
    w.close()
    p = reopen(path)
    assert p.status(p.document_by_name("alpha").id, "ana") == "done"
    assert p.status(p.document_by_name("beta").id, "ana") == "in_progress"
    p.close()


# ---- labelling ----------------------------------------------------------------------------

def test_label_by_hotkey_palette_quickpick(win, qtbot):
    w = win
    select_tokens(qtbot, w, 0)  # "Russia"
    assert text_of_selection(w) == "Russia"
    press(qtbot, K.Key_G)
    spans = w.project.spans(w.current_doc)
    assert [(s.label, w.doc_text[s.start:s.end]) for s in spans] == [("GPE", "Russia")]
    assert w.view.selected_annotation() == ("span", spans[0].id)
    assert w.actions_["undo"].text().replace("&", "") == "Undo Add GPE"
    # palette click
    select_tokens(qtbot, w, 2)  # "NATO"
    assert text_of_selection(w) == "NATO"
    item = w.label_palette.items["ORG"]
    rect = w.label_palette.tree.visualItemRect(item)
    qtbot.mouseClick(w.label_palette.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert {(s.label, w.doc_text[s.start:s.end]) for s in w.project.spans(w.current_doc)} == \
        {("GPE", "Russia"), ("ORG", "NATO")}
    # quick pick: Q, type "ti", Enter
    select_tokens(qtbot, w, 5)  # "Brussels"
    assert text_of_selection(w) == "Brussels"
    w.view.setFocus()
    press(qtbot, K.Key_Q)
    assert w.popup is not None
    qtbot.waitUntil(lambda: focused() is w.popup.filter)
    type_text(qtbot, "gp")
    assert w.popup.visible_values() == ["GPE"]
    w.popup.filter.clear()
    type_text(qtbot, "mee")
    assert w.popup.visible_values() == ["event:Meet"]  # event types are listed too
    w.popup.filter.clear()
    type_text(qtbot, "gp")
    press(qtbot, K.Key_Return)
    assert w.popup is None
    labels = sorted((s.label, w.doc_text[s.start:s.end]) for s in w.project.spans(w.current_doc))
    assert labels == [("GPE", "Brussels"), ("GPE", "Russia"), ("ORG", "NATO")]


def test_label_all_relabel_resize_delete_undo(win, qtbot):
    w = win
    p = w.project
    select_tokens(qtbot, w, 0)
    press(qtbot, K.Key_G)  # Russia -> GPE (twice in the text)
    press(qtbot, K.Key_A, CTRL | SHIFT)  # label all occurrences
    russia = [s for s in p.spans(w.current_doc) if s.label == "GPE"]
    assert len(russia) == 2
    assert w.actions_["undo"].text().replace("&", "").startswith("Undo Label all")
    press(qtbot, K.Key_Z, CTRL)  # one step undoes both additions of label-all
    assert len(p.spans(w.current_doc)) == 1
    press(qtbot, K.Key_Z, CTRL | SHIFT)
    assert len(p.spans(w.current_doc)) == 2
    # relabel the selected span by hotkey
    first = min(p.spans(w.current_doc), key=lambda s: s.start)
    w.view.select_annotation("span", first.id)
    press(qtbot, K.Key_O)
    assert p.span(first.id).label == "ORG"
    assert w.actions_["undo"].text().replace("&", "") == "Undo Relabel ORG"
    # grow the end by a token, shrink it back, grow and shrink the start
    press(qtbot, K.Key_Right, CTRL | ALT)
    s = p.span(first.id)
    assert w.doc_text[s.start:s.end] == "Russia said"
    press(qtbot, K.Key_Left, CTRL | ALT)
    s = p.span(first.id)
    assert w.doc_text[s.start:s.end] == "Russia"
    w.view.select_annotation("span", first.id)
    press(qtbot, K.Key_BracketRight, CTRL)  # alternative key: grow end
    press(qtbot, K.Key_Right, CTRL | ALT | SHIFT)  # shrink start
    s = p.span(first.id)
    assert w.doc_text[s.start:s.end] == "said"
    press(qtbot, K.Key_Left, CTRL | ALT | SHIFT)  # grow start
    s = p.span(first.id)
    assert w.doc_text[s.start:s.end] == "Russia said"
    # delete with dependants: a relation and an event argument on the span
    other = [x for x in p.spans(w.current_doc) if x.id != first.id][0]
    rel = p.add_relation("located_in", first.id, other.id)
    m = w.doc_text.index(" met ") + 1
    ev = p.add_trigger_event(w.current_doc, m, m + 3, "Meet")  # "met"
    p.add_argument(ev.id, "Entity", first.id)
    w.view.select_annotation("span", first.id)
    press(qtbot, K.Key_Delete)
    with pytest.raises(annotator.errors.NotFoundError):
        p.span(first.id)
    with pytest.raises(annotator.errors.NotFoundError):
        p.relation(rel.id)
    assert p.event(ev.id).arguments == []
    assert w.actions_["undo"].text().replace("&", "") == "Undo Delete ORG"
    press(qtbot, K.Key_Z, CTRL)
    assert p.span(first.id).label == "ORG"
    assert p.relation(rel.id).head_id == first.id
    assert [a.filler_id for a in p.event(ev.id).arguments] == [first.id]
    assert w.actions_["redo"].text().replace("&", "") == "Redo Delete ORG"
    press(qtbot, K.Key_Y, CTRL)
    assert all(s.id != first.id for s in p.spans(w.current_doc))
    path = p.path
    w.close()
    q = reopen(path)
    d = q.document_by_name("alpha")
    assert sorted((s.label, d.text[s.start:s.end]) for s in q.spans(d.id, "ana")) == \
        [("GPE", "Russia"), ("Meet", "met")]
    q.close()


def test_label_all_corpus(win, qtbot):
    w = win
    p = w.project
    select_tokens(qtbot, w, 2)  # NATO
    press(qtbot, K.Key_O)
    press(qtbot, K.Key_A, CTRL | ALT | SHIFT)
    per_doc = {d.name: sum(s.label == "ORG" for s in p.spans(d.id)) for d in p.documents()}
    assert per_doc == {"alpha": 2, "beta": 1, "gamma": 1}
    press(qtbot, K.Key_Z, CTRL)  # one step
    per_doc = {d.name: sum(s.label == "ORG" for s in p.spans(d.id)) for d in p.documents()}
    assert per_doc == {"alpha": 1, "beta": 0, "gamma": 0}


# ---- relations ----------------------------------------------------------------------------

def test_relation_by_keyboard_reverse_delete(win, qtbot):
    w = win
    p = w.project
    select_tokens(qtbot, w, 2)
    press(qtbot, K.Key_O)  # NATO ORG
    select_tokens(qtbot, w, 5)
    press(qtbot, K.Key_G)  # Brussels GPE
    nato = next(s for s in p.spans(w.current_doc) if s.label == "ORG")
    brussels = next(s for s in p.spans(w.current_doc) if s.label == "GPE")
    w.view.select_annotation("span", nato.id)
    press(qtbot, K.Key_R)
    assert w.relation_head == nato.id
    press(qtbot, K.Key_Tab)
    assert w.view.selected_annotation() == ("span", brussels.id)
    press(qtbot, K.Key_Return)
    assert w.popup is not None
    assert w.popup.visible_values() == ["member_of", "located_in"]
    qtbot.waitUntil(lambda: focused() is w.popup.filter)
    press(qtbot, K.Key_2)  # located_in
    rels = p.annotations(w.current_doc).relations
    assert [(r.type, r.head_id, r.tail_id) for r in rels] == \
        [("located_in", nato.id, brussels.id)]
    assert w.view.selected_annotation() == ("relation", rels[0].id)
    assert w.inspector.selection == ("relation", rels[0].id)
    press(qtbot, K.Key_R, CTRL)  # reverse
    r = p.relation(rels[0].id)
    assert (r.head_id, r.tail_id) == (brussels.id, nato.id)
    # inspector shows the ends after the rebuild
    w.inspector.rebuild_now()
    ends = w.inspector.widget().findChild(type(w.status_doc), "relation_ends")
    assert ends.text() == "Brussels → NATO"
    w.view.setFocus()
    w.view.select_annotation("relation", r.id)
    press(qtbot, K.Key_Delete)
    assert p.annotations(w.current_doc).relations == []
    # Esc cancels a pending relation
    w.view.select_annotation("span", nato.id)
    press(qtbot, K.Key_R)
    press(qtbot, K.Key_Escape)
    assert w.relation_head is None


# ---- events -------------------------------------------------------------------------------

def test_event_by_keyboard_roles_realis_required_flag(win, qtbot):
    w = win
    p = w.project
    # alpha: "Russia said NATO met in Brussels. ..."
    select_tokens(qtbot, w, 0)
    press(qtbot, K.Key_G)
    select_tokens(qtbot, w, 2)
    press(qtbot, K.Key_O)
    select_tokens(qtbot, w, 5)
    press(qtbot, K.Key_G)
    select_tokens(qtbot, w, 3)  # "met"
    assert text_of_selection(w) == "met"
    press(qtbot, K.Key_E)
    qtbot.waitUntil(lambda: w.popup is not None and focused() is w.popup.filter)
    assert w.popup.visible_values() == ["Attack", "Meet"]
    type_text(qtbot, "att")
    press(qtbot, K.Key_Return)
    events = p.annotations(w.current_doc).events
    assert [e.type for e in events] == ["Attack"]
    ev = events[0]
    assert w.event_id == ev.id
    assert ev.attrs == {}  # only what was set is stored; the inspector shows the default
    assert p.schema.effective_attrs("event", ev.type, ev.attrs) == {"realis": "actual"}
    w.inspector.rebuild_now()
    assert w.inspector.flagged == ["Attacker"]  # required (1) and empty
    flag = w.inspector.widget().findChild(type(w.status_doc), "cur_event_role_Attacker")
    assert flag.property("flagged") is True
    assert "color" in flag.styleSheet()
    # fill roles: Tab to an entity, press the role digit
    w.view.setFocus()
    w.view.set_text_selection(0, 0)
    press(qtbot, K.Key_Tab)  # Russia
    sel = w.view.selected_annotation()
    assert p.span(sel[1]).label == "GPE" and w.doc_text[p.span(sel[1]).start:
                                                         p.span(sel[1]).end] == "Russia"
    press(qtbot, K.Key_1)  # Attacker
    press(qtbot, K.Key_Tab)  # NATO
    press(qtbot, K.Key_2)  # Target
    press(qtbot, K.Key_Tab)  # met (trigger) -> skip
    if w.view.selected_annotation()[1] == ev.trigger_id:
        press(qtbot, K.Key_Tab)
    press(qtbot, K.Key_3)  # Place: Brussels
    ev = p.event(ev.id)
    got = {(a.role, w.doc_text[p.span(a.filler_id).start:p.span(a.filler_id).end])
           for a in ev.arguments}
    assert got == {("Attacker", "Russia"), ("Target", "NATO"), ("Place", "Brussels")}
    w.inspector.rebuild_now()
    assert w.inspector.flagged == []
    # a second Place is refused (cardinality ?), a second Target is allowed (*)
    w.view.set_text_selection(0, 0)
    press(qtbot, K.Key_Tab)
    press(qtbot, K.Key_3)
    assert len([a for a in p.event(ev.id).arguments if a.role == "Place"]) == 1
    press(qtbot, K.Key_2)
    assert len([a for a in p.event(ev.id).arguments if a.role == "Target"]) == 2
    # Shift+Del removes the last argument
    press(qtbot, K.Key_Delete, SHIFT)
    assert len([a for a in p.event(ev.id).arguments if a.role == "Target"]) == 1
    # realis through the inspector's combo box, by keyboard
    w.inspector.rebuild_now()
    from PySide6.QtWidgets import QComboBox

    combo = w.inspector.widget().findChild(QComboBox, "cur_event_attr_realis")
    assert combo.currentText() == "actual"  # the schema's default, shown though not stored
    combo.setFocus()
    press(qtbot, K.Key_Down)
    qtbot.waitUntil(lambda: p.event(ev.id).attrs.get("realis") == "generic")
    assert w.actions_["undo"].text().replace("&", "") == "Undo Edit event Attack"
    # Esc in the view releases the current event
    w.view.setFocus()
    press(qtbot, K.Key_Escape)
    press(qtbot, K.Key_Escape)
    assert w.event_id is None
    press(qtbot, K.Key_1)  # nothing armed: no change, no crash
    path = p.path
    w.close()
    q = reopen(path)
    e = q.annotations(q.document_by_name("alpha").id, "ana").events[0]
    assert e.attrs["realis"] == "generic"
    assert sorted(a.role for a in e.arguments) == ["Attacker", "Place", "Target"]
    q.close()


def test_problems_panel_wrong_filler_enter_jumps(win, qtbot):
    w = win
    p = w.project
    select_tokens(qtbot, w, 0)
    press(qtbot, K.Key_G)  # Russia GPE
    a = w.doc_text.index("again")
    t = w.project.add_span(w.current_doc, a, a + 5, "TIME")  # "again" as TIME (wrong filler)
    m = w.doc_text.index(" met ") + 1
    ev = p.add_trigger_event(w.current_doc, m, m + 3, "Meet")
    p.add_argument(ev.id, "Entity", t.id)
    w.refresh_panels()
    msgs = [x.message for x in w.problems_panel.problems]
    assert any("cannot be filled by TIME" in m for m in msgs), msgs
    w.problems_panel.tree.setFocus()
    i = next(i for i, x in enumerate(w.problems_panel.problems) if x.code == "wrong-filler")
    w.problems_panel.tree.setCurrentItem(w.problems_panel.tree.topLevelItem(i))
    press(qtbot, K.Key_Return)
    # one thing is selected (#10.8): the event, whose arcs lead to the wrong filler
    assert w.view.selected_annotation() == ("event", ev.id)
    s, e = w.view.text_selection()
    assert s == e
    assert focused() is not None and w.view.isAncestorOf(focused())
    # F8 cycles problems too
    press(qtbot, K.Key_F8)


def test_undo_menu_text_and_shortcuts_dialog(win, qtbot):
    w = win
    assert not w.actions_["undo"].isEnabled()
    select_tokens(qtbot, w, 0)
    press(qtbot, K.Key_P)
    assert w.actions_["undo"].text().replace("&", "") == "Undo Add PER"
    assert w.actions_["undo"] in w.edit_menu.actions()
    press(qtbot, K.Key_Z, CTRL)
    assert w.project.spans(w.current_doc) == []
    assert w.actions_["redo"].text().replace("&", "") == "Redo Add PER"
    press(qtbot, K.Key_Z, CTRL | SHIFT)
    assert len(w.project.spans(w.current_doc)) == 1
    press(qtbot, K.Key_F1)
    dlg = w.shortcuts_dialog
    from annotator.gui.keymap import KEYMAP

    rows = dlg.row_texts()
    for k in KEYMAP:
        assert ", ".join(k.keys) in rows
    assert "P" in rows  # the schema's label keys too
    dlg.close()


def test_find_and_corpus_search(win, qtbot):
    w = win
    press(qtbot, K.Key_F, CTRL)
    assert focused() is w.find_bar.edit
    type_text(qtbot, "Brussels")
    press(qtbot, K.Key_Return)
    assert text_of_selection(w) == "Brussels"
    press(qtbot, K.Key_Escape)
    assert w.view.isAncestorOf(focused()) or focused() is w.view
    press(qtbot, K.Key_F3)
    assert text_of_selection(w) == "Brussels"
    press(qtbot, K.Key_F, CTRL | SHIFT)
    dlg = w.corpus_search
    qtbot.waitUntil(lambda: focused() is dlg.query)
    type_text(qtbot, "Georgia")
    press(qtbot, K.Key_Return)
    assert dlg.results.count() == 1
    press(qtbot, K.Key_Return)
    assert w.current_doc == doc_id(w, "beta")
    assert text_of_selection(w) == "Georgia"


def test_font_size_and_arcs_toggle(win, qtbot):
    w = win
    size = w.view.font_point_size()
    press(qtbot, K.Key_Plus, CTRL)
    assert w.view.font_point_size() == size + 1
    press(qtbot, K.Key_Minus, CTRL)
    press(qtbot, K.Key_Minus, CTRL)
    assert w.view.font_point_size() == size - 1
    press(qtbot, K.Key_0, CTRL)
    assert w.view.font_point_size() == 12
    press(qtbot, K.Key_L, CTRL | SHIFT)
    assert w.view.show_all_arcs is True


def test_annotation_set_gold(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    p = annotator.open_project(path, annotator="gold")
    d = p.document_by_name("alpha")
    p.add_span(d.id, 0, 6, "GPE")
    p.close()
    w = open_window(qtbot, path, annotation_set="gold")
    assert (w.project.annotator, w.project.annotation_set) == ("ana", "gold")
    assert w.status_annotator.text() == "annotator: ana · set: gold"
    assert [s.label for s in w.project.spans(w.current_doc)] == ["GPE"]
    # an edit of the gold set is recorded under the annotator's name
    w.view.set_text_selection(12, 16)  # NATO
    press(qtbot, K.Key_O)
    added = next(s for s in w.project.spans(w.current_doc, "gold") if s.label == "ORG")
    assert (added.annotator, added.created_by) == ("gold", "ana")
    w.set_annotation_set("ana")
    assert w.project.annotation_set == "ana"
    assert w.project.spans(w.current_doc) == []
    w.close()


def test_errors_are_shown_not_raised(win, qtbot):
    w = win
    shown = []
    import annotator.gui.operations as ops

    orig = ops.show_error
    ops.show_error = lambda parent, exc, title="Error": shown.append(str(exc))
    try:
        w.run_edit(lambda: w.project.add_span(w.current_doc, 0, 6, "NOPE"))
    finally:
        ops.show_error = orig
    assert shown and "not in the schema" in shown[0]


def test_every_keymap_entry_is_a_working_action(win):
    from PySide6.QtGui import QKeySequence

    from annotator.gui.keymap import KEYMAP

    w = win
    for k in KEYMAP:
        if k.scope == "view" or k.name in ("label_hotkey", "fill_role"):
            continue
        act = w.actions_[k.name]
        assert [s.toString(QKeySequence.SequenceFormat.PortableText) for s in act.shortcuts()] \
            == [QKeySequence(x).toString(QKeySequence.SequenceFormat.PortableText)
                for x in k.keys], k.name
    for digit in "1234567890":
        assert w.actions_[f"fill_role_{digit}"].shortcut().toString() == digit
    # label actions come from the schema's hotkeys
    assert {a.text().split()[0]: a.shortcut().toString() for a in w.label_actions} == \
        {"PER": "P", "ORG": "O", "GPE": "G", "TIME": "T"}


def test_new_project_and_recent(win, qtbot, tmp_path):
    w = win
    path = tmp_path / "fresh.annproj"
    w.new_project(str(path), "news-basic")
    assert w.project.path == path
    assert w.project.schema.name == "news-basic"
    assert w.doclist.model.docs == []
    assert w.status_doc.text() == "no document"
    # news-basic's EVENT label has hotkey "e": moved to Shift+E (E makes events)
    keys = {a.text().split()[0]: a.shortcut().toString() for a in w.label_actions}
    assert keys["EVENT"] == "Shift+E"
    actions.fill_recent(w)
    assert w.recent_menu.actions()[0].text() == str(path.resolve())


def test_pick_role_by_name_reaches_roles_past_the_tenth(qtbot, tmp_path):
    """ACE Movement.Transport has 14 roles; digits reach ten, A + a filter reaches them all."""
    isolate_settings(tmp_path)
    path = tmp_path / "ace.annproj"
    p = annotator.create_project(path, schema="ace2005-news", annotator="ana")
    p.add_document("Troops moved to Gori until Monday .", name="transport")
    p.close()
    w = open_window(qtbot, path)
    p = w.project
    select_tokens(qtbot, w, 5)  # "Monday"
    assert text_of_selection(w) == "Monday"
    press(qtbot, K.Key_Q)
    qtbot.waitUntil(lambda: w.popup is not None and focused() is w.popup.filter)
    type_text(qtbot, "TIME")
    press(qtbot, K.Key_Return)
    select_tokens(qtbot, w, 1)  # "moved"
    press(qtbot, K.Key_E)
    qtbot.waitUntil(lambda: w.popup is not None and focused() is w.popup.filter)
    type_text(qtbot, "transport")
    press(qtbot, K.Key_Return)
    (ev,) = p.annotations(w.current_doc).events
    assert ev.type == "Movement.Transport" and w.event_id == ev.id
    assert len(p.schema.event_type(ev.type).roles) > 10
    w.view.setFocus()
    w.view.set_text_selection(0, 0)
    for _ in range(3):  # Tab from span to span: "moved" (the trigger), then "Monday"
        press(qtbot, K.Key_Tab)
        kind, ann_id = w.view.selected_annotation()
        if kind == "span" and p.span(ann_id).label == "TIME":
            break
    press(qtbot, K.Key_A)
    qtbot.waitUntil(lambda: w.popup is not None and focused() is w.popup.filter)
    assert len(w.popup.visible_values()) == len(p.schema.event_type(ev.type).roles)
    type_text(qtbot, "ending")
    assert w.popup.visible_values() == ["Time-Ending"]
    press(qtbot, K.Key_Return)
    (arg,) = p.event(ev.id).arguments
    assert arg.role == "Time-Ending" and p.span(arg.filler_id).label == "TIME"
    assert w.actions_["undo"].text().replace("&", "").startswith("Undo")
    w.close()
    assert [(a.role) for a in reopen(path).event(ev.id).arguments] == ["Time-Ending"]


# ---- panels follow the Changes of each edit -----------------------------------------------

def _counting(obj, name, calls):
    """Replace ``obj.name`` by a wrapper that records its first argument in ``calls``."""
    orig = getattr(obj, name)

    def wrapper(*args, **kwargs):
        calls.append(args[0] if args else None)
        return orig(*args, **kwargs)

    setattr(obj, name, wrapper)


def test_label_key_updates_one_row_and_rechecks_one_document(win, qtbot):
    from annotator.gui.live_dictionary import live_dictionary_of

    w = win
    live_dictionary_of(w).set_enabled(False)  # its job (0.1 s after an edit) adds suggestions
    p = w.project
    alpha, beta = doc_id(w, "alpha"), doc_id(w, "beta")
    listed, checked, reads, shown = [], [], [], []
    _counting(p, "documents", listed)
    _counting(p, "problems", checked)
    _counting(p, "span", reads)
    _counting(w.inspector, "show_annotation", shown)
    select_tokens(qtbot, w, 0)  # "Russia"
    press(qtbot, K.Key_G)
    assert [s.label for s in p.spans(alpha)] == ["GPE"]
    # the inspector was told once; only the view read the new span back (its own refresh)
    assert len(shown) == 1 and len(reads) <= 1
    qtbot.waitUntil(lambda: not w.panels.pending)
    assert listed == []  # no re-list of every document with an aggregate over all spans
    assert checked == [alpha]
    assert w.doclist.summary(alpha).annotation_count == 1
    assert w.doclist.summary(alpha) == p.document_summary(alpha) == p.documents()[0]
    assert w.status_count.text() == "1 annotation · new"
    # three edits in one event-loop turn: the changed document is re-checked once
    listed.clear()
    checked.clear()
    for start, end in ((12, 16), (24, 32), (34, 40)):
        p.add_span(alpha, start, end, "ORG")
    assert checked == []
    qtbot.waitUntil(lambda: not w.panels.pending)
    assert checked == [alpha] and listed == []
    assert w.doclist.summary(alpha).annotation_count == 4
    # an edit of another document updates its row and does not re-check the shown one
    checked.clear()
    p.add_span(beta, 0, 6, "PER")
    qtbot.waitUntil(lambda: not w.panels.pending)
    assert checked == [] and listed == []
    assert w.doclist.summary(beta).annotation_count == 1
    assert w.status_count.text() == "4 annotations · new"


def test_inspector_rebuilds_only_when_what_it_shows_changed(win, qtbot):
    w = win
    p = w.project
    alpha = doc_id(w, "alpha")
    russia = p.add_span(alpha, 0, 6, "GPE")
    nato = p.add_span(alpha, 12, 16, "ORG")
    w.view.select_annotation("span", russia.id)
    qtbot.waitUntil(lambda: not w.panels.pending)
    w.inspector.rebuild_now()
    rebuilds = []
    _counting(w.inspector, "schedule", rebuilds)
    p.add_span(alpha, 24, 32, "GPE")  # another span: the inspector shows Russia
    p.update_span(nato.id, label="PER")
    assert rebuilds == []
    p.update_span(russia.id, label="PER")  # the shown span
    assert len(rebuilds) == 1
    # a relation shown: an edit of one of its ends rebuilds it
    rel = p.add_relation("located_in", nato.id, russia.id)
    w.view.select_annotation("relation", rel.id)
    qtbot.waitUntil(lambda: not w.panels.pending)
    rebuilds.clear()
    p.update_span(nato.id, label="ORG")
    assert len(rebuilds) == 1


def test_next_document_does_not_relist(win, qtbot):
    w = win
    listed = []
    _counting(w.project, "documents", listed)
    press(qtbot, K.Key_PageDown, CTRL)
    press(qtbot, K.Key_PageDown, CTRL)
    qtbot.waitUntil(lambda: not w.panels.pending)
    assert w.current_doc == doc_id(w, "gamma") and listed == []
    assert w.status_doc.text() == "document 3 of 3"
    # with a filter, next/previous follow the visible rows
    w.doclist.set_filter(text="a")  # alpha, beta, gamma all match "a"
    w.doclist.set_filter(status="new")
    assert w.doclist.neighbour(doc_id(w, "gamma"), -1) == doc_id(w, "beta")
    assert w.doclist.neighbour(doc_id(w, "alpha"), -1) is None
    assert w.doclist.neighbour("", +1) == doc_id(w, "alpha")


def test_open_counts_spans_off_the_gui_thread(qtbot, tmp_path, monkeypatch):
    """Opening lists the documents at once and counts their spans on a worker connection
    (on 10,000 documents the count takes half a second); edits made meanwhile stay right."""
    import threading

    from annotator.core.project import Project

    isolate_settings(tmp_path)
    path = small_project(tmp_path)
    with annotator.open_project(path, annotator="ana") as p:
        beta = p.document_by_name("beta").id
        p.add_span(beta, 0, 6, "PER")
        p.add_span(beta, 7, 15, "PER")
    on_gui_thread = []
    orig = Project.documents

    def documents(self):
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return orig(self)

    monkeypatch.setattr(Project, "documents", documents)
    w = open_window(qtbot, path)  # waits for the counts
    assert on_gui_thread == [False]
    assert [d.annotation_count for d in w.doclist.model.docs] == [0, 2, 0]
    assert w.status_count.text() == "0 annotations · new"
    w.close()


def test_reopen_and_close_while_the_counts_are_read(qtbot, tmp_path):
    """Opening again or closing while the span counts are still read waits for that read
    (a QThread deleted while it runs aborts the process) and drops its stale result."""
    import time

    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

    isolate_settings(tmp_path)
    first, second = small_project(tmp_path, "one.annproj"), small_project(tmp_path, "two.annproj")
    w = MainWindow(Settings(), annotator_name="ana")
    qtbot.addWidget(w)
    t0 = time.perf_counter()
    for _ in range(5):
        w.open_project(first)
        w.open_project(second)
    assert time.perf_counter() - t0 < 20  # no wait() on a thread that cannot quit
    qtbot.waitUntil(lambda: not w.panels.counting)
    assert w.project.path.name == "two.annproj"
    assert [d.annotation_count for d in w.doclist.model.docs] == [0, 0, 0]
    w.open_project(first)
    w.close()
    assert not w.panels.counting
