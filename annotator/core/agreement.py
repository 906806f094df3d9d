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

from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from annotator.core.model import Annotations, Span

if TYPE_CHECKING:
    from annotator.core.project import Project

OUTSIDE = "O"
NONE = "(none)"
KINDS = ("spans", "spans_overlap", "triggers", "arguments", "relations")


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
    res = sorted(response)
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
    coincide: dict[tuple[str, str], float] = {}
    # most units repeat (every "O, O" token): count each distinct multiset of values once
    patterns = Counter(tuple(sorted(values)) for values in units if len(values) >= 2)
    for values, weight in patterns.items():
        m = len(values)
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


def _gold_spans(ann: Annotations, labels: set[str] | None) -> list[Span]:
    return [s for s in ann.spans if s.status == "gold" and (labels is None or s.label in labels)]


@dataclass(slots=True)
class Items:
    """One annotator's gold annotations of one document, as comparable keys."""

    spans: list[tuple[int, int, str]] = field(default_factory=list)
    triggers: list[tuple[int, int, str]] = field(default_factory=list)
    arguments: list[tuple[Any, ...]] = field(default_factory=list)
    relations: list[tuple[Any, ...]] = field(default_factory=list)
    attrs: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)


def items_of(ann: Annotations, labels: set[str] | None = None) -> Items:
    """The keys that agreement compares: offsets and labels, never ids (ids differ per set)."""
    by_id = {s.id: s for s in ann.spans}
    out = Items()
    for s in _gold_spans(ann, labels):
        if s.kind == "trigger":
            continue
        key = (s.start, s.end, s.label)
        out.spans.append(key)
        out.attrs[("span", *key)] = dict(s.attrs)
    trigger_of = {}
    for e in ann.events:
        t = by_id.get(e.trigger_id)
        if e.status != "gold" or t is None or (labels is not None and e.type not in labels):
            continue
        trigger_of[e.id] = (t.start, t.end, e.type)
        out.triggers.append(trigger_of[e.id])
        out.attrs[("event", t.start, t.end, e.type)] = dict(e.attrs)
    for e in ann.events:
        if e.id not in trigger_of:
            continue
        for a in e.arguments:
            filler = (by_id[a.filler_id].start, by_id[a.filler_id].end) \
                if a.filler_kind == "span" and a.filler_id in by_id else trigger_of.get(a.filler_id)
            if filler is not None:
                out.arguments.append((*trigger_of[e.id], a.role, *filler))
    for r in ann.relations:
        head, tail = by_id.get(r.head_id), by_id.get(r.tail_id)
        if r.status == "gold" and head and tail and (labels is None or r.type in labels):
            out.relations.append((r.type, head.start, head.end, tail.start, tail.end))
    return out


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


def _compare(pair: PairAgreement, ref: Items, res: Items) -> float:
    """Add one document's comparison to ``pair``; return its disagreement (1 - exact F1)."""
    doc = Counts()
    for kind in ("spans", "triggers", "arguments", "relations"):
        c = exact_counts(getattr(ref, kind), getattr(res, kind))
        pair.counts[kind].add(c)
        doc.add(c)
    for label in {k[2] for k in ref.spans} | {k[2] for k in res.spans}:
        c = exact_counts([k for k in ref.spans if k[2] == label],
                         [k for k in res.spans if k[2] == label])
        pair.per_label.setdefault(label, Counts()).add(c)
        pair.counts["spans_overlap"].add(overlap_counts(
            [k[:2] for k in ref.spans if k[2] == label], [k[:2] for k in res.spans if k[2] == label]))
    for key, attrs in ref.attrs.items():
        other = res.attrs.get(key)
        if other is None:
            continue  # attributes are compared on matched annotations only
        for name in set(attrs) | set(other):
            tally = pair.attributes.setdefault(name, [0, 0])
            tally[0] += attrs.get(name) == other.get(name)
            tally[1] += 1
    _confuse(pair.confusion, ref.spans, res.spans)
    return 1.0 - doc.f1


def _confuse(confusion: Counter[tuple[str, str]], ref: list[tuple[int, int, str]],
             res: list[tuple[int, int, str]]) -> None:
    """Labels of spans at the same offsets; ``(none)`` where the other set has nothing there.

    Spans with the same offsets and label pair up first, then the rest at the same offsets."""
    same = Counter(ref) & Counter(res)
    for (_, _, label), n in same.items():
        confusion[label, label] += n
    left: dict[tuple[int, int], list[str]] = {}
    for s, e, label in (Counter(ref) - same).elements():
        left.setdefault((s, e), []).append(label)
    right: dict[tuple[int, int], list[str]] = {}
    for s, e, label in (Counter(res) - same).elements():
        right.setdefault((s, e), []).append(label)
    for where in left.keys() | right.keys():
        a, b = sorted(left.get(where, [])), sorted(right.get(where, []))
        for i in range(max(len(a), len(b))):
            confusion[a[i] if i < len(a) else NONE, b[i] if i < len(b) else NONE] += 1


def worked_on(statuses: dict[str, str], anns: dict[str, Annotations]) -> list[str]:
    """The annotators who worked on a document: a status other than new, or any annotation."""
    return [a for a, ann in anns.items() if statuses.get(a, "new") != "new" or ann.spans]


def agreement(project: Project, annotators: Sequence[str] | None = None,
              doc_ids: Iterable[str] | None = None, labels: Iterable[str] | None = None
              ) -> AgreementReport:
    """Agreement of every pair of ``annotators`` (default: every annotation set but ``gold``)
    over the documents both worked on."""
    names = list(annotators) if annotators else [a for a in project.annotators() if a != "gold"]
    wanted = set(labels) if labels else None
    pairs = {(a, b): PairAgreement(a, b) for a, b in combinations(names, 2)}
    paired: dict[tuple[str, str], tuple[list[str], list[str]]] = {k: ([], []) for k in pairs}
    ranked: list[tuple[str, float]] = []
    units: list[tuple[str, ...]] = []
    names_of = {d.id: d.name for d in project.documents()}
    for doc_id in doc_ids if doc_ids is not None else project.document_ids():
        anns = {a: project.annotations(doc_id, a) for a in names}
        coders = worked_on(project.statuses(doc_id), anns)
        if len(coders) < 2:
            continue
        items = {a: items_of(anns[a], wanted) for a in coders}
        index = project.token_index(doc_id)
        per_token = {a: token_labels(anns[a], index.starts, index.ends, wanted) for a in coders}
        units.extend(zip(*per_token.values(), strict=True))
        losses = []
        for a, b in combinations(coders, 2):
            pairs[a, b].documents += 1
            losses.append(_compare(pairs[a, b], items[a], items[b]))
            paired[a, b][0].extend(per_token[a])
            paired[a, b][1].extend(per_token[b])
        ranked.append((names_of[doc_id], sum(losses) / len(losses)))
    for key, pair in pairs.items():
        pair.kappa = cohen_kappa(*paired[key])
    ranked.sort(key=lambda item: (-item[1], item[0]))
    return AgreementReport(names, [p for p in pairs.values() if p.documents],
                           krippendorff_alpha(units), ranked)
