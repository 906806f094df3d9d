"""Annotation sets: who edits (``annotator``) is kept apart from which set is edited
(``annotation_set``), e.g. an adjudicator correcting the gold set; links never cross sets."""

from __future__ import annotations

import pytest

import annotator
from annotator.errors import ValidationError


@pytest.fixture
def project(tmp_path):
    p = annotator.create_project(tmp_path / "p.annproj", schema="ace2005-news", annotator="ana")
    yield p
    p.close()


def test_editing_another_set_records_the_editor(project) -> None:
    doc = project.add_document("Anna Berg visited Oslo.", name="d")
    project.annotation_set = "gold"
    span = project.add_span(doc.id, 0, 9, "PER")
    assert (span.annotator, span.created_by) == ("gold", "ana")
    assert [s.id for s in project.annotations(doc.id).spans] == [span.id]
    assert project.annotations(doc.id, "ana").spans == []
    project.set_status(doc.id, "done")
    assert project.statuses(doc.id) == {"gold": "done"}
    assert project.documents()[0].annotation_count == 1
    project.annotation_set = None
    assert project.annotation_set == "ana"
    assert project.annotations(doc.id).spans == []


def test_links_stay_inside_one_set(project) -> None:
    doc = project.add_document("Anna Berg visited Oslo.", name="d")
    mine = project.add_span(doc.id, 0, 9, "PER")
    project.annotation_set = "gold"
    oslo = project.add_span(doc.id, 18, 22, "GPE")
    with pytest.raises(ValidationError, match="same annotation set"):
        project.add_relation("PHYS.Located", mine.id, oslo.id)
    event = project.add_trigger_event(doc.id, 10, 17, "Movement.Transport")
    assert event.annotator == "gold"
    with pytest.raises(ValidationError, match="same annotation set"):
        project.add_argument(event.id, "Agent", mine.id)
    project.add_argument(event.id, "Destination", oslo.id)
    assert not [p for p in project.check() if p.severity == "error"]


def test_worker_copy_keeps_the_set(project) -> None:
    project.annotation_set = "gold"
    copy = project.worker_copy()
    try:
        assert (copy.annotator, copy.annotation_set) == ("ana", "gold")
    finally:
        copy.close()
