"""Agreement of coreference chains: MUC, B-cubed and CEAF-e between two partitions of mentions.

Why its own module: chains (entities) are compared as partitions of mentions, not as items,
with the standard coreference metrics of the CoNLL-2011/2012 reference scorer (Pradhan et
al. 2014, "Scoring Coreference Partitions of Predicted Mentions: A Reference
Implementation"). One annotator's chains are the key K (entities K_i), the other's the
response R (entities R_j); mentions are matched by exact span (offsets, and fragments for a
discontinuous span); a mention listed twice in one set counts once (the first chain keeps
it, as the scorer de-duplicates).

* MUC (Vilain et al. 1995): recall = sum_i (|K_i| - |p(K_i)|) / sum_i (|K_i| - 1), p(K_i)
  the parts of K_i cut by the response (a mention the response lacks is a part alone);
  precision the same with K and R swapped.
* B-cubed (Bagga and Baldwin 1998): recall = sum_i sum_j |K_i & R_j|^2 / |K_i| over
  sum_i |K_i|; precision the same with K and R swapped.
* CEAF-e (Luo 2005): phi(K_i, R_j) = 2 |K_i & R_j| / (|K_i| + |R_j|), g the one-to-one
  alignment of key and response entities with the largest sum of phi (Kuhn-Munkres);
  recall = g / |K|, precision = g / |R| (numbers of entities).

Numerators and denominators are summed over documents before dividing (as the scorer
does). A zero denominator gives 0 (the scorer's rule), except when neither set has any
mention: then every figure is 1.0, as for the other agreement figures.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

METRICS = ("muc", "b_cubed", "ceaf_e")
Mention = Hashable
Entities = Sequence[Sequence[Mention]]


@dataclass(slots=True)
class CorefCounts:
    """Summed recall and precision fractions of one metric, and the mentions seen."""

    r_num: float = 0.0
    r_den: float = 0.0
    p_num: float = 0.0
    p_den: float = 0.0
    mentions: int = 0

    def add(self, other: CorefCounts) -> None:
        self.r_num += other.r_num
        self.r_den += other.r_den
        self.p_num += other.p_num
        self.p_den += other.p_den
        self.mentions += other.mentions

    def _ratio(self, num: float, den: float) -> float:
        if den:
            return num / den
        return 0.0 if self.mentions else 1.0

    @property
    def recall(self) -> float:
        return self._ratio(self.r_num, self.r_den)

    @property
    def precision(self) -> float:
        return self._ratio(self.p_num, self.p_den)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"recall": self.recall, "precision": self.precision, "f1": self.f1}


def dedupe(entities: Entities) -> list[list[Mention]]:
    """Each mention once (in the first entity listing it); entities left empty dropped."""
    seen: set[Mention] = set()
    out = []
    for entity in entities:
        kept = [m for m in dict.fromkeys(entity) if m not in seen]
        seen.update(kept)
        if kept:
            out.append(kept)
    return out


def _owner(entities: Sequence[Sequence[Mention]]) -> dict[Mention, int]:
    return {m: i for i, entity in enumerate(entities) for m in entity}


def _muc_side(key: Sequence[Sequence[Mention]], response: Sequence[Sequence[Mention]]
              ) -> tuple[float, float]:
    owner = _owner(response)
    num = den = 0
    for entity in key:
        parts = {owner[m] for m in entity if m in owner}
        alone = sum(1 for m in entity if m not in owner)
        num += len(entity) - len(parts) - alone
        den += len(entity) - 1
    return num, den


def _b_cubed_side(key: Sequence[Sequence[Mention]], response: Sequence[Sequence[Mention]]
                  ) -> tuple[float, float]:
    owner = _owner(response)
    num = 0.0
    for entity in key:
        shared: dict[int, int] = {}
        for m in entity:
            if m in owner:
                shared[owner[m]] = shared.get(owner[m], 0) + 1
        num += sum(n * n for n in shared.values()) / len(entity)
    return num, sum(len(e) for e in key)


def muc(key: Entities, response: Entities) -> CorefCounts:
    k, r = dedupe(key), dedupe(response)
    rn, rd = _muc_side(k, r)
    pn, pd = _muc_side(r, k)
    return CorefCounts(rn, rd, pn, pd, _mentions(k, r))


def b_cubed(key: Entities, response: Entities) -> CorefCounts:
    k, r = dedupe(key), dedupe(response)
    rn, rd = _b_cubed_side(k, r)
    pn, pd = _b_cubed_side(r, k)
    return CorefCounts(rn, rd, pn, pd, _mentions(k, r))


def ceaf_e(key: Entities, response: Entities) -> CorefCounts:
    k, r = dedupe(key), dedupe(response)
    owner = _owner(r)
    similarity: dict[tuple[int, int], float] = {}
    for i, entity in enumerate(k):
        shared: dict[int, int] = {}
        for m in entity:
            if m in owner:
                shared[owner[m]] = shared.get(owner[m], 0) + 1
        for j, n in shared.items():
            similarity[i, j] = 2 * n / (len(entity) + len(r[j]))
    best = best_alignment(similarity)
    return CorefCounts(best, len(k), best, len(r), _mentions(k, r))


def coref_counts(key: Entities, response: Entities) -> dict[str, CorefCounts]:
    """The three metrics of one document (key: the reference annotator's chains)."""
    return {"muc": muc(key, response), "b_cubed": b_cubed(key, response),
            "ceaf_e": ceaf_e(key, response)}


def _mentions(key: Sequence[Sequence[Mention]], response: Sequence[Sequence[Mention]]) -> int:
    return sum(map(len, key)) + sum(map(len, response))


def best_alignment(similarity: dict[tuple[int, int], float]) -> float:
    """The largest sum of ``similarity[i, j]`` over one-to-one pairs (absent pairs are 0)."""
    rows = sorted({i for i, _ in similarity})
    cols = sorted({j for _, j in similarity})
    if not rows:
        return 0.0
    matrix = [[similarity.get((i, j), 0.0) for j in cols] for i in rows]
    if len(rows) > len(cols):
        matrix = [list(col) for col in zip(*matrix, strict=True)]
    return _hungarian_max(matrix)


def _hungarian_max(w: list[list[float]]) -> float:
    """Kuhn-Munkres (potentials, O(n^2 m)) on an n x m matrix, n <= m: the largest sum of
    one entry per row, in distinct columns."""
    n, m = len(w), len(w[0])
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    p, way = [0] * (m + 1), [0] * (m + 1)  # p[j]: the row given column j (1-based)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -w[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    return sum(w[p[j] - 1][j - 1] for j in range(1, m + 1) if p[j])
