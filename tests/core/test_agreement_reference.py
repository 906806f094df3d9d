"""``agreement`` (rows, covered tokens only, counted patterns) gives the same figures as a
straightforward reference implementation (objects, every token listed) on random projects of
three annotators with spans, events with arguments, relations and attributes."""

from __future__ import annotations

import contextlib
import random
from collections import Counter
from itertools import combinations

import pytest

import annotator
from annotator.core.agreement import (
    KINDS,
    NONE,
    Counts,
    agreement,
    cohen_kappa,
    exact_counts,
    krippendorff_alpha,
    overlap_counts,
    token_labels,
)
from annotator.errors import ValidationError

WORDS = ["Rebels", "attacked", "Kabul", "on", "Monday", "while", "John", "Smith", "of",
         "Reuters", "watched", "the", "talks"]
LABELS = ["PER", "ORG", "GPE", "LOC"]


def reference_items(ann):
    by_id = {s.id: s for s in ann.spans}
    spans = [(s.start, s.end, s.label) for s in ann.spans
             if s.status == "gold" and s.kind != "trigger"]
    attrs = {("span", s.start, s.end, s.label): dict(s.attrs) for s in ann.spans
             if s.status == "gold" and s.kind != "trigger"}
    triggers, arguments, trigger_of = [], [], {}
    for e in ann.events:
        t = by_id.get(e.trigger_id)
        if e.status == "gold" and t is not None:
            trigger_of[e.id] = (t.start, t.end, e.type)
            triggers.append(trigger_of[e.id])
            attrs[("event", t.start, t.end, e.type)] = dict(e.attrs)
    for e in ann.events:
        for a in e.arguments if e.id in trigger_of else []:
            s = by_id.get(a.filler_id) if a.filler_kind == "span" else None
            filler = (s.start, s.end) if s else trigger_of.get(a.filler_id)
            if filler is not None:
                arguments.append((*trigger_of[e.id], a.role, *filler))
    relations = [(r.type, by_id[r.head_id].start, by_id[r.head_id].end, by_id[r.tail_id].start,
                  by_id[r.tail_id].end) for r in ann.relations if r.status == "gold"]
    return {"spans": spans, "triggers": triggers, "arguments": arguments,
            "relations": relations, "attrs": attrs}


def reference_agreement(p):
    """Every figure of ``agreement(p)`` computed the plain way."""
    names = [a for a in p.annotators() if a != "gold"]
    counts = {pair: {k: Counts() for k in KINDS} for pair in combinations(names, 2)}
    per_label = {pair: {} for pair in counts}
    attributes = {pair: {} for pair in counts}
    confusion = {pair: Counter() for pair in counts}
    tokens = {pair: ([], []) for pair in counts}
    units, ranked = [], []
    for doc in p.documents():
        anns = {a: p.annotations(doc.id, a) for a in names}
        statuses = p.statuses(doc.id)
        coders = [a for a in names if statuses.get(a, "new") != "new" or anns[a].spans]
        if len(coders) < 2:
            continue
        index = p.token_index(doc.id)
        labels = {a: token_labels(anns[a], index.starts, index.ends) for a in coders}
        units += [list(u) for u in zip(*labels.values(), strict=True)]
        items = {a: reference_items(anns[a]) for a in coders}
        losses = []
        for a, b in combinations(coders, 2):
            x, y, doc_counts = items[a], items[b], Counts()
            for kind in ("spans", "triggers", "arguments", "relations"):
                c = exact_counts(x[kind], y[kind])
                counts[a, b][kind].add(c)
                doc_counts.add(c)
            for label in {k[2] for k in x["spans"] + y["spans"]}:
                xs = [k for k in x["spans"] if k[2] == label]
                ys = [k for k in y["spans"] if k[2] == label]
                per_label[a, b].setdefault(label, Counts()).add(exact_counts(xs, ys))
                counts[a, b]["spans_overlap"].add(
                    overlap_counts([k[:2] for k in xs], [k[:2] for k in ys]))
            for key, at in x["attrs"].items():
                if key in y["attrs"]:
                    for name in set(at) | set(y["attrs"][key]):
                        tally = attributes[a, b].setdefault(name, [0, 0])
                        tally[0] += at.get(name) == y["attrs"][key].get(name)
                        tally[1] += 1
            for _where, la, lb in _same_offsets(x["spans"], y["spans"]):
                confusion[a, b][la, lb] += 1
            tokens[a, b][0].extend(labels[a])
            tokens[a, b][1].extend(labels[b])
            losses.append(1 - doc_counts.f1)
        ranked.append((doc.name, sum(losses) / len(losses)))
    ranked.sort(key=lambda item: (-item[1], item[0]))
    return {"counts": counts, "per_label": per_label, "attributes": attributes,
            "confusion": confusion, "kappa": {k: cohen_kappa(*v) for k, v in tokens.items()},
            "alpha": krippendorff_alpha(units), "ranked": ranked}


