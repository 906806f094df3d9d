"""Span tags show their label in full, as its abbreviation, or as much of that as fits and
"…" (a lone first letter where not even that fits), never clipped mid-word (#10.12: "Personnel.Start-Position" read "Start-Posi" and the
trigger "war" of a Conflict.Attack read "Atta", which look like whole words); the tooltip over
the tag names the label in full.

Every article of the demo project, gold, is opened in the real view offscreen at two widths;
each tag's text is measured in the tag font (bold, the wider of the two).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import annotator
from annotator.gui.docview import DocumentView
from annotator.gui.docview.labels import clipped_label, fitting_label, label_text, short_label
from annotator.gui.docview.metrics import Metrics

pytestmark = pytest.mark.gui

DEMO = Path(__file__).resolve().parents[2] / "sample_projects" / "news-demo" / "news-demo.annproj"


def _forms(shown: str) -> set[str]:
    """What a tag of the label shown as ``shown`` may read."""
    short = short_label(shown)
    core = short.strip("\u2026\u2717?")
    return {shown, short, core[:1]} | {clipped_label(short, k) for k in range(1, len(short))}


def test_fitting_label_abbreviates_then_cuts_with_an_ellipsis():
    adv = float  # one pixel per character, for the arithmetic below

    def width(text: str) -> float:
        return adv(len(text))

    assert fitting_label("Conflict.Attack", 21, width) == "Conflict.Attack"
    assert fitting_label("Conflict.Attack", 12, width) == "Attack"
    assert fitting_label("Conflict.Attack", 10, width) == "Att\u2026"
    assert fitting_label("\u2026Personnel.Start-Position?", 14, width) == "\u2026Start\u2026?"
    assert fitting_label("Conflict.Attack", 8, width) == "A\u2026"  # one letter at least
    assert fitting_label("Conflict.Attack", 7, width) == "A"  # no room for the ellipsis
    assert fitting_label("\u2026ORG?", 2, width) == "O"


@pytest.mark.skipif(not DEMO.exists(), reason="the demo project is not in this checkout")
@pytest.mark.parametrize("width", [600, 1000])
def test_span_tags_are_never_clipped(qtbot, tmp_path, width):
    path = tmp_path / "demo.annproj"
    shutil.copy(DEMO, path)
    project = annotator.open_project(path)
    try:
        view = DocumentView()
        qtbot.addWidget(view)
        view.resize(width, 600)
        view.set_project(project)
        view.show()
        qtbot.waitExposed(view)
        m = Metrics(view.text_area.font())
        cut = 0
        for doc in project.documents():
            view.show_document(doc.id, "gold")
            QApplication.processEvents()
            for sid, s in view.shown_spans().items():
                for text, rect in view.lane_labels(sid):
                    shown = label_text(s) if not text.startswith("\u2026") or \
                        "\u2026" + s.label == text else "\u2026" + s.label
                    assert text in _forms(shown) | _forms("\u2026" + s.label), (s.label, text)
                    # the text fits where the tag draws it (3 px in, 1 px from its right),
                    # but a lone letter under a piece narrower than it
                    assert m.adv_bold(text) <= rect.width() - 4 + 0.5 or len(text) == 1, \
                        (s.label, text, rect)
                    if text != shown and text != short_label(shown):
                        cut += 1
                    if 0 <= rect.center().y() < view.text_area.viewport().height():
                        tip = view.tooltip_at(rect.center().toPoint())
                        assert s.label in tip, (text, tip)
        assert cut > 0  # the demo has tags too short for their abbreviation (seen: "war")
    finally:
        project.close()
