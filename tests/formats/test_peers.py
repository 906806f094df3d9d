"""Prodigy, doccano and Label Studio importers: the real peer files (counts checked against
counts computed from the raw JSON), imports into real projects, and malformed input."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import annotator
from annotator.core.schema import Schema
from annotator.errors import InputFormatError
from annotator.formats import peers
from annotator.formats.registry import detect_format, reader

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
PEERS = SHARED / "corpora" / "peers"
NEWS = PEERS / "prodigy" / "annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl"
REL = PEERS / "prodigy" / "annotations.jsonl"
DOCCANO_SEQ = PEERS / "doccano" / "sequence_labeling" / "example.jsonl"
DOCCANO_REL = PEERS / "doccano" / "relation_extraction" / "example.jsonl"
LS_ANN = PEERS / "label-studio" / "named_entity" / "annotations" / "1.json"
LS_TASKS = PEERS / "label-studio" / "named_entity" / "tasks.json"


def need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"shared corpora not available: {path}")


def raw_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def import_into(tmp_path: Path, fmt: str, path: Path, schema=None, **kw):
    n = len(list(tmp_path.glob("*.annproj")))
    project = annotator.create_project(tmp_path / f"{fmt}-{n}.annproj",
                                       schema=schema if schema is not None else Schema())
    warnings: list[str] = []
    rep = project.add_documents(reader(fmt)(path, warn=warnings.append, **kw))
    return project, rep, warnings


def all_annotations(project, who="gold"):
    for doc_id in project.document_ids():
        doc = project.document(doc_id)
        yield doc, project.annotations(doc_id, who)


# ---- Prodigy ------------------------------------------------------------------------------
def test_prodigy_news_headlines(tmp_path):
    need(NEWS)
    recs = raw_records(NEWS)
    accepted = [r for r in recs if r["answer"] == "accept"]
    want_spans = Counter(s["label"] for r in accepted for s in r.get("spans") or [])
    assert detect_format(NEWS) == "prodigy"
    # default schema (ace2005-news) lacks ORG/LOCATION/...: imports do not validate labels,
    # project.check() reports them
    project, rep, warnings = import_into(tmp_path, "prodigy", NEWS, schema="ace2005-news")
    assert len(rep.added) == len(accepted) == 372
    assert rep.spans == sum(want_spans.values()) == 303 and rep.relations == 0
    assert project.stats()["spans"]["gold"] == dict(want_spans)
    ignored = [i for i, r in enumerate(recs, 1) if r["answer"] != "accept"]
    assert any(f"{NEWS}:{ignored[0]}: answer 'ignore'" in w for w in warnings)
    assert not [w for w in warnings if "does not match" in w]
    # spans land on the same characters as in the raw file
    got = Counter()
    for doc, ann in all_annotations(project):
        assert doc.meta["source"] == "The New York Times"
        assert doc.tokens  # re-tokenised by the project, not taken from the record
        for s in ann.spans:
            assert s.status == "gold" and s.origin == "import"
            got[(doc.text, s.start, s.end, s.label)] += 1
    want = Counter((r["text"], s["start"], s["end"], s["label"]) for r in accepted
                   for s in r.get("spans") or [])
    assert got == want
    assert all(project.status(d, "gold") == "done" for d in project.document_ids())
    unknown = [p for p in project.check() if "LOCATION" in p.message]
    assert unknown, "project.check() should report labels missing from the schema"
    project.close()


def test_prodigy_rel_manual(tmp_path):
    need(REL)
    recs = raw_records(REL)
    project, rep, warnings = import_into(tmp_path, "prodigy", REL)
    n_spans = sum(len(r["spans"]) for r in recs)
    n_rels = sum(len(r["relations"]) for r in recs)
    assert (len(rep.added), rep.spans, rep.relations) == (149, n_spans, n_rels) == (149, 466, 267)
    want = Counter((r["text"], x["head_span"]["start"], x["head_span"]["end"],
                    x["child_span"]["start"], x["child_span"]["end"], x["label"])
                   for r in recs for x in r["relations"])
    got = Counter()
    for doc, ann in all_annotations(project):
        sp = ann.span_by_id()
        for r in ann.relations:
            h, c = sp[r.head_id], sp[r.tail_id]
            got[(doc.text, h.start, h.end, c.start, c.end, r.type)] += 1
    assert got == want
    assert project.stats()["relations"]["gold"] == dict(Counter(
        x["label"] for r in recs for x in r["relations"]))
    assert not warnings
    project.close()


def write_lines(tmp_path: Path, name: str, lines: list) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)
                              for x in lines) + "\n", encoding="utf-8")
    return path


def test_prodigy_policies(tmp_path):
    text = "Ann met Bob in Rome"
    path = write_lines(tmp_path, "p.jsonl", [
        {"text": text, "answer": "accept",
         "spans": [{"start": 0, "end": 3, "label": "PER", "text": "Anna", "token_end": 0},
                   {"start": 8, "end": 11, "label": "PER", "token_end": 2}],
         "relations": [{"head": 0, "child": 2, "label": "MEETS"},
                       {"head_span": {"start": 15, "end": 19, "label": "LOC"},
                        "child_span": {"start": 8, "end": 11, "label": "PER"}, "label": "X"}]},
        {"text": "rejected", "answer": "reject", "spans": []},
        {"text": "a task", "spans": [{"start": 0, "end": 1, "label": "X"}]},
    ])
    warnings: list[str] = []
    docs = list(peers.read_prodigy(path, warn=warnings.append))
    assert len(docs) == 2
    a = docs[0].sets["gold"]
    assert docs[0].tokens is None
    assert [(s.start, s.end) for s in a.spans] == [(0, 3), (8, 11), (15, 19)]
    assert [r.type for r in a.relations] == ["MEETS", "X"]
    joined = "\n".join(warnings)
    assert "p.jsonl:1 spans[0]: text 'Anna'" in joined
    assert "token_end" in joined and "not among the record's spans" in joined
    assert "p.jsonl:2: answer 'reject'" in joined
    assert docs[1].sets["gold"].spans[0].status == "suggested" and docs[1].status == {}


@pytest.mark.parametrize("line, field, what", [
    ('{"text": "abc", "answer": "accept"', None, "not valid JSON"),
    ('[1, 2]', None, "JSON object"),
    ('{"answer": "accept"}', "text", "text"),
    ('{"text": "abc", "answer": "accept", "spans": [{"start": 0, "end": 9, "label": "X"}]}',
     "spans[0]", "outside"),
    ('{"text": "abc", "answer": "accept", "spans": [{"start": "0", "end": 2, "label": "X"}]}',
     "spans[0]", "integers"),
    ('{"text": "abc", "answer": "accept", "spans": [{"start": 0, "end": 2}]}',
     "spans[0].label", "label"),
    ('{"text": "abc", "answer": "accept", "spans": [], "relations": '
     '[{"head": 0, "child": 1, "label": "R"}]}', "relations[0].head_span", "resolve"),
    ('{"text": "abc", "answer": "maybe"}', "answer", "unknown answer"),
])
def test_prodigy_malformed(tmp_path, line, field, what):
    path = write_lines(tmp_path, "bad.jsonl", ['{"text": "ok", "answer": "accept"}', line])
    with pytest.raises(InputFormatError) as exc:
        list(peers.read_prodigy(path, warn=lambda m: None))
    msg = str(exc.value)
    assert "bad.jsonl:2" in msg and what in msg, msg
    if field:
        assert exc.value.field == field


# ---- doccano ------------------------------------------------------------------------------
def test_doccano_real_files(tmp_path):
    need(DOCCANO_SEQ)
    recs = raw_records(DOCCANO_SEQ)
    project, rep, _ = import_into(tmp_path, "doccano", DOCCANO_SEQ)
    assert len(rep.added) == len(recs) == 3
    want = Counter((r["text"], s, e, lab) for r in recs for s, e, lab in r["label"])
    got = Counter((d.text, s.start, s.end, s.label) for d, a in all_annotations(project)
                  for s in a.spans)
    assert got == want and rep.spans == 4
    project.close()

    recs = raw_records(DOCCANO_REL)
    project, rep, _ = import_into(tmp_path, "doccano", DOCCANO_REL)
    assert (rep.spans, rep.relations) == (4, 3)
    ((doc, ann),) = list(all_annotations(project))
    sp = ann.span_by_id()
    got = Counter((doc.text[sp[r.head_id].start:sp[r.head_id].end],
                   doc.text[sp[r.tail_id].start:sp[r.tail_id].end], r.type)
                  for r in ann.relations)
    ents = {e["id"]: recs[0]["text"][e["start_offset"]:e["end_offset"]]
            for e in recs[0]["entities"]}
    assert got == Counter((ents[r["from_id"]], ents[r["to_id"]], r["type"])
                          for r in recs[0]["relations"])
    project.close()


def test_doccano_utf16_offsets(tmp_path):
    text = "Fire 🔥 in Kyiv killed 3."
    # the browser counts 🔥 as two units: Kyiv = [11, 15) in UTF-16, [10, 14) in code points
    path = write_lines(tmp_path, "u.jsonl", [{"text": text, "label": [[11, 15, "GPE"]],
                                              "id": 7, "Comments": []}])
    (doc,) = list(peers.read_doccano(path, offsets="utf16"))
    (s,) = doc.sets["gold"].spans
    assert text[s.start:s.end] == "Kyiv" and doc.meta == {"id": 7}
    (doc,) = list(peers.read_doccano(path))
    (s,) = doc.sets["gold"].spans
    assert text[s.start:s.end] == "yiv " or text[s.start:s.end] != "Kyiv"
    bad = write_lines(tmp_path, "s.jsonl", [{"text": text, "label": [[6, 9, "X"]]}])
    with pytest.raises(InputFormatError, match="s.jsonl:1.*surrogate"):
        list(peers.read_doccano(bad, offsets="utf16"))


def test_doccano_categories_reported(tmp_path):
    path = write_lines(tmp_path, "c.jsonl", [{"text": "Good news", "label": ["positive"]}])
    warnings: list[str] = []
    (doc,) = list(peers.read_doccano(path, warn=warnings.append))
    assert doc.sets["gold"].spans == [] and "positive" in warnings[0]
    assert "c.jsonl:1" in warnings[0]


@pytest.mark.parametrize("rec, field, what", [
    ({"text": "abc", "label": [[2, 1, "X"]]}, "label[0]", "outside"),
    ({"text": "abc", "label": [[0, 4, "X"]]}, "label[0]", "outside"),
    ({"text": "abc", "label": [[0, 2]]}, "label[0]", "expected [start, end, label]"),
    ({"text": "abc", "entities": [{"id": 1, "start_offset": 0, "end_offset": 1, "label": "A"}],
      "relations": [{"from_id": 1, "to_id": 9, "type": "R"}]}, "relations[0].to_id",
     "not the id of an entity"),
    ({"text": "abc", "entities": [{"id": 1, "start_offset": 0, "end_offset": 1, "label": "A"},
                                  {"id": 1, "start_offset": 1, "end_offset": 2, "label": "A"}]},
     "entities[1].id", "used twice"),
])
def test_doccano_malformed(tmp_path, rec, field, what):
    path = write_lines(tmp_path, "bad.jsonl", [{"text": "fine", "label": []}, rec])
    with pytest.raises(InputFormatError) as exc:
        list(peers.read_doccano(path))
    assert "bad.jsonl:2" in str(exc.value) and what in str(exc.value)
    assert exc.value.field == field
    path = write_lines(tmp_path, "json.jsonl", ['{"text": "fine"}', "{oops"])
    with pytest.raises(InputFormatError, match="json.jsonl:2: not valid JSON"):
        list(peers.read_doccano(path))


# ---- Label Studio -------------------------------------------------------------------------
def test_labelstudio_real_files(tmp_path):
    need(LS_ANN)
    raw = json.loads(LS_ANN.read_text(encoding="utf-8"))
    assert isinstance(raw, dict)  # a single task object, not a list
    project, rep, warnings = import_into(tmp_path, "labelstudio", LS_ANN)
    assert len(rep.added) == 1 and rep.spans == 1 and not warnings
    ((doc, ann),) = list(all_annotations(project))
    (s,) = ann.spans
    value = raw["annotations"][0]["result"][0]["value"]
    assert (s.start, s.end, s.label) == (value["start"], value["end"], "Date") == (343, 354,
                                                                                   "Date")
    assert doc.text[s.start:s.end] == "February 22" and s.status == "gold"
    assert project.status(doc.id, "gold") == "done"
    project.close()

    project, rep, warnings = import_into(tmp_path, "labelstudio", LS_TASKS)
    ((doc, ann),) = list(all_annotations(project))
    (s,) = ann.spans
    assert (s.start, s.end, s.status, s.origin) == (343, 354, "suggested", "model")
    assert project.status(doc.id, "gold") == "new"
    project.close()
    project, rep, warnings = import_into(tmp_path, "labelstudio", LS_TASKS,
                                         include_predictions=False)
    assert rep.spans == 0 and any("prediction" in w for w in warnings)
    project.close()


def ls_task(result, **extra):
    return {"id": 5, "data": {"text": "Microsoft was founded by Bill Gates.", "title": "T"},
            "annotations": [{"id": 1, "completed_by": 3, "was_cancelled": False,
                             "result": result}], **extra}


REGIONS = [
    {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
     "value": {"start": 0, "end": 9, "text": "Microsoft", "labels": ["Organization"]}},
    {"id": "b", "type": "labels", "from_name": "label", "to_name": "text",
     "value": {"start": 25, "end": 35, "text": "Bill Gatez", "labels": ["Person", "Founder"]}},
]


def test_labelstudio_relations_and_policies(tmp_path):
    result = REGIONS + [
        {"from_id": "a", "to_id": "b", "type": "relation", "direction": "right",
         "labels": ["org:founded_by"]},
        {"from_id": "a", "to_id": "b", "type": "relation", "direction": "left", "labels": []},
        {"from_id": "a", "to_id": "b", "type": "relation", "direction": "bi",
         "labels": ["x", "y"]},
        {"id": "a", "type": "choices", "value": {"choices": ["important"]}},
        {"id": "zz", "type": "textarea", "value": {"text": ["a comment"]}},
    ]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([ls_task(result)]), encoding="utf-8")
    warnings: list[str] = []
    (doc,) = list(peers.read_labelstudio(path, warn=warnings.append))
    a = doc.sets["gold"]
    spans = {(s.label): s for s in a.spans}
    assert set(spans) == {"Organization", "Person", "Founder"}
    rels = [(r.type, spans_of(a, r)) for r in a.relations]
    assert rels == [("org:founded_by", ("Organization", "Person")),
                    ("related", ("Person", "Organization")),
                    ("x", ("Organization", "Person")), ("y", ("Organization", "Person"))]
    joined = "\n".join(warnings)
    for needle in ("Bill Gatez", "several labels", "type 'related'", "bidirectional",
                   "per-region 'choices'", "task-level 'textarea'"):
        assert needle in joined, needle
    assert doc.name == "task-5" and doc.meta == {"title": "T", "labelstudio_id": 5}
    assert doc.status == {"gold": "done"}


def spans_of(a, r):
    sp = a.span_by_id()
    return sp[r.head_id].label, sp[r.tail_id].label


def test_labelstudio_which_all_cancelled_and_predictions(tmp_path):
    task = ls_task(REGIONS[:1])
    task["annotations"] += [
        {"id": 2, "completed_by": {"email": "bo@x.org"}, "result": REGIONS[1:]},
        {"id": 3, "completed_by": 4, "was_cancelled": True, "result": REGIONS},
    ]
    task["predictions"] = [{"model_version": "m", "result": REGIONS}]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    warnings: list[str] = []
    (doc,) = list(peers.read_labelstudio(path, warn=warnings.append))
    gold = doc.sets["gold"]
    assert [(s.label, s.status) for s in gold.spans] == [
        ("Organization", "gold"), ("Person", "suggested"), ("Founder", "suggested")]
    assert any("cancelled" in w for w in warnings) and any("1 more" in w for w in warnings)
    (doc,) = list(peers.read_labelstudio(path, which="all", warn=warnings.append))
    assert set(doc.sets) == {"user3", "bo@x.org"}
    assert doc.status == {"user3": "done", "bo@x.org": "done"}
    project = annotator.create_project(tmp_path / "p.annproj", schema=Schema())
    rep = project.add_documents(peers.read_labelstudio(path, which="all",
                                                       warn=lambda m: None))
    assert rep.spans == 5 and set(project.annotators()) == {"user3", "bo@x.org"}
    project.close()


@pytest.mark.parametrize("payload, what", [
    ("[{\"data\": {\"text\": \"abc\"}}, {oops", "not valid JSON"),
    (json.dumps([{"data": {"text": "abc"}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "value": {"start": 1, "end": 7, "labels": ["X"]}}]}]}]),
     "outside"),
    (json.dumps([{"data": {"text": "abc"}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "value": {"start": 0, "end": 1, "labels": ["X"]}},
        {"type": "relation", "from_id": "a", "to_id": "q", "labels": []}]}]}]),
     "to_id 'q' is not a labelled region"),
    (json.dumps([{"data": {"a": "x", "b": "y"}}]), "text_key"),
    (json.dumps({"tasks": 1}), "data"),
])
def test_labelstudio_malformed(tmp_path, payload, what):
    path = tmp_path / "bad.json"
    path.write_text(payload, encoding="utf-8")
    with pytest.raises(InputFormatError) as exc:
        list(peers.read_labelstudio(path))
    assert "bad.json" in str(exc.value) and what in str(exc.value), str(exc.value)


def test_detect_format_on_real_files():
    need(NEWS)
    assert detect_format(REL) == "prodigy"
    assert detect_format(DOCCANO_SEQ) == "doccano"
    assert detect_format(DOCCANO_REL) == "doccano"
    assert detect_format(LS_ANN) == "labelstudio"
    assert detect_format(LS_TASKS) == "labelstudio"


def test_labelstudio_utf16_offsets(tmp_path):
    text = "😀 Kyiv is big"
    task = {"data": {"text": text}, "annotations": [{"result": [
        {"id": "a", "type": "labels",
         "value": {"start": 3, "end": 7, "text": "Kyiv", "labels": ["GPE"]}}]}]}
    path = tmp_path / "u.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    (doc,) = list(peers.read_labelstudio(path, offsets="utf16"))
    (s,) = doc.sets["gold"].spans
    assert text[s.start:s.end] == "Kyiv"
    warnings: list[str] = []
    (doc,) = list(peers.read_labelstudio(path, warn=warnings.append))  # code points: off by one
    assert any("does not match" in w for w in warnings)


def test_custom_set_name_for_every_reader(tmp_path):
    need(REL)
    for fmt, path in (("prodigy", REL), ("doccano", DOCCANO_REL), ("labelstudio", LS_ANN)):
        docs = list(reader(fmt)(path, annotator="imported", warn=lambda m: None))
        assert all(set(d.sets) == {"imported"} and d.status == {"imported": "done"}
                   for d in docs), fmt
        assert all(s.origin == "import" and s.status == "gold"
                   for d in docs for s in d.sets["imported"].spans), fmt
