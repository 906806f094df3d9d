"""Where curation candidates are drawn on the text: one mark per open candidate, per block.

Why its own module: the curation panel lists the annotators' candidates; the document view
also draws them on the text, under the gold set's lanes, so a curator sees who made what
where the words are. What to draw (which candidates, with which tag, in which lane of which
paragraph) is decided here, without Qt: from scratch when a document is curated
(``build_marks``), then, after each edit, for the groups whose state it changed only
(``Marks.update``: only the paragraphs their marks touch are packed into lanes again, and only
those that draw differently are repainted); the painter (``gui.docview.paint_candidates``)
only turns marks into pixels.

A mark is an open group of ``core.curation`` (taken ones are drawn as gold, rejected ones not
at all): a band under the span, under an event's trigger or under a relation's head, tagged
with the initials of the annotators who made it and its label. ``agreed`` says whether every
annotator made it (drawn solid) or not (drawn dashed and hatched). ``outline`` lists the text
ranges shown with the candidate when it is selected: the span; the trigger and the argument
fillers; the relation's head and tail.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core.curation import Curation, Group, Key
from annotator.core.layout import QtTextMap, pack_lanes

# a tag of n characters needs about this many characters of text under it (small font)
TAG_WIDTH = 0.8


@dataclass(frozen=True, slots=True)
class Mark:
    """One open candidate as drawn: a band over [start, end) tagged ``tag``."""

    group: int  # index into Curation.groups (the panel's row)
    kind: str  # span | event | relation
    start: int
    end: int
    label: str  # span label, event type or relation type (the colour)
    tag: str  # "A·B GPE": who made it, and what
    agreed: bool
    makers: tuple[str, ...]
    outline: tuple[tuple[int, int], ...]  # text ranges outlined when it is selected


class Marks:
    """The marks of one document by block, with the lanes each block needs for them.

    Made from scratch by ``build_marks``; ``update`` then follows the groups whose state
    changed: only the blocks their marks touch are packed again (in the same order as from
    scratch, so the lanes are the ones ``build_marks`` would give)."""

    __slots__ = ("_blocks", "_in_block", "by_block", "by_group", "coders", "doc_id",
                 "initials", "lanes", "packed")

    def __init__(self, doc_id: str, initials: dict[str, str] | None = None,
                 coders: Sequence[str] = ()) -> None:
        self.doc_id = doc_id
        self.initials: dict[str, str] = initials or {}
        self.coders = tuple(coders)
        self.by_group: dict[int, Mark] = {}
        self.by_block: dict[int, list[tuple[Mark, int]]] = {}  # (mark, lane), drawing order
        self.lanes: dict[int, int] = {}
        self._blocks: dict[int, range] = {}  # group -> the blocks its band touches
        self._in_block: dict[int, dict[int, Mark]] = {}  # block -> group -> mark
        self.packed = 0  # blocks packed into lanes (tests count them)

    @property
    def marks(self) -> list[Mark]:
        """Every mark, in group order."""
        return [self.by_group[g] for g in sorted(self.by_group)]

    def of_group(self, group: int) -> Mark | None:
        return self.by_group.get(group)

    def blocks_of(self, group: int | None) -> set[int]:
        """The blocks where group ``group`` is drawn (its band and its outlined text)."""
        if group is None:
            return set()
        return set(self._blocks.get(group, ()))

    def signature(self, block: int) -> tuple[Any, ...]:
        """What block ``block`` draws (two equal signatures draw the same)."""
        return tuple(self.by_block.get(block, ()))

    def _add(self, mark: Mark, text_map: QtTextMap) -> None:
        blocks = text_map.blocks_touching(mark.start, max(mark.end, mark.start + 1))
        self.by_group[mark.group] = mark
        self._blocks[mark.group] = blocks
        for b in blocks:
            self._in_block.setdefault(b, {})[mark.group] = mark

    def _drop(self, group: int) -> range:
        self.by_group.pop(group, None)
        blocks = self._blocks.pop(group, range(0))
        for b in blocks:
            self._in_block[b].pop(group, None)
        return blocks

    def update(self, state: Curation, groups: Iterable[int], text_map: QtTextMap) -> set[int]:
        """Groups ``groups`` of ``state`` changed (taken, rejected, open again): their marks
        follow; the blocks that draw differently now."""
        touched: set[int] = set()
        for i in groups:
            touched.update(self._drop(i))
            g = state.groups[i]
            if not g.resolved:
                mark = _mark(i, g, self.initials, self.coders)
                self._add(mark, text_map)
                touched.update(self._blocks[i])
        before = {b: self.signature(b) for b in touched}
        _pack(self, text_map, touched)
        return {b for b in touched if self.signature(b) != before[b]}


def initials(coders: Sequence[str]) -> dict[str, str]:
    """A short tag per annotator: the shortest prefix no other annotator's name starts
    with (capitalised), "A" for ana and "B" for bo, "Ann"/"Ana" for anna and ana."""
    out: dict[str, str] = {}
    for who in coders:
        others = [o.lower() for o in coders if o != who]
        n = 1
        while n < len(who) and any(o.startswith(who[:n].lower()) for o in others):
            n += 1
        out[who] = who[:n].capitalize()
    return out


def _range(span_key: Any) -> tuple[int, int] | None:
    """Where a span key (start, end, label, kind) is; None for an event filler's key."""
    if isinstance(span_key, tuple) and len(span_key) == 4 and isinstance(span_key[0], int):
        return span_key[0], span_key[1]
    if isinstance(span_key, tuple) and span_key[:1] == ("event",):
        return _range(span_key[1])
    return None


