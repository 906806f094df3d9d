"""Inter-annotator agreement between annotation sets of the same documents.

For every pair of annotators, over the documents both worked on, one annotator is taken as the
reference and the other as the response (F1 does not depend on which is which):

* spans: precision, recall and F1 by exact match (same offsets and label) and by overlap match
  (same label, overlapping offsets, each span matched at most once, largest overlap first);
* token labels: Cohen's kappa for the pair and Krippendorff's alpha (nominal) over every
  annotator at once, each token labelled with the longest entity or value span covering it
  (``O`` outside spans);
* event triggers (offsets and type), event arguments (trigger, type, role and the filler's
  offsets), relations (type and both ends' offsets), and attributes of exactly matched spans and
  events (the share of matched annotations whose value of each attribute is equal);
* a confusion table of the labels of spans at the same offsets (``(none)`` where the other set
  has no span there), and the documents ranked by disagreement (1 - F1 over every exact item).

Only gold annotations count (suggested and rejected ones are left out). The formulas are written
out in ``docs/team.md``. This module reads through the ``Project`` facade and imports no
formats, nlp or GUI code.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations, repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.agreement_stats import (  # re-exported: the statistics' old home
    Counts,
    alpha_from_patterns,
    cohen_kappa,
    exact_counts,
    kappa_from_pairs,
    krippendorff_alpha,
    overlap_counts,
)
from annotator.core.codec import unpack_bounds
from annotator.core.coref_agreement import METRICS, CorefCounts, coref_counts
from annotator.core.merge import SetRows
from annotator.core.model import Annotations, Span
from annotator.core.parallel import processes, run_parts, split

if TYPE_CHECKING:
    from annotator.core.project import Project

OUTSIDE = "O"
NONE = "(none)"
__all__ = ["Counts", "alpha_from_patterns", "cohen_kappa", "exact_counts",
           "kappa_from_pairs", "krippendorff_alpha", "overlap_counts", "agreement",
           "AgreementReport", "PairAgreement", "KINDS", "NONE", "OUTSIDE", "Items", "items_of",
           "items_of_rows", "items_of_tuples", "items_of_reads", "painted_tokens",
           "token_labels", "worked_on", "set_rows_of", "COLUMNS"]
KINDS = ("spans", "spans_overlap", "triggers", "arguments", "relations")
# The columns ``items_of_rows`` reads, per table (agreement reads no other column).
COLUMNS = {"spans": ("id", "start", "end", "label", "kind", "status", "attrs"),
           "events": ("id", "type", "trigger_id", "status", "attrs"),
           "event_args": ("event_id", "role", "span_id", "filler_event_id"),
           "relations": ("type", "head_id", "tail_id", "status")}
_GET = {table: itemgetter(*cols) for table, cols in COLUMNS.items()}


def token_labels(ann: Annotations, starts: Sequence[int], ends: Sequence[int],
                 labels: set[str] | None = None) -> list[str]:
    """Each token's label: the longest entity/value span covering it, else ``O``.

    Spans are painted shortest first, so a longer span covering the same token wins."""
    spans = sorted((s for s in _gold_spans(ann, labels) if s.kind != "trigger"),
                   key=lambda s: s.end - s.start)
    out = [OUTSIDE] * len(starts)
    for s in spans:
        i = bisect_left(starts, s.start)
        while i < len(starts) and ends[i] <= s.end:
            out[i] = s.label
            i += 1
    return out


def painted_tokens(spans: Sequence[tuple[int, int, str]], starts: Sequence[int],
                   ends: Sequence[int], *, monotone: bool | None = None) -> dict[int, str]:
    """``token_labels`` of the covered tokens only (token index -> label); ``spans`` are
    (start, end, label) of entity and value spans, in the order the set stores them."""
    out: dict[int, str] = {}
    ordered = sorted(spans, key=_length)
    if monotone is None:
        monotone = list(ends) == sorted(ends)
    if monotone:  # always for a tokenizer's tokens: the covered run by bisection
        for s0, s1, label in ordered:
            for i in range(bisect_left(starts, s0), bisect_right(ends, s1)):
                out[i] = label
        return out
    for s0, s1, label in ordered:
        i = bisect_left(starts, s0)
        while i < len(starts) and ends[i] <= s1:
            out[i] = label
            i += 1
    return out


def _length(span: tuple[int, int, str]) -> int:
    return span[1] - span[0]


def _gold_spans(ann: Annotations, labels: set[str] | None) -> list[Span]:
    return [s for s in ann.spans if s.status == "gold" and (labels is None or s.label in labels)]


@dataclass(slots=True)
class Items:
    """One annotator's gold annotations of one document, as comparable keys."""

    spans: list[tuple[int, int, str]] = field(default_factory=list)
    triggers: list[tuple[int, int, str]] = field(default_factory=list)
    arguments: list[tuple[Any, ...]] = field(default_factory=list)
    relations: list[tuple[Any, ...]] = field(default_factory=list)
    attrs: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # JSON text or a dict
    chains: list[list[tuple[Any, ...]]] = field(default_factory=list)  # mentions' spans


