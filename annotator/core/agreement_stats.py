"""The statistics of inter-annotator agreement, on plain values: match counts with precision,
recall and F1 (exact multiset and one-to-one overlap match), Cohen's kappa and Krippendorff's
alpha (nominal), from lists or from counted patterns.

Why its own module: ``core.agreement`` walks a project's documents and sets; these functions
know nothing of projects, so the tests check them against textbook examples directly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


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
    """One-to-one match of overlapping (start, end) ranges, the largest overlaps first.

    The ranges of both sides fall into clusters (chains of overlapping ranges); the greedy
    match never pairs ranges of two clusters, so each cluster is matched on its own: one
    range of each side is one match, one side only none, and only bigger clusters run the
    greedy (with the ranges' positions, so ties break as over all ranges at once)."""
    if not reference or not response:
        return Counts(0, len(response), len(reference))
    res = sorted(response)
    if res == sorted(reference):
        # Equal multisets match completely: a pair taken (largest overlap first) is always
        # two equal ranges, since each range's twin, still free, overlaps it by its whole
        # length; so every range finds its twin.
        return Counts(len(res), 0, 0)
    ranges = sorted([(s, e, 0, i) for i, (s, e) in enumerate(reference)]
                    + [(s, e, 1, j) for j, (s, e) in enumerate(res)])
    tp = 0
    start = 0  # the current cluster is ranges[start:k]; sides counts its reference ranges
    sides = 0
    reach = ranges[0][1]
    for k, (s, e, side, _) in enumerate(ranges):
        if s >= reach:
            tp += _cluster_matches(ranges, start, k, sides)
            start, sides = k, 0
        sides += side == 0
        if e > reach:
            reach = e
    tp += _cluster_matches(ranges, start, len(ranges), sides)
    return Counts(tp, len(response) - tp, len(reference) - tp)


def _cluster_matches(ranges: list[tuple[int, int, int, int]], start: int, stop: int,
                     refs_in: int) -> int:
    """The greedy one-to-one match (largest overlap, then first reference and first sorted
    response position) inside the cluster ``ranges[start:stop]`` of (start, end, side,
    position) ranges, ``refs_in`` of them reference ranges."""
    if refs_in == 0 or refs_in == stop - start:
        return 0
    if stop - start == 2:
        return 1  # two ranges in one cluster overlap
    cluster = ranges[start:stop]
    refs = [(s, e, i) for s, e, side, i in cluster if side == 0]
    ress = [(s, e, j) for s, e, side, j in cluster if side == 1]
    pairs = [(min(a1, b1) - max(a0, b0), -i, -j) for a0, a1, i in refs for b0, b1, j in ress
             if min(a1, b1) > max(a0, b0)]
    pairs.sort(reverse=True)
    used_ref: set[int] = set()
    used_res: set[int] = set()
    for _, i, j in pairs:
        if i not in used_ref and j not in used_res:
            used_ref.add(i)
            used_res.add(j)
    return len(used_ref)


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
