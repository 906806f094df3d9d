"""Where the arcs of one visual line rise to and where their labels sit (no Qt here).

The room above a line is a stack of rows (row 1 is the lowest). Each arc piece of the line (a
whole arc with both ends on it, or a half arc running from one end to the margin) gets a row
and a label slot in that row, brat/displaCy style: pieces are placed shortest first, each one
row above every piece already placed whose horizontal run overlaps its own (nested arcs rise
above the arcs they contain), and then higher still until its label finds a free slot in its
row: the label slides along the arc's flat top, and takes its abbreviation (``short_label``,
the tooltip names the full label) before going up a row. No two labels of a line overlap, and
each label sits on its own arc's top, so the arcs still reach their labels and their ends. A
label left on the leg of a higher arc (nowhere else in its row) goes up, arc and all, above
that arc, so that every arc is seen up to its ends.
The rows a line needs is what the view makes room for (see room); with a cap on the rows
(only the selection's arcs drawn, in the room all arcs would not need), a label that finds no
slot below the cap goes to the top row where it overlaps least.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

GAP = 3.0  # px between two labels of one row
PAD = 8.0  # a label's tag is its text's advance plus this
CLIMB = 1  # rows a label may go up to keep clear of the legs of other arcs


@dataclass(slots=True)
class Piece:
    """One arc piece on one line: what it spans (px, block layout coordinates) and where its
    label may go; ``row``, ``left`` and ``text`` are filled in by ``place``."""

    key: str  # the arc's key ("r:<id>", "a:<id>")
    end: str  # "both" (one curve on this line), "head" or "tail" (a half arc at that end)
    x_from: float  # the arc rises at x_from (head, or the half arc's end) and runs to x_to
    x_to: float  # (tail, or the margin)
    want: float  # preferred label centre
    slide: tuple[float, float]  # the label's centre may go anywhere in this range
    texts: tuple[str, ...]  # the label as shown, then its abbreviation (if different)
    alt: tuple[float, float] | None = None  # a second range, tried when ``slide`` is full
    row: int = 0
    left: float = 0.0  # the label tag's left edge
    width: float = 0.0  # the label tag's width
    text: str = ""  # the text on the tag (one of ``texts``)

    @property
    def lo(self) -> float:
        """Left end of the arc's top."""
        return min(self.x_from, self.x_to)

    @property
    def hi(self) -> float:
        """Right end of the arc's top."""
        return max(self.x_from, self.x_to)


@dataclass(slots=True)
class LinePlan:
    """The placed pieces of one line and the rows they use."""

    pieces: list[Piece] = field(default_factory=list)
    rows: int = 0


def _crosses(p: Piece, q: Piece) -> bool:
    """Whether the tops of two pieces overlap (more than where they meet: arcs that only
    share an end, one on each side of it, may have the same row)."""
    return q.lo < p.hi - 0.5 and p.lo < q.hi - 0.5


def _free_centre(taken: list[tuple[float, float]], want: float, lo: float, hi: float,
                 width: float) -> float | None:
    """The centre nearest ``want`` in [lo, hi] for a tag of ``width`` that keeps GAP from
    every tag in ``taken`` (left, right), or None when there is none."""
    half = width / 2
    if not taken:
        return min(max(want, lo), hi)
    # candidate centres: want itself and the positions right against each taken tag
    cands = [want]
    for a, b in taken:
        cands.append(a - GAP - half)
        cands.append(b + GAP + half)
    best: float | None = None
    for c in cands:
        c = min(max(c, lo), hi)
        if any(c - half < b + GAP - 0.01 and c + half > a - GAP + 0.01 for a, b in taken):
            continue
        if best is None or abs(c - want) < abs(best - want):
            best = c
    return best


def _overlap(taken: list[tuple[float, float]], left: float, right: float) -> float:
    return sum(max(0.0, min(b, right) - max(a, left)) for a, b in taken)


