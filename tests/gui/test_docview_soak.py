"""Soak: tens of thousands of refreshes, selections and repaints in one session.

PySide6 6.12.0 dropped a reference to None on every setExtraSelections call and aborted after a
few thousand; the view does not use extra selections, but this guards whatever rendering calls
it does make, and checks that Python objects do not pile up.
"""

from __future__ import annotations

import gc
import sys
import time

import pytest

from annotator.core.changes import Changes
from tests.gui.helpers_docview import open_doc_view

pytestmark = pytest.mark.gui

TEXT = ("The minister of the Republic of Moldova met NATO officials in Brussels on Monday. "
        "Talks on the 😀 border dispute continued.\r\nA second paragraph follows here.")


def test_twenty_thousand_refreshes_and_selections(qtbot, project):
    doc = project.add_document(TEXT, name="soak")
    a = project.add_span(doc.id, 4, 12, "PER")
    b = project.add_span(doc.id, 20, 38, "GPE")
    c = project.add_span(doc.id, 44, 48, "ORG")
    rel = project.add_relation("located_in", c.id, b.id)
    view = open_doc_view(qtbot, project, doc.id, 500, 300)
    vp = view.text_area.viewport()
    for _ in range(200):  # warm up caches before measuring
        view.refresh(Changes(doc_ids={doc.id}, spans={a.id}))
        vp.repaint()
    gc.collect()
    objects_before = len(gc.get_objects())
    none_before = sys.getrefcount(None)
    t0 = time.perf_counter()
    n = 20_500
    for i in range(n):
        k = i % 5
        if k == 0:
            view.refresh(Changes(doc_ids={doc.id}, spans={a.id, b.id}))
        elif k == 1:
            view.select_annotation("span", (a, b, c)[i % 3].id)
        elif k == 2:
            view.refresh(Changes(doc_ids={doc.id}, relations={rel.id}))
        elif k == 3:
            view.set_text_selection(i % 40, i % 40 + 5)
        else:
            view.select_annotation("relation", rel.id)
            view.clear_annotation_selection()
        if i % 50 == 0:
            view.show_all_arcs = not view.show_all_arcs
            vp.repaint()
    for i in range(300):  # real edits through the project (each one a transaction)
        project.update_span(a.id, end=12 + (i % 3))
        view.refresh(Changes(doc_ids={doc.id}, spans={a.id}))
        vp.repaint()
    elapsed = time.perf_counter() - t0
    gc.collect()
    assert len(gc.get_objects()) - objects_before < 2000
    assert abs(sys.getrefcount(None) - none_before) < 2000
    # still alive and correct
    project.update_span(a.id, end=12)
    view.refresh(Changes(doc_ids={doc.id}, spans={a.id}))
    assert view.spans_at(5) == [a.id]
    view.select_annotation("span", c.id)
    assert view.selected_annotation() == ("span", c.id)
    assert not view.grab().isNull()
    print(f"{n} refresh/select operations + 300 edits in {elapsed:.1f} s")
