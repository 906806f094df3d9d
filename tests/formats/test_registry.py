"""Format detection on the real files of other tools, so `annotator import` needs no --format."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.formats.registry import detect_format

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


@pytest.mark.parametrize(("relative", "expected"), [
    ("ie_formats/transformers/sample.json", "conll"),
    ("ie_formats/allennlp/conll2003.txt", "conll"),
    ("ie_formats/spacy/ner-token-per-line-conll2003.iob", "conll"),
    ("ie_formats/dygiepp/test.jsonl", "dygiepp"),
    ("peers/prodigy/annotations.jsonl", "prodigy"),
    ("peers/doccano/relation_extraction/example.jsonl", "doccano"),
    ("peers/label-studio/named_entity/tasks.json", "labelstudio"),
    ("brat/example-data/tutorials/news", "brat"),
    ("brat/example-data/tutorials/news/000-introduction.txt", "brat"),
])
def test_detects_real_files(relative: str, expected: str) -> None:
    path = SHARED / relative
    if not path.exists():
        pytest.skip("../shared/corpora is not available")
    assert detect_format(path) == expected


def test_plain_text_and_native_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("An article.\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "x", "sets": {}}\n', encoding="utf-8")
    (tmp_path / "c.txt").write_text("-DOCSTART- -X- O O\n\nEU B-ORG\n", encoding="utf-8")
    assert detect_format(tmp_path / "a.txt") == "text"
    assert detect_format(tmp_path / "b.jsonl") == "jsonl"
    assert detect_format(tmp_path / "c.txt") == "conll"
