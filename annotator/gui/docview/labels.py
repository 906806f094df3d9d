"""The texts of the view's labels: a span's label as shown (status marks) and the one
abbreviation scheme span tags and arc labels share when the full text has no room (the last
dotted part, "Conflict.Attack" -> "Attack"; the tooltip names the label in full).
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


def fitting_label(text: str, room: float, advance: Callable[[str], float]) -> str:
    """``text`` when it fits in ``room`` pixels (with the tag's padding), else its abbreviation
    (the tooltip names the full label), so that "Conflict.Attack" under "attacked" reads
    "Attack" instead of a clipped "Conflict.Atta"."""
    if advance(text) + 6 <= room:
        return text
    return short_label(text)


