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
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations, repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.codec import unpack_bounds
from annotator.core.merge import SetRows
from annotator.core.model import Annotations, Span
from annotator.core.parallel import processes, run_parts, split

if TYPE_CHECKING:
    from annotator.core.project import Project

OUTSIDE = "O"
NONE = "(none)"
KINDS = ("spans", "spans_overlap", "triggers", "arguments", "relations")
# The columns ``items_of_rows`` reads, per table (agreement reads no other column).
COLUMNS = {"spans": ("id", "start", "end", "label", "kind", "status", "attrs"),
           "events": ("id", "type", "trigger_id", "status", "attrs"),
           "event_args": ("event_id", "role", "span_id", "filler_event_id"),
           "relations": ("type", "head_id", "tail_id", "status")}
_GET = {table: itemgetter(*cols) for table, cols in COLUMNS.items()}


@dataclass(slots=True)
class Counts:
    """Matches between a reference set and a response set."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 1.0

    def as_dict(self) -> dict[str, float]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


def exact_counts(reference: Iterable[Hashable], response: Iterable[Hashable]) -> Counts:
    """Multiset match of hashable items (an item annotated twice must be matched twice)."""
    ref, res = Counter(reference), Counter(response)
    tp = sum((ref & res).values())
    return Counts(tp, sum(res.values()) - tp, sum(ref.values()) - tp)


def overlap_counts(reference: Sequence[tuple[int, int]],
                   response: Sequence[tuple[int, int]]) -> Counts:
    """One-to-one match of overlapping (start, end) ranges, the largest overlaps first."""
    if not reference or not response:
        return Counts(0, len(response), len(reference))
    res = sorted(response)
    if res == sorted(reference):
        # Equal multisets match completely: a pair taken (largest overlap first) is always
        # two equal ranges, since each range's twin, still free, overlaps it by its whole
        # length; so every range finds its twin.
        return Counts(len(res), 0, 0)
    starts = [s for s, _ in res]
    widest = max((e - s for s, e in res), default=0)
    pairs = []
    for i, (a0, a1) in enumerate(reference):
        # a response range overlapping [a0, a1) starts after a0 - widest and before a1
        for j in range(bisect_left(starts, a0 - widest), bisect_left(starts, a1)):
            b0, b1 = res[j]
            if min(a1, b1) > max(a0, b0):
                pairs.append((min(a1, b1) - max(a0, b0), -i, -j))
    pairs.sort(reverse=True)
    used_ref: set[int] = set()
    used_res: set[int] = set()
    for _, i, j in pairs:
        if i not in used_ref and j not in used_res:
            used_ref.add(i)
            used_res.add(j)
    tp = len(used_ref)
    return Counts(tp, len(response) - tp, len(reference) - tp)


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two equally long label sequences (1.0 when both are constant and equal)."""
    n = len(a)
    if n == 0:
        return 1.0
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[c] * cb[c] for c in ca) / (n * n)
    return 1.0 if expected == 1.0 else (observed - expected) / (1.0 - expected)


def krippendorff_alpha(units: Iterable[Sequence[str]]) -> float:
    """Krippendorff's alpha for nominal data; each unit lists the values its coders gave.

    Units with fewer than two values are not pairable and are left out. Coincidences: each
    ordered pair of values from different coders of a unit adds 1/(m_u - 1); then
    alpha = 1 - (n - 1) * sum of off-diagonal coincidences / sum over c != k of n_c * n_k.
    """
    # most units repeat (every "O, O" token): count each distinct multiset of values once
    return alpha_from_patterns(Counter(tuple(sorted(values)) for values in units))


def alpha_from_patterns(patterns: Counter[tuple[str, ...]]) -> float:
    """``krippendorff_alpha`` of units given as (sorted values of a unit) -> number of units."""
    coincide: dict[tuple[str, str], float] = {}
    for values, weight in patterns.items():
        m = len(values)
        if m < 2 or not weight:
            continue
        counts = Counter(values)
        for c, nc in counts.items():
            for k, nk in counts.items():
                add = weight * nc * (nk - (c == k)) / (m - 1)
                coincide[c, k] = coincide.get((c, k), 0.0) + add
    totals: dict[str, float] = {}
    for (c, _), value in coincide.items():
        totals[c] = totals.get(c, 0.0) + value
    n = sum(totals.values())
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if n <= 1 or expected == 0:
        return 1.0
    observed = sum(v for (c, k), v in coincide.items() if c != k)
    return 1.0 - (n - 1) * observed / expected