def items_of(ann: Annotations, labels: set[str] | None = None) -> Items:
    """The keys that agreement compares: offsets and labels, never ids (ids differ per set)."""
    return items_of_rows(set_rows_of(ann), labels)


def set_rows_of(ann: Annotations) -> SetRows:
    """The few fields of ``ann`` that ``items_of_rows`` reads, as rows."""
    return {"spans": [{"id": s.id, "start": s.start, "end": s.end, "label": s.label,
                       "kind": s.kind, "status": s.status, "attrs": s.attrs} for s in ann.spans],
            "events": [{"id": e.id, "type": e.type, "trigger_id": e.trigger_id,
                        "status": e.status, "attrs": e.attrs} for e in ann.events],
            "event_args": [{"event_id": e.id, "role": a.role,
                            "span_id": a.filler_id if a.filler_kind == "span" else None,
                            "filler_event_id": a.filler_id if a.filler_kind == "event" else None}
                           for e in ann.events for a in e.arguments],
            "relations": [{"type": r.type, "head_id": r.head_id, "tail_id": r.tail_id,
                           "status": r.status} for r in ann.relations]}


def items_of_rows(rows: SetRows, labels: set[str] | None = None) -> Items:
    """``items_of`` on stored rows (``Project.annotation_rows``): no objects are built and
    attributes stay JSON text until a matched pair needs them."""
    return items_of_tuples({t: [get(r) for r in rows.get(t, [])] for t, get in _GET.items()},
                           labels)


def items_of_tuples(rows: Mapping[str, Sequence[tuple[Any, ...]]],
                    labels: set[str] | None = None) -> Items:
    """``items_of_rows`` on rows given as tuples in the order of ``COLUMNS`` (what
    ``agreement`` reads: no dict per row)."""
    spans = rows["spans"]
    # span id -> offsets, for triggers, fillers and relation ends (none to resolve: not built)
    by_id = {r[0]: (r[1], r[2]) for r in spans} if rows["events"] or rows["relations"] else {}
    out = Items()
    for _, start, end, label, kind, status, attrs in spans:
        if status == "gold" and kind != "trigger" and (labels is None or label in labels):
            key = (start, end, label)
            out.spans.append(key)
            out.attrs[("span", start, end, label)] = attrs
    trigger_of: dict[str, tuple[int, int, str]] = {}
    for event_id, etype, trigger_id, status, attrs in rows["events"]:
        t = by_id.get(trigger_id)
        if status != "gold" or t is None or (labels is not None and etype not in labels):
            continue
        trigger_of[event_id] = (t[0], t[1], etype)
        out.triggers.append(trigger_of[event_id])
        out.attrs[("event", t[0], t[1], etype)] = attrs
    out.arguments.extend(_arguments(rows["event_args"], by_id, trigger_of))
    for rtype, head_id, tail_id, status in rows["relations"]:
        head, tail = by_id.get(head_id), by_id.get(tail_id)
        if status == "gold" and head and tail and (labels is None or rtype in labels):
            out.relations.append((rtype, *head, *tail))
    return out


def _arguments(args: Sequence[tuple[Any, ...]], by_id: Mapping[str, tuple[Any, ...]],
               trigger_of: Mapping[str, tuple[int, int, str]]) -> list[tuple[Any, ...]]:
    """Argument keys (trigger start, end, type, role, filler ...) of the events kept; a filler
    that is an event is keyed by its trigger and type."""
    out = []
    for event_id, role, span_id, filler_event_id in args:
        trigger = trigger_of.get(event_id)
        if trigger is None:
            continue
        filler = by_id[span_id] if span_id in by_id else trigger_of.get(filler_event_id)
        if filler is not None:
            out.append((*trigger, role, *filler))
    return out


