"""Offsets: code points (our unit), UTF-16 code units (Qt's unit), token snapping and which
tokens are punctuation only (``is_punctuation``: token moves skip them).

Every offset stored by the project is a Python code point index, start inclusive, end exclusive,
into the verbatim document text. Widgets count UTF-16 code units; the conversion happens only
through ``Utf16Map``, which is tested on astral characters, combining marks and ``\r\n``.
"""

from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

# Punctuation by Unicode category that reads as a word ("5 %", "AT & T", "@user", "# 3"):
# such a token is part of a name or a number, so token moves stop on it.
WORDLIKE_PUNCTUATION = frozenset("%\u2030\u2031&@#\u00a7\u2116")


def is_punctuation(token: str) -> bool:
    """Whether ``token`` is made only of punctuation (commas, full stops, quotes, dashes,
    brackets, ellipses ...: Unicode categories P*, whitespace aside), the tokens that word-wise
    moves jump over. Signs that stand for a word (``WORDLIKE_PUNCTUATION``) are not, nor is
    anything with a letter, digit or symbol ("U.S.", "$", "+")."""
    seen = False
    for ch in token:
        if ch.isspace():
            continue
        if ch in WORDLIKE_PUNCTUATION or unicodedata.category(ch)[0] != "P":
            return False
        seen = True
    return seen


class Utf16Map:
    """Converts between code-point offsets and UTF-16 code-unit offsets of one text."""

    __slots__ = ("_astral", "length_cp", "length_u16")

    def __init__(self, text: str) -> None:
        # Positions (code points) of characters outside the BMP, which take two UTF-16 units.
        self._astral = array("i", (i for i, ch in enumerate(text) if ord(ch) > 0xFFFF))
        self.length_cp = len(text)
        self.length_u16 = len(text) + len(self._astral)

    @property
    def trivial(self) -> bool:
        return not self._astral

    def to_utf16(self, cp: int) -> int:
        """Code point offset -> UTF-16 offset."""
        if not self._astral:
            return cp
        return cp + bisect_left(self._astral, cp)

    def to_codepoint(self, u16: int) -> int:
        """UTF-16 offset -> code point offset (a position inside a surrogate pair rounds down)."""
        if not self._astral:
            return u16
        lo, hi = 0, len(self._astral)
        # number of astral chars whose UTF-16 start is < u16
        while lo < hi:
            mid = (lo + hi) // 2
            if self._astral[mid] + mid < u16:
                lo = mid + 1
            else:
                hi = mid
        # lo astral characters start before u16; if u16 falls between the two halves of the
        # last of them, it is counted as a whole character already, so round down.
        if lo and self._astral[lo - 1] + (lo - 1) + 1 == u16:
            return self._astral[lo - 1]
        return u16 - lo


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class TokenIndex:
    """Token boundaries of one document, for snapping selections and keyboard movement.

    ``tokens`` are (start, end) code-point pairs; whitespace-only tokens are ignored. Word
    tokens are the others than punctuation-only ones (``is_punctuation``).
    """

    __slots__ = ("_text", "ends", "starts")

    def __init__(self, tokens: Sequence[tuple[int, int]], text: str) -> None:
        pairs = [(s, e) for s, e in tokens if text[s:e].strip()]
        self.starts = array("i", (s for s, _ in pairs))
        self.ends = array("i", (e for _, e in pairs))
        self._text = text  # a reference, not a copy: for is_word

    def __len__(self) -> int:
        return len(self.starts)

    def is_word(self, i: int) -> bool:
        """Whether token ``i`` is a word (not punctuation only)."""
        return not is_punctuation(self._text[self.starts[i]:self.ends[i]])

    def word_at_or_after(self, i: int) -> int | None:
        """Index of the first word token at index ``i`` or later (None: none is)."""
        n = len(self.starts)
        i = max(i, 0)
        while i < n:
            if self.is_word(i):
                return i
            i += 1
        return None

    def word_at_or_before(self, i: int) -> int | None:
        """Index of the last word token at index ``i`` or earlier (None: none is)."""
        i = min(i, len(self.starts) - 1)
        while i >= 0:
            if self.is_word(i):
                return i
            i -= 1
        return None

    def snap(self, start: int, end: int) -> tuple[int, int]:
        """Expand [start, end) to whole tokens; unchanged when it touches no token."""
        if not self.starts or start >= end:
            return start, end
        i = bisect_right(self.ends, start)  # first token ending after start
        j = bisect_left(self.starts, end) - 1  # last token starting before end
        if i > j:
            return start, end
        return min(start, self.starts[i]), max(end, self.ends[j])

    def is_aligned(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, start)
        if i >= len(self.starts) or self.starts[i] != start:
            return False
        j = bisect_left(self.ends, end)
        return j < len(self.ends) and self.ends[j] == end

    def token_at(self, pos: int) -> int | None:
        """Index of the token containing ``pos`` (or the next token), None past the end."""
        i = bisect_right(self.ends, pos)
        return i if i < len(self.starts) else None

    def next_start(self, pos: int) -> int | None:
        i = bisect_right(self.starts, pos)
        return self.starts[i] if i < len(self.starts) else None

    def prev_start(self, pos: int) -> int | None:
        i = bisect_left(self.starts, pos) - 1
        return self.starts[i] if i >= 0 else None

    def next_end(self, pos: int) -> int | None:
        i = bisect_right(self.ends, pos)
        return self.ends[i] if i < len(self.ends) else None

    def prev_end(self, pos: int) -> int | None:
        i = bisect_left(self.ends, pos) - 1
        return self.ends[i] if i >= 0 else None

    def token_span(self, pos: int) -> tuple[int, int] | None:
        """The token around ``pos`` (for double-click selection)."""
        i = bisect_right(self.ends, pos)
        if i < len(self.starts) and self.starts[i] <= pos:
            return self.starts[i], self.ends[i]
        return None

    def tokens_in(self, start: int, end: int) -> tuple[int, int]:
        """Token index range [i, j) of tokens inside [start, end)."""
        return bisect_left(self.starts, start), bisect_right(self.ends, end)


def find_all(text: str, needle: str, *, whole_words: bool = True) -> list[tuple[int, int]]:
    """Every occurrence of ``needle`` in ``text`` (code points), optionally only whole words."""
    out: list[tuple[int, int]] = []
    if not needle:
        return out
    i = text.find(needle)
    n = len(needle)
    while i != -1:
        j = i + n
        if not whole_words or (
            (i == 0 or not text[i - 1].isalnum() or not needle[0].isalnum())
            and (j == len(text) or not text[j].isalnum() or not needle[-1].isalnum())
        ):
            out.append((i, j))
        i = text.find(needle, i + 1)
    return out


def trim_and_snap(text: str, tokens: TokenIndex | None, start: int, end: int,
                  snap: bool = True) -> tuple[int, int] | None:
    """The range a selection [start, end) of ``text`` labels: clamped to the text, trimmed of
    whitespace at both edges, then (when ``snap`` and ``tokens`` are given) expanded to whole
    tokens; None when nothing but whitespace is selected. The GUI's label keys and event key
    use it, and so can any caller that turns a rough selection into a span."""
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    if snap and tokens is not None:
        return tokens.snap(start, end)
    return start, end
