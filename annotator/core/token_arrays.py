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
_COMPACT_BYTE = bytes([_COMPACT])


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
    compact = all(b[:1] == _COMPACT_BYTE or len(b) <= 1 for b in blobs)  # b'\x00': none
    g, size, counts = _compact_arrays(blobs) if compact else _any_arrays(blobs)
    advance = np.cumsum(g + size)
    first = np.zeros(len(blobs), dtype=np.int32)
    if len(blobs) > 1:
        np.cumsum(counts[:-1], out=first[1:])
    before = np.where(first > 0, advance[np.maximum(first - 1, 0)] if len(advance) else 0, 0)
    shift = np.repeat(offsets - before, counts)
    ends = advance + shift
    return JoinedTokens(SEPARATOR.join(texts), offsets, ends - size, ends, first)


def _compact_arrays(blobs: Sequence[bytes]) -> tuple[Any, Any, Any]:
    """Gaps, lengths (int32, every token of every document) and token counts of blobs all in
    the compact encoding (format byte, count uint32, gaps uint8 * n, lengths uint16 * n):
    each blob's gaps and lengths are cut out as bytes and joined (one C copy each), then read
    as one array apiece. An index array over every token (k + repeat(...)) read the same
    bytes 4-10 times slower: 0.56-1.3 s against 0.13 s for the 5 million tokens of the 8,600
    documents holding a common name."""
    counts = np.fromiter((max(len(b) - 5, 0) // 3 for b in blobs), dtype=np.int32,
                         count=len(blobs))  # implied by the blob's size (1 byte: none)
    ns = counts.tolist()
    gaps = np.frombuffer(b"".join([b[5:5 + n] for b, n in zip(blobs, ns, strict=True)]),
                         dtype=np.uint8).astype(np.int32)
    length = np.frombuffer(b"".join([b[5 + n:5 + 3 * n] for b, n in zip(blobs, ns, strict=True)]),
                           dtype="<u2").astype(np.int32)
    return gaps, length, counts


def _any_arrays(blobs: Sequence[bytes]) -> tuple[Any, Any, Any]:
    """``_compact_arrays`` for blobs of which some are in the wide fallback encoding."""
    gaps, sizes, counts = [], [], np.zeros(len(blobs), dtype=np.int32)
    for i, blob in enumerate(blobs):
        if blob[:1] == _COMPACT_BYTE:
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
    return (_values(gaps, blobs, wide_gap=True), _values(sizes, blobs, wide_gap=False),
            counts)


def _values(parts: list[bytes], blobs: Sequence[bytes], *, wide_gap: bool) -> Any:
    """The gaps (uint8) or lengths (uint16) of every document as one int32 array; a
    document in the wide format contributed int32 values instead."""
    out = []
    for blob, part in zip(blobs, parts, strict=True):
        compact = blob[:1] == _COMPACT_BYTE
        dtype = ("u1" if wide_gap else "<u2") if compact else "<i4"
        out.append(np.frombuffer(part, dtype=dtype).astype(np.int32))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int32)
