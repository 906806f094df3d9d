"""brat annotation.conf / visual.conf / kb_shortcuts.conf reading and writing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.core.schema import (
    ANY_EVENT,
    EventType,
    RelationType,
    Role,
    Schema,
    SpanType,
    load_schema,
)
from annotator.errors import SchemaError
from annotator.formats.brat_conf import (
    brat_name_map,
    brat_safe_name,
    parse_annotation_conf,
    parse_kb_shortcuts,
    read_annotation_conf,
    read_brat_schema,
    write_annotation_conf,
    write_brat_schema,
    write_kb_shortcuts,
    write_visual_conf,
)
from annotator.formats.schema_sources import load_schema_source

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
BRAT = SHARED / "corpora" / "brat" / "example-data"
BRAT_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


def _brat_folder(*parts: str) -> Path:
    folder = BRAT.joinpath(*parts)
    if not (folder / "annotation.conf").is_file():
        pytest.skip(f"shared brat example data not available ({folder})")
    return folder


@pytest.fixture(scope="module")
def news() -> Schema:
    return read_brat_schema(_brat_folder("tutorials", "news"))


@pytest.fixture(scope="module")
def bio() -> Schema:
    return read_brat_schema(_brat_folder("tutorials", "bio"))


# ---- the real brat example configurations --------------------------------------------------
def test_news_entities_labels_colours_hotkeys(news):
    assert news.name == "news"
    assert [t.name for t in news.entity_types] == ["Person", "Organization", "GPE", "Money"]
    assert news.value_types == []
    gpe = news.entity_type("GPE")
    assert gpe.label == "Geo-political entity"
    assert gpe.color == "#FFD412"
    assert news.entity_type("Person").color == "#FF821C"
    assert news.entity_type("Money").color == "#007000"
    # kb_shortcuts.conf says "P person": matched case-insensitively, stored lower case
    assert {t.name: t.hotkey for t in news.entity_types} == {
        "Person": "p", "Organization": "o", "GPE": "g", "Money": "m"}
    assert news.allow_overlap is False  # no <OVERLAP> rule


def test_news_events(news):
    assert [t.name for t in news.event_types if not t.selectable] == [
        "Life", "Transaction", "Business"]
    marry = news.event_type("Marry")
    assert marry.parent == "Life" and marry.selectable
    assert marry.role("Person-Arg").cardinality == "{2}"
    assert marry.role("Person-Arg").bounds == (2, 2)
    assert marry.role("Place-Arg").cardinality == "?"
    assert marry.role("Place-Arg").fillers == ["GPE"]
    merge = news.event_type("Merge-org")
    assert merge.parent == "Business"
    assert merge.role("Org-Arg").cardinality == "+"
    assert merge.role("Org-Arg").fillers == ["Organization"]
    die = news.event_type("Die")
    assert die.role("Person-Arg").cardinality == "1"  # no suffix: exactly one
    # <POG> expanded textually
    assert die.role("Agent-Arg").fillers == ["Person", "Organization", "GPE"]
    assert news.event_type("Transfer-money").role("Money-Arg").fillers == ["Money"]
    report = news.event_type("Report")
    assert report.parent == "" and report.role("Event-Arg").fillers == [ANY_EVENT]
    assert news.event_type("Be-born").label == "Be born"  # from visual.conf [labels]
    assert sum(len(t.roles) for t in news.event_types) == 22
    assert news.type_matches("Marry", "trigger", ["Life"])  # hierarchy parent matches


def test_news_relations_and_attributes(news):
    assert news.relation_type_names() == ["Located", "Geographical_part", "Family",
                                          "Employment", "Ownership", "Origin", "Alias"]
    (alias,) = news.relation_types_named("Alias")
    assert alias.symmetric and alias.transitive
    assert not news.is_symmetric("Family")
    (origin,) = news.relation_types_named("Origin")
    assert (origin.arg1, origin.arg2) == (["Organization"], ["GPE"])
    assert (origin.arg1_role, origin.arg2_role) == ("Arg1", "Arg2")
    assert news.relation_types_named("Geographical_part")[0].label == "Geographical part"
    attrs = {a.name: a for a in news.attributes}
    assert list(attrs) == ["Individual", "Mention", "Negation", "Confidence"]
    assert attrs["Confidence"].values == ["High", "Neutral", "Low"]
    assert attrs["Confidence"].targets == [ANY_EVENT]
    assert attrs["Mention"].values == ["Name", "Nominal", "Other"]
    assert attrs["Individual"].binary and attrs["Negation"].binary
    assert {a.name for a in news.attributes_for("trigger", "Marry")} == {"Negation", "Confidence"}


def test_load_schema_source_accepts_annotation_conf(news):
    conf = _brat_folder("tutorials", "news") / "annotation.conf"
    assert load_schema_source(conf) == news
    with pytest.raises(SchemaError, match="read through annotator.formats.schema_sources"):
        load_schema(conf)  # the core reads no brat format
    bare = read_annotation_conf(conf, siblings=False)
    assert bare.entity_type("GPE").label == "" and bare.entity_type("GPE").hotkey == ""
    assert bare.event_type("Marry").role("Person-Arg").cardinality == "{2}"


def test_bio(bio):
    assert [t.name for t in bio.entity_types] == ["Protein", "Simple_chemical", "Complex",
                                                  "Organism"]
    assert bio.event_type("Binding").role("Theme").cardinality == "+"
    reg = bio.event_type("Positive_regulation")
    assert reg.role("Theme").fillers == [ANY_EVENT, "Protein"]
    assert reg.role("Cause").cardinality == "?"
    assert reg.color == "#e0ff00"
    equiv = bio.relation_types_named("Equiv")
    assert [r.arg1 for r in equiv] == [["Protein"], ["Simple_chemical"], ["Organism"]]
    assert all(r.symmetric and r.transitive for r in equiv)
    assert {a.name: a.values for a in bio.attributes}["Confidence"] == [
        "Possible", "Likely", "Certain"]
    # kb_shortcuts.conf also names roles (C Cause, T Theme)
    assert reg.role("Cause").hotkey == "c" and reg.role("Theme").hotkey == "t"
    assert bio.entity_type("Complex").hotkey == "x"


def test_conll_2002():
    schema = read_brat_schema(_brat_folder("corpora", "CoNLL-ST_2002"))
    assert [t.name for t in schema.entity_types] == ["ORG", "PER", "LOC", "MISC"]
    assert schema.relation_types == [] and schema.event_types == [] and schema.attributes == []
    assert schema.entity_type("LOC").color == "lightgreen"
    assert schema.entity_type("PER").color == "#ffccaa"


@pytest.mark.parametrize("parts", [("tutorials", "news"), ("tutorials", "bio"),
                                   ("corpora", "CoNLL-ST_2002")])
def test_real_confs_survive_write_and_read(parts, tmp_path):
    original = read_brat_schema(_brat_folder(*parts))
    write_brat_schema(original, tmp_path)
    assert read_brat_schema(tmp_path) == original


# ---- syntax --------------------------------------------------------------------------------
SYNTAX = """\
# comment before the first section
[spans]
!Actor
\tPerson
\t\tPolitician
\tOrganization|Org|Company
-
Place