def _slot(p: Piece, row_taken: list[tuple[float, float]], advance: Callable[[str], float],
          right: float, alt: bool = False) -> tuple[float, float, str] | None:
    """(centre, width, text) of a free slot for ``p``'s label in one row, full text first
    (``alt``: in its second range)."""
    slide = p.alt if alt else p.slide
    if slide is None:
        return None
    for text in p.texts:
        w = advance(text) + PAD
        # the whole tag stays inside [0, right] when it can
        lo, hi = max(slide[0], w / 2), min(slide[1], right - w / 2)
        if lo > hi:  # too wide for its slide range: centred on what is left of it
            lo = hi = min(max((slide[0] + slide[1]) / 2, w / 2), max(w / 2, right - w / 2))
        want = min(max(p.want, slide[0]), slide[1])
        c = _free_centre(row_taken, want, lo, hi, w)
        if c is not None:
            return c, w, text
    return None


def _legs(p: Piece) -> tuple[float, ...]:
    """Where a piece's vertical legs are (a half arc's other end is the margin)."""
    return (p.x_from, p.x_to) if p.end == "both" else (p.x_from,)


def _leg_marks(xs: Iterable[float]) -> list[tuple[float, float]]:
    return [(x - 1.0, x + 1.0) for x in xs]


def place(pieces: Sequence[Piece], advance: Callable[[str], float], right: float,
          max_rows: int | None = None) -> LinePlan:
    """Give every piece of one line a row and a label slot (see the module docstring);
    ``advance`` measures a label's text, ``right`` is the line's right edge.

    A label also keeps clear of the legs of the arcs that rise past its row where its row
    has room for that (else it covers them: it never goes up a row for a leg): the legs of
    higher pieces placed before it, and of the pieces still to come that cross it (they will
    go above it); once all are placed, labels still on a leg move aside if they can."""
    order = sorted(pieces, key=lambda p: (p.hi - p.lo, p.lo, p.key, p.end))
    placed: list[Piece] = []
    taken: dict[int, list[tuple[float, float]]] = {}
    for i, p in enumerate(order):
        row = 1 + max((q.row for q in placed if _crosses(p, q)), default=0)
        if max_rows is not None:
            row = min(row, max_rows)
        above = [x for q in order[i + 1:] if _crosses(p, q) for x in _legs(q)]
        row, got = _find_slot(p, row, (placed, above, taken), advance, right, max_rows)
        row_taken = taken[row]
        c, w, text = got
        p.row, p.left, p.width, p.text = row, c - w / 2, w, text
        row_taken.append((p.left, p.left + w))
        placed.append(p)
    _off_the_legs(order, taken, advance, right, max_rows)
    return LinePlan(list(pieces), max((p.row for p in pieces), default=0))


def _find_slot(p: Piece, row: int,
               around: tuple[list[Piece], list[float], dict[int, list[tuple[float, float]]]],
               advance: Callable[[str], float], right: float, max_rows: int | None
               ) -> tuple[int, tuple[float, float, str]]:
    """The row (from ``row`` up) and slot of ``p``'s label: clear of labels and legs in its
    row or the one above (the legs of pieces placed lower end below it), else clear of
    labels only, in the lowest row that has room."""
    placed, above, taken = around
    top = row + CLIMB if max_rows is None else min(row + CLIMB, max_rows)
    for r in range(row, top + 1):
        row_taken = taken.setdefault(r, [])
        legs = _leg_marks(above + [x for q in placed if q.row >= r for x in _legs(q)])
        got = _slot(p, row_taken + legs, advance, right) or \
            _slot(p, row_taken + legs, advance, right, alt=True)
        if got is not None:
            return r, got
    while True:
        row_taken = taken.setdefault(row, [])
        got = _slot(p, row_taken, advance, right)
        if got is None and max_rows is not None and row >= max_rows:
            got = _least_overlap(p, row_taken, advance)
        if got is not None:
            return row, got
        row += 1


