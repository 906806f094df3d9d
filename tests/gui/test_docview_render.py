"""Offscreen rendering of a document with nested spans, an event with arguments and relations.

The PNG is written under tmp_path (and to $DOCVIEW_PNG_DIR when set, to look at it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from annotator.gui.docview import DocumentView
from tests.gui import helpers_docview
from tests.gui.helpers_docview import open_doc_view

pytestmark = pytest.mark.gui

TEXT = ("On Tuesday, rebels of the Free Syrian Army attacked a convoy near Aleppo, officials "
        "said.\n\nJohn Smith, a spokesman for the United Nations office in Geneva, condemned the "
        "attack and asked both sides to respect the ceasefire agreed in Vienna last month. "
        "\U0001F600 Mr. Smith said <b>nothing</b> &amp; more about the \u05d3\u05d5\u05d3 "
        "family.\r\nThe Syrian government did not comment.")


def word(w, n=1):
    return helpers_docview.word(TEXT, w, n)


def build(project):
    doc = project.add_document(TEXT, name="render")
    ids = {}

    def sp(key, w, label, n=1, **kw):
        ids[key] = project.add_span(doc.id, *word(w, n), label, **kw).id

    sp("time", "On Tuesday", "TIME")
    sp("fsa", "Free Syrian Army", "ORG")
    sp("syria", "Syrian", "GPE")
    sp("aleppo", "Aleppo", "GPE")
    sp("john", "John Smith", "PER")
    sp("office", "United Nations office in Geneva", "ORG")
    sp("un", "United Nations", "ORG")
    sp("geneva", "Geneva", "GPE")
    sp("vienna", "Vienna", "GPE", status="suggested")
    sp("mr", "Mr. Smith", "PER")
    sp("gov", "The Syrian government", "ORG")
    ev = project.add_trigger_event(doc.id, *word("attacked"), "Attack", arguments=[
        ("Attacker", ids["fsa"]), ("Place", ids["aleppo"]), ("Time", ids["time"])])
    ids["event"], ids["trigger"] = ev.id, ev.trigger_id
    ids["rel"] = project.add_relation("member_of", ids["john"], ids["un"]).id
    ids["rel2"] = project.add_relation("located_in", ids["office"], ids["geneva"]).id
    ids["rel3"] = project.add_relation("member_of", ids["mr"], ids["gov"]).id  # across lines
    return doc, ids


def render(qtbot, project, tmp_path, name, *, dark=False, width=720, select=None):
    doc, ids = build(project)
    view = DocumentView()
    qtbot.addWidget(view)
    if dark:
        pal = view.palette()
        pal.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
        pal.setColor(QPalette.ColorRole.Window, QColor("#252526"))
        pal.setColor(QPalette.ColorRole.Text, QColor("#e0e0e0"))
        pal.setColor(QPalette.ColorRole.Highlight, QColor("#3399ff"))
        view.setPalette(pal)
    view.resize(width, 470)
    view.set_project(project)
    view.show_document(doc.id)
    view.show_all_arcs = True
    view.show()
    qtbot.waitExposed(view)
    if select:
        view.select_annotation("span", ids[select])
    img = view.grab()
    path = tmp_path / f"{name}.png"
    assert img.save(str(path))
    extra = os.environ.get("DOCVIEW_PNG_DIR")
    if extra:
        img.save(str(Path(extra) / f"{name}.png"))
    return view, ids, path


def close(a: QColor, b: QColor, tol: int = 14) -> bool:
    return (abs(a.red() - b.red()) <= tol and abs(a.green() - b.green()) <= tol
            and abs(a.blue() - b.blue()) <= tol)


@pytest.mark.parametrize("dark", [False, True])
def test_render_png_shows_span_colours_where_spans_are(qtbot, project, tmp_path, dark):
    view, ids, path = render(qtbot, project, tmp_path, "dark" if dark else "light", dark=dark,
                             select="john")
    assert path.stat().st_size > 5000
    img = view.text_area.viewport().grab().toImage()
    dpr = img.devicePixelRatio()  # > 1 on high-DPI screens (e.g. QT_FONT_DPI=144)

    def pixel(x: float, y: float) -> QColor:
        return img.pixelColor(int(x * dpr), int(y * dpr))

    # the lane bar of each gold span is drawn in its label's colour, under its characters
    for key, label in [("office", "ORG"), ("fsa", "ORG"), ("aleppo", "GPE"), ("time", "TIME")]:
        lane = view.lane_rects(ids[key])[0]
        text = view.span_rects(ids[key])[0]
        assert lane.left() == pytest.approx(text.left(), abs=0.5)
        assert lane.top() >= text.bottom()
        px = pixel(lane.right() - 2, lane.center().y())
        assert close(px, view.label_color(label)), (key, px.name(), view.label_color(label).name())
        # the text background is tinted towards the label colour
        base = view.palette().color(QPalette.ColorRole.Base)
        tint = pixel(text.left() + 1, text.top() + 1)
        want = view.label_color(label)
        assert abs(tint.hue() - want.hue()) < 30 or tint.saturation() > base.saturation()
    # the label text colour reads on its colour (black on these light schema colours)
    assert view.label_text_color("ORG") == QColor(0, 0, 0)


def test_render_arcs_and_narrow_wrap(qtbot, project, tmp_path):
    view, ids, path = render(qtbot, project, tmp_path, "narrow", width=380)
    assert path.stat().st_size > 5000
    labels = {(k, i) for _, k, i in view.arc_label_rects()}
    # relations (same line and across lines) and event arguments all get a labelled arc
    assert ("relation", ids["rel"]) in labels
    assert ("relation", ids["rel3"]) in labels
    assert ("event", ids["event"]) in labels
    vp = view.text_area.viewport().rect()
    for rect, _, _ in view.arc_label_rects():
        assert rect.top() >= -1 and rect.intersects(vp.toRectF()) or rect.top() > vp.height()


def test_paint_right_after_a_long_jump_draws_the_spans(qtbot, project):
    """The document layout is lazy: a paint straight after a jump deep into a long document
    must still find the visible blocks (regression: it painted text without annotations)."""
    para = "The minister of Moldova met NATO officials in Brussels on Monday to talk."
    text = "\n\n".join(f"{i}. {para} " * 3 for i in range(300))
    doc = project.add_document(text, name="long")
    start = 0
    with project.compound("spans"):
        while True:
            i = text.find("Brussels", start)
            if i < 0:
                break
            project.add_span(doc.id, i, i + len("Brussels"), "GPE")
            start = i + 1
    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.set_project(project)
    view.show()
    qtbot.waitExposed(view)
    view.show_document(doc.id)
    sb = view.text_area.verticalScrollBar()
    sb.setValue(min(sb.maximum(), 3000))  # no event processing before the grab
    img = view.text_area.viewport().grab().toImage()
    dpr = img.devicePixelRatio()
    blocks = view.visible_blocks()
    assert blocks
    want = view.label_color("GPE")
    found = 0
    vp_h = view.text_area.viewport().height()
    for sid in view.shown_spans():
        for lane in view.lane_rects(sid):
            if 0 < lane.center().y() < vp_h:
                px = img.pixelColor(int((lane.right() - 2) * dpr), int(lane.center().y() * dpr))
                found += close(px, want)
    assert found >= 3


def _backing_store(qtbot, view) -> QImage:
    """What the window shows now: the offscreen platform's grabWindow returns the backing
    store as painted so far (unlike QWidget.grab, which paints everything afresh)."""
    QApplication.processEvents()  # paints just the regions the view invalidated
    qtbot.wait(60)  # and lets Qt's deferred layout timers run (and paint what they update)
    return view.screen().grabWindow(view.winId()).toImage()


def _differing_pixels(a: QImage, b: QImage, tol: int = 8) -> list[tuple[int, int]]:
    assert a.size() == b.size()
    out = []
    for y in range(a.height()):
        for x in range(a.width()):
            p, q = a.pixelColor(x, y), b.pixelColor(x, y)
            if not close(p, q, tol):
                out.append((x, y))
    return out


def test_edits_leave_no_stale_cached_drawing(qtbot, project):
    """Lanes, labels and arcs are cached as one image per block and an edit repaints only the
    region it invalidated: after relabelling, deleting (with the relation across lines) and
    adding spans, the window must look exactly like a view opened afresh on the result."""
    doc, ids = build(project)

    def open_view():
        # narrow: rel3 runs across lines, as half arcs
        return open_doc_view(qtbot, project, doc.id, 380, 470, all_arcs=True)

    view = open_view()
    project.subscribe(view.refresh)
    before = _backing_store(qtbot, view)
    labels = {(k, i) for _, k, i in view.arc_label_rects()}
    assert ("relation", ids["rel3"]) in labels
    gone = [r for r, k, i in view.arc_label_rects() if i == ids["rel3"]]
    gov_lane = view.lane_rects(ids["gov"])[0]

    project.update_span(ids["geneva"], label="PER")
    project.delete_span(ids["mr"])  # the head of rel3: both of its half arcs must go
    s, e = word("condemned")
    added = project.add_span(doc.id, s, e, "TIME")
    project.delete_relation(ids["rel2"])  # arcs change, spans do not
    project.update_relation(ids["rel"], type="located_in")
    # an argument whose arc fits in the rows its line has (an arc nested in "attacked" ->
    # "Free Syrian Army" would need a row more: the paragraph would grow, moving "gov")
    project.add_argument(ids["event"], "Target", ids["aleppo"])
    # deleting "Mr" left its paragraph a lane it no longer needs: closed up once edits pause
    qtbot.waitUntil(view.layout_settled, timeout=5000)
    shown = _backing_store(qtbot, view)
    assert _differing_pixels(before, shown)  # the edits did change what is shown

    labels = {(k, i) for _, k, i in view.arc_label_rects()}
    assert ("relation", ids["rel3"]) not in labels and ("relation", ids["rel2"]) not in labels
    assert view.lane_rects(added.id) and view.lane_rects(ids["gov"])
    # rel3's half arcs were the only arcs above the line of "Mr. Smith" and above "The
    # Syrian government": once settled, that room is closed up (room is per line, #10.12)
    assert view.lane_rects(ids["gov"])[0].top() < gov_lane.top()
    base = view.palette().color(QPalette.ColorRole.Base)
    dpr = shown.devicePixelRatio()
    for rect in gone:  # where rel3's labels were, nothing stale is left
        c = rect.center()
        px = shown.pixelColor(int(c.x() * dpr), int(c.y() * dpr))
        assert close(px, base, 40), px.name()

    fresh = open_view()
    assert _differing_pixels(shown, _backing_store(qtbot, fresh)) == []
    assert fresh.lane_rects(ids["gov"]) == view.lane_rects(ids["gov"])


def test_a_paragraph_closes_up_only_once_edits_pause(qtbot, project):
    """Deleting a nested span leaves its paragraph one lane too tall for a moment (closing up
    moves everything below, too slow for one frame); the view closes it up when edits pause,
    and a new nested span in the meantime needs no relayout at all."""
    text = "Russia and NATO met.\n\nTalks in Geneva went on."
    doc = project.add_document(text, name="nested")
    outer = project.add_span(doc.id, 0, 15, "ORG")
    inner = project.add_span(doc.id, 0, 6, "GPE")
    geneva = project.add_span(doc.id, text.index("Geneva"), text.index("Geneva") + 6, "GPE")
    view = open_doc_view(qtbot, project, doc.id, 500, 300)
    project.subscribe(view.refresh)
    tall = view.lane_rects(geneva.id)[0].top()
    project.delete_span(inner.id)
    QApplication.processEvents()
    assert not view.layout_settled()
    assert view.lane_rects(geneva.id)[0].top() == tall  # nothing below moved yet
    assert len(view.lane_rects(outer.id)) == 1
    qtbot.waitUntil(view.layout_settled, timeout=5000)
    short = view.lane_rects(geneva.id)[0].top()
    assert short < tall  # closed up: the next paragraph moved up by the lane
    project.add_span(doc.id, 0, 6, "GPE")  # nested again: room is made at once
    QApplication.processEvents()
    assert view.layout_settled() and view.lane_rects(geneva.id)[0].top() == tall


def test_arc_labels_on_one_row_do_not_overlap(qtbot, project):
    """Half arcs of one line run to the same margin at the same level: their labels are moved
    apart instead of printing over each other, and clicks still find each one."""
    from PySide6.QtCore import QRectF

    from annotator.gui.docview.paint_arcs import spread_labels

    rects = [QRectF(10, 0, 60, 12), QRectF(40, 0, 50, 12), QRectF(45, 20, 50, 12)]
    spread_labels(rects, right=300)
    assert rects[1].left() >= rects[0].right()  # same row: moved right
    assert rects[2].left() == 45  # another row: untouched
    crowded = [QRectF(250, 0, 40, 12), QRectF(260, 0, 40, 12)]
    spread_labels(crowded, right=300)
    assert crowded[1].right() <= 300 and crowded[1].left() >= crowded[0].right()

    doc, ids = build(project)
    for other in ("john", "un", "office", "geneva"):  # many half arcs leave the same lines
        project.add_relation("member_of", ids["mr"], ids[other])
    view = open_doc_view(qtbot, project, doc.id, 380, 470, all_arcs=True)
    view.grab()
    shown = view.arc_label_rects()
    assert len(shown) >= 8
    for i, (a, _, _) in enumerate(shown):
        for b, _, _ in shown[i + 1:]:
            if abs(a.center().y() - b.center().y()) < 1:
                assert not a.intersects(b), (a, b)
    for rect, kind, ann_id in shown:
        assert view.arc_at(rect.center()) == (kind, ann_id)
