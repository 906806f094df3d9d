"""The compact BLOB encoding of token and sentence offsets, one document or many at once."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.codec import pack_many, pack_pairs, unpack_pairs


def pairs_strategy() -> st.SearchStrategy[list[tuple[int, int]]]:
    """Ordered (start, end) pairs with gaps and lengths that sometimes overflow the compact
    format (a gap of 256 or more, a token of 65,536 characters or more)."""
    steps = st.lists(st.tuples(st.sampled_from([0, 1, 2, 255, 256, 1000]),
                               st.sampled_from([0, 1, 5, 65_535, 65_536])), max_size=12)

    def build(items: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out, pos = [], 0
        for gap, length in items:
            out.append((pos + gap, pos + gap + length))
            pos += gap + length
        return out

    return steps.map(build)


@given(st.lists(pairs_strategy(), max_size=6))
def test_pack_many_equals_packing_each_document_and_round_trips(docs) -> None:
    starts = np.array([s for d in docs for s, _ in d], dtype=np.int64)
    ends = np.array([e for d in docs for _, e in d], dtype=np.int64)
    bounds = np.cumsum([0] + [len(d) for d in docs])
    packed = pack_many(starts, ends, bounds)
    assert packed == [pack_pairs(d) for d in docs]
    assert [unpack_pairs(b) for b in packed] == docs


def test_ordinary_tokens_take_three_bytes_each() -> None:
    pairs = [(0, 4), (5, 9), (9, 10)]
    assert len(pack_pairs(pairs)) == 1 + 4 + 3 * len(pairs)
    assert unpack_pairs(pack_pairs(pairs)) == pairs
