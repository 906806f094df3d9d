"""Where a token sequence occurs in many documents at once: the live gold dictionary's
matcher (``nlp.live_gold``).

The occurrences are those ``GoldDictionary.batch`` finds (consecutive tokens whose texts are
the sequence's words, case and all), found the other way round: the first word is looked
up in all the texts joined into one string (one regular-expression pass in C), each hit is
kept when it is a whole token (``numpy.searchsorted`` over every token of every document,
``core.token_arrays``) and the tokens after it are the sequence's other words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from annotator.core.token_arrays import join_tokens

Seq = tuple[str, ...]
Place = tuple[str, int, int]  # document id, start, end


def occurrences(seq: Seq, docs: Sequence[tuple[str, str, bytes, int]]) -> list[Place]:
    """Every occurrence of ``seq`` in ``docs`` ((id, text, packed tokens, position), as
    ``Project.texts_holding`` reads them), in document and text order."""
    if not seq or not docs:
        return []
    ids = [d[0] for d in docs]
    jt = join_tokens([d[1] for d in docs], [d[2] for d in docs])
    head = seq[0]
    # a word that may overlap itself ("aa" in "aaa") needs the slower look-ahead
    overlaps = any(head.endswith(head[:k]) for k in range(1, len(head)))
    pattern = re.compile(f"(?={re.escape(head)})" if overlaps else re.escape(head))
    hits = np.asarray([m.start() for m in pattern.finditer(jt.joined)], dtype=np.int32)
    if not len(hits) or not len(jt.starts):
        return []
    at = np.searchsorted(jt.starts, hits)
    inside = at < len(jt.starts)
    at, hits = at[inside], hits[inside]
    whole = (jt.starts[at] == hits) & (jt.ends[at] == hits + len(head))
    at = at[whole]
    n = len(seq)
    at = at[at + n <= len(jt.starts)]
    joined, starts, ends = jt.joined, jt.starts, jt.ends
    if n > 1:
        at = np.asarray([i for i in at.tolist() if all(
            joined[starts[i + k]:ends[i + k]] == seq[k] for k in range(1, n))], dtype=np.int32)
    doc = np.searchsorted(jt.offsets, starts[at], side="right") - 1
    last_doc = np.searchsorted(jt.offsets, starts[at + n - 1], side="right") - 1
    first, doc = at[doc == last_doc], doc[doc == last_doc]  # not across two documents
    local_start = starts[first] - jt.offsets[doc]
    local_end = ends[first + n - 1] - jt.offsets[doc]
    return [(ids[d], s, e) for d, s, e in
            zip(doc.tolist(), local_start.tolist(), local_end.tolist(), strict=True)]
