"""Arc labels with all arcs shown never overlap each other or a span's box, lane or tag, never
cover the legs of other arcs (the arcs stay visible up to their ends), sit on their own arc, and
read in full or as their abbreviation (#10.12: they crowded around nested spans).

The seed article of the demo project (nested spans such as 'NATO military commanders' holding
'NATO', an event trigger with arguments on both sides) is opened in the real view offscreen and
scrolled page by page; a synthetic paragraph of deeply nested spans with many relations with
long labels, at a wide and a narrow width (half arcs across lines), checks the same.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

import annotator
from annotator.gui.docview import DocumentView
from annotator.gui.docview.labels import short_label
from tests.gui.helpers_docview import open_doc_view

pytestmark = pytest.mark.gui

DEMO = Path(__file__).resolve().parents[2] / "sample_projects" / "news-demo" / "news-demo.annproj"

RELATIONS = ["ORG-AFF.Employment", "PART-WHOLE.Geographical", "PHYS.Located",
             "GEN-AFF.Citizen-Resident-Religion-Ethnicity", "ORG-AFF.Membership"]
SCHEMA = "\n".join(
    ['name = "arc-labels"', "version = 1", "allow_overlap = true"]
    + [f'[[entity_types]]\nname = "{n}"' for n in ("PER", "ORG", "GPE")]
    + [f'[[relation_types]]\nname = "{r}"\narg1 = ["PER", "ORG", "GPE"]\n'
       f'arg2 = ["PER", "ORG", "GPE"]' for r in RELATIONS]) + "\n"

NESTED = ("The deputy head of the press office of the ministry of defence of the Russian "
          "Federation in Moscow met the chief of staff of the army of the Republic of Georgia "
          "and the head of the mission of the European Union in Tbilisi on Monday.")


def _labels(view: DocumentView, page_top: float) -> list[tuple[str, str, QRectF]]:
    """The arc labels on screen, in document coordinates (viewport + scroll value)."""
    return [(key, text, rect.translated(0, page_top)) for key, text, rect in
            view.arc_labels()]


def _span_rects(view: DocumentView, page_top: float) -> list[tuple[str, QRectF]]:
    """Every span's text boxes, lanes and tags on screen, in document coordinates."""
    out = []
    for sid in view.shown_spans():
        for r in view.span_rects(sid) + view.lane_rects(sid):
            out.append((sid, r.translated(0, page_top)))
        for _, r in view.lane_labels(sid):
            out.append((sid, r.translated(0, page_top)))
    return out


def _allowed(label: str) -> set[str]:
    """The texts an arc's label may show: full or abbreviated, plain or with a half arc's
    arrow."""
    out = set()
    for t in {label, short_label(label)}:
        out |= {t, t + " \u2192", "\u2192 " + t}
    return out


def _overlap(a: QRectF, b: QRectF) -> bool:
    """More than a hairline of overlap (edges that touch are fine)."""
    return a.intersected(b).width() > 0.5 and a.intersected(b).height() > 0.5


def _legs(view: DocumentView, key: str, text: str, rect: QRectF
          ) -> tuple[list[tuple[float, float, float]], tuple[float, float] | None]:
    """The vertical legs of a labelled arc piece as (x, top, bottom), from its label's row
    down to the tops of its ends, and, for an arc with both ends on the line, the run between
    them (the arc rises from the centre of each end's first piece; ends closer than 14 px are
    moved 6 px apart)."""
    a = view.document_arcs()[key]
    h, t = view.span_rects(a.head)[0], view.span_rects(a.tail)[0]
    cy = rect.center().y()
    if "\u2192" not in text:  # one arc on this line
        x1, x2 = h.center().x(), t.center().x()
        if abs(x2 - x1) < 14:
            sx = 1 if x2 >= x1 else -1
            x1, x2 = x1 - sx * 6, x2 + sx * 6
        return [(x1, cy, h.top()), (x2, cy, t.top())], (min(x1, x2), max(x1, x2))
    below = [e for e in (h, t) if e.top() > cy]
    end = min(below, key=lambda e: e.top() - cy)  # a half arc: its end on the line below
    return [(end.center().x(), cy, end.top())], None


def _covered_legs(view: DocumentView, labels: list[tuple[str, str, QRectF]]) -> list[tuple]:
    """(arc, other arc, their labels) where a label covers another arc's leg, except where it
    must: a leg inside the label's own arc (nested in it, or at its own ends), which a label
    wider than its arc covers wherever it sits on it."""
    legs = {i: _legs(view, *lab) for i, lab in enumerate(labels)}
    out = []
    for i, (_, text, rect) in enumerate(labels):
        run = legs[i][1]
        for j, (key2, text2, _) in enumerate(labels):
            if key2 == labels[i][0]:
                continue
            for x, top, bottom in legs[j][0]:
                if run is not None and run[0] - 0.5 <= x <= run[1] + 0.5:
                    continue
                if rect.left() + 1 < x < rect.right() - 1 and rect.top() < bottom - 1 \
                        and rect.bottom() > top + 1:
                    out.append((labels[i][0], key2, text, text2))
    return out


