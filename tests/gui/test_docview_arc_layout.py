"""arc_layout.place on its own (no Qt): labels never cover the legs of other arcs, even a wide
half-arc label beside the right margin whose only room is on its leg's other side (#10.12: in
the seed article at 700 px, 'GEN-AFF.Citizen-Resident-Religion-Ethnicity →' from '1,300'
sat on the leg that 'PHYS.Located' from '1,300' to 'Georgia' runs up by, once that arc had
gone up past it for a slot of its own)."""

from __future__ import annotations

from annotator.gui.docview.arc_layout import PAD, Piece, place


def _adv(text: str) -> float:
    return 5.0 * len(text)


def _half_left_of_leg(key: str, x: float, label: str) -> Piece:
    """A half arc at ``x`` towards the right margin with no room there: its label slides on
    the leg's other side (as arc_plans makes it)."""
    half = (_adv(label) + PAD) / 2
    other = (x - (half + 4), x - (half + 4 + 80.0))
    return Piece(key, "head", x, 690.0, other[0] - 2, (min(other), max(other)), (label,))


def _legs(p: Piece) -> list[float]:
    return [p.x_from, p.x_to] if p.end == "both" else [p.x_from]


def _check(pieces: list[Piece]) -> None:
    for p in pieces:
        lo, hi = p.left, p.left + p.width
        for q in pieces:
            if q is p:
                continue
            if q.row == p.row:
                assert q.left + q.width <= lo or q.left >= hi, (p.text, q.text)
                assert not (q.lo < p.hi - 0.5 and p.lo < q.hi - 0.5), (p.text, q.text)
            if q.row < p.row:
                continue
            for x in _legs(q):  # q's leg runs up past p's label
                inside = p.end == "both" and p.lo - 0.5 <= x <= p.hi + 0.5
                assert inside or not lo + 1 < x < hi - 1, (p.text, q.text, x, p.row, q.row)


def test_wide_half_arc_label_by_the_margin_keeps_off_a_rising_leg():
    emp = _half_left_of_leg("a", 631.0, "Employment \u2192")
    gen = _half_left_of_leg("b", 631.0, "GEN-AFF.Citizen-Resident-Religion-Ethnicity \u2192")
    phys = Piece("c", "both", 631.0, 527.0, 579.0, (527.0, 631.0), ("PHYS.Located",))
    pieces = [emp, gen, phys]
    plan = place(pieces, _adv, 690.0)
    _check(pieces)
    assert plan.rows == max(p.row for p in pieces)
    assert all(p.text for p in pieces)


def test_many_half_arcs_and_nested_arcs_on_one_line():
    """A crowd of pieces of mixed lengths at one margin: the same rules hold everywhere."""
    pieces = [_half_left_of_leg(f"h{i}", 600.0 + 8 * i, f"{'Role' * (i + 1)} \u2192")
              for i in range(4)]
    for i in range(5):
        x1, x2 = 400.0 + 25 * i, 660.0 - 15 * i
        pieces.append(Piece(f"b{i}", "both", x1, x2, (x1 + x2) / 2, (x1, x2),
                            (f"REL-{i}.Located", "Located")))
    place(pieces, _adv, 690.0)
    _check(pieces)