def items_of_reads(rows: Mapping[str, Sequence[tuple[Any, ...]]]) -> Items:
    """``items_of_tuples`` on the rows of ``Project.agreement_sets`` (already filtered in the
    store: gold status, no triggers among the spans, the wanted labels). Only non-empty
    attributes are kept (the last span or event of a key decides, as in ``items_of``)."""
    out = Items()
    spans = rows["spans"]
    out.spans = [r[:3] for r in spans]
    attrs = out.attrs
    for start, end, label, raw in spans:
        if raw is not None:
            attrs["span", start, end, label] = raw
        elif attrs:
            attrs.pop(("span", start, end, label), None)
    if rows.get("chains"):
        out.chains = chain_mentions(rows["chains"], rows["ids"])
    if not rows["events"] and not rows["relations"]:
        return out
    by_id = {r[0]: (r[1], r[2]) for r in rows["ids"]}
    trigger_of: dict[str, tuple[int, int, str]] = {}
    for event_id, etype, trigger_id, raw in rows["events"]:
        t = by_id.get(trigger_id)
        if t is None:
            continue
        trigger_of[event_id] = (t[0], t[1], etype)
        out.triggers.append(trigger_of[event_id])
        if raw in ("{}", ""):
            attrs.pop(("event", t[0], t[1], etype), None)
        else:
            attrs["event", t[0], t[1], etype] = raw
    out.arguments.extend(_arguments(rows["event_args"], by_id, trigger_of))
    for rtype, head_id, tail_id in rows["relations"]:
        head, tail = by_id.get(head_id), by_id.get(tail_id)
        if head and tail:
            out.relations.append((rtype, *head, *tail))
    return out


def chain_mentions(chains: Sequence[tuple[Any, ...]],
                   spans: Sequence[tuple[Any, ...]]) -> list[list[tuple[Any, ...]]]:
    """Each gold chain's mentions that are gold spans, as exact spans: (start, end), with
    the fragments of a discontinuous span; ``chains`` are (mentions JSON, type) rows and
    ``spans`` (id, start, end, status, fragments) rows."""
    where: dict[str, tuple[Any, ...]] = {}
    for span_id, start, end, status, fragments in spans:
        if status == "gold":
            pieces = json.loads(fragments) if fragments not in ("", "[]") else []
            where[span_id] = (start, end, *(tuple(f) for f in pieces))
    return [[where[m] for m in json.loads(mentions) if m in where] for mentions, _ in chains]


def _attr_dict(value: Any) -> dict[str, Any]:
    """Attributes as stored (JSON text) or as objects hold them (a dict)."""
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return dict(value or {})


@dataclass(slots=True)
class PairAgreement:
    """Agreement of one pair of annotators over their shared documents."""

    reference: str
    response: str
    documents: int = 0
    counts: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    per_label: dict[str, Counts] = field(default_factory=dict)
    kappa: float = 1.0
    attributes: dict[str, list[int]] = field(default_factory=dict)  # name -> [equal, matched]
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    coref: dict[str, CorefCounts] = field(default_factory=lambda: {m: CorefCounts()
                                                                    for m in METRICS})

    def as_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "response": self.response,
                "documents": self.documents,
                **{k: c.as_dict() for k, c in self.counts.items()},
                "per_label": {lab: c.as_dict() for lab, c in sorted(self.per_label.items())},
                "token_kappa": self.kappa,
                "attributes": {name: {"equal": eq, "matched": m, "agreement": eq / m if m else 1.0}
                               for name, (eq, m) in sorted(self.attributes.items())},
                "confusion": [{"reference": a, "response": b, "count": n}
                              for (a, b), n in sorted(self.confusion.items())],
                "chains": {**{m: c.as_dict() for m, c in self.coref.items()},
                           "conll_f1": self.conll_f1}}

    @property
    def conll_f1(self) -> float:
        """The CoNLL-2012 score: the mean F1 of MUC, B-cubed and CEAF-e."""
        return sum(c.f1 for c in self.coref.values()) / len(self.coref)


