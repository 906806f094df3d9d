"""A re-wrap (the window made narrower or wider) plans at once only the arcs of the blocks near
the screen; the others get their room in idle slices, or when a scroll brings them near, and
the text on screen stays where it is meanwhile (#10.12: every resize step re-planned the
whole document's arcs on the GUI thread; bench/bench_resize.py has the figures).
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

import annotator
from annotator.gui.docview import arc_plans
from tests.gui.helpers_docview import caret_rect, open_doc_view
from tests.gui.test_docview_arc_labels import RELATIONS, SCHEMA, check_all_pages

pytestmark = pytest.mark.gui

PARA = ("The envoy of the European Union met the head of the office of the ministry of "
        "defence of Russia in Moscow on Monday, and officials of NATO said talks in Brussels "
        "would resume soon.")
PARAS = 40


def _laid_out(view) -> None:
    """Let Qt finish laying out the document at the new width (it does the part off screen
    in steps on a timer, and tells the scroll bar the new height when done: a plain QTextEdit
    does the same), so that a page-by-page scroll reaches the end."""
    doc = view.text_area.document()
    doc.documentLayout().blockBoundingRect(doc.lastBlock())
    QApplication.processEvents()


@pytest.fixture
def long_doc(tmp_path):
    schema = tmp_path / "arc-resize.toml"
    schema.write_text(SCHEMA, encoding="utf-8")
    project = annotator.create_project(tmp_path / "resize.annproj", schema=schema,
                                       annotator="ana")
    text = "\n\n".join(PARA for _ in range(PARAS))
    doc = project.add_document(text, name="long")
    with project.compound("spans"):
        for k in range(PARAS):
            at = k * (len(PARA) + 2)

            def span(phrase: str, label: str, at: int = at) -> str:
                i = at + PARA.index(phrase)
                return project.add_span(doc.id, i, i + len(phrase), label).id

            ids = [span("The envoy of the European Union", "PER"),
                   span("the European Union", "ORG"),
                   span("the head of the office of the ministry", "PER"),
                   span("Russia", "GPE"), span("Moscow", "GPE"), span("NATO", "ORG"),
                   span("Brussels", "GPE")]
            for j, (a, b) in enumerate(zip(ids, ids[1:], strict=False)):
                project.add_relation(RELATIONS[(j + k) % len(RELATIONS)], a, b)
    yield project, doc.id, text
    project.close()


def test_resize_plans_only_near_the_screen_then_the_rest(qtbot, long_doc, monkeypatch):
    project, doc_id, text = long_doc
    view = open_doc_view(qtbot, project, doc_id, 700, 400, all_arcs=True)
    sb = view.text_area.verticalScrollBar()
    sb.setValue(sb.maximum() // 2)
    QApplication.processEvents()
    made: list[int] = []
    make = arc_plans.ArcPlans.make

    def counting(self, block, keys, max_rows):
        made.append(block.blockNumber())
        return make(self, block, keys, max_rows)

    monkeypatch.setattr(arc_plans.ArcPlans, "make", counting)
    view.resize(520, 400)
    QApplication.processEvents()
    # the blocks with arcs are every other block (blank lines between): PARAS of them; a
    # screen and a margin on each side hold far fewer
    assert 0 < len(set(made)) < PARAS // 2, sorted(set(made))
    assert not view.layout_settled()
    # a word on screen, to see that the text there stays put while the rest is planned
    on_screen = [b for b in view.visible_blocks() if b % 2 == 0][-1]
    at = on_screen // 2 * (len(PARA) + 2) + PARA.index("Moscow")
    where = caret_rect(view, at)
    assert 0 <= where.top() < view.text_area.viewport().height()
    qtbot.waitUntil(view.layout_settled, timeout=10000)
    assert len(set(made)) == PARAS  # the idle slices planned the others
    assert caret_rect(view, at) == where  # room given above the screen moved nothing on it
    _laid_out(view)
    assert check_all_pages(view) == set(view.document_arcs())


def test_scrolling_before_the_rest_is_planned(qtbot, long_doc):
    """A scroll right after the resize, before the idle slices ran: blocks coming near the
    screen get their room first, so no label overlaps another or a span on any page."""
    project, doc_id, _ = long_doc
    view = open_doc_view(qtbot, project, doc_id, 700, 400, all_arcs=True)
    view.resize(480, 400)
    QApplication.processEvents()
    _laid_out(view)
    assert not view.layout_settled()
    assert check_all_pages(view) == set(view.document_arcs())
