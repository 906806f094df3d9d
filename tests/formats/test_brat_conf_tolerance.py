"""annotation.conf files that brat loads without a message are schemas (issue #11 point 6).

The confs below are excerpts of brat's own configurations (nlplab/brat, MIT licence,
``configurations/CoNLL-ST-2006-Portuguese``, ``NIST-ACE-05``, ``BioNLP-ST-2013-CG``),
trimmed; brat's ``server/src/projectconfig.py`` accepts each of them: it does not check that
argument types are declared, skips ``#`` lines, refuses a numbered role only when it may
repeat, and ignores unknown sections with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import SchemaError
from annotator.formats.brat.conf_read import parse_annotation_conf
from annotator.formats.importing import ImportOptions, import_paths

CONLL_X = """# span and dependency types for CoNLL-X Portuguese data
[spans]
adj
n
v-fin
[relations]
# TODO: real arg constraints
ACC Arg1:Span, Arg2:Span
SUBJ Arg1:Span, Arg2:Span
[events]
[attributes]
"""

NIST_ACE = """[entities]
Person
Organization
GPE
Money
[relations]
!Physical
\tLocated\tArg1:Person, Arg2:GPE
\tNear\tArg1:TODO, Arg2:TODO
[events]
<GENERAL-ARGUMENTS>=
#<GENERAL-ARGUMENTS>=PLACE-ARG?:TODO, TIME-ARG?:TODO
!BUSINESS
\tMERGE-ORG\tOrg1:Organization, Org2:Organization, <GENERAL-ARGUMENTS>
\tTRANSFER-MONEY\tGiver:Person|Organization|GPE, Money:Money|#Check, #Bank?:Organization
[attributes]
"""

BIONLP_CG = """[entities]
Organism
Cell
[relations]
Equiv\tArg1:Organism, Arg2:Organism
[events]
<ANATOMY>=Cell|Organ_system|Tissue
Development\tTheme:Organism|<ANATOMY>
Growth\tTheme:Organism|<ANATOMY>
[attributes]
[options]
Anything goes here
"""


def _parse(text: str) -> tuple:
    warnings: list[str] = []
    return parse_annotation_conf(text, source="a.conf", warn=warnings.append), warnings


def test_undeclared_argument_types_are_left_out_with_one_warning_per_type():
    schema, warnings = _parse(CONLL_X)
    assert [rt.name for rt in schema.relation_types] == ["ACC", "SUBJ"]
    assert all(rt.arg1 == [] and rt.arg2 == [] for rt in schema.relation_types)  # any type
    assert len(warnings) == 2
    assert "a.conf:8: type 'Span' (relation ACC Arg1 and 3 more argument list(s))" in warnings[0]
    assert "read as any type" in warnings[1]


def test_numbered_roles_and_commented_out_types():
    schema, warnings = _parse(NIST_ACE)
    merge = schema.event_type("MERGE-ORG")
    assert [(r.name, r.fillers, r.cardinality) for r in merge.roles] == [
        ("Org", ["Organization"], "{2}")]
    money = schema.event_type("TRANSFER-MONEY")
    assert [(r.name, r.fillers) for r in money.roles] == [
        ("Giver", ["Person", "Organization", "GPE"]), ("Money", ["Money"])]
    joined = "\n".join(warnings)
    assert "roles Org1, Org2 of MERGE-ORG read as one role Org{2}" in joined
    assert "commented-out type '#Check'" in joined
    assert "commented-out argument '#Bank?:Organization'" in joined
    assert "type 'TODO'" in joined
    assert schema.relation_types_named("Located")[0].arg2 == ["GPE"]


def test_macro_naming_an_undeclared_type_and_an_unknown_section():
    schema, warnings = _parse(BIONLP_CG)
    assert schema.event_type("Development").roles[0].fillers == ["Organism", "Cell"]
    joined = "\n".join(warnings)
    assert "type 'Organ_system'" in joined and "type 'Tissue'" in joined
    assert "unknown section [options] ignored" in joined
    assert [rt.name for rt in schema.relation_types] == ["Equiv"]


def test_a_line_before_any_section_is_ignored_with_a_warning():
    schema, warnings = _parse("Person\n[entities]\nGPE\n")
    assert [t.name for t in schema.entity_types] == ["GPE"]
    assert warnings == ["a.conf:1: line before any section ignored (as brat does): 'Person'"]


@pytest.mark.parametrize("text", [
    "[entities]\nA\n[events]\nE Theme2+:A\n",   # brat: arguments ending with a digit
    "[entities]\nA\n[events]\nE Theme2*:A\n",   # cannot be repeated
    "[entities]\nA\n[events]\nE R:A, R?:A\n",    # brat: argument appears multiple times
])
def test_what_brat_refuses_is_still_refused(text):
    with pytest.raises(SchemaError):
        parse_annotation_conf(text, source="a.conf", warn=lambda m: None)


def test_a_collection_with_such_a_conf_imports_with_its_schema(project, tmp_path: Path):
    folder = tmp_path / "conllx"
    folder.mkdir()
    (folder / "annotation.conf").write_text(CONLL_X, encoding="utf-8")
    (folder / "s1.txt").write_text("Ele comeu .\n", encoding="utf-8")
    (folder / "s1.ann").write_text("T1\tn 0 3\tEle\nT2\tv-fin 4 9\tcomeu\n"
                                   "R1\tSUBJ Arg1:T2 Arg2:T1\n", encoding="utf-8")
    report = import_paths(project, [folder], ImportOptions())
    assert report.added == ["s1"] and report.relations == 1
    assert not any("ignoring" in w for w in report.warnings)  # the conf was used
    assert any("type 'Span'" in w for w in report.warnings)


def test_overlap_rules_of_a_collection_are_kept_and_written_back():
    from annotator.core.schema import Schema
    from annotator.formats.brat.conf_write import write_annotation_conf

    text = ("[entities]\nCountry\nOrganization\n[relations]\n"
            "<OVERLAP>\tArg1:Country, Arg2:Organization, <OVL-TYPE>:contain\n"
            "ENTITY-NESTING\tArg1:Country, Arg2:Country\n[events]\n[attributes]\n")
    schema, _ = _parse(text)
    assert schema.allow_overlap and schema.overlap_rules == [
        "<OVERLAP>\tArg1:Country, Arg2:Organization, <OVL-TYPE>:contain",
        "ENTITY-NESTING\tArg1:Country, Arg2:Country"]
    conf = write_annotation_conf(Schema.from_dict(schema.to_dict()))  # as the project keeps it
    assert "\n<OVERLAP>\tArg1:Country, Arg2:Organization, <OVL-TYPE>:contain\n" in conf
    assert "\nENTITY-NESTING\tArg1:Country, Arg2:Country\n" in conf and "<ANY>" not in conf
    assert parse_annotation_conf(conf).overlap_rules == schema.overlap_rules