def check_all_pages(view: DocumentView, covered: set[tuple] | None = None) -> set[str]:
    """Scroll page by page through the whole document; at each page assert that no two arc
    labels overlap, that none overlaps a span's box, lane or tag, and that each shows the full
    label or its abbreviation; returns the arc keys that got a label. Adds to ``covered``
    the (arc, other arc, labels) where a label covers the other arc's leg."""
    covered = set() if covered is None else covered
    arcs = view.document_arcs()
    sb = view.text_area.verticalScrollBar()
    seen: set[str] = set()
    value = 0
    while True:
        sb.setValue(value)
        QApplication.processEvents()
        view.text_area.viewport().repaint()
        top = float(sb.value())
        labels = _labels(view, top)
        # the rects the painter put in the hit test (clicks, tooltips) are the same
        assert sorted((r.x(), r.y()) for _, _, r in labels) == sorted(
            (r.x(), r.y() + top) for r, _, _ in view.arc_label_rects())
        spans = _span_rects(view, top)
        for i, (key, text, rect) in enumerate(labels):
            seen.add(key)
            assert text in _allowed(arcs[key].label), (key, text)
            for _, text2, rect2 in labels[i + 1:]:
                assert not _overlap(rect, rect2), (text, rect, text2, rect2)
            for sid, r in spans:
                assert not _overlap(rect, r), (text, rect, view.shown_spans()[sid].label, r)
        covered.update(_covered_legs(view, view.arc_labels()))
        if sb.value() >= sb.maximum():
            return seen
        value = sb.value() + max(1, sb.pageStep() // 2)


def _reaches_its_ends(view: DocumentView) -> None:
    """A label of an arc with both ends on one line sits over the span between them, above
    both ends (the arc rises from the ends to its label)."""
    arcs = view.document_arcs()
    for key, text, rect in view.arc_labels():
        if "\u2192" in text:
            continue  # a half arc: labelled beside its end
        a = arcs[key]
        ends = [view.span_rects(a.head)[0], view.span_rects(a.tail)[0]]
        lo = min(e.center().x() for e in ends) - 7
        hi = max(e.center().x() for e in ends) + 7
        assert rect.left() <= hi and rect.right() >= lo, (text, rect, lo, hi)
        assert all(rect.bottom() <= e.top() for e in ends), (text, rect, ends)


@pytest.mark.skipif(not DEMO.exists(), reason="the demo project is not in this checkout")
@pytest.mark.parametrize("width", [700, 1000])
def test_seed_article_arc_labels_never_overlap(qtbot, tmp_path, width):
    path = tmp_path / "demo.annproj"
    shutil.copy(DEMO, path)
    project = annotator.open_project(path)
    try:
        doc = next(d for d in project.documents() if d.name == "russia-nato-meeting")
        view = DocumentView()
        qtbot.addWidget(view)
        view.resize(width, 600)
        view.set_project(project)
        view.show_document(doc.id, "gold")
        view.show_all_arcs = True
        view.show()
        qtbot.waitExposed(view)
        covered: set[tuple] = set()
        seen = check_all_pages(view, covered)
        # every relation and event argument of the article got its label
        assert seen == set(view.document_arcs())
        # labels keep clear of where other arcs run up to theirs (a wide label of a half arc
        # by the right margin, with no room there, goes up above an arc that rose past it:
        # it covered that arc's leg at 700 px)
        assert not covered, covered
        view.text_area.verticalScrollBar().setValue(0)
        QApplication.processEvents()
        _reaches_its_ends(view)
    finally:
        project.close()


def build_nested(project) -> str:
    """NESTED with spans nested five deep and relations between most of them."""
    doc = project.add_document(NESTED, name="nested")

    def span(phrase: str, label: str, n: int = 1) -> str:
        i = -1
        for _ in range(n):
            i = NESTED.index(phrase, i + 1)
        return project.add_span(doc.id, i, i + len(phrase), label).id

    chain = [span("The deputy head of the press office of the ministry of defence of the "
                  "Russian Federation", "PER"),
             span("the press office of the ministry of defence of the Russian Federation", "ORG"),
             span("the ministry of defence of the Russian Federation", "ORG"),
             span("the Russian Federation", "GPE"), span("Russian", "GPE")]
    moscow = span("Moscow", "GPE")
    chief = span("the chief of staff of the army of the Republic of Georgia", "PER")
    army = span("the army of the Republic of Georgia", "ORG")
    georgia = span("the Republic of Georgia", "GPE")
    head = span("the head of the mission of the European Union", "PER")
    mission = span("the mission of the European Union", "ORG")
    eu = span("the European Union", "ORG")
    tbilisi = span("Tbilisi", "GPE")
    pairs = list(zip(chain, chain[1:], strict=False)) + [
        (chain[0], chain[2]), (chain[0], chain[3]), (chain[1], chain[3]), (chain[0], moscow),
        (chain[2], moscow), (chain[4], moscow), (chief, army), (army, georgia),
        (chief, georgia), (chain[0], chief), (head, mission), (mission, eu), (head, eu),
        (mission, tbilisi), (head, tbilisi), (chief, head), (chain[2], georgia)]
    for k, (a, b) in enumerate(pairs):
        project.add_relation(RELATIONS[k % len(RELATIONS)], a, b)
    return doc.id


@pytest.mark.parametrize("width", [330, 520, 1100])
def test_nested_spans_with_many_relations(qtbot, tmp_path, width):
    schema = tmp_path / "arc-labels.toml"
    schema.write_text(SCHEMA, encoding="utf-8")
    project = annotator.create_project(tmp_path / "nested.annproj", schema=schema,
                                       annotator="ana")
    try:
        doc_id = build_nested(project)
        view = open_doc_view(qtbot, project, doc_id, width, 500, all_arcs=True)
        seen = check_all_pages(view)
        assert seen == set(view.document_arcs())
        view.text_area.verticalScrollBar().setValue(0)
        QApplication.processEvents()
        _reaches_its_ends(view)
        # the view made room for them: no label reaches above the first line's room
        assert all(r.top() >= 0 for _, _, r in view.arc_labels())
    finally:
        project.close()


ONE_LINE = "Officials of the ministry of defence of Russia met the envoy of the EU in Paris."


def test_one_line_of_nested_spans_with_every_pair_related(qtbot, tmp_path):
    """Ten relations among five nested spans and two more on one line: with levels capped at
    three, their labels were pushed into one crowded row and printed over each other."""
    schema = tmp_path / "arc-labels.toml"
    schema.write_text(SCHEMA, encoding="utf-8")
    project = annotator.create_project(tmp_path / "line.annproj", schema=schema,
                                       annotator="ana")
    try:
        doc = project.add_document(ONE_LINE, name="line")

        def span(phrase: str, label: str) -> str:
            i = ONE_LINE.index(phrase)
            return project.add_span(doc.id, i, i + len(phrase), label).id

        nested = [span("Officials of the ministry of defence of Russia", "PER"),
                  span("the ministry of defence of Russia", "ORG"),
                  span("defence of Russia", "ORG"), span("Russia", "GPE")]
        others = [span("the envoy of the EU", "PER"), span("the EU", "ORG"),
                  span("Paris", "GPE")]
        ids = nested + others
        k = 0
        for i, a in enumerate(ids):
            for b in ids[i + 1:i + 4]:
                project.add_relation(RELATIONS[k % len(RELATIONS)], a, b)
                k += 1
        view = open_doc_view(qtbot, project, doc.id, 900, 400, all_arcs=True)
        assert check_all_pages(view) == set(view.document_arcs())
        _reaches_its_ends(view)
        assert all(r.top() >= 0 for _, _, r in view.arc_labels())
    finally:
        project.close()


def test_labels_stay_apart_after_edits_and_a_resize(qtbot, tmp_path):
    """Adding relations makes the paragraph grow at once; a narrower window re-plans the rows
    for the new line breaks; the labels stay apart through both."""
    schema = tmp_path / "arc-labels.toml"
    schema.write_text(SCHEMA, encoding="utf-8")
    project = annotator.create_project(tmp_path / "nested.annproj", schema=schema,
                                       annotator="ana")
    try:
        doc_id = build_nested(project)
        view = open_doc_view(qtbot, project, doc_id, 900, 500, all_arcs=True)
        project.subscribe(view.refresh)
        spans = sorted(view.shown_spans().values(), key=lambda s: s.start)
        for k in range(6):
            project.add_relation(RELATIONS[k % len(RELATIONS)], spans[k].id, spans[-1 - k].id)
        QApplication.processEvents()
        check_all_pages(view)
        view.resize(420, 500)
        QApplication.processEvents()
        assert check_all_pages(view) == set(view.document_arcs())
    finally:
        project.close()