def _same_offsets(ref, res):
    """Label pairs of spans at the same offsets, equal labels paired first."""
    out = []
    at: dict[tuple[int, int], tuple[list[str], list[str]]] = {}
    for s, e, label in ref:
        at.setdefault((s, e), ([], []))[0].append(label)
    for s, e, label in res:
        at.setdefault((s, e), ([], []))[1].append(label)
    for where, (a, b) in at.items():
        common = Counter(a) & Counter(b)
        for label, n in common.items():
            out += [(where, label, label)] * n
        a = sorted((Counter(a) - common).elements())
        b = sorted((Counter(b) - common).elements())
        for i in range(max(len(a), len(b))):
            out.append((where, a[i] if i < len(a) else NONE, b[i] if i < len(b) else NONE))
    return out


def _fill(p, doc, rng, words):
    starts = [i for i in range(len(doc.text)) if i == 0 or doc.text[i - 1] == " "]
    spans = []
    for _ in range(rng.randint(0, 9)):
        i = rng.randrange(len(starts))
        j = min(len(starts) - 1, i + rng.randint(0, 2))
        end = doc.text.index(" ", starts[j]) if " " in doc.text[starts[j]:] else len(doc.text)
        if doc.text[starts[i]:end] in ("attacked", "watched"):
            continue
        attrs = {"mention_type": rng.choice(["NAM", "NOM"])} if rng.random() < .3 else {}
        spans.append(p.add_span(doc.id, starts[i], end, rng.choice(LABELS), attrs=attrs))
    for word in ("attacked", "watched"):
        if rng.random() < 0.7:
            s = doc.text.find(word)
            if s < 0:
                continue
            e = p.add_trigger_event(doc.id, s, s + len(word), "Conflict.Attack",
                                    attrs={"realis": rng.choice(["actual", "other"])})
            for role in rng.sample(["Attacker", "Target", "Place"], k=rng.randint(0, 2)):
                fillers = [x for x in spans if x.label in ("PER", "ORG", "GPE")]
                if fillers:
                    # the schema may refuse this filler type for the role
                    with contextlib.suppress(ValidationError):
                        p.add_argument(e.id, role, rng.choice(fillers).id)
    for _ in range(rng.randint(0, 2)):
        if len(spans) >= 2:
            head, tail = rng.sample(spans, 2)
            with contextlib.suppress(ValidationError):
                p.add_relation("PART-WHOLE.Geographical", head.id, tail.id)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_agreement_equals_the_reference_implementation(tmp_path, seed):
    rng = random.Random(seed)
    path = tmp_path / "team.annproj"
    with annotator.create_project(path, schema="ace2005-news", annotator="ana") as p:
        for n in range(12):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))) + " attacked."
            p.add_document(text, name=f"d{n:02d}")
        docs = p.documents()
    for who in ("ana", "bo", "cy"):
        with annotator.open_project(path, annotator=who) as p:
            for doc in docs:
                if rng.random() < 0.85:
                    _fill(p, p.document(doc.id), rng, WORDS)
    with annotator.open_project(path, readonly=True) as p:
        got = agreement(p)
        want = reference_agreement(p)
    assert len(got.pairs) == 3
    for kind in ("spans", "triggers", "arguments", "relations"):  # every kind was compared
        assert sum(p.counts[kind].tp + p.counts[kind].fp for p in got.pairs), kind
    assert any(p.attributes for p in got.pairs)
    for pair in got.pairs:
        key = (pair.reference, pair.response)
        for kind in KINDS:
            c, w = pair.counts[kind], want["counts"][key][kind]
            assert (kind, c.tp, c.fp, c.fn) == (kind, w.tp, w.fp, w.fn)
        assert {k: (c.tp, c.fp, c.fn) for k, c in pair.per_label.items()} == \
            {k: (c.tp, c.fp, c.fn) for k, c in want["per_label"][key].items()}
        assert pair.attributes == want["attributes"][key]
        assert +pair.confusion == +want["confusion"][key]
        assert pair.kappa == pytest.approx(want["kappa"][key], abs=1e-12)
    assert got.alpha == pytest.approx(want["alpha"], abs=1e-12)
    assert [n for n, _ in got.documents] == [n for n, _ in want["ranked"]] and got.documents
    assert [d for _, d in got.documents] == pytest.approx([d for _, d in want["ranked"]])
