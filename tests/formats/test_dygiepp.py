"""DyGIE++ JSONL: structure against the real fixture, token indexing, trigger head rule, losses,
import of the fixtures (nested spans, relations, events, clusters) and round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import annotator
from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Argument, Event, Relation, Span, new_id
from annotator.errors import InputFormatError
from annotator.formats.dygiepp import UNLABELED_ATTR, read
from annotator.formats.export import ExportOptions, run_export

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DY = SHARED / "corpora" / "ie_formats" / "dygiepp"
TEST_JSONL = DY / "test.jsonl"
SCIERC = DY / "scierc_article.json"


@pytest.fixture
def fixtures() -> Path:
    if not DY.is_dir():
        pytest.skip(f"{DY} is absent")
    return DY


def load_lines(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return [json.loads(text)]
    return [json.loads(x) for x in text.splitlines() if x.strip()]


def per_sentence(obj: dict, key: str) -> list[list[str]]:
    return [sorted(json.dumps(x) for x in sent) for sent in obj.get(key, [])]


def span(text: str, sub: str, label: str, kind: str = "entity", nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Span(id=new_id(), doc_id="", start=start, end=start + len(sub), label=label,
                kind=kind, status="gold")


def news_project(tmp_path: Path) -> tuple[annotator.Project, dict[str, Span]]:
    text = ("Russian troops attacked the town of Gori on Friday.\n\n"
            "Local officials said the Georgian army pulled back.")
    s = {
        "troops": span(text, "Russian troops", "PER"),
        "russian": span(text, "Russian", "GPE"),
        "gori": span(text, "Gori", "GPE"),
        "town": span(text, "the town of Gori", "GPE"),
        "friday": span(text, "Friday", "TIME", kind="value"),
        "attack": span(text, "attacked", "Conflict.Attack", kind="trigger"),
        "officials": span(text, "Local officials", "PER"),
        "army": span(text, "the Georgian army", "ORG"),
        "pulled": span(text, "pulled back", "Movement.Transport", kind="trigger"),
        "bad": span(text, "Georgi", "GPE"),
    }
    attack = Event(id=new_id(), doc_id="", type="Conflict.Attack", trigger_id=s["attack"].id,
                   attrs={"realis": "actual"})
    attack.arguments = [
        Argument(id=new_id(), event_id=attack.id, role="Attacker", filler_id=s["troops"].id),
        Argument(id=new_id(), event_id=attack.id, role="Place", filler_id=s["town"].id),
        Argument(id=new_id(), event_id=attack.id, role="Time-Within", filler_id=s["friday"].id),
        Argument(id=new_id(), event_id=attack.id, role="Target", filler_id=s["army"].id)]
    move = Event(id=new_id(), doc_id="", type="Movement.Transport", trigger_id=s["pulled"].id)
    move.arguments = [Argument(id=new_id(), event_id=move.id, role="Artifact",
                               filler_id=s["army"].id)]
    rels = [Relation(id=new_id(), doc_id="", type="GEN-AFF.Citizen-Resident-Religion-Ethnicity",
                     head_id=s["troops"].id, tail_id=s["russian"].id),
            Relation(id=new_id(), doc_id="", type="PHYS.Located", head_id=s["officials"].id,
                     tail_id=s["gori"].id)]
    project = annotator.create_project(tmp_path / "n.annproj", schema="ace2005-news")
    project.add_documents([DocumentInput(text=text, name="gori", status={"gold": "done"},
                                         sets={"gold": Annotations(list(s.values()),
                                                                   [attack, move], rels)})])
    return project, s


def test_export_shape_and_indices(tmp_path: Path) -> None:
    project, _ = news_project(tmp_path)
    out = tmp_path / "d.jsonl"
    rep = run_export(project, "dygiepp", out, ExportOptions())
    (obj,) = load_lines(out)
    assert list(obj) == ["doc_key", "dataset", "sentences", "ner", "relations", "events"]
    assert obj["doc_key"] == "gori" and obj["dataset"] == "annotator"
    assert obj["sentences"] == [
        ["Russian", "troops", "attacked", "the", "town", "of", "Gori", "on", "Friday", "."],
        ["Local", "officials", "said", "the", "Georgian", "army", "pulled", "back", "."]]
    assert sorted(obj["ner"][0]) == [[0, 0, "GPE"], [0, 1, "PER"], [3, 6, "GPE"],
                                     [6, 6, "GPE"], [8, 8, "TIME"]]
    # the "\n\n" token is dropped: sentence 2 starts at index 10, not 11
    assert sorted(obj["ner"][1]) == [[10, 11, "PER"], [13, 15, "ORG"]]
    assert obj["relations"] == [[[0, 1, 0, 0, "GEN-AFF.Citizen-Resident-Religion-Ethnicity"]],
                                []]
    assert obj["events"][0] == [[[2, "Conflict.Attack"], [0, 1, "Attacker"], [3, 6, "Place"],
                                 [8, 8, "Time-Within"]]]
    assert obj["events"][1] == [[[17, "Movement.Transport"], [13, 15, "Artifact"]]]
    reasons = {(x.kind, x.reason) for x in rep.losses}
    assert ("relation", "arguments in different sentences") in reasons
    assert ("argument", "argument outside the trigger's sentence") in reasons
    assert ("span", "not on token boundaries") in reasons
    assert ("attribute", "attributes not carried by DyGIE++") in reasons
    assert any("1 multi-token trigger(s)" in n and "'last'" in n for n in rep.notes)

    first = tmp_path / "f.jsonl"
    run_export(project, "dygiepp", first, ExportOptions(extra={"trigger_head": "first",
                                                               "dataset": "ace-event"}))
    (obj,) = load_lines(first)
    assert obj["events"][1][0][0] == [16, "Movement.Transport"]
    assert obj["dataset"] == "ace-event"


def test_structure_matches_real_fixture(fixtures: Path, tmp_path: Path) -> None:
    project, _ = news_project(tmp_path)
    out = tmp_path / "d.jsonl"
    run_export(project, "dygiepp", out, ExportOptions())
    (ours,) = load_lines(out)
    theirs = next(d for d in load_lines(TEST_JSONL) if d["dataset"] == "ace-event")
    assert set(ours) == {k for k in theirs if not k.startswith("_")}
    for key in ("dataset", "sentences", "ner", "relations", "events"):
        assert type(ours[key]) is type(theirs[key])
    assert len(ours["ner"]) == len(ours["relations"]) == len(ours["events"]) == len(
        ours["sentences"])

    def shapes(obj: dict) -> set:
        found = set()
        for sent in obj["ner"]:
            found |= {("ner", tuple(type(v).__name__ for v in item)) for item in sent}
        for sent in obj["relations"]:
            found |= {("rel", tuple(type(v).__name__ for v in item)) for item in sent}
        for sent in obj.get("events", []):
            for ev in sent:
                found.add(("trigger", tuple(type(v).__name__ for v in ev[0])))
                found |= {("arg", tuple(type(v).__name__ for v in a)) for a in ev[1:]}
        return found

    reference = set().union(*(shapes(d) for d in load_lines(TEST_JSONL)))
    reference.add(("arg", ("int", "int", "str")))  # no argument in the fixture; data.md shape
    assert shapes(ours) <= reference
    assert ("trigger", ("int", "str")) in shapes(ours)
    assert all(isinstance(t, str) and t for s in ours["sentences"] for t in s)


def test_read_fixtures(fixtures: Path) -> None:
    warnings: list[str] = []
    docs = list(read(TEST_JSONL, warn=warnings.append))
    assert [d.name for d in docs] == ["15", "72", "91041706_test", "CVPR_2004_30_abs"]
    d15 = docs[0]
    sents = load_lines(TEST_JSONL)[0]["sentences"]
    assert d15.text.split("\n") == [" ".join(s) for s in sents]
    ann = d15.sets["gold"]
    by_id = ann.span_by_id()
    (rel,) = [r for r in ann.relations
              if d15.text[by_id[r.head_id].start:by_id[r.head_id].end] == "leader"
              and r.type == "ORG-AFF.Employment" and d15.text[by_id[r.tail_id].start:
                                                             by_id[r.tail_id].end] == "Canadian"]
    assert rel.type == "ORG-AFF.Employment"
    events = sorted((e.type, d15.text[by_id[e.trigger_id].start:by_id[e.trigger_id].end])
                    for e in ann.events)
    assert events == [("Justice.Appeal", "appeal"), ("Justice.Sentence", "sentence")]
    assert all(by_id[e.trigger_id].kind == "trigger" for e in ann.events)
    # clusters are coreference chains now (#11.1); clusters="meta" still keeps them aside
    (chain,) = docs[2].sets["gold"].chains
    assert len(chain.mentions) == 4 and "clusters" not in docs[2].meta["dygiepp"]
    spans2 = docs[2].sets["gold"].span_by_id()
    assert all(m in spans2 for m in chain.mentions)
    assert [len(c.mentions) for c in docs[3].sets["gold"].chains] == [2, 2]
    kept = list(read(TEST_JSONL, warn=warnings.append, clusters="meta"))
    assert any("1 clusters (4 mentions) kept" in w for w in warnings)
    assert kept[2].meta["dygiepp"]["clusters"] and not kept[2].sets["gold"].chains
    (sci,) = list(read(SCIERC))
    ranges = {(s.start, s.end) for s in sci.sets["gold"].spans}
    words = [w for s in load_lines(SCIERC)[0]["sentences"] for w in s]

    def chars(i: int, j: int) -> tuple[int, int]:
        toks = [t for t in sci.tokens if sci.text[t[0]:t[1]].strip()]
        return toks[i][0], toks[j][1]

    assert chars(151, 155) in ranges and chars(153, 155) in ranges  # nested spans kept
    assert words[151] == sci.text[chars(151, 151)[0]:chars(151, 151)[1]]


def test_round_trip_fixtures(fixtures: Path, tmp_path: Path) -> None:
    for k, src in enumerate((TEST_JSONL, SCIERC)):
        project = annotator.create_project(tmp_path / f"rt{k}.annproj", schema="ace2005-news")
        project.add_documents(read(src))
        out = tmp_path / f"rt{k}.jsonl"
        rep = run_export(project, "dygiepp", out, ExportOptions())
        assert rep.losses == []
        for a, b in zip(load_lines(src), load_lines(out), strict=True):
            assert b["doc_key"] == a["doc_key"] and b["dataset"] == a["dataset"]
            assert b["sentences"] == a["sentences"]
            for key in ("ner", "relations", "events"):
                if key in a:
                    assert per_sentence(b, key) == per_sentence(a, key), (a["doc_key"], key)
            if "clusters" in a:
                assert sorted(map(json.dumps, b["clusters"])) == sorted(
                    map(json.dumps, a["clusters"]))
            for key in (k for k in a if k.startswith("_")):
                assert b[key] == a[key]


def test_unlabeled_arguments_and_coref_relations(tmp_path: Path) -> None:
    src = tmp_path / "x.jsonl"
    doc = {"doc_key": "x", "dataset": "d",
           "sentences": [["Anna", "met", "Bo", "."], ["She", "left", "."]],
           "ner": [[[0, 0, "PER"]], []],
           "relations": [[[0, 0, 2, 2, "SOC"]], []],
           "events": [[[[1, "Meet"], [0, 0, "Entity"], [2, 2, "Entity"]]], [[[5, "Go"]]]],
           "clusters": [[[0, 0], [4, 4]]]}
    src.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    (d,) = list(read(src, clusters="relations"))
    ann = d.sets["gold"]
    bo = [s for s in ann.spans if d.text[s.start:s.end] == "Bo"]
    assert len(bo) == 1 and bo[0].label == "ARG" and bo[0].attrs == {UNLABELED_ATTR: True}
    assert [r.type for r in ann.relations].count("coref") == 1
    project = annotator.create_project(tmp_path / "x.annproj", schema="ace2005-news")
    project.add_documents(read(src))
    out = tmp_path / "x.out.jsonl"
    rep = run_export(project, "dygiepp", out, ExportOptions())
    (back,) = load_lines(out)
    assert back["ner"] == doc["ner"] and back["relations"] == doc["relations"]
    assert per_sentence(back, "events") == per_sentence(doc, "events")
    assert back["clusters"] == doc["clusters"]
    assert rep.losses == []


def test_bad_input_names_line_and_field(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    good = {"doc_key": "a", "dataset": "d", "sentences": [["A", "b"]], "ner": [[[0, 1, "X"]]]}
    bad = {"doc_key": "b", "dataset": "d", "sentences": [["A", "b"]], "ner": [[[0, 2, "X"]]]}
    src.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match=r"bad.jsonl:2: .*\(field 'ner'\)"):
        list(read(src))
    src.write_text(json.dumps({"doc_key": "c", "sentences": [["A", ""]]}) + "\n")
    with pytest.raises(InputFormatError, match=r"bad.jsonl:1: .*sentences"):
        list(read(src))
