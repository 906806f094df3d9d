"""Schema validation (project.check / project.problems) and schema changes on a project
with annotations (rename_label, rename_role, set_schema, schema stored in the file)."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotator
from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Argument, Event, Span
from annotator.core.schema import load_schema
from annotator.errors import SchemaError, ValidationError
from tests.conftest import word_offsets

TEXT = ("Russia attacked Ukraine on Monday, said John Smith and his brother Paul Smith "
        "in Brussels.")

MINI = """
name = "mini"
allow_overlap = true

[[entity_types]]
name = "PER"
[[entity_types]]
name = "ORG"
[[value_types]]
name = "DATE"

[[event_types]]
name = "Attack"
[[event_types.roles]]
name = "Attacker"
fillers = ["PER", "ORG"]
cardinality = "1"
[[event_types.roles]]
name = "Target"
fillers = ["<ENTITY>"]
cardinality = "+"
[[event_types.roles]]
name = "Time"
fillers = ["DATE"]
cardinality = "?"

[[relation_types]]
name = "works_for"
arg1 = ["PER"]
arg2 = ["ORG"]

[[attributes]]
name = "realis"
targets = ["<EVENT>"]
values = ["actual", "other"]
"""


def at(word: str, nth: int = 0) -> tuple[int, int]:
    return word_offsets(TEXT, word, nth)


def codes(problems) -> list[str]:
    return sorted(p.code for p in problems)


@pytest.fixture
def doc(project):
    return project.add_document(TEXT, name="story")


@pytest.fixture
def mini_path(tmp_path) -> Path:
    path = tmp_path / "mini.toml"
    path.write_text(MINI, encoding="utf-8")
    return path


@pytest.fixture
def mini(tmp_path, mini_path):
    proj = annotator.create_project(tmp_path / "mini.annproj", schema=mini_path, annotator="ana")
    doc = proj.add_document(TEXT, name="story")
    yield proj, doc
    proj.close()


# ---- validation --------------------------------------------------------------------------
def test_clean_annotations_have_no_problems(project, doc):
    russia = project.add_span(doc.id, *at("Russia"), "GPE", attrs={"subtype": "Nation"})
    ukraine = project.add_span(doc.id, *at("Ukraine"), "GPE")
    project.add_trigger_event(doc.id, *at("attacked"), "Conflict.Attack",
                              attrs={"realis": "actual"}, arguments=[("Attacker", russia.id)])
    project.add_relation("PHYS.Near", russia.id, ukraine.id)
    assert project.problems(doc.id) == []
    assert project.check() == []


def test_unknown_label(project):
    ann = Annotations(spans=[Span(id="s1", doc_id="", start=0, end=6, label="ALIEN")])
    project.add_documents([DocumentInput(text=TEXT, name="imported", sets={"ana": ann})])
    doc_id = project.document_ids()[0]
    problems = project.problems(doc_id)
    assert codes(problems) == ["unknown-label"]
    assert problems[0].ann_id == "s1" and problems[0].severity == "error"
    assert "ALIEN" in problems[0].message


def test_wrong_filler_type(project, doc):
    monday = project.add_span(doc.id, *at("Monday"), "TIME")
    ev = project.add_trigger_event(doc.id, *at("attacked"), "Conflict.Attack",
                                   arguments=[("Attacker", monday.id)])
    problems = project.problems(doc.id)
    assert codes(problems) == ["wrong-filler"]
    assert problems[0].ann_id == ev.id and "Attacker" in problems[0].message
    assert (problems[0].start, problems[0].end) == at("Monday")


def test_missing_required_role_and_too_many_fillers(mini):
    proj, doc = mini
    john = proj.add_span(doc.id, *at("John Smith"), "PER")
    paul = proj.add_span(doc.id, *at("Paul Smith"), "PER")
    ev = proj.add_trigger_event(doc.id, *at("attacked"), "Attack")
    missing = [p for p in proj.problems(doc.id) if p.code == "missing-role"]
    assert sorted(p.message.split(" needs ")[1].split(" ")[0] for p in missing) == [
        "Attacker", "Target"]
    assert all(p.ann_id == ev.id and p.severity == "error" for p in missing)

    proj.add_argument(ev.id, "Attacker", john.id)
    proj.add_argument(ev.id, "Target", paul.id)
    assert proj.problems(doc.id) == []

    proj.add_argument(ev.id, "Target", john.id)  # "+" allows several
    assert proj.problems(doc.id) == []
    with pytest.raises(ValidationError, match="Attacker of Attack takes at most 1 filler"):
        proj.add_argument(ev.id, "Attacker", paul.id)  # "1" allows one: edits refuse a second
    assert proj.problems(doc.id) == []
    # a file can still bring one; the check reports it
    imported = import_event(proj, "Attack", [("Attacker", "John Smith", "PER"),
                                             ("Attacker", "Paul Smith", "PER"),
                                             ("Target", "Ukraine", "PER")])
    problems = proj.problems(imported)
    assert codes(problems) == ["too-many-fillers"] and "Attacker" in problems[0].message


def import_event(proj, event_type: str, args: list[tuple[str, str, str]]) -> str:
    """Import a copy of TEXT whose ``event_type`` event on "attacked" has ``args`` (role,
    word, label): annotations that edits refuse but a file can carry; the new document's id."""
    spans = [Span(id="trigger", doc_id="", start=at("attacked")[0], end=at("attacked")[1],
                  label=event_type, kind="trigger")]
    arguments = []
    for i, (role, word, label) in enumerate(args):
        spans.append(Span(id=f"s{i}", doc_id="", start=at(word)[0], end=at(word)[1],
                          label=label, kind=proj.schema.span_kind_of(label)))
        arguments.append(Argument(id=f"a{i}", event_id="e", role=role, filler_id=f"s{i}"))
    event = Event(id="e", doc_id="", type=event_type, trigger_id="trigger", arguments=arguments)
    ann = Annotations(spans=spans, events=[event])
    report = proj.add_documents([DocumentInput(text=TEXT + "\n", name="imported",
                                               sets={proj.annotation_set: ann})])
    assert report.added == ["imported"]
    return proj.document_by_name("imported").id