def kappa_from_pairs(pairs: Counter[tuple[str, str]]) -> float:
    """``cohen_kappa`` of tokens given as (label of A, label of B) -> number of tokens."""
    n = sum(pairs.values())
    if n == 0:
        return 1.0
    observed = sum(k for (a, b), k in pairs.items() if a == b) / n
    ca: Counter[str] = Counter()
    cb: Counter[str] = Counter()
    for (a, b), k in pairs.items():
        ca[a] += k
        cb[b] += k
    expected = sum(ca[c] * cb[c] for c in ca) / (n * n)
    return 1.0 if expected == 1.0 else (observed - expected) / (1.0 - expected)


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
    for event_id, role, span_id, filler_event_id in rows["event_args"]:
        trigger = trigger_of.get(event_id)
        if trigger is None:
            continue
        filler: tuple[Any, ...] | None = by_id[span_id] if span_id in by_id \
            else trigger_of.get(filler_event_id)  # an event filler: its trigger and type
        if filler is not None:
            out.arguments.append((*trigger, role, *filler))
    for rtype, head_id, tail_id, status in rows["relations"]:
        head, tail = by_id.get(head_id), by_id.get(tail_id)
        if status == "gold" and head and tail and (labels is None or rtype in labels):
            out.relations.append((rtype, *head, *tail))
    return out


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

    def as_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "response": self.response,
                "documents": self.documents,
                **{k: c.as_dict() for k, c in self.counts.items()},
                "per_label": {lab: c.as_dict() for lab, c in sorted(self.per_label.items())},
                "token_kappa": self.kappa,
                "attributes": {name: {"equal": eq, "matched": m, "agreement": eq / m if m else 1.0}
                               for name, (eq, m) in sorted(self.attributes.items())},
                "confusion": [{"reference": a, "response": b, "count": n}
                              for (a, b), n in sorted(self.confusion.items())]}


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

    def as_dict(self) -> dict[str, Any]:
        return {"annotators": self.annotators, "pairs": [p.as_dict() for p in self.pairs],
                "average_f1": {k: self.average(k) for k in KINDS},
                "average_token_kappa": (sum(p.kappa for p in self.pairs) / len(self.pairs)
                                        if self.pairs else 1.0),
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
    # the spans' multisets, counted once for the exact match, per label and the confusion
    ca, cb = Counter(ref.spans), Counter(res.spans)
    same = ca & cb
    tp = sum(same.values())
    spans = Counts(tp, len(res.spans) - tp, len(ref.spans) - tp)
    pair.counts["spans"].add(spans)
    doc.add(spans)
    for kind in ("triggers", "arguments", "relations"):
        a, b = getattr(ref, kind), getattr(res, kind)
        c = exact_counts(a, b) if a or b else Counts()
        pair.counts[kind].add(c)
        doc.add(c)
    matched: Counter[str] = Counter()
    for (_, _, label), n in same.items():
        matched[label] += n
    ref_by, res_by = _by_label(ref.spans), _by_label(res.spans)
    for label in ref_by.keys() | res_by.keys():
        a, b = ref_by.get(label, []), res_by.get(label, [])
        tp = matched[label]
        pair.per_label.setdefault(label, Counts()).add(Counts(tp, len(b) - tp, len(a) - tp))
        pair.counts["spans_overlap"].add(overlap_counts([k[:2] for k in a], [k[:2] for k in b]))
    for key, raw in ref.attrs.items():
        other_raw = res.attrs.get(key)
        if other_raw is None:
            continue  # attributes are compared on matched annotations only
        if raw == other_raw and raw in ("{}", ""):
            continue  # no attributes on either (most spans): nothing to parse
        attrs = _attr_dict(raw)
        other = attrs if raw == other_raw else _attr_dict(other_raw)
        for name in set(attrs) | set(other):
            tally = pair.attributes.setdefault(name, [0, 0])
            tally[0] += attrs.get(name) == other.get(name)
            tally[1] += 1
    _confuse(pair.confusion, ca, cb, same)
    return 1.0 - doc.f1


def _confuse(confusion: Counter[tuple[str, str]], ref: Counter[tuple[int, int, str]],
             res: Counter[tuple[int, int, str]], same: Counter[tuple[int, int, str]]) -> None:
    """Labels of spans at the same offsets; ``(none)`` where the other set has nothing there.

    Spans with the same offsets and label pair up first (``same``: the multisets' common
    part), then the rest at the same offsets."""
    for (_, _, label), n in same.items():
        confusion[label, label] += n
    left: dict[tuple[int, int], list[str]] = {}
    for s, e, label in (ref - same).elements():
        left.setdefault((s, e), []).append(label)
    right: dict[tuple[int, int], list[str]] = {}
    for s, e, label in (res - same).elements():
        right.setdefault((s, e), []).append(label)
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
        ids = sorted(doc_ids) if doc_ids is not None else sorted(names_of)
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
    for doc in project.annotation_sets(names, doc_ids, columns=COLUMNS, tokens=True,
                                       as_tuples=True):
        coders = worked_on(statuses.get(doc.doc_id, {}), doc.sets)
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
    items = {a: items_of_tuples(r, wanted) for a, r in rows.items()}
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
