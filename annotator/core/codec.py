"""Compact encodings shared by the importer, its worker processes and the store: token and
sentence offsets as BLOB bytes, and the content hash that identifies an article."""

from __future__ import annotations

import hashlib
import sys
from array import array
from itertools import accumulate
from operator import add, sub
from typing import Any


def content_hash(text: str) -> str:
    """SHA-256 of the UTF-8 text: duplicate detection and content-derived document ids."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Token/sentence offsets are stored compactly: a format byte, then either
#   1: count (uint32), gaps before each pair (uint8), pair lengths (uint16)   -- 3 bytes a token
#   0: flat int32 (start, end) pairs                                         -- 8 bytes a token
# Format 1 covers every ordinary text; format 0 is the fallback for huge gaps or tokens.
_COMPACT, _WIDE = b"\x01", b"\x00"


def pack_pairs(pairs: Any) -> bytes:
    """(start, end) pairs, a flat int32 array ``[s0, e0, s1, e1 ...]``, or bytes already
    packed (by an import worker), as BLOB bytes."""
    if isinstance(pairs, bytes):
        return pairs
    import numpy as np

    flat = np.asarray(pairs, dtype=np.int64).reshape(-1)
    return pack_many(flat[0::2], flat[1::2], np.array([0, len(flat) // 2]))[0]


def pack_many(starts: Any, ends: Any, bounds: Any) -> list[bytes]:
    """BLOB bytes for many documents at once: document ``i`` owns the pairs
    ``bounds[i]:bounds[i + 1]`` of the int arrays ``starts`` and ``ends``. The work is a few
    array operations over all of them, which is what keeps import close to bare tokenisation."""
    import numpy as np

    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    bounds = np.asarray(bounds, dtype=np.int64)
    gaps = np.empty_like(starts)
    if len(starts):
        gaps[0] = starts[0]
        np.subtract(starts[1:], ends[:-1], out=gaps[1:])
        firsts = bounds[:-1][bounds[:-1] < bounds[1:]]
        gaps[firsts] = starts[firsts]
    lengths = ends - starts
    # one value per pair: below 256 exactly when its gap is in [0, 256) and length in [0, 65536)
    fits = np.where((gaps < 0) | (lengths < 0), 256, gaps | (lengths >> 8))
    small = gaps.astype("u1").tobytes()
    wide = lengths.astype("<u2").tobytes()
    worst = np.zeros(len(bounds) - 1, dtype=np.int64)  # per document: the largest ``fits``
    filled = bounds[:-1] < bounds[1:]
    if filled.any():
        worst[filled] = np.maximum.reduceat(fits, bounds[:-1][filled])
    out = []
    for a, b, w in zip(bounds[:-1].tolist(), bounds[1:].tolist(), worst.tolist(), strict=True):
        if a == b:
            out.append(_WIDE)
        elif w < 256:
            out.append(_COMPACT + (b - a).to_bytes(4, "little") + small[a:b] + wide[2 * a:2 * b])
        else:
            flat = np.empty(2 * (b - a), dtype="<i4")
            flat[0::2], flat[1::2] = starts[a:b], ends[a:b]
            out.append(_WIDE + flat.tobytes())
    return out


def unpack_pairs(blob: bytes) -> list[tuple[int, int]]:
    if not blob or blob[:1] == _WIDE:
        flat = array("i")
        flat.frombytes(blob[1:])
        if sys.byteorder != "little":  # pragma: no cover
            flat.byteswap()
        return list(zip(flat[0::2], flat[1::2], strict=True))
    n = int.from_bytes(blob[1:5], "little")
    gaps = blob[5:5 + n]
    lengths = array("H")
    lengths.frombytes(blob[5 + n:5 + 3 * n])
    if sys.byteorder != "little":  # pragma: no cover
        lengths.byteswap()
    out = []
    pos = 0
    for gap, length in zip(gaps, lengths, strict=True):
        start = pos + gap
        pos = start + length
        out.append((start, pos))
    return out


def unpack_bounds(blob: bytes) -> tuple[list[int], list[int]]:
    """``unpack_pairs`` as two lists, the starts and the ends, decoded without a Python loop
    (agreement reads the tokens of every document)."""
    if not blob or blob[:1] == _WIDE:
        pairs = unpack_pairs(blob)
        return [p[0] for p in pairs], [p[1] for p in pairs]
    n = int.from_bytes(blob[1:5], "little")
    lengths = array("H")
    lengths.frombytes(blob[5 + n:5 + 3 * n])
    if sys.byteorder != "little":  # pragma: no cover
        lengths.byteswap()
    ends = list(accumulate(map(add, blob[5:5 + n], lengths)))
    return list(map(sub, ends, lengths)), ends