def test_too_many_fillers_in_ace(project, doc):
    ev = project.add_trigger_event(doc.id, *at("attacked"), "Conflict.Attack")
    monday = project.add_span(doc.id, *at("Monday"), "TIME")
    project.add_argument(ev.id, "Time-Within", monday.id)
    assert project.problems(doc.id) == []
    with pytest.raises(ValidationError, match="Time-Within of Conflict.Attack takes at most 1"):
        project.add_argument(ev.id, "Time-Within", project.add_span(
            doc.id, *at("Brussels"), "TIME").id)  # cardinality "?"
    imported = import_event(project, "Conflict.Attack", [("Time-Within", "Monday", "TIME"),
                                                         ("Time-Within", "Brussels", "TIME")])
    problems = project.problems(imported)
    assert codes(problems) == ["too-many-fillers"] and problems[0].severity == "error"


def test_forbidden_overlap_in_news_basic(tmp_path):
    with annotator.create_project(tmp_path / "basic.annproj", schema="news-basic",
                                  annotator="ana") as proj:
        doc = proj.add_document(TEXT, name="story")
        proj.add_span(doc.id, *at("Russia"), "GPE")
        proj.add_span(doc.id, *at("Ukraine"), "GPE")  # adjacent spans are fine
        john = proj.add_span(doc.id, *at("John Smith"), "PER")
        assert proj.problems(doc.id) == []
        nested = proj.add_span(doc.id, *at("Smith"), "ORG")
        problems = proj.problems(doc.id)
        assert codes(problems) == ["forbidden-overlap"]
        assert problems[0].ann_id == nested.id
        proj.undo()
        crossing = proj.add_span(doc.id, at("said")[0], at("John")[1], "ORG")
        flagged = [p for p in proj.problems(doc.id) if p.code == "forbidden-overlap"]
        assert len(flagged) == 1 and flagged[0].ann_id in (crossing.id, john.id)
        proj.undo()
        proj.add_span(doc.id, *at("John Smith"), "PER")  # the same span twice
        assert "duplicate-span" in codes(proj.problems(doc.id))
        assert "forbidden-overlap" in codes(proj.check())


def test_overlap_is_allowed_in_ace(project, doc):
    project.add_span(doc.id, *at("John Smith"), "PER")
    project.add_span(doc.id, *at("Smith"), "PER")
    project.add_span(doc.id, at("said")[0], at("John")[1], "ORG")
    assert "forbidden-overlap" not in codes(project.problems(doc.id))


