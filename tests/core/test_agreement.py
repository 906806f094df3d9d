"""Inter-annotator agreement: the statistics against independent reference computations, and
the per-pair figures on a project that two annotators worked on."""

from __future__ import annotations

import json
from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import annotator
from annotator.cli import main
from annotator.core.agreement import (
    agreement,
    cohen_kappa,
    exact_counts,
    krippendorff_alpha,
    overlap_counts,
)
from tests.conftest import word_offsets

TEXT = "NATO met Russia in Brussels on Monday. The talks in Brussels ended."


def at(word: str, nth: int = 0) -> tuple[int, int]:
    return word_offsets(TEXT, word, nth)


def reference_alpha(units: list[list[str]]) -> float:
    """Krippendorff's alpha by its pairwise definition: observed disagreement within units over
    the disagreement expected from all pairable values pooled (Hayes & Krippendorff 2007)."""
    pairable = [u for u in units if len(u) >= 2]
    values = [v for u in pairable for v in u]
    n = len(values)
    if n <= 1:
        return 1.0
    d_o = sum(sum(a != b for a, b in combinations(u, 2)) * 2 / (len(u) - 1)
              for u in pairable) / n
    d_e = sum(a != b for a, b in combinations(values, 2)) * 2 / (n * (n - 1))
    return 1.0 if d_e == 0 else 1.0 - d_o / d_e


