"""The next document is read ahead while the user stays on one (#10.16): the step to it reads
nothing from the project file and shows exactly what the file holds, also after edits made
meanwhile by the window or by another connection."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt

import annotator
from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Span
from annotator.core.project import Project
from annotator.gui.docview import read_ahead
from tests.gui.helpers_mainwindow import TEST_SCHEMA, isolate_settings, open_window, press

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
NEXT, PREVIOUS = Qt.Key.Key_PageDown, Qt.Key.Key_PageUp
TEXT = "Story {i}: NATO met Russia in Brussels on Monday."


def project_of_stories(tmp_path, n=5):
    path = tmp_path / "stories.annproj"
    schema = tmp_path / "schema.toml"
    schema.write_text(TEST_SCHEMA, encoding="utf-8")
    p = annotator.create_project(path, schema=schema, annotator="ana")
    inputs = []
    for i in range(n):
        text = TEXT.format(i=i)
        spans = [Span(id=f"s{i}-{k}", doc_id="", start=text.index(w), end=text.index(w) + len(w),
                      label=label) for k, (w, label) in
                 enumerate((("NATO", "ORG"), ("Russia", "GPE"), ("Brussels", "GPE"))[:1 + i % 3])]
        inputs.append(DocumentInput(text=text, name=f"story-{i}", sets={"ana": Annotations(
            spans=spans)}))
    p.add_documents(inputs)
    p.close()
    return path


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    isolate_settings(tmp_path)
    monkeypatch.setattr(read_ahead, "READ_AHEAD_AFTER_MS", 10)
    w = open_window(qtbot, project_of_stories(tmp_path))
    yield w
    if w.project is not None:
        w.close()


def count_reads(monkeypatch) -> list[str]:
    """Every document text and annotation set read from the file, by document id."""
    reads: list[str] = []
    document, annotations = Project.document, Project.annotations
    monkeypatch.setattr(Project, "document",
                        lambda self, doc_id: (reads.append(doc_id), document(self, doc_id))[1])
    monkeypatch.setattr(Project, "annotations", lambda self, doc_id, annotator="": (
        reads.append(doc_id), annotations(self, doc_id, annotator))[1])
    return reads


def shown(w) -> set[tuple[int, int, str]]:
    return {(s.start, s.end, s.label) for s in w.view.shown_spans().values()}


def in_file(w, doc_id) -> set[tuple[int, int, str]]:
    return {(s.start, s.end, s.label) for s in w.project.spans(doc_id)}


def test_the_step_shows_the_document_read_ahead_and_reads_nothing(qtbot, window, monkeypatch):
    w = window
    ids = w.doclist.visible_ids()
    assert w.current_doc == ids[0]
    qtbot.waitUntil(lambda: w.view._ahead.ready_for == ids[1])  # read while the user stays
    reads = count_reads(monkeypatch)
    press(qtbot, NEXT, CTRL)
    assert w.current_doc == ids[1]
    assert reads == []  # neither its text nor its annotations read again on the step
    assert w.doc_text == TEXT.format(i=1) and w.view.document_text() == w.doc_text
    assert shown(w) == in_file(w, ids[1]) and len(shown(w)) == 2
    qtbot.waitUntil(lambda: w.view._ahead.ready_for == ids[2])  # then the one after it
    assert reads == [ids[2], ids[2]]  # read once, ahead (text, then annotations)
    press(qtbot, NEXT, CTRL)
    assert w.current_doc == ids[2] and shown(w) == in_file(w, ids[2])
    # stepping back reads ahead backwards
    press(qtbot, PREVIOUS, CTRL)
    qtbot.waitUntil(lambda: w.view._ahead.ready_for == ids[0])


def test_an_edit_after_the_read_ahead_is_shown(qtbot, window):
    w = window
    ids = w.doclist.visible_ids()
    qtbot.waitUntil(lambda: w.view._ahead.ready_for == ids[1])
    w.project.add_span(ids[1], 0, 5, "PER")  # the window's own connection
    press(qtbot, NEXT, CTRL)
    assert (0, 5, "PER") in shown(w) and shown(w) == in_file(w, ids[1])
    qtbot.waitUntil(lambda: w.view._ahead.ready_for == ids[2])
    other = w.project.worker_copy()  # another connection (a background job's)
    try:
        other.add_span(ids[2], 0, 5, "PER")
    finally:
        other.close()
    press(qtbot, NEXT, CTRL)
    assert w.current_doc == ids[2]
    assert (0, 5, "PER") in shown(w) and shown(w) == in_file(w, ids[2])


def test_another_set_is_not_taken_from_the_read_ahead(qtbot, window):
    w = window
    ids = w.doclist.visible_ids()
    qtbot.waitUntil(lambda: w.view._ahead.ready_for == ids[1])
    assert w.view._ahead.take(w.project, ids[1], "gold") is None  # it holds ana's set
    w.view.read_ahead(ids[1])
    qtbot.waitUntil(lambda: w.view._ahead.ready_for == ids[1])
    w.set_annotation_set("gold")  # empty: nothing of ana's set may show
    press(qtbot, NEXT, CTRL)
    assert w.current_doc == ids[1] and shown(w) == set()


def test_the_read_ahead_waits_until_the_document_shown_is_painted(qtbot, window, monkeypatch):
    """On a busy machine painting a new document can take longer than READ_AHEAD_AFTER_MS; a
    read ahead started before that paint delayed it by the whole read. The next document is
    read only after the one shown has been painted, and then still read."""
    w = window
    ids = w.doclist.visible_ids()
    qtbot.waitUntil(lambda: w.view._ahead.ready_for == ids[1])
    events: list[str] = []

    class Paints(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                events.append("paint")
            return False

    paints = Paints()
    w.view.text_area.viewport().installEventFilter(paints)
    load = read_ahead.load
    monkeypatch.setattr(read_ahead, "load", lambda *a: (events.append("read"), load(*a))[1])
    viewport = w.view.text_area.viewport()
    viewport.setUpdatesEnabled(False)  # the next document's paint is late
    press(qtbot, NEXT, CTRL)
    assert w.current_doc == ids[1] and shown(w) == in_file(w, ids[1])
    qtbot.wait(100)  # ten times READ_AHEAD_AFTER_MS
    assert events == [] and w.view._ahead.ready_for is None  # nothing read before the paint
    viewport.setUpdatesEnabled(True)  # the paint comes
    qtbot.waitUntil(lambda: w.view._ahead.ready_for == ids[2])
    assert events[:2] == ["paint", "read"]
    press(qtbot, NEXT, CTRL)
    assert w.current_doc == ids[2] and shown(w) == in_file(w, ids[2])


def test_the_view_tells_once_when_the_document_shown_is_first_painted(qtbot, window):
    """``documentPainted``: what waits for the user to stay on a document (a problem check)
    can wait for its first paint too; once per document shown, after that paint."""
    w = window
    ids = w.doclist.visible_ids()
    painted: list[str] = []
    w.view.documentPainted.connect(painted.append)
    viewport = w.view.text_area.viewport()
    viewport.setUpdatesEnabled(False)
    press(qtbot, NEXT, CTRL)
    qtbot.wait(50)
    assert w.current_doc == ids[1] and painted == []  # not shown on screen yet
    viewport.setUpdatesEnabled(True)
    qtbot.waitUntil(lambda: painted == [ids[1]])
    viewport.repaint()  # painted again: no second signal
    assert painted == [ids[1]]
    press(qtbot, NEXT, CTRL)
    qtbot.waitUntil(lambda: painted == [ids[1], ids[2]])


def test_the_document_list_follows_the_steps_a_page_at_a_time(qtbot, tmp_path, monkeypatch):
    """Stepping through the documents keeps the current row in sight, and the list scrolls
    a page at a time, not by one row at every step once the row reached its bottom (which
    painted the table and its scroll bar again at each step)."""
    isolate_settings(tmp_path / "settings")
    (tmp_path / "many").mkdir()
    w = open_window(qtbot, project_of_stories(tmp_path / "many", n=150))
    try:
        table = w.doclist.table
        moves: list[int] = []
        table.verticalScrollBar().valueChanged.connect(moves.append)
        steps = 120
        for _ in range(steps):
            press(qtbot, NEXT, CTRL)
            index = table.currentIndex()
            assert index.data(Qt.ItemDataRole.UserRole) == w.current_doc
            assert table.viewport().rect().contains(table.visualRect(index))  # in sight
        assert w.current_doc == w.doclist.visible_ids()[steps]
        rows_in_sight = table.viewport().height() // table.rowHeight(0)
        assert 0 < len(moves) <= steps // max(1, rows_in_sight - 1) + 1
        for _ in range(steps):  # and back up
            press(qtbot, PREVIOUS, CTRL)
            assert table.viewport().rect().contains(table.visualRect(table.currentIndex()))
        assert w.current_doc == w.doclist.visible_ids()[0]
    finally:
        w.close()
