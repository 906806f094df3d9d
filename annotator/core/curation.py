"""Curation of one document: the annotators' candidates side by side, taken into gold by hand.

Why its own module: ``adjudication`` builds gold automatically from what enough annotators
agree on; a curator goes through what they do *not* agree on, one candidate at a time. This
module gives both the GUI's curation mode and API callers the same three things:

* ``curation(project, doc_id)``: every distinct annotation the annotators made in a document
  (a ``Group``), keyed as adjudication keys them (spans by offsets, label and kind; events by
  trigger, type and every (role, filler) argument; relations by type and both ends), with who
  made it, whether every annotator who worked on the document made it (``agreed``) and what
  the gold set already says of it (``taken``, ``rejected`` or ``open``);
* ``take(project, doc_id, candidates)``: copy candidates into gold as ONE undo step: a span
  with its attributes, note and knowledge-base id; an event with its trigger, attributes and
  arguments (their filler spans, and filler events, come along); a relation with both ends;
  ``take_agreed`` does it for every open agreed group;
* ``reject(project, doc_id, candidates)``: keep the decision in gold as a *rejected* copy
  (status ``rejected``: drawn struck out, never exported, not counted by agreement), so the
  next-disagreement step skips it and a later session sees it was decided.

Every step is recorded under the project's ``annotator`` (the curator's name) and sets the
gold status of the document: ``in_progress`` while some group is open, ``done`` when none is.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.core.changes import Changes
from annotator.core.model import Annotations, Chain, Event, Relation, Span
from annotator.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from annotator.core.project import Project

GOLD = "gold"
KIND_ORDER = {"span": 0, "event": 1, "relation": 2}
GOLD_STATES = {"new": "not started", "in_progress": "partly curated", "done": "curated"}
# the note of a rejected span made only to hold a rejected event or relation (its trigger,
# filler or end): not a decision about that span itself
ANCHOR_NOTE = "curation: part of a rejected event or relation"

SpanKey = tuple[int, int, str, str]
Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One annotation of one annotator's set: what a curator takes or rejects."""

    annotator: str
    kind: str  # span | event | relation
    id: str


@dataclass(slots=True)
class Group:
    """One distinct annotation of a document and the annotators who made it."""

    kind: str
    key: Key
    start: int  # where it is in the text (span, trigger, or from head to tail)
    end: int
    label: str  # span label, event type or relation type
    detail: str  # an event's arguments or a relation's ends, in words
    made_by: dict[str, Candidate] = field(default_factory=dict)
    attrs: dict[str, dict[str, Any]] = field(default_factory=dict)  # annotator -> attributes
    # annotator -> the mentions (their text, in order) of the chain they put this span in
    chains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    agreed: bool = False
    state: str = "open"  # open | taken | rejected

    @property
    def resolved(self) -> bool:
        return self.state != "open"

    @property
    def disagreement(self) -> bool:
        return not self.agreed

    def candidate(self, annotator: str | None = None) -> Candidate:
        """The version of ``annotator`` if they made it, else the first maker's."""
        if annotator and annotator in self.made_by:
            return self.made_by[annotator]
        return next(iter(self.made_by.values()))


@dataclass(slots=True)
class Curation:
    """The groups of one document, in text order, and the annotators who worked on it."""

    doc_id: str
    into: str
    coders: list[str]
    groups: list[Group]

    @property
    def open(self) -> int:
        return sum(1 for g in self.groups if not g.resolved)

    @property
    def open_disagreements(self) -> int:
        return sum(1 for g in self.groups if g.disagreement and not g.resolved)

    def step(self, current: int, delta: int) -> int | None:
        """The index of the next (``delta`` 1) or previous (-1) open disagreement after
        ``current`` (-1: from the start), or None."""
        n = len(self.groups)
        i = current + delta if current >= 0 else (0 if delta > 0 else n - 1)
        while 0 <= i < n:
            g = self.groups[i]
            if g.disagreement and not g.resolved:
                return i
            i += delta
        return None