[relations]
<ACT>=Person|Organization
!Social
\tKnows\tKnower:<ACT>, Known:Person, <REL-TYPE>:symmetric
Above Arg1:Place, Arg2:Place, <REL-TYPE>:transitive
Above Arg1:Organization, Arg2:Organization
<OVERLAP> Arg1:Person, Arg2:Organization, <OVL-TYPE>:contain

[events]
Meeting   Participant{2-5}:Person|Organization, Where*:Place, Host?:Person
\tSummit  <INHERIT>, Leader+:Politician
Talk Topic{1}:<ANY>

[attributes]
Hidden  Arg:<ANY>
Certainty Arg:Meeting|Summit, Value:Sure|Unsure
"""


def test_syntax_features():
    s = parse_annotation_conf(SYNTAX, source="syntax.conf")
    assert [(t.name, t.parent, t.selectable) for t in s.entity_types] == [
        ("Actor", "", False), ("Person", "Actor", True), ("Politician", "Person", True),
        ("Organization", "Actor", True), ("Place", "", True)]
    assert s.span_labels() == ["Person", "Politician", "Organization", "Place"]
    (knows,) = s.relation_types_named("Knows")
    assert knows.arg1 == ["Person", "Organization"] and knows.arg2 == ["Person"]
    assert (knows.arg1_role, knows.arg2_role) == ("Knower", "Known")
    assert knows.symmetric and not knows.transitive
    above = s.relation_types_named("Above")
    assert len(above) == 2 and above[0].transitive and not above[0].symmetric
    assert s.relation_type_names() == ["Knows", "Above"]  # "!Social" only groups
    assert s.allow_overlap is True
    meeting = s.event_type("Meeting")
    assert [(r.name, r.cardinality) for r in meeting.roles] == [
        ("Participant", "{2-5}"), ("Where", "*"), ("Host", "?")]
    summit = s.event_type("Summit")
    assert summit.parent == "Meeting"
    assert [r.name for r in summit.roles] == ["Participant", "Where", "Host", "Leader"]
    assert summit.role("Leader").cardinality == "+"
    assert s.event_type("Talk").role("Topic").cardinality == "{1}"
    attrs = {a.name: a for a in s.attributes}
    assert attrs["Hidden"].binary and attrs["Hidden"].targets == ["<ANY>"]
    assert attrs["Certainty"].targets == ["Meeting", "Summit"]
    # the politician is a Person by hierarchy
    assert s.type_matches("Politician", "entity", knows.arg2)


def test_empty_and_missing_sections():
    s = parse_annotation_conf("[entities]\nA\n[relations]\n[events]\n[attributes]\n")
    assert [t.name for t in s.entity_types] == ["A"] and s.allow_overlap is False
    assert parse_annotation_conf("").entity_types == []
    assert parse_annotation_conf("[entities]\nA\r\nB\r\n").entity_type("B") is not None


def test_entity_nesting_means_overlap_allowed():
    s = parse_annotation_conf("[entities]\nA\nB\n[relations]\nENTITY-NESTING Arg1:A, Arg2:B\n")
    assert s.allow_overlap and s.relation_types == []


def test_legacy_equiv_is_symmetric_transitive():
    s = parse_annotation_conf("[entities]\nA\n[relations]\nEquiv Arg1:A, Arg2:A\n")
    assert s.relation_types[0].symmetric and s.relation_types[0].transitive


def test_macros_are_section_scoped():
    text = "[entities]\nA\nB\n[events]\n<X>=A|B\nE R:<X>\n[relations]\nL Arg1:<X>, Arg2:A\n"
    with pytest.raises(SchemaError, match=r"m\.conf:8: unknown macro <X>"):
        parse_annotation_conf(text, source="m.conf")


@pytest.mark.parametrize(("text", "line", "message"), [
    ("[entities]\nA\n[relations]\nR\n", 4, "needs exactly two arguments"),
    ("[entities]\nA\n[relations]\nR Arg1:A\n", 4, "needs exactly two arguments"),
    ("[entities]\nA\n[relations]\nR Arg1:A, Arg2:A, <REL-TYPE>:reflexive\n", 4, "REL-TYPE"),
    ("[entities]\nA\n[relations]\nR Arg1:A Arg2:A\n", 4, "cannot parse argument"),
    ("[entities]\nA\n[events]\nE R:<POG>\n", 4, "unknown macro <POG>"),
    ("[entities]\nA\n[events]\n<ANY>=A\n", 4, "cannot redefine"),
    ("[entities]\nA\n[events]\nE R{3-1}:A\n", 4, "lower bound above upper bound"),
    ("[entities]\nA\n[events]\nE R{0}:A\n", 4, "allows no filler"),
    ("[entities]\nA\n[events]\nE R{x}:A\n", 4, "bad cardinality"),
    ("[entities]\nA\n[events]\nE Theme2+:A\n", 4, "ends in a digit"),
    ("[entities]\nA\n[events]\nE R:A, R?:A\n", 4, "given twice"),
    ("[entities]\nA\n[events]\nE R:A|\n", 4, "empty type"),
    ("[entities]\nA\n[events]\nA R:A\n", 4, "declared twice"),
    ("[entities]\nA\n[attributes]\nNeg Value:Yes|No\n", 4, "no Arg:"),
    ("[entities]\n\tA\n", 2, "no parent"),
])
def test_malformed_lines_name_file_and_line(text, line, message):
    with pytest.raises(SchemaError, match=rf"bad\.conf:{line}: .*{message}"):
        parse_annotation_conf(text, source="bad.conf")


def test_file_errors(tmp_path):
    with pytest.raises(SchemaError, match="cannot read"):
        read_annotation_conf(tmp_path / "annotation.conf")
    with pytest.raises(SchemaError, match="no annotation.conf"):
        read_brat_schema(tmp_path)
    (tmp_path / "annotation.conf").write_text("[entities]\nA\n", encoding="utf-8")
    (tmp_path / "kb_shortcuts.conf").write_text("P\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"kb_shortcuts\.conf:1:"):
        read_brat_schema(tmp_path)
    (tmp_path / "kb_shortcuts.conf").write_text("# keys\nP A\n", encoding="utf-8")
    (tmp_path / "visual.conf").write_text("[colours]\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"visual\.conf:1: unknown section"):
        read_brat_schema(tmp_path)
    (tmp_path / "visual.conf").write_text("[labels]\nA | Alpha\n[drawing]\nA\tbgColor:#123456\n",
                                          encoding="utf-8")
    a = read_brat_schema(tmp_path).entity_type("A")
    assert (a.label, a.color, a.hotkey) == ("Alpha", "#123456", "p")


def test_kb_shortcuts_first_key_wins():
    text = "[entities]\nA\nB\n"
    s = parse_annotation_conf(text, kb_shortcuts="X A\nX B\nY b\nZ a\n")
    assert (s.entity_type("A").hotkey, s.entity_type("B").hotkey) == ("x", "y")
    assert parse_kb_shortcuts("P\tProtein\n\n# c\nS Simple_chemical") == [
        ("P", "Protein"), ("S", "Simple_chemical")]


# ---- names ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "safe"), [
    ("Conflict.Attack", "Conflict_Attack"), ("Conflict:Attack", "Conflict_Attack"),
    ("ORG-AFF.Employment", "ORG-AFF_Employment"), ("Person", "Person"),
    ("job title", "job_title"), ("Ärzte/Ärztinnen", "_rzte__rztinnen"), ("", "_"),
])
def test_brat_safe_name(name, safe):
    assert brat_safe_name(name) == safe
    assert BRAT_NAME.match(brat_safe_name(name))


def test_brat_name_map_is_unique():
    s = Schema(entity_types=[SpanType("A.B"), SpanType("A_B"), SpanType("A:B")])
    mapping = brat_name_map(s)
    assert mapping == {"A.B": "A_B_2", "A_B": "A_B", "A:B": "A_B_3"}
    back = parse_annotation_conf(write_annotation_conf(s))
    assert [t.name for t in back.entity_types] == ["A.B", "A_B", "A:B"]


# ---- writing the shipped schemas -----------------------------------------------------------
@pytest.mark.parametrize("name", ["ace2005-news", "news-basic"])
def test_written_conf_uses_brat_safe_names(name):
    schema = load_schema(name)
    text = write_annotation_conf(schema)
    section = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        head, _, args = line.strip().partition("\t")
        if head != "<OVERLAP>":
            assert BRAT_NAME.match(head.lstrip("!")), line
        for arg in filter(None, (a.strip() for a in args.split(","))):
            key, _, types = arg.partition(":")
            if section != "attributes" and not key.startswith("<"):
                key = re.sub(r"(\{[\d-]+\}|[?*+])$", "", key)
                assert BRAT_NAME.match(key), line
                for t in types.split("|"):
                    assert BRAT_NAME.match(t) or t in ("<ANY>", "<ENTITY>", "<EVENT>"), line


def test_written_ace_conf_details():
    ace = load_schema("ace2005-news")
    conf = write_annotation_conf(ace)
    assert "\nConflict_Attack\tAttacker*:ORG|PER|GPE, " in conf
    assert "Time-Within?:TIME" in conf
    assert "\nPHYS_Near\tArg1:<ENTITY>, Arg2:FAC|LOC|GPE, <REL-TYPE>:symmetric\n" in conf
    assert "\n<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>\n" in conf
    assert "\nrealis\tArg:<EVENT>, Value:actual|generic|other\n" in conf
    visual = write_visual_conf(ace)
    assert "\nConflict_Attack | Attack | Conflict.Attack\n" in visual
    assert "\nPER | Person\n" in visual
    assert "\nPER\tbgColor:#EE8866, fgColor:black\n" in visual
    assert "\nJustice_Arrest-Jail\tbgColor:#332288, fgColor:white\n" in visual
    assert "\nPHYS_Near\tcolor:#4477AA\n" in visual
    kb = write_kb_shortcuts(ace)
    assert "\nP\tPER\n" in kb and "\nT\tTIME\n" in kb


@pytest.mark.parametrize("name", ["ace2005-news", "news-basic"])
def test_shipped_schema_round_trip_exact(name, tmp_path):
    schema = load_schema(name)
    paths = write_brat_schema(schema, tmp_path / "conf")
    assert [p.name for p in paths] == ["annotation.conf", "visual.conf", "kb_shortcuts.conf"]
    back = read_brat_schema(tmp_path / "conf")
    assert back.to_dict() == schema.to_dict()


@pytest.mark.parametrize("name", ["ace2005-news", "news-basic"])
def test_shipped_schema_round_trip_as_plain_brat(name):
    """Without the '# annotator:' comments: same structure modulo the brat name mapping."""
    schema = load_schema(name)
    plain = "\n".join(line for line in write_annotation_conf(schema).splitlines()
                      if not line.startswith("# annotator:"))
    back = parse_annotation_conf(plain, visual=write_visual_conf(schema),
                                 kb_shortcuts=write_kb_shortcuts(schema))
    names = brat_name_map(schema)
    spans = [*schema.entity_types, *schema.value_types]
    assert [t.name for t in back.entity_types] == [names[t.name] for t in spans]
    assert back.value_types == []
    assert [t.label for t in back.entity_types] == [t.label for t in spans]
    assert [t.hotkey for t in back.entity_types] == [t.hotkey for t in spans]
    assert len(back.event_types) == len(schema.event_types)
    for old, new in zip(schema.event_types, back.event_types, strict=True):
        assert new.name == names[old.name]
        assert new.label == old.label and new.color == old.color
        assert [(r.name, r.cardinality, r.fillers) for r in new.roles] == [
            (r.name, r.cardinality, [names.get(f, f) for f in r.fillers]) for r in old.roles]
    assert len(back.relation_types) == len(schema.relation_types)
    assert len(back.relation_type_names()) == len(schema.relation_type_names())
    for old, new in zip(schema.relation_types, back.relation_types, strict=True):
        assert new.name == names[old.name]
        assert (new.arg1, new.arg2, new.symmetric, new.transitive) == (
            old.arg1, old.arg2, old.symmetric, old.transitive)
    assert [(a.name, a.targets, a.values) for a in back.attributes] == [
        (a.name, a.targets, a.values) for a in schema.attributes]
    assert all(a.default is None for a in back.attributes)  # defaults need the comments
    assert back.allow_overlap == schema.allow_overlap


def test_write_expands_value_wildcard_and_merges_attributes():
    s = Schema(
        entity_types=[SpanType("PER")], value_types=[SpanType("TIME"), SpanType("MONEY")],
        event_types=[EventType("Pay", roles=[Role("Amount", ["<VALUE>"], "1"),
                                             Role("Payer", [], "+")])],
        relation_types=[RelationType("knows", arg1=["PER"], arg2=["PER"], arg1_role="Who",
                                     arg2_role="Whom")],
    )
    from annotator.core.schema import AttributeDef

    s.attributes = [AttributeDef("tense", ["<EVENT>"], ["Past", "Future"], "Past"),
                    AttributeDef("tense", ["<RELATION>"], ["Past", "Present"])]
    conf = write_annotation_conf(s)
    assert "\nPay\tAmount:TIME|MONEY, Payer+:<ANY>\n" in conf
    assert "\nknows\tWho:PER, Whom:PER\n" in conf
    assert "\ntense\tArg:<EVENT>|<RELATION>, Value:Past|Future|Present\n" in conf
    back = parse_annotation_conf(conf)
    assert back.event_type("Pay").role("Amount").fillers == ["TIME", "MONEY"]
    assert back.event_type("Pay").role("Amount").cardinality == "1"
    assert back.relation_types[0].arg1_role == "Who"
    (tense,) = back.attributes
    assert tense.default == "Past" and tense.targets == ["<EVENT>", "<RELATION>"]
    bad = Schema(entity_types=[SpanType("A")],
                 attributes=[AttributeDef("x", ["A"], ["two words"])])
    with pytest.raises(SchemaError, match="two words"):
        write_annotation_conf(bad)


def test_write_hierarchy_and_binary_default():
    from annotator.core.schema import AttributeDef

    s = Schema(
        entity_types=[SpanType("Actor", selectable=False), SpanType("Place"),
                      SpanType("Person", parent="Actor"), SpanType("Group", parent="Person")],
        attributes=[AttributeDef("Negated", ["<ENTITY>"], [], False)],
        allow_overlap=False,
    )
    conf = write_annotation_conf(s)
    assert "\n!Actor\n\tPerson\n\t\tGroup\nPlace\n" in conf
    assert "<OVERLAP>" not in conf
    back = parse_annotation_conf(conf)
    assert [(t.name, t.parent) for t in back.entity_types] == [
        ("Actor", ""), ("Person", "Actor"), ("Group", "Person"), ("Place", "")]
    assert back.attributes[0].default is False
    assert back.allow_overlap is False
