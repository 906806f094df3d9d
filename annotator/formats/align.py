"""One token-alignment pass with its loss bookkeeping, shared by the token-based exporters
(spaCy DocBin, DyGIE++, TextEE; CoNLL uses ``lose_attributes``).

``Alignment(doc, ann, report, tm)`` maps every span of ``ann`` to its token range ``[i, j)`` in
the ``TokenMap`` ``tm``. A span whose ends are not token boundaries is reported once, as a span
loss "not on token boundaries", and left out; a format may refuse more spans through
``refuse(span, range) -> reason | None`` (spaCy: whitespace tokens at an edge; TextEE: a
span crossing a window), reported the same way; ``each(span, range)`` is called on every
aligned span during the pass (so that a format's own per-span losses keep the span order).
Everything that needs a left-out span is then resolved through the same object, which reports
the loss with the format's reason: ``relation_ends`` (a relation), ``trigger`` (an event) and
``filler`` (a span argument).

Those losses name the offsets of the span that was missing; ``locate=False`` names them by id
only (what the DyGIE++ exporter, and TextEE for triggers, have always written: kept so that
their reports stay the same from one version to the next).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from annotator.core.model import Annotations, Argument, Document, Event, Relation, Span
from annotator.formats.export import ExportReport
from annotator.formats.tokens import NOT_ALIGNED, UNLABELED_ATTR, TokenMap

Range = tuple[int, int]
Refuse = Callable[[Span, Range], "str | None"]

ARGUMENT_NOT_ALIGNED = f"argument {NOT_ALIGNED}"
TRIGGER_NOT_ALIGNED = f"trigger {NOT_ALIGNED}"
FILLER_NOT_ALIGNED = f"filler {NOT_ALIGNED}"


class Alignment:
    """Token ranges of one document's spans; losses of what cannot be carried."""

    def __init__(self, doc: Document, ann: Annotations, report: ExportReport, tm: TokenMap, *,
                 refuse: Refuse | None = None,
                 each: Callable[[Span, Range], None] | None = None) -> None:
        self.doc, self.ann, self.report, self.tm = doc, ann, report, tm
        self.by_id = ann.span_by_id()
        self.ranges: dict[str, Range] = {}
        self.spans: list[Span] = []  # the aligned spans, in annotation order
        for s in ann.spans:
            r = tm.span(s.start, s.end)
            reason = NOT_ALIGNED if r is None else (refuse(s, r) if refuse else None)
            if reason is not None or r is None:
                report.lose_span(doc, s, reason or NOT_ALIGNED)
                continue
            self.ranges[s.id] = r
            self.spans.append(s)
            if each is not None:
                each(s, r)

    def range(self, span_id: str) -> Range | None:
        return self.ranges.get(span_id)

    def _lose(self, kind: str, reason: str, label: str, span_id: str, loss_id: str,
              locate: bool) -> None:
        bad = self.by_id.get(span_id) if locate else None
        self.report.lose(self.doc, kind, reason, label=label,
                         start=bad.start if bad else -1, end=bad.end if bad else -1,
                         id=loss_id)

    def relation_ends(self, rel: Relation, *, reason: str = ARGUMENT_NOT_ALIGNED,
                      usable: Collection[str] | None = None, locate: bool = True
                      ) -> tuple[Range, Range] | None:
        """Token ranges of the relation's head and tail, or None (reported, located at the
        first missing end) when one is not aligned (or not in ``usable``)."""
        h, t = self.ranges.get(rel.head_id), self.ranges.get(rel.tail_id)
        if usable is not None:
            h = h if rel.head_id in usable else None
            t = t if rel.tail_id in usable else None
        if h is None or t is None:
            self._lose("relation", reason, rel.type, rel.head_id if h is None else rel.tail_id,
                       rel.id, locate)
            return None
        return h, t

    def trigger(self, ev: Event, *, reason: str = TRIGGER_NOT_ALIGNED, locate: bool = True
                ) -> Range | None:
        """The token range of the event's trigger, or None (reported)."""
        r = self.ranges.get(ev.trigger_id)
        if r is None:
            self._lose("event", reason, ev.type, ev.trigger_id, ev.id, locate)
        return r

    def filler(self, ev: Event, arg: Argument, *, reason: str = FILLER_NOT_ALIGNED,
               locate: bool = True) -> Range | None:
        """The token range of a span argument's filler, or None (reported)."""
        r = self.ranges.get(arg.filler_id)
        if r is None:
            self._lose("argument", reason, f"{ev.type}/{arg.role}", arg.filler_id, arg.id,
                       locate)
        return r


def lose_attributes(report: Any, doc: Any, ann: Any, fmt: str) -> None:
    """One ``attribute`` loss per span/event/relation whose attrs or KB id ``fmt`` drops."""
    for s in ann.spans:
        keys = [k for k in s.attrs if k != UNLABELED_ATTR] + (["kb_id"] if s.kb_id else [])
        if keys:
            report.lose(doc, "attribute", f"attributes not carried by {fmt}",
                        label=f"{s.label}: {', '.join(sorted(keys))}", start=s.start,
                        end=s.end, id=s.id)
    for e in ann.events:
        if e.attrs:
            report.lose(doc, "attribute", f"attributes not carried by {fmt}",
                        label=f"{e.type}: {', '.join(sorted(e.attrs))}", id=e.id)
    for r in ann.relations:
        if r.attrs:
            report.lose(doc, "attribute", f"attributes not carried by {fmt}",
                        label=f"{r.type}: {', '.join(sorted(r.attrs))}", id=r.id)
