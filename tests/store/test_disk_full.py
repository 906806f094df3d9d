"""A full disk during an edit or an import (simulated with ``PRAGMA max_page_count``) gives a
DiskFullError that says so, loses nothing committed, and close() still releases the lock
(#9.12)."""

from __future__ import annotations

import pytest

import annotator
from annotator import DocumentInput
from annotator.errors import AnnotatorError, DiskFullError

TEXT = "Russia attacked Ukraine on Monday, said John Smith in Brussels. "


def fill_the_disk(proj) -> None:
    """From now on the file cannot grow by a single page (as on a full disk)."""
    conn = proj._store.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


@pytest.fixture
def full(tmp_path, snapshot):
    path = tmp_path / "p.annproj"
    proj = annotator.create_project(path, annotator="ana")
    doc = proj.add_document(TEXT * 5, name="story")
    proj.add_span(doc.id, 0, 6, "GPE")
    before = snapshot(proj)
    fill_the_disk(proj)
    yield proj, doc.id, before
    proj.close()


def test_an_edit_on_a_full_disk_says_so_and_loses_nothing(full, snapshot):
    proj, doc_id, before = full
    label = proj.undo_label
    with pytest.raises(DiskFullError) as info, proj.compound("Many spans"):
        for i in range(300):
            proj.add_span(doc_id, 16, 23, "GPE", note=f"note {i} " + "x" * 400)
    message = str(info.value)
    assert isinstance(info.value, AnnotatorError)
    assert "disk is full" in message and "not saved" in message and str(proj.path) in message
    assert snapshot(proj) == before
    assert proj.undo_label == label  # the failed edit left no undo step
    proj.update_span(proj.spans(doc_id)[0].id, label="LOC")  # small edits still fit
    assert proj.undo() is not None


def test_an_import_on_a_full_disk_says_so_and_adds_nothing(full, snapshot):
    proj, _, before = full
    inputs = [DocumentInput(text=f"Story {i}. " + TEXT * 40, name=f"s{i}") for i in range(50)]
    with pytest.raises(DiskFullError, match="disk is full"):
        proj.add_documents(inputs)
    assert snapshot(proj) == before and proj.document_count() == 1


def test_close_on_a_full_disk_releases_the_lock_and_keeps_everything(full, snapshot):
    proj, doc_id, before = full
    with pytest.raises(DiskFullError):
        proj.add_documents([DocumentInput(text=TEXT * 400, name="big")])
    proj.update_span(proj.spans(doc_id)[0].id, note="kept")  # committed before closing
    proj.close()
    with annotator.open_project(proj.path, annotator="ana") as again:  # the lock is free
        assert not again.read_only
        assert again.spans(doc_id)[0].note == "kept"
        assert again.document_count() == 1
        assert [p for p in again.check() if p.code == "integrity"] == []
