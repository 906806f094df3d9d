"""What the document view shows, indexed by QTextBlock (no Qt here).

Spans, events and relations of one document and one annotation set, plus derived data the
painter needs: spans per block, lanes per block (``pack_lanes``), arcs (relations and event
arguments) per block with their levels (``arc_levels``). Updates are incremental: each
``put_*`` returns the block numbers whose drawing changed.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.layout import QtTextMap, arc_levels, pack_lanes
from annotator.core.model import Annotations, Chain, Event, Relation, Span

MAX_LEVEL = 3  # arcs higher than this share the top level (rows stay compact)


@dataclass(slots=True)
class Arc:
    key: str  # "r:<relation id>" or "a:<argument id>"
    kind: str  # "relation" | "event"
    ann_id: str  # relation id or event id (what a click on the label selects)
    label: str  # relation type or role
    color_label: str  # relation type or event type (for the colour)
    head: str  # span id the arc starts from (relation head, event trigger)
    tail: str  # span id it points at (relation tail, argument filler or filler's trigger)
    status: str = "gold"


class DocIndex:
    def __init__(self, text: str) -> None:
        self.text = text
        self.map = QtTextMap(text)
        self.spans: dict[str, Span] = {}
        self.events: dict[str, Event] = {}
        self.relations: dict[str, Relation] = {}
        self.arcs: dict[str, Arc] = {}
        self.block_spans: dict[int, set[str]] = {}
        self.block_arcs: dict[int, set[str]] = {}
        self.arcs_of_span: dict[str, set[str]] = {}
        self.events_of_trigger: dict[str, set[str]] = {}
        self.event_arcs: dict[str, set[str]] = {}  # event id -> its argument arc keys
        self.lanes: dict[int, dict[str, int]] = {}
        self.nlanes: dict[int, int] = {}
        self.levels: dict[int, dict[str, int]] = {}
        self.maxlevel: dict[int, int] = {}
        self._order: list[tuple[int, int, str]] | None = None
        self.chain_mates: dict[str, set[str]] = {}  # span id -> the mentions of its chains
        # blocks whose spans / whose arcs changed since the last take_changes(): the view
        # redraws only the layers (fills and lanes, or arcs) that changed
        self._span_blocks: set[int] = set()
        self._arc_blocks: set[int] = set()

    # ---- loading ------------------------------------------------------------------------
    def set_chains(self, chains: list[Chain]) -> None:
        """Which spans are mentions of one chain (outlined with a selected mention)."""
        self.chain_mates = {}
        for c in chains:
            for m in c.mentions:
                self.chain_mates.setdefault(m, set()).update(c.mentions)

    def load(self, ann: Annotations) -> None:
        self.set_chains(ann.chains)
        for s in ann.spans:
            self._add_span(s)
        for r in ann.relations:
            self._add_relation(r)
        for e in ann.events:  # all events first: an argument may be filled by a later event
            self.events[e.id] = e
        for e in ann.events:
            self._add_event(e)
        for b in list(self.block_spans):
            self.relayout_block(b)
        for b in list(self.block_arcs):
            self.relevel_block(b)

    # ---- queries ------------------------------------------------------------------------
    def blocks_of_span(self, s: Span) -> range:
        return self.map.blocks_touching(s.start, s.end)

    def anchor(self, span_id: str) -> int | None:
        s = self.spans.get(span_id)
        return None if s is None else (s.start + s.end) // 2

    def anchor_block(self, span_id: str) -> int | None:
        s = self.spans.get(span_id)
        return None if s is None else self.map.block_of(s.start)

    def spans_at(self, pos: int) -> list[str]:
        b = self.map.block_of(pos)
        hits = [self.spans[i] for i in self.block_spans.get(b, ()) if
                self.spans[i].start <= pos < self.spans[i].end]
        hits.sort(key=lambda s: (s.end - s.start, -s.start, s.id))
        return [s.id for s in hits]

    def ordered(self) -> list[tuple[int, int, str]]:
        """(start, -end, id) of every span in reading order (for Tab)."""
        if self._order is None:
            self._order = sorted((s.start, -s.end, s.id) for s in self.spans.values())
        return self._order

    def next_span(self, current: str | None, caret: int, backwards: bool) -> str | None:
        order = self.ordered()
        if not order:
            return None
        s = self.spans.get(current) if current else None
        if s is not None:
            i = bisect_left(order, (s.start, -s.end, s.id))
            i = i - 1 if backwards else i + 1
        else:
            i = bisect_left(order, (caret, -(10**12), ""))
            if backwards:
                i -= 1
        return order[i % len(order)][2]

    def arcs_touching(self, kind: str, ann_id: str) -> set[str]:
        """Arc keys to show when (kind, ann_id) is selected."""
        out: set[str] = set()
        if kind == "span":
            out |= self.arcs_of_span.get(ann_id, set())
            for ev in self.events_of_trigger.get(ann_id, ()):
                out |= self.event_arcs.get(ev, set())
        elif kind == "event":
            out |= self.event_arcs.get(ann_id, set())
            event = self.events.get(ann_id)
            if event is not None:  # arguments whose filler is this event point at its trigger
                trigger = event.trigger_id
                out |= {k for k in self.arcs_of_span.get(trigger, set())
                        if self.arcs[k].tail == trigger}
        elif kind == "relation":
            key = "r:" + ann_id
            if key in self.arcs:
                out.add(key)
        return out

    # ---- incremental updates: each returns the blocks to relayout/repaint ----------------
    def take_changes(self) -> tuple[set[int], set[int]]:
        """(blocks whose spans changed, blocks whose arcs changed) since the last call."""
        out = (self._span_blocks, self._arc_blocks)
        self._span_blocks, self._arc_blocks = set(), set()
        return out

    def put_span(self, span_id: str, span: Span | None) -> set[int]:
        dirty: set[int] = set()
        old = self.spans.get(span_id)
        if old is not None and span is not None and (old.start, old.end) == (span.start,
                                                                              span.end):
            # same place (label, status ... changed): its arcs, drawn from the span's
            # position only, stay as they are; only the span's own blocks change
            self.spans[span_id] = span
            dirty = set(self.blocks_of_span(span))
            self._span_blocks |= dirty
            return dirty
        # arcs anchored on this span move with it: detach them, re-attach after the move
        arcs = [self.arcs[k] for k in list(self.arcs_of_span.get(span_id, ()))]
        for a in arcs:
            dirty |= self._remove_arc(a.key)
        mine: set[int] = set()
        if old is not None:
            mine.update(self.blocks_of_span(old))
            self._remove_span(old)
        if span is not None:
            self._add_span(span)
            mine.update(self.blocks_of_span(span))
        self._span_blocks |= mine
        dirty |= mine
        for a in arcs:
            dirty |= self._add_arc(a)
        self._order = None
        return dirty

    def put_event(self, event_id: str, event: Event | None) -> set[int]:
        dirty: set[int] = set()
        if event_id in self.events:
            dirty |= self._remove_event(event_id)
        if event is not None:
            dirty |= self._add_event(event)
        # arguments of other events filled by this event point at its trigger
        return dirty

    def put_relation(self, rel_id: str, rel: Relation | None) -> set[int]:
        dirty: set[int] = set()
        key = "r:" + rel_id
        if key in self.arcs:
            dirty |= self._remove_arc(key)
            self.relations.pop(rel_id, None)
        if rel is not None:
            dirty |= self._add_relation(rel)
        return dirty

    def relayout_block(self, b: int) -> bool:
        """Recompute the lanes of block ``b``; True when its lane count changed."""
        ids = sorted(self.block_spans.get(b, ()))
        bs, be = self.map.block_range(b)
        intervals = [(max(self.spans[i].start, bs), min(self.spans[i].end, max(be, bs + 1)))
                     for i in ids]
        lanes = pack_lanes(intervals)
        self.lanes[b] = dict(zip(ids, lanes, strict=True))
        n = (max(lanes) + 1) if lanes else 0
        changed = self.nlanes.get(b, 0) != n
        if n:
            self.nlanes[b] = n
        else:
            self.nlanes.pop(b, None)
            self.lanes.pop(b, None)
        return changed

    def relevel_block(self, b: int) -> bool:
        """Recompute arc levels in block ``b``; True when its highest level changed."""
        levels = self.block_levels(b, self.block_arcs.get(b, ()))
        self.levels[b] = levels
        n = max(levels.values(), default=0)
        changed = self.maxlevel.get(b, 0) != n
        if n:
            self.maxlevel[b] = n
        else:
            self.maxlevel.pop(b, None)
            self.levels.pop(b, None)
        return changed

    def block_levels(self, b: int, keys: Iterable[str]) -> dict[str, int]:
        """Levels of the arcs ``keys`` that have an end in block ``b``, among themselves."""
        bs, be = self.map.block_range(b)
        intervals: list[tuple[int, int]] = []
        kept: list[str] = []
        for k in sorted(keys):
            a = self.arcs.get(k)
            if a is None:
                continue
            h, t = self.anchor(a.head), self.anchor(a.tail)
            if h is None or t is None:
                continue
            hb, tb = self.map.block_of(h), self.map.block_of(t)
            if hb == tb == b:
                intervals.append((h, t))
            elif b in (hb, tb):  # half arc: from the end here to the edge towards the other
                mine, other = (h, t) if hb == b else (t, h)
                intervals.append((mine, be + 1) if other > mine else (bs - 1, mine))
            else:
                continue
            kept.append(k)
        levels = [min(v, MAX_LEVEL) for v in arc_levels(intervals)]
        return dict(zip(kept, levels, strict=True))

    # ---- internals ----------------------------------------------------------------------
    def _add_span(self, s: Span) -> None:
        self.spans[s.id] = s
        for b in self.blocks_of_span(s):
            self.block_spans.setdefault(b, set()).add(s.id)
        self._order = None

    def _remove_span(self, s: Span) -> None:
        self.spans.pop(s.id, None)
        for b in self.blocks_of_span(s):
            ids = self.block_spans.get(b)
            if ids is not None:
                ids.discard(s.id)
                if not ids:
                    del self.block_spans[b]

    def _blocks_of_arc(self, a: Arc) -> set[int]:
        out = set()
        for end in (a.head, a.tail):
            b = self.anchor_block(end)
            if b is not None:
                out.add(b)
        return out

    def _add_arc(self, a: Arc) -> set[int]:
        self.arcs[a.key] = a
        for end in (a.head, a.tail):
            self.arcs_of_span.setdefault(end, set()).add(a.key)
        blocks = self._blocks_of_arc(a)
        for b in blocks:
            self.block_arcs.setdefault(b, set()).add(a.key)
        self._arc_blocks |= blocks
        return blocks

    def _remove_arc(self, key: str) -> set[int]:
        a = self.arcs.pop(key, None)
        if a is None:
            return set()
        for end in (a.head, a.tail):
            keys = self.arcs_of_span.get(end)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self.arcs_of_span[end]
        out = set()
        for b, keys in list(self.block_arcs.items()):
            if key in keys:
                keys.discard(key)
                out.add(b)
                if not keys:
                    del self.block_arcs[b]
        self._arc_blocks |= out
        return out

    def _add_relation(self, r: Relation) -> set[int]:
        self.relations[r.id] = r
        return self._add_arc(Arc("r:" + r.id, "relation", r.id, r.type, r.type, r.head_id,
                                 r.tail_id, r.status))

    def _add_event(self, e: Event) -> set[int]:
        self.events[e.id] = e
        self.events_of_trigger.setdefault(e.trigger_id, set()).add(e.id)
        keys: set[str] = set()
        dirty: set[int] = set()
        for arg in e.arguments:
            if arg.filler_kind == "event":
                filler = self.events.get(arg.filler_id)
                tail = filler.trigger_id if filler is not None else ""
            else:
                tail = arg.filler_id
            if not tail:
                continue
            key = "a:" + arg.id
            keys.add(key)
            dirty |= self._add_arc(Arc(key, "event", e.id, arg.role, e.type, e.trigger_id,
                                       tail, e.status))
        self.event_arcs[e.id] = keys
        if e.trigger_id in self.spans:
            b = self.map.block_of(self.spans[e.trigger_id].start)
            dirty.add(b)
            self._span_blocks.add(b)
        return dirty

    def _remove_event(self, event_id: str) -> set[int]:
        e = self.events.pop(event_id)
        trig = self.events_of_trigger.get(e.trigger_id)
        if trig is not None:
            trig.discard(event_id)
            if not trig:
                del self.events_of_trigger[e.trigger_id]
        dirty: set[int] = set()
        for key in self.event_arcs.pop(event_id, set()):
            dirty |= self._remove_arc(key)
        return dirty

    def all_blocks(self) -> Iterable[int]:
        return set(self.block_spans) | set(self.block_arcs)
