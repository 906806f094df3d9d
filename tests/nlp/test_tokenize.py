"""Tokens and sentences computed at import: offsets in code points, spaCy's tokens, and a
sentence rule that matches spaCy's sentencizer while also breaking at line ends."""

from __future__ import annotations

import pytest

from annotator.nlp.tokenize import as_pairs, get_tokenizer, words_and_spaces


def sentences(text: str) -> list[str]:
    ((_, sents),) = list(get_tokenizer("en").tokenize([text]))
    return [text[s:e] for s, e in as_pairs(sents)]


@pytest.mark.parametrize(("text", "expected"), [
    ("The U.S. President met Mr. Smith. Then he left!  Really?\r\nYes.",
     ["The U.S. President met Mr. Smith.", "Then he left!", "Really?", "Yes."]),
    ('"We postponed it," he said. "Now?" No.',
     ['"We postponed it," he said.', '"Now?"', "No."]),
    ("Headline without a stop\n\nFirst sentence. Second (in brackets.) Third",
     ["Headline without a stop", "First sentence.", "Second (in brackets.)", "Third"]),
    ("Emoji 😀 here. Next “quote.” ok", ["Emoji 😀 here.", "Next “quote.”", "ok"]),
    ("   ", []),
    ("one", ["one"]),
])
def test_sentence_rule(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_tokens_are_code_points_and_rebuild_the_text() -> None:
    text = "Kyiv 🔥 fire\tkilled 3 in São Paulo.\r\nNext line"
    ((tokens, _),) = list(get_tokenizer("en").tokenize([text]))
    pairs = as_pairs(tokens)
    assert [text[s:e] for s, e in pairs][:4] == ["Kyiv", "🔥", "fire", "\t"]
    words, spaces = words_and_spaces(text, pairs)
    rebuilt = "".join(w + (" " if sp else "") for w, sp in zip(words, spaces, strict=True))
    assert rebuilt == text


def test_sentences_for_given_tokens_match_import() -> None:
    tok = get_tokenizer("en")
    text = "Russia left. NATO stayed.\n\nA new paragraph"
    ((tokens, sents),) = list(tok.tokenize([text]))
    assert as_pairs(tok.sentences_for(text, as_pairs(tokens))) == as_pairs(sents)


def test_jsonl_tokens_without_sentences_get_sentences(tmp_path) -> None:
    import annotator

    project = annotator.create_project(tmp_path / "p.annproj", schema="news-basic")
    text = "One sentence. Another one."
    project.add_documents([annotator.DocumentInput(text=text, name="d",
                                                   tokens=[(0, 3), (4, 12), (12, 13), (14, 21),
                                                           (22, 25), (25, 26)])])
    doc = project.document_by_name("d")
    assert [text[s:e] for s, e in doc.sentences] == ["One sentence.", "Another one."]


def test_large_imports_tokenise_in_worker_processes_with_the_same_result(tmp_path,
                                                                         monkeypatch) -> None:
    import annotator
    from annotator.core import import_workers

    texts = [f"Report {i}. Troops left Gori on May {i % 28 + 1}.\n\nMore news." for i in range(90)]
    monkeypatch.setattr(import_workers, "PARALLEL_MIN", 20)
    monkeypatch.setattr(import_workers, "CHUNK", 16)
    monkeypatch.setattr(import_workers, "WARM", 8)
    monkeypatch.setenv("ANNOTATOR_PROCESSES", "2")
    calls: list[int] = []
    parallel = annotator.create_project(tmp_path / "p.annproj", schema="news-basic")
    parallel.add_documents((annotator.DocumentInput(text=t, name=f"d{i}")
                            for i, t in enumerate(texts)),
                           progress=lambda done, total, msg: calls.append(done), batch_size=16)
    monkeypatch.setenv("ANNOTATOR_PROCESSES", "1")
    serial = annotator.create_project(tmp_path / "s.annproj", schema="news-basic")
    serial.add_documents(annotator.DocumentInput(text=t, name=f"d{i}")
                         for i, t in enumerate(texts))
    for name in ("d0", "d45", "d89"):
        a, b = parallel.document_by_name(name), serial.document_by_name(name)
        assert (a.tokens, a.sentences, a.content_hash) == (b.tokens, b.sentences, b.content_hash)
    assert calls == sorted(calls) and calls[-1] == 90


TRICKY = ["", "   ", "one", "\n", "a  b", "a   b\n\n c", "x.\n", '"Hi." "Yo."', ".", ". )",
          "Hi.)) next", "Hi.\u201d\u201d Next", "\u00a0a\u00a0b.\u00a0C", "A.\rB", "End.  ",
          ")", "(Hello.) World", "a\tb. c\u2028d", "Emoji \U0001f600 here. Next", "x" * 70_000]


def test_a_batch_gives_each_document_what_it_gets_alone() -> None:
    """Documents are tokenised and split into sentences together; nothing may leak across a
    document boundary (a closing bracket after a previous document's full stop, an empty or
    blank document between others)."""
    from annotator.core.codec import unpack_pairs

    tok = get_tokenizer("en")
    alone = [next(tok.tokenize([t])) for t in TRICKY]
    together = list(tok.tokenize(TRICKY))
    assert [(as_pairs(a), as_pairs(b)) for a, b in together] == \
        [(as_pairs(a), as_pairs(b)) for a, b in alone]
    packed = tok.prepare(TRICKY)
    assert [(unpack_pairs(t), unpack_pairs(s)) for t, s in packed] == \
        [(as_pairs(a), as_pairs(b)) for a, b in alone]
    for text, (tokens, _) in zip(TRICKY, alone, strict=True):
        words, spaces = words_and_spaces(text, as_pairs(tokens))
        assert "".join(w + " " * sp for w, sp in zip(words, spaces, strict=True)) == text


def test_sentence_rule_does_not_cross_documents() -> None:
    tok = get_tokenizer("en")
    ((_, first), (_, second)) = list(tok.tokenize(["It ended.", ") and more"]))
    assert as_pairs(first) == [(0, 9)] and as_pairs(second) == [(0, 10)]
