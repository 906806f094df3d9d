"""The room the view makes for arcs is above the lines that have them, not above every line of
their paragraph (#10.12: a wrapped paragraph with arcs on its first line only had an empty
arc-high gap above each of its other lines, e.g. above "mend ties." in the seed article, and
the arcs of the next paragraph's first line widened every gap of the paragraph before).

Qt gives all lines of a block one line distance, so the room above a paragraph's first line is
the previous block's bottom margin, and the room between its own lines is what its lines after
the first need. Checked on the laid-out lines themselves (QTextLayout line positions).
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

import annotator
from annotator.gui.docview import DocumentView
from tests.gui.helpers_docview import open_doc_view
from tests.gui.test_docview_arc_labels import RELATIONS, SCHEMA, check_all_pages

pytestmark = pytest.mark.gui

PLAIN = ("Officials in Moscow said on Monday that the talks would go on through the week and "
         "that a statement would follow once the delegations had met again in the capital, "
         "where the weather had kept many of them indoors since the weekend.")
FIRST = ("Russia told NATO on Monday that it would not attend the meeting planned for the "
         "end of the month, a decision the alliance said could damage efforts to mend ties "
         "between the two sides after a year of quarrels over the war in the Caucasus.")
NEXT = "The head of the office of the ministry of defence of Russia met Georgia in Tbilisi."


def _gaps(view: DocumentView, b: int) -> list[float]:
    """The vertical gaps under each laid-out line of block ``b`` but the last (px)."""
    layout = view.text_area.document().findBlockByNumber(b).layout()
    lines = [layout.lineAt(i) for i in range(layout.lineCount())]
    return [n.y() - (c.y() + c.height()) for c, n in zip(lines, lines[1:], strict=False)]


def _below(view: DocumentView, b: int) -> float:
    """The gap from block ``b``'s last line down to block ``b + 1``'s first line (px)."""
    doc = view.text_area.document()
    dl = doc.documentLayout()
    block, nxt = doc.findBlockByNumber(b), doc.findBlockByNumber(b + 1)
    layout = block.layout()
    last = layout.lineAt(layout.lineCount() - 1)
    bottom = dl.blockBoundingRect(block).top() + last.y() + last.height()
    return dl.blockBoundingRect(nxt).top() + nxt.layout().lineAt(0).y() - bottom


def _project(tmp_path, text: str):
    schema = tmp_path / "arc-room.toml"
    schema.write_text(SCHEMA, encoding="utf-8")
    project = annotator.create_project(tmp_path / "room.annproj", schema=schema,
                                       annotator="ana")
    doc = project.add_document(text, name="room")

    def span(phrase: str, label: str) -> str:
        i = text.index(phrase)
        return project.add_span(doc.id, i, i + len(phrase), label).id

    return project, doc.id, span


def test_wrapped_paragraph_gets_arc_room_only_above_its_lines_with_arcs(qtbot, tmp_path):
    text = "\n".join((PLAIN, FIRST, NEXT))
    project, doc_id, span = _project(tmp_path, text)
    try:
        span("Moscow", "GPE")  # one lane under PLAIN, no arc
        russia, nato = span("Russia told", "GPE"), span("NATO", "ORG")
        project.add_relation(RELATIONS[2], russia, nato)  # on FIRST's first line only
        nested = [span("The head of the office of the ministry of defence of Russia", "PER"),
                  span("the office of the ministry of defence of Russia", "ORG"),
                  span("the ministry of defence of Russia", "ORG"),
                  span("Russia met", "GPE")]
        georgia, tbilisi = span("Georgia", "GPE"), span("Tbilisi", "GPE")
        for k, (a, b) in enumerate(zip(nested, nested[1:] + [georgia], strict=True)):
            project.add_relation(RELATIONS[k % len(RELATIONS)], a, b)
        project.add_relation(RELATIONS[0], nested[0], tbilisi)
        view = open_doc_view(qtbot, project, doc_id, 520, 600, all_arcs=True)
        QApplication.processEvents()
        plain, first = _gaps(view, 0), _gaps(view, 1)
        assert len(plain) >= 2 and len(first) >= 2  # both paragraphs wrap
        # the lines of FIRST after its first have no arcs: the gaps between its lines are
        # those of PLAIN (one lane each, no arcs), not arc-high
        assert first == pytest.approx([plain[0]] * len(first), abs=0.5)
        # NEXT's first line has arcs four rows high: the room is under FIRST's last line
        assert _below(view, 1) > plain[0] + 3 * view.fontMetrics().height()
        # and enough of it: no label there covers FIRST's lanes or another label
        assert check_all_pages(view) == set(view.document_arcs())
    finally:
        project.close()


def test_arcs_on_a_later_line_get_room_above_it(qtbot, tmp_path):
    """Arcs on the second line of a paragraph: room above that line (and, Qt's one line
    distance per block, above the block's other lines after the first), none under the
    paragraph's last line beyond that."""
    text = "\n".join((PLAIN, FIRST))
    project, doc_id, span = _project(tmp_path, text)
    try:
        span("Moscow", "GPE")
        a, b = span("the alliance", "ORG"), span("efforts", "ORG")
        project.add_relation(RELATIONS[0], a, b)
        view = open_doc_view(qtbot, project, doc_id, 520, 600, all_arcs=True)
        QApplication.processEvents()
        layout = view.text_area.document().findBlockByNumber(1).layout()
        at = FIRST.index("the alliance")
        line = next(i for i in range(layout.lineCount())
                    if layout.lineAt(i).textStart() <= at
                    < layout.lineAt(i).textStart() + layout.lineAt(i).textLength())
        assert line >= 1
        plain, first = _gaps(view, 0), _gaps(view, 1)
        assert first[line - 1] > plain[0] + view.fontMetrics().height() / 2
        assert check_all_pages(view) == set(view.document_arcs())
    finally:
        project.close()
