"""What the gold set says of each curation candidate, kept current from each edit's Changes.

Why its own module: in curation mode every gold edit (a key, Delete, a take, an undo) may
decide a candidate (taken, rejected) or open it again. ``core.curation.settle`` finds that by
reading the document's whole gold set again, on every edit (15 ms with 1,500 gold spans, and
it grows with the document). ``GoldIndex`` reads the gold set once, then re-reads only the
annotations an edit's ``Changes`` names and recomputes the keys of only those and of the gold
events and relations built on them, so an edit costs what it touched.

The verdict on a key is the one ``settle`` gives: ``taken`` when a gold-status annotation of
the gold set has that key, else ``rejected`` when a rejected one has it, else ``open``
(suggestions decide nothing); keys are made by the same functions (``_Keys``,
``span_group_key``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from annotator.core.changes import Changes
from annotator.core.curation import Curation, Key, _Keys, span_group_key
from annotator.core.model import Event, Relation, Span
from annotator.errors import NotFoundError

if TYPE_CHECKING:
    from annotator.core.project import Project

# more changed ids than this: read the gold set again (one query beats hundreds)
REREAD_ABOVE = 200

Item = tuple[str, str]  # (span | event | relation, id)
Entry = tuple[Key, str]  # an annotation's group key and its status (gold | rejected)
_A = TypeVar("_A", Span, Event, Relation)
_U = TypeVar("_U", Item, str)


class GoldIndex:
    """The gold set of one document as group keys: each annotation's key, and per key how
    many gold and rejected annotations have it; with who depends on whom (an event on its
    trigger and fillers, a relation on its ends) so that an edit re-keys only what it moved."""

    def __init__(self, project: Project, doc_id: str, into: str) -> None:
        self.doc_id, self.into = doc_id, into
        self.full_reads = 0  # whole-set reads (tests count them)
        self.reads = 0  # annotations read one by one
        self.rekeyed = 0  # annotations whose key was computed again
        self._rows: tuple[Curation, dict[Key, int]] | None = None  # key -> group index
        self._read(project)

    # ---- reading ------------------------------------------------------------------------
    def _read(self, project: Project) -> None:
        ann = project.annotations(self.doc_id, self.into)
        self.full_reads += 1
        self.spans: dict[str, Span] = {s.id: s for s in ann.spans}
        self.events: dict[str, Event] = {e.id: e for e in ann.events}
        self.relations: dict[str, Relation] = {r.id: r for r in ann.relations}
        self._keys = _Keys(spans=self.spans, events=self.events)
        self._triggers: dict[str, int] = {}  # span id -> events it is the trigger of
        self._span_users: dict[str, set[Item]] = {}  # span id -> events, relations on it
        self._event_users: dict[str, set[str]] = {}  # event id -> events it fills
        for e in self.events.values():
            self._link_event(e, 1)
        for r in self.relations.values():
            self._link_relation(r, 1)
        self._entries: dict[Item, Entry] = {}
        self._counts: dict[Key, list[int]] = {}  # key -> [gold, rejected]
        items = [*(("span", i) for i in self.spans), *(("event", i) for i in self.events),
                 *(("relation", i) for i in self.relations)]
        for item in items:
            self._rekey(item)

    def _fetch(self, getter: Callable[[str], _A], ann_id: str) -> _A | None:
        """The annotation if it is (still) in this document's gold set, else None."""
        self.reads += 1
        try:
            obj = getter(ann_id)
        except NotFoundError:
            return None
        return obj if obj.doc_id == self.doc_id and obj.annotator == self.into else None

    # ---- dependencies -------------------------------------------------------------------
    def _link_event(self, e: Event, delta: int) -> None:
        """Count ``e`` (delta 1) or stop counting it (-1) among the users of its parts."""
        n = self._triggers.get(e.trigger_id, 0) + delta
        if n > 0:
            self._triggers[e.trigger_id] = n
        else:
            self._triggers.pop(e.trigger_id, None)
        _use(self._span_users, e.trigger_id, ("event", e.id), delta)
        for a in e.arguments:
            if a.filler_kind == "span":
                _use(self._span_users, a.filler_id, ("event", e.id), delta)
            else:
                _use(self._event_users, a.filler_id, e.id, delta)

    def _link_relation(self, r: Relation, delta: int) -> None:
        for span_id in (r.head_id, r.tail_id):
            _use(self._span_users, span_id, ("relation", r.id), delta)

    # ---- keys and verdicts --------------------------------------------------------------
    def _entry(self, item: Item) -> Entry | None:
        kind, ann_id = item
        key: Key | None = None
        status = ""
        if kind == "span":
            s = self.spans.get(ann_id)
            if s is not None:
                key, status = span_group_key(s, self._triggers), s.status
        elif kind == "event":
            e = self.events.get(ann_id)
            if e is not None:
                key, status = self._keys.event(e), e.status
        else:
            r = self.relations.get(ann_id)
            if r is not None:
                key, status = self._keys.relation(r), r.status
        if key is None or status not in ("gold", "rejected"):
            return None  # suggestions decide nothing
        return key, status

    def _rekey(self, item: Item) -> set[Key]:
        """Compute ``item``'s key again; the keys whose counts changed."""
        self.rekeyed += 1
        old, new = self._entries.get(item), self._entry(item)
        if old == new:
            return set()
        touched: set[Key] = set()
        if old is not None:
            del self._entries[item]
            self._count(old, -1)
            touched.add(old[0])
        if new is not None:
            self._entries[item] = new
            self._count(new, 1)
            touched.add(new[0])
        return touched

    def _count(self, entry: Entry, delta: int) -> None:
        key, status = entry
        counts = self._counts.setdefault(key, [0, 0])
        counts[0 if status == "gold" else 1] += delta
        if counts == [0, 0]:
            del self._counts[key]

    def verdict(self, key: Key) -> str:
        """taken | rejected | open: what the gold set says of group key ``key``."""
        counts = self._counts.get(key)
        if counts is None:
            return "open"
        return "taken" if counts[0] else "rejected"

    # ---- following edits ----------------------------------------------------------------
    def apply(self, project: Project, changes: Changes) -> set[Key] | None:
        """Follow one edit of the project; the keys whose verdict may have changed (None:
        the gold set was read again, any may have)."""
        n = len(changes.spans) + len(changes.events) + len(changes.relations)
        if n == 0 or (changes.doc_ids and self.doc_id not in changes.doc_ids):
            return set()
        if n > REREAD_ABOVE:
            self._read(project)
            return None
        spans, events = set(changes.spans), set(changes.events)
        relations: set[str] = set(changes.relations)
        for sid in changes.spans:
            s = self._fetch(project.span, sid)
            if s is None:
                self.spans.pop(sid, None)
            else:
                self.spans[sid] = s
        for eid in changes.events:
            spans |= self._put_event(eid, self._fetch(project.event, eid))
        for rid in changes.relations:
            self._put_relation(rid, self._fetch(project.relation, rid))
        for sid in changes.spans:  # what is built on a span that moved or went
            for kind, ann_id in self._span_users.get(sid, ()):
                (events if kind == "event" else relations).add(ann_id)
        for eid in list(events):  # an event whose filler event's trigger or type changed
            events |= self._event_users.get(eid, set())
        touched: set[Key] = set()
        for item in [*(("span", i) for i in spans), *(("event", i) for i in events),
                     *(("relation", i) for i in relations)]:
            touched |= self._rekey(item)
        return touched

    def _put_event(self, eid: str, new: Event | None) -> set[str]:
        """Replace event ``eid``; the trigger spans whose standing changed with it."""
        old = self.events.pop(eid, None)
        triggers = set()
        if old is not None:
            self._link_event(old, -1)
            triggers.add(old.trigger_id)
        if new is not None:
            self.events[eid] = new
            self._link_event(new, 1)
            triggers.add(new.trigger_id)
        return triggers

    def _put_relation(self, rid: str, new: Relation | None) -> None:
        old = self.relations.pop(rid, None)
        if old is not None:
            self._link_relation(old, -1)
        if new is not None:
            self.relations[rid] = new
            self._link_relation(new, 1)

    def settle(self, state: Curation, keys: Iterable[Key] | None = None) -> list[int]:
        """Set the state of ``state``'s groups with ``keys`` (None: of every group) from
        the verdicts; the indices of the groups whose state changed."""
        if keys is None:
            rows: Iterable[int] = range(len(state.groups))
        else:
            index = self._rows_of(state)
            rows = sorted({index[k] for k in keys if k in index})
        changed = []
        for i in rows:
            g = state.groups[i]
            verdict = self.verdict(g.key)
            if g.state != verdict:
                g.state = verdict
                changed.append(i)
        return changed

    def _rows_of(self, state: Curation) -> dict[Key, int]:
        if self._rows is None or self._rows[0] is not state:
            self._rows = (state, {g.key: i for i, g in enumerate(state.groups)})
        return self._rows[1]

    def follow(self, project: Project, changes: Changes, state: Curation) -> list[int]:
        """``apply`` then ``settle``: the groups of ``state`` an edit decided or opened."""
        return self.settle(state, self.apply(project, changes))


def _use(users: dict[str, set[_U]], part: str, user: _U, delta: int) -> None:
    if delta > 0:
        users.setdefault(part, set()).add(user)
        return
    found = users.get(part)
    if found is not None:
        found.discard(user)
        if not found:
            del users[part]

