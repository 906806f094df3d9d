"""Peer readers on structurally wrong input: an input error naming file, line (or task) and
field, never a TypeError from deep inside the reader (#9.11; found by fuzzing the shared
corpora)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import InputFormatError
from annotator.formats.doccano import read_doccano
from annotator.formats.labelstudio import read_labelstudio
from annotator.formats.prodigy import read_prodigy

SPAN = {"start": 0, "end": 5, "label": "GPE"}


def _jsonl(tmp_path: Path, *records: object) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _refused(read, path: Path, field: str, line: int | None = 1) -> InputFormatError:
    with pytest.raises(InputFormatError) as info:
        list(read(path, warn=lambda m: None))
    exc = info.value
    assert str(path) in str(exc)
    assert exc.field == field, str(exc)
    if line is not None:
        assert exc.line == line, str(exc)
    return exc


@pytest.mark.parametrize("relations", [7, "x", {"head": 0}])
def test_prodigy_relations_not_a_list(tmp_path, relations):
    path = _jsonl(tmp_path, {"text": "Kabul is here.", "answer": "accept", "spans": [SPAN],
                             "relations": relations})
    _refused(read_prodigy, path, "relations")


@pytest.mark.parametrize("label", [["GPE"], {"name": "GPE"}])
def test_prodigy_unhashable_labels(tmp_path, label):
    path = _jsonl(tmp_path, {"text": "Kabul is here.", "answer": "accept",
                             "spans": [dict(SPAN, label=label)]})
    _refused(read_prodigy, path, "spans[0].label")
    # a relation end is found by its offsets when its label cannot match ...
    rel = {"head_span": dict(SPAN, label=label), "child_span": SPAN, "label": "LOC"}
    path = _jsonl(tmp_path, {"text": "Kabul is here.", "answer": "accept", "spans": [SPAN],
                             "relations": [rel]})
    (doc,) = list(read_prodigy(path, warn=lambda m: None))
    (span,), (relation,) = doc.sets["gold"].spans, doc.sets["gold"].relations
    assert relation.head_id == relation.tail_id == span.id
    # ... and refused, naming the field, when no span has them
    rel["head_span"] = {"start": 6, "end": 8, "label": label}
    path = _jsonl(tmp_path, {"text": "Kabul is here.", "answer": "accept", "spans": [SPAN],
                             "relations": [rel]})
    _refused(read_prodigy, path, "relations[0].head_span.label")


@pytest.mark.parametrize("bad_id", [[1], {"id": 1}])
def test_doccano_unhashable_ids(tmp_path, bad_id):
    ent = {"id": bad_id, "start_offset": 0, "end_offset": 5, "label": "GPE"}
    path = _jsonl(tmp_path, {"text": "Kabul is here.", "entities": [ent]})
    _refused(read_doccano, path, "entities[0].id")
    ents = [{"id": 1, "start_offset": 0, "end_offset": 5, "label": "GPE"}]
    rels = [{"from_id": bad_id, "to_id": 1, "type": "LOC"}]
    path = _jsonl(tmp_path, {"text": "Kabul is here.", "entities": ents, "relations": rels})
    _refused(read_doccano, path, "relations[0].from_id")


def _tasks(tmp_path: Path, task: dict) -> Path:
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    return path


def _labels(region_id: object, kind: str = "labels") -> dict:
    value = {"start": 0, "end": 5, "labels": ["GPE"]} if kind == "labels" else {"choices": []}
    return {"id": region_id, "type": kind, "value": value}


def test_labelstudio_predictions_not_a_list(tmp_path):
    path = _tasks(tmp_path, {"data": {"text": "Kabul is here."}, "predictions": 7})
    _refused(read_labelstudio, path, "[0].predictions", line=None)


@pytest.mark.parametrize("kind", ["labels", "choices"])
@pytest.mark.parametrize("region_id", [["r1"], {"id": "r1"}])
def test_labelstudio_unhashable_region_ids(tmp_path, kind, region_id):
    task = {"data": {"text": "Kabul is here."},
            "annotations": [{"result": [_labels(region_id, kind)]}]}
    _refused(read_labelstudio, _tasks(tmp_path, task), "[0].annotations[0].result[0].id",
             line=None)
