"""Suggestions through the Project API: written per source, replaced without touching gold,
rejected ones remembered, accepted and rejected in one undo step, never counted as gold."""

from __future__ import annotations

import pytest

from annotator.core.suggestions import (
    ArgumentSuggestion,
    Batch,
    EventSuggestion,
    RelationSuggestion,
    SpanSuggestion,
)
from annotator.errors import ValidationError
from annotator.formats.export import ExportOptions, ExportReport, apply_label_map

TEXT = "NATO troops attacked Kabul on Monday. Reuters said NATO attacked."


@pytest.fixture
def doc(project):
    return project.add_document(TEXT, name="kabul")


def open_spans(project, doc_id):
    return sorted((s.start, s.end, s.label, s.source) for s in project.spans(doc_id)
                  if s.status == "suggested")


def test_suggestions_are_written_with_source_and_score_and_are_not_gold(project, doc):
    rep = project.put_suggestions(doc.id, "tiny", Batch(spans=[
        SpanSuggestion(0, 4, "ORG", 0.91234567), SpanSuggestion(21, 26, "GPE")]))
    assert rep.added == 2
    spans = {s.start: s for s in project.spans(doc.id)}
    assert spans[0].status == "suggested" and spans[0].source == "tiny"
    assert spans[0].score == 0.9123 and spans[21].score is None
    assert spans[0].origin == "model" and spans[0].annotator == "ana"
    stats = project.stats()
    assert stats["spans"] == {} and stats["suggestions"]["ana"]["spans"] == {"GPE": 1, "ORG": 1}
    project.undo()
    assert project.spans(doc.id) == []


def test_suggesting_again_replaces_only_open_suggestions_of_that_source(project, doc):
    project.put_suggestions(doc.id, "tiny", Batch(spans=[
        SpanSuggestion(0, 4, "ORG"), SpanSuggestion(21, 26, "GPE"), SpanSuggestion(30, 36, "PER")]))
    project.put_suggestions(doc.id, "other", Batch(spans=[SpanSuggestion(38, 45, "ORG")]))
    by_start = {s.start: s for s in project.spans(doc.id)}
    project.accept(by_start[0].id)
    project.reject(by_start[21].id)
    project.add_span(doc.id, 30, 36, "TIME")  # an edit made meanwhile: a gold span there
    rep = project.put_suggestions(doc.id, "tiny", Batch(spans=[
        SpanSuggestion(0, 4, "ORG"), SpanSuggestion(21, 26, "GPE"), SpanSuggestion(30, 36, "PER"),
        SpanSuggestion(51, 55, "ORG")]))
    assert rep.added == 1 and rep.kept_rejected == 1 and rep.replaced == 1
    final = sorted((s.start, s.label, s.status, s.source) for s in project.spans(doc.id))
    assert final == [(0, "ORG", "gold", "tiny"), (21, "GPE", "rejected", "tiny"),
                     (30, "TIME", "gold", ""), (38, "ORG", "suggested", "other"),
                     (51, "ORG", "suggested", "tiny")]
    assert (30, "PER", "suggested", "tiny") not in final  # the gold span there wins
    # another source may still propose what "tiny" was told no
    project.put_suggestions(doc.id, "other", Batch(spans=[SpanSuggestion(21, 26, "GPE")]))
    assert (21, 26, "GPE", "other") in open_spans(project, doc.id)


def test_accept_and_reject_are_one_undo_step_each(project, doc):
    project.put_suggestions(doc.id, "tiny", Batch(spans=[SpanSuggestion(0, 4, "ORG")]))
    (span,) = project.spans(doc.id)
    project.accept(span.id)
    assert project.span(span.id).status == "gold" and project.span(span.id).modified_by == "ana"
    assert project.undo_label == "Accept 1 suggestion"
    project.undo()
    assert project.span(span.id).status == "suggested"
    project.reject(span.id)
    assert project.span(span.id).status == "rejected"
    project.undo()
    assert project.span(span.id).status == "suggested"
    project.accept(span.id)
    with pytest.raises(ValidationError, match="only a suggestion"):
        project.reject(span.id)


def test_relabel_or_resize_of_a_suggestion_accepts_it(project, doc):
    project.put_suggestions(doc.id, "tiny", Batch(spans=[
        SpanSuggestion(0, 4, "GPE"), SpanSuggestion(21, 26, "GPE")]))
    first, second = project.spans(doc.id)
    assert project.update_span(first.id, label="ORG").status == "gold"
    assert project.update_span(second.id, end=36).status == "gold"
    assert project.update_span(second.id, note="x").status == "gold"