# ---- keys ---------------------------------------------------------------------------------

def span_key(s: Span) -> SpanKey:
    return s.start, s.end, s.label, s.kind


class _Keys:
    """Comparable keys of one set's annotations (offsets and labels, never ids)."""

    def __init__(self, ann: Annotations | None = None, *, spans: dict[str, Span] | None = None,
                 events: dict[str, Event] | None = None) -> None:
        """Of ``ann``, or of the spans and events by id given (kept, not copied: a
        ``GoldIndex`` keeps them current)."""
        if ann is not None:
            spans, events = {s.id: s for s in ann.spans}, {e.id: e for e in ann.events}
        self.spans: dict[str, Span] = spans if spans is not None else {}
        self.events: dict[str, Event] = events if events is not None else {}

    def span(self, span_id: str) -> SpanKey | None:
        s = self.spans.get(span_id)
        return span_key(s) if s is not None else None

    def event_head(self, e: Event) -> Key | None:
        trigger = self.span(e.trigger_id)
        return None if trigger is None else ("event", trigger, e.type)

    def filler(self, kind: str, filler_id: str) -> Key | None:
        if kind == "span":
            return self.span(filler_id)
        e = self.events.get(filler_id)
        return None if e is None else self.event_head(e)

    def event(self, e: Event) -> Key | None:
        head = self.event_head(e)
        args = [(a.role, self.filler(a.filler_kind, a.filler_id)) for a in e.arguments]
        if head is None or any(f is None for _, f in args):
            return None
        return (*head, frozenset(args))

    def relation(self, r: Relation) -> Key | None:
        head, tail = self.span(r.head_id), self.span(r.tail_id)
        return None if head is None or tail is None else ("relation", r.type, head, tail)


def span_group_key(s: Span, triggers: Container[str]) -> Key | None:
    """The group key of span ``s`` (None: it stands for no group of its own: a rejected
    anchor of a rejected event or relation, or the trigger of an event in ``triggers``)."""
    if s.status == "rejected" and s.note == ANCHOR_NOTE:
        return None
    if s.kind == "trigger" and s.id in triggers:
        return None
    return ("span", *span_key(s))


def _keyed(ann: Annotations, gold_only: bool) -> Iterator[tuple[str, Key, Span | Event | Relation]]:
    """(kind, key, annotation) of every annotation of ``ann``; trigger spans come with their
    events (a trigger without an event is a span of its own)."""
    keys = _Keys(ann)
    used = {e.trigger_id for e in ann.events}
    for s in ann.spans:
        key = span_group_key(s, used)
        if key is not None and (not gold_only or s.status == "gold"):
            yield "span", key, s
    for e in ann.events:
        key = keys.event(e)
        if key is not None and (not gold_only or e.status == "gold"):
            yield "event", key, e
    for r in ann.relations:
        key = keys.relation(r)
        if key is not None and (not gold_only or r.status == "gold"):
            yield "relation", key, r


# ---- reading --------------------------------------------------------------------------------

def curation(project: Project, doc_id: str, *, into: str = GOLD,
             annotators: Sequence[str] | None = None) -> Curation:
    """The groups of ``doc_id`` over the sets of ``annotators`` (default: every set but
    ``into``) that worked on it, with the state of each in ``into``."""
    from annotator.core.agreement import worked_on

    names = list(annotators) if annotators else [a for a in project.annotators() if a != into]
    anns = {a: project.annotations(doc_id, a) for a in names}
    coders = worked_on(project.statuses(doc_id), anns)
    text = project.document(doc_id).text
    groups: dict[Key, Group] = {}
    for who in coders:
        ann = anns[who]
        chained = _chain_texts(ann, text)
        found = _Found(ann, text)
        for kind, key, item in _keyed(ann, gold_only=True):
            group = groups.get(key)
            if group is None:
                group = groups[key] = _group(kind, key, item, found)
            if who not in group.made_by:
                group.made_by[who] = Candidate(who, kind, item.id)
                group.attrs[who] = dict(item.attrs)
                if item.id in chained:
                    group.chains[who] = chained[item.id]
    for group in groups.values():
        group.agreed = len(coders) >= 2 and len(group.made_by) == len(coders)
    ordered = sorted(groups.values(), key=lambda g: (g.start, g.end, KIND_ORDER[g.kind],
                                                     g.label, g.detail))
    return settle(project, Curation(doc_id, into, coders, ordered))


