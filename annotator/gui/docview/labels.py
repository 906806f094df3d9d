"""The texts of the view's labels: a span's label as shown (status marks) and the one
abbreviation scheme span tags and arc labels share when the full text has no room (the last
dotted part, "Conflict.Attack" -> "Attack"; the tooltip names the label in full); a span tag
with no room even for that shows as much of it as fits and "…" ("Start-Pos…"), never a
clipped word.
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.model import Span


def label_text(s: Span) -> str:
    """A span's label as shown: "?" after suggestions, "✗" before rejected spans."""
    if s.status == "suggested":
        return s.label + "?"
    if s.status == "rejected":
        return "\u2717" + s.label
    return s.label


def short_label(text: str) -> str:
    """The abbreviation of a shown label: its last dotted part ("Conflict.Attack" -> "Attack",
    "ORG-AFF.Employment" -> "Employment"), keeping the status marks ("…", "✗", "?")."""
    head = text[0] if text[:1] in ("\u2026", "\u2717") else ""
    tail = "?" if text.endswith("?") else ""
    core = text[len(head):len(text) - len(tail)]
    return head + core.rsplit(".", 1)[-1] + tail


def clipped_label(text: str, k: int) -> str:
    """``text`` cut to its first ``k`` characters and "…" (its status marks kept: the leading
    "…" or "✗" and the trailing "?"), the shortest form a span tag shows."""
    head = text[0] if text[:1] in ("\u2026", "\u2717") else ""
    tail = "?" if text.endswith("?") and len(text) > 1 else ""
    core = text[len(head):len(text) - len(tail)]
    if k >= len(core):
        return text
    return head + core[:max(1, k)] + "\u2026" + tail


def fitting_label(text: str, room: float, advance: Callable[[str], float]) -> str:
    """What a span tag ``room`` pixels wide shows of ``text`` (with the tag's padding): the
    full text when it fits, else its abbreviation (``short_label``), else as much of the
    abbreviation as fits followed by "…" (at least one letter), so that "Conflict.Attack"
    under "war" reads "Att…" instead of a clipped "Atta" that looks whole; with no room for
    that either, its first letter alone ("O" for an ORG under "EU", the letter its key
    usually is). The tooltip names the full label; arc labels, which go up a row instead,
    never need the last two forms."""
    if advance(text) + 6 <= room:
        return text
    short = short_label(text)
    if advance(short) + 6 <= room:
        return short
    if advance(clipped_label(short, 1)) + 6 > room:
        return clipped_label(short, 1).strip("\u2026\u2717?")[:1] or short[:1]
    lo, hi = 1, len(short)  # the longest prefix that fits, by bisection (advance is cached)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if advance(clipped_label(short, mid)) + 6 <= room:
            lo = mid
        else:
            hi = mid - 1
    return clipped_label(short, lo)
