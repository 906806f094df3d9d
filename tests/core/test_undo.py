"""Undo/redo: every edit undoes and redoes exactly, compound steps, labels, listeners,
rollback on error, and a property-based check over random edit sequences."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import annotator
from annotator.core.changes import Changes
from annotator.core.inputs import DocumentInput
from annotator.errors import AnnotatorError
from tests.conftest import db_snapshot, word_offsets

TEXT = ("Russia attacked Ukraine on Monday, said John Smith and his brother Paul Smith "
        "in Brussels.")


def at(word: str, nth: int = 0) -> tuple[int, int]:
    return word_offsets(TEXT, word, nth)


@pytest.fixture
def base(project):
    """A document with a few annotations of every sort; returns (project, ids)."""
    doc = project.add_document(TEXT, name="story")
    ids = {"doc": doc.id}
    ids["russia"] = project.add_span(doc.id, *at("Russia"), "GPE").id
    ids["ukraine"] = project.add_span(doc.id, *at("Ukraine"), "GPE").id
    ids["john"] = project.add_span(doc.id, *at("John Smith"), "PER").id
    ids["paul"] = project.add_span(doc.id, *at("Paul Smith"), "PER").id
    ids["rel"] = project.add_relation("ORG-AFF.Employment", ids["john"], ids["russia"]).id
    ev = project.add_trigger_event(doc.id, *at("attacked"), "Conflict.Attack",
                                   arguments=[("Attacker", ids["russia"])])
    ids["event"], ids["trigger"] = ev.id, ev.trigger_id
    ids["arg"] = ev.arguments[0].id
    return project, ids


OPERATIONS = {
    "add_span": lambda p, i: p.add_span(i["doc"], *at("Monday"), "TIME"),
    "update_span_label": lambda p, i: p.update_span(i["russia"], label="LOC"),
    "update_span_fields": lambda p, i: p.update_span(
        i["john"], start=at("John")[0], end=at("John")[1], note="first name only",
        attrs={"mention_type": "NAM"}, kb_id="wikidata:Q1", status="suggested", origin="model"),
    "delete_span": lambda p, i: p.delete_span(i["russia"]),
    "delete_trigger_span": lambda p, i: p.delete_span(i["trigger"]),
    "add_event": lambda p, i: p.add_event("Contact.Meet", i["paul"]),
    "add_trigger_event": lambda p, i: p.add_trigger_event(
        i["doc"], *at("said"), "Contact.Meet", attrs={"realis": "other"},
        arguments=[("Entity", i["john"]), ("Entity", i["paul"])]),
    "update_event": lambda p, i: p.update_event(i["event"], attrs={"realis": "generic"},
                                                note="n"),
    "update_event_type": lambda p, i: p.update_event(i["event"], type="Life.Die"),
    "delete_event": lambda p, i: p.delete_event(i["event"]),
    "add_argument": lambda p, i: p.add_argument(i["event"], "Target", i["ukraine"]),
    "remove_argument": lambda p, i: p.remove_argument(i["arg"]),
    "add_relation": lambda p, i: p.add_relation("PER-SOC.Family", i["paul"], i["john"]),
    "update_relation": lambda p, i: p.update_relation(i["rel"], type="ORG-AFF.Membership",
                                                      note="x", attrs={"tense": "Past"}),
    "reverse_relation": lambda p, i: p.reverse_relation(i["rel"]),
    "delete_relation": lambda p, i: p.delete_relation(i["rel"]),
    "set_status": lambda p, i: p.set_status(i["doc"], "done"),
    "rename_label": lambda p, i: p.rename_label("GPE", "Geo"),
    "rename_event_type": lambda p, i: p.rename_label("Conflict.Attack", "Conflict.Assault"),
    "rename_relation_type": lambda p, i: p.rename_label("ORG-AFF.Employment", "ORG-AFF.Job"),
    "rename_role": lambda p, i: p.rename_role("Conflict.Attack", "Attacker", "Aggressor"),
    "set_schema": lambda p, i: p.set_schema(_ace_plus_extra()),
}


def _ace_plus_extra():
    from annotator.core.schema import SpanType, load_schema

    schema = load_schema("ace2005-news")
    schema.entity_types.append(SpanType(name="EXTRA"))
    return schema


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_undoes_and_redoes_exactly(base, snapshot, name):
    project, ids = base
    schema_before = project.schema.to_dict()
    before = snapshot(project)
    OPERATIONS[name](project, ids)
    after = snapshot(project)
    schema_after = project.schema.to_dict()
    assert after != before, f"{name} changed nothing"
    label = project.undo_label
    assert label

    changes = project.undo()
    assert changes is not None and changes.label == f"Undo {label}"
    assert snapshot(project) == before
    assert project.schema.to_dict() == schema_before
    assert project.redo_label == label

    changes = project.redo()
    assert changes is not None and changes.label == f"Redo {label}"
    assert snapshot(project) == after
    assert project.schema.to_dict() == schema_after
    assert project.undo_label == label

    project.undo()
    assert snapshot(project) == before


def test_undo_labels_name_the_action(base):
    project, ids = base
    project.add_span(ids["doc"], *at("Monday"), "TIME")
    assert project.undo_label == "Add TIME"
    project.update_span(ids["russia"], label="LOC")
    assert project.undo_label == "Relabel LOC"
    project.update_span(ids["john"], end=at("John")[1])
    assert project.undo_label == "Resize PER"
    project.delete_relation(ids["rel"])
    assert project.undo_label == "Delete relation ORG-AFF.Employment"
    project.rename_label("PER", "Person")
    assert project.undo_label == "Rename PER to Person"
    project.undo()
    assert project.redo_label == "Rename PER to Person"
    assert project.undo_label == "Delete relation ORG-AFF.Employment"


def test_compound_is_one_step_and_one_transaction(base, snapshot):
    project, ids = base
    before = snapshot(project)
    seen: list[Changes] = []
    project.subscribe(seen.append)
    with project.compound("Bulk edit"):
        a = project.add_span(ids["doc"], *at("Monday"), "TIME")
        b = project.add_span(ids["doc"], *at("Brussels"), "GPE")
        project.add_relation("PHYS.Near", ids["russia"], b.id)
        project.delete_span(ids["paul"])
        project.set_status(ids["doc"], "in_progress")
    after = snapshot(project)
    assert len(seen) == 1  # listeners hear about the compound once, at the end
    assert {a.id, b.id, ids["paul"]} <= seen[0].spans
    assert seen[0].label == "Bulk edit"
    assert project.undo_label == "Bulk edit"
    project.undo()
    assert snapshot(project) == before
    project.redo()
    assert snapshot(project) == after


def test_empty_compound_records_no_step(base):
    project, _ = base
    label = project.undo_label
    with project.compound("Nothing"):
        pass
    assert project.undo_label == label


def test_exception_inside_compound_rolls_back_everything(base, snapshot):
    project, ids = base
    before = snapshot(project)
    label = project.undo_label
    seen: list[Changes] = []
    project.subscribe(seen.append)
    with pytest.raises(RuntimeError, match="boom"), project.compound("Doomed"):
        project.add_span(ids["doc"], *at("Monday"), "TIME")
        project.delete_span(ids["russia"])
        project.rename_label("PER", "Person")
        raise RuntimeError("boom")
    assert snapshot(project) == before
    assert project.schema.entity_type("PER") is not None
    assert project.undo_label == label
    assert not project.can_redo
    assert seen == []
    # the project still works, and the next undo is the step before the failed compound
    project.undo()
    assert project.undo_label != label


def test_failed_validation_inside_compound_rolls_back(base, snapshot):
    project, ids = base
    before = snapshot(project)
    with pytest.raises(AnnotatorError), project.compound("Half"):
        project.add_span(ids["doc"], *at("Monday"), "TIME")
        project.add_span(ids["doc"], 0, 10_000, "PER")  # outside the document
    assert snapshot(project) == before


def test_a_failed_operation_inside_a_compound_leaves_none_of_its_parts(base, snapshot):
    project, ids = base
    before = snapshot(project)
    with project.compound("Label several") as changes:
        kept = project.add_span(ids["doc"], *at("Monday"), "TIME")
        with pytest.raises(AnnotatorError):  # span and event are written, then the argument fails
            project.add_trigger_event(ids["doc"], *at("said"), "Contact.Meet",
                                      arguments=[("Entity", ids["john"]),
                                                 ("NoSuchRole", ids["paul"])])
        # the relabel is written, then the next edit is refused
        with pytest.raises(AnnotatorError), project.compound("Inner"):
            project.update_span(ids["paul"], label="ORG")
            project.add_span(ids["doc"], 0, 10_000, "PER")
    assert kept.id in changes.spans
    spans = {(s.start, s.end): s for s in project.spans(ids["doc"])}
    assert at("said") not in spans  # no orphan trigger
    assert spans[at("Paul Smith")].label == "PER"
    assert [e.id for e in project.annotations(ids["doc"]).events] == [ids["event"]]
    assert project.span(kept.id).label == "TIME"
    project.undo()
    assert snapshot(project) == before


def test_new_edit_clears_redo(base):
    project, ids = base
    project.add_span(ids["doc"], *at("Monday"), "TIME")
    project.undo()
    assert project.can_redo
    project.add_span(ids["doc"], *at("Brussels"), "GPE")
    assert not project.can_redo
    assert project.redo() is None


def test_undo_and_redo_on_empty_history(project):
    assert project.undo() is None and project.redo() is None
    assert project.undo_label is None and project.redo_label is None
    assert not project.can_undo and not project.can_redo


def test_long_history_survives_until_close(base, snapshot):
    project, ids = base
    start = snapshot(project)
    steps = 0
    span_ids = []
    for i in range(100):
        span_ids.append(project.add_span(ids["doc"], *at("Monday"), "TIME").id)
        project.update_span(span_ids[-1], note=f"note {i}")
        if i % 3 == 0:
            project.delete_span(span_ids.pop(0))
            steps += 1
        steps += 2
    full = snapshot(project)
    for _ in range(steps):
        project.undo()
    assert snapshot(project) == start
    assert project.undo_label == "Add event Conflict.Attack"
    while project.can_undo:  # and further back, through the fixture's edits
        project.undo()
    assert snapshot(project)["spans"] == []
    while project.can_redo:
        project.redo()
    assert snapshot(project) == full
    path = project.path
    project.close()
    with annotator.open_project(path, annotator="ana") as reopened:
        assert not reopened.can_undo and not reopened.can_redo
        assert db_snapshot(path) == full


def test_listeners_receive_changes_for_edits_undo_and_redo(base):
    project, ids = base
    seen: list[Changes] = []
    project.subscribe(seen.append)

    span = project.add_span(ids["doc"], *at("Monday"), "TIME")
    assert seen[-1].spans == {span.id} and seen[-1].doc_ids == {ids["doc"]}

    project.delete_span(ids["russia"])
    last = seen[-1]
    assert ids["russia"] in last.spans
    assert ids["rel"] in last.relations
    assert ids["event"] in last.events  # its Attacker argument went
    assert last.doc_ids == {ids["doc"]}

    undo = project.undo()
    assert seen[-1] is undo
    assert ids["russia"] in undo.spans and ids["rel"] in undo.relations
    assert ids["event"] in undo.events and undo.doc_ids == {ids["doc"]}
    redo = project.redo()
    assert seen[-1] is redo and ids["rel"] in redo.relations

    project.update_event(ids["event"], attrs={"realis": "other"})
    assert seen[-1].events == {ids["event"]}
    project.set_status(ids["doc"], "done")
    assert seen[-1].documents == {ids["doc"]}
    project.rename_label("PER", "Person")
    assert seen[-1].schema and {ids["john"], ids["paul"]} <= seen[-1].spans
    project.undo()
    assert seen[-1].schema

    n = len(seen)
    project.unsubscribe(seen.append)
    project.add_span(ids["doc"], *at("Brussels"), "GPE")
    assert len(seen) == n


def test_failed_edit_notifies_nobody_and_records_nothing(base):
    project, ids = base
    seen: list[Changes] = []
    project.subscribe(seen.append)
    label = project.undo_label
    with pytest.raises(AnnotatorError):
        project.add_span(ids["doc"], 0, 10_000, "PER")
    with pytest.raises(AnnotatorError):
        project.update_relation(ids["rel"], type="NOPE")
    assert seen == [] and project.undo_label == label


# ---- property-based: random edit sequences -----------------------------------------------
WORDS = [at(w) for w in ("Russia", "attacked", "Ukraine", "Monday", "said", "John",
                         "Smith", "John Smith", "brother", "Paul Smith", "Brussels")]
LABELS = ["PER", "ORG", "GPE", "LOC", "TIME", "Conflict.Attack", "Contact.Meet"]

op = st.tuples(st.sampled_from(["add_span", "relabel", "resize", "delete_span", "add_event",
                                "add_arg", "remove_arg", "update_event", "delete_event",
                                "add_relation", "reverse", "update_relation", "delete_relation",
                                "status", "compound", "rename", "undo", "switch",
                                "event_type", "move_trigger", "rename_role", "schema"]),
               st.integers(0, 1000), st.integers(0, 1000))


def apply_op(project, doc_id: str, name: str, a: int, b: int) -> None:
    ann = project.annotations(doc_id)
    spans, events, rels = ann.spans, ann.events, ann.relations
    pick = lambda seq, n: seq[n % len(seq)]  # noqa: E731
    if name == "add_span" or not spans:
        project.add_span(doc_id, *pick(WORDS, a), pick(LABELS[:5], b))
    elif name == "relabel":
        project.update_span(pick(spans, a).id, label=pick(LABELS, b))
    elif name == "resize":
        project.update_span(pick(spans, a).id, start=pick(WORDS, b)[0], end=pick(WORDS, b)[1],
                            note=str(b))
    elif name == "delete_span":
        project.delete_span(pick(spans, a).id)
    elif name == "add_event":
        project.add_event(pick(LABELS[5:], b), pick(spans, a).id, attrs={"realis": "actual"})
    elif name == "add_arg" and events:
        ev = pick(events, a)
        role = "Attacker" if ev.type == "Conflict.Attack" else "Entity"
        project.add_argument(ev.id, role, pick(spans, b).id)
    elif name == "remove_arg" and any(e.arguments for e in events):
        ev = pick([e for e in events if e.arguments], a)
        project.remove_argument(pick(ev.arguments, b).id)
    elif name == "update_event" and events:
        project.update_event(pick(events, a).id, attrs={"realis": pick(["generic", "other"], b)})
    elif name == "delete_event" and events:
        project.delete_event(pick(events, a).id)
    elif name == "add_relation":
        project.add_relation(pick(["PHYS.Near", "ORG-AFF.Employment", "PER-SOC.Family"], a),
                             pick(spans, a).id, pick(spans, b).id)
    elif name == "reverse" and rels:
        project.reverse_relation(pick(rels, a).id)
    elif name == "update_relation" and rels:
        project.update_relation(pick(rels, a).id, type=pick(["PHYS.Near", "PHYS.Located"], b))
    elif name == "delete_relation" and rels:
        project.delete_relation(pick(rels, a).id)
    elif name == "status":
        project.set_status(doc_id, pick(["new", "in_progress", "done"], a))
    elif name == "compound":
        with project.compound("Several"):
            project.add_span(doc_id, *pick(WORDS, a), "ORG")
            project.delete_span(pick(spans, b).id)
    elif name == "rename":
        old = pick(["PER", "ORG", "GPE", "Person", "Organisation", "Geo"], a)
        new = {"PER": "Person", "ORG": "Organisation", "GPE": "Geo"}.get(old) or \
            {"Person": "PER", "Organisation": "ORG", "Geo": "GPE"}[old]
        project.rename_label(old, new)
    elif name == "undo":
        project.undo()
    elif name == "switch":  # another annotator edits the same history
        project.annotator = "bob" if project.annotator == "ana" else "ana"
    elif name == "event_type" and events:
        project.update_event(pick(events, a).id, type=pick(LABELS[5:], b))
    elif name == "move_trigger" and events:
        project.update_event(pick(events, a).id, trigger_id=pick(spans, b).id)
    elif name == "rename_role":
        old, new = pick([("Attacker", "Aggressor"), ("Aggressor", "Attacker")], a)
        project.rename_role("Conflict.Attack", old, new)
    elif name == "schema":
        project.set_schema(pick(["news-basic", "ace2005-news"], a), force=bool(b % 2))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A project with one tokenised document, copied for every example."""
    path = tmp_path_factory.mktemp("template") / "template.annproj"
    with annotator.create_project(path, annotator="ana") as p:
        p.add_documents([DocumentInput(text=TEXT, name="story")])
    return path


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(op, min_size=1, max_size=25))
def test_random_edits_undo_to_initial_and_redo_to_final(template, ops):
    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / "p.annproj"
        shutil.copy(template, path)
        with annotator.open_project(path, annotator="ana") as project:
            doc_id = project.document_ids()[0]
            initial = db_snapshot(path)
            initial_schema = project.schema.to_dict()
            for name, a, b in ops:
                # refused edits must leave no trace, which the final checks cover
                with contextlib.suppress(AnnotatorError):
                    apply_op(project, doc_id, name, a, b)
            final = db_snapshot(path)
            final_schema = project.schema.to_dict()
            assert [p for p in project.check() if p.code in (
                "integrity", "dangling-relation", "dangling-argument", "dangling-trigger")] == []
            undone = 0
            while project.can_undo:
                project.undo()
                undone += 1
            assert db_snapshot(path) == initial
            assert project.schema.to_dict() == initial_schema
            for _ in range(undone):  # steps undone inside ``ops`` stay undone
                project.redo()
            assert db_snapshot(path) == final
            assert project.schema.to_dict() == final_schema
    finally:
        shutil.rmtree(folder, ignore_errors=True)
