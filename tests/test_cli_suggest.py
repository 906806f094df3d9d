"""``annotator suggest | accept | reject | evaluate`` through the command line's main(),
checked in the project file."""

from __future__ import annotations

import json

import pytest

import annotator
from tests.nlp.tiny_pipeline import train_tiny


@pytest.fixture
def made(tmp_path):
    path = tmp_path / "p.annproj"
    with annotator.create_project(path, annotator="gold") as p:
        a = p.add_document("NATO troops attacked Kabul on Monday.", name="a")
        p.add_document("Reuters said NATO left Kabul.", name="b")
        p.add_span(a.id, 0, 4, "ORG")
        p.add_span(a.id, 21, 26, "GPE")
        p.set_status(a.id, "done")
    return path


def spans(path, name):
    with annotator.open_project(path, annotator="gold", readonly=True) as p:
        doc = p.document_by_name(name)
        return sorted((s.start, s.end, s.label, s.status, s.source) for s in p.spans(doc.id))


def test_suggest_from_gold_then_accept_and_reject(cli, made):
    code, out, err = cli("suggest", made, "--from-gold", "--documents", "b")
    assert code == 0, err
    assert "suggested 2 annotation(s) in 1 of 1 document(s)" in out
    assert spans(made, "b") == [(13, 17, "ORG", "suggested", "gold-dictionary"),
                                (23, 28, "GPE", "suggested", "gold-dictionary")]
    code, out, _ = cli("stats", made, "--json")
    data = json.loads(out)
    assert data["spans"]["gold"] == {"GPE": 1, "ORG": 1}  # suggestions are not gold
    assert data["suggestions"]["gold"]["spans"] == {"GPE": 1, "ORG": 1}
    code, out, err = cli("reject", made, "--documents", "b", "--source", "gold-dictionary")
    assert code == 0 and "rejected: 2 annotation(s) changed in 1 document(s)" in out, err
    cli("suggest", made, "--from-gold", "--documents", "b")  # never proposed again
    assert {s[3] for s in spans(made, "b")} == {"rejected"}


def test_accept_with_a_minimum_score_and_evaluate(cli, made, tmp_path):
    model = train_tiny(tmp_path / "tiny")
    code, out, err = cli("suggest", made, "--model", model, "--documents", "b")
    assert code == 0, err
    code, out, err = cli("accept", made, "--documents", "all", "--min-score", "0.5")
    assert code == 0 and "accepted: 0 annotation(s)" in out  # a ner gives no scores
    code, out, err = cli("accept", made, "--source", str(model))
    assert code == 0 and {s[3] for s in spans(made, "b")} == {"gold"}, err
    report = tmp_path / "scores.json"
    code, out, err = cli("evaluate", made, "--model", model, "--json", report)
    assert code == 0, err
    assert "(overall)" in out and json.loads(report.read_text())["documents"] == 1


def test_a_missing_model_and_no_source_are_one_line_errors(cli, made, tmp_path):
    code, out, err = cli("suggest", made, "--model", tmp_path / "none")
    assert code == 1 and err.count("\n") == 1 and "annotator train" in err
    code, out, err = cli("suggest", made)
    assert code == 1 and "--from-gold" in err and err.count("\n") == 1
    code, out, err = cli("suggest", made, "--model", tmp_path / "none", "--map", "nonsense")
    assert code == 1 and "SOURCE=TARGET" in err and err.count("\n") == 1
