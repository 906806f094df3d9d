"""The inspector as an annotator meets it: it never takes the keyboard focus (#10.7), it reflows
or scrolls at every dock width (#10.11), cardinalities read as words (#10.13), and events made
in the GUI get the same attributes as events made through the API."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QWidget,
)

import annotator
from annotator.gui.inspector import cardinality_text
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
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def win(qtbot, tmp_path):
    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path))
    yield w
    if w.project is not None:
        w.close()


def in_view(w) -> bool:
    f = focused()
    return f is not None and (f is w.view or w.view.isAncestorOf(f))


def select_token(qtbot, w, index: int) -> None:
    w.view.setFocus()
    w.view.set_text_selection(0, 0)
    press(qtbot, K.Key_Right, ALT, times=index + 1)


def span_named(w, text: str):
    doc = w.project.document(w.current_doc)
    for s in w.project.annotations(w.current_doc).spans:
        if doc.text[s.start:s.end] == text:
            return s
    raise AssertionError(f"no span over {text!r}")


def arm(w, event_id: str) -> None:
    """Make ``event_id`` the current event with the window's own call (it lives on
    ``w.modes`` since the main window was split into modules)."""
    getattr(w, "modes", w).arm_event(event_id)


# ---- #10.7 focus ------------------------------------------------------------------------

def test_inspector_edit_then_ctrl2_keeps_focus_in_text(win, qtbot):
    w = win
    p = w.project
    # alpha: "Russia said NATO met in Brussels. ..." — two entity spans
    select_token(qtbot, w, 0)
    press(qtbot, K.Key_G)
    select_token(qtbot, w, 2)
    press(qtbot, K.Key_O)
    russia, nato = span_named(w, "Russia"), span_named(w, "NATO")
    # Tab selects Russia; Ctrl+3 and Tab reach its Mention type combo; Down sets NAM
    w.view.set_text_selection(0, 0)
    press(qtbot, K.Key_Tab)
    assert w.view.selected_annotation() == ("span", russia.id)
    qtbot.waitUntil(lambda: w.inspector.widget().findChild(
        QComboBox, "span_attr_mention_type") is not None)
    press(qtbot, K.Key_3, CTRL)
    for _ in range(12):
        if focused() is not None and focused().objectName() == "span_attr_mention_type":
            break
        press(qtbot, K.Key_Tab)
    assert focused().objectName() == "span_attr_mention_type"
    press(qtbot, K.Key_Down)
    qtbot.waitUntil(lambda: p.span(russia.id).attrs.get("mention_type") == "NAM")
    # the rebuilt inspector keeps the focus where it was: on the (new) same combo
    qtbot.waitUntil(lambda: focused() is not None
                    and focused().objectName() == "span_attr_mention_type")
    # back to the text; the next span has the same field, and the focus must stay in the text
    press(qtbot, K.Key_2, CTRL)
    assert in_view(w)
    press(qtbot, K.Key_Tab)
    assert w.view.selected_annotation() == ("span", nato.id)
    qtbot.wait(50)  # the inspector rebuilds on a zero timer
    QApplication.processEvents()
    assert in_view(w), f"focus moved to {focused().objectName()!r}"
    press(qtbot, K.Key_P)  # a label key: it labels text, never an inspector field
    QApplication.processEvents()
    assert p.span(nato.id).attrs.get("mention_type") is None
    assert in_view(w)


# ---- #10.11 layout ----------------------------------------------------------------------

def _visible_descendants(root: QWidget) -> list[QWidget]:
    return [c for c in root.findChildren(QWidget) if c.isVisibleTo(root)
            and isinstance(c, (QLabel, QAbstractButton, QComboBox))
            or (c.isVisibleTo(root) and c.metaObject().className() == "QLineEdit")]


def _check_layout(w) -> None:
    """Every label, button, combo and line edit lies inside the inspector's content and at
    least as wide as it needs; content wider (taller) than the viewport has a scroll bar."""
    area = w.inspector
    inner = area.widget()
    inner_rect = inner.rect()
    for c in _visible_descendants(inner):
        r = QRect(c.mapTo(inner, c.rect().topLeft()), c.size())
        assert inner_rect.contains(r), (c.objectName(), type(c).__name__, r, inner_rect)
        parent = c.parentWidget()
        while parent is not None and parent is not inner:  # not clipped by a group box
            pr = QRect(parent.mapTo(inner, parent.rect().topLeft()), parent.size())
            assert pr.contains(r), (c.objectName(), parent.objectName(), r, pr)
            parent = parent.parentWidget()
        if isinstance(c, (QAbstractButton, QComboBox)):  # arrows and "+" not cut
            assert c.width() >= c.minimumSizeHint().width(), (c.objectName(), c.width())
    viewport = area.viewport()
    if inner.width() > viewport.width():
        bar = area.horizontalScrollBar()
        assert bar.isVisible(), (inner.width(), viewport.width())
        assert bar.maximum() >= inner.width() - viewport.width()
    if inner.height() > viewport.height():
        assert area.verticalScrollBar().isVisible()


def _event_with_fillers(w) -> str:
    p = w.project
    doc = w.current_doc
    text = p.document(doc).text
    spans = {}
    for word, label in (("Russia", "GPE"), ("NATO", "ORG"), ("Brussels", "GPE"),
                        ("Paris", "GPE")):
        i = text.index(word)
        spans[word] = p.add_span(doc, i, i + len(word), label)
    i = text.index("met")
    ev = p.add_trigger_event(doc, i, i + 3, "Attack")
    p.add_argument(ev.id, "Attacker", spans["Russia"].id)
    p.add_argument(ev.id, "Target", spans["NATO"].id)
    p.add_argument(ev.id, "Target", spans["Brussels"].id)
    p.add_argument(ev.id, "Target", spans["Paris"].id)
    p.add_argument(ev.id, "Place", spans["Brussels"].id)
    p.add_relation("located_in", spans["NATO"].id, spans["Brussels"].id)
    w.show_document(doc)
    return ev.id


@pytest.mark.parametrize("what", ["event", "span", "relation"])
def test_inspector_reflows_or_scrolls_at_every_dock_width(win, qtbot, what):
    w = win
    ev_id = _event_with_fillers(w)
    p = w.project
    ann = p.annotations(w.current_doc)
    arm(w, ev_id)
    sel = {"event": ("event", ev_id), "span": ("span", ann.spans[0].id),
           "relation": ("relation", ann.relations[0].id)}[what]
    w.inspector.show_annotation(sel, ev_id)
    w.inspector.rebuild_now()
    dock = w.docks["inspector"]
    w.resize(1400, 900)
    widths = []
    for target in (1, *range(80, 470, 10)):  # the minimum, then every 10 px
        w.resizeDocks([dock], [target], Qt.Orientation.Horizontal)
        QApplication.processEvents()
        qtbot.wait(20)
        QApplication.processEvents()
        widths.append(dock.width())
        _check_layout(w)
    assert widths[0] == min(widths) < 100  # resizeDocks clamps 1 px to the dock's minimum
    assert widths == sorted(widths) and widths[0] < widths[-1]


def test_inspector_reflows_without_scrolling_at_a_usual_width(win, qtbot):
    """At 300 px the rows wrap (fillers under their role) instead of needing a scroll bar."""
    w = win
    ev_id = _event_with_fillers(w)
    arm(w, ev_id)
    w.inspector.rebuild_now()
    w.resize(1400, 900)
    w.resizeDocks([w.docks["inspector"]], [300], Qt.Orientation.Horizontal)
    QApplication.processEvents()
    qtbot.wait(20)
    QApplication.processEvents()
    area = w.inspector
    assert area.widget().width() <= area.viewport().width()
    assert not area.horizontalScrollBar().isVisible()


# ---- #10.13 cardinality and default attributes ------------------------------------------

@pytest.mark.parametrize(("card", "words"), [
    ("?", "optional"), ("1", "one, required"), ("*", "any number"), ("+", "one or more"),
    ("{2}", "exactly 2"), ("{0-3}", "up to 3"), ("{2-4}", "2 to 4"), ("{1}", "one, required"),
])
def test_cardinality_in_words(card, words):
    assert cardinality_text(card) == words


def test_role_rows_show_cardinality_in_words_never_a_bare_star(win):
    w = win
    ev_id = _event_with_fillers(w)
    arm(w, ev_id)
    w.inspector.rebuild_now()
    inner = w.inspector.widget()
    expected = {"Attacker": "one, required", "Target": "any number", "Place": "optional"}
    for role, words in expected.items():
        label = inner.findChild(QLabel, f"cur_event_role_{role}")
        assert label is not None
        doc_text = label.text()
        assert words in doc_text
        assert "*" not in doc_text and "?" not in doc_text


def test_gui_created_event_gets_the_api_attributes(win, qtbot):
    """One rule for default attributes: an event made with E in the window stores the same
    attributes as one made by the API (none: the schema default is shown, not stored)."""
    w = win
    p = w.project
    select_token(qtbot, w, 3)  # "met"
    press(qtbot, K.Key_E)
    qtbot.waitUntil(lambda: w.popup is not None and focused() is w.popup.filter)
    type_text(qtbot, "att")
    press(qtbot, K.Key_Return)
    gui_event = p.annotations(w.current_doc).events[0]
    text = p.document(w.current_doc).text
    i = text.index("talked")
    api_event = p.add_trigger_event(w.current_doc, i, i + len("talked"), "Attack")
    assert gui_event.attrs == api_event.attrs == {}
    effective = p.schema.effective_attrs("event", "Attack", gui_event.attrs)
    assert effective == p.schema.effective_attrs("event", "Attack", api_event.attrs) \
        == {"realis": "actual"}


def test_demo_schema_gui_and_api_events_agree(qtbot, tmp_path):
    """The same on the ACE schema (polarity, tense, genericity, modality): no attribute is
    added by the GUI that the API does not add."""
    from annotator.core.inputs import DocumentInput

    isolate_settings(tmp_path)
    path = tmp_path / "ace.annproj"
    p = annotator.create_project(path, schema="ace2005-news", annotator="ana")
    p.add_documents([DocumentInput(text="Rebels attacked the town. Troops attacked again.",
                                   name="a")])
    p.close()
    w = open_window(qtbot, path)
    try:
        select_token(qtbot, w, 1)  # "attacked"
        press(qtbot, K.Key_E)
        qtbot.waitUntil(lambda: w.popup is not None and focused() is w.popup.filter)
        type_text(qtbot, "attack")
        press(qtbot, K.Key_Return)
        events = w.project.annotations(w.current_doc).events
        assert len(events) == 1
        text = w.project.document(w.current_doc).text
        i = text.rindex("attacked")
        api = w.project.add_trigger_event(w.current_doc, i, i + len("attacked"), events[0].type)
        assert events[0].attrs == api.attrs
    finally:
        w.close()