def test_bulk_accept_and_reject_with_filters(project, doc):
    project.put_suggestions(doc.id, "tiny", Batch(spans=[
        SpanSuggestion(0, 4, "ORG", 0.9), SpanSuggestion(21, 26, "GPE", 0.4)]))
    project.put_suggestions(doc.id, "rules", Batch(spans=[SpanSuggestion(51, 55, "ORG")]),
                            origin="pattern")
    project.accept_where([doc.id], source="tiny", min_score=0.5)
    project.reject_where(source="rules")
    got = sorted((s.start, s.status) for s in project.spans(doc.id))
    assert got == [(0, "gold"), (21, "suggested"), (51, "rejected")]


def test_accept_all_in_sentence_and_in_document(project, doc):
    project.put_suggestions(doc.id, "tiny", Batch(spans=[
        SpanSuggestion(0, 4, "ORG"), SpanSuggestion(21, 26, "GPE"),
        SpanSuggestion(51, 55, "ORG")]))
    project.accept_in_sentence(doc.id, 22)
    assert [s.status for s in project.spans(doc.id)] == ["gold", "gold", "suggested"]
    project.undo()
    project.accept_in_document(doc.id)
    assert {s.status for s in project.spans(doc.id)} == {"gold"}
    assert project.undo_label == "Accept 3 suggestions"


def test_events_relations_and_arguments(project, doc):
    project.add_span(doc.id, 0, 4, "ORG")
    project.add_span(doc.id, 21, 26, "GPE")
    project.put_suggestions(doc.id, "gold-dictionary", Batch(
        events=[EventSuggestion(12, 20, "Conflict.Attack")],
        relations=[RelationSuggestion("PART-WHOLE.Geographical", (21, 26, "GPE"),
                                      (0, 4, "ORG"))]), origin="dictionary")
    (event,) = project.annotations(doc.id).events
    assert event.status == "suggested" and project.span(event.trigger_id).kind == "trigger"
    project.put_suggestions(doc.id, "arguments", Batch(arguments=[
        ArgumentSuggestion(event.id, "Place", (21, 26, "GPE"), 0.5),
        ArgumentSuggestion(event.id, "Attacker", (0, 4, "ORG"), 0.9)]))
    kinds = {s.kind for s in project.suggestions(doc.id)}
    assert kinds == {"event", "relation", "argument"}
    place = next(s for s in project.suggestions(doc.id) if s.label.endswith("/Place"))
    project.accept(place.id)  # an argument accepted accepts its event and trigger
    ev = project.event(event.id)
    assert ev.status == "gold" and project.span(ev.trigger_id).status == "gold"
    assert {a.role: a.status for a in ev.arguments} == {"Place": "gold", "Attacker": "suggested"}
    # gold-only views: check/export see only the accepted part
    rep = ExportReport(format="x", out="x")
    out = apply_label_map(project.document(doc.id), project.annotations(doc.id),
                          ExportOptions(), rep)
    assert [a.role for a in out.events[0].arguments] == ["Place"] and out.relations == []
    assert rep.suggested_skipped == 2
    assert not any("Attacker" in p.message for p in project.check())


def test_rejecting_a_span_rejects_what_hangs_on_it_and_is_remembered(project, doc):
    project.put_suggestions(doc.id, "tiny", Batch(
        spans=[SpanSuggestion(0, 4, "ORG"), SpanSuggestion(21, 26, "GPE")],
        relations=[RelationSuggestion("PART-WHOLE.Geographical", (21, 26, "GPE"),
                                      (0, 4, "ORG"))]))
    org = next(s for s in project.spans(doc.id) if s.start == 0)
    project.reject(org.id)
    (rel,) = project.annotations(doc.id).relations
    assert rel.status == "rejected"
    rep = project.put_suggestions(doc.id, "tiny", Batch(
        spans=[SpanSuggestion(0, 4, "ORG"), SpanSuggestion(21, 26, "GPE")]))
    assert rep.kept_rejected == 1 and rep.added == 0  # the GPE stays (memory of the relation)
    assert open_spans(project, doc.id) == [(21, 26, "GPE", "tiny")]


def test_a_suggested_span_someone_built_on_survives_a_new_run(project, doc):
    project.put_suggestions(doc.id, "tiny", Batch(spans=[
        SpanSuggestion(0, 4, "ORG"), SpanSuggestion(21, 26, "GPE")]))
    org, gpe = project.spans(doc.id)
    project.add_relation("PART-WHOLE.Geographical", gpe.id, org.id)
    project.put_suggestions(doc.id, "tiny", Batch())
    assert {s.id for s in project.spans(doc.id)} == {org.id, gpe.id}


def test_unknown_labels_are_counted_not_written(project, doc):
    rep = project.put_suggestions(doc.id, "tiny", Batch(spans=[SpanSuggestion(0, 4, "NOPE")]))
    assert rep.added == 0 and rep.unknown_labels == {"NOPE": 1}
