"""spaCy export: each coreference chain is a ``doc.spans["coref_clusters_<n>"]`` group and a
``user_data`` record (docs/formats.md); a discontinuous span is written as its hull, and the
report says so (#11.1, #11.2)."""

from __future__ import annotations

from pathlib import Path

import annotator
from annotator.formats.export import ExportOptions, run_export
from annotator.nlp.training import read_docbin

TEXT = "Barack Obama visited Paris. The president said he liked North and South America."


def test_chains_are_span_groups_and_user_data(tmp_path: Path) -> None:
    project = annotator.create_project(tmp_path / "p.annproj", schema="ace2005-news",
                                       annotator="gold")
    doc = project.add_document(TEXT, name="d")
    obama = project.add_span(doc.id, 0, 12, "PER")
    president = project.add_span(doc.id, 28, 41, "PER")
    he = project.add_span(doc.id, 47, 49, "PER")
    project.add_span(doc.id, 21, 26, "GPE")
    project.add_fragmented_span(doc.id, [(56, 61), (72, 79)], "LOC")
    chain = project.add_chain([obama.id, president.id, he.id], "PER",
                              refs=[("Wikidata", "Q76", "Barack Obama")])
    out = tmp_path / "spacy"
    rep = run_export(project, "spacy", out, ExportOptions(documents="all", annotator="gold"))
    (sdoc,) = read_docbin(out / "all.spacy")
    group = sdoc.spans["coref_clusters_1"]
    assert [(s.text, s.label_) for s in group] == [("Barack Obama", "PER"),
                                                   ("The president", "PER"), ("he", "PER")]
    (record,) = sdoc.user_data["annotator"]["chains"]
    assert record["id"] == chain.id and list(record["mentions"]) == chain.mentions
    assert [list(r) for r in record["refs"]] == [["Wikidata", "Q76", "Barack Obama"]]
    assert "North and South America" in [s.text for s in sdoc.spans["sc"]]  # the hull
    assert "1 discontinuous span(s): written as their hull (spacy)" in rep.notes
    project.close()
