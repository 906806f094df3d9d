"""The export framework every format shares: LabelMap (rules, globs, drop, coarse, separator,
files), the deterministic split, document selection, suggested/rejected filtering, and
run_export writing the JSON report beside the data."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import annotator
from annotator.errors import ExportError
from annotator.formats import registry
from annotator.formats.export import (
    ExportOptions,
    LabelMap,
    export_documents,
    parse_split,
    run_export,
    split_of,
)
from annotator.formats.export import ExportReport as Report


# ---- LabelMap ---------------------------------------------------------------------------------
def test_identity_map_changes_nothing():
    lm = LabelMap()
    assert lm.identity
    assert lm.apply("Conflict.Attack") == "Conflict.Attack"


def test_exact_rules_rename_and_drop():
    lm = LabelMap({"GPE": "LOC", "TIME": None, "MONEY": ""})
    assert not lm.identity
    assert lm.apply("GPE") == "LOC"
    assert lm.apply("TIME") is None and lm.apply("MONEY") is None
    assert lm.apply("PER") == "PER"
    assert lm.apply("GPE.Nation") == "GPE.Nation"  # exact means exact


def test_glob_rules():
    lm = LabelMap({"Conflict.*": "Conflict", "Justice.*": None, "P?R": "PERSON",
                   "[GL]OC": "PLACE"})
    assert lm.apply("Conflict.Attack") == "Conflict"
    assert lm.apply("Conflict.Demonstrate") == "Conflict"
    assert lm.apply("Justice.Sue") is None
    assert lm.apply("PER") == "PERSON"
    assert lm.apply("LOC") == "PLACE" and lm.apply("GOC") == "PLACE"
    assert lm.apply("conflict.attack") == "conflict.attack"  # case-sensitive
    assert lm.apply("Contact.Meet") == "Contact.Meet"


def test_exact_rule_wins_over_glob():
    lm = LabelMap({"Conflict.*": "Conflict", "Conflict.Attack": "ATTACK"})
    assert lm.apply("Conflict.Attack") == "ATTACK"
    assert lm.apply("Conflict.Demonstrate") == "Conflict"


def test_coarse_and_separator():
    assert LabelMap(coarse=True).apply("Conflict.Attack") == "Conflict"
    assert LabelMap(coarse=True).apply("PER") == "PER"
    assert LabelMap(separator=":").apply("Conflict.Attack") == "Conflict:Attack"
    assert LabelMap(separator="_").apply("ORG-AFF.Employment") == "ORG-AFF_Employment"
    assert LabelMap(coarse=True, separator=":").apply("Conflict.Attack") == "Conflict"
    assert not LabelMap(coarse=True).identity and not LabelMap(separator=":").identity
    # a rule's target is used as given
    assert LabelMap({"GPE": "Geo.Political"}, coarse=True).apply("GPE") == "Geo.Political"


def test_parse_options():
    lm = LabelMap.parse_options(["GPE=LOC", "TIME=", "Conflict.*=Conflict"], coarse=True)
    assert lm.rules == {"GPE": "LOC", "TIME": None, "Conflict.*": "Conflict"} and lm.coarse
    with pytest.raises(ExportError, match="OLD=NEW"):
        LabelMap.parse_options(["GPE"])


def test_from_text_file(tmp_path):
    f = tmp_path / "map.txt"
    f.write_text("# rename places\nGPE = LOC\n\n  TIME=   # dropped\nConflict.* = Conflict\n",
                 encoding="utf-8")
    lm = LabelMap.from_file(f)
    assert lm.apply("GPE") == "LOC"
    assert lm.apply("TIME") is None
    assert lm.apply("Conflict.Attack") == "Conflict"
    assert lm.apply("PER") == "PER"


def test_text_file_error_names_file_and_line(tmp_path):
    f = tmp_path / "map.txt"
    f.write_text("GPE=LOC\n# ok\nPER LOC\n", encoding="utf-8")
    with pytest.raises(ExportError) as err:
        LabelMap.from_file(f)
    assert f"{f}:3:" in str(err.value) and "PER LOC" in str(err.value)


def test_from_toml_file(tmp_path):
    f = tmp_path / "map.toml"
    f.write_text('coarse = true\nseparator = ":"\n"Justice.*" = ""\nGPE = "LOC"\n',
                 encoding="utf-8")
    lm = LabelMap.from_file(f)
    assert lm.coarse and lm.separator == ":"
    assert lm.apply("GPE") == "LOC"
    assert lm.apply("Justice.Sue") is None
    assert lm.apply("Conflict.Attack") == "Conflict"


def test_from_toml_labels_table(tmp_path):
    f = tmp_path / "map.toml"
    f.write_text('separator = "_"\n[labels]\nGPE = "LOC"\n', encoding="utf-8")
    lm = LabelMap.from_file(f)
    assert lm.rules == {"GPE": "LOC"} and lm.apply("Contact.Meet") == "Contact_Meet"


def test_toml_error_names_file_and_line(tmp_path):
    f = tmp_path / "map.toml"
    f.write_text('GPE = "LOC"\nPER = \n', encoding="utf-8")
    with pytest.raises(ExportError) as err:
        LabelMap.from_file(f)
    assert str(f) in str(err.value) and "line 2" in str(err.value)


def test_from_json_file(tmp_path):
    f = tmp_path / "map.json"
    f.write_text(json.dumps({"GPE": "LOC", "TIME": None, "coarse": True}), encoding="utf-8")
    lm = LabelMap.from_file(f)
    assert lm.apply("GPE") == "LOC" and lm.apply("TIME") is None
    assert lm.apply("Life.Die") == "Life"


def test_json_error_names_file_and_line(tmp_path):
    f = tmp_path / "map.json"
    f.write_text('{\n  "GPE": "LOC",\n  "PER": \n}\n', encoding="utf-8")
    with pytest.raises(ExportError) as err:
        LabelMap.from_file(f)
    assert f"{f}:4:" in str(err.value)


@pytest.mark.parametrize("name, content", [
    ("map.json", '{"GPE": 5}'),
    ("map.toml", "GPE = 5\n"),
    ("map.toml", "[other]\nx = 'y'\n"),
    ("map.json", '[["GPE", "LOC"]]'),
    ("map.json", '"GPE"'),
    ("map.json", '{"separator": 5}'),
    ("map.json", '{"labels": ["GPE"]}'),
])
def test_non_string_targets_are_refused(tmp_path, name, content):
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ExportError) as err:
        LabelMap.from_file(f)
    assert str(f) in str(err.value)


def test_missing_map_file(tmp_path):
    with pytest.raises(ExportError, match="cannot read"):
        LabelMap.from_file(tmp_path / "nope.txt")


# ---- split ----------------------------------------------------------------------------------
def test_split_is_deterministic_per_key():
    ratios = (0.8, 0.1, 0.1)
    keys = [f"doc-{i}" for i in range(500)]
    first = {k: split_of(k, ratios) for k in keys}
    # same answer again, in another order, and among many more keys
    assert {k: split_of(k, ratios) for k in reversed(keys)} == first
    more = {k: split_of(k, ratios) for k in keys + [f"new-{i}" for i in range(2000)]}
    assert {k: more[k] for k in keys} == first
    # ratios need not be normalised
    assert {k: split_of(k, (8, 1, 1)) for k in keys} == first


def test_split_proportions_over_10000_keys():
    counts = Counter(split_of(f"key-{i}", (0.8, 0.1, 0.1)) for i in range(10_000))
    assert set(counts) == {"train", "dev", "test"}
    assert abs(counts["train"] / 10_000 - 0.8) < 0.02
    assert abs(counts["dev"] / 10_000 - 0.1) < 0.015
    assert abs(counts["test"] / 10_000 - 0.1) < 0.015
    two = Counter(split_of(f"key-{i}", (0.5, 0.5)) for i in range(10_000))
    assert set(two) == {"train", "dev"} and abs(two["train"] - 5000) < 250


def test_split_seed_and_zero_parts():
    keys = [f"k{i}" for i in range(1000)]
    a = [split_of(k, (0.5, 0.25, 0.25), seed=0) for k in keys]
    assert a == [split_of(k, (0.5, 0.25, 0.25), seed=0) for k in keys]
    assert a != [split_of(k, (0.5, 0.25, 0.25), seed=1) for k in keys]
    assert {split_of(k, (1.0,)) for k in keys} == {"train"}
    assert "dev" not in {split_of(k, (0.5, 0.0, 0.5)) for k in keys}
    with pytest.raises(ExportError):
        split_of("k", (0.0, 0.0))


@pytest.mark.parametrize("text, expected", [("0.8,0.1,0.1", (0.8, 0.1, 0.1)), ("1", (1.0,)),
                                            ("8,2", (8.0, 2.0))])
def test_parse_split(text, expected):
    assert parse_split(text) == expected


@pytest.mark.parametrize("text", ["a,b", "0.5,-0.1,0.6", "0,0", "0.2,0.2,0.2,0.4", ""])
def test_parse_split_errors(text):
    with pytest.raises(ExportError):
        parse_split(text)


# ---- selection, filtering and the report ----------------------------------------------------
def fake_export(project, out, options, rep, progress=None):
    """A minimal format: one JSON line per document; cannot carry value spans."""
    with open(out, "w", encoding="utf-8") as fh:
        for ed in export_documents(project, options, rep, progress):
            for s in ed.ann.spans:
                if s.kind == "value":
                    rep.lose(ed.doc, "span", "values are not carried", label=s.label,
                             start=s.start, end=s.end, id=s.id)
            fh.write(json.dumps({
                "name": ed.doc.name, "split": ed.split,
                "spans": [[s.start, s.end, s.label] for s in ed.ann.spans],
                "events": [[e.type, [a.role for a in e.arguments]] for e in ed.ann.events],
                "relations": [r.type for r in ed.ann.relations]}) + "\n")
    rep.files.append(str(out))


@pytest.fixture
def fake_format(monkeypatch):
    monkeypatch.setitem(registry.EXPORTERS, "fake", f"{__name__}:fake_export")
    return "fake"


TEXT = "Rebels attacked Kabul on Monday, said John Smith of Reuters."


@pytest.fixture
def project(tmp_path: Path):
    p = annotator.create_project(tmp_path / "e.annproj", annotator="gold")
    doc = p.add_document(TEXT, name="kabul")
    rebels = p.add_span(doc.id, 0, 6, "ORG")
    kabul = p.add_span(doc.id, 16, 21, "GPE")
    monday = p.add_span(doc.id, 25, 31, "TIME")
    john = p.add_span(doc.id, 38, 48, "PER")
    reuters = p.add_span(doc.id, 52, 59, "ORG")
    p.add_span(doc.id, 33, 37, "PER", status="suggested", origin="model")  # "said"
    p.add_span(doc.id, 0, 6, "PER", status="rejected")
    p.add_trigger_event(doc.id, 7, 15, "Conflict.Attack",
                        arguments=[("Attacker", rebels.id), ("Place", kabul.id),
                                   ("Time-Within", monday.id)])
    p.add_relation("ORG-AFF.Employment", john.id, reuters.id)
    p.set_status(doc.id, "done")
    other = p.add_document("A second, unfinished story about Paris.", name="paris")
    p.add_span(other.id, 33, 38, "GPE")
    yield p
    p.close()


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_run_export_writes_report_beside_the_data(project, tmp_path, fake_format):
    out = tmp_path / "out" / "data.fake"
    out.parent.mkdir()
    rep = run_export(project, fake_format, out)
    report_path = out.with_name("data.fake.report.json")
    assert report_path.exists() and rep.files[-1] == str(report_path)
    data = json.loads(report_path.read_text(encoding="utf-8"))
    assert data["format"] == "fake" and data["annotator"] == "gold"
    assert data["documents"] == 1  # only documents marked done by default
    assert data["spans_per_label"] == {"Conflict.Attack": 1, "GPE": 1, "ORG": 2, "PER": 1,
                                       "TIME": 1}
    assert data["events_per_type"] == {"Conflict.Attack": 1}
    assert data["relations_per_type"] == {"ORG-AFF.Employment": 1}
    assert data["suggested_skipped"] == 1
    (loss,) = data["not_carried"]
    assert loss["label"] == "TIME" and loss["text"] == "Monday" and loss["document"] == "kabul"
    assert (loss["start"], loss["end"]) == (25, 31)
    assert data["not_carried_by_reason"] == {"values are not carried": 1}
    assert [x["name"] for x in lines(out)] == ["kabul"]
    assert "NOT CARRIED by fake: 1" in rep.summary()


def test_documents_all_and_by_name(project, tmp_path, fake_format):
    out = tmp_path / "all.fake"
    rep = run_export(project, fake_format, out, ExportOptions(documents="all"))
    assert rep.documents == 2 and [x["name"] for x in lines(out)] == ["kabul", "paris"]
    rep = run_export(project, fake_format, out, ExportOptions(documents=["paris"]), force=True)
    assert [x["name"] for x in lines(out)] == ["paris"]
    with pytest.raises(annotator.AnnotatorError, match="nope"):
        run_export(project, fake_format, out, ExportOptions(documents=["nope"]), force=True)


def test_no_document_selected_is_noted(tmp_path, fake_format):
    with annotator.create_project(tmp_path / "n.annproj", annotator="gold") as p:
        p.add_document("Not done yet.", name="x")
        rep = run_export(p, fake_format, tmp_path / "n.fake")
    assert rep.documents == 0 and any("done" in n for n in rep.notes)


def test_include_suggested_and_rejected_never(project, tmp_path, fake_format):
    out = tmp_path / "s.fake"
    rep = run_export(project, fake_format, out, ExportOptions(include_suggested=True))
    spans = lines(out)[0]["spans"]
    assert [33, 37, "PER"] in spans and [0, 6, "PER"] not in spans  # rejected never exported
    assert rep.suggested_skipped == 0


def test_label_map_drops_dependants_and_counts_them(project, tmp_path, fake_format):
    out = tmp_path / "m.fake"
    lm = LabelMap({"ORG": None, "TIME": "DATE"}, coarse=True)
    rep = run_export(project, fake_format, out, ExportOptions(label_map=lm))
    (doc,) = lines(out)
    assert sorted(label for *_, label in doc["spans"]) == ["Conflict", "DATE", "GPE", "PER"]
    # the event lost its Attacker (an ORG span), the relation lost its tail
    assert doc["events"] == [["Conflict", ["Place", "Time-Within"]]]
    assert doc["relations"] == []
    data = json.loads((tmp_path / "m.fake.report.json").read_text(encoding="utf-8"))
    assert data["dropped_by_label_map"] == {"Conflict/Attacker": 1, "ORG": 2,
                                            "ORG-AFF.Employment": 1}
    assert "dropped by the label map: 4" in rep.summary()
    assert data["spans_per_label"] == {"Conflict": 1, "DATE": 1, "GPE": 1, "PER": 1}
    # the project itself is untouched
    assert {s.label for s in project.spans(project.document_by_name("kabul").id, "gold")} >= {
        "ORG", "TIME"}


def test_split_assignment_survives_adding_documents(tmp_path):
    opts = ExportOptions(documents="all", split=(0.6, 0.2, 0.2), seed=3)
    with annotator.create_project(tmp_path / "s.annproj", annotator="gold") as p:
        for i in range(30):
            p.add_document(f"Story number {i} about something.", name=f"s{i}")

        def parts() -> dict[str, str]:
            rep = Report(format="x", out="")
            return {ed.doc.name: ed.split for ed in export_documents(p, opts, rep)}

        before = parts()
        assert set(before.values()) <= {"train", "dev", "test"} and len(set(before.values())) > 1
        for i in range(30, 80):
            p.add_document(f"Story number {i} about something.", name=f"s{i}")
        after = parts()
    assert {k: after[k] for k in before} == before


def test_progress_and_cancel_during_export(project, tmp_path, fake_format):
    from annotator.core.progress import Cancelled

    seen = []
    run_export(project, fake_format, tmp_path / "p.fake", ExportOptions(documents="all"),
               progress=lambda d, t, m: seen.append((d, t)))
    assert seen == [(1, 2), (2, 2)]
    with pytest.raises(Cancelled):
        run_export(project, "jsonl", tmp_path / "c.jsonl", ExportOptions(documents="all"),
                   progress=lambda d, t, m: False)
    assert not (tmp_path / "c.jsonl").exists()
    assert list(tmp_path.glob("c.jsonl*")) == []  # no partial file left behind


def test_unknown_format(project, tmp_path):
    with pytest.raises(annotator.AnnotatorError, match="unknown export format"):
        run_export(project, "nope", tmp_path / "x")


def test_jsonl_report(project, tmp_path):
    out = tmp_path / "data.jsonl"
    rep = run_export(project, "jsonl", out, ExportOptions(documents="all"))
    data = json.loads((tmp_path / "data.jsonl.report.json").read_text(encoding="utf-8"))
    assert data["documents"] == 2 == rep.documents
    # lossless: every set, suggested and rejected spans included, nothing lost
    assert data["spans_per_label"]["PER"] == 3 and data["spans_per_label"]["GPE"] == 2
    assert data["not_carried"] == []
    assert data["files"] == [str(out)]
