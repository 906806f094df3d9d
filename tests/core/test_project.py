"""The data model through the Project facade: spans, events, relations, provenance, ids,
cascading deletes, documents and statistics."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import annotator
from annotator.core.model import Span
from annotator.errors import NotFoundError, ValidationError
from tests.conftest import word_offsets

TEXT = ("Russia attacked Ukraine on Monday, said John Smith and his brother Paul Smith "
        "in Brussels.")


at = word_offsets  # (text, word, nth) -> (start, end)


@pytest.fixture
def doc(project):
    return project.add_document(TEXT, name="story")


def fk_problems(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        return conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()


# ---- spans -------------------------------------------------------------------------------
def test_span_carries_every_field_and_survives_reopen(project, doc, tmp_path):
    s, e = at(TEXT, "Brussels")
    span = project.add_span(doc.id, s, e, "GPE", attrs={"subtype": "Population-Center",
                                                        "mention_type": "NAM"},
                            note="capital of Belgium", kb_id="wikidata:Q239",
                            status="suggested", origin="model")
    assert span.kind == "entity"  # derived from the schema
    path = project.path
    project.close()
    with annotator.open_project(path, annotator="ana") as reopened:
        back = reopened.span(span.id)
        assert back == span
        assert reopened.document(doc.id).text[back.start:back.end] == "Brussels"
        assert (back.label, back.kind, back.status, back.origin, back.kb_id) == (
            "GPE", "entity", "suggested", "model", "wikidata:Q239")
        assert back.attrs == {"subtype": "Population-Center", "mention_type": "NAM"}
        assert back.note == "capital of Belgium"


def test_span_kinds_follow_the_schema(project, doc):
    assert project.add_span(doc.id, *at(TEXT, "Monday"), "TIME").kind == "value"
    assert project.add_span(doc.id, *at(TEXT, "attacked"), "Conflict.Attack").kind == "trigger"
    assert project.add_span(doc.id, *at(TEXT, "Russia"), "GPE").kind == "entity"


def test_offsets_are_code_points_end_exclusive(project):
    text = "\U0001F600 Angela Merkel met e\u0301mile in Paris\r\nThe end."
    d = project.add_document(text, name="astral")
    s, e = at(text, "Merkel")
    assert (s, e) == (9, 15)  # the emoji counts as one code point
    span = project.add_span(d.id, s, e, "PER")
    assert text[span.start:span.end] == "Merkel"
    project.add_span(d.id, 0, 1, "PER")  # a single astral character is a valid span
    project.add_span(d.id, len(text) - 4, len(text), "PER")  # end == len(text) allowed
    with pytest.raises(ValidationError):
        project.add_span(d.id, len(text) - 4, len(text) + 1, "PER")
    with pytest.raises(ValidationError):
        project.add_span(d.id, 5, 5, "PER")  # empty
    with pytest.raises(ValidationError):
        project.add_span(d.id, 6, 5, "PER")
    with pytest.raises(ValidationError):
        project.add_span(d.id, -1, 5, "PER")


@pytest.mark.parametrize("field,value", [("status", "maybe"), ("origin", "guess"),
                                         ("kind", "thing")])
def test_bad_span_enumerations_are_refused(project, doc, field, value):
    with pytest.raises(ValidationError):
        project.add_span(doc.id, 0, 6, "GPE", **{field: value})
    assert project.spans(doc.id) == []
    assert not project.can_undo


def test_all_enumerated_span_values_are_accepted(project, doc):
    for status in ("gold", "suggested", "rejected"):
        for origin in ("manual", "import", "model", "pattern"):
            sp = project.add_span(doc.id, 0, 6, "GPE", status=status, origin=origin)
            assert (project.span(sp.id).status, project.span(sp.id).origin) == (status, origin)


def test_unknown_label_and_missing_document_are_refused(project, doc):
    with pytest.raises(ValidationError, match="not in the schema"):
        project.add_span(doc.id, 0, 6, "NOPE")
    with pytest.raises(NotFoundError):
        project.add_span("no-such-doc", 0, 6, "GPE")
    with pytest.raises(ValidationError):
        project.update_span(project.add_span(doc.id, 0, 6, "GPE").id, label="NOPE")


def test_overlapping_nested_and_stacked_spans_are_allowed(project, doc):
    s1 = project.add_span(doc.id, *at(TEXT, "John Smith"), "PER")
    s2 = project.add_span(doc.id, *at(TEXT, "John Smith"), "ORG")  # same range, other label
    s3 = project.add_span(doc.id, *at(TEXT, "Smith"), "PER")  # nested
    s4 = project.add_span(doc.id, at(TEXT, "said")[0], at(TEXT, "John")[1], "ORG")  # overlaps
    s5 = project.add_span(doc.id, *at(TEXT, "John Smith"), "PER")  # exact duplicate
    ids = {s.id for s in project.spans(doc.id)}
    assert ids == {s1.id, s2.id, s3.id, s4.id, s5.id}
    assert not [p for p in project.problems(doc.id) if p.code == "forbidden-overlap"]


def test_update_span_changes_only_given_fields(project, doc):
    sp = project.add_span(doc.id, *at(TEXT, "Paul"), "PER", note="n", kb_id="wikidata:Q1")
    new = project.update_span(sp.id, end=at(TEXT, "Paul Smith")[1], status="rejected")
    assert (new.start, new.end, new.status, new.note, new.kb_id, new.label) == (
        sp.start, at(TEXT, "Paul Smith")[1], "rejected", "n", "wikidata:Q1", "PER")
    assert project.span(sp.id) == new
    with pytest.raises(ValidationError):
        project.update_span(sp.id, doc_id="other")
    with pytest.raises(ValidationError):
        project.update_span(sp.id, end=len(TEXT) + 1)
    assert project.span(sp.id) == new


# ---- events ------------------------------------------------------------------------------
def test_event_with_trigger_attrs_and_repeated_role(project, doc):
    russia = project.add_span(doc.id, *at(TEXT, "Russia"), "GPE")
    ukraine = project.add_span(doc.id, *at(TEXT, "Ukraine"), "GPE")
    brussels = project.add_span(doc.id, *at(TEXT, "Brussels"), "GPE")
    ev = project.add_trigger_event(doc.id, *at(TEXT, "attacked"), "Conflict.Attack",
                                   attrs={"realis": "actual"},
                                   arguments=[("Attacker", russia.id), ("Target", ukraine.id)])
    project.add_argument(ev.id, "Target", brussels.id)  # a role filled twice
    got = project.event(ev.id)
    assert got.type == "Conflict.Attack"
    assert got.attrs == {"realis": "actual"}
    trigger = project.span(got.trigger_id)
    assert (trigger.kind, trigger.label) == ("trigger", "Conflict.Attack")
    assert TEXT[trigger.start:trigger.end] == "attacked"
    assert [(a.role, a.filler_id, a.filler_kind) for a in got.arguments] == [
        ("Attacker", russia.id, "span"), ("Target", ukraine.id, "span"),
        ("Target", brussels.id, "span")]
    assert project.events_of_trigger(trigger.id) == [got]
    assert project.annotations(doc.id).events == [got]
    assert project.undo_label == "Add Target"


def test_event_defaults_and_event_filler(project, doc):
    ev = project.add_trigger_event(doc.id, *at(TEXT, "attacked"), "Conflict.Attack")
    # only what was set is stored; the schema's defaults are filled in when read
    stored = project.event(ev.id).attrs
    assert stored == {}
    assert project.schema.effective_attrs("event", ev.type, stored)["realis"] == "actual"
    other = project.add_trigger_event(doc.id, *at(TEXT, "said"), "Contact.Meet")
    arg = project.add_argument(other.id, "Entity", ev.id)
    assert (arg.filler_kind, arg.filler_id) == ("event", ev.id)
    assert project.event(other.id).arguments == [arg]
    with pytest.raises(ValidationError):
        project.add_argument(ev.id, "Entity", ev.id)  # not a role of Conflict.Attack
    with pytest.raises(ValidationError):
        project.add_argument(ev.id, "Attacker", ev.id)  # its own argument
    with pytest.raises(NotFoundError):
        project.add_argument(ev.id, "Attacker", "missing")
    with pytest.raises(ValidationError):
        project.add_event("Not.AType", project.event(ev.id).trigger_id)


def test_add_event_on_entity_span_turns_it_into_trigger(project, doc):
    sp = project.add_span(doc.id, *at(TEXT, "attacked"), "ORG")
    ev = project.add_event("Conflict.Attack", sp.id)
    assert project.span(sp.id).kind == "trigger"
    assert project.span(sp.id).label == "Conflict.Attack"
    project.undo()  # one step: event and relabel
    assert project.span(sp.id).label == "ORG"
    with pytest.raises(NotFoundError):
        project.event(ev.id)


def test_update_event_type_relabels_its_trigger(project, doc):
    ev = project.add_trigger_event(doc.id, *at(TEXT, "attacked"), "Conflict.Attack")
    project.update_event(ev.id, type="Contact.Meet", attrs={"realis": "generic"})
    assert project.span(ev.trigger_id).label == "Contact.Meet"
    assert project.event(ev.id).attrs == {"realis": "generic"}
    project.update_span(ev.trigger_id, label="Life.Die")
    assert project.event(ev.id).type == "Life.Die"


# ---- relations ---------------------------------------------------------------------------
@pytest.mark.parametrize("rtype,first,second,l1,l2", [
    ("PER-SOC.Family", "John Smith", "Paul Smith", "PER", "PER"),
    ("PHYS.Near", "Russia", "Brussels", "GPE", "GPE"),
])
def test_symmetric_relation_is_stored_in_canonical_order(project, doc, rtype, first, second,
                                                         l1, l2):
    a = project.add_span(doc.id, *at(TEXT, first), l1)
    b = project.add_span(doc.id, *at(TEXT, second), l2)
    rel = project.add_relation(rtype, b.id, a.id)  # given in reverse text order
    stored = project.relation(rel.id)
    assert (stored.head_id, stored.tail_id) == (a.id, b.id)
    rel2 = project.add_relation(rtype, a.id, b.id)
    assert (project.relation(rel2.id).head_id, project.relation(rel2.id).tail_id) == (a.id, b.id)
    # reversing a symmetric relation is a no-op
    assert project.reverse_relation(rel.id) == stored
    assert project.relation(rel.id) == stored


def test_directed_relation_keeps_its_order_and_reverses(project, doc):
    a = project.add_span(doc.id, *at(TEXT, "John Smith"), "PER")
    b = project.add_span(doc.id, *at(TEXT, "Russia"), "GPE")
    rel = project.add_relation("ORG-AFF.Employment", a.id, b.id)
    assert (project.relation(rel.id).head_id, project.relation(rel.id).tail_id) == (a.id, b.id)
    project.reverse_relation(rel.id)
    assert (project.relation(rel.id).head_id, project.relation(rel.id).tail_id) == (b.id, a.id)


def test_changing_a_relation_to_a_symmetric_type_canonicalises_it(project, doc):
    john = project.add_span(doc.id, *at(TEXT, "John Smith"), "PER")
    paul = project.add_span(doc.id, *at(TEXT, "Paul Smith"), "PER")
    rel = project.add_relation("PER-SOC.Business", john.id, paul.id)
    project.reverse_relation(rel.id)  # Business is symmetric too: stays canonical
    assert project.relation(rel.id).head_id == john.id
    rel2 = project.add_relation("ORG-AFF.Employment", paul.id, john.id)
    changed = project.update_relation(rel2.id, type="PER-SOC.Family")
    assert (changed.head_id, changed.tail_id) == (john.id, paul.id)
    assert project.relation(rel2.id) == changed


def test_relation_refusals(project, doc):
    a = project.add_span(doc.id, *at(TEXT, "John Smith"), "PER")
    other = project.add_document("Another story about Berlin.", name="other")
    b = project.add_span(other.id, *at("Another story about Berlin.", "Berlin"), "GPE")
    with pytest.raises(ValidationError):
        project.add_relation("NOT-A-TYPE", a.id, a.id)
    with pytest.raises(ValidationError, match="same document"):
        project.add_relation("PHYS.Near", a.id, b.id)
    with pytest.raises(NotFoundError):
        project.add_relation("PHYS.Near", a.id, "missing")


# ---- provenance and annotation sets ------------------------------------------------------
def test_provenance_and_a_second_annotator(project, doc):
    sp = project.add_span(doc.id, *at(TEXT, "Russia"), "GPE")
    assert (sp.annotator, sp.created_by, sp.modified_by) == ("ana", "ana", "ana")
    assert sp.created_at and sp.created_at == sp.modified_at
    ukr = project.add_span(doc.id, *at(TEXT, "Ukraine"), "GPE")
    rel = project.add_relation("PHYS.Near", sp.id, ukr.id)
    ev = project.add_trigger_event(doc.id, *at(TEXT, "attacked"), "Conflict.Attack")
    path = project.path
    project.close()

    with annotator.open_project(path, annotator="bob") as bob:
        edited = bob.update_span(sp.id, label="LOC")
        assert (edited.annotator, edited.created_by, edited.modified_by) == ("ana", "ana", "bob")
        assert edited.created_at == sp.created_at
        assert edited.modified_at >= sp.modified_at
        assert bob.update_relation(rel.id, note="checked").modified_by == "bob"
        assert bob.relation(rel.id).created_by == "ana"
        bob.update_event(ev.id, attrs={"realis": "other"})
        assert bob.event(ev.id).modified_by == "bob"
        assert bob.event(ev.id).created_by == "ana"
        own = bob.add_span(doc.id, *at(TEXT, "Monday"), "TIME")
        assert own.annotator == own.created_by == "bob"
        # each annotator has their own set
        assert [s.id for s in bob.spans(doc.id)] == [own.id]
        assert {s.id for s in bob.spans(doc.id, "ana")} == {sp.id, ukr.id, ev.trigger_id}
        assert len(bob.annotations(doc.id, None).spans) == 4
        assert bob.annotators() == ["ana", "bob"]
        assert [e.id for e in bob.annotations(doc.id, "ana").events] == [ev.id]
        assert bob.annotations(doc.id).events == []


def test_ids_are_unique_and_stable_across_reopen(project, doc):
    ids = [project.add_span(doc.id, 0, 6, "GPE").id for _ in range(50)]
    assert len(set(ids)) == 50
    chosen = project.add_span(doc.id, 0, 6, "GPE", id="my-own-id")
    assert chosen.id == "my-own-id"
    path = project.path
    project.close()
    with annotator.open_project(path, annotator="ana") as again:
        assert sorted(s.id for s in again.spans(doc.id)) == sorted([*ids, "my-own-id"])
        assert again.document_ids() == [doc.id]


def test_reusing_an_existing_id_is_refused_and_never_overwrites(project, doc):
    first = project.add_span(doc.id, *at(TEXT, "Russia"), "GPE")
    other = project.add_span(doc.id, *at(TEXT, "Ukraine"), "GPE")
    with pytest.raises(ValidationError):
        project.add_span(doc.id, *at(TEXT, "Monday"), "TIME", id=first.id)
    assert project.span(first.id) == first
    rel = project.add_relation("PHYS.Near", first.id, other.id)
    with pytest.raises(ValidationError):
        project.add_relation("PHYS.Near", other.id, first.id, id=rel.id)
    assert project.relation(rel.id) == rel
    ev = project.add_trigger_event(doc.id, *at(TEXT, "attacked"), "Conflict.Attack")
    with pytest.raises(ValidationError):
        project.add_event("Conflict.Attack", ev.trigger_id, id=ev.id)
    assert project.event(ev.id) == ev


# ---- cascading delete --------------------------------------------------------------------
def build_web(project, doc):
    """A span used everywhere: relation head/tail, argument filler, and a trigger."""
    russia = project.add_span(doc.id, *at(TEXT, "Russia"), "GPE")
    ukraine = project.add_span(doc.id, *at(TEXT, "Ukraine"), "GPE")
    john = project.add_span(doc.id, *at(TEXT, "John Smith"), "PER")
    r1 = project.add_relation("PHYS.Near", russia.id, ukraine.id)
    r2 = project.add_relation("ORG-AFF.Employment", john.id, russia.id)
    attack = project.add_trigger_event(doc.id, *at(TEXT, "attacked"), "Conflict.Attack",
                                       arguments=[("Attacker", russia.id),
                                                  ("Target", ukraine.id)])
    said = project.add_trigger_event(doc.id, *at(TEXT, "said"), "Contact.Meet",
                                     arguments=[("Entity", john.id), ("Entity", attack.id)])
    return russia, ukraine, john, r1, r2, attack, said


def test_delete_span_removes_what_points_at_it_in_one_undoable_step(project, doc, snapshot):
    russia, ukraine, john, r1, r2, attack, said = build_web(project, doc)
    before = snapshot(project)
    n_steps_label = project.undo_label

    changes = project.delete_span(russia.id)
    assert project.undo_label == "Delete GPE"
    with pytest.raises(NotFoundError):
        project.span(russia.id)
    for rid in (r1.id, r2.id):
        with pytest.raises(NotFoundError):
            project.relation(rid)
    assert [a.role for a in project.event(attack.id).arguments] == ["Target"]
    assert {r1.id, r2.id} <= changes.relations
    assert russia.id in changes.spans and attack.id in changes.events
    assert fk_problems(project.path) == []
    assert [p for p in project.check() if p.code in ("integrity", "dangling-argument",
                                                      "dangling-relation",
                                                      "dangling-trigger")] == []

    project.undo()  # one step restores all of it exactly
    assert snapshot(project) == before
    assert project.undo_label == n_steps_label
    project.redo()
    with pytest.raises(NotFoundError):
        project.span(russia.id)

    # deleting a trigger deletes its event, its arguments and arguments filled by the event
    after_first = snapshot(project)
    trig = project.event(attack.id).trigger_id
    project.delete_span(trig)
    with pytest.raises(NotFoundError):
        project.event(attack.id)
    assert [a.filler_id for a in project.event(said.id).arguments] == [john.id]
    assert project.span(ukraine.id)  # fillers survive
    assert fk_problems(project.path) == []
    assert [p for p in project.check() if p.code in ("integrity", "dangling-argument",
                                                      "dangling-relation")] == []
    project.undo()
    assert snapshot(project) == after_first
    project.undo()
    assert snapshot(project) == before


def test_delete_event_keeps_trigger_and_removes_arguments_pointing_at_it(project, doc,
                                                                          snapshot):
    *_, attack, said = build_web(project, doc)
    before = snapshot(project)
    project.delete_event(attack.id)
    assert project.span(attack.trigger_id).kind == "trigger"
    assert all(a.filler_id != attack.id for a in project.event(said.id).arguments)
    assert fk_problems(project.path) == []
    project.undo()
    assert snapshot(project) == before


# ---- documents ---------------------------------------------------------------------------
def test_documents_tokens_duplicates_and_search(project):
    d1 = project.add_document("Russia attacked Ukraine.", name="a", meta={"title": "War"})
    d2 = project.add_document("Paris is in France.", name="b")
    assert project.document_ids() == [d1.id, d2.id]
    assert d1.tokens[:3] == [(0, 6), (7, 15), (16, 23)]
    assert d1.sentences == [(0, 24)]
    assert project.document(d1.id).title == "War"
    assert project.document_by_name("b").id == d2.id
    with pytest.raises(ValidationError, match="duplicates"):
        project.add_document("Russia attacked Ukraine.", name="c")
    assert project.document_count() == 2
    assert project.search("attacked Ukraine") == [d1.id]
    assert project.search("France") == [d2.id]
    project.add_span(d1.id, 0, 6, "GPE")
    summaries = {s.name: s for s in project.documents()}
    assert summaries["a"].annotation_count == 1 and summaries["b"].annotation_count == 0
    assert summaries["a"].status == "new"
    with pytest.raises(NotFoundError):
        project.document("nope")


def test_add_documents_is_all_or_nothing(project):
    from annotator.core.inputs import DocumentInput
    from annotator.core.model import Annotations

    good = DocumentInput(text="Good text here.", name="good")
    bad = DocumentInput(text="Bad text here.", name="bad", sets={"ana": Annotations(
        spans=[Span(id="s1", doc_id="", start=5, end=99, label="PER")])})
    with pytest.raises(ValidationError):
        project.add_documents([good, bad])
    assert project.document_count() == 0
    report = project.add_documents([DocumentInput(text="Good text here.", name="good")])
    assert report.added == ["good"]


# ---- statistics --------------------------------------------------------------------------
def test_stats_count_per_annotator_label_type_and_status(project, doc):
    d2 = project.add_document("Second story about Berlin.", name="two")
    project.add_span(doc.id, *at(TEXT, "Russia"), "GPE")
    project.add_span(doc.id, *at(TEXT, "Ukraine"), "GPE")
    john = project.add_span(doc.id, *at(TEXT, "John Smith"), "PER")
    paul = project.add_span(doc.id, *at(TEXT, "Paul Smith"), "PER")
    project.add_relation("PER-SOC.Family", john.id, paul.id)
    project.link_to_chain(paul.id, john.id)  # one PER chain
    project.add_trigger_event(doc.id, *at(TEXT, "attacked"), "Conflict.Attack")
    project.set_status(doc.id, "done")
    path = project.path
    project.close()
    with annotator.open_project(path, annotator="bob") as bob:
        bob.add_span(d2.id, *at("Second story about Berlin.", "Berlin"), "GPE")
        bob.set_status(d2.id, "in_progress")
        stats = bob.stats()
    assert stats["documents"] == 2
    assert stats["annotators"] == ["ana", "bob"]
    assert stats["spans"] == {"ana": {"GPE": 2, "PER": 2, "Conflict.Attack": 1},
                              "bob": {"GPE": 1}}
    assert stats["events"] == {"ana": {"Conflict.Attack": 1}}
    assert stats["relations"] == {"ana": {"PER-SOC.Family": 1}}
    assert stats["chains"] == {"ana": {"PER": 1}}
    assert stats["status"] == {"ana": {"done": 1, "new": 1},
                               "bob": {"in_progress": 1, "new": 1}}


def test_statuses(project, doc):
    assert project.status(doc.id) == "new"
    project.set_status(doc.id, "in_progress")
    assert project.status(doc.id) == "in_progress"
    assert project.statuses(doc.id) == {"ana": "in_progress"}
    assert project.undo_label == "Mark in progress"
    with pytest.raises(ValidationError):
        project.set_status(doc.id, "finished")
    with pytest.raises(NotFoundError):
        project.set_status("nope", "done")


def test_references_never_cross_documents(project, doc):
    russia = project.add_span(doc.id, *at(TEXT, "Russia"), "GPE")
    ukraine = project.add_span(doc.id, *at(TEXT, "Ukraine"), "GPE")
    rel = project.add_relation("ORG-AFF.Employment", russia.id, ukraine.id)
    ev = project.add_trigger_event(doc.id, *at(TEXT, "attacked"), "Conflict.Attack")
    other_text = "Paris is big. Berlin too."
    other = project.add_document(other_text, name="other")
    paris = project.add_span(other.id, *at(other_text, "Paris"), "GPE")
    other_ev = project.add_trigger_event(other.id, *at(other_text, "big"), "Contact.Meet")
    before = (project.relation(rel.id), project.event(ev.id), project.span(paris.id))
    label = project.undo_label

    with pytest.raises(ValidationError, match="same document"):
        project.add_argument(ev.id, "Attacker", paris.id)
    with pytest.raises(ValidationError, match="same document"):
        project.add_argument(ev.id, "Attacker", other_ev.id)
    with pytest.raises(ValidationError, match="same document"):
        project.update_relation(rel.id, tail_id=paris.id)
    with pytest.raises(NotFoundError):
        project.update_relation(rel.id, head_id="missing")
    with pytest.raises(ValidationError, match="same document"):
        project.update_event(ev.id, trigger_id=paris.id)
    with pytest.raises(NotFoundError):
        project.update_event(ev.id, trigger_id="missing")
    assert (project.relation(rel.id), project.event(ev.id), project.span(paris.id)) == before
    assert project.undo_label == label
    assert [p for p in project.check() if p.code.startswith("dangling")] == []


def test_moving_an_event_to_another_trigger_span(project, doc):
    ev = project.add_trigger_event(doc.id, *at(TEXT, "attacked"), "Conflict.Attack")
    said = project.add_span(doc.id, *at(TEXT, "said"), "ORG")
    project.update_event(ev.id, trigger_id=said.id)
    assert project.event(ev.id).trigger_id == said.id
    assert (project.span(said.id).kind, project.span(said.id).label) == (
        "trigger", "Conflict.Attack")
    assert project.problems(doc.id) == []
    project.undo()
    assert project.span(said.id).label == "ORG"
    assert project.event(ev.id).trigger_id != said.id


def test_import_pauses_the_cyclic_collector_and_always_restores_it(project):
    """A bulk import runs without the cyclic garbage collector (it would rescan every live
    document again and again); whether it ends well or badly, the collector's state is back."""
    import gc

    seen: list[bool] = []

    def docs():
        seen.append(gc.isenabled())
        yield annotator.DocumentInput(text="One article.", name="one")
        raise ValidationError("the reader failed")

    assert gc.isenabled()
    with pytest.raises(ValidationError):
        project.add_documents(docs())
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        project.add_documents([annotator.DocumentInput(text="Two.", name="two")])
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()
    assert project.document_by_name("two").text == "Two."


def test_a_name_made_from_a_title_holds_no_control_characters(project, tmp_path):
    """An unnamed document is named after its title; a title with control characters gave a
    name that the re-import of the project's own JSONL export refused (found by hypothesis)."""
    from annotator.core.inputs import DocumentInput
    from annotator.formats.export import ExportOptions, run_export
    from annotator.formats.importing import import_paths

    project.add_documents([DocumentInput(text="Russia #0", name="", meta={"title": "\x1b"}),
                           DocumentInput(text="Russia #1", name="",
                                         meta={"title": "Kabul\nattack\t "})])
    assert sorted(d.name for d in project.documents()) == ["Kabul attack", "document"]
    out = tmp_path / "all.jsonl"
    run_export(project, "jsonl", out, ExportOptions(documents="all"))
    again = annotator.create_project(tmp_path / "again.annproj", annotator="ana")
    try:
        import_paths(again, [out])
        assert sorted(d.name for d in again.documents()) == ["Kabul attack", "document"]
    finally:
        again.close()
