"""The shortcuts of ``core.agreement`` give the figures of the plain algorithms they skip:
``overlap_counts`` (empty sides, equal multisets) against the plain greedy match, and
``painted_tokens`` by bisection against the token-by-token walk, and a run split between
processes against one pass."""

from __future__ import annotations

import random

from annotator.core.agreement import overlap_counts, painted_tokens


def plain_overlap(reference, response):
    """The greedy one-to-one match, largest overlap first, ties by reference then response
    position (the sorted response), without any shortcut."""
    res = sorted(response)
    pairs = [(min(a1, b1) - max(a0, b0), -i, -j) for i, (a0, a1) in enumerate(reference)
             for j, (b0, b1) in enumerate(res) if min(a1, b1) > max(a0, b0)]
    pairs.sort(reverse=True)
    used_ref, used_res = set(), set()
    for _, i, j in pairs:
        if i not in used_ref and j not in used_res:
            used_ref.add(i)
            used_res.add(j)
    tp = len(used_ref)
    return tp, len(response) - tp, len(reference) - tp


def _ranges(rng, n):
    out = []
    for _ in range(n):
        s = rng.randrange(30)
        out.append((s, s + rng.randint(1, 6)))
    return out


def test_overlap_counts_equals_the_plain_greedy_match():
    rng = random.Random(7)
    for _ in range(3000):
        ref = _ranges(rng, rng.randint(0, 8))
        kind = rng.random()
        if kind < 0.3:  # the same multiset in another order
            res = rng.sample(ref, len(ref))
        elif kind < 0.6:  # mostly the same, some moved
            res = [r if rng.random() < 0.8 else (r[0] + 1, r[1] + 2) for r in ref]
        else:
            res = _ranges(rng, rng.randint(0, 8))
        c = overlap_counts(ref, res)
        assert (c.tp, c.fp, c.fn) == plain_overlap(ref, res), (ref, res)


def plain_painted(spans, starts, ends):
    out = {}
    for s0, s1, label in sorted(spans, key=lambda s: s[1] - s[0]):
        i = 0
        while i < len(starts) and starts[i] < s0:
            i += 1
        while i < len(starts) and ends[i] <= s1:
            out[i] = label
            i += 1
    return out


def test_painted_tokens_by_bisection_equals_the_token_walk():
    rng = random.Random(3)
    for _ in range(500):
        starts, ends, pos = [], [], 0
        for _ in range(rng.randint(0, 15)):
            pos += rng.randint(0, 2)
            starts.append(pos)
            pos += rng.randint(1, 4)
            ends.append(pos)
        spans = [(s, s + rng.randint(1, 9), rng.choice("ABC"))
                 for s in (rng.randrange(pos + 1) for _ in range(rng.randint(0, 6)))]
        want = plain_painted(spans, starts, ends)
        assert painted_tokens(spans, starts, ends) == want
        assert painted_tokens(spans, starts, ends, monotone=True) == want


def test_agreement_split_between_processes_gives_the_figures_of_one_pass(tmp_path,
                                                                        monkeypatch):
    import annotator
    from annotator.core.agreement import agreement
    from tests.core.test_agreement_reference import WORDS, _fill

    rng = random.Random(11)
    path = tmp_path / "team.annproj"
    with annotator.create_project(path, schema="ace2005-news", annotator="ana") as p:
        for n in range(15):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))) + " attacked."
            p.add_document(text, name=f"d{n:02d}")
        docs = p.documents()
    for who in ("ana", "bo", "cy"):
        with annotator.open_project(path, annotator=who) as p:
            for doc in docs:
                _fill(p, p.document(doc.id), rng, WORDS)
    with annotator.open_project(path, readonly=True) as p:
        some = [d.id for d in docs[2:11]]
        monkeypatch.setenv("ANNOTATOR_PROCESSES", "1")
        one, one_some = agreement(p).as_dict(), agreement(p, doc_ids=some).as_dict()
        monkeypatch.setenv("ANNOTATOR_PROCESSES", "3")  # this process and two forked ones
        three, three_some = agreement(p).as_dict(), agreement(p, doc_ids=some).as_dict()
    assert one["pairs"] and one == three
    assert one_some["pairs"] and one_some == three_some