def test_off_token_span_is_a_warning(project, doc):
    sp = project.add_span(doc.id, 1, 6, "GPE")  # "ussia"
    problems = project.problems(doc.id)
    assert codes(problems) == ["off-token"]
    assert problems[0].severity == "warning" and problems[0].ann_id == sp.id
    project.update_span(sp.id, start=0)
    assert project.problems(doc.id) == []
    # whitespace at the edge is also reported
    project.update_span(sp.id, end=7)
    assert "whitespace-edge" in codes(project.problems(doc.id))


def test_bad_attribute_values(project, doc):
    russia = project.add_span(doc.id, *at("Russia"), "GPE",
                              attrs={"mention_type": "XYZ", "subtype": "Planet"})
    ev = project.add_trigger_event(doc.id, *at("attacked"), "Conflict.Attack",
                                   attrs={"realis": "bogus"})
    assert codes(project.problems(doc.id)) == ["bad-attribute-value", "bad-attribute-value",
                                               "bad-subtype"]
    by_id = {p.ann_id for p in project.problems(doc.id)}
    assert by_id == {russia.id, ev.id}
    project.update_span(russia.id, attrs={"colour": "red"})
    assert "unknown-attribute" in codes(project.problems(doc.id))


def test_relation_argument_types(project, doc):
    russia = project.add_span(doc.id, *at("Russia"), "GPE")
    john = project.add_span(doc.id, *at("John Smith"), "PER")
    paul = project.add_span(doc.id, *at("Paul Smith"), "PER")
    bad = project.add_relation("PER-SOC.Family", russia.id, john.id)
    problems = project.problems(doc.id)
    assert codes(problems) == ["wrong-argument"] and problems[0].ann_id == bad.id
    project.undo()
    project.add_relation("PER-SOC.Family", paul.id, john.id)
    # PHYS.Near (symmetric) accepts its arguments in either order
    project.add_relation("PHYS.Near", russia.id, john.id)
    project.add_relation("PHYS.Near", john.id, russia.id)
    assert project.problems(doc.id) == []
    project.add_relation("ORG-AFF.Employment", russia.id, john.id)  # GPE -> PER not allowed
    assert codes(project.problems(doc.id)) == ["wrong-argument"]


def test_check_covers_every_document_and_annotator(project, doc):
    project.add_span(doc.id, 1, 6, "GPE")
    other = project.add_document("Paris is nice.", name="paris")
    path = project.path
    project.close()
    with annotator.open_project(path, annotator="bob") as bob:
        bob.add_span(other.id, 0, 5, "GPE", attrs={"mention_type": "XYZ"})
        assert codes(bob.problems(doc.id)) == []  # bob's own set is clean here
        problems = bob.check()
        assert codes(problems) == ["bad-attribute-value", "off-token"]
        messages = sorted(p.message for p in problems)
        assert messages[0].startswith("paris (bob): ")
        assert messages[1].startswith("story (ana): ")
        assert codes(bob.check(annotator="ana")) == ["off-token"]
        assert codes(bob.check(doc_ids=[other.id])) == ["bad-attribute-value"]


# ---- schema changes ----------------------------------------------------------------------
def test_rename_span_label_updates_schema_and_annotations(project, doc, snapshot):
    john = project.add_span(doc.id, *at("John Smith"), "PER")
    paul = project.add_span(doc.id, *at("Paul Smith"), "PER")
    rel = project.add_relation("PER-SOC.Family", john.id, paul.id)
    ev = project.add_trigger_event(doc.id, *at("attacked"), "Conflict.Attack",
                                   arguments=[("Attacker", john.id)])
    before = snapshot(project)
    project.rename_label("PER", "Person")
    assert project.span(john.id).label == "Person"
    assert project.span(paul.id).label == "Person"
    assert project.schema.entity_type("PER") is None
    assert project.schema.entity_type("Person") is not None
    assert "Person" in project.schema.relation_types_named("PER-SOC.Family")[0].arg1
    assert "Person" in project.schema.event_type("Conflict.Attack").role("Attacker").fillers
    assert project.problems(doc.id) == []  # fillers and relation arguments still fit
    assert project.relation(rel.id).head_id == john.id
    assert project.event(ev.id).arguments[0].filler_id == john.id
    project.undo()
    assert snapshot(project) == before
    assert project.schema.entity_type("PER") is not None
    assert project.span(john.id).label == "PER"
    project.redo()
    assert project.span(john.id).label == "Person"


