"""Prodigy entity-linking answers (``el.manual``/``nel``: one span, ``options`` with ids,
``accept: ["Q312545"]``, as explosion/projects' nel_emerson tutorial writes them) keep the
accepted id as a reference of the span (#11.3); "no link" answers are reported."""

from __future__ import annotations

import json

import annotator
from annotator.core.model import Reference
from annotator.formats.prodigy import read_prodigy

TEXT = "Emerson was born in Boston."
RECORDS = [
    {"text": TEXT, "spans": [{"start": 0, "end": 7, "label": "PERSON"}],
     "options": [{"id": "Q48226", "html": "<a>Q48226</a>: Ralph Waldo Emerson"},
                 {"id": "Q312545", "text": "Roy Emerson"},
                 {"id": "NIL_otherLink", "text": "Link not in options"}],
     "accept": ["Q312545"], "answer": "accept", "_view_id": "choice"},
    {"text": "Emerson played tennis.", "spans": [{"start": 0, "end": 7, "label": "PERSON"}],
     "options": [{"id": "Q312545"}, {"id": "NIL_otherLink", "text": "Link not in options"}],
     "accept": ["NIL_otherLink"], "answer": "accept", "_view_id": "choice"},
]


def test_entity_linking_answers_become_references(tmp_path):
    path = tmp_path / "nel.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    warnings: list[str] = []
    first, second = list(read_prodigy(path, warn=warnings.append))
    (span,) = first.sets["gold"].spans
    assert span.refs == [Reference("", "Q312545", "Roy Emerson")] and span.kb_id == "Q312545"
    assert second.sets["gold"].spans[0].refs == []
    assert any("nel.jsonl:2" in w and "NIL_otherLink" in w for w in warnings)
    assert not any("classification" in w for w in warnings)
    project = annotator.create_project(tmp_path / "p.annproj")  # and they are stored
    project.add_documents([first])
    doc = project.document_ids()[0]
    assert project.spans(doc, "gold")[0].refs == span.refs
    project.close()
