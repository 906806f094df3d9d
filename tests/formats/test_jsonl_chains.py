"""Native JSONL carries ACE-style entities (a chain's id, type, references and its mentions'
span ids), fragments and references exactly; a bad chain or fragment list is refused naming the
line and the field (#11.1-3)."""

from __future__ import annotations

import json

import pytest

from annotator.core.model import Reference
from annotator.errors import InputFormatError
from annotator.formats import jsonl

TEXT = "North and South America. Obama spoke; the president left."
LINE = {
    "text": TEXT,
    "sets": {"gold": {
        "spans": [
            {"id": "AFP-1-E1-1", "start": 25, "end": 30, "label": "PER",
             "refs": [{"db": "Wikidata", "id": "Q76", "name": ""}]},
            {"id": "AFP-1-E1-2", "start": 38, "end": 51, "label": "PER"},
            {"id": "AFP-1-E2-1", "start": 0, "end": 23, "label": "LOC",
             "fragments": [[0, 5], [16, 23]]},
        ],
        "chains": [{"id": "AFP-1-E1", "type": "PER", "mentions": ["AFP-1-E1-1", "AFP-1-E1-2"],
                    "refs": [{"db": "Wikidata", "id": "Q76", "name": "Barack Obama"}],
                    "attrs": {"class": "SPC"}}],
    }},
}


def test_ace_style_entities_fragments_and_references_are_read():
    d = jsonl.parse_line(json.dumps(LINE))
    ann = d.sets["gold"]
    (chain,) = ann.chains
    assert chain.id == "AFP-1-E1" and chain.mentions == ["AFP-1-E1-1", "AFP-1-E1-2"]
    assert chain.refs == [Reference("Wikidata", "Q76", "Barack Obama")]
    assert chain.attrs == {"class": "SPC"}
    spans = ann.span_by_id()
    assert spans["AFP-1-E1-1"].refs == [Reference("Wikidata", "Q76", "")]
    assert spans["AFP-1-E2-1"].fragments == [(0, 5), (16, 23)]
    out = jsonl.annotations_to_json(ann)
    assert out["chains"][0]["mentions"] == ["AFP-1-E1-1", "AFP-1-E1-2"]
    assert out["spans"][2]["fragments"] == [[0, 5], [16, 23]]


@pytest.mark.parametrize("change, field", [
    (lambda o: o["chains"][0]["mentions"].append("nope"), "sets.gold.chains[0].mentions[2]"),
    (lambda o: o["spans"][2].update(fragments=[[0, 5], [4, 23]]), "sets.gold.spans[2].fragments"),
    (lambda o: o["spans"][2].update(fragments=[[0, 5], [16, 22]]), "sets.gold.spans[2].fragments"),
])
def test_a_bad_chain_or_fragment_names_the_field(change, field):
    obj = json.loads(json.dumps(LINE))
    change(obj["sets"]["gold"])
    with pytest.raises(InputFormatError) as exc:
        jsonl.parse_line(json.dumps(obj), path="x.jsonl", line_no=3)
    assert "x.jsonl" in str(exc.value) and ":3" in str(exc.value) and field in str(exc.value)
