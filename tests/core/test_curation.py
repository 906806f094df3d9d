"""Curation of one document: candidates across sets, take into gold, reject, undo."""

from __future__ import annotations

import pytest

import annotator
from annotator.core.curation import (
    ANCHOR_NOTE,
    curation,
    gold_state,
    gold_statuses,
    reject,
    take,
    take_agreed,
)
from annotator.errors import ValidationError
from annotator.formats.export import ExportOptions, ExportReport, export_documents
from tests.conftest import word_offsets

TEXT = "NATO met Russia in Brussels on Monday. The talks in Brussels ended."


def at(word: str, nth: int = 0) -> tuple[int, int]:
    return word_offsets(TEXT, word, nth)


@pytest.fixture
def team(tmp_path):
    """ana and bo labelled one article; they agree on NATO and Russia, not on Brussels."""
    path = tmp_path / "team.annproj"
    with annotator.create_project(path, schema="ace2005-news", annotator="ana") as ana:
        doc = ana.add_document(TEXT, name="meeting")
        nato = ana.add_span(doc.id, *at("NATO"), "ORG", attrs={"mention_type": "NAM"})
        russia = ana.add_span(doc.id, *at("Russia"), "GPE")
        ana.add_span(doc.id, *at("Brussels"), "GPE")
        meet = ana.add_trigger_event(doc.id, *at("met"), "Contact.Meet",
                                     attrs={"realis": "actual"})
        ana.add_argument(meet.id, "Entity", nato.id)
        ana.add_argument(meet.id, "Entity", russia.id)
    with annotator.open_project(path, annotator="bo") as bo:
        nato = bo.add_span(doc.id, *at("NATO"), "ORG", attrs={"mention_type": "NOM"})
        bo.add_span(doc.id, *at("Russia"), "GPE")
        brussels = bo.add_span(doc.id, *at("Brussels"), "LOC")
        city = bo.add_span(doc.id, *at("Brussels", 1), "GPE")
        meet = bo.add_trigger_event(doc.id, *at("met"), "Contact.Meet")
        bo.add_argument(meet.id, "Entity", nato.id)
        bo.add_relation("PART-WHOLE.Geographical", brussels.id, city.id)
    return path, doc.id


def groups_by(state, label):
    return [g for g in state.groups if g.label == label]


def test_groups_mark_who_made_what_and_agreement(team):
    path, doc_id = team
    with annotator.open_project(path, annotator="cy") as p:
        state = curation(p, doc_id)
    assert state.coders == ["ana", "bo"]
    (org,) = groups_by(state, "ORG")
    assert org.agreed and set(org.made_by) == {"ana", "bo"}
    assert org.attrs["ana"] == {"mention_type": "NAM"} and org.attrs["bo"]["mention_type"] == "NOM"
    brussels = [g for g in state.groups if g.start == at("Brussels")[0] and g.kind == "span"]
    assert {(g.label, tuple(g.made_by)) for g in brussels} == {("GPE", ("ana",)),
                                                              ("LOC", ("bo",))}
    assert all(g.disagreement for g in brussels)
    events = [g for g in state.groups if g.kind == "event"]
    assert len(events) == 2 and not any(g.agreed for g in events)  # arguments differ
    assert "Entity=Russia" in {g.detail for g in events if "ana" in g.made_by}.pop()
    assert [g.start for g in state.groups] == sorted(g.start for g in state.groups)
    first = state.step(-1, +1)
    assert first is not None and state.groups[first].disagreement
    assert state.step(first, -1) is None


