"""Every export report says what the format did with discontinuous spans, chains and
references it cannot carry exactly (#11.1-3), and the lossless formats say nothing."""

from __future__ import annotations

import annotator
from annotator.formats.export import ExportOptions, run_export

TEXT = "North and South America. Obama spoke; the president left."


def test_reports_name_hulls_and_what_is_not_carried(tmp_path):
    project = annotator.create_project(tmp_path / "p.annproj", schema="ace2005-news",
                                       annotator="gold")
    doc = project.add_document(TEXT, name="d")
    project.add_fragmented_span(doc.id, [(0, 5), (16, 23)], "LOC",
                                refs=[("Wikidata", "Q49", "")])
    obama = project.add_span(doc.id, 25, 30, "PER")
    president = project.add_span(doc.id, 38, 51, "PER")
    project.add_chain([obama.id, president.id], refs=[("Wikidata", "Q76", "Barack Obama")])
    opts = ExportOptions(documents="all", annotator="gold")
    notes = {fmt: run_export(project, fmt, tmp_path / f"out.{fmt}", opts).notes
             for fmt in ("conll", "dygiepp", "jsonl", "brat")}
    assert "1 discontinuous span(s): written as their hull (conll)" in notes["conll"]
    assert "1 coreference chain(s): not carried (conll)" in notes["conll"]
    assert "2 knowledge-base reference(s): not carried (conll)" in notes["conll"]
    assert "1 coreference chain(s): written as clusters (dygiepp)" in notes["dygiepp"]
    assert not [n for n in notes["jsonl"] if "chain" in n or "span(s)" in n]
    assert not [n for n in notes["brat"] if "discontinuous" in n]
    project.close()
