"""What DyGIE++'s own reader does to a written document, named in the export report each
time it bites (issue #11.11).

DyGIE++ (``dygie/data/dataset_readers``) keys a sentence's events by their trigger token,
so two events on one trigger token come back as one; keys ``ner`` by span, so a span with
two labels keeps one; and enumerates candidate spans up to ``max_span_width`` tokens (8 in
every shipped configuration), so a longer entity, relation end or argument is never predicted
and is skipped in training. The export keeps them all in the file; these notes say which and
how many (``-O max_span_width=N`` for a model trained with another width).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

DEFAULT_MAX_SPAN_WIDTH = 8
_EXAMPLES = 3


class Limits:
    """Counts, over an export, what DyGIE++'s reader merges or skips."""

    def __init__(self, max_span_width: int = DEFAULT_MAX_SPAN_WIDTH) -> None:
        self.max_width = max_span_width
        self.counts: Counter[str] = Counter()
        self.examples: dict[str, list[str]] = {}

    def _hit(self, what: str, example: str) -> None:
        self.counts[what] += 1
        shown = self.examples.setdefault(what, [])
        if len(shown) < _EXAMPLES:
            shown.append(example)

    def check(self, name: str, obj: dict[str, Any]) -> None:
        """Look at one written DyGIE++ object (document ``name``)."""
        tokens = [t for sent in obj["sentences"] for t in sent]

        def text(s: int, e: int) -> str:
            return " ".join(tokens[s:e + 1])

        for sent in obj["ner"]:
            labels: dict[tuple[int, int], list[str]] = {}
            for s, e, label in sent:
                labels.setdefault((s, e), []).append(label)
            for (s, e), labs in labels.items():
                if len(labs) > 1:
                    self._hit("labels", f"{name}: {text(s, e)!r} {'/'.join(sorted(labs))}")
        widths = [(s, e, "entity") for sent in obj["ner"] for s, e, _ in sent]
        widths += [(r[a], r[a + 1], "relation end") for sent in obj["relations"] for r in sent
                   for a in (0, 2)]
        for sent in obj["events"]:
            triggers = Counter(ev[0][0] for ev in sent)
            for tok, n in triggers.items():
                if n > 1:
                    types = "/".join(sorted(ev[0][1] for ev in sent if ev[0][0] == tok))
                    self.counts["events"] += n - 1
                    shown = self.examples.setdefault("events", [])
                    if len(shown) < _EXAMPLES:
                        shown.append(f"{name}: {tokens[tok]!r} {types}")
            widths += [(a[0], a[1], "argument") for ev in sent for a in ev[1:]]
        for s, e, what in widths:
            if e - s + 1 > self.max_width:
                self._hit("width", f"{name}: {what} {text(s, e)!r} ({e - s + 1} tokens)")

    def notes(self) -> list[str]:
        out = []
        if self.counts["events"]:
            out.append(f"DyGIE++: {self.counts['events']} event(s) share a trigger token with "
                       "another event of the sentence; DyGIE++'s reader keys events by trigger "
                       f"token and keeps one of each group (e.g. {self._shown('events')})")
        if self.counts["labels"]:
            out.append(f"DyGIE++: {self.counts['labels']} span(s) carry two or more NER "
                       "labels; DyGIE++'s reader keeps one label per span (e.g. "
                       f"{self._shown('labels')})")
        if self.counts["width"]:
            out.append(f"DyGIE++: {self.counts['width']} span(s) are longer than "
                       f"max_span_width={self.max_width} tokens; DyGIE++ never enumerates "
                       "them, so it skips them in training and cannot predict them "
                       f"(e.g. {self._shown('width')}; -O max_span_width=N for another model)")
        return out

    def _shown(self, what: str) -> str:
        return "; ".join(self.examples.get(what, []))
