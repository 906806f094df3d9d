"""The next unlabelled capitalised or numeric run (the window's U key)."""

from __future__ import annotations

from annotator.core.runs import next_unlabelled_run, unlabelled_runs

TEXT = "The talks in New York ended. Carmen Romero said 20 people left, and the talks stopped."


def tokens(text):
    out, i = [], 0
    for word in text.replace(".", " .").replace(",", " ,").split():
        i = text.index(word, i)
        out.append((i, i + len(word)))
        i += len(word)
    return out


def test_runs_skip_sentence_initial_words_and_labelled_text():
    toks = tokens(TEXT)
    sentences = [(0, 28), (29, len(TEXT))]
    runs = [TEXT[a:b] for a, b in unlabelled_runs(TEXT, toks, sentences, [])]
    assert runs == ["New York", "Carmen Romero", "20"]  # "The" starts a sentence: a word
    ny = TEXT.index("New York")
    covered = [(ny, ny + len("New York"))]
    assert TEXT[slice(*next_unlabelled_run(TEXT, toks, sentences, covered, 0))] == \
        "Carmen Romero"
    assert next_unlabelled_run(TEXT, toks, sentences, [], len(TEXT)) is None
