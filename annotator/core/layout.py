"""Pure layout helpers the document view draws from (no Qt here, so they are tested alone).

* ``QtTextMap``: the ONE conversion between code-point offsets (what the project stores) and
  positions in a ``QTextDocument`` filled with ``setPlainText`` (UTF-16 units, where ``\\r\\n``
  becomes one block separator).
* ``pack_lanes``: stack overlapping spans into lanes (track packing, as QualCoder's margin and
  displaCy's ``render_slot``): sort by start, longer first, first lane whose last end <= start.
* ``arc_levels``: displaCy/brat-style heights for arcs: shorter arcs first and lower, an arc sits
  one level above every already placed arc it overlaps.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from annotator.core.offsets import Utf16Map

# Characters after which QTextCursor::insertText (used by setPlainText) starts a new block.
# "\r\n" is one break of two code points (the "\n" vanishes from the QTextDocument).
BLOCK_BREAKS = frozenset("\n\r\u2029\ufdd0\ufdd1")
_BREAK_RE = re.compile("\r\n|[\n\r\u2029\ufdd0\ufdd1]")


class QtTextMap:
    """Code point <-> QTextDocument position for a text shown with ``setPlainText``.

    Two things make them differ: characters outside the BMP take two UTF-16 units in Qt (one
    code point here), and ``"\\r\\n"`` becomes a single block separator in the document (two code
    points here). ``to_qt``/``to_cp`` are the only conversion functions the view uses.
    """

    __slots__ = ("_crlf_qt", "_crlf_u16", "_u16", "block_starts", "length_cp", "length_qt")

    def __init__(self, text: str) -> None:
        # Utf16Map scans every character; skip that when nothing is outside the BMP.
        has_astral = bool(text) and max(text) > "\uffff"
        self._u16 = Utf16Map(text if has_astral else "")
        self.length_cp = len(text)
        crlf: list[int] = []  # code point index of each "\n" that follows "\r" (dropped by Qt)
        starts = [0]
        for m in _BREAK_RE.finditer(text):
            if m.end() - m.start() == 2:
                crlf.append(m.start() + 1)
            starts.append(m.end())
        self.block_starts = array("i", starts)
        # The dropped "\n" units in UTF-16 coordinates, and the Qt position at which the k-th
        # drop takes effect (u16 index minus drops before it).
        u16 = [self._u16.to_utf16(c) for c in crlf]
        self._crlf_u16 = array("i", u16)
        self._crlf_qt = array("i", (u - k for k, u in enumerate(u16)))
        n_astral = self._u16.length_u16 - self._u16.length_cp
        self.length_qt = len(text) + n_astral - len(crlf)

    @property
    def trivial(self) -> bool:
        return self._u16.trivial and not self._crlf_u16

    def to_qt(self, cp: int) -> int:
        """Code point offset -> QTextDocument position (a boundary inside "\\r\\n" maps after it)."""
        u = self._u16.to_utf16(cp)
        if not self._crlf_u16:
            return u
        return u - bisect_left(self._crlf_u16, u)

    def to_cp(self, pos: int) -> int:
        """QTextDocument position -> code point offset (inverse of ``to_qt`` on boundaries)."""
        if self._crlf_qt:
            pos += bisect_right(self._crlf_qt, pos)
        return self._u16.to_codepoint(pos)

    def block_of(self, cp: int) -> int:
        """Number of the QTextBlock holding code point ``cp``."""
        return max(0, bisect_right(self.block_starts, cp) - 1)

    def block_range(self, number: int) -> tuple[int, int]:
        """[start, end) code points of block ``number``'s text (without its separator)."""
        start = self.block_starts[number]
        if number + 1 < len(self.block_starts):
            nxt = self.block_starts[number + 1]
            end = nxt - 1
            if end > start and self._is_crlf_end(nxt):
                end -= 1
            return start, max(start, end)
        return start, self.length_cp

    def _is_crlf_end(self, next_start: int) -> bool:
        # the break before next_start was "\r\n" if next_start-1 is a dropped "\n"
        u = self._u16.to_utf16(next_start - 1)
        i = bisect_left(self._crlf_u16, u)
        return i < len(self._crlf_u16) and self._crlf_u16[i] == u

    def blocks_touching(self, start: int, end: int) -> range:
        """Block numbers that [start, end) touches (at least one block)."""
        first = self.block_of(start)
        last = self.block_of(max(start, end - 1))
        return range(first, last + 1)


def pack_lanes(intervals: Sequence[tuple[int, int]]) -> list[int]:
    """Lane per interval: sort by start, longer first; first lane whose last end <= start.

    Overlapping (and nested) intervals get distinct lanes; disjoint ones share lane 0.
    """
    order = sorted(range(len(intervals)), key=lambda i: (intervals[i][0], -intervals[i][1], i))
    lane_ends: list[int] = []
    out = [0] * len(intervals)
    for i in order:
        start, end = intervals[i]
        for lane, last in enumerate(lane_ends):
            if last <= start:
                lane_ends[lane] = max(end, start + 1)
                out[i] = lane
                break
        else:
            out[i] = len(lane_ends)
            lane_ends.append(max(end, start + 1))
    return out


def arc_levels(arcs: Sequence[tuple[int, int]]) -> list[int]:
    """Level (1 = lowest) per arc given by its two anchor positions, displaCy/brat style.

    Arcs are placed shortest first; each goes one level above the highest already placed arc
    whose range overlaps its own, so nested arcs get increasing levels and short arcs stay low.
    """
    norm = [(min(a, b), max(a, b)) for a, b in arcs]
    order = sorted(range(len(norm)), key=lambda i: (norm[i][1] - norm[i][0], norm[i][0], i))
    placed: list[tuple[int, int, int]] = []
    out = [1] * len(norm)
    for i in order:
        lo, hi = norm[i]
        level = 1
        for plo, phi, plevel in placed:
            if plo <= hi and lo <= phi and plevel >= level:
                level = plevel + 1
        out[i] = level
        placed.append((lo, hi, level))
    return out
