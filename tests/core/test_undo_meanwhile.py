"""Undo and redo over rows another connection wrote after the step: the live gold dictionary's
job (a worker connection, its own history) proposes relations on a span the user just added,
or removes a suggested span a step of the user's history pointed at. The undo must still
succeed (the proposals hanging on what it removes go with it), never leave a row pointing at
a missing one, and refuse cleanly (nothing written, the step kept) when gold made elsewhere
hangs on it. Each race is made deterministic by running the worker's write between two
calls of the window's project."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.core.suggestions import Batch, RelationSuggestion, SpanSuggestion
from annotator.errors import ValidationError
from tests.conftest import db_snapshot, word_offsets

TEXT = "John Smith works for Russia and visited Brussels with Paul Smith."
SOURCE = "gold-dictionary"
EMPLOYMENT = "ORG-AFF.Employment"


def at(word: str) -> tuple[int, int]:
    return word_offsets(TEXT, word, 0)


def dangling(project) -> list[tuple]:
    """Rows whose foreign key names a missing row (none, ever)."""
    conn = sqlite3.connect(f"file:{project.path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()


@pytest.fixture
def story(project):
    """The window's project, a worker connection to the same file, the document and the
    gold span John Smith."""
    doc = project.add_document(TEXT, name="story")
    john = project.add_span(doc.id, *at("John Smith"), "PER")
    worker = project.worker_copy()
    yield project, worker, doc.id, john
    worker.close()


def propose_employment(worker, doc_id: str, head: tuple[int, int],
                       tail: tuple[int, int]) -> str:
    """The worker proposes John Smith employed by the span at ``tail`` (as the live
    dictionary's relation batch does); the id of the suggested relation."""
    worker.put_suggestions(doc_id, SOURCE, Batch(relations=[RelationSuggestion(
        EMPLOYMENT, (*head, "PER"), (*tail, "GPE"), 1.0)]), origin="dictionary",
        replace=False)
    return next(r.id for r in worker.annotations(doc_id).relations if r.status == "suggested")


def test_undo_of_a_span_the_worker_proposed_a_relation_on(story):
    project, worker, doc_id, _john = story
    russia = project.add_span(doc_id, *at("Russia"), "GPE")  # the step to undo
    rel = propose_employment(worker, doc_id, at("John Smith"), at("Russia"))

    changes = project.undo()

    assert changes is not None and russia.id in changes.spans
    assert rel in changes.relations  # the view drops the proposal that hung on it
    ann = project.annotations(doc_id)
    assert [s.label for s in ann.spans] == ["PER"] and ann.relations == []
    assert dangling(project) == []
    assert project.redo() is not None  # the span again, without the proposal
    ann = project.annotations(doc_id)
    assert {s.id for s in ann.spans} >= {russia.id} and ann.relations == []
    assert dangling(project) == []


def test_redo_of_a_delete_the_worker_proposed_on_since_the_undo(story):
    project, worker, doc_id, _john = story
    russia = project.add_span(doc_id, *at("Russia"), "GPE")
    project.delete_span(russia.id)
    project.undo()  # Russia back
    rel = propose_employment(worker, doc_id, at("John Smith"), at("Russia"))

    changes = project.redo()  # the delete again

    assert changes is not None and rel in changes.relations
    assert project.annotations(doc_id).relations == []
    assert dangling(project) == []
    project.undo()
    assert russia.id in {s.id for s in project.annotations(doc_id).spans}


def test_undo_writing_back_a_proposal_whose_span_the_worker_removed(story):
    """The user deleted a suggested relation; the dictionary then removed its suggested end
    (held by nothing any more). Undoing the delete cannot put the relation back on a missing
    span: that proposal stays gone, and the undo is done (and the one before it too)."""
    project, worker, doc_id, _john = story
    project.put_suggestions(doc_id, SOURCE, Batch(
        spans=[SpanSuggestion(*at("Russia"), "GPE")],
        relations=[RelationSuggestion(EMPLOYMENT, (*at("John Smith"), "PER"),
                                      (*at("Russia"), "GPE"))]), origin="dictionary")
    ann = project.annotations(doc_id)
    rel = ann.relations[0]
    russia = next(s for s in ann.spans if s.status == "suggested")
    project.delete_relation(rel.id)
    worker.delete_span(russia.id)

    changes = project.undo()

    assert changes is not None and rel.id in changes.relations
    assert project.annotations(doc_id).relations == []
    assert dangling(project) == []
    assert project.undo() is not None  # the suggestions' step: nothing of it is left
    assert dangling(project) == []


def test_gold_made_meanwhile_on_the_span_refuses_the_undo_and_writes_nothing(story):
    project, worker, doc_id, john = story
    russia = project.add_span(doc_id, *at("Russia"), "GPE")
    worker.add_relation(EMPLOYMENT, john.id, russia.id)  # gold, in another window
    before = db_snapshot(project.path)

    with pytest.raises(ValidationError, match="Undo Add GPE"):
        project.undo()

    assert db_snapshot(project.path) == before  # nothing half done
    assert project.undo_label == "Add GPE"  # still there, for after the relation is gone
    worker.delete_relation(worker.annotations(doc_id).relations[0].id)
    assert project.undo() is not None
    assert dangling(project) == []
