"""Compact encodings shared by the importer, its worker processes and the store: token and
sentence offsets as BLOB bytes, and the content hash that identifies an article."""

from __future__ import annotations

import hashlib
import sys
from array import array
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

    flat = np.asarray(pairs, dtype=np.int32).reshape(-1)
    if not len(flat):
        return _WIDE
    starts, ends = flat[0::2], flat[1::2]
    gaps = np.empty_like(starts)
    gaps[0] = starts[0]
    np.subtract(starts[1:], ends[:-1], out=gaps[1:])
    lengths = ends - starts
    # one reduction: every gap in [0, 256) and every length in [0, 65536)
    if int((gaps.view(np.uint32) | (lengths.view(np.uint32) >> 8)).max()) < 256:
        return (_COMPACT + len(starts).to_bytes(4, "little")
                + gaps.astype("u1").tobytes() + lengths.astype("<u2").tobytes())
    return _WIDE + flat.astype("<i4").tobytes()


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