def test_rename_event_and_relation_types(project, doc, snapshot):
    john = project.add_span(doc.id, *at("John Smith"), "PER")
    paul = project.add_span(doc.id, *at("Paul Smith"), "PER")
    rel = project.add_relation("PER-SOC.Family", john.id, paul.id)
    ev = project.add_trigger_event(doc.id, *at("attacked"), "Conflict.Attack")
    before = snapshot(project)

    project.rename_label("Conflict.Attack", "Conflict.Assault")
    assert project.event(ev.id).type == "Conflict.Assault"
    assert project.span(ev.trigger_id).label == "Conflict.Assault"
    assert project.schema.event_type("Conflict.Assault") is not None
    project.rename_label("PER-SOC.Family", "PER-SOC.Kin")
    assert project.relation(rel.id).type == "PER-SOC.Kin"
    assert project.schema.is_symmetric("PER-SOC.Kin")
    assert project.problems(doc.id) == []
    project.undo()
    project.undo()
    assert snapshot(project) == before


def test_rename_refusals_change_nothing(project, doc, snapshot):
    project.add_span(doc.id, *at("John Smith"), "PER")
    before = snapshot(project)
    with pytest.raises(ValidationError):
        project.rename_label("NOPE", "X")
    with pytest.raises(SchemaError):
        project.rename_label("PER", "ORG")  # would declare ORG twice
    with pytest.raises(ValidationError):
        project.rename_role("Conflict.Attack", "NoSuchRole", "X")
    assert snapshot(project) == before
    assert project.schema.entity_type("PER") is not None


def test_rename_role_only_touches_that_event_type(project, doc, snapshot):
    john = project.add_span(doc.id, *at("John Smith"), "PER")
    paul = project.add_span(doc.id, *at("Paul Smith"), "PER")
    die = project.add_trigger_event(doc.id, *at("attacked"), "Life.Die",
                                    arguments=[("Victim", john.id)])
    injure = project.add_trigger_event(doc.id, *at("said"), "Life.Injure",
                                       arguments=[("Victim", paul.id)])
    before = snapshot(project)
    project.rename_role("Life.Die", "Victim", "Deceased")
    assert [a.role for a in project.event(die.id).arguments] == ["Deceased"]
    assert [a.role for a in project.event(injure.id).arguments] == ["Victim"]
    assert project.schema.event_type("Life.Die").role("Deceased") is not None
    assert project.schema.event_type("Life.Injure").role("Victim") is not None
    assert project.problems(doc.id) == []
    project.undo()
    assert snapshot(project) == before
    assert project.schema.event_type("Life.Die").role("Victim") is not None


def test_set_schema_refuses_a_schema_lacking_used_labels(project, doc, snapshot, mini_path):
    project.add_span(doc.id, *at("Russia"), "GPE")
    project.add_span(doc.id, *at("John Smith"), "PER")
    before = snapshot(project)
    with pytest.raises(ValidationError, match="GPE"):
        project.set_schema(mini_path)  # mini has PER but no GPE
    assert snapshot(project) == before
    assert project.schema.name == "ace2005-news"

    project.set_schema(mini_path, force=True)
    assert project.schema.name == "mini"
    assert codes(project.problems(doc.id)) == ["unknown-label"]
    project.undo()
    assert project.schema.name == "ace2005-news"
    assert snapshot(project) == before


def test_set_schema_accepts_a_schema_with_every_used_label(project, doc):
    project.add_span(doc.id, *at("Russia"), "GPE")
    project.set_schema("news-basic")
    assert project.schema.name == "news-basic"
    assert project.problems(doc.id) == []


def test_schema_travels_in_the_file(tmp_path, mini_path):
    path = tmp_path / "travel.annproj"
    with annotator.create_project(path, schema=mini_path, annotator="ana") as proj:
        expected = proj.schema.to_dict()
        assert expected == load_schema(mini_path).to_dict()
    mini_path.unlink()  # the project no longer needs the TOML file
    with annotator.open_project(path, annotator="ana") as proj:
        assert proj.schema.to_dict() == expected
        proj.rename_label("ORG", "Company")
        renamed = proj.schema.to_dict()
    with annotator.open_project(path, annotator="ana") as proj:
        assert proj.schema.to_dict() == renamed
        assert proj.schema.entity_type("Company") is not None
        proj.set_schema("ace2005-news")
    with annotator.open_project(path, annotator="ana") as proj:
        assert proj.schema.to_dict() == load_schema("ace2005-news").to_dict()
