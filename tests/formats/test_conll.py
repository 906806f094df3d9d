"""CoNLL-2003: tag schemes, export options and losses, reading the three real samples, round
trips, and spaCy's own converter accepting the export."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import annotator
from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Span, new_id
from annotator.errors import InputFormatError
from annotator.formats.conll import FLAT_LOSS, decode, detect_scheme, encode, read
from annotator.formats.export import ExportOptions, run_export
from annotator.formats.tokens import CROSSES_SENTENCE, NOT_ALIGNED

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
IE = SHARED / "corpora" / "ie_formats"
ALLEN = IE / "allennlp" / "conll2003.txt"
SPACY_IOB = IE / "spacy" / "ner-token-per-line-conll2003.iob"
SPACY_JSON = IE / "spacy" / "ner-token-per-line.json"
HF = IE / "transformers" / "sample.json"


@pytest.fixture
def ie() -> Path:
    if not IE.is_dir():
        pytest.skip(f"{IE} is absent")
    return IE


def spans_of(d: DocumentInput) -> list[tuple[str, str]]:
    return [(d.text[s.start:s.end], s.label) for s in d.sets["gold"].spans]


def token_texts(d: DocumentInput) -> list[str]:
    return [d.text[s:e] for s, e in d.tokens if d.text[s:e].strip()]


def blocks(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences of a CoNLL file as (token, tag) lists, -DOCSTART- lines left out."""
    out, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t") if "\t" in line else line.split()
        if not line.strip():
            if cur:
                out.append(cur)
            cur = []
        elif cols[0] != "-DOCSTART-":
            cur.append((cols[0], cols[-1]))
    if cur:
        out.append(cur)
    return out


def project_with(tmp_path: Path, docs: list[DocumentInput]) -> annotator.Project:
    project = annotator.create_project(tmp_path / "p.annproj", schema="ace2005-news")
    project.add_documents(docs)
    return project


# ---- schemes --------------------------------------------------------------------------------
def test_encode_all_schemes() -> None:
    spans = [(0, 1, "PER"), (2, 5, "LOC"), (5, 6, "LOC"), (7, 8, "LOC")]
    assert encode(8, spans, "IOB2") == ["B-PER", "O", "B-LOC", "I-LOC", "I-LOC", "B-LOC", "O",
                                        "B-LOC"]
    assert encode(8, spans, "IOB1") == ["I-PER", "O", "I-LOC", "I-LOC", "I-LOC", "B-LOC", "O",
                                        "I-LOC"]
    assert encode(8, spans, "BILOU") == ["U-PER", "O", "B-LOC", "I-LOC", "L-LOC", "U-LOC", "O",
                                         "U-LOC"]
    assert encode(8, spans, "BIOES") == ["S-PER", "O", "B-LOC", "I-LOC", "E-LOC", "S-LOC", "O",
                                         "S-LOC"]
    for scheme in ("IOB2", "IOB1", "BILOU", "BIOES"):
        assert decode(encode(8, spans, scheme)) == spans


def test_detect_scheme() -> None:
    assert detect_scheme([["I-PER", "O", "I-LOC", "B-LOC"]]) == "IOB1"
    assert detect_scheme([["B-PER", "I-PER", "O"]]) == "IOB2"
    assert detect_scheme([["B-PER", "L-PER", "U-ORG"]]) == "BILOU"
    assert detect_scheme([["S-PER", "B-ORG", "E-ORG"]]) == "BIOES"


# ---- reading the real samples ----------------------------------------------------------------
def test_read_allennlp_iob1(ie: Path) -> None:
    docs = list(read(ALLEN))
    assert len(docs) == 2
    assert spans_of(docs[0]) == [("U.N.", "ORG"), ("Ekeus", "PER"), ("Baghdad", "LOC")]
    assert spans_of(docs[1]) == [("AI2", "ORG"), ("Joel", "PER"), ("Seattle", "LOC")]
    assert docs[0].text == "U.N. official Ekeus heads for Baghdad ."
    assert docs[0].meta["conll_scheme"] == "IOB1"
    assert all(s.kind == "entity" and s.status == "gold" and s.origin == "import" and s.id
               for d in docs for s in d.sets["gold"].spans)


def test_read_spacy_iob2(ie: Path) -> None:
    (doc,) = list(read(SPACY_IOB))
    assert doc.meta["conll_scheme"] == "IOB2"
    assert spans_of(doc) == [("Sebastian Thrun", "PERSON"), ("Google", "ORG"), ("2007", "DATE"),
                             ("American", "NORP"), ("Thrun", "PERSON"), ("Recode", "ORG"),
                             ("earlier this week", "DATE")]
    assert len(doc.sentences) == 2 and "\u201c" in doc.text and "n\u2019t" in doc.text
    assert doc.text.split("\n")[0].startswith("When Sebastian Thrun started")