def settle(project: Project, state: Curation) -> Curation:
    """The state of every group of ``state`` as its gold set says now (the annotators' sets
    are not read again: a curator edits gold only, so after a gold edit this is enough)."""
    groups = {g.key: g for g in state.groups}
    for g in state.groups:
        g.state = "open"
    for _kind, key, item in _keyed(project.annotations(state.doc_id, state.into),
                                   gold_only=False):
        group = groups.get(key)
        if group is not None and group.state != "taken" and item.status in ("gold", "rejected"):
            group.state = "taken" if item.status == "gold" else "rejected"  # not suggestions
    return state


def _chain_texts(ann: Annotations, text: str) -> dict[str, tuple[str, ...]]:
    """span id -> the text of every mention of its chain (text order), for each chained span."""
    spans = {s.id: s for s in ann.spans}
    out: dict[str, tuple[str, ...]] = {}
    for c in ann.chains:
        mentions = sorted((spans[m] for m in c.mentions if m in spans),
                          key=lambda s: (s.start, s.end))
        words = tuple(text[s.start:s.end] for s in mentions)
        for s in mentions:
            out[s.id] = words
    return out


class _Found:
    """One set's spans and events by id, and the text (read once per set, not per group)."""

    def __init__(self, ann: Annotations, text: str) -> None:
        self.spans = {s.id: s for s in ann.spans}
        self.events = {e.id: e for e in ann.events}
        self.text = text


def _group(kind: str, key: Key, item: Span | Event | Relation, found: _Found) -> Group:
    spans, events, text = found.spans, found.events, found.text

    def words(span_id: str) -> str:
        s = spans.get(span_id)
        if s is None:
            e = events.get(span_id)
            return f"[{e.type}]" if e is not None else "?"
        return text[s.start:s.end]

    if isinstance(item, Span):
        return Group(kind, key, item.start, item.end, item.label, "")
    if isinstance(item, Event):
        t = spans[item.trigger_id]
        detail = ", ".join(f"{a.role}={words(a.filler_id)}"
                           for a in sorted(item.arguments, key=lambda a: (a.role, a.position)))
        return Group(kind, key, t.start, t.end, item.type, detail)
    head, tail = spans[item.head_id], spans[item.tail_id]
    return Group(kind, key, min(head.start, tail.start), max(head.end, tail.end), item.type,
                 f"{words(item.head_id)} → {words(item.tail_id)}")


def gold_state(status: str) -> str:
    """A gold status in words: not started, partly curated, curated."""
    return GOLD_STATES.get(status, status)


def gold_statuses(project: Project, into: str = GOLD) -> dict[str, str]:
    """The status of ``into`` for every document (one query: the document list shows it)."""
    saved = project.annotation_set
    project.annotation_set = into
    try:
        return {d.id: d.status for d in project.documents_uncounted()}
    finally:
        project.annotation_set = saved


# ---- writing --------------------------------------------------------------------------------

@contextmanager
def _editing(project: Project, into: str, label: str) -> Iterator[Changes]:
    saved = project.annotation_set
    project.annotation_set = into
    try:
        with project.compound(label) as changes:
            yield changes
    finally:
        project.annotation_set = saved


