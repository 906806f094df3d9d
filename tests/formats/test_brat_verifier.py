"""brat's own rules run against brat exports (issue #11 point 9): the demo project, the
test exports, and brat's example collections re-exported (``brat_verifier`` re-implements
brat's parser checks and ``verify_annotations.py``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import annotator
from annotator.formats import brat
from annotator.formats.export import ExportOptions, run_export
from annotator.formats.importing import ImportOptions, import_paths
from tests.formats.brat_verifier import Conf, parse, verify, verify_collection

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "sample_projects" / "news-demo" / "news-demo.annproj"
BRAT = REPO.parent / "shared" / "corpora" / "brat" / "example-data"


def _export(project, out: Path, **extra):
    return run_export(project, "brat", out, ExportOptions(documents="all", extra=extra))


def test_demo_project_export_passes_brats_verifier(tmp_path):
    if not DEMO.is_file():
        pytest.skip("no demo project")
    copy = tmp_path / "demo.annproj"
    shutil.copy2(DEMO, copy)
    with annotator.open_project(copy) as project:
        rep = _export(project, tmp_path / "out")
        schema = project.schema
    assert verify_collection(tmp_path / "out") == []
    assert any("declared in annotation.conf" in n and "subtype" in n for n in rep.notes)
    conf = (tmp_path / "out" / "annotation.conf").read_text(encoding="utf-8")
    assert "\nsubtype\tArg:" in conf and "Non-Governmental" in conf
    back = brat.read_schema(tmp_path / "out")  # the declared attribute is not schema
    assert [a.name for a in back.attributes] == [a.name for a in schema.attributes]


def test_attributes_outside_the_schema_are_declared(tmp_path):
    with annotator.create_project(tmp_path / "p.annproj", schema="ace2005-news",
                                  annotator="gold") as project:
        doc = project.add_document("Anna met Bo in Kabul.", name="d")
        project.add_span(doc.id, 0, 4, "PER", attrs={"subtype": "Individual",
                                                      "mention_type": "NAM", "Fav": True})
        project.add_span(doc.id, 15, 20, "GPE", attrs={"mention_type": "XYZ"})
        rep = _export(project, tmp_path / "out")
    assert verify_collection(tmp_path / "out") == []
    assert any("Fav, subtype" in n for n in rep.notes)
    assert any("mention_type (value XYZ)" in n for n in rep.notes)


# ---- the verifier itself finds what brat finds ----------------------------------------------
CONF = """[entities]
Person
Organization
Country
[relations]
Member\tArg1:Person, Arg2:Organization
Alias\tArg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive
<OVERLAP>\tArg1:Country, Arg2:Organization, <OVL-TYPE>:contain
[events]
Meet\tParticipant{2}:Person, Place?:Country
[attributes]
Negated\tArg:<EVENT>
Kind\tArg:Person, Value:Name|Nominal
"""
TEXT = "Ann met Bo of Bank of England in Paris."


@pytest.mark.parametrize(("ann", "found"), [
    ("T1\tPerson 0 3\tAnn\n", None),
    ("T1\tPerson 0 3\tAnn \n", "TEXT does not match"),
    ("T1\tCity 0 3\tAnn\n", "City is not a known textbound type"),
    ("T1\tPerson 0 3\tAnn\nT2\tMeet 4 7\tmet\nE1\tMeet:T2 Participant:T1\n",
     "at least 2 Participant required"),
    ("T1\tPerson 0 3\tAnn\nT2\tMeet 4 7\tmet\nT3\tPerson 8 10\tBo\n"
     "E1\tMeet:T2 Participant:T1 Participant2:T3 Place:T1\n",
     "Meet argument Place cannot be of type Person"),
    ("T1\tPerson 0 3\tAnn\nT3\tPerson 8 10\tBo\nR1\tMember Arg1:T1 Arg2:T3\n",
     "Member relation Arg1:Person Arg2:Person not allowed"),
    ("T1\tPerson 0 3\tAnn\nT2\tOrganization 14 29\tBank of England\n*\tAlias T1 T2\n",
     "equivalence Alias not allowed"),
    ("T1\tOrganization 14 29\tBank of England\nT2\tCountry 22 29\tEngland\n", None),
    ("T1\tOrganization 14 29\tBank of England\nT2\tPerson 22 29\tEngland\n",
     "Person contained in T1 Organization is not allowed"),
    ("T1\tPerson 0 3\tAnn\nA1\tNegated T1\n", "Person cannot take a Negated attribute"),
    ("T1\tPerson 0 3\tAnn\nA1\tKind T1 Pronoun\n", "Kind value 'Pronoun' is not declared"),
])
def test_the_verifier_reports_what_brat_reports(ann, found):
    parsed, issues = parse(TEXT, ann, "x.ann")
    issues += verify(Conf(CONF), parsed, "x.ann")
    if found is None:
        assert issues == []
    else:
        assert any(found in i for i in issues), issues


# ---- brat's example collections, re-exported ------------------------------------------------
@pytest.mark.parametrize("collection", ["tutorials/news", "corpora/CoNLL-ST_2002"])
def test_reexported_collections_have_no_issue_the_original_lacks(tmp_path, collection):
    if not (BRAT / collection).is_dir():
        pytest.skip("shared corpora absent")
    original = verify_collection(BRAT / collection)
    schema = brat.read_schema(BRAT / collection)
    with annotator.create_project(tmp_path / "p.annproj", schema=schema,
                                  annotator="gold") as project:
        import_paths(project, [BRAT / collection], ImportOptions(skip_bad=True))
        _export(project, tmp_path / "out")
    exported = verify_collection(tmp_path / "out")
    # the tutorials hold deliberate mistakes: the export may keep them, never add any
    assert len(exported) <= len(original), sorted(set(exported))[:10]
    conf = (tmp_path / "out" / "annotation.conf").read_text(encoding="utf-8")
    own = (BRAT / collection / "annotation.conf").read_text(encoding="utf-8")
    for rule in ("<OVERLAP>", "ENTITY-NESTING"):
        assert (rule in conf) == (rule in own)
