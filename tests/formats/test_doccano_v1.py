"""doccano 1.0/1.1 exports keep the text under ``data`` (issue #11 point 7): read them as the
later ``text`` layout (shape from doccano's 1.x export, ``{"id", "data", "label"}``)."""

from __future__ import annotations

import json

from annotator.formats.doccano import read_doccano
from annotator.formats.registry import detect_format


def test_doccano_1x_data_field_is_read(tmp_path):
    f = tmp_path / "export.jsonl"
    rows = [{"id": 1, "data": "Anna Bell flew to Kabul.", "label": [[0, 9, "PER"],
                                                                       [18, 23, "GPE"]],
             "annotation_approver": None, "user": 1},
            {"id": 2, "data": "No labels here.", "label": []}]
    f.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert detect_format(f) == "doccano"
    docs = list(read_doccano(f, warn=lambda m: None))
    assert [d.text for d in docs] == ["Anna Bell flew to Kabul.", "No labels here."]
    spans = docs[0].sets["gold"].spans
    assert [(s.start, s.end, s.label) for s in spans] == [(0, 9, "PER"), (18, 23, "GPE")]
    assert "data" not in docs[0].meta and docs[0].meta["id"] == 1
    assert docs[0].meta["user"] == 1


def test_text_wins_over_data_when_both_are_given(tmp_path):
    f = tmp_path / "export.jsonl"
    f.write_text(json.dumps({"text": "Kabul.", "data": {"source": "x"},
                             "label": [[0, 5, "GPE"]]}) + "\n", encoding="utf-8")
    (doc,) = read_doccano(f, warn=lambda m: None)
    assert doc.text == "Kabul." and doc.meta["data"] == {"source": "x"}