class _Gold:
    """The gold set of one document while candidates are copied into it: finds what it
    already holds by key, so a filler or an end that is already there is reused."""

    def __init__(self, project: Project, doc_id: str, into: str) -> None:
        self.project, self.doc_id, self.into = project, doc_id, into
        self.spans: dict[SpanKey, str] = {}  # gold-status span of each key
        self.rejected: dict[Key, list[Span | Event | Relation]] = {}
        self.taken: set[Key] = set()
        gold = project.annotations(doc_id, into)
        for s in gold.spans:
            if s.status == "gold":
                self.spans.setdefault(span_key(s), s.id)
        for _kind, key, item in _keyed(gold, gold_only=False):
            if item.status == "gold":
                self.taken.add(key)
            elif item.status == "rejected":
                self.rejected.setdefault(key, []).append(item)
        self.sources: dict[str, Annotations] = {}

    def source(self, annotator: str) -> Annotations:
        if annotator not in self.sources:
            self.sources[annotator] = self.project.annotations(self.doc_id, annotator)
        return self.sources[annotator]

    def _drop_rejected(self, key: Key) -> None:
        """Taking what was rejected before: the rejected copy goes (its struck-out trigger or
        relation end with it when nothing else uses them)."""
        for item in self.rejected.pop(key, []):
            if isinstance(item, Span):
                self.project.delete_span(item.id)
            elif isinstance(item, Event):
                self.project.delete_event(item.id)
                self._drop_rejected_span(item.trigger_id)
            else:
                self.project.delete_relation(item.id)
                self._drop_rejected_span(item.head_id)

    def _drop_rejected_span(self, span_id: str) -> None:
        try:
            s = self.project.span(span_id)
        except NotFoundError:
            return
        if s.status == "rejected" and not self.project.events_of_trigger(span_id):
            self.project.delete_span(span_id)

    # ---- take ---------------------------------------------------------------------------
    def take(self, c: Candidate) -> None:
        ann = self.source(c.annotator)
        keys = _Keys(ann)
        if c.kind == "span":
            self.take_span(ann, c.id)
        elif c.kind == "event":
            event = keys.events.get(c.id)
            if event is None:
                raise NotFoundError(f"{c.annotator} has no event {c.id} in this document")
            self.take_event(ann, event, set())
        else:
            self.take_relation(ann, keys, c.id)

    def take_span(self, ann: Annotations, span_id: str) -> str:
        s = next((x for x in ann.spans if x.id == span_id), None)
        if s is None:
            raise NotFoundError(f"no span {span_id} in this annotator's set")
        key = span_key(s)
        if key in self.spans:
            return self.spans[key]
        self._drop_rejected(("span", *key))
        new = self.project.add_span(self.doc_id, s.start, s.end, s.label, kind=s.kind,
                                    attrs=dict(s.attrs), note=s.note, kb_id=s.kb_id)
        self.spans[key] = new.id
        self.taken.add(("span", *key))
        return new.id

    def take_event(self, ann: Annotations, e: Event, seen: set[str]) -> str | None:
        keys = _Keys(ann)
        key = keys.event(e)
        if key is None or e.id in seen:
            return None  # an argument cycle: the filler event is taken once
        seen.add(e.id)
        existing = self._gold_event(key)
        if existing is not None:
            return existing
        self._drop_rejected(key)
        trigger = self.take_span(ann, e.trigger_id)
        arguments = []
        for a in sorted(e.arguments, key=lambda a: a.position):
            if a.filler_kind == "span":
                arguments.append((a.role, self.take_span(ann, a.filler_id)))
            else:
                filler = keys.events.get(a.filler_id)
                filler_id = self.take_event(ann, filler, seen) if filler else None
                if filler_id is not None:
                    arguments.append((a.role, filler_id))
        new = self.project.add_event(e.type, trigger, attrs=dict(e.attrs), arguments=arguments,
                                     note=e.note)
        self.taken.add(key)
        return new.id

    def _gold_event(self, key: Key) -> str | None:
        if key not in self.taken:
            return None
        gold = self.project.annotations(self.doc_id, self.into)
        keys = _Keys(gold)
        return next((e.id for e in gold.events if e.status == "gold" and keys.event(e) == key),
                    None)

    def take_relation(self, ann: Annotations, keys: _Keys, relation_id: str) -> None:
        r = next((x for x in ann.relations if x.id == relation_id), None)
        if r is None:
            raise NotFoundError(f"no relation {relation_id} in this annotator's set")
        key = keys.relation(r)
        if key is None or key in self.taken:
            return
        self._drop_rejected(key)
        head, tail = self.take_span(ann, r.head_id), self.take_span(ann, r.tail_id)
        self.project.add_relation(r.type, head, tail, attrs=dict(r.attrs), note=r.note)
        self.taken.add(key)

    # ---- reject -------------------------------------------------------------------------
    def reject(self, c: Candidate) -> None:
        """A rejected copy in gold; its anchor (the span, an event's trigger, a relation's
        head) is a rejected span of its own, so an export never carries it."""
        ann = self.source(c.annotator)
        keys = _Keys(ann)
        item: Span | Event | Relation | None = (
            keys.spans.get(c.id) if c.kind == "span" else keys.events.get(c.id)
            if c.kind == "event" else next((r for r in ann.relations if r.id == c.id), None))
        if item is None:
            raise NotFoundError(f"{c.annotator} has no {c.kind} {c.id} in this document")
        key = ("span", *span_key(item)) if isinstance(item, Span) else (
            keys.event(item) if isinstance(item, Event) else keys.relation(item))
        if key is None:
            raise ValidationError(f"{c.annotator}'s {c.kind} has a part that is missing")
        if key in self.taken:
            raise ValidationError("already taken into gold: delete it there or undo the take")
        if key in self.rejected:
            return
        if isinstance(item, Span):
            self._rejected_span(item, note="")
        elif isinstance(item, Event):
            trigger = self._rejected_span(keys.spans[item.trigger_id])
            arguments = [(a.role, self._filler(keys, a.filler_id)) for a in item.arguments
                         if a.filler_kind == "span"]
            self.project.add_event(item.type, trigger, attrs=dict(item.attrs),
                                   arguments=arguments, status="rejected")
        else:
            head = self._rejected_span(keys.spans[item.head_id])
            self.project.add_relation(item.type, head, self._filler(keys, item.tail_id),
                                      attrs=dict(item.attrs), status="rejected")
        self.rejected[key] = []

    def _rejected_span(self, s: Span, note: str = ANCHOR_NOTE) -> str:
        return self.project.add_span(self.doc_id, s.start, s.end, s.label, kind=s.kind,
                                     attrs=dict(s.attrs), status="rejected", note=note).id

    def _filler(self, keys: _Keys, span_id: str) -> str:
        """A gold span with the same key, else a rejected copy."""
        s = keys.spans[span_id]
        return self.spans.get(span_key(s)) or self._rejected_span(s)


