"""DocumentView: offsets, literal text, mouse and keyboard selection, refresh, shortcuts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QMainWindow

from annotator.core.changes import Changes
from tests.gui.helpers_docview import caret_rect, open_doc_view, qt_cursor, word

pytestmark = pytest.mark.gui

TRICKY = ("😀 Smith met 👍🏽 Jones in Paris.\r\n"
          "Cafe\u0301 owner\tNai\u0308ve\tsaid \u05d3\u05d5\u05d3 and \u0645\u062d\u0645\u062f "
          "left.\rOld line\r\n\r\nLast 😀😀 word.")


def make_view(qtbot, project, text, width=700, height=420):
    doc = project.add_document(text, name="doc")
    return open_doc_view(qtbot, project, doc.id, width, height), doc


def expected_doc_text(text):
    return text.replace("\r\n", "\u2029").replace("\r", "\u2029").replace("\n", "\u2029")


# ---- offsets ------------------------------------------------------------------------------
def test_every_span_maps_to_its_characters_in_the_qt_document(qtbot, project):
    view, doc = make_view(qtbot, project, TRICKY)
    for w in ["Smith", "Jones", "Paris", "Cafe\u0301", "owner", "Nai\u0308ve",
              "\u05d3\u05d5\u05d3", "\u0645\u062d\u0645\u062f", "Old", "line", "Last", "word"]:
        s, e = word(TRICKY, w)
        sel = qt_cursor(view, s, e).selectedText()
        assert sel == w, (w, sel)
    # and every code point boundary round-trips through the document
    m = view.text_map
    for cp in range(len(TRICKY) + 1):
        if 0 < cp < len(TRICKY) and TRICKY[cp - 1:cp + 1] == "\r\n":
            continue
        c = qt_cursor(view, cp)
        assert m.to_cp(c.position()) == cp


def test_block_structure_matches_qt(qtbot, project):
    view, _ = make_view(qtbot, project, TRICKY)
    doc = view.text_area.document()
    m = view.text_map
    assert doc.blockCount() == len(m.block_starts)
    for b in range(doc.blockCount()):
        assert doc.findBlockByNumber(b).position() == m.to_qt(m.block_starts[b])


def test_markup_is_shown_literally(qtbot, project):
    text = "<b>bold?</b> <script>alert(1)</script> &amp; &lt;i&gt;\r\nsecond <br> line"
    view, _ = make_view(qtbot, project, text)
    doc = view.text_area.document()
    assert doc.toPlainText() == text.replace("\r\n", "\n")
    c = QTextCursor(doc)
    c.select(QTextCursor.SelectionType.Document)
    assert c.selectedText() == expected_doc_text(text)


def test_drag_over_word_after_emoji_selects_its_code_points(qtbot, project):
    view, _ = make_view(qtbot, project, TRICKY)
    vp = view.text_area.viewport()
    for snap in (False, True):
        view.snap_to_tokens = snap
        s, e = word(TRICKY, "Jones")
        r0, r1 = caret_rect(view, s), caret_rect(view, e)
        if snap:  # from inside the first letter to inside the last: snapping makes the word
            p0 = QPoint(r0.x() + 2, r0.center().y())
            p1 = QPoint(r1.x() - 2, r1.center().y())
        else:
            p0 = QPoint(r0.x(), r0.center().y())
            p1 = QPoint(r1.x(), r1.center().y())
        qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=p0)
        qtbot.mouseMove(vp, p1)
        qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=p1)
        assert view.text_selection() == (s, e), snap
        assert TRICKY[slice(*view.text_selection())] == "Jones"
        qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))


def test_highlight_covers_exactly_the_span_glyphs(qtbot, project):
    view, doc = make_view(qtbot, project, TRICKY)
    project.subscribe(view.refresh)
    for w, n in [("Jones", 1), ("Nai\u0308ve", 1), ("word", 1), ("line", 1), ("Old", 1),
                 ("\u05d3\u05d5\u05d3", 1), ("\u0645\u062d\u0645\u062f", 1)]:
        s, e = word(TRICKY, w, n)
        span = project.add_span(doc.id, s, e, "PER")
        rects = view.span_rects(span.id)
        assert len(rects) == 1
        r = rects[0]
        r0, r1 = caret_rect(view, s), caret_rect(view, e)
        # right-to-left words run from right to left: the box spans both caret positions
        assert abs(r.left() - min(r0.x(), r1.x())) <= 1.0, w
        assert abs(r.right() - max(r0.x(), r1.x())) <= 1.0, w
        assert r.width() >= 3
        assert r.top() <= r0.center().y() <= r.bottom()


# ---- mouse --------------------------------------------------------------------------------
TEXT = ("John Smith of the United Nations office in Geneva met rebels. "
        "They attacked Aleppo on Tuesday.")


@pytest.fixture
def annotated(qtbot, project):
    view, doc = make_view(qtbot, project, TEXT)
    project.subscribe(view.refresh)
    ids = {}
    ids["john"] = project.add_span(doc.id, *word(TEXT, "John Smith"), "PER").id
    ids["un"] = project.add_span(doc.id, *word(TEXT, "United Nations"), "ORG").id
    ids["office"] = project.add_span(doc.id, *word(TEXT, "United Nations office in Geneva"),
                                     "ORG").id
    ids["geneva"] = project.add_span(doc.id, *word(TEXT, "Geneva"), "GPE").id
    ids["aleppo"] = project.add_span(doc.id, *word(TEXT, "Aleppo"), "GPE").id
    ev = project.add_trigger_event(doc.id, *word(TEXT, "attacked"), "Attack",
                                   arguments=[("Place", ids["aleppo"])])
    ids["event"] = ev.id
    ids["trigger"] = ev.trigger_id
    ids["rel"] = project.add_relation("member_of", ids["john"], ids["un"]).id
    return view, doc, ids


def center_of(view, span_id):
    return view.span_rects(span_id)[0].center().toPoint()


def test_click_on_span_selects_it(qtbot, annotated):
    view, _, ids = annotated
    vp = view.text_area.viewport()
    with qtbot.waitSignal(view.annotationSelected) as blocker:
        qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=center_of(view, ids["john"]))
    assert blocker.args == ["span", ids["john"]]
    assert view.selected_annotation() == ("span", ids["john"])
    # its lane (label tag) is clickable too
    lane = view.lane_rects(ids["aleppo"])[0].center().toPoint()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=lane)
    assert view.selected_annotation() == ("span", ids["aleppo"])
    # empty space clears it
    with qtbot.waitSignal(view.annotationSelected) as blocker:
        qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=QPoint(vp.width() - 5,
                                                                      vp.height() - 5))
    assert blocker.args == ["", ""]
    assert view.selected_annotation() is None


def test_second_click_on_nested_spans_cycles(qtbot, annotated):
    view, _, ids = annotated
    vp = view.text_area.viewport()
    s, e = word(TEXT, "Nations")
    assert view.spans_at(s) == [ids["un"], ids["office"]]
    pos = view.span_rects(ids["un"])[0].center().toPoint()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=pos)
    assert view.selected_annotation() == ("span", ids["un"])  # innermost first
    qtbot.wait(qtbot_wait_ms())
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=pos)
    assert view.selected_annotation() == ("span", ids["office"])
    qtbot.wait(qtbot_wait_ms())
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=pos)
    assert view.selected_annotation() == ("span", ids["un"])


def qtbot_wait_ms():
    from PySide6.QtWidgets import QApplication

    return QApplication.doubleClickInterval() + 50


def test_double_click_selects_one_token(qtbot, annotated):
    view, _, _ = annotated
    vp = view.text_area.viewport()
    s, e = word(TEXT, "rebels")
    r = caret_rect(view, s + 2)
    qtbot.mouseDClick(vp, Qt.MouseButton.LeftButton, pos=QPoint(r.x(), r.center().y()))
    assert view.text_selection() == (s, e)


def test_double_click_on_label_activates(qtbot, annotated):
    view, _, ids = annotated
    vp = view.text_area.viewport()
    lane = view.lane_rects(ids["geneva"])[0].center().toPoint()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=lane)
    with qtbot.waitSignal(view.annotationActivated) as blocker:
        qtbot.mouseDClick(vp, Qt.MouseButton.LeftButton, pos=lane)
    assert blocker.args == ["span", ids["geneva"]]


def test_click_on_arc_label_selects_relation_and_event(qtbot, annotated):
    view, _, ids = annotated
    view.show_all_arcs = True
    view.grab()  # paint: arc label positions are known after a paint
    hits = view.arc_label_rects()
    kinds = {(k, i) for _, k, i in hits}
    assert ("relation", ids["rel"]) in kinds
    assert ("event", ids["event"]) in kinds
    vp = view.text_area.viewport()
    rect = next(r for r, k, i in hits if k == "relation")
    with qtbot.waitSignal(view.annotationSelected) as blocker:
        qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert blocker.args == ["relation", ids["rel"]]


def test_arcs_only_for_selection_by_default(qtbot, annotated):
    view, _, ids = annotated
    view.grab()
    assert view.arc_label_rects() == []
    view.select_annotation("span", ids["john"])
    view.grab()
    assert {(k, i) for _, k, i in view.arc_label_rects()} == {("relation", ids["rel"])}
    view.select_annotation("span", ids["aleppo"])  # filler of the Attack event
    view.grab()
    assert {(k, i) for _, k, i in view.arc_label_rects()} == {("event", ids["event"])}


# ---- keyboard -----------------------------------------------------------------------------
def test_tab_and_shift_tab_cycle_spans_and_keep_focus(qtbot, annotated):
    view, _, ids = annotated
    view.setFocus()
    qtbot.waitUntil(lambda: view.text_area.hasFocus())
    order = [ids["john"], ids["office"], ids["un"], ids["geneva"], ids["trigger"],
             ids["aleppo"]]
    seen = []
    for _ in range(len(order)):
        qtbot.keyClick(view.text_area, Qt.Key.Key_Tab)
        seen.append(view.selected_annotation()[1])
        assert view.text_area.hasFocus()
    assert seen == order
    qtbot.keyClick(view.text_area, Qt.Key.Key_Tab)  # wraps
    assert view.selected_annotation() == ("span", ids["john"])
    qtbot.keyClick(view.text_area, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_annotation() == ("span", ids["aleppo"])
    qtbot.keyClick(view.text_area, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_annotation() == ("span", ids["trigger"])
    assert view.text_area.hasFocus()
    view.select_next_span()
    assert view.selected_annotation() == ("span", ids["aleppo"])


def test_alt_arrows_select_and_extend_tokens(qtbot, annotated):
    view, _, _ = annotated
    view.setFocus()
    view.set_text_selection(0, 0)
    alt = Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(view.text_area, Qt.Key.Key_Right, alt)
    assert view.text_selection() == word(TEXT, "John")
    qtbot.keyClick(view.text_area, Qt.Key.Key_Right, alt)
    assert view.text_selection() == word(TEXT, "Smith")
    qtbot.keyClick(view.text_area, Qt.Key.Key_Right, alt | Qt.KeyboardModifier.ShiftModifier)
    assert view.text_selection() == word(TEXT, "Smith of")
    qtbot.keyClick(view.text_area, Qt.Key.Key_Right, alt | Qt.KeyboardModifier.ShiftModifier)
    assert view.text_selection() == word(TEXT, "Smith of the")
    qtbot.keyClick(view.text_area, Qt.Key.Key_Left, alt | Qt.KeyboardModifier.ShiftModifier)
    assert view.text_selection() == word(TEXT, "Smith of")
    qtbot.keyClick(view.text_area, Qt.Key.Key_Left, alt)
    assert view.text_selection() == word(TEXT, "John")
    view.move_token_selection(1)
    assert view.text_selection() == word(TEXT, "Smith")


def test_shift_arrows_and_escape(qtbot, annotated):
    view, _, ids = annotated
    view.setFocus()
    view.set_text_selection(0, 0)
    for _ in range(4):
        qtbot.keyClick(view.text_area, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.text_selection() == (0, 4)
    qtbot.keyClick(view.text_area, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    assert view.text_selection()[0] == 0 and view.text_selection()[1] > 4
    # selecting an annotation replaces the text selection (#10.8): one thing is selected
    view.select_annotation("span", ids["geneva"])
    s, e = view.text_selection()
    assert s == e
    qtbot.keyClick(view.text_area, Qt.Key.Key_Escape)
    assert view.selected_annotation() is None
    # and a new text selection replaces the selected annotation
    view.select_annotation("span", ids["geneva"])
    qtbot.keyClick(view.text_area, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_annotation() is None
    assert view.text_selection()[0] != view.text_selection()[1]
    qtbot.keyClick(view.text_area, Qt.Key.Key_Escape)
    s, e = view.text_selection()
    assert s == e


def test_letters_reach_window_shortcuts_while_view_has_focus(qtbot, annotated):
    view, _, _ = annotated
    win = QMainWindow()
    qtbot.addWidget(win)
    win.setCentralWidget(view)
    fired = []
    for key in ("p", "Delete", "Return", "Ctrl+C", "3"):
        act = QAction(key, win)
        act.setShortcut(QKeySequence(key))
        act.triggered.connect(lambda _=False, k=key: fired.append(k))
        win.addAction(act)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    view.setFocus()
    qtbot.waitUntil(lambda: view.text_area.hasFocus())
    view.set_text_selection(0, 4)
    qtbot.keyClick(view.text_area, Qt.Key.Key_P)
    qtbot.keyClick(view, Qt.Key.Key_P)  # sent to the view widget itself
    qtbot.keyClick(view.text_area, Qt.Key.Key_Delete)
    qtbot.keyClick(view.text_area, Qt.Key.Key_Return)
    qtbot.keyClick(view.text_area, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.text_area, Qt.Key.Key_3)
    assert fired == ["p", "p", "Delete", "Return", "Ctrl+C", "3"]
    assert view.text_area.hasFocus()
    assert view.text_selection() == (0, 4)  # nothing typed, nothing moved
    win.takeCentralWidget()  # the view belongs to qtbot, not to the window


def test_find_text_wraps(qtbot, annotated):
    view, _, _ = annotated
    view.set_text_selection(0, 0)
    assert view.find_text("the")
    assert view.text_selection() == word(TEXT, "the")
    assert view.find_text("THE")  # case-insensitive, next occurrence ("They")
    assert view.text_selection() == (TEXT.index("They"), TEXT.index("They") + 3)
    assert view.find_text("the")  # wraps to the first
    assert view.text_selection() == word(TEXT, "the")
    assert view.find_text("the", backwards=True)
    assert view.text_selection() == (TEXT.index("They"), TEXT.index("They") + 3)
    assert not view.find_text("zebra")


# ---- refresh ------------------------------------------------------------------------------
def test_refresh_after_add_delete_undo(qtbot, annotated, project):
    view, doc, ids = annotated
    s, e = word(TEXT, "rebels")
    assert view.spans_at(s) == []
    span = project.add_span(doc.id, s, e, "PER")  # the subscription refreshes the view
    assert view.spans_at(s) == [span.id]
    assert view.span_rects(span.id)
    view.select_annotation("span", span.id)
    with qtbot.waitSignal(view.annotationSelected) as blocker:
        project.delete_span(span.id)
    assert blocker.args == ["", ""]
    assert view.spans_at(s) == []
    project.undo()
    assert view.spans_at(s) == [span.id]
    # relabel and resize
    project.update_span(span.id, label="ORG")
    assert view.shown_span(span.id).label == "ORG"
    project.update_span(span.id, start=s - len("met "))
    assert view.spans_at(s - 3) == [span.id]
    # deleting a span removes its relation arc; undo brings it back
    project.delete_span(ids["un"])
    assert "r:" + ids["rel"] not in view.document_arcs()
    project.undo()
    assert "r:" + ids["rel"] in view.document_arcs()
    # edits of another annotator's set or document do not show
    other = project.add_document("Another text entirely.", name="other")
    project.add_span(other.id, 0, 7, "PER")
    assert view.current_document() == doc.id
    assert all(sp.doc_id == doc.id for sp in view.shown_spans().values())


def test_refresh_many_changes_reloads(qtbot, annotated, project):
    view, doc, _ = annotated
    with project.compound("many"):
        for i in range(0, 250):
            project.add_span(doc.id, i % 50, i % 50 + 1, "PER")
    assert len(view.shown_spans()) == 6 + 250


def test_font_size_and_properties(qtbot, annotated):
    view, _, ids = annotated
    assert view.snap_to_tokens is True
    assert view.show_all_arcs is False
    view.set_font_point_size(16)
    assert view.font_point_size() == 16
    r = view.span_rects(ids["john"])[0]
    c0 = caret_rect(view, word(TEXT, "John Smith")[0])
    assert abs(r.left() - c0.x()) <= 1
    view.set_font_point_size(9)
    assert view.font_point_size() == 9


def test_set_text_selection_scrolls_into_view(qtbot, project):
    text = "\n".join(f"Line {i} about the Ministry of Defence." for i in range(400))
    view, doc = make_view(qtbot, project, text, height=300)
    s = text.index("Line 350")
    view.set_text_selection(s, s + 8)
    assert view.text_selection() == (s, s + 8)
    r = caret_rect(view, s)
    assert 0 <= r.top() <= view.text_area.viewport().height()
    span = project.add_span(doc.id, text.index("Line 10 "), text.index("Line 10 ") + 7, "PER")
    view.refresh(Changes(doc_ids={doc.id}, spans={span.id}))
    view.select_annotation("span", span.id)
    r = view.span_rects(span.id)[0]
    assert 0 <= r.top() <= view.text_area.viewport().height()


def test_tooltip_names_spans_and_arcs(qtbot, annotated):
    view, _, ids = annotated
    pos = view.span_rects(ids["un"])[0].center().toPoint()
    tip = view.tooltip_at(pos)
    assert tip.splitlines() == ["ORG: 'United Nations'",
                                "ORG: 'United Nations office in Geneva'"]
    view.select_annotation("relation", ids["rel"])
    view.grab()
    rect = next(r for r, k, _ in view.arc_label_rects() if k == "relation")
    assert view.tooltip_at(rect.center().toPoint()) == \
        "member_of: 'John Smith' \u2192 'United Nations'"
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    vp = view.text_area.viewport()
    QApplication.sendEvent(vp, QHelpEvent(QEvent.Type.ToolTip, pos, vp.mapToGlobal(pos)))
    assert QToolTip.text() == tip
    QToolTip.hideText()


def test_edge_cases_empty_doc_cross_paragraph_span_and_event_filler(qtbot, project):
    view, doc = make_view(qtbot, project, "x")
    assert view.spans_at(0) == []
    text = "Alpha beta.\r\nGamma delta 😀 epsilon.\n\nZeta."
    doc2 = project.add_document(text, name="edge")
    project.subscribe(view.refresh)
    view.show_document(doc2.id)
    s = text.index("beta")
    e = text.index("delta") + len("delta")
    span = project.add_span(doc2.id, s, e, "ORG")  # crosses the "\r\n" paragraph break
    rects = view.span_rects(span.id)
    assert len(rects) == 2  # one piece on each line
    assert view.spans_at(text.index("Gamma")) == [span.id]
    last = project.add_span(doc2.id, text.index("Zeta"), len(text), "GPE")  # ends at the end
    assert view.span_rects(last.id)
    trig = project.add_trigger_event(doc2.id, text.index("epsilon"), text.index("epsilon") + 7,
                                     "Attack", arguments=[("Target", span.id)])
    outer = project.add_trigger_event(doc2.id, text.index("Alpha"), text.index("Alpha") + 5,
                                      "Attack")
    project.add_argument(outer.id, "Target", trig.id)  # an event filled by an event
    view.select_annotation("event", outer.id)
    assert view.selection_arcs()  # the arc to the filler event's trigger
    arc = view.document_arcs()[next(iter(view.selection_arcs()))]
    assert arc.tail == trig.trigger_id
    view.grab()
    assert ("event", outer.id) in {(k, i) for _, k, i in view.arc_label_rects()}
    # deleting the filler event removes the argument arc
    project.delete_event(trig.id)
    assert view.selected_annotation() == ("event", outer.id)
    assert not view.selection_arcs()
    view.show_document(doc.id)
    assert view.current_document() == doc.id
    view.show_document(doc2.id, annotator="someone-else")
    assert dict(view.shown_spans()) == {}


def test_ctrl_wheel_zooms_through_the_view(qtbot, annotated):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    view, _, ids = annotated
    before = view.font_point_size()
    vp = view.text_area.viewport()
    ev = QWheelEvent(QPointF(10, 10), QPointF(vp.mapToGlobal(QPoint(10, 10))), QPoint(0, 0),
                     QPoint(0, 120), Qt.MouseButton.NoButton,
                     Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(vp, ev)
    assert view.font_point_size() == before + 1
    r = view.span_rects(ids["john"])[0]
    c0 = caret_rect(view, word(TEXT, "John Smith")[0])
    assert abs(r.left() - c0.x()) <= 1 and abs(r.top() - c0.top()) <= 1


def test_default_set_is_the_projects_current_annotation_set(qtbot, project):
    view, doc = make_view(qtbot, project, "Russia met NATO.")
    project.subscribe(view.refresh)
    mine = project.add_span(doc.id, 0, 6, "GPE")
    assert view.spans_at(0) == [mine.id]
    project.annotation_set = "gold"
    gold = project.add_span(doc.id, 11, 15, "ORG")
    view.show_document(doc.id)  # None: the project's current set (gold)
    assert view.spans_at(12) == [gold.id]
    assert view.spans_at(0) == []
    view.show_document(doc.id, annotator="ana")
    assert view.spans_at(0) == [mine.id]
    assert view.spans_at(12) == []


def test_geometry_follows_rewrap_when_a_scroll_bar_appears(qtbot, project):
    text = " ".join(("a", "bb", "ccc", "dddd", "eeeee")[i % 5] for i in range(120)) + " word"
    view, doc = make_view(qtbot, project, text, width=400)
    view.text_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)  # none yet
    qtbot.wait(50)
    s = text.rindex("word")
    span = project.add_span(doc.id, s, s + 4, "PER")
    view.refresh(Changes(doc_ids={doc.id}, spans={span.id}))
    before = view.span_rects(span.id)[0]
    view.text_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    qtbot.wait(50)
    c = caret_rect(view, s)
    assert (c.x(), c.y()) != (int(before.left()), int(before.top()))  # it did re-wrap
    r = view.span_rects(span.id)[0]
    c = caret_rect(view, s)
    assert abs(r.left() - c.x()) <= 1 and abs(r.top() - c.top()) <= 1


def test_enter_activates_when_no_window_shortcut_takes_it(qtbot, annotated):
    view, _, ids = annotated
    view.setFocus()
    qtbot.waitUntil(lambda: view.text_area.hasFocus())
    view.select_annotation("span", ids["geneva"])
    with qtbot.waitSignal(view.annotationActivated) as blocker:
        qtbot.keyClick(view.text_area, Qt.Key.Key_Return)
    assert blocker.args == ["span", ids["geneva"]]


def test_escape_with_nothing_to_clear_reaches_the_window(qtbot, annotated):
    view, _, _ = annotated
    win = QMainWindow()
    qtbot.addWidget(win)
    win.setCentralWidget(view)
    fired = []
    act = QAction("esc", win)
    act.setShortcut(QKeySequence(Qt.Key.Key_Escape))
    act.triggered.connect(lambda: fired.append(1))
    win.addAction(act)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    view.setFocus()
    qtbot.waitUntil(lambda: view.text_area.hasFocus())
    view.set_text_selection(0, 4)
    qtbot.keyClick(view.text_area, Qt.Key.Key_Escape)  # clears the text selection first
    assert fired == [] and view.text_selection()[0] == view.text_selection()[1]
    qtbot.keyClick(view.text_area, Qt.Key.Key_Escape)  # nothing left: the window's action
    assert fired == [1]
    win.takeCentralWidget()


def test_read_only_state_before_and_after_a_document(qtbot, project):
    from PySide6.QtCore import QPointF

    from annotator.gui.docview import DocumentView

    view = DocumentView()
    qtbot.addWidget(view)
    view.set_project(project)  # no document yet: every accessor answers "nothing"
    assert view.text_map is None and view.current_document() is None
    assert dict(view.shown_spans()) == {} and dict(view.document_arcs()) == {}
    assert view.selection_arcs() == set() and view.span_rects("x") == []
    assert view.tooltip_at(QPoint(5, 5)) == "" and view.arc_at(QPointF(5, 5)) is None
    assert view.text_selection() == (0, 0) and not view.find_text("a")
    doc = project.add_document("Russia met NATO.", name="d")
    span = project.add_span(doc.id, 0, 6, "GPE")
    view.show_document(doc.id)
    assert view.shown_span(span.id) == span and view.shown_span("missing") is None
    with pytest.raises(TypeError):  # a view of the index, not a copy to edit
        view.shown_spans()[span.id] = span
    assert view.text_map is not None and view.text_map.length_cp == len("Russia met NATO.")