def test_take_a_version_brings_attributes_and_arguments_in_one_undo_step(team):
    path, doc_id = team
    with annotator.open_project(path, annotator="cy") as p:
        state = curation(p, doc_id)
        event = next(g for g in state.groups if g.kind == "event" and "ana" in g.made_by)
        take(p, doc_id, [event.candidate("ana")])
        gold = p.annotations(doc_id, "gold")
        assert p.annotation_set == "cy"  # restored after the step
        (ev,) = gold.events
        assert ev.attrs == {"realis": "actual"} and len(ev.arguments) == 2
        assert {s.label for s in gold.spans} == {"ORG", "GPE", "Contact.Meet"}
        assert {x.created_by for x in [*gold.spans, *gold.events]} == {"cy"}
        assert p.status(doc_id, "gold") == "in_progress"
        assert gold_state(p.status(doc_id, "gold")) == "partly curated"
        after = curation(p, doc_id)
        assert next(g for g in after.groups if g.key == event.key).state == "taken"
        assert next(g for g in after.groups if g.label == "ORG").state == "taken"  # the filler
        assert p.undo_label.startswith("Take ana's event")
        p.undo()
        assert not p.annotations(doc_id, "gold").spans
        assert p.status(doc_id, "gold") == "new"


def test_take_agreed_then_reject_the_rest_curates_the_document(team):
    path, doc_id = team
    with annotator.open_project(path, annotator="cy") as p:
        take_agreed(p, doc_id)
        gold = p.annotations(doc_id, "gold")
        assert sorted(s.label for s in gold.spans) == ["GPE", "ORG"]  # NATO and Russia
        assert gold.spans[0].attrs == {"mention_type": "NAM"}  # the first annotator's
        assert p.undo_label == "Take 2 agreed annotation(s) into gold"
        state = curation(p, doc_id)
        for g in [g for g in state.groups if not g.resolved]:
            if g.kind == "span" and g.label == "LOC":
                take(p, doc_id, [g.candidate()])
            else:
                reject(p, doc_id, [g.candidate()])
        state = curation(p, doc_id)
        assert state.open == 0 and p.status(doc_id, "gold") == "done"
        assert gold_statuses(p)[doc_id] == "done"
        gold = p.annotations(doc_id, "gold")
        assert {s.label for s in gold.spans if s.status == "gold"} == {"ORG", "GPE", "LOC"}
        rejected = [s for s in gold.spans if s.status == "rejected"]
        assert rejected and all(e.status == "rejected" for e in gold.events)
        assert any(s.note == ANCHOR_NOTE for s in rejected)  # the rejected events' triggers
        with pytest.raises(ValidationError, match="already taken"):
            org = next(g for g in state.groups if g.label == "ORG")
            reject(p, doc_id, [org.candidate()])
        # taking a rejected candidate after all replaces the rejected copy
        ana_gpe = next(g for g in state.groups if g.label == "GPE" and g.state == "rejected")
        take(p, doc_id, [ana_gpe.candidate()])
        assert next(g for g in curation(p, doc_id).groups
                    if g.key == ana_gpe.key).state == "taken"


def test_rejected_candidates_are_not_exported_and_not_counted(team, tmp_path):
    path, doc_id = team
    with annotator.open_project(path, annotator="cy") as p:
        for g in curation(p, doc_id).groups:
            if g.kind != "span":
                reject(p, doc_id, [g.candidate()])
        assert len(p.annotations(doc_id, "gold").events) == 2
        assert len(p.annotations(doc_id, "gold").relations) == 1
        (exported,) = export_documents(p, ExportOptions(documents="all", annotator="gold"),
                                       ExportReport("jsonl", str(tmp_path / "out")))
    assert exported.ann.events == [] and exported.ann.relations == []
    assert exported.ann.spans == []


def test_a_suggestion_in_gold_decides_nothing(team):
    path, doc_id = team
    with annotator.open_project(path, annotator="gold") as p:
        p.add_span(doc_id, *at("Monday"), "TIME",
                   status="suggested", origin="model")
        p.add_span(doc_id, *at("Brussels"), "GPE", status="suggested", origin="model")
    with annotator.open_project(path, annotator="cy") as p:
        state = curation(p, doc_id)
        ana_brussels = next(g for g in state.groups if g.label == "GPE" and
                            g.start == at("Brussels")[0])
        assert ana_brussels.state == "open"
        take(p, doc_id, [ana_brussels.candidate()])
        gold = {(s.label, s.status) for s in p.spans(doc_id, "gold")
                if s.start == at("Brussels")[0]}
        assert gold == {("GPE", "gold"), ("GPE", "suggested")}
