"""Code point <-> Qt document position (QtTextMap) and the Utf16Map / TokenIndex beneath it.

Qt-free: the view's own tests check the same map against a real QTextDocument.
"""

from __future__ import annotations

import random

import pytest

from annotator.core.layout import QtTextMap
from annotator.core.offsets import TokenIndex, Utf16Map, utf16_len

SAMPLES = [
    "",
    "plain ascii text",
    "😀 Smith met 👍🏽 Jones",  # astral characters (and a skin-tone modifier) before spans
    "cafe\u0301 and nai\u0308ve",  # combining marks
    "a\tb\t\tc",  # tabs
    "Talks between \u05d3\u05d5\u05d3 and \u0645\u062d\u0645\u062f ended.",  # Hebrew, Arabic
    "line one\r\nline two\r\n\r\nline four",  # CRLF
    "old mac\rline\rend\r",  # CR only
    "mixed\r\n\n\r\r\n\u2029para\u2028soft",
    "\r\n😀\r\n😀😀\r\n",
]


def qt_model(text: str) -> tuple[str, list[int]]:
    """What QTextDocument.setPlainText makes of ``text`` (as UTF-16 units) and, per code
    point, its position: an independent, slow reference for QtTextMap."""
    units: list[str] = []
    pos: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        pos.append(len(units))
        if ch == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            units.append("\u2029")
            pos.append(len(units))  # the "\n" has no position of its own: maps after the break
            i += 2
            continue
        if ch in "\n\r\u2029":
            units.append("\u2029")
        elif ord(ch) > 0xFFFF:
            units += ["hi", "lo"]
        else:
            units.append(ch)
        i += 1
    pos.append(len(units))
    return "".join(u if len(u) == 1 else "x" for u in units), pos


@pytest.mark.parametrize("text", SAMPLES)
def test_to_qt_matches_reference(text):
    m = QtTextMap(text)
    _, ref = qt_model(text)
    assert [m.to_qt(cp) for cp in range(len(text) + 1)] == ref
    assert m.length_qt == ref[-1]


@pytest.mark.parametrize("text", SAMPLES)
def test_to_cp_inverts_to_qt_on_every_character_boundary(text):
    m = QtTextMap(text)
    for cp in range(len(text) + 1):
        if cp > 0 and text[cp - 1] == "\r" and cp < len(text) and text[cp] == "\n":
            continue  # inside "\r\n": no Qt position of its own
        assert m.to_cp(m.to_qt(cp)) == cp, (text, cp)


def test_crlf_collapses_to_one_position():
    text = "ab\r\ncd"
    m = QtTextMap(text)
    assert [m.to_qt(i) for i in range(7)] == [0, 1, 2, 3, 3, 4, 5]
    assert m.to_cp(3) == 4  # the start of the second line is after the whole "\r\n"
    assert list(m.block_starts) == [0, 4]
    assert m.block_range(0) == (0, 2)
    assert m.block_range(1) == (4, 6)


def test_emoji_before_span_shifts_qt_but_not_code_points():
    text = "😀 Smith"
    m = QtTextMap(text)
    start = text.index("Smith")
    assert start == 2
    assert m.to_qt(start) == 3
    assert m.to_cp(3) == 2
    assert m.to_cp(m.to_qt(len(text))) == len(text)


def test_position_inside_surrogate_pair_rounds_down():
    m = QtTextMap("a😀b")
    assert m.to_cp(2) == 1  # between the two halves of the emoji


def test_blocks():
    text = "one\r\ntwo\rthree\nfour\u2029five"
    m = QtTextMap(text)
    assert [text[s:e] for s, e in (m.block_range(b) for b in range(len(m.block_starts)))] == \
        ["one", "two", "three", "four", "five"]
    assert m.block_of(text.index("three") + 2) == 2
    assert list(m.blocks_touching(0, len(text))) == [0, 1, 2, 3, 4]


def test_random_texts_against_reference():
    rng = random.Random(3)
    alphabet = ["a", "b", " ", "\t", "\r", "\n", "\r\n", "😀", "\u0301", "\u05d3", "\u2029"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        m = QtTextMap(text)
        _, ref = qt_model(text)
        assert [m.to_qt(cp) for cp in range(len(text) + 1)] == ref


def test_utf16map_agrees_with_encoding():
    text = "x😀y\u0301z👍🏽"
    m = Utf16Map(text)
    for cp in range(len(text) + 1):
        assert m.to_utf16(cp) == utf16_len(text[:cp])
        assert m.to_codepoint(m.to_utf16(cp)) == cp


def test_token_index_snap_and_neighbours():
    text = "The NATO summit, in Brussels."
    tokens = [(0, 3), (4, 8), (9, 15), (15, 16), (17, 19), (20, 28), (28, 29)]
    idx = TokenIndex(tokens, text)
    assert idx.snap(5, 11) == (4, 15)
    assert idx.token_span(21) == (20, 28)
    assert idx.next_start(4) == 9
    assert idx.prev_end(15) == 8