@dataclass(slots=True)
class AgreementReport:
    """Every pair, the averages over pairs, Krippendorff's alpha and the documents ranked."""

    annotators: list[str]
    pairs: list[PairAgreement]
    alpha: float
    documents: list[tuple[str, float]]  # (document name, disagreement), most disagreement first

    def average(self, kind: str) -> float:
        """Mean F1 of ``kind`` over the pairs (1.0 with no pair)."""
        return sum(p.counts[kind].f1 for p in self.pairs) / len(self.pairs) if self.pairs else 1.0

    def average_coref(self, metric: str) -> float:
        """Mean chain F1 of ``metric`` (or ``conll_f1``) over the pairs (1.0 with no pair)."""
        if not self.pairs:
            return 1.0
        return sum(p.conll_f1 if metric == "conll_f1" else p.coref[metric].f1
                   for p in self.pairs) / len(self.pairs)

    def as_dict(self) -> dict[str, Any]:
        return {"annotators": self.annotators, "pairs": [p.as_dict() for p in self.pairs],
                "average_f1": {k: self.average(k) for k in KINDS},
                "average_token_kappa": (sum(p.kappa for p in self.pairs) / len(self.pairs)
                                        if self.pairs else 1.0),
                "average_chains_f1": {m: self.average_coref(m) for m in (*METRICS, "conll_f1")},
                "krippendorff_alpha": self.alpha,
                "documents": [{"name": n, "disagreement": d} for n, d in self.documents]}


def _by_label(keys: list[tuple[int, int, str]]) -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = {}
    for k in keys:
        out.setdefault(k[2], []).append(k)
    return out


def _compare(pair: PairAgreement, ref: Items, res: Items) -> float:
    """Add one document's comparison to ``pair``; return its disagreement (1 - exact F1)."""
    doc = Counts()
    # the spans' multisets, walked once for the exact match, per label and the confusion
    ca, cb = Counter(ref.spans), Counter(res.spans)
    matched: Counter[str] = Counter()
    left: dict[tuple[int, int], list[str]] = {}  # spans left unmatched, by offsets
    for key, n in ca.items():
        both = min(n, cb.get(key, 0))
        if both:
            matched[key[2]] += both
        if n > both:
            left.setdefault((key[0], key[1]), []).extend([key[2]] * (n - both))
    right: dict[tuple[int, int], list[str]] = {}
    for key, n in cb.items():
        extra = n - ca.get(key, 0)
        if extra > 0:
            right.setdefault((key[0], key[1]), []).extend([key[2]] * extra)
    tp = sum(matched.values())
    spans = Counts(tp, len(res.spans) - tp, len(ref.spans) - tp)
    pair.counts["spans"].add(spans)
    doc.add(spans)
    for kind in ("triggers", "arguments", "relations"):
        a, b = getattr(ref, kind), getattr(res, kind)
        c = exact_counts(a, b) if a or b else Counts()
        pair.counts[kind].add(c)
        doc.add(c)
    ref_by, res_by = _by_label(ref.spans), _by_label(res.spans)
    for label in ref_by.keys() | res_by.keys():
        a, b = ref_by.get(label, []), res_by.get(label, [])
        tp = matched[label]
        pair.per_label.setdefault(label, Counts()).add(Counts(tp, len(b) - tp, len(a) - tp))
        pair.counts["spans_overlap"].add(overlap_counts([k[:2] for k in a], [k[:2] for k in b]))
    if ref.attrs or res.attrs:
        _compare_attrs(pair, ref, res, ca, cb)
    _confuse(pair.confusion, matched, left, right)
    if ref.chains or res.chains:
        for metric, counts in coref_counts(ref.chains, res.chains).items():
            pair.coref[metric].add(counts)
    return 1.0 - doc.f1


def _compare_attrs(pair: PairAgreement, ref: Items, res: Items,
                   ca: Counter[tuple[int, int, str]], cb: Counter[tuple[int, int, str]]) -> None:
    """Attributes of the annotations both sets have (spans by key, events by trigger): the
    share of equal values per attribute. ``attrs`` hold the non-empty ones only."""
    triggers = set(ref.triggers) & set(res.triggers) if ref.triggers and res.triggers else set()
    for key in ref.attrs.keys() | res.attrs.keys():
        where = key[1:]
        if not (where in ca and where in cb if key[0] == "span" else where in triggers):
            continue  # attributes are compared on matched annotations only
        raw, other_raw = ref.attrs.get(key), res.attrs.get(key)
        attrs = _attr_dict(raw)
        other = attrs if raw == other_raw else _attr_dict(other_raw)
        for name in set(attrs) | set(other):
            tally = pair.attributes.setdefault(name, [0, 0])
            tally[0] += attrs.get(name) == other.get(name)
            tally[1] += 1


