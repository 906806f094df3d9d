"""MUC, B-cubed and CEAF-e against the worked test cases of the CoNLL-2011/2012 reference
scorer (conll/reference-coreference-scorers, test/TestCases.README; Pradhan et al. 2014),
the alignment against brute force, and the chain figures of ``agreement`` on a project."""

from __future__ import annotations

import random
from itertools import permutations

import pytest

import annotator
from annotator.core.agreement import agreement
from annotator.core.coref_agreement import best_alignment, coref_counts

KEY = ["a", "bc", "def"]
# case: (response, {metric: (recall, precision)}), values as the README gives them
CASES = {
    "TC-A-1": (["a", "bc", "def"], {"muc": (1, 1), "b_cubed": (1, 1), "ceaf_e": (1, 1)}),
    "TC-A-2": (["a", "de"], {"muc": (1 / 3, 1), "b_cubed": (7 / 18, 1),
                             "ceaf_e": (1.8 / 3, 1.8 / 2)}),
    "TC-A-3": (["a", "bcx", "defy", "z"],
               {"muc": (1, 3 / 5), "b_cubed": (1, 55 / 108),
                "ceaf_e": ((1 + 4 / 5 + 6 / 7) / 3, (1 + 4 / 5 + 6 / 7) / 4)}),
    "TC-A-4": (["a", "bcx", "dy", "z"],
               {"muc": (1 / 3, 1 / 3), "b_cubed": (5 / 9, 17 / 42),
                "ceaf_e": (2.2 / 3, 2.2 / 4)}),
    "TC-A-5": (["a", "bcxB", "dy", "z"],  # B overlaps b: another mention
               {"muc": (1 / 3, 1 / 4), "b_cubed": (5 / 9, 5 / 16),
                "ceaf_e": ((1 + 4 / 6 + 2 / 5) / 3, (1 + 4 / 6 + 2 / 5) / 4)}),
    "TC-A-6": (["a", "bcx", "dy", "Bz"],
               {"muc": (1 / 3, 1 / 4), "b_cubed": (5 / 9, 17 / 48),
                "ceaf_e": (2.2 / 3, 2.2 / 4)}),
    "TC-A-10": (["a", "b", "c", "d", "e", "f"], {"muc": (0, 0), "b_cubed": (3 / 6, 1)}),
    "TC-A-11": (["abcdef"], {"muc": (1, 3 / 5), "b_cubed": (1, 7 / 18)}),
    "TC-A-12": (["a", "x", "y", "c", "d", "e", "z"], {"muc": (0, 0),
                                                      "b_cubed": (13 / 36, 4 / 7)}),
    "TC-A-13": (["axycdez"], {"muc": (1 / 3, 1 / 6), "b_cubed": (17 / 36, 6 / 49)}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_reference_scorers_worked_cases(case):
    response, want = CASES[case]
    got = coref_counts([list(e) for e in KEY], [list(e) for e in response])
    for metric, (recall, precision) in want.items():
        assert (got[metric].recall, got[metric].precision) == \
            pytest.approx((recall, precision), abs=1e-9), (case, metric)


def test_duplicate_mentions_count_once():
    # TC-A-7 and TC-A-8: a mention repeated in the response is de-duplicated, whichever
    # entity repeats it; the figures are those of TC-A-4
    four = coref_counts([list(e) for e in KEY], [list(e) for e in ["a", "bcx", "dy", "z"]])
    for response in (["a", "bcxb", "dy", "z"], ["a", "bcx", "dy", "bz"]):
        got = coref_counts([list(e) for e in KEY], [list(e) for e in response])
        for metric in ("muc", "b_cubed", "ceaf_e"):
            assert got[metric].as_dict() == pytest.approx(four[metric].as_dict())


def test_bcubed_and_muc_examples_of_the_original_papers():
    key = [list("12345"), list("67"), list("89ABC")]
    merged = coref_counts(key, [list("12345"), list("6789ABC")])  # TC-D-1
    assert merged["b_cubed"].precision == pytest.approx(16 / 21)
    assert merged["muc"].precision == pytest.approx(9 / 10) and merged["muc"].recall == 1
    big = coref_counts(key, [list("1234589ABC"), list("67")])  # TC-E-1: two big ones merged
    assert big["b_cubed"].precision == pytest.approx(7 / 12)
    split = coref_counts([list("ABCD")], [list("AB"), list("CD")])  # TC-F-1
    assert (split["muc"].recall, split["muc"].precision) == pytest.approx((2 / 3, 1))


def test_nothing_on_either_side_is_full_agreement_and_f1_from_p_and_r():
    empty = coref_counts([], [])
    assert all(c.f1 == 1.0 for c in empty.values())
    c = coref_counts([list(e) for e in KEY], [list("a"), list("de")])["muc"]
    assert c.f1 == pytest.approx(2 * (1 / 3) * 1 / (1 / 3 + 1))


def test_the_alignment_is_the_best_one_to_one_assignment():
    rng = random.Random(4)
    for _ in range(300):
        n, m = rng.randint(1, 5), rng.randint(1, 5)
        sim = {(i, j): rng.choice([0.0, 0.2, 0.5, 1.0, rng.random()])
               for i in range(n) for j in range(m) if rng.random() < 0.7}
        small, large = (n, m) if n <= m else (m, n)
        best = 0.0
        for cols in permutations(range(large), small):
            pairs = zip(range(small), cols, strict=True)
            best = max(best, sum(sim.get((i, j) if n <= m else (j, i), 0.0) for i, j in pairs))
        assert best_alignment(sim) == pytest.approx(best, abs=1e-9)


TEXT = "Ana Souza met Li Wei in Lisbon. She said he would return to the city."


def _span(p, doc_id, word, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return p.add_span(doc_id, start, start + len(word), label)


def test_agreement_reports_chain_figures_per_pair(tmp_path):
    path = tmp_path / "chains.annproj"
    with annotator.create_project(path, annotator="ana") as p:
        doc = p.add_document(TEXT, name="meeting")
        ana, she, li, he = (_span(p, doc.id, w, "PER") for w in ("Ana Souza", "She", "Li Wei",
                                                                  "he"))
        lisbon, city = _span(p, doc.id, "Lisbon", "GPE"), _span(p, doc.id, "city", "GPE")
        p.add_chain([ana.id, she.id])
        p.add_chain([li.id, he.id])
        p.add_chain([lisbon.id, city.id])
    with annotator.open_project(path, annotator="bo") as p:
        ana, she, li, he = (_span(p, doc.id, w, "PER") for w in ("Ana Souza", "She", "Li Wei",
                                                                  "he"))
        _span(p, doc.id, "Lisbon", "GPE")
        p.add_chain([ana.id, she.id, he.id])  # he linked to Ana Souza
        p.add_chain([li.id])
    with annotator.open_project(path, readonly=True) as p:
        report = agreement(p)
    (pair,) = report.pairs
    key = [["Ana Souza", "She"], ["Li Wei", "he"], ["Lisbon", "city"]]
    want = coref_counts(key, [["Ana Souza", "She", "he"], ["Li Wei"]])
    for metric, counts in want.items():
        assert pair.coref[metric].as_dict() == pytest.approx(counts.as_dict()), metric
    # by hand: MUC recall (1 + 0 + 0) / 3, precision (3 - 2) / 2
    assert (pair.coref["muc"].recall, pair.coref["muc"].precision) == \
        pytest.approx((1 / 3, 1 / 2))
    data = report.as_dict()
    assert data["pairs"][0]["chains"]["b_cubed"]["f1"] == pytest.approx(want["b_cubed"].f1)
    assert data["average_chains_f1"]["muc"] == pytest.approx(want["muc"].f1)
    # the terminal report of `annotator agree` prints the same figures
    from io import StringIO

    from rich.console import Console

    from annotator.agreement_tables import print_report

    out = StringIO()
    print_report(report, Console(file=out, width=200))
    printed = out.getvalue()
    assert "coreference chains per pair" in printed
    assert f"{1 / 3:.3f} / {1 / 2:.3f} / {pair.coref['muc'].f1:.3f}" in printed
    assert f"{pair.conll_f1:.3f}" in printed
