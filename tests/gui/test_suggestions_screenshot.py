"""The README's suggestions screenshot: the demo's seed article half labelled by ana (the
demo's gold of its first paragraphs, and of the other ten articles), the rest proposed by
the project's own gold (``suggest --from-gold``): open suggestions beside gold.

Rendered from a copy of the demo project (the committed file is never written). The PNG is
written under tmp_path, and to ``$SUGGESTIONS_PNG`` when set
(``SUGGESTIONS_PNG=docs/screenshots/demo-suggestions.png pytest
tests/gui/test_suggestions_screenshot.py`` makes the committed one).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from PySide6.QtGui import QImage

import annotator
from annotator.core.model import Annotations
from annotator.gui.suggestions import suggestions_of
from annotator.nlp.suggest import suggest
from tests.gui.helpers_mainwindow import REPO, isolate_settings, open_window
from tests.gui.test_curation_screenshot import copy_set

DEMO = REPO / "sample_projects" / "news-demo" / "news-demo.annproj"
SEED = "russia-nato-meeting"
LABELLED_UP_TO = "Russia's envoy to NATO"  # ana's gold stops before this paragraph


def half_labelled(tmp_path: Path) -> Path:
    """A copy of the demo where ana's set holds the gold of every article, the seed
    article's only up to ``LABELLED_UP_TO``; then the gold dictionary's suggestions."""
    path = tmp_path / "demo-suggest.annproj"
    source, target = sqlite3.connect(f"file:{DEMO}?mode=ro", uri=True), sqlite3.connect(path)
    with target:
        source.backup(target)
    source.close()
    target.close()
    with annotator.open_project(path, annotator="ana") as p:
        seed = p.document_by_name(SEED)
        stop = seed.text.index(LABELLED_UP_TO)
        sets: list[tuple[str, str, Annotations, str]] = []
        for doc_id in p.document_ids():
            gold = p.annotations(doc_id, "gold")
            keep = (lambda x, s=stop: getattr(x, "start", 0) < s) if doc_id == seed.id \
                else (lambda x: True)
            sets.append((doc_id, "ana", copy_set(gold, keep=keep),
                         "in_progress" if doc_id == seed.id else "done"))
        p.replace_annotation_sets(sets)
        rep = suggest(p, from_gold=True, documents=[SEED], arguments=False)
        assert sum(rep.added.values()) >= 10
    return path


def test_suggestions_screenshot(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = half_labelled(tmp_path)
    w = open_window(qtbot, path, annotator_name="ana", document=SEED)
    w.resize(1440, 900)
    w.docks["problems"].hide()
    spans = w.project.spans(w.current_doc)
    gold = [s for s in spans if s.status == "gold"]
    open_ = [s for s in spans if s.status == "suggested"]
    assert gold and len(open_) >= 10
    stop = w.doc_text.index(LABELLED_UP_TO)
    assert all(s.start < stop for s in gold)  # ana's own labels; the rest are proposals
    mode = suggestions_of(w)
    picked = mode.step(+1)
    for _ in range(30):  # the first proposed span (relations between gold spans come first)
        if picked is None or picked.kind == "span":
            break
        picked = mode.step(+1)
    assert picked is not None and picked.kind == "span"
    w.inspector.rebuild_now()
    qtbot.wait(50)
    out = tmp_path / "suggestions.png"
    assert w.grab().save(str(out), "PNG")
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600
    target = os.environ.get("SUGGESTIONS_PNG")
    if target:
        shutil.copy(out, target)
    w.close()
