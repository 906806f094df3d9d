"""The shipped schemas (resources/schemas/*.toml) and the schema model's loading rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.core.schema import (
    ANY_ENTITY,
    ANY_RELATION,
    EventType,
    Role,
    Schema,
    SpanType,
    builtin_schema_names,
    load_schema,
    load_schema_toml,
    parse_cardinality,
    schema_to_toml,
)
from annotator.errors import SchemaError

ACE_ENTITIES = {
    "PER": ("Person", 3), "ORG": ("Organization", 9), "GPE": ("Geo-Political Entity", 7),
    "LOC": ("Location", 7), "FAC": ("Facility", 5), "WEA": ("Weapon", 9), "VEH": ("Vehicle", 5),
}
ACE_VALUES = {"TIME", "MONEY", "PERCENT", "CRIME", "JOB-TITLE", "SENTENCE", "CONTACT-INFO"}
ACE_RELATIONS = {
    "PHYS.Located", "PHYS.Near", "PART-WHOLE.Geographical", "PART-WHOLE.Subsidiary",
    "PART-WHOLE.Artifact", "PER-SOC.Business", "PER-SOC.Family", "PER-SOC.Lasting-Personal",
    "ORG-AFF.Employment", "ORG-AFF.Ownership", "ORG-AFF.Founder", "ORG-AFF.Student-Alum",
    "ORG-AFF.Sports-Affiliation", "ORG-AFF.Investor-Shareholder", "ORG-AFF.Membership",
    "ART.User-Owner-Inventor-Manufacturer", "GEN-AFF.Citizen-Resident-Religion-Ethnicity",
    "GEN-AFF.Org-Location",
}
EVENT_TOP_TYPES = {"Life": 5, "Movement": 1, "Transaction": 2, "Business": 4, "Conflict": 2,
                   "Contact": 2, "Personnel": 4, "Justice": 13}
TIME_ROLES = ["Time-Within", "Time-Holds", "Time-Starting", "Time-Ending", "Time-Before",
              "Time-After", "Time-At-Beginning", "Time-At-End"]
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


@pytest.fixture(scope="module")
def ace() -> Schema:
    return load_schema("ace2005-news")


@pytest.fixture(scope="module")
def basic() -> Schema:
    return load_schema("news-basic")


def _luminance(color: str) -> float:
    def channel(h: str) -> float:
        c = int(h, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _best_contrast(color: str) -> float:
    """WCAG contrast ratio of the better of black and white text on this background."""
    lum = _luminance(color)
    return max((lum + 0.05) / 0.05, 1.05 / (lum + 0.05))


# ---- both shipped schemas ------------------------------------------------------------------
def test_builtin_names_list_both_schemas():
    assert {"ace2005-news", "news-basic"} <= set(builtin_schema_names())


@pytest.mark.parametrize("name", ["ace2005-news", "news-basic"])
def test_shipped_schema_is_consistent(name):
    schema = load_schema(name)
    assert schema.name == name
    schema.check(source=name)
    # TOML written back from the loaded schema loads to the same thing.
    again = Schema.from_dict(schema.to_dict())
    assert again == schema


@pytest.mark.parametrize("name", ["ace2005-news", "news-basic"])
def test_schema_to_toml_round_trip(name, tmp_path):
    schema = load_schema(name)
    path = tmp_path / f"{name}.toml"
    path.write_text(schema_to_toml(schema), encoding="utf-8")
    assert load_schema(path) == schema


@pytest.mark.parametrize("name", ["ace2005-news", "news-basic"])
def test_hotkeys_unique_single_lowercase_letters(name):
    schema = load_schema(name)
    keys = [t.hotkey for t in (*schema.entity_types, *schema.value_types, *schema.event_types)
            if t.hotkey]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z]", k) for k in keys)
    # every entity type can be picked from the keyboard
    assert all(t.hotkey for t in schema.entity_types)


@pytest.mark.parametrize("name", ["ace2005-news", "news-basic"])
def test_span_colours_are_hex_and_readable(name):
    schema = load_schema(name)
    spans = [*schema.entity_types, *schema.value_types]
    for t in spans:
        assert HEX.match(t.color), t.name
        assert _best_contrast(t.color) >= 4.5, (t.name, t.color)
    entity_colors = [t.color.upper() for t in schema.entity_types]
    assert len(set(entity_colors)) == len(entity_colors)
    for et in schema.event_types:
        assert HEX.match(et.color) and _best_contrast(et.color) >= 4.5, et.name


@pytest.mark.parametrize("name", ["ace2005-news", "news-basic"])
def test_no_role_name_ends_in_a_digit(name):
    schema = load_schema(name)
    for et in schema.event_types:
        for role in et.roles:
            assert not role.name[-1].isdigit(), (et.name, role.name)


# ---- ace2005-news --------------------------------------------------------------------------
def test_ace_entity_types(ace):
    assert [t.name for t in ace.entity_types] == list(ACE_ENTITIES)
    for t in ace.entity_types:
        label, n_subtypes = ACE_ENTITIES[t.name]
        assert t.label == label
        assert len(t.subtypes) == n_subtypes
        assert t.selectable
    assert sum(len(t.subtypes) for t in ace.entity_types) == 45
    assert ace.entity_type("ORG").subtypes[1] == "Non-Governmental"
    assert "Population-Center" in ace.entity_type("GPE").subtypes
    assert {t.name: t.hotkey for t in ace.entity_types} == {
        "PER": "p", "ORG": "o", "GPE": "g", "LOC": "l", "FAC": "f", "WEA": "w", "VEH": "v"}


def test_ace_value_types(ace):
    assert {t.name for t in ace.value_types} == ACE_VALUES
    assert ace.value_type("TIME").hotkey == "t"
    assert ace.value_type("MONEY").hotkey == "m"
    assert ace.value_type("CONTACT-INFO").subtypes == ["E-Mail", "Phone-Number", "URL"]
    assert ace.span_kind_of("CRIME") == "value"
    assert ace.span_kind_of("PER") == "entity"
    assert ace.span_kind_of("Conflict.Attack") == "trigger"


def test_ace_relations(ace):
    names = ace.relation_type_names()
    assert len(names) == 18
    assert set(names) == ACE_RELATIONS
    symmetric = {n for n in names if ace.is_symmetric(n)}
    assert symmetric == {"PHYS.Near", "PER-SOC.Business", "PER-SOC.Family",
                         "PER-SOC.Lasting-Personal"}
    (located,) = ace.relation_types_named("PHYS.Located")
    assert located.arg1 == ["PER"] and set(located.arg2) == {"FAC", "LOC", "GPE"}
    (near,) = ace.relation_types_named("PHYS.Near")
    assert near.arg1 == [ANY_ENTITY]
    (org_loc,) = ace.relation_types_named("GEN-AFF.Org-Location")
    assert org_loc.arg1 == ["ORG"] and set(org_loc.arg2) == {"LOC", "GPE"}
    for rt in ace.relation_types:
        assert rt.arg1 and rt.arg2, rt.name
        assert (rt.arg1_role, rt.arg2_role) == ("Arg1", "Arg2")
        assert HEX.match(rt.color)


def test_ace_event_inventory(ace):
    assert len(ace.event_types) == 33
    tops: dict[str, int] = {}
    for et in ace.event_types:
        top, _, sub = et.name.partition(".")
        assert sub, et.name
        tops[top] = tops.get(top, 0) + 1
        assert et.label == sub.replace("-", " ")
    assert tops == EVENT_TOP_TYPES
    for name in ("Business.Merge-Org", "Conflict.Attack", "Justice.Arrest-Jail",
                 "Transaction.Transfer-Money", "Contact.Phone-Write"):
        assert ace.event_type(name) is not None, name


def test_ace_every_event_has_the_time_roles(ace):
    for et in ace.event_types:
        time_roles = [r for r in et.roles if r.name.startswith("Time-")]
        assert [r.name for r in time_roles] == TIME_ROLES, et.name
        for r in time_roles:
            assert r.fillers == ["TIME"] and r.cardinality == "?"
            assert r.bounds == (0, 1) and not r.required


def test_ace_event_roles_and_fillers(ace):
    attack = ace.event_type("Conflict.Attack")
    assert [r.name for r in attack.roles[:4]] == ["Attacker", "Target", "Instrument", "Place"]
    assert set(attack.role("Attacker").fillers) == {"ORG", "PER", "GPE"}
    assert set(attack.role("Target").fillers) == {"LOC", "WEA", "PER", "FAC", "VEH", "ORG"}
    assert attack.role("Attacker").cardinality == "*"
    assert set(attack.role("Place").fillers) == {"LOC", "GPE", "FAC"}
    # value roles
    assert ace.event_type("Transaction.Transfer-Money").role("Money").fillers == ["MONEY"]
    assert ace.event_type("Movement.Transport").role("Price").fillers == ["MONEY"]
    assert ace.event_type("Justice.Sentence").role("Sentence").fillers == ["SENTENCE"]
    assert ace.event_type("Justice.Sentence").role("Crime").fillers == ["CRIME"]
    assert ace.event_type("Personnel.Elect").role("Position").fillers == ["JOB-TITLE"]
    fine = ace.event_type("Justice.Fine")
    assert fine.role("Money").fillers == ["MONEY"] and fine.role("Crime") is not None
    assert ace.event_type("Life.Die").role("Victim").fillers == ["PER"]
    assert ace.event_type("Business.Merge-Org").role("Org").fillers == ["ORG", "PER"]
    # Place only where the guideline has it
    for name in ("Movement.Transport", "Justice.Extradite", "Contact.Phone-Write"):
        assert ace.event_type(name).role("Place") is None, name
    transport = ace.event_type("Movement.Transport")
    assert transport.role("Origin") and transport.role("Destination")
    assert ace.event_type("Justice.Appeal").role("Plaintiff") is not None
    # every non-time role defaults to "any number"
    for et in ace.event_types:
        for r in et.roles:
            if not r.name.startswith("Time-"):
                assert r.cardinality == "*", (et.name, r.name)
                assert r.fillers, (et.name, r.name)


def test_ace_event_colours_one_per_top_level_type(ace):
    by_top: dict[str, set[str]] = {}
    for et in ace.event_types:
        by_top.setdefault(et.name.split(".")[0], set()).add(et.color)
    assert all(len(colors) == 1 for colors in by_top.values())
    assert len({next(iter(c)) for c in by_top.values()}) == len(by_top)


def test_ace_attributes(ace):
    attrs = {a.name: a for a in ace.attributes}
    assert attrs["realis"].values == ["actual", "generic", "other"]
    assert attrs["realis"].default == "actual"
    assert attrs["polarity"].default == "Positive"
    assert attrs["genericity"].values == ["Specific", "Generic"]
    assert set(attrs["tense"].values) == {"Past", "Present", "Future", "Unspecified"}
    assert attrs["modality"].values == ["Asserted", "Other"]
    assert attrs["mention_type"].values == ["NAM", "NOM", "PRO"]
    assert attrs["mention_type"].default == "NAM"
    assert attrs["entity_class"].values == ["SPC", "GEN", "NEG", "USP"]
    assert "subtype" not in attrs  # subtypes live in each entity type's `subtypes`
    on_event = {a.name for a in ace.attributes_for("trigger", "Conflict.Attack")}
    assert on_event == {"realis", "polarity", "tense", "genericity", "modality"}
    on_entity = {a.name for a in ace.attributes_for("entity", "PER")}
    assert on_entity == {"mention_type", "entity_class"}
    on_relation = {a.name for a in ace.attributes_for("relation", "PHYS.Near")}
    assert on_relation == {"modality", "tense"}
    assert all(ANY_RELATION in attrs[n].targets for n in on_relation)


# ---- news-basic ----------------------------------------------------------------------------
def test_news_basic(basic):
    assert [t.name for t in basic.entity_types] == ["PER", "ORG", "GPE", "LOC", "EVENT"]
    assert [t.name for t in basic.value_types] == ["DATE", "MONEY"]
    assert set(basic.relation_type_names()) == {"located_in", "employed_by", "member_of",
                                                "part_of", "related_to"}
    assert basic.is_symmetric("related_to") and not basic.is_symmetric("part_of")
    assert len(basic.relation_types_named("part_of")) == 2
    assert basic.event_types == []
    assert basic.span_labels() == ["PER", "ORG", "GPE", "LOC", "EVENT", "DATE", "MONEY"]
    assert basic.type_matches("PER", "entity", basic.relation_types_named("employed_by")[0].arg1)
    assert not basic.type_matches("DATE", "value",
                                  basic.relation_types_named("employed_by")[0].arg1)


# ---- loading errors ------------------------------------------------------------------------
def test_malformed_toml_names_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('name = "x"\n[[entity_types]\nname = "PER"\n', encoding="utf-8")
    with pytest.raises(SchemaError, match=re.escape(str(path))):
        load_schema(path)


def test_unknown_key_names_the_file(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text('name = "x"\n[[entity_types]]\nname = "PER"\ncolour = "#fff"\n',
                    encoding="utf-8")
    with pytest.raises(SchemaError, match=r"typo\.toml.*colour"):
        load_schema_toml(path)


def test_unknown_filler_is_rejected(tmp_path):
    path = tmp_path / "filler.toml"
    path.write_text('[[entity_types]]\nname = "PER"\n[[event_types]]\nname = "Meet"\n'
                    '[[event_types.roles]]\nname = "Entity"\nfillers = ["ORG"]\n',
                    encoding="utf-8")
    with pytest.raises(SchemaError, match=r"filler\.toml.*'ORG'"):
        load_schema(path)


def test_missing_file_and_unknown_name(tmp_path):
    with pytest.raises(SchemaError, match="cannot read"):
        load_schema_toml(tmp_path / "absent.toml")
    with pytest.raises(SchemaError, match="unknown schema"):
        load_schema("no-such-schema")


def test_check_rejects_duplicates_digits_and_hotkey_clashes():
    with pytest.raises(SchemaError, match="declared twice"):
        Schema(entity_types=[SpanType("X")], value_types=[SpanType("X")]).check()
    with pytest.raises(SchemaError, match="ends in a digit"):
        Schema(event_types=[EventType("E", roles=[Role("Org2")])]).check()
    with pytest.raises(SchemaError, match="hotkey"):
        Schema(entity_types=[SpanType("A", hotkey="a"), SpanType("B", hotkey="a")]).check()


# ---- cardinality ---------------------------------------------------------------------------
@pytest.mark.parametrize(("card", "bounds"), [
    ("?", (0, 1)), ("1", (1, 1)), ("*", (0, None)), ("+", (1, None)),
    ("{2}", (2, 2)), ("{1-3}", (1, 3)), ("{0-2}", (0, 2)), ("{10}", (10, 10)),
    (" * ", (0, None)), ("{2-2}", (2, 2)),
])
def test_parse_cardinality(card, bounds):
    assert parse_cardinality(card) == bounds


@pytest.mark.parametrize("card", ["", "2", "0", "{3-1}", "{a}", "**", "{1-}", "{-2}", "+?",
                                  "{ 2 }", "{2,3}", "1?"])
def test_parse_cardinality_rejects(card):
    with pytest.raises(SchemaError):
        parse_cardinality(card)


def test_role_bounds_and_required():
    assert Role("Org", cardinality="+").required
    assert Role("Org", cardinality="{2}").bounds == (2, 2)
    assert not Role("Org", cardinality="*").required
    with pytest.raises(SchemaError):
        Schema(event_types=[EventType("E", roles=[Role("R", cardinality="{5-2}")])]).check()


def test_shipped_files_exist_where_the_package_looks():
    from annotator.core.schema import schema_dir

    root = Path(__file__).resolve().parents[2] / "resources" / "schemas"
    assert (root / "ace2005-news.toml").is_file()
    assert (schema_dir() / "ace2005-news.toml").is_file()


def test_parents_must_exist_and_not_cycle():
    with pytest.raises(SchemaError, match="unknown parent 'Actor'"):
        Schema(entity_types=[SpanType("PER", parent="Actor")]).check()
    cyclic = Schema(entity_types=[SpanType("A", parent="B"), SpanType("B", parent="A")])
    with pytest.raises(SchemaError, match="own ancestor"):
        cyclic.check()
    # matching against a cyclic (unchecked) hierarchy terminates
    assert cyclic.type_matches("A", "entity", ["C"]) is False
    ok = Schema(entity_types=[SpanType("Actor", selectable=False),
                              SpanType("PER", parent="Actor"), SpanType("Kid", parent="PER")])
    ok.check()
    assert ok.type_matches("Kid", "entity", ["Actor"])
