"""Offsets: code point <-> UTF-16 conversion (Utf16Map) and token snapping (TokenIndex)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import TokenIndex, Utf16Map, find_all, utf16_len

TEXTS = [
    "",
    "plain ascii text",
    "\U0001F600",
    "\U0001F600\U0001F601 two emoji",
    "Zo\u00eb and e\u0301mile (combining acute) \U0001D11E clef",
    "line one\r\nline two\r\n\r\n\U0001F1EB\U0001F1F7 flag",
    "a\U00010000b\U0010FFFFc",
    "\u4e2d\u6587 and \U00020000 ext-B",
]


def u16_of(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


@pytest.mark.parametrize("text", TEXTS)
def test_utf16_round_trip_every_position(text):
    m = Utf16Map(text)
    assert m.length_cp == len(text)
    assert m.length_u16 == utf16_len(text) == len(text.encode("utf-16-le")) // 2
    assert m.trivial == all(ord(c) <= 0xFFFF for c in text)
    for cp in range(len(text) + 1):
        u16 = m.to_utf16(cp)
        assert u16 == u16_of(text, cp)
        assert m.to_codepoint(u16) == cp


@pytest.mark.parametrize("text", TEXTS)
def test_utf16_positions_inside_a_surrogate_pair_round_down(text):
    m = Utf16Map(text)
    starts = {u16_of(text, cp): cp for cp in range(len(text) + 1)}
    for u16 in range(m.length_u16 + 1):
        if u16 in starts:
            assert m.to_codepoint(u16) == starts[u16]
        else:  # between the two halves of an astral character
            cp = m.to_codepoint(u16)
            assert ord(text[cp]) > 0xFFFF
            assert m.to_utf16(cp) == u16 - 1


def test_combining_marks_and_crlf_are_separate_code_points():
    text = "e\u0301\r\n"
    m = Utf16Map(text)
    assert [m.to_utf16(i) for i in range(5)] == [0, 1, 2, 3, 4]
    text = "\U0001F600e\u0301\r\nx"
    m = Utf16Map(text)
    assert [m.to_utf16(i) for i in range(len(text) + 1)] == [0, 2, 3, 4, 5, 6, 7]


@given(st.text(alphabet=st.sampled_from(
    ["a", " ", "\r", "\n", "\u0301", "\u00e9", "\u4e2d", "\U0001F600", "\U00010000",
     "\U0010FFFF"]), max_size=40))
def test_utf16_round_trip_property(text):
    m = Utf16Map(text)
    for cp in range(len(text) + 1):
        assert m.to_utf16(cp) == u16_of(text, cp)
        assert m.to_codepoint(m.to_utf16(cp)) == cp


# ---- TokenIndex ----------------------------------------------------------------------------
TOKTEXT = "Russia attacked  Ukraine.\n\nBy \U0001F600 Ana"
# tokens: Russia 0-6, attacked 7-15, Ukraine 17-24, "." 24-25, By 27-29, emoji 30-31, Ana 32-35


def tokens_of(text: str) -> list[tuple[int, int]]:
    """Words, punctuation and whitespace runs, as a tokenizer that keeps whitespace gives."""
    return [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]|\s+", text)]


@pytest.fixture
def index() -> TokenIndex:
    return TokenIndex(tokens_of(TOKTEXT), TOKTEXT)


def test_whitespace_tokens_are_ignored(index):
    words = [TOKTEXT[s:e] for s, e in zip(index.starts, index.ends, strict=True)]
    assert words == ["Russia", "attacked", "Ukraine", ".", "By", "\U0001F600", "Ana"]
    assert len(index) == 7


def test_snap_expands_to_whole_tokens(index):
    assert index.snap(2, 4) == (0, 6)  # inside one token
    assert index.snap(3, 10) == (0, 15)  # across two tokens
    assert index.snap(0, 6) == (0, 6)  # already aligned
    assert index.snap(6, 7) == (6, 7)  # only whitespace: unchanged
    assert index.snap(15, 17) == (15, 17)
    assert index.snap(14, 18) == (7, 24)
    assert index.snap(5, 5) == (5, 5)  # empty selection
    empty = TokenIndex([], "")
    assert empty.snap(1, 3) == (1, 3)


def test_is_aligned(index):
    assert index.is_aligned(0, 6)
    assert index.is_aligned(0, 15)
    assert index.is_aligned(7, 25)
    assert not index.is_aligned(1, 6)
    assert not index.is_aligned(0, 5)
    assert not index.is_aligned(0, 7)
    assert not index.is_aligned(40, 50)
    assert index.is_aligned(30, 31)  # the emoji token


def test_keyboard_movement(index):
    assert index.next_start(0) == 7
    assert index.next_start(6) == 7
    assert index.next_start(32) is None
    assert index.prev_start(7) == 0
    assert index.prev_start(0) is None
    assert index.next_end(0) == 6
    assert index.next_end(6) == 15
    assert index.prev_end(15) == 6
    assert index.prev_end(6) is None
    assert index.token_at(3) == 0
    assert index.token_at(6) == 1  # between tokens: the next one
    assert index.token_at(100) is None
    assert index.token_span(3) == (0, 6)
    assert index.token_span(6) is None
    assert index.token_span(16) is None
    assert index.tokens_in(0, 15) == (0, 2)
    assert index.tokens_in(7, 25) == (1, 4)


def test_find_all_whole_words():
    text = "Paris, Parisian Paris-based; paris PARIS Paris"
    assert find_all(text, "Paris") == [(0, 5), (16, 21), (41, 46)]
    assert len(find_all(text, "Paris", whole_words=False)) == 4
    assert find_all(text, "") == []
    assert find_all("\U0001F600 Ana Ana", "Ana") == [(2, 5), (6, 9)]