def _settle_status(project: Project, doc_id: str, into: str,
                   read: dict[str, Annotations] | None = None) -> None:
    """Gold status after a curation step: in progress while a group is open, else done.
    ``read``: annotators' sets already read by this step (a step writes only ``into``)."""
    status = "in_progress" if _any_open(project, doc_id, into, read or {}) else "done"
    if project.status(doc_id, into) != status:
        project.set_status(doc_id, status)


def _any_open(project: Project, doc_id: str, into: str, read: dict[str, Annotations]) -> bool:
    """Whether ``curation(project, doc_id, into=into)`` has an open group, found from the
    keys alone (no text, groups or chains: a take or reject ends with this)."""
    from annotator.core.agreement import worked_on

    names = [a for a in project.annotators() if a != into]
    anns = {a: read[a] if a in read else project.annotations(doc_id, a) for a in names}
    coders = worked_on(project.statuses(doc_id), anns)
    made = {key for who in coders for _kind, key, _item in _keyed(anns[who], gold_only=True)}
    decided = {key for _kind, key, item in _keyed(project.annotations(doc_id, into),
                                                  gold_only=False)
               if item.status in ("gold", "rejected")}
    return bool(made - decided)


def _what(candidates: Sequence[Candidate]) -> str:
    if len(candidates) == 1:
        return f"{candidates[0].annotator}'s {candidates[0].kind}"
    return f"{len(candidates)} annotations"


