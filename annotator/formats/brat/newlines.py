"""``-O newlines=lf`` for brat exports: a document's ``\\r\\n`` (and lone ``\\r``) line ends
written as ``\\n``, every offset moved to match the written text.

Why: brat v1.3 on Python 2 reads ``.txt`` files in universal-newline mode and so counts
``\\r\\n`` as one character (nlplab/brat#853), while the offsets of a verbatim export count it
as two, as brat on Python 3 and our reader do: every span after the first ``\\r\\n`` is shown
shifted there. With ``\\n`` line ends both count the same.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from annotator.core.model import Annotations, Span

NEWLINE_MODES = ("keep", "lf")


def has_crlf(text: str) -> bool:
    return "\r" in text


def to_lf(text: str, ann: Annotations) -> tuple[str, Annotations]:
    """``text`` with ``\\n`` line ends and ``ann`` with its spans' offsets moved to match
    (events and relations point at span ids, which are unchanged)."""
    dropped = [i for i in range(len(text) - 1) if text[i] == "\r" and text[i + 1] == "\n"]
    if not dropped and "\r" not in text:
        return text, ann
    new_text = text.replace("\r\n", "\n").replace("\r", "\n")

    def moved(offset: int) -> int:
        return offset - bisect_left(dropped, offset)  # the \r dropped before ``offset``

    spans: list[Span] = []
    for s in ann.spans:
        new = replace(s, start=moved(s.start), end=moved(s.end))
        frags = getattr(s, "fragments", None)
        if frags:  # a discontinuous span's fragments move the same way
            new.fragments = [(moved(a), moved(b)) for a, b in frags]
        spans.append(new)
    return new_text, replace(ann, spans=spans)