def test_read_hf_json_lines(ie: Path) -> None:
    (doc,) = list(read(HF))
    lines = [json.loads(x) for x in HF.read_text().splitlines() if x.strip()]
    assert len(doc.sentences) == len(lines) == 10
    assert token_texts(doc) == [w for x in lines for w in x["words"]]
    expected = []
    for x in lines:
        for s, e, label in decode(x["ner"]):
            expected.append((" ".join(x["words"][s:e]), label))
    assert spans_of(doc) == expected
    assert ("Bill Clinton", "PER") in expected


def test_read_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.conll"
    bad.write_text("-DOCSTART- -X- O O\n\nParis NNP _ B-LOC\nis VBZ _ X-FOO\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match=r"bad.conll:4: .*X-FOO"):
        list(read(bad))
    one = tmp_path / "one.conll"
    one.write_text("Paris\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match=r"one.conll:1: "):
        list(read(one))


def test_read_header_variants_separators_and_no_header(tmp_path: Path) -> None:
    text = ("-DOCSTART- -X- O\n\nParis\tNNP\tB-LOC\t\nBerlin NNP B-LOC\n\n"
            "-DOCSTART- -X- -X- O\n\nNew NNP I-LOC\nYork NNP I-LOC\n")
    f = tmp_path / "mixed.conll"
    f.write_text(text, encoding="utf-8")
    docs = list(read(f))
    assert [spans_of(d) for d in docs] == [[("Paris", "LOC"), ("Berlin", "LOC")],
                                           [("New York", "LOC")]]
    plain = tmp_path / "plain.iob"
    plain.write_text("Anna B-PER\nNovak I-PER\n\nleft O\n", encoding="utf-8")
    (d,) = list(read(plain))
    assert d.text == "Anna Novak\nleft" and spans_of(d) == [("Anna Novak", "PER")]


# ---- export ---------------------------------------------------------------------------------
def test_round_trip_real_samples(ie: Path, tmp_path: Path) -> None:
    for k, src in enumerate((ALLEN, SPACY_IOB, HF)):
        first = list(read(src))
        project = annotator.create_project(tmp_path / f"rt{k}.annproj", schema="ace2005-news")
        project.add_documents(first)
        out = tmp_path / f"rt{k}.conll"
        rep = run_export(project, "conll", out, ExportOptions())
        assert rep.losses == []
        again = list(read(out))
        assert [token_texts(d) for d in again] == [token_texts(d) for d in list(read(src))]
        assert [spans_of(d) for d in again] == [spans_of(d) for d in list(read(src))]
        assert [d.text for d in again] == [d.text for d in list(read(src))]


def test_iob2_export_equals_spacy_sample(ie: Path, tmp_path: Path) -> None:
    project = project_with(tmp_path, list(read(SPACY_IOB)))
    out = tmp_path / "out.conll"
    run_export(project, "conll", out, ExportOptions())
    assert blocks(out) == blocks(SPACY_IOB)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["-DOCSTART- -X- O O", ""]
    assert lines[2] == "When _ _ O" and lines[3] == "Sebastian _ _ B-PERSON"


def test_bilou_export_matches_spacy_json(ie: Path, tmp_path: Path) -> None:
    data = json.loads(SPACY_JSON.read_text(encoding="utf-8"))
    gold = [(t["orth"], t["ner"]) for d in data for p in d["paragraphs"]
            for s in p["sentences"] for t in s["tokens"]]
    project = project_with(tmp_path, list(read(SPACY_IOB)))
    out = tmp_path / "out.bilou"
    run_export(project, "conll", out, ExportOptions(extra={"scheme": "BILOU", "columns": 2}))
    got = [pair for sent in blocks(out) for pair in sent]
    assert got == gold
    assert out.read_text(encoding="utf-8").splitlines()[:3] == ["-DOCSTART- -X- O O", "",
                                                                "When O"]
    bare = tmp_path / "bare.bilou"
    run_export(project, "conll", bare, ExportOptions(extra={"scheme": "BILOU", "columns": 2,
                                                            "docstart": ""}))
    assert bare.read_text(encoding="utf-8").splitlines()[0] == "When O"
    assert [p for s in blocks(bare) for p in s] == gold


def test_iob1_export_of_adjacent_entities(tmp_path: Path) -> None:
    text = "Paris Berlin and New York City ."
    spans = [Span(id=new_id(), doc_id="", start=a, end=b, label="LOC", status="gold")
             for a, b in ((0, 5), (6, 12), (17, 30))]
    project = project_with(tmp_path, [DocumentInput(text=text, name="t", status={"gold": "done"},
                                                    sets={"gold": Annotations(spans)})])
    out = tmp_path / "t.conll"
    run_export(project, "conll", out, ExportOptions(extra={"scheme": "IOB1"}))
    assert [t for _, t in blocks(out)[0]] == ["I-LOC", "B-LOC", "O", "I-LOC", "I-LOC", "I-LOC",
                                              "O"]
    (back,) = list(read(out))
    assert back.meta["conll_scheme"] == "IOB1"
    assert spans_of(back) == [("Paris", "LOC"), ("Berlin", "LOC"), ("New York City", "LOC")]


def _overlap_project(tmp_path: Path) -> annotator.Project:
    text = "The New York Times praised Anna.\nMaria Lopez left Hanoi yesterday."

    def sp(a: str, label: str, kind: str = "entity", start: int | None = None) -> Span:
        s = text.index(a) if start is None else start
        return Span(id=new_id(), doc_id="", start=s, end=s + len(a), label=label, kind=kind,
                    status="gold")

    spans = [sp("The New York Times", "ORG"), sp("New York", "GPE"), sp("Anna", "PER"),
             sp("Ann", "PER"), sp("Anna.\nMaria", "PER"), sp("left", "Movement.Transport",
                                                            kind="trigger"),
             sp("Hanoi", "GPE"), sp("yesterday", "TIME", kind="value")]
    doc = DocumentInput(text=text, name="o", status={"gold": "done"},
                        sets={"gold": Annotations(spans)})
    return project_with(tmp_path, [doc])


def test_layers_and_losses(tmp_path: Path) -> None:
    project = _overlap_project(tmp_path)
    out = tmp_path / "o.conll"
    rep = run_export(project, "conll", out, ExportOptions())
    tags = [t for s in blocks(out) for _, t in s]
    words = [w for s in blocks(out) for w, _ in s]
    assert len(blocks(out)) == 2  # stored sentences
    assert tags[:4] == ["B-ORG", "I-ORG", "I-ORG", "I-ORG"]
    assert tags[words.index("yesterday")] == "B-TIME"
    reasons = {(loss.text, loss.reason) for loss in rep.losses}
    assert ("New York", FLAT_LOSS) in reasons
    assert ("Ann", NOT_ALIGNED) in reasons
    assert ("Anna.\nMaria", CROSSES_SENTENCE) in reasons
    assert ("left", "trigger spans are not carried by CoNLL") in reasons
    inner = tmp_path / "i.conll"
    rep = run_export(project, "conll", inner, ExportOptions(extra={"layer": "innermost"}))
    tags = [t for s in blocks(inner) for _, t in s]
    assert tags[:4] == ["O", "B-GPE", "I-GPE", "O"]
    assert ("The New York Times", FLAT_LOSS) in {(x.text, x.reason) for x in rep.losses}


def test_tokens_with_spaces_keep_columns(tmp_path: Path) -> None:
    text = "She moved to New York yesterday"
    tokens = [(0, 3), (4, 9), (10, 12), (13, 21), (22, 31)]  # "New York" is one token
    span = Span(id=new_id(), doc_id="", start=13, end=21, label="GPE", status="gold")
    doc = DocumentInput(text=text, name="s", tokens=tokens, sentences=[(0, 31)],
                        status={"gold": "done"}, sets={"gold": Annotations([span])})
    project = project_with(tmp_path, [doc])
    out = tmp_path / "s.conll"
    rep = run_export(project, "conll", out, ExportOptions())
    assert "New_York _ _ B-GPE" in out.read_text(encoding="utf-8").splitlines()
    assert any("contained whitespace" in n for n in rep.notes)


def test_spacy_convert_accepts_the_export(ie: Path, tmp_path: Path) -> None:
    project = project_with(tmp_path, list(read(SPACY_IOB)) + list(read(ALLEN)))
    out = tmp_path / "all.conll"
    run_export(project, "conll", out, ExportOptions())
    conv = tmp_path / "conv"
    conv.mkdir()
    proc = subprocess.run([sys.executable, "-m", "spacy", "convert", str(out), str(conv),
                           "--converter", "ner"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    import spacy
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(conv / "all.spacy").get_docs(spacy.blank("en").vocab))
    assert len(docs) == 3
    assert [(e.text, e.label_) for e in docs[1].ents] == [("U.N.", "ORG"), ("Ekeus", "PER"),
                                                          ("Baghdad", "LOC")]
