"""The stored tokens of many documents unpacked at once into two numpy arrays, their offsets
shifted so that they index one string holding all the texts (``joined``).

Unpacking token by token costs ~25 us a document, a quarter of a second for the 8,600
documents that hold a common name; a few array operations over all of them take a few
milliseconds. The live gold dictionary finds a text's occurrences this way
(``nlp.live_match``). The packed format is ``core.codec``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.core.codec import unpack_bounds

SEPARATOR = "\x00"  # between the texts in ``joined``: no token holds it
_COMPACT = 1  # codec's format byte of the compact encoding (gaps uint8, lengths uint16)


@dataclass
class JoinedTokens:
    """``joined`` = the texts with ``SEPARATOR`` between them; ``offsets[i]`` is where text
    ``i`` starts in it; ``starts``/``ends`` are every token's offsets in ``joined``
    (increasing), ``first[i]`` the index of text ``i``'s first token."""

    joined: str
    offsets: Any  # np.ndarray of int32 (the joined texts stay under 2**31)
    starts: Any
    ends: Any
    first: Any


def join_tokens(texts: Sequence[str], blobs: Sequence[bytes]) -> JoinedTokens:
    """The texts and their packed tokens (``core.codec.pack_pairs``) as one ``JoinedTokens``."""
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int32, count=len(texts))
    offsets = np.zeros(len(texts), dtype=np.int32)
    if len(texts) > 1:
        np.cumsum(lengths[:-1], out=offsets[1:])
    gaps, sizes, counts = [], [], np.zeros(len(blobs), dtype=np.int32)
    for i, blob in enumerate(blobs):
        if blob[:1] == bytes([_COMPACT]):
            n = int.from_bytes(blob[1:5], "little")
            gaps.append(blob[5:5 + n])
            sizes.append(blob[5 + n:5 + 3 * n])
        else:  # the wide fallback: re-encode its pairs as gaps and lengths of any size
            s, e = unpack_bounds(blob)
            n = len(s)
            a, b = np.asarray(s, dtype=np.int32), np.asarray(e, dtype=np.int32)
            gap = np.diff(np.concatenate([[0], b]))[:n] - (b - a) if n else a
            gaps.append(gap.astype("<i4").tobytes())
            sizes.append((b - a).astype("<i4").tobytes())
        counts[i] = n
    g = _values(gaps, blobs, wide_gap=True)
    size = _values(sizes, blobs, wide_gap=False)
    advance = np.cumsum(g + size)
    first = np.zeros(len(blobs), dtype=np.int32)
    if len(blobs) > 1:
        np.cumsum(counts[:-1], out=first[1:])
    before = np.where(first > 0, advance[np.maximum(first - 1, 0)] if len(advance) else 0, 0)
    shift = np.repeat(offsets - before, counts)
    ends = advance + shift
    return JoinedTokens(SEPARATOR.join(texts), offsets, ends - size, ends, first)


def _values(parts: list[bytes], blobs: Sequence[bytes], *, wide_gap: bool) -> Any:
    """The gaps (uint8) or lengths (uint16) of every document as one int32 array; a
    document in the wide format contributed int32 values instead."""
    if all(b[:1] == bytes([_COMPACT]) for b in blobs):
        dtype = "u1" if wide_gap else "<u2"
        return np.frombuffer(b"".join(parts), dtype=dtype).astype(np.int32)
    out = []
    for blob, part in zip(blobs, parts, strict=True):
        compact = blob[:1] == bytes([_COMPACT])
        dtype = ("u1" if wide_gap else "<u2") if compact else "<i4"
        out.append(np.frombuffer(part, dtype=dtype).astype(np.int32))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int32)