def _band_and_outline(g: Group) -> tuple[tuple[int, int], tuple[tuple[int, int], ...]]:
    key: Key = g.key
    if g.kind == "event":
        trigger = (g.start, g.end)
        fillers = [r for _role, f in sorted(key[3], key=repr) if (r := _range(f)) is not None]
        return trigger, tuple(dict.fromkeys([trigger, *fillers]))
    if g.kind == "relation":
        head, tail = _range(key[2]), _range(key[3])
        band = head or (g.start, g.end)
        return band, tuple(dict.fromkeys(r for r in (head, tail) if r is not None))
    return (g.start, g.end), ((g.start, g.end),)


def _tag(g: Group, ini: dict[str, str], coders: Sequence[str]) -> str:
    who = "·".join(ini[c] for c in coders if c in g.made_by) or "?"
    arrow = "\u2192" if g.kind == "relation" else ""
    return f"{who} {g.label}{arrow}"


def _mark(i: int, g: Group, ini: dict[str, str], coders: Sequence[str]) -> Mark:
    (start, end), outline = _band_and_outline(g)
    return Mark(i, g.kind, start, end, g.label, _tag(g, ini, coders), g.agreed,
                tuple(c for c in coders if c in g.made_by), outline)


def build_marks(state: Curation, text_map: QtTextMap) -> Marks:
    """The marks of ``state``'s open groups, packed into lanes per block."""
    ini = initials(state.coders)
    out = Marks(state.doc_id, initials=ini, coders=state.coders)
    for i, g in enumerate(state.groups):
        if not g.resolved:
            out._add(_mark(i, g, ini, state.coders), text_map)
    _pack(out, text_map, set(out._in_block))
    return out


def _pack(out: Marks, text_map: QtTextMap, blocks: Iterable[int]) -> None:
    """Lanes of ``blocks``: marks that overlap (their tags included) get distinct lanes."""
    for b in blocks:
        marks = [m for _g, m in sorted(out._in_block.get(b, {}).items())]
        if not marks:
            out._in_block.pop(b, None)
            out.by_block.pop(b, None)
            out.lanes.pop(b, None)
            continue
        out.packed += 1
        bs, be = text_map.block_range(b)
        intervals = []
        for m in marks:
            s = max(m.start, bs)
            e = min(max(m.end, s + 1), max(be, bs + 1))
            if m.start >= bs:  # the tag is drawn on the first piece: it needs room
                e = max(e, s + math.ceil(len(m.tag) * TAG_WIDTH))
            intervals.append((s, e))
        lanes = pack_lanes(intervals)
        out.by_block[b] = sorted(zip(marks, lanes, strict=True),
                                 key=lambda ml: (ml[1], ml[0].start, ml[0].group))
        out.lanes[b] = max(lanes) + 1


def changed_blocks(old: Marks | None, new: Marks | None) -> set[int]:
    """The blocks that draw differently with ``new`` than with ``old``."""
    blocks: Iterable[int] = set(old.by_block if old else ()) | set(new.by_block if new else ())
    if old is None or new is None or old.doc_id != new.doc_id:
        return set(blocks)
    return {b for b in blocks if old.signature(b) != new.signature(b)}
