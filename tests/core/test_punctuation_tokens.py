"""Which tokens are punctuation only (``core.offsets.is_punctuation``), the rule word-wise
token moves follow (#12), and the word lookups of ``TokenIndex`` built on it."""

from __future__ import annotations

import pytest

from annotator.core.offsets import TokenIndex, is_punctuation


@pytest.mark.parametrize("token", [",", ".", "...", '"', "\u201c", "\u00bb", "'", "-", "--",
                                   "\u2014", "(", ")]", "!?", ":", ";", "\u2026", "\u00bf",
                                   "\u3002", "\u00b7", "/", "*"])
def test_punctuation_only(token):
    assert is_punctuation(token)


@pytest.mark.parametrize("token", ["", " ", "U.S.", "Inc.", "'s", "n't", "AT&T", "5", "%",
                                   "&", "@", "#", "\u00a7", "$", "\u20ac", "+", "=", "\u00b0",
                                   "e-mail", "\U0001f600", "a"])
def test_words_and_signs_that_read_as_words(token):
    assert not is_punctuation(token)


def test_token_index_finds_the_nearest_word_either_way():
    text = 'Russia, "NATO" (and) ...'
    tokens = [(0, 6), (6, 7), (8, 9), (9, 13), (13, 14), (15, 16), (16, 19), (19, 20),
              (21, 24)]
    ti = TokenIndex(tokens, text)
    words = [i for i in range(len(ti)) if ti.is_word(i)]
    assert [text[ti.starts[i]:ti.ends[i]] for i in words] == ["Russia", "NATO", "and"]
    assert ti.word_at_or_after(1) == 3  # over ',' and '"'
    assert ti.word_at_or_after(3) == 3
    assert ti.word_at_or_after(7) is None  # only ')' and '...' left
    assert ti.word_at_or_before(5) == 3
    assert ti.word_at_or_before(99) == 6
    assert ti.word_at_or_before(-1) is None
