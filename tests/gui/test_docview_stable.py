"""The text does not move under the mouse while the user aims and clicks (#10.12): a paragraph
that needs less room after an edit closes up only once the pointer has been still, and a click
that selects an annotation never scrolls."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from annotator.gui.docview import view as view_module
from tests.gui.helpers_docview import caret_rect, open_doc_view

pytestmark = pytest.mark.gui


def test_no_close_up_while_the_mouse_moves_over_the_text(qtbot, project):
    text = "Russia and NATO met.\n\nTalks in Geneva went on."
    doc = project.add_document(text, name="nested")
    project.add_span(doc.id, 0, 15, "ORG")
    inner = project.add_span(doc.id, 0, 6, "GPE")
    view = open_doc_view(qtbot, project, doc.id, 500, 300)
    project.subscribe(view.refresh)
    vp = view.text_area.viewport()
    g = text.index("Geneva")
    before = caret_rect(view, g).top()
    project.delete_span(inner.id)
    QApplication.processEvents()
    assert not view.layout_settled()
    # the user moves the mouse over the text for longer than the close-up delay
    hold_s = view_module.HOLD_WHILE_POINTING_MS / 1000
    start = time.monotonic()
    x = 10
    while time.monotonic() - start < view_module.SHRINK_AFTER_MS / 1000 + 0.6:
        x = 10 + (x + 7) % 200
        qtbot.mouseMove(vp, QPoint(x, caret_rect(view, g).center().y()))
        qtbot.wait(50)
        assert caret_rect(view, g).top() == before  # "Geneva" stays under the pointer
    assert not view.layout_settled()
    # once the pointer rests, the paragraph closes up
    qtbot.waitUntil(view.layout_settled, timeout=int((hold_s + 3) * 1000))
    assert caret_rect(view, g).top() < before


def test_clicking_an_arc_or_span_never_scrolls(qtbot, project):
    text = "\n\n".join(f"Paragraph {i} says Russia met NATO in Geneva." for i in range(60))
    doc = project.add_document(text, name="long")
    first = project.add_span(doc.id, text.index("Russia"), text.index("Russia") + 6, "GPE")
    last_geneva = text.rindex("Geneva")
    last = project.add_span(doc.id, last_geneva, last_geneva + 6, "GPE")
    project.add_relation("located_in", last.id, first.id)
    view = open_doc_view(qtbot, project, doc.id, 500, 300)
    project.subscribe(view.refresh)
    bar = view.text_area.verticalScrollBar()
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    value = bar.value()
    r = view.span_rects(last.id)[0]
    qtbot.mouseClick(view.text_area.viewport(), Qt.MouseButton.LeftButton,
                     pos=r.center().toPoint())
    assert view.selected_annotation() == ("span", last.id)
    assert bar.value() == value


def test_event_labels_under_short_triggers_are_abbreviated_not_clipped(qtbot, tmp_path):
    """ "Conflict.Attack" under "attacked" with "a humanitarian convoy" labelled right after
    it used to print "Conflict.Atta" (clipped by the next tag in the lane)."""
    import annotator

    text = "BAMAKO — Gunmen attacked a humanitarian convoy near the town."
    p = annotator.create_project(tmp_path / "ace.annproj", schema="ace2005-news",
                                 annotator="ana")
    doc = p.add_document(text, name="mali")
    a = text.index("attacked")
    ev = p.add_trigger_event(doc.id, a, a + len("attacked"), "Conflict.Attack")
    c = text.index("a humanitarian")
    p.add_span(doc.id, c, c + len("a humanitarian convoy"), "VEH")
    view = open_doc_view(qtbot, p, doc.id, 900, 300)
    m = view._state.metrics  # the fonts the tags are drawn with
    [(shown, rect)] = view.lane_labels(ev.trigger_id)
    assert shown == "Attack"
    assert m.adv_bold(shown) + 6 <= rect.width() + 0.5  # drawn in full
    for sid in view.shown_spans():
        for label, r in view.lane_labels(sid):
            assert m.adv_bold(label) + 6 <= r.width() + 0.5 or "." not in label, label
    # the tooltip still names the full label
    assert "Conflict.Attack" in view.tooltip_at(view.lane_rects(ev.trigger_id)[0].center()
                                                .toPoint())
    p.close()


MALI = ("Gunmen Kill 14 in Attack on Aid Convoy in Central Mali\n\n"
        "BAMAKO — Gunmen on motorcycles attacked a humanitarian convoy near the town of "
        "Douentza in central Mali on Saturday, killing at least 14 people, including three "
        "aid workers, and wounding 22 others, local officials and the United Nations said.")


def test_a_selected_events_arc_labels_stay_off_the_lanes_of_the_line_above(qtbot, tmp_path):
    import annotator

    p = annotator.create_project(tmp_path / "ace.annproj", schema="ace2005-news",
                                 annotator="ana")
    doc = p.add_document(MALI, name="mali")

    def span(w, label, n=1):
        i = -1
        for _ in range(n):
            i = MALI.index(w, i + 1)
        return p.add_span(doc.id, i, i + len(w), label)

    span("Mali", "GPE")
    span("Aid Convoy", "VEH")
    span("Gunmen", "PER")
    span("BAMAKO", "GPE")
    gunmen = span("Gunmen", "PER", 2)
    span("motorcycles", "VEH")
    convoy = span("humanitarian convoy", "VEH")
    town = span("town", "GPE")
    douentza = span("Douentza", "GPE")
    saturday = span("Saturday", "TIME")
    mali2 = span("Mali", "GPE", 2)
    a = MALI.index("attacked")
    ev = p.add_trigger_event(doc.id, a, a + len("attacked"), "Conflict.Attack")
    for role, filler in (("Attacker", gunmen), ("Target", convoy), ("Place", town),
                         ("Place", douentza), ("Place", mali2),
                         ("Time-Within", saturday)):
        p.add_argument(ev.id, role, filler.id)
    view = open_doc_view(qtbot, p, doc.id, 720, 500)
    view.select_annotation("event", ev.id)
    view.settle_layout()
    QApplication.processEvents()
    view.grab()  # paint once: the arc labels are placed while painting
    labels = [r for r, kind, _ in view.arc_label_rects()]
    assert len(labels) >= 6
    lanes = [r for sid in view.shown_spans() for r in view.lane_rects(sid)]
    crowded = [(lab, lane) for lab in labels for lane in lanes
               if lab.adjusted(1, 1, -1, -1).intersects(lane)]
    assert not crowded, crowded
    p.close()
