"""brat export: lines brat's own parser accepts (issue #11 point 10).

brat (``server/src/annotation.py``, ``_parse_textbound_annotation``) refuses a ``T`` line whose
TEXT is not exactly the text at its fragments joined by one space, so a span ending in a line
break cannot keep it (``T1 ORG 9 14\\tnews `` is refused). ``-O newlines=lf`` writes ``\\n`` text
with matching offsets for brat v1.3 on Python 2, which counts ``\\r\\n`` as one character
(nlplab/brat#853); without it, the report says so."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotator
from annotator.errors import AnnotatorError
from annotator.formats import brat
from annotator.formats.export import ExportOptions, run_export
from tests.formats.brat_verifier import verify_collection


def _export(project, out: Path, **extra):
    rep = run_export(project, "brat", out, ExportOptions(documents="all", annotator="gold",
                                                         extra=extra))
    assert verify_collection(out) == []  # brat's own rules (#11.9)
    return rep


def _t_lines(path: Path) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("T")]


def _brat_accepts(text: str, line: str) -> bool:
    _, data, tail = line.split("\t", 2)
    frags = [tuple(map(int, f.split())) for f in data.split(" ", 1)[1].split(";")]
    return tail == " ".join(text[a:b] for a, b in frags)


@pytest.fixture
def project(tmp_path):
    proj = annotator.create_project(tmp_path / "p.annproj", schema="ace2005-news",
                                    annotator="gold")
    yield proj
    proj.close()


def test_span_ending_in_a_line_break_is_written_without_it(project, tmp_path):
    text = "Breaking news\nfrom \u2028Kabul\r\n today.\n\n"
    doc = project.add_document(text, name="d")
    project.add_span(doc.id, 9, 14, "ORG")    # "news\n"
    project.add_span(doc.id, 19, 25, "GPE")   # "\u2028Kabul"
    project.add_span(doc.id, 20, 27, "GPE")   # "Kabul\r\n"
    project.add_span(doc.id, 0, 25, "ORG")    # crosses two line breaks
    project.add_span(doc.id, 34, 36, "ORG")   # "\n\n": nothing brat can write
    rep = _export(project, tmp_path / "out")
    lines = _t_lines(tmp_path / "out" / "d.ann")
    assert "T1\tORG 0 13;14 19;20 25\tBreaking news from  Kabul" in lines
    assert "T2\tORG 9 13\tnews" in lines
    assert "T3\tGPE 20 25\tKabul" in lines and "T4\tGPE 20 25\tKabul" in lines
    assert all(_brat_accepts(text, ln) for ln in lines) and len(lines) == 4
    assert any("3 span(s) begin or end with a line break" in n for n in rep.notes)
    assert [(x.kind, x.start, x.end) for x in rep.losses] == [("span", 34, 36)]


def test_crlf_document_report_names_brat_853(project, tmp_path):
    text = "One\r\nTwo Kabul\r\nThree"
    doc = project.add_document(text, name="crlf")
    project.add_span(doc.id, 9, 14, "GPE")
    rep = _export(project, tmp_path / "out")
    assert (tmp_path / "out" / "crlf.txt").read_bytes() == text.encode("utf-8")
    assert _t_lines(tmp_path / "out" / "crlf.ann") == ["T1\tGPE 9 14\tKabul"]
    assert any("nlplab/brat#853" in n and "newlines=lf" in n for n in rep.notes)


def test_newlines_lf_writes_lf_text_with_matching_offsets(project, tmp_path):
    text = "One\r\nTwo Kabul\r\nThree\rFour Herat\r\n"
    doc = project.add_document(text, name="crlf")
    kabul = project.add_span(doc.id, 9, 14, "GPE")
    project.add_span(doc.id, 27, 32, "GPE")
    project.add_span(doc.id, 5, 16, "ORG")  # "Two Kabul\r\n"
    project.add_relation("PART-WHOLE.Geographical", kabul.id, kabul.id)
    rep = _export(project, tmp_path / "out", newlines="lf")
    written = (tmp_path / "out" / "crlf.txt").read_bytes().decode("utf-8")
    assert written == "One\nTwo Kabul\nThree\nFour Herat\n"
    lines = _t_lines(tmp_path / "out" / "crlf.ann")
    assert lines == ["T1\tORG 4 13\tTwo Kabul", "T2\tGPE 8 13\tKabul", "T3\tGPE 25 30\tHerat"]
    assert all(_brat_accepts(written, ln) for ln in lines)
    assert any("newlines=lf" in n and "offsets moved" in n for n in rep.notes)
    back = list(brat.read(tmp_path / "out", warn=lambda m: None))
    assert sorted(back[0].text[s.start:s.end] for s in back[0].sets["gold"].spans) == [
        "Herat", "Kabul", "Two Kabul"]


def test_newlines_option_is_checked(project, tmp_path):
    project.add_document("Text.", name="d")
    with pytest.raises(AnnotatorError, match="newlines must be one of keep, lf"):
        _export(project, tmp_path / "out", newlines="crlf")


# ---- #11.7: '#' notes of other types ------------------------------------------------------
def test_notes_of_other_types_survive_import_and_export(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "d.txt").write_text("Anna ran to Kabul.\n", encoding="utf-8")
    (folder / "d.ann").write_text("T1\tPER 0 4\tAnna\nT2\tGPE 12 17\tKabul\n"
                                  "T3\tMovement.Transport 5 8\tran\n"
                                  "E1\tMovement.Transport:T3 Artifact:T1 Destination:T2\n"
                                  "#1\tLemma T3\trun\n#2\tAnnotatorNotes T1\tcheck\n"
                                  "#3\tLemma T1\tAnna\n#4\tSource E1\tnewswire\n",
                                  encoding="utf-8")
    from annotator.formats.importing import ImportOptions, import_paths

    report = import_paths(project, [folder], ImportOptions())
    assert not any("not carried" in w for w in report.warnings), report.warnings
    doc = project.document_by_name("d")
    project.set_status(doc.id, "done")
    rep = _export(project, tmp_path / "out")
    ann = (tmp_path / "out" / "d.ann").read_text(encoding="utf-8").splitlines()
    notes = sorted(ln.split("\t", 1)[1] for ln in ann if ln.startswith("#"))
    assert notes == ["AnnotatorNotes T1\tcheck", "Lemma T1\tAnna", "Lemma T2\trun",
                     "Source E1\tnewswire"]
    assert any("written back: 2 Lemma, 1 Source" in n for n in rep.notes)
    assert not rep.losses


def test_a_note_whose_target_is_not_exported_is_reported(project, tmp_path):
    from annotator.core.inputs import DocumentInput
    from annotator.core.model import Annotations, Span, new_id

    kept, gone = new_id(), new_id()
    spans = [Span(kept, "", 0, 4, "PER"), Span(gone, "", 5, 8, "PER", status="rejected")]
    meta = {brat.ann_read.OTHER_NOTES: {kept: [["Lemma", "Anna"]], gone: [["Lemma", "run"]]}}
    project.add_documents([DocumentInput("Anna ran.", name="d", meta=meta,
                                         sets={"gold": Annotations(spans)})])
    rep = _export(project, tmp_path / "out")
    ann = (tmp_path / "out" / "d.ann").read_text(encoding="utf-8")
    assert "#1\tLemma T1\tAnna" in ann and "run" not in ann
    assert [(x.kind, x.label, x.text) for x in rep.losses] == [("note", "Lemma", "run")]
