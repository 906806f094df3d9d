"""Pure layout functions the document view draws from: lanes and arc levels."""

from __future__ import annotations

import random

from annotator.core.layout import arc_levels, pack_lanes


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_disjoint_spans_share_lane_zero():
    assert pack_lanes([(0, 3), (4, 8), (8, 10), (20, 25)]) == [0, 0, 0, 0]


def test_overlapping_and_nested_spans_get_distinct_lanes():
    spans = [(0, 10), (2, 5), (3, 4), (8, 12)]
    lanes = pack_lanes(spans)
    assert lanes[0] == 0  # longest first at the same start; outer span nearest the text
    for i in range(len(spans)):
        for j in range(i + 1, len(spans)):
            if _overlap(spans[i], spans[j]):
                assert lanes[i] != lanes[j], (spans[i], spans[j])


def test_same_start_longer_first_and_lane_reuse():
    # sorted by start, longer first: (0,10) lane 0, (0,3) lane 1, (3,6) reuses lane 1
    assert pack_lanes([(0, 3), (0, 10), (3, 6)]) == [1, 0, 1]


def test_identical_spans_are_separated():
    assert sorted(pack_lanes([(5, 9), (5, 9), (5, 9)])) == [0, 1, 2]


def test_pack_lanes_random_never_overlaps_and_is_compact():
    rng = random.Random(7)
    for _ in range(200):
        spans = []
        for _ in range(rng.randint(0, 25)):
            s = rng.randint(0, 60)
            spans.append((s, s + rng.randint(1, 15)))
        lanes = pack_lanes(spans)
        for i in range(len(spans)):
            for j in range(i + 1, len(spans)):
                if _overlap(spans[i], spans[j]):
                    assert lanes[i] != lanes[j]
        # first-fit: never more lanes than the maximum depth of overlap
        depth = max((sum(1 for s in spans if s[0] <= x < s[1]) for x in range(80)), default=0)
        assert (max(lanes) + 1 if lanes else 0) <= max(depth, 0) or not spans


def test_arc_levels_nested_arcs_increase():
    # (4,6) inside (2,8) inside (0,10)
    assert arc_levels([(0, 10), (2, 8), (4, 6)]) == [3, 2, 1]


def test_arc_levels_disjoint_arcs_stay_low_and_direction_does_not_matter():
    assert arc_levels([(0, 3), (10, 5), (20, 30)]) == [1, 1, 1]
    assert arc_levels([(10, 0), (8, 2)]) == [2, 1]


def test_arc_levels_overlapping_arcs_do_not_share_a_level():
    arcs = [(0, 5), (3, 9), (7, 12)]
    levels = arc_levels(arcs)
    for i in range(3):
        for j in range(i + 1, 3):
            a, b = sorted(arcs[i]), sorted(arcs[j])
            if a[0] <= b[1] and b[0] <= a[1]:
                assert levels[i] != levels[j]


def test_arc_levels_shared_endpoint_fan():
    # an event trigger with three arguments: each arc its own level, shortest lowest
    levels = arc_levels([(10, 12), (10, 20), (10, 40)])
    assert levels == [1, 2, 3]
