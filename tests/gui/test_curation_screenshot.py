"""The README's curation screenshot: the demo project's seed article labelled by two of the
tests' annotators (ana: the demo's gold; bo: the same with a few differences), curated by cy:
the agreed candidates taken, the open ones drawn on the text under the gold lanes.

The PNG is written under tmp_path, and to ``$CURATION_PNG`` when set
(``CURATION_PNG=docs/screenshots/demo-curation.png pytest tests/gui/test_curation_screenshot.py``
makes the committed one).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

import annotator
from annotator.core.model import Annotations, Argument, Event, Relation, Span, new_id
from annotator.gui.curation import curation_of
from tests.gui.helpers_mainwindow import REPO, isolate_settings, open_window

DEMO = REPO / "sample_projects" / "news-demo" / "news-demo.annproj"
SEED = "russia-nato-meeting"


def copy_set(ann: Annotations, keep=lambda item: True, relabel=None) -> Annotations:
    """A copy with new ids (each set has its own), leaving out what ``keep`` refuses."""
    ids: dict[str, str] = {}
    spans = []
    for s in ann.spans:
        if keep(s):
            ids[s.id] = new_id()
            label = (relabel or {}).get((s.start, s.label), s.label)
            spans.append(Span(id=ids[s.id], doc_id="", start=s.start, end=s.end, label=label,
                              kind=s.kind, attrs=dict(s.attrs)))
    events = []
    for e in ann.events:
        if e.trigger_id not in ids:
            continue
        ids[e.id] = eid = new_id()
        args = [Argument(id=new_id(), event_id=eid, role=a.role, filler_id=ids[a.filler_id],
                         filler_kind=a.filler_kind, position=i)
                for i, a in enumerate(e.arguments) if keep(a) and a.filler_id in ids]
        events.append(Event(id=eid, doc_id="", type=e.type, trigger_id=ids[e.trigger_id],
                            attrs=dict(e.attrs), arguments=args))
    relations = [Relation(id=new_id(), doc_id="", type=r.type, head_id=ids[r.head_id],
                          tail_id=ids[r.tail_id], attrs=dict(r.attrs))
                 for r in ann.relations if r.head_id in ids and r.tail_id in ids]
    return Annotations(spans, events, relations)


def two_annotators(tmp_path: Path) -> Path:
    """A copy of the demo whose seed article ana and bo labelled; its gold set emptied."""
    path = tmp_path / "demo-team.annproj"
    source, target = sqlite3.connect(DEMO), sqlite3.connect(path)
    with target:
        source.backup(target)
    source.close()
    target.close()
    with annotator.open_project(path, annotator="lead") as p:
        doc = p.document_by_name(SEED)
        gold = p.annotations(doc.id, "gold")
        text = doc.text
        dropped = {text.index("Reuters"), text.index("NATO military commanders")}
        first_meet = next(e for e in gold.events if e.type == "Contact.Meet")
        bo = copy_set(gold, keep=lambda x: not (isinstance(x, Span) and x.start in dropped)
                      and not (isinstance(x, Argument) and x is first_meet.arguments[0]),
                      relabel={(text.index("BRUSSELS"), "GPE"): "LOC",
                               (text.index("Russian diplomat"), "PER"): "ORG"})
        p.replace_annotation_sets([(doc.id, "ana", copy_set(gold), "done"),
                                   (doc.id, "bo", bo, "done"),
                                   (doc.id, "gold", Annotations(), "new")])
    return path


def test_curation_screenshot(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = two_annotators(tmp_path)
    w = open_window(qtbot, path, annotator_name="cy", document=SEED)
    w.resize(1440, 900)
    w.docks["problems"].hide()
    mode = curation_of(w)
    mode.enter()
    mode.take_agreed()
    mode.step(+1)
    mode.step(+1)  # bo's BRUSSELS (LOC): two versions of one place
    mode.panel.select_annotator("bo")
    group = mode.current_group()
    assert group is not None and w.doc_text[group.start:group.end] == "BRUSSELS"
    assert mode.state is not None and mode.state.open_disagreements >= 4
    # the candidates are drawn on the text: bo's selected LOC among them
    assert any(tag == "B LOC" for _g, tag in mode.marks.tags())
    assert mode.marks.rects(mode.panel.current_row())
    w.inspector.rebuild_now()
    w.resizeDocks([w.docks["curation"]], [230], Qt.Orientation.Vertical)
    qtbot.wait(50)
    w.view.settle_layout()  # the lines the agreed candidates left close up (as after a pause)
    w.view.set_text_selection(group.start, group.end)  # scrolled into view again
    qtbot.wait(50)
    out = tmp_path / "curation.png"
    assert w.grab().save(str(out), "PNG")
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600
    target = os.environ.get("CURATION_PNG")
    if target:
        shutil.copy(out, target)
    w.close()
