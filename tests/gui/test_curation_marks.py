"""Curation candidates drawn on the text, selected by a click or F6, taken with Ctrl+T; and
chain memberships taken into gold (Ctrl+Alt+C). Driven by keys and clicks on the real main
window, checking the project file after each step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage

import annotator
from annotator.gui.curation import curation_of
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press, small_project
from tests.gui.test_curation import TEXT, at, gold, two_sets

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def open_curator(qtbot, tmp_path):
    """open_curator(more): two_sets, then ``more(path)``, in a window of the curator cy."""
    isolate_settings(tmp_path)
    windows = []

    def make(more=None):
        path = two_sets(small_project(tmp_path))
        if more is not None:
            more(path)
        windows.append(open_window(qtbot, path, annotator_name="cy", document="alpha"))
        return windows[-1]

    yield make
    for w in windows:
        if w.project is not None:
            w.close()


@pytest.fixture
def curator(open_curator):
    return open_curator()


def row_of(w, label: str, word: str, kind: str = "span") -> int:
    groups = curation_of(w).state.groups
    return next(i for i, g in enumerate(groups) if g.label == label and g.kind == kind
                and w.doc_text[g.start:g.end] == word)


def tags(w) -> dict[str, int]:
    """tag text as drawn -> its group."""
    return {tag: group for group, tag in curation_of(w).marks.tags()}


def click_mark(qtbot, w, group: int) -> None:
    (rect, *_) = curation_of(w).marks.rects(group)
    qtbot.mouseClick(w.view.text_area.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center().toPoint())


def drawn(w, group: int) -> QImage:
    """What the viewport shows where ``group``'s mark is."""
    (rect, *_) = curation_of(w).marks.rects(group)
    image = w.view.text_area.viewport().grab().toImage()
    return image.copy(rect.toAlignedRect().intersected(QRect(QPoint(0, 0), image.size())))


def blank(image: QImage) -> bool:
    first = image.pixel(0, 0)
    return all(image.pixel(x, y) == first for x in range(image.width())
               for y in range(image.height()))


def test_candidates_are_drawn_on_the_text_and_a_click_takes_them(curator, qtbot):
    w = curator
    path = w.project.path
    press(qtbot, K.Key_G, CTRL | SHIFT)  # curation on
    drawn_tags = tags(w)
    # who made what: the agreed ones carry both initials, the disagreements one each
    assert {"A·B GPE", "A·B ORG", "A·B Meet", "A GPE", "B ORG", "B GPE"} <= set(drawn_tags)
    marks = curation_of(w).marks.marks
    assert {(m.tag, m.agreed) for m in marks.marks} >= {("A·B GPE", True), ("B ORG", False)}
    bo_brussels = row_of(w, "ORG", "Brussels")
    assert drawn_tags["B ORG"] == bo_brussels
    assert not blank(drawn(w, bo_brussels))  # painted under the text
    meet = next(m for m in marks.marks if m.kind == "event")
    assert meet.outline == (at("met"), at("NATO"))  # the trigger and its argument's filler

    click_mark(qtbot, w, bo_brussels)  # a click on bo's mark selects its panel row
    mode = curation_of(w)
    assert mode.panel.current_row() == bo_brussels and mode.marks.selected == bo_brussels
    assert w.view.text_selection() == at("Brussels")
    press(qtbot, K.Key_T, CTRL)  # take it
    ann, _ = gold(path)
    assert [(s.label, s.created_by) for s in ann.spans] == [("ORG", "cy")]
    assert (ann.spans[0].start, ann.spans[0].end) == at("Brussels")
    # the drawing follows at once: bo's mark is gone, ana's GPE stays (still open)
    assert "B ORG" not in tags(w) and "A GPE" in tags(w)
    assert mode.marks.rects(bo_brussels) == []
    press(qtbot, K.Key_Z, CTRL)  # undo: the candidate is open and drawn again
    ann, _ = gold(path)
    assert ann.spans == []
    assert tags(w).get("B ORG") == bo_brussels


def second_argument(path):
    """bo's Meet has a second argument (Russia)."""
    with annotator.open_project(path, annotator="bo") as p:
        doc = p.document_by_name("alpha")
        meet = p.annotations(doc.id, "bo").events[0]
        russia = next(s for s in p.annotations(doc.id, "bo").spans if s.label == "GPE"
                      and (s.start, s.end) == at("Russia"))
        p.add_argument(meet.id, "Entity", russia.id)


