"""Project.snapshot(): every read inside sees one state, whatever other connections commit."""

from __future__ import annotations

import pytest

import annotator
from annotator.errors import ProjectError

TEXT = "Russia attacked Ukraine on Monday, said John Smith in Brussels."


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "p.annproj"
    with annotator.create_project(path, annotator="ana") as proj:
        doc = proj.add_document(TEXT, name="story")
        proj.add_span(doc.id, 0, 6, "GPE")
    return path


@pytest.mark.parametrize("readonly", [True, False])
def test_a_commit_between_two_reads_of_a_snapshot_is_not_seen(path, readonly):
    reader = annotator.open_project(path, annotator="ana", readonly=readonly)
    writer = (annotator.open_project(path, annotator="bob") if readonly
              else reader.worker_copy())  # a writer's own worker connection
    try:
        doc_id = reader.document_ids()[0]
        with reader.snapshot() as snap:
            first = snap.annotations(doc_id, None)
            added = writer.add_span(doc_id, 16, 23, "GPE")
            writer.add_trigger_event(doc_id, 7, 15, "Conflict.Attack",
                                     arguments=[("Attacker", added.id)])
            writer.add_document("Another story.", name="later")
            assert snap.annotations(doc_id, None) == first
            assert len(snap.spans(doc_id, None)) == 1 and snap.document_count() == 1
            assert snap.stats()["spans"] == {"ana": {"GPE": 1}}
        # after the snapshot, and without one, reads see the commits at once
        assert added.id in {s.id for s in reader.spans(doc_id, None)}
        assert reader.document_count() == 2
        writer.add_span(doc_id, 54, 62, "GPE")
        assert len(reader.spans(doc_id, None)) == 4
    finally:
        writer.close()
        reader.close()


def test_snapshots_nest_and_edits_inside_are_refused(path):
    with annotator.open_project(path, annotator="ana") as proj:
        doc_id = proj.document_ids()[0]
        with proj.snapshot():
            with proj.snapshot():
                assert len(proj.spans(doc_id, None)) == 1
            with pytest.raises(ProjectError, match="snapshot"):
                proj.add_span(doc_id, 16, 23, "GPE")
            assert len(proj.spans(doc_id, None)) == 1
        proj.add_span(doc_id, 16, 23, "GPE")  # after it, edits work again
        with proj.compound("Two"):
            with proj.snapshot():  # inside an edit: reads see the edit's own writes
                assert len(proj.spans(doc_id, None)) == 2
            proj.add_span(doc_id, 27, 33, "TIME")
        assert len(proj.spans(doc_id, None)) == 3
