"""TextEE/OneIE window JSONL: structure against TextEE's demo output, offsets, label spelling,
windows and losses, OneIE valid-pattern files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import annotator
from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Argument, Event, Relation, Span, new_id
from annotator.formats.export import ExportOptions, LabelMap, run_export
from annotator.formats.textee import CROSS_WINDOW, valid_patterns

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEMO_OUTPUT = SHARED / "corpora" / "ie_formats" / "textee" / "demo_output.json"

TEXT = ("Russian troops attacked the town of Gori on Friday.\n\n"
        "Local officials said the Georgian army pulled back from Gori.")


def span(sub: str, label: str, kind: str = "entity", nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(sub, start + 1)
    return Span(id=new_id(), doc_id="", start=start, end=start + len(sub), label=label,
                kind=kind, status="gold")


def make_project(tmp_path: Path, n_docs: int = 1) -> annotator.Project:
    project = annotator.create_project(tmp_path / "t.annproj", schema="ace2005-news")
    docs = []
    for k in range(n_docs):
        s = {"troops": span("Russian troops", "PER"), "town": span("the town of Gori", "GPE"),
             "gori": span("Gori", "GPE"), "friday": span("Friday", "TIME", kind="value"),
             "attack": span("attacked", "Conflict.Attack", kind="trigger"),
             "officials": span("Local officials", "PER"),
             "army": span("the Georgian army", "ORG"),
             "pulled": span("pulled back", "Movement.Transport", kind="trigger"),
             "gori2": span("Gori", "GPE", nth=1), "bad": span("Georgi", "GPE")}
        attack = Event(id=new_id(), doc_id="", type="Conflict.Attack",
                       trigger_id=s["attack"].id)
        attack.arguments = [
            Argument(id=new_id(), event_id=attack.id, role="Attacker", filler_id=s["troops"].id),
            Argument(id=new_id(), event_id=attack.id, role="Place", filler_id=s["town"].id),
            Argument(id=new_id(), event_id=attack.id, role="Target", filler_id=s["army"].id)]
        move = Event(id=new_id(), doc_id="", type="Movement.Transport",
                     trigger_id=s["pulled"].id)
        move.arguments = [
            Argument(id=new_id(), event_id=move.id, role="Artifact", filler_id=s["army"].id),
            Argument(id=new_id(), event_id=move.id, role="Origin", filler_id=s["gori2"].id)]
        rels = [Relation(id=new_id(), doc_id="", type="PHYS.Located",
                         head_id=s["officials"].id, tail_id=s["gori"].id),
                Relation(id=new_id(), doc_id="", type="PART-WHOLE.Geographical",
                         head_id=s["gori"].id, tail_id=s["town"].id)]
        text = TEXT if k == 0 else TEXT + f" ({k})"
        docs.append(DocumentInput(text=text, name=f"gori-{k}", status={"gold": "done"},
                                  sets={"gold": Annotations(list(s.values()), [attack, move],
                                                            rels)}))
    project.add_documents(docs)
    return project


def read_lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def check_offsets(line: dict) -> None:
    text, tokens = line["text"], line["tokens"]
    mentions = list(line["entity_mentions"])
    for ev in line["event_mentions"]:
        mentions.append(ev["trigger"])
        mentions.extend(ev["arguments"])
    for rel in line["relation_mentions"]:
        mentions.extend(rel["arguments"])
    for m in mentions:
        assert text[m["offset_start"]:m["offset_end"]] == m["text"]
        assert "".join(tokens[m["start"]:m["end"]]) == m["text"].replace(" ", "")
        assert 0 <= m["start"] < m["end"] <= len(tokens)


def test_export_lines_offsets_and_losses(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    out = tmp_path / "t.jsonl"
    rep = run_export(project, "textee", out, ExportOptions(label_map=LabelMap(separator=":")))
    lines = read_lines(out)
    assert [x["wnd_id"] for x in lines] == ["gori-0-0", "gori-0-1"]
    assert lines[0]["text"] == "Russian troops attacked the town of Gori on Friday."
    assert lines[1]["tokens"][:2] == ["Local", "officials"]
    for line in lines:
        check_offsets(line)
    (attack,) = lines[0]["event_mentions"]
    assert attack["event_type"] == "Conflict:Attack"
    assert attack["trigger"] == {"text": "attacked", "start": 2, "end": 3, "offset_start": 15,
                                 "offset_end": 23}
    assert [(a["role"], a["text"]) for a in attack["arguments"]] == [
        ("Attacker", "Russian troops"), ("Place", "the town of Gori")]
    ents = {e["id"]: e for e in lines[0]["entity_mentions"]}
    assert all(a["entity_id"] in ents for a in attack["arguments"])
    assert ents[attack["arguments"][0]["entity_id"]]["entity_type"] == "PER"
    (move,) = lines[1]["event_mentions"]
    assert move["trigger"]["start"] == 6 and move["trigger"]["end"] == 8  # multi-token trigger
    assert move["arguments"][1] == {"entity_id": move["arguments"][1]["entity_id"],
                                    "role": "Origin", "text": "Gori", "start": 9, "end": 10,
                                    "offset_start": 56, "offset_end": 60}
    (rel,) = lines[0]["relation_mentions"]
    assert rel["relation_type"] == "PART-WHOLE:Geographical"
    assert [(a["role"], a["text"]) for a in rel["arguments"]] == [("Arg-1", "Gori"),
                                                                  ("Arg-2", "the town of Gori")]
    assert lines[1]["relation_mentions"] == []
    reasons = {(x.kind, x.reason) for x in rep.losses}
    assert ("relation", "arguments in different sentences (windows)") in reasons
    assert ("argument", "argument outside the trigger's sentence (window)") in reasons
    assert ("span", "not on token boundaries") in reasons
    assert any("valid-pattern files" in n for n in rep.notes)


def test_bigger_windows_keep_cross_sentence_arguments(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    out = tmp_path / "w.jsonl"
    rep = run_export(project, "textee", out, ExportOptions(extra={"window": 2}))
    (line,) = read_lines(out)
    check_offsets(line)
    assert len(line["relation_mentions"]) == 2
    (attack,) = [e for e in line["event_mentions"] if e["event_type"] == "Conflict.Attack"]
    assert [a["role"] for a in attack["arguments"]] == ["Attacker", "Place", "Target"]
    assert not any(x.reason == CROSS_WINDOW or "different sentences" in x.reason
                   for x in rep.losses)


def test_structure_matches_textee_demo_output(tmp_path: Path) -> None:
    if not DEMO_OUTPUT.is_file():
        pytest.skip(f"{DEMO_OUTPUT} is absent")
    theirs = read_lines(DEMO_OUTPUT)
    project = make_project(tmp_path)
    out = tmp_path / "t.jsonl"
    run_export(project, "textee", out, ExportOptions(label_map=LabelMap(separator=":")))
    ours = read_lines(out)
    for line in ours:
        assert {k for t in theirs for k in t} <= set(line)
        for k, v in theirs[0].items():
            assert type(line[k]) is type(v)
    their_ev = next(ev for t in theirs for ev in t["event_mentions"] if ev["arguments"])
    (our_ev,) = ours[0]["event_mentions"]
    assert set(their_ev) <= set(our_ev)
    assert set(our_ev["trigger"]) == set(their_ev["trigger"])
    assert set(their_ev["arguments"][0]) <= set(our_ev["arguments"][0])
    for key, value in their_ev["arguments"][0].items():
        assert type(our_ev["arguments"][0][key]) is type(value)
    assert ":" in their_ev["event_type"] and ":" in our_ev["event_type"]
    for t in theirs:  # the fixture's own invariant, which ours keeps too
        for ev in t["event_mentions"]:
            tr = ev["trigger"]
            assert t["text"][tr["offset_start"]:tr["offset_end"]] == tr["text"]


def test_folder_output_splits_and_patterns(tmp_path: Path) -> None:
    project = make_project(tmp_path, n_docs=12)
    out = tmp_path / "textee"
    lm = LabelMap(separator=":")
    rep = run_export(project, "textee", out, ExportOptions(split=(0.5, 0.5), seed=2,
                                                           label_map=lm))
    files = sorted(p.name for p in out.glob("*.json") if p.name != "report.json")
    assert files == ["dev.json", "train.json"]
    assert len({x["doc_id"] for x in read_lines(out / "train.json")}) == rep.splits["train"]
    patterns = {p.name: json.loads(p.read_text()) for p in (out / "patterns").glob("*.json")}
    assert set(patterns) == {"event_role.json", "role_entity.json", "relation_entity.json"}
    assert "Attacker" in patterns["event_role.json"]["Conflict:Attack"]
    assert "PER" in patterns["role_entity.json"]["Attacker"]
    assert set(patterns["relation_entity.json"]["PHYS:Located"]) >= {"PER", "GPE"}
    assert patterns == valid_patterns(project.schema, lm)
