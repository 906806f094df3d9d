"""Format limits named in the export report each time they bite (issue #11 point 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import annotator
from annotator.errors import AnnotatorError
from annotator.formats.export import ExportOptions, run_export


@pytest.fixture
def project(tmp_path):
    proj = annotator.create_project(tmp_path / "p.annproj", schema="ace2005-news",
                                    annotator="gold")
    yield proj
    proj.close()


def _export(project, fmt: str, out: Path, **extra):
    return run_export(project, fmt, out, ExportOptions(documents="all", extra=extra))


# ---- DyGIE++ --------------------------------------------------------------------------------
LONG = ("The International Association of Independent Tanker Owners of the North Sea said "
        "on Monday that Anna attacked and killed Bo.")


def _dygie_doc(project):
    doc = project.add_document(LONG, name="d")
    org = project.add_span(doc.id, 0, 75, "ORG")   # 11 tokens
    project.add_span(doc.id, 0, 75, "GPE")         # the same span, a second label
    anna = project.add_span(doc.id, 96, 100, "PER")
    bo = project.add_span(doc.id, 121, 123, "PER")
    project.add_trigger_event(doc.id, 101, 109, "Conflict.Attack",
                              arguments=[("Attacker", anna.id), ("Target", bo.id)])
    project.add_relation("ORG-AFF.Employment", anna.id, org.id)
    return doc


def test_dygiepp_report_names_its_readers_limits(project, tmp_path):
    _dygie_doc(project)
    rep = _export(project, "dygiepp", tmp_path / "d.jsonl")
    notes = "\n".join(rep.notes)
    assert "1 span(s) carry two or more NER labels" in notes and "GPE/ORG" in notes  # labels sorted: ids decide the span order
    assert "longer than max_span_width=8 tokens" in notes
    assert "(11 tokens)" in notes
    width = next(n for n in rep.notes if "max_span_width" in n)
    assert width.startswith("DyGIE++: 3 span(s)")  # two entities and a relation end
    obj = json.loads((tmp_path / "d.jsonl").read_text(encoding="utf-8"))
    assert sum(len(s) for s in obj["ner"]) == 4  # the file keeps them all


def test_dygiepp_max_span_width_option(project, tmp_path):
    _dygie_doc(project)
    rep = _export(project, "dygiepp", tmp_path / "d.jsonl", max_span_width="12")
    assert not any("max_span_width" in n for n in rep.notes)
    with pytest.raises(AnnotatorError, match="max_span_width must be a whole number"):
        _export(project, "dygiepp", tmp_path / "e.jsonl", max_span_width="wide")


def test_dygiepp_events_sharing_a_trigger_token(project, tmp_path):
    doc = project.add_document("Anna attacked Bo.", name="d")
    anna = project.add_span(doc.id, 0, 4, "PER")
    ev = project.add_trigger_event(doc.id, 5, 13, "Conflict.Attack",
                                   arguments=[("Attacker", anna.id)])
    project.add_trigger_event(doc.id, 5, 13, "Life.Injure", arguments=[("Agent", anna.id)])
    assert ev is not None
    rep = _export(project, "dygiepp", tmp_path / "d.jsonl")
    note = next(n for n in rep.notes if "share a trigger token" in n)
    assert note.startswith("DyGIE++: 1 event(s)") and "Conflict.Attack/Life.Injure" in note


def test_dygiepp_quiet_when_nothing_bites(project, tmp_path):
    doc = project.add_document("Anna attacked Bo.", name="d")
    project.add_span(doc.id, 0, 4, "PER")
    rep = _export(project, "dygiepp", tmp_path / "d.jsonl")
    assert not any(k in n for n in rep.notes
                   for k in ("max_span_width", "NER labels", "trigger token"))


# ---- CoNLL IOB1 -----------------------------------------------------------------------------
def _conll_tags(path: Path) -> list[list[str]]:
    sents, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            continue
        if not line.strip():
            if cur:
                sents.append(cur)
            cur = []
            continue
        cur.append(line.split()[-1])
    return sents + ([cur] if cur else [])


def test_iob1_decides_b_within_a_sentence(project, tmp_path):
    from annotator.formats.conll import encode

    doc = project.add_document("Paris Berlin\nRome is big.", name="d")
    project.add_span(doc.id, 0, 5, "GPE")
    project.add_span(doc.id, 6, 12, "GPE")    # adjacent, same sentence: B-
    project.add_span(doc.id, 13, 17, "GPE")   # next sentence, right after a GPE: I-
    project.set_status(doc.id, "done")
    _export(project, "conll", tmp_path / "d.conll", scheme="IOB1")
    tags = _conll_tags(tmp_path / "d.conll")
    assert tags == [["I-GPE", "B-GPE"], ["I-GPE", "O", "O", "O"]], tags
    assert encode(2, [(0, 1, "X"), (1, 2, "X")], "IOB1", {1}) == ["I-X", "I-X"]
    from annotator.formats.conll import read

    (back,) = read(tmp_path / "d.conll", warn=lambda m: None)  # our reader: the same spans
    assert sorted(back.text[x.start:x.end] for x in back.sets["gold"].spans) == [
        "Berlin", "Paris", "Rome"]
    seqeval = pytest.importorskip("seqeval.scheme")
    found = seqeval.Entities(tags, seqeval.IOB1).entities  # a strict IOB1 reader
    assert sum(len(s) for s in found) == 3


# ---- TextEE ---------------------------------------------------------------------------------
def test_textee_records_carry_lang(tmp_path):
    with annotator.create_project(tmp_path / "de.annproj", schema="ace2005-news",
                                  lang="de", annotator="gold") as project:
        doc = project.add_document("Anna traf Bo. Dann ging sie.", name="d")
        project.add_span(doc.id, 0, 4, "PER")
        project.set_status(doc.id, "done")
        _export(project, "textee", tmp_path / "t.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "t.jsonl").read_text("utf-8").splitlines()]
    assert lines and all(rec["lang"] == "de" for rec in lines)
    required = {"doc_id", "wnd_id", "text", "lang", "tokens", "entity_mentions",
                "event_mentions"}  # ej0cl6/TextEE data/README.md
    assert all(required <= set(rec) for rec in lines)


# ---- spaCy spancat ----------------------------------------------------------------------------
def _nested(project):
    doc = project.add_document("The Bank of England raised rates.", name="d")
    project.add_span(doc.id, 4, 19, "ORG")    # Bank of England
    project.add_span(doc.id, 12, 19, "GPE")   # England, inside it
    project.set_status(doc.id, "done")


def test_spancat_export_does_not_list_overlaps_in_doc_spans_as_lost(project, tmp_path):
    _nested(project)
    rep = _export(project, "spacy", tmp_path / "sc", pipeline="spancat", config=False)
    assert rep.losses == []
    assert any("1 overlapping span(s) are not in doc.ents" in n and "doc.spans['sc']" in n
               for n in rep.notes)


def test_ner_export_still_lists_them(project, tmp_path):
    _nested(project)
    rep = _export(project, "spacy", tmp_path / "ner", pipeline="ner", config=False)
    assert [(x.kind, x.label) for x in rep.losses] == [("span", "GPE")]