def _confuse(confusion: Counter[tuple[str, str]], matched: Counter[str],
             left: dict[tuple[int, int], list[str]],
             right: dict[tuple[int, int], list[str]]) -> None:
    """Labels of spans at the same offsets; ``(none)`` where the other set has nothing there.

    Spans with the same offsets and label pair up first (``matched``: per label, the
    multisets' common part), then the rest at the same offsets (``left`` of the reference,
    ``right`` of the response), in label order."""
    for label, n in matched.items():
        confusion[label, label] += n
    for where in left.keys() | right.keys():
        a, b = sorted(left.get(where, [])), sorted(right.get(where, []))
        for i in range(max(len(a), len(b))):
            confusion[a[i] if i < len(a) else NONE, b[i] if i < len(b) else NONE] += 1


def worked_on(statuses: dict[str, str], anns: Mapping[str, Annotations | SetRows]) -> list[str]:
    """The annotators who worked on a document: a status other than new, or any annotation."""
    return [a for a, ann in anns.items() if statuses.get(a, "new") != "new" or
            (ann["spans"] if isinstance(ann, dict) else ann.spans)]


@dataclass(slots=True)
class _Tally:
    """What ``agreement`` sums over documents besides the pairs' counts."""

    tokens: dict[tuple[str, str], Counter[tuple[str, str]]]  # pair -> (label A, label B) -> n
    units: Counter[tuple[str, ...]] = field(default_factory=Counter)  # alpha's units
    ranked: list[tuple[str, float]] = field(default_factory=list)


PARALLEL_MIN = 2_000  # documents before a second process pays for itself


def agreement(project: Project, annotators: Sequence[str] | None = None,
              doc_ids: Iterable[str] | None = None, labels: Iterable[str] | None = None
              ) -> AgreementReport:
    """Agreement of every pair of ``annotators`` (default: every annotation set but ``gold``)
    over the documents both worked on.

    Reads stored rows, not objects, and labels only the tokens some span covers (the others
    are ``O`` for every coder and are counted, not listed): kappa and alpha come from counts
    of label pairs and of unit patterns, so the whole run is linear in the annotations.
    Many documents are split in runs of document ids between forked processes
    (``core.parallel``); the parts' sums are added in document order, so the figures are
    those of one pass."""
    names = list(annotators) if annotators else [a for a in project.annotators() if a != "gold"]
    wanted = set(labels) if labels else None
    names_of = {d.id: d.name for d in project.documents_uncounted()}
    with project.snapshot():
        statuses = _statuses(project, names)  # one query per annotator, not per document
        ids = sorted(set(doc_ids)) if doc_ids is not None else sorted(names_of)
        runs: list[list[str] | None] = list(split(ids, processes(len(ids), PARALLEL_MIN)))
        if len(runs) == 1 and doc_ids is None:
            runs = [None]  # every document: no list to filter by
        parts = run_parts(_tally_file, [(project.path, names, run, wanted, statuses, names_of)
                                        for run in runs[1:]],
                          lambda: _tally(project, names, runs[0], wanted, statuses, names_of))
    pairs, tally = parts[0]
    for more_pairs, more in parts[1:]:
        _add_part(pairs, tally, more_pairs, more)
    for key, pair in pairs.items():
        pair.kappa = kappa_from_pairs(tally.tokens[key])
    tally.ranked.sort(key=lambda item: (-item[1], item[0]))
    return AgreementReport(names, [p for p in pairs.values() if p.documents],
                           alpha_from_patterns(tally.units), tally.ranked)


Part = tuple[dict[tuple[str, str], "PairAgreement"], "_Tally"]


