"""StreamingDocBin writes what spaCy's DocBin writes, holding only the string table in memory."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin, Span  # noqa: E402

from annotator.formats.docbin_stream import StreamingDocBin  # noqa: E402


def _docs(n: int) -> list:
    nlp = spacy.blank("en")
    docs = []
    for i in range(n):
        doc = nlp(f"NATO met Russia in Brussels {i} times. \u00e9t\u00e9 \U0001F600 ok")
        doc.ents = [Span(doc, 0, 1, label="ORG")]
        doc.spans["sc"] = [Span(doc, 0, 1, label="ORG"), Span(doc, 2, 3, label="GPE")]
        doc.user_data["annotator"] = {"relations": [{"id": f"r{i}", "head": [0, 1]}]}
        doc.cats = {"POS": 1.0} if i % 2 else {}
        docs.append(doc)
    return docs


@pytest.mark.parametrize("count", [0, 1, 300])
def test_same_message_as_docbin(tmp_path: Path, count: int) -> None:
    docs = _docs(count)
    reference = DocBin(store_user_data=True)
    streamed = StreamingDocBin(tmp_path)
    for doc in docs:
        reference.add(doc)
        streamed.add(doc)
    assert len(streamed) == count
    streamed.to_disk(tmp_path / "out.spacy")
    ours = zlib.decompress((tmp_path / "out.spacy").read_bytes())
    assert ours == zlib.decompress(reference.to_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.spacy"]  # spill folder removed


def test_spacy_reads_it_back(tmp_path: Path) -> None:
    docs = _docs(50)
    streamed = StreamingDocBin(tmp_path)
    for doc in docs:
        streamed.add(doc)
    streamed.to_disk(tmp_path / "out.spacy")
    back = list(DocBin().from_disk(tmp_path / "out.spacy").get_docs(docs[0].vocab))
    assert [d.text for d in back] == [d.text for d in docs]
    assert [(e.start, e.end, e.label_) for e in back[7].ents] == [(0, 1, "ORG")]
    assert [s.label_ for s in back[7].spans["sc"]] == ["ORG", "GPE"]
    assert back[7].user_data["annotator"]["relations"][0]["id"] == "r7"
    assert back[7].cats == {"POS": 1.0}


def test_a_large_bin_gets_a_32_bit_header(tmp_path: Path) -> None:
    """Token arrays past 64 KiB need msgpack's bin 32 header, as DocBin writes it."""
    nlp = spacy.blank("en")
    doc = nlp("word " * 20_000)
    reference = DocBin(store_user_data=True)
    reference.add(doc)
    streamed = StreamingDocBin(tmp_path)
    streamed.add(doc)
    streamed.to_disk(tmp_path / "big.spacy")
    assert zlib.decompress((tmp_path / "big.spacy").read_bytes()) == \
        zlib.decompress(reference.to_bytes())