def test_alpha_of_krippendorffs_worked_example():
    # Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), nominal: 0.691
    rows = [[None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
            [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
            [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4]]
    units = [[str(r[i]) for r in rows if r[i] is not None] for i in range(15)]
    assert krippendorff_alpha(units) == pytest.approx(0.691, abs=5e-4)


@given(st.lists(st.lists(st.sampled_from("ABCO"), min_size=0, max_size=4), max_size=40))
def test_alpha_equals_the_pairwise_definition(units):
    assert krippendorff_alpha(units) == pytest.approx(reference_alpha(units), abs=1e-9)


def test_cohen_kappa_by_hand():
    # p_o = 3/4, p_e = (2*1 + 2*3) / 16 = 1/2, kappa = (3/4 - 1/2) / (1/2) = 1/2
    assert cohen_kappa(list("AABB"), list("ABBB")) == pytest.approx(0.5)
    assert cohen_kappa(list("AAAA"), list("AAAA")) == 1.0


@given(st.lists(st.tuples(st.sampled_from("AB"), st.sampled_from("AB")), min_size=1))
def test_two_coder_kappa_and_alpha_agree_on_perfect_agreement_only(pairs):
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    alpha = krippendorff_alpha([[x, y] for x, y in pairs])
    if a == b:
        assert cohen_kappa(a, b) == 1.0 and alpha == 1.0
    elif len(set(a + b)) > 1:
        assert alpha < 1.0


def test_exact_counts_are_multisets_and_overlap_is_one_to_one():
    c = exact_counts([(0, 4, "ORG"), (0, 4, "ORG")], [(0, 4, "ORG"), (5, 8, "PER")])
    assert (c.tp, c.fp, c.fn) == (1, 1, 1) and c.f1 == pytest.approx(0.5)
    # (0, 10) overlaps both response spans but is matched once, to the larger overlap
    o = overlap_counts([(0, 10), (20, 25)], [(0, 3), (2, 9), (30, 31)])
    assert (o.tp, o.fp, o.fn) == (1, 2, 1)


@pytest.fixture
def two_annotators(tmp_path):
    """ana and bo annotated the same article; a second article only ana worked on."""
    path = tmp_path / "team.annproj"
    with annotator.create_project(path, annotator="ana") as ana:
        doc = ana.add_document(TEXT, name="meeting")
        ana.add_document("Only ana read this.", name="solo")
        solo = ana.documents()[1].id
        nato = ana.add_span(doc.id, *at("NATO"), "ORG")
        russia = ana.add_span(doc.id, *at("Russia"), "GPE")
        ana.add_span(doc.id, *at("Brussels"), "GPE")
        ana.add_span(doc.id, *at("Monday"), "TIME")
        meet = ana.add_trigger_event(doc.id, *at("met"), "Contact.Meet", attrs={"realis": "actual"})
        ana.add_argument(meet.id, "Entity", nato.id)
        ana.add_argument(meet.id, "Entity", russia.id)
        ana.set_status(solo, "done")
    with annotator.open_project(path, annotator="bo") as bo:
        nato = bo.add_span(doc.id, *at("NATO"), "ORG")
        bo.add_span(doc.id, *at("Russia"), "GPE")
        bo.add_span(doc.id, *at("Brussels"), "LOC")  # label differs
        bo.add_span(doc.id, at("on")[0], at("Monday")[1], "TIME")  # overlaps ana's TIME
        bo.add_span(doc.id, *at("Brussels", 1), "GPE")  # only bo
        meet = bo.add_trigger_event(doc.id, *at("met"), "Contact.Meet", attrs={"realis": "other"})
        bo.add_argument(meet.id, "Entity", nato.id)
    return path, doc.id


def test_pair_figures_on_a_shared_document(two_annotators):
    path, doc_id = two_annotators
    with annotator.open_project(path, readonly=True) as p:
        report = agreement(p)
    assert report.annotators == ["ana", "bo"]
    (pair,) = report.pairs
    assert pair.documents == 1  # "solo" was worked on by ana only
    spans = pair.counts["spans"]
    assert (spans.tp, spans.fn, spans.fp) == (2, 2, 3)  # NATO, Russia agree
    overlap = pair.counts["spans_overlap"]
    assert (overlap.tp, overlap.fn, overlap.fp) == (3, 1, 2)  # + the TIME spans
    assert pair.per_label["GPE"].tp == 1 and pair.per_label["LOC"].fp == 1
    assert (pair.counts["triggers"].tp, pair.counts["triggers"].fn) == (1, 0)
    args = pair.counts["arguments"]
    assert (args.tp, args.fn, args.fp) == (1, 1, 0)
    assert pair.attributes["realis"] == [0, 1]  # matched event, different realis
    assert pair.confusion[("GPE", "LOC")] == 1
    assert pair.confusion[("(none)", "GPE")] == 1 and pair.confusion[("ORG", "ORG")] == 1
    assert report.documents[0][0] == "meeting" and report.documents[0][1] > 0


def test_token_kappa_and_alpha_follow_the_token_labels(two_annotators):
    path, doc_id = two_annotators
    with annotator.open_project(path, readonly=True) as p:
        index = p.token_index(doc_id)
        report = agreement(p)
    words = [TEXT[s:e] for s, e in zip(index.starts, index.ends, strict=True)]
    ana = {"NATO": "ORG", "Russia": "GPE", "Monday": "TIME"}
    labels_a, labels_b = [], []
    seen = Counter()
    for w in words:
        seen[w] += 1
        labels_a.append(ana.get(w, "GPE" if w == "Brussels" and seen[w] == 1 else "O"))
        b = {"NATO": "ORG", "Russia": "GPE", "on": "TIME", "Monday": "TIME"}.get(w, "O")
        if w == "Brussels":
            b = "LOC" if seen[w] == 1 else "GPE"
        labels_b.append(b)
    (pair,) = report.pairs
    assert pair.kappa == pytest.approx(cohen_kappa(labels_a, labels_b))
    assert report.alpha == pytest.approx(reference_alpha([[a, b] for a, b in
                                                         zip(labels_a, labels_b, strict=True)]))
    assert 0 < pair.kappa < 1


def test_labels_filter_and_identical_sets(two_annotators):
    path, _ = two_annotators
    with annotator.open_project(path, readonly=True) as p:
        report = agreement(p, labels=["ORG"])
    (pair,) = report.pairs
    assert pair.counts["spans"].f1 == 1.0 and set(pair.per_label) == {"ORG"}


def test_cli_agree_prints_tables_and_writes_json(two_annotators, tmp_path, capsys):
    path, _ = two_annotators
    out = tmp_path / "agree.json"
    main(["agree", str(path), "--json", str(out)])
    printed = capsys.readouterr().out
    assert "ana / bo" in printed and "Krippendorff" in printed and "meeting" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["pairs"][0]["spans"]["tp"] == 2
    assert data["average_f1"]["spans"] == pytest.approx(4 / 9)


def test_cli_agree_names_an_unknown_annotator(two_annotators, capsys):
    path, _ = two_annotators
    with pytest.raises(SystemExit) as exc:
        main(["agree", str(path), "--annotators", "ana,zed"])
    err = capsys.readouterr().err
    assert exc.value.code != 0
    assert "no annotation set named zed" in err and "Traceback" not in err
