"""``store.set_reads`` (``Project.annotation_sets``): every document's sets of some annotators
in one query per table and set, streamed in document id order, with the same rows in the same
order as the per-document reads (``Project.annotation_rows``)."""

from __future__ import annotations

import annotator
from annotator.core.agreement import COLUMNS
from annotator.core.codec import pack_pairs, unpack_bounds, unpack_pairs

TEXT = "Rebels attacked Kabul on Monday, said John Smith of Reuters in Kabul."


def _team(tmp_path):
    path = tmp_path / "sets.annproj"
    with annotator.create_project(path, schema="ace2005-news", annotator="ana") as p:
        ids = [p.add_document(f"{TEXT} {n}", name=f"d{n}").id for n in range(6)]
    for who in ("ana", "bo", "cy"):
        with annotator.open_project(path, annotator=who) as p:
            for n, doc_id in enumerate(ids):
                if (n + len(who)) % 3 == 0:
                    continue  # some documents without this set
                rebels = p.add_span(doc_id, 0, 6, "ORG", attrs={"mention_type": "NAM"})
                kabul = p.add_span(doc_id, 16, 21, "GPE")
                p.add_span(doc_id, 38, 48, "PER")
                p.add_trigger_event(doc_id, 7, 15, "Conflict.Attack",
                                    arguments=[("Attacker", rebels.id), ("Place", kabul.id)])
                p.add_relation("PART-WHOLE.Geographical", kabul.id, rebels.id)
                p.add_chain([kabul.id])
                p.set_status(doc_id, "done")
    return path, ids


def test_every_document_comes_with_the_rows_of_the_per_document_reads(tmp_path):
    path, ids = _team(tmp_path)
    with annotator.open_project(path, readonly=True) as p, p.snapshot():
        got = list(p.annotation_sets(["ana", "bo", "cy", "nobody"]))
        assert [d.doc_id for d in got] == sorted(ids)
        for doc in got:
            for who in ("ana", "bo", "cy", "nobody"):
                assert doc.sets[who] == p.annotation_rows(doc.doc_id, who), (doc.doc_id, who)
            assert doc.tokens is None
        assert sum(len(d.sets["bo"]["event_args"]) for d in got) == 8  # 4 documents x 2
        assert sum(len(d.sets["ana"]["chains"]) for d in got) == 4


def test_a_list_of_documents_keeps_repeats_skips_nothing_and_reads_chosen_columns(tmp_path):
    path, ids = _team(tmp_path)
    wanted = [ids[3], ids[1], ids[3], "no-such-document"]
    with annotator.open_project(path, readonly=True) as p, p.snapshot():
        got = list(p.annotation_sets(["bo"], wanted, columns=COLUMNS, tokens=True,
                                     as_tuples=True))
        assert [d.doc_id for d in got] == sorted(wanted)
        for doc in got:
            rows = p.annotation_rows(doc.doc_id, "bo")
            for table, cols in COLUMNS.items():
                assert doc.sets["bo"][table] == [tuple(r[c] for c in cols) for r in rows[table]]
            assert doc.sets["bo"]["chains"] == []  # not asked for
            if doc.doc_id in ids:
                assert unpack_pairs(doc.tokens) == p.document(doc.doc_id).tokens
            else:
                assert doc.tokens is None


def test_unpack_bounds_gives_the_starts_and_ends_of_unpack_pairs():
    for pairs in ([], [(0, 6), (7, 15), (16, 21)], [(0, 5), (300, 100_000)], [(3, 4)]):
        blob = pack_pairs(pairs)
        assert unpack_bounds(blob) == ([s for s, _ in pairs], [e for _, e in pairs])