def take(project: Project, doc_id: str, candidates: Sequence[Candidate], *, into: str = GOLD,
         label: str | None = None) -> Changes:
    """Copy ``candidates`` (with attributes, arguments and ends) into ``into``: one undo
    step, recorded under ``project.annotator``."""
    if not candidates:
        return Changes()
    with _editing(project, into, label or f"Take {_what(candidates)} into {into}") as changes:
        gold = _Gold(project, doc_id, into)
        for c in candidates:
            gold.take(c)
        _settle_status(project, doc_id, into, gold.sources)
    return changes


def take_agreed(project: Project, doc_id: str, *, into: str = GOLD) -> Changes:
    """Take every open agreed group of the document into ``into`` (one undo step)."""
    state = curation(project, doc_id, into=into)
    agreed = [g.candidate() for g in state.groups if g.agreed and not g.resolved]
    if not agreed:
        return Changes()
    return take(project, doc_id, agreed, into=into,
                label=f"Take {len(agreed)} agreed annotation(s) into {into}")


def reject(project: Project, doc_id: str, candidates: Sequence[Candidate], *,
           into: str = GOLD) -> Changes:
    """Record ``candidates`` as rejected in ``into`` (one undo step)."""
    if not candidates:
        return Changes()
    with _editing(project, into, f"Reject {_what(candidates)}") as changes:
        gold = _Gold(project, doc_id, into)
        for c in candidates:
            gold.reject(c)
        _settle_status(project, doc_id, into, gold.sources)
    return changes



# ---- chains ---------------------------------------------------------------------------------

def candidate_chain(project: Project, doc_id: str, c: Candidate) -> Chain | None:
    """The chain of ``c``'s annotator that the candidate span is a mention of (None: none,
    or not a span)."""
    if c.kind != "span":
        return None
    return next((ch for ch in project.chains(doc_id, c.annotator) if c.id in ch.mentions),
                None)


def take_chain(project: Project, doc_id: str, c: Candidate, *, into: str = GOLD) -> Changes:
    """Take the candidate span (if gold lacks it) and its chain membership into ``into``: into
    the gold chain that holds most of the other mentions of the annotator's chain, else into
    a new chain (of the span and those other mentions already in gold, in no chain yet) with
    the annotator's chain type, attributes and references. One undo step, recorded under
    ``project.annotator``. Refused when the gold span is a mention of another gold chain."""
    chain = candidate_chain(project, doc_id, c)
    if chain is None:
        raise ValidationError(f"{c.annotator} put this span in no chain")
    with _editing(project, into, f"Take {c.annotator}'s chain membership into {into}") as ch:
        gold = _Gold(project, doc_id, into)
        ann = gold.source(c.annotator)
        span_id = gold.take_span(ann, c.id)
        keys = _Keys(ann)
        mates = {gold.spans[k] for m in chain.mentions if m != c.id
                 and (k := keys.span(m)) is not None and k in gold.spans} - {span_id}
        chains = project.chains(doc_id, into)
        best = max(chains, key=lambda g: len(mates & set(g.mentions)), default=None)
        if best is not None and not mates & set(best.mentions):
            best = None
        mine = next((g for g in chains if span_id in g.mentions), None)
        if mine is not None and best is not None and mine.id != best.id:
            raise ValidationError(f"in gold this span is a mention of another {mine.type} "
                                  "chain: merge the two chains by hand (Ctrl+L)")
        if mine is None and best is not None:
            project.add_to_chain(best.id, span_id)
        elif mine is None:
            free = sorted(m for m in mates if project.chain_of(m) is None)
            project.add_chain([span_id, *free], chain.type, attrs=dict(chain.attrs),
                              refs=list(chain.refs), note=chain.note)
        _settle_status(project, doc_id, into, gold.sources)
    return ch