def _covers(p: Piece, legs: list[tuple[float, float]]) -> bool:
    return any(a < p.left + p.width and p.left < b for a, b in legs)


def _legs_above(order: list[Piece], p: Piece, row: int) -> list[tuple[float, float]]:
    """The legs of the pieces other than ``p`` that rise to ``row`` or past it."""
    return _leg_marks(x for q in order if q is not p and q.row >= row for x in _legs(q))


def _off_the_legs(order: list[Piece], taken: dict[int, list[tuple[float, float]]],
                  advance: Callable[[str], float], right: float,
                  max_rows: int | None = None) -> None:
    """Labels that cover the leg of a higher arc move aside in their row where they can,
    else up, arc and all, above that arc (``_lift``). An arc placed later can rise past an
    earlier label (it went up for a label slot of its own), so this looks again after each
    lift, a few passes at most."""
    for _ in range(4):
        lifted = False
        for p in order:
            legs = _legs_above(order, p, p.row)
            if not _covers(p, legs):
                continue
            row_taken = taken[p.row]
            mine = (p.left, p.left + p.width)
            others = [t for t in row_taken if t != mine]
            got = _slot(p, others + legs, advance, right) or \
                _slot(p, others + legs, advance, right, alt=True)
            if got is not None:
                c, w, text = got
                row_taken.remove(mine)
                p.left, p.width, p.text = c - w / 2, w, text
                row_taken.append((p.left, p.left + w))
            elif _lift(p, order, taken, advance, right, max_rows):
                lifted = True
        if not lifted:
            return


def _lift(p: Piece, order: list[Piece], taken: dict[int, list[tuple[float, float]]],
          advance: Callable[[str], float], right: float, max_rows: int | None) -> bool:
    """Move ``p`` (its label and its arc's top) up to the lowest row above the arcs whose
    legs its label covers, where its label has a slot clear of labels and legs and its own
    legs, now longer, run past no label; False (left as it is) when there is none below
    ``max_rows``. (A wide half-arc label beside the right margin, with no room towards it,
    sat on the leg of an arc that went up past it.)"""
    mine = (p.left, p.left + p.width)
    legs = _legs_above(order, p, p.row)
    over = [q.row for q in order if q is not p and q.row >= p.row
            and _covers(p, _leg_marks(_legs(q)))]
    lowest = max(over, default=p.row) + 1
    top = max((q.row for q in order), default=0) + 1
    if max_rows is not None:
        top = min(top, max_rows)
    mine_legs = _leg_marks(_legs(p))
    for r in range(lowest, top + 1):
        if any(q is not p and q.row == r and _crosses(p, q) for q in order):
            continue  # the top of an arc it crosses runs along that row
        # the labels its legs would now run past (rows from its own up to below r)
        if any(a < hi and lo < b for rr in range(p.row, r) for a, b in taken.get(rr, ())
               if (a, b) != mine for lo, hi in mine_legs):
            return False
        legs = _legs_above(order, p, r)
        row_taken = taken.setdefault(r, [])
        got = _slot(p, row_taken + legs, advance, right) or \
            _slot(p, row_taken + legs, advance, right, alt=True)
        if got is None:
            continue
        taken[p.row].remove(mine)
        c, w, text = got
        p.row, p.left, p.width, p.text = r, c - w / 2, w, text
        row_taken.append((p.left, p.left + w))
        return True
    return False


def _least_overlap(p: Piece, row_taken: list[tuple[float, float]],
                   advance: Callable[[str], float]) -> tuple[float, float, str]:
    """No free slot and no row left: the abbreviation where it covers the least."""
    text = p.texts[-1]
    w = advance(text) + PAD
    lo, hi = p.slide
    cands = [p.want, lo, hi] + [b + GAP + w / 2 for _, b in row_taken]
    cands = [min(max(c, lo), hi) for c in cands]
    c = min(cands, key=lambda c: (_overlap(row_taken, c - w / 2, c + w / 2), abs(c - p.want)))
    return c, w, text