def test_f6_selects_the_candidate_on_the_text_and_ctrl_t_takes_its_arguments(open_curator,
                                                                              qtbot):
    w = open_curator(second_argument)
    path = w.project.path
    press(qtbot, K.Key_G, CTRL | SHIFT)
    mode = curation_of(w)
    row = row_of(w, "Meet", "met", kind="event")
    press(qtbot, K.Key_F6)  # the first open disagreement: ana's Meet (one argument)
    press(qtbot, K.Key_F6)  # then bo's (two)
    current = mode.panel.current_row()
    assert current == row + 1
    g = mode.state.groups[current]
    assert g.kind == "event" and g.made_by.keys() == {"bo"}
    assert mode.marks.selected == current  # outlined on the text as in the panel
    viewport = w.view.text_area.viewport()
    outlined = drawn(w, current)
    mode.marks.selected = None
    viewport.repaint()
    assert drawn(w, current) != outlined
    mode.marks.selected = current
    press(qtbot, K.Key_T, CTRL)
    ann, _ = gold(path)
    (event,) = ann.events
    assert event.type == "Meet" and event.attrs == {"realis": "actual"}
    spans = {s.id: s for s in ann.spans}
    assert sorted(w.doc_text[spans[a.filler_id].start:spans[a.filler_id].end]
                  for a in event.arguments) == ["NATO", "Russia"]
    assert {s.created_by for s in ann.spans} == {"cy"}
    assert all(m.group != current for m in mode.marks.marks.marks)


SECOND = (TEXT.index("Russia", 10), TEXT.index("Russia", 10) + len("Russia"))


def chained(path):
    """Both label the two Russias; ana put them in one chain, bo in none."""
    second = SECOND
    for who in ("ana", "bo"):
        with annotator.open_project(path, annotator=who) as p:
            doc = p.document_by_name("alpha")
            first = next(s for s in p.annotations(doc.id, who).spans
                         if (s.start, s.end) == at("Russia"))
            again = p.add_span(doc.id, *second, "GPE")
            if who == "ana":
                p.add_chain([first.id, again.id], "GPE")


def test_a_candidate_spans_chain_membership_is_taken_into_gold(open_curator, qtbot):
    w = open_curator(chained)
    path = w.project.path
    second = SECOND
    press(qtbot, K.Key_G, CTRL | SHIFT)
    mode = curation_of(w)
    first_row = row_of(w, "GPE", "Russia")
    second_row = next(i for i, g in enumerate(mode.state.groups)
                      if (g.start, g.end) == second and g.kind == "span")
    details = mode.panel.table.item(first_row, 3).text()
    assert details == "ana's chain: Russia · Russia"  # bo put it in none
    click_mark(qtbot, w, first_row)
    assert mode.panel.current_row() == first_row
    press(qtbot, K.Key_C, CTRL | ALT)  # the span and its membership: a new gold chain
    with annotator.open_project(path, readonly=True) as p:
        doc = p.document_by_name("alpha")
        (chain,) = p.chains(doc.id, "gold")
        spans = {s.id: s for s in p.annotations(doc.id, "gold").spans}
        assert [(spans[m].start, spans[m].end) for m in chain.mentions] == [at("Russia")]
        assert chain.type == "GPE" and chain.created_by == "cy"
    assert w.project.undo_label == "Take ana's chain membership into gold"
    click_mark(qtbot, w, second_row)
    press(qtbot, K.Key_C, CTRL | ALT)  # the second mention joins that gold chain
    with annotator.open_project(path, readonly=True) as p:
        doc = p.document_by_name("alpha")
        (chain,) = p.chains(doc.id, "gold")
        spans = {s.id: s for s in p.annotations(doc.id, "gold").spans}
        assert [(spans[m].start, spans[m].end) for m in chain.mentions] == [at("Russia"),
                                                                             second]
        assert chain.modified_by == "cy"
    assert w.view.document_arcs() is not None
    press(qtbot, K.Key_Z, CTRL)  # one undo step: the second mention (and its span) go
    with annotator.open_project(path, readonly=True) as p:
        doc = p.document_by_name("alpha")
        (chain,) = p.chains(doc.id, "gold")
        assert len(chain.mentions) == 1
        assert len(p.annotations(doc.id, "gold").spans) == 1


def test_chain_key_on_a_span_in_no_chain_says_so(curator, qtbot):
    w = curator
    press(qtbot, K.Key_G, CTRL | SHIFT)
    click_mark(qtbot, w, row_of(w, "ORG", "Brussels"))
    press(qtbot, K.Key_C, CTRL | ALT)
    assert "chain" in w.statusBar().currentMessage()
    ann, _ = gold(w.project.path)
    assert ann.spans == [] and w.project.chains(w.current_doc, "gold") == []
