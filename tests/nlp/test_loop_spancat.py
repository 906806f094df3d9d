"""The model in the loop (Annotate > Train model) trains a span categoriser beside the
entity recogniser: nested gold ("Russian" inside "Russian diplomat") is learnt, and its
spans come back as suggestions with probabilities that the score floor of Suggest reads.
A tiny project is trained in the test (spacy.blank, no download)."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotator

pytest.importorskip("spacy")

SENTENCES = [
    "A Russian diplomat met Carmen Romero in Brussels.",
    "The Russian diplomat said Russia would talk to NATO.",
    "A French diplomat met a Russian envoy in Paris.",
    "NATO said the Russian diplomat left Brussels.",
]
LABELS = {"Russian": "GPE", "French": "GPE", "Russia": "GPE", "Brussels": "GPE",
          "Paris": "GPE", "NATO": "ORG", "Carmen Romero": "PER",
          "Russian diplomat": "PER", "French diplomat": "PER", "Russian envoy": "PER"}


def _project(path: Path) -> annotator.Project:
    p = annotator.create_project(path, annotator="ana")
    for n in range(3):
        for i, base in enumerate(SENTENCES):
            text = f"{base} Update {n}."  # documents are unique
            doc = p.add_document(text, name=f"d{n}-{i}")
            for words, label in LABELS.items():
                start = text.find(words)
                while start >= 0:
                    p.add_span(doc.id, start, start + len(words), label)
                    start = text.find(words, start + 1)
            p.set_status(doc.id, "done")
    return p


def test_train_model_trains_a_span_categoriser_whose_scores_the_floor_reads(tmp_path: Path
                                                                            ) -> None:
    import spacy

    from annotator.gui.suggestions import train_job
    from annotator.nlp.label_maps import build_mapping
    from annotator.nlp.spacy_sources import PipelineSource

    p = _project(tmp_path / "loop.annproj")
    try:
        result = train_job(tmp_path / "models", max_steps=60)(p, lambda *_: True)
        nlp = spacy.load(result.model)
        assert "spancat" in nlp.pipe_names and "ner" in nlp.pipe_names
        known = set(p.schema.span_labels())
        doc_id = p.document_ids()[0]
        items = [(p.document(doc_id), p.annotations(doc_id))]
        source = PipelineSource(nlp, build_mapping(known, [], []), spans_keys=["sc"])
        (batch,) = source.batches(items)
        scored = [(s.start, s.end, s.label, s.score) for s in batch.spans
                  if s.score is not None]
        assert scored, "the span categoriser proposed nothing"
        assert all(0.0 <= score <= 1.0 for *_key, score in scored)
        # nested spans, which a flat entity recogniser cannot give
        keys = {(a, b) for a, b, _label, _score in scored}
        assert any(a <= c and d <= b and (a, b) != (c, d)
                   for a, b in keys for c, d in keys)
        floor = sorted(score for *_key, score in scored)[len(scored) // 2]
        high = PipelineSource(nlp, build_mapping(known, [], []), spans_keys=["sc"],
                              min_score=floor)
        (kept,) = high.batches(items)
        assert {(s.start, s.end, s.label) for s in kept.spans} == {
            (a, b, label) for a, b, label, score in scored if score >= floor}
    finally:
        p.close()
