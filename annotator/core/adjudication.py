"""Automatic adjudication: take into gold what enough annotators agree on.

An annotation is agreed when at least ``min_agree`` annotators made the same one: spans by
offsets, label and kind; events by trigger (offsets and label), type and the whole set of
(role, filler offsets and label) arguments; relations by type and both ends. What fewer agree on
is left for a person (counted per kind, so the report says how much is left). Gold a person has
already edited is never overwritten: such documents are skipped and named. Only gold-status
annotations count (suggestions and rejected ones do not). Agreed annotations get new ids and
are recorded under ``<curator> (adjudicate)``, so a later run can tell them from a person's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from annotator.core.model import Annotations, Argument, Event, Relation, Span, new_id, now

if TYPE_CHECKING:
    from annotator.core.project import Project

SpanKey = tuple[int, int, str, str]
EventKey = tuple[SpanKey, str, frozenset[tuple[str, SpanKey]]]
RelationKey = tuple[str, SpanKey, SpanKey]
K = TypeVar("K", bound=Hashable)
AUTO = " (adjudicate)"


@dataclass
class Leftover:
    """Distinct annotations that some but too few annotators made, per kind."""

    spans: int = 0
    events: int = 0
    relations: int = 0

    @property
    def total(self) -> int:
        return self.spans + self.events + self.relations


@dataclass
class AdjudicationReport:
    taken: Counter[str] = field(default_factory=Counter)  # kind -> annotations taken
    documents: int = 0  # documents whose gold was (re)built
    left: dict[str, Leftover] = field(default_factory=dict)  # document name -> left for a person
    curated: list[str] = field(default_factory=list)  # skipped: gold edited by a person

    def summary(self) -> str:
        lines = [f"gold built for {self.documents} document(s): {self.taken['spans']} spans, "
                 f"{self.taken['events']} events, {self.taken['relations']} relations agreed"]
        open_docs = {n: x for n, x in self.left.items() if x.total}
        lines.append(f"left for a person: {sum(x.total for x in open_docs.values())} "
                     f"annotation(s) in {len(open_docs)} document(s)")
        lines += [f"  {name}: {x.spans} spans, {x.events} events, {x.relations} relations"
                  for name, x in sorted(open_docs.items())]
        lines += [f"  skipped (gold already curated by a person): {n}" for n in self.curated]
        return "\n".join(lines)


def _span_key(s: Span) -> SpanKey:
    return s.start, s.end, s.label, s.kind


def _counted(keys_per_set: Iterable[set[K]], min_agree: int) -> tuple[set[K], int]:
    """(keys made by at least ``min_agree`` sets, number of keys made by fewer)."""
    counts: Counter[K] = Counter()
    for keys in keys_per_set:
        counts.update(keys)
    agreed = {k for k, n in counts.items() if n >= min_agree}
    return agreed, len(counts) - len(agreed)


def agreed_annotations(sets: Sequence[Annotations], min_agree: int, doc_id: str,
                       curator: str) -> tuple[Annotations, Leftover]:
    """The annotations at least ``min_agree`` of ``sets`` agree on, as a new set."""
    stamp, who = now(), curator + AUTO
    spans_by_key: list[dict[SpanKey, Span]] = [
        {_span_key(s): s for s in ann.spans if s.status == "gold"} for ann in sets]
    span_keys, spans_left = _counted((set(m) for m in spans_by_key), min_agree)
    first = {k: s for m in reversed(spans_by_key) for k, s in m.items()}
    new_spans = {k: Span(id=new_id(), doc_id=doc_id, start=k[0], end=k[1], label=k[2],
                         kind=k[3], attrs=dict(first[k].attrs), created_by=who,
                         created_at=stamp, modified_by=who, modified_at=stamp)
                 for k in sorted(span_keys)}
    events, events_left = _agreed_events(sets, spans_by_key, new_spans, min_agree, who, stamp)
    relations, relations_left = _agreed_relations(sets, spans_by_key, new_spans, min_agree,
                                                  who, stamp)
    return (Annotations(list(new_spans.values()), events, relations),
            Leftover(spans_left, events_left, relations_left))


def _event_key(e: Event, spans: dict[str, SpanKey]) -> EventKey | None:
    if e.trigger_id not in spans or any(a.filler_kind != "span" or a.filler_id not in spans
                                        for a in e.arguments):
        return None  # an event filling a role of another is left for a person
    roles = frozenset((a.role, spans[a.filler_id]) for a in e.arguments)
    return spans[e.trigger_id], e.type, roles


def _agreed_events(sets: Sequence[Annotations], spans_by_key: list[dict[SpanKey, Span]],
                   new_spans: dict[SpanKey, Span], min_agree: int, who: str,
                   stamp: str) -> tuple[list[Event], int]:
    keyed: list[dict[EventKey, Event]] = []
    unkeyable = 0
    for ann, by_key in zip(sets, spans_by_key, strict=True):
        ids = {s.id: k for k, s in by_key.items()}
        mine: dict[EventKey, Event] = {}
        for e in ann.events:
            if e.status != "gold":
                continue
            key = _event_key(e, ids)
            if key is None:
                unkeyable += 1
            else:
                mine[key] = e
        keyed.append(mine)
    agreed, left = _counted((set(m) for m in keyed), min_agree)
    first = {k: e for m in reversed(keyed) for k, e in m.items()}
    out: list[Event] = []
    for key in sorted(agreed, key=repr):
        trigger, type_, roles = key
        event_id = new_id()
        arguments = [Argument(id=new_id(), event_id=event_id, role=role,
                              filler_id=new_spans[filler].id, position=i)
                     for i, (role, filler) in enumerate(sorted(roles))]
        out.append(Event(id=event_id, doc_id="", type=type_, trigger_id=new_spans[trigger].id,
                         attrs=dict(first[key].attrs), arguments=arguments, created_by=who,
                         created_at=stamp, modified_by=who, modified_at=stamp))
    return out, left + unkeyable


def _agreed_relations(sets: Sequence[Annotations], spans_by_key: list[dict[SpanKey, Span]],
                      new_spans: dict[SpanKey, Span], min_agree: int, who: str,
                      stamp: str) -> tuple[list[Relation], int]:
    keyed: list[dict[RelationKey, Relation]] = []
    for ann, by_key in zip(sets, spans_by_key, strict=True):
        ids = {s.id: k for k, s in by_key.items()}
        keyed.append({(r.type, ids[r.head_id], ids[r.tail_id]): r for r in ann.relations
                      if r.status == "gold" and r.head_id in ids and r.tail_id in ids})
    agreed, left = _counted((set(m) for m in keyed), min_agree)
    first = {k: r for m in reversed(keyed) for k, r in m.items()}
    out = [Relation(id=new_id(), doc_id="", type=k[0], head_id=new_spans[k[1]].id,
                    tail_id=new_spans[k[2]].id, attrs=dict(first[k].attrs),
                    created_by=who, created_at=stamp, modified_by=who, modified_at=stamp)
           for k in sorted(agreed, key=repr)]
    return out, left


def curated_by_a_person(ann: Annotations) -> bool:
    """Whether any annotation of a gold set was made or changed by a person (not by us)."""
    items: list[Span | Event | Relation] = [*ann.spans, *ann.events, *ann.relations]
    return any(not x.modified_by.endswith(AUTO) for x in items)


def adjudicate(project: Project, *, into: str = "gold", min_agree: int = 2,
               annotators: Sequence[str] | None = None, doc_ids: Iterable[str] | None = None,
               curator: str = "annotator") -> AdjudicationReport:
    """Build ``into`` from what at least ``min_agree`` annotators agree on (module docstring)."""
    from annotator.core.agreement import worked_on

    names = list(annotators) if annotators else [a for a in project.annotators() if a != into]
    report = AdjudicationReport()
    items: list[tuple[str, str, Annotations, str | None]] = []
    for doc_id in doc_ids if doc_ids is not None else project.document_ids():
        anns = {a: project.annotations(doc_id, a) for a in names}
        coders = worked_on(project.statuses(doc_id), anns)
        if len(coders) < min_agree:
            continue
        name = project.document(doc_id).name
        if curated_by_a_person(project.annotations(doc_id, into)):
            report.curated.append(name)
            continue
        agreed, left = agreed_annotations([anns[a] for a in coders], min_agree, doc_id, curator)
        report.left[name] = left
        report.taken.update(spans=len(agreed.spans), events=len(agreed.events),
                            relations=len(agreed.relations))
        items.append((doc_id, into, agreed, "in_progress" if left.total else "done"))
    report.documents = len(items)
    if items:
        project.replace_annotation_sets(items)
    return report
