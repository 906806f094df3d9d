"""Annotation rules that live in the core so the GUI, the CLI and the API share them:
label every occurrence, role cardinality and duplicate fillers, a trigger with events keeps
an event label, selection trimming and snapping, one rule for attribute defaults, pure schema
renames, and the tokenizer and schema sources the core is given rather than imports."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import annotator
from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Event, Span
from annotator.core.offsets import TokenIndex, trim_and_snap
from annotator.core.project import Project
from annotator.core.schema import load_schema
from annotator.errors import ProjectError, SchemaError, ValidationError
from annotator.formats.schema_sources import load_schema_source
from annotator.nlp.tokenize import get_tokenizer
from annotator.store import Store
from tests.conftest import word_offsets

TEXT = "NATO met in Brussels. NATO said NATOs and Brussels agreed; NATO left Brussels."


at = word_offsets  # (text, word, nth) -> (start, end)


@pytest.fixture
def doc(project):
    return project.add_document(TEXT, name="story")


def spans_at(project, doc_id: str, label: str) -> list[tuple[int, int]]:
    return sorted((s.start, s.end) for s in project.spans(doc_id) if s.label == label)


# ---- label every occurrence ----------------------------------------------------------------
def test_label_occurrences_copies_the_span_onto_each_unlabelled_whole_word(project, doc):
    first = project.add_span(doc.id, *at(TEXT, "NATO"), "ORG", attrs={"mention_type": "NAM"},
                             kb_id="wikidata:Q7184")
    project.add_span(doc.id, *at(TEXT, "NATO", 2), "ORG")  # already labelled: left alone
    project.add_span(doc.id, *at(TEXT, "NATO", 3), "GPE")  # another label: gets an ORG too
    changes = project.label_occurrences(first.id)
    expected = sorted(at(TEXT, "NATO", n) for n in (0, 1, 2, 3))  # not "NATOs"
    assert spans_at(project, doc.id, "ORG") == expected
    added = [project.span(i) for i in changes.spans]
    assert sorted((s.start, s.end) for s in added) == [at(TEXT, "NATO", 1), at(TEXT, "NATO", 3)]
    assert all(s.attrs == {"mention_type": "NAM"} and s.kb_id == "wikidata:Q7184"
               and s.kind == "entity" for s in added)
    assert changes.label == "Label all 'NATO' as ORG"


def test_label_occurrences_is_one_undo_step(project, doc):
    brussels = project.add_span(doc.id, *at(TEXT, "Brussels"), "GPE")
    project.label_occurrences(brussels.id)
    assert len(spans_at(project, doc.id, "GPE")) == 3
    assert project.undo_label == "Label all 'Brussels' as GPE"
    project.undo()
    assert spans_at(project, doc.id, "GPE") == [at(TEXT, "Brussels")]
    assert project.undo_label == "Add GPE"
    project.redo()
    assert len(spans_at(project, doc.id, "GPE")) == 3


def test_label_occurrences_in_other_documents_and_nothing_to_do(project, doc):
    other = project.add_document("Brussels again: Brussels.", name="other")
    brussels = project.add_span(doc.id, *at(TEXT, "Brussels"), "GPE")
    changes = project.label_occurrences(brussels.id, [doc.id, other.id, other.id])
    assert len(spans_at(project, other.id, "GPE")) == 2
    assert changes.doc_ids == {doc.id, other.id}
    again = project.label_occurrences(brussels.id, [doc.id, other.id])
    assert again.empty and again.label == "Label all 'Brussels' as GPE"
    project.undo()  # nothing to do made no undo step: this undoes the first call
    assert spans_at(project, other.id, "GPE") == []
    assert spans_at(project, doc.id, "GPE") == [at(TEXT, "Brussels")]


# ---- role cardinality and duplicate fillers ----------------------------------------------
def test_add_argument_refuses_a_filler_already_in_the_role(project, doc):
    nato = project.add_span(doc.id, *at(TEXT, "NATO"), "ORG")
    ev = project.add_trigger_event(doc.id, *at(TEXT, "met"), "Contact.Meet")
    project.add_argument(ev.id, "Entity", nato.id)
    with pytest.raises(ValidationError, match="that span already fills Entity of this "
                                              "Contact.Meet event"):
        project.add_argument(ev.id, "Entity", nato.id)
    assert len(project.event(ev.id).arguments) == 1
    assert project.undo_label == "Add Entity"  # nothing recorded


def test_add_argument_refuses_a_full_role_and_allows_an_open_one(project, doc):
    ev = project.add_trigger_event(doc.id, *at(TEXT, "met"), "Conflict.Attack")
    monday = project.add_span(doc.id, *at(TEXT, "NATO", 1), "TIME")
    friday = project.add_span(doc.id, *at(TEXT, "NATO", 2), "TIME")
    project.add_argument(ev.id, "Time-Within", monday.id)
    with pytest.raises(ValidationError, match=r"Time-Within of Conflict.Attack takes at most 1 "
                                              r"filler \(cardinality \?\) and has 1"):
        project.add_argument(ev.id, "Time-Within", friday.id)
    # "*" has no upper bound, and the refused filler fits another role
    first = project.add_span(doc.id, *at(TEXT, "Brussels"), "GPE")
    second = project.add_span(doc.id, *at(TEXT, "Brussels", 1), "GPE")
    project.add_argument(ev.id, "Attacker", first.id)
    project.add_argument(ev.id, "Attacker", second.id)
    project.add_argument(ev.id, "Time-Holds", friday.id)
    assert sorted(a.role for a in project.event(ev.id).arguments) == [
        "Attacker", "Attacker", "Time-Holds", "Time-Within"]


def test_add_event_with_too_many_arguments_writes_nothing(project, doc):
    monday = project.add_span(doc.id, *at(TEXT, "NATO", 1), "TIME")
    friday = project.add_span(doc.id, *at(TEXT, "NATO", 2), "TIME")
    with pytest.raises(ValidationError, match="takes at most 1"):
        project.add_trigger_event(doc.id, *at(TEXT, "met"), "Conflict.Attack",
                                  arguments=[("Time-Within", monday.id),
                                             ("Time-Within", friday.id)])
    assert project.annotations(doc.id).events == []
    assert spans_at(project, doc.id, "Conflict.Attack") == []


# ---- a trigger with events keeps an event label -------------------------------------------
def test_a_trigger_with_events_cannot_become_an_entity(project, doc):
    ev = project.add_trigger_event(doc.id, *at(TEXT, "met"), "Contact.Meet")
    with pytest.raises(ValidationError, match="triggers 1 event.*change the event type, or "
                                              "delete the event first"):
        project.update_span(ev.trigger_id, label="ORG")
    with pytest.raises(ValidationError, match="triggers 1 event"):
        project.update_span(ev.trigger_id, kind="entity")
    assert project.span(ev.trigger_id).label == "Contact.Meet"
    # another event type is fine: the event follows its trigger
    project.update_span(ev.trigger_id, label="Conflict.Attack")
    assert project.event(ev.id).type == "Conflict.Attack"
    # without its events the span may become an entity
    project.delete_event(ev.id)
    assert project.update_span(ev.trigger_id, label="ORG").kind == "entity"


# ---- selection trimming and snapping -----------------------------------------------------
TOKENS = [(0, 4), (5, 8), (9, 11), (12, 20), (20, 21)]  # "NATO met in Brussels ."


def test_trim_and_snap_trims_whitespace_then_snaps_to_tokens():
    index = TokenIndex(TOKENS, TEXT)
    assert trim_and_snap(TEXT, index, 4, 9) == (5, 8)  # " met " -> "met"
    assert trim_and_snap(TEXT, index, 6, 14) == (5, 20)  # "et in Br" -> "met in Brussels"
    assert trim_and_snap(TEXT, index, 6, 14, snap=False) == (6, 14)
    assert trim_and_snap(TEXT, None, 6, 14) == (6, 14)
    assert trim_and_snap(TEXT, index, 4, 5) is None  # only a space
    assert trim_and_snap(TEXT, index, 7, 7) is None
    assert trim_and_snap("  ab  ", None, -3, 99) == (2, 4)  # clamped to the text


@given(st.text(alphabet=" \n\tab\u00e9", max_size=30), st.integers(-2, 32), st.integers(-2, 32))
def test_trim_and_snap_never_keeps_edge_whitespace(text, start, end):
    got = trim_and_snap(text, None, start, end, snap=False)
    inside = text[max(0, start):max(0, min(len(text), end))]
    if got is None:
        assert inside.strip() == ""
    else:
        s, e = got
        assert text[s:e] == inside.strip()


# ---- one rule for attribute defaults -----------------------------------------------------
def test_events_store_only_the_attributes_that_were_set(project, doc):
    schema = project.schema
    made = project.add_trigger_event(doc.id, *at(TEXT, "met"), "Contact.Meet")
    on_span = project.add_event("Contact.Meet", project.add_span(
        doc.id, *at(TEXT, "said"), "Contact.Meet", kind="trigger").id, attrs={})
    assert project.event(made.id).attrs == {} and project.event(on_span.id).attrs == {}
    shown = schema.effective_attrs("event", "Contact.Meet", {})
    assert shown == {"realis": "actual", "polarity": "Positive", "tense": "Unspecified",
                     "genericity": "Specific", "modality": "Asserted"}
    assert schema.effective_attrs("event", "Contact.Meet", {"realis": "other", "x": 1}) == {
        **shown, "realis": "other", "x": 1}  # what was set wins and is kept
    assert schema.effective_attrs("relation", "PHYS.Near", {}) == {
        "tense": "Unspecified", "modality": "Asserted"}
    assert schema.effective_attrs("entity", "GPE", {}) == {"mention_type": "NAM"}


def test_imported_attributes_come_back_exactly(project):
    trigger = Span(id="t", doc_id="", start=5, end=8, label="Contact.Meet", kind="trigger")
    bare = Event(id="e1", doc_id="", type="Contact.Meet", trigger_id="t")
    tensed = Event(id="e2", doc_id="", type="Contact.Meet", trigger_id="t",
                   attrs={"tense": "Past"})
    project.add_documents([DocumentInput(text=TEXT, name="in", sets={
        "ana": Annotations(spans=[trigger], events=[bare, tensed])})])
    doc_id = project.document_by_name("in").id
    assert {e.id: e.attrs for e in project.annotations(doc_id).events} == {
        "e1": {}, "e2": {"tense": "Past"}}


# ---- pure schema renames -----------------------------------------------------------------
def test_schema_renames_return_a_new_schema():
    schema = load_schema("ace2005-news")
    renamed = schema.renamed("GPE", "Place")
    assert renamed.entity_type("Place") is not None and renamed.entity_type("GPE") is None
    assert "Place" in renamed.event_type("Conflict.Attack").role("Attacker").fillers
    assert schema.entity_type("GPE") is not None  # the original is untouched
    roles = schema.with_role_renamed("Conflict.Attack", "Attacker", "Aggressor")
    assert roles.event_type("Conflict.Attack").role("Aggressor") is not None
    assert schema.event_type("Conflict.Attack").role("Attacker") is not None
    with pytest.raises(ValidationError, match="no label named 'ALIEN' in the schema"):
        schema.renamed("ALIEN", "X")
    with pytest.raises(ValidationError, match="Conflict.Attack has no role 'Nobody'"):
        schema.with_role_renamed("Conflict.Attack", "Nobody", "X")
    with pytest.raises(SchemaError, match="declared twice"):
        schema.renamed("GPE", "PER")


# ---- what the core is given: a tokenizer, schemas loaded by formats ------------------------
def test_a_project_without_a_tokenizer_refuses_to_import(tmp_path):
    annotator.create_project(tmp_path / "p.annproj").close()
    bare = Project(Store.open(tmp_path / "p.annproj"))
    try:
        with pytest.raises(ProjectError, match="built without a tokenizer.*tokenizers="):
            bare.add_document("Some text.", name="x")
        assert bare.document_count() == 0
    finally:
        bare.close()


def test_the_tokenizer_is_the_one_given_and_worker_copies_keep_it(tmp_path):
    asked: list[str] = []

    def tokenizers(lang: str):
        asked.append(lang)
        return get_tokenizer(lang)

    annotator.create_project(tmp_path / "p.annproj", lang="de").close()
    with Project(Store.open(tmp_path / "p.annproj"), "ana", tokenizers=tokenizers) as proj:
        proj.add_document("Ein Satz. Noch einer.", name="a")
        copy = proj.worker_copy()
        try:
            copy.add_document("Dritter Satz.", name="b")
        finally:
            copy.close()
        assert asked == ["de", "de"]
        assert len(proj.document_by_name("a").sentences) == 2


def test_schema_sources_read_brat_conf_and_the_core_says_where(tmp_path):
    conf = tmp_path / "annotation.conf"
    conf.write_text("[entities]\nPerson\n[relations]\n[events]\n[attributes]\n",
                    encoding="utf-8")
    assert [t.name for t in load_schema_source(conf).entity_types] == ["Person"]
    assert load_schema_source("news-basic") == load_schema("news-basic")
    assert annotator.load_schema(conf) == load_schema_source(conf)
    with pytest.raises(SchemaError, match="annotation.conf is read through "
                                          "annotator.formats.schema_sources"):
        load_schema(conf)
    with annotator.create_project(tmp_path / "p.annproj", schema=conf) as proj:
        assert [t.name for t in proj.schema.entity_types] == ["Person"]
        with pytest.raises(SchemaError, match="read through"):
            proj.set_schema(conf)  # the core takes Schemas, names and .toml files
        proj.set_schema(load_schema_source(conf))


def test_wrongly_typed_span_fields_are_validation_errors(tmp_path):
    """The API raises AnnotatorError subclasses only, never a bare sqlite3 error (#9.11)."""
    import annotator
    from annotator.errors import ValidationError

    with annotator.create_project(tmp_path / "t.annproj", annotator="ana") as p:
        doc = p.add_document("Rebels attacked Kabul.")
        for bad in ({"kb_id": None}, {"note": 7}):
            with pytest.raises(ValidationError, match="must be text"):
                p.add_span(doc.id, 16, 21, "GPE", **bad)
        assert p.spans(doc.id) == []


def test_caller_chosen_ids_follow_the_import_rule(tmp_path):
    """The API and import accept the same ids (#9.13)."""
    import annotator
    from annotator.errors import ValidationError

    with annotator.create_project(tmp_path / "t.annproj", annotator="ana") as p:
        doc = p.add_document("Rebels attacked Kabul.")
        with pytest.raises(ValidationError, match="not valid"):
            p.add_span(doc.id, 16, 21, "GPE", id="not hex!")
        assert p.add_span(doc.id, 16, 21, "GPE", id="T1").id == "T1"