def _tally(project: Project, names: list[str], doc_ids: list[str] | None,
           wanted: set[str] | None, statuses: dict[str, dict[str, str]],
           names_of: dict[str, str]) -> Part:
    """The sums over ``doc_ids`` (sorted; None: every document): one query per table and set
    for all of them, streamed in document id order."""
    pairs = {(a, b): PairAgreement(a, b) for a, b in combinations(names, 2)}
    tally = _Tally({k: Counter() for k in pairs})
    for doc in project.agreement_sets(names, doc_ids, wanted):
        status = statuses.get(doc.doc_id, {})
        coders = [a for a, rows in doc.sets.items() if status.get(a, "new") != "new"
                  or rows["any"]]
        if len(coders) >= 2 and doc.tokens is not None:
            _add_document(doc.tokens, names_of[doc.doc_id], {a: doc.sets[a] for a in coders},
                          wanted, pairs, tally)
    return pairs, tally


def _tally_file(path: Path, names: list[str], doc_ids: list[str], wanted: set[str] | None,
                statuses: dict[str, dict[str, str]], names_of: dict[str, str]) -> Part:
    """``_tally`` in a worker process, on its own read-only connection to the file."""
    from annotator.core.project import Project
    from annotator.store import Store

    project = Project(Store.open(path, readonly=True))
    try:
        with project.snapshot():
            return _tally(project, names, doc_ids, wanted, statuses, names_of)
    finally:
        project.close()


def _add_part(pairs: dict[tuple[str, str], PairAgreement], tally: _Tally,
              more_pairs: dict[tuple[str, str], PairAgreement], more: _Tally) -> None:
    """Add a later run's sums (dictionaries keep the order a single pass gives them)."""
    for key, pair in pairs.items():
        other = more_pairs[key]
        pair.documents += other.documents
        for kind, counts in other.counts.items():
            pair.counts[kind].add(counts)
        for label, counts in other.per_label.items():
            pair.per_label.setdefault(label, Counts()).add(counts)
        for name, (equal, matched) in other.attributes.items():
            tally_ = pair.attributes.setdefault(name, [0, 0])
            tally_[0] += equal
            tally_[1] += matched
        pair.confusion.update(other.confusion)
        for metric, coref in other.coref.items():
            pair.coref[metric].add(coref)
        tally.tokens[key].update(more.tokens[key])
    tally.units.update(more.units)
    tally.ranked.extend(more.ranked)


def _statuses(project: Project, names: Sequence[str]) -> dict[str, dict[str, str]]:
    """document id -> annotator -> status (not ``new``), listed set by set."""
    out: dict[str, dict[str, str]] = {}
    saved = project.annotation_set
    try:
        for who in names:
            project.annotation_set = who
            for d in project.documents_uncounted():
                if d.status != "new":
                    out.setdefault(d.id, {})[who] = d.status
    finally:
        project.annotation_set = saved
    return out


def _add_document(packed_tokens: bytes, name: str,
                  rows: dict[str, dict[str, list[tuple[Any, ...]]]],
                  wanted: set[str] | None, pairs: dict[tuple[str, str], PairAgreement],
                  tally: _Tally) -> None:
    """One document's items, token labels and disagreement, added to the running sums."""
    items = {a: items_of_reads(r) for a, r in rows.items()}
    starts, ends = unpack_bounds(packed_tokens)
    monotone = ends == sorted(ends)
    painted = {a: painted_tokens(items[a].spans, starts, ends, monotone=monotone) for a in rows}
    losses = []
    here: Counter[tuple[str, str]] = Counter()
    for a, b in combinations(rows, 2):
        pairs[a, b].documents += 1
        losses.append(_compare(pairs[a, b], items[a], items[b]))
        pa, pb = painted[a], painted[b]
        both = pa.keys() | pb.keys()
        here = Counter(zip(map(pa.get, both, repeat(OUTSIDE)),
                           map(pb.get, both, repeat(OUTSIDE)), strict=True))
        here[OUTSIDE, OUTSIDE] += len(starts) - len(both)
        tally.tokens[a, b].update(here)
    if len(rows) == 2:  # alpha's units are the pair's token label pairs, unordered
        for (la, lb), n in here.items():
            tally.units[(la, lb) if la <= lb else (lb, la)] += n
    else:
        cols = list(painted.values())
        covered = set().union(*cols)
        for i in covered:
            tally.units[tuple(sorted([p.get(i, OUTSIDE) for p in cols]))] += 1
        tally.units[(OUTSIDE,) * len(rows)] += len(starts) - len(covered)
    tally.ranked.append((name, sum(losses) / len(losses)))
