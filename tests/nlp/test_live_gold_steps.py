"""The live gold dictionary's job in small steps (issue #12): pages of documents read with
one FTS look-up, transactions of a few places, a ``pause()`` between two steps. The project
it leaves does not depend on the step sizes; a stop while it searches writes nothing, a stop
between two transactions leaves every document whole; an edit made between two steps wins;
the arrays behind the search read every token encoding; bulk ids have ``new_id``'s form."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

import annotator
import annotator.nlp.live_gold as live_gold
from annotator.core.bulk_suggest import new_ids
from annotator.core.codec import pack_pairs
from annotator.core.model import new_id
from annotator.core.progress import Cancelled
from annotator.core.token_arrays import join_tokens
from annotator.nlp.live_gold import SOURCE, LiveGold
from annotator.store.search import narrowing
from tests.nlp.test_live_gold_bulk import _build, _edits, _state

MANY = ["NATO met NATO in Kabul.", "Nothing.", "NATO, Kabul and NATO again.",
        "Zürich and NATO.", "Kabul said NATO.", "NATO NATO NATO."]


def _suggested(project):
    """(document index, start) of every open gold-dictionary suggestion."""
    ids = project.document_ids()
    return sorted((ids.index(s.doc_id), s.start) for d in ids for s in project.spans(d)
                  if s.status == "suggested" and s.source == SOURCE)


def _nato(doc):
    return [i for i in range(len(doc.text)) if doc.text.startswith("NATO", i)]


def test_the_step_sizes_do_not_change_the_project(tmp_path, monkeypatch):
    big, big_docs = _build(tmp_path / "big.annproj")
    small, small_docs = _build(tmp_path / "small.annproj")
    try:
        live = LiveGold()
        _edits(big, big_docs, lambda edited: live.refresh(big, edited))
        monkeypatch.setattr(live_gold, "DOCUMENTS_PER_READ", 1)
        monkeypatch.setattr(live_gold, "PLACES_PER_WRITE", 1)
        pauses = []
        live = LiveGold()
        _edits(small, small_docs, lambda edited: live.refresh(
            small, edited, watch=[small_docs[2].id], pause=lambda: pauses.append(1)))
        assert _state(small) == _state(big)
        assert len(pauses) > 2 * len(small_docs)  # a pause after every page and before writes
    finally:
        big.close()
        small.close()


def test_pages_hold_every_document_holding_the_word_once_in_order(project):
    for i, text in enumerate(MANY):
        project.add_document(text, name=f"d{i}")
    conn = project._store.conn
    assert narrowing(conn, "said NATO") is not None  # the FTS index answers: row numbers
    assert narrowing(conn, "NATO") is None  # it cannot say: each page scans on
    for word in ("said NATO", "and NATO", "NATO", "Kabul", "Zürich", "absent"):
        want = project.texts_holding(word)
        for size in (1, 2, 100):
            pages = list(project.pages_holding(word, size))
            assert all(0 < len(page) <= size for page in pages)
            assert [row for page in pages for row in page] == want
    ids = project.document_ids()
    assert [r[0] for r in project.texts_of(ids[::-1], "Kabul")] == [
        ids[0], ids[2], ids[4]]  # in document order


def test_a_stop_while_searching_writes_nothing(project, monkeypatch):
    monkeypatch.setattr(live_gold, "DOCUMENTS_PER_READ", 1)
    docs = [project.add_document(t, name=f"d{i}") for i, t in enumerate(MANY)]
    project.add_span(docs[0].id, 0, 4, "ORG")
    calls = []

    def pause():
        calls.append(1)
        if len(calls) == 3:  # three pages searched, nothing written yet
            raise Cancelled("stopped")

    with pytest.raises(Cancelled):
        LiveGold().refresh(project, [docs[0].id], pause=pause)
    assert _suggested(project) == []


def test_a_stop_between_transactions_leaves_every_document_whole(project, monkeypatch):
    monkeypatch.setattr(live_gold, "PLACES_PER_WRITE", 1)  # one document per transaction
    docs = [project.add_document(t, name=f"d{i}") for i, t in enumerate(MANY)]
    project.add_span(docs[0].id, 0, 4, "ORG")
    calls = []

    def pause():  # one after the search (one page), then one before each transaction
        calls.append(1)
        if len(calls) == 4:  # stop before the third transaction
            raise Cancelled("stopped")

    with pytest.raises(Cancelled):
        LiveGold().refresh(project, [docs[0].id], pause=pause)
    got = _suggested(project)
    holding = [i for i, d in enumerate(docs) if _nato(d)]
    whole = [i for i in holding if {s for d, s in got if d == i} == set(
        _nato(docs[i])) - ({0} if i == 0 else set())]
    untouched = [i for i in holding if not any(d == i for d, _s in got)]
    assert len(whole) == 2 and sorted(whole + untouched) == holding


def test_an_edit_between_two_steps_wins(project):
    """The window's job writes on a worker connection; the user labels, between two of its
    steps, a place it has found and is about to propose: the gold span stays alone there."""
    docs = [project.add_document(t, name=f"d{i}") for i, t in enumerate(MANY)]
    project.add_span(docs[0].id, 0, 4, "ORG")
    worker = project.worker_copy()
    last = docs[5]
    edits = []

    def pause():
        if not edits:  # the user, on the window's connection
            edits.append(project.add_span(last.id, 5, 9, "GPE"))

    try:
        LiveGold().refresh(worker, [docs[0].id], pause=pause)
    finally:
        worker.close()
    at = sorted((s.start, s.label, s.status) for s in project.spans(last.id))
    assert at == [(0, "ORG", "suggested"), (5, "GPE", "gold"), (10, "ORG", "suggested")]


def test_the_token_arrays_read_compact_wide_and_empty_blobs_alike():
    texts = ["ab cd", "", " " * 300 + "y", "efg hi"]
    pairs = [[(0, 2), (3, 5)], [], [(300, 301)], [(0, 3), (4, 6)]]
    blobs = [pack_pairs(p) for p in pairs]
    assert blobs[0][:1] == b"\x01" and blobs[2][:1] == b"\x00"  # compact, wide (gap > 255)
    for chosen in ([0, 1, 3], [0, 1, 2, 3], [1], [3, 0]):
        t = [texts[i] for i in chosen]
        jt = join_tokens(t, [blobs[i] for i in chosen])
        assert jt.joined == "\x00".join(t)
        want = [(int(o) + s, int(o) + e) for o, i in zip(jt.offsets, chosen, strict=True)
                for s, e in pairs[i]]
        got = [(int(s), int(e)) for s, e in zip(jt.starts, jt.ends, strict=True)]
        assert got == want
        counts = [len(pairs[i]) for i in chosen]
        assert list(jt.first) == [sum(counts[:k]) for k in range(len(chosen))]


def test_ids_made_at_once_have_the_form_of_new_id():
    ids = new_ids(2000)
    assert len(set(ids)) == 2000 and new_ids(0) == []
    one = new_id()
    for ident in [*ids, one]:
        u = uuid.UUID(ident)
        assert len(ident) == 32 and u.version == 7 and u.variant == uuid.RFC_4122
    assert abs(int(ids[0][:12], 16) - int(one[:12], 16)) < 60_000  # the same clock (ms)


def test_a_project_written_in_steps_reopens_sound(tmp_path, monkeypatch):
    monkeypatch.setattr(live_gold, "PLACES_PER_WRITE", 2)
    path = tmp_path / "p.annproj"
    with annotator.create_project(path, schema="ace2005-news", annotator="ana") as p:
        docs = [p.add_document(t, name=f"d{i}") for i, t in enumerate(MANY)]
        p.add_span(docs[0].id, 0, 4, "ORG")
        rep = LiveGold().refresh(p, [docs[0].id])
        want = _suggested(p)
        p.undo()  # the last transaction is one undo step: its places go, the others stay
        after_undo = _suggested(p)
    assert rep.added == len(want) == sum(len(_nato(d)) for d in docs) - 1
    with annotator.open_project(path, annotator="ana") as p:
        assert _suggested(p) == after_undo and 0 < len(after_undo) < len(want)


def test_proposing_nothing_where_nothing_is_open_writes_no_transaction(project):
    docs = [project.add_document(t, name=f"d{i}") for i, t in enumerate(MANY)]
    project.add_span(docs[0].id, 0, 4, "ORG")
    label = project.undo_label
    nothing = {d.id: [(s, s + 4, None, None)] for d in docs for s in _nato(d)[:1]}
    other = sqlite3.connect(project.path)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock: no need to wait for it
    try:
        rep = project.put_span_proposals(SOURCE, "dictionary", nothing)
    finally:
        other.rollback()
        other.close()
    assert rep.documents == [] and project.undo_label == label  # no undo step either
    rep = project.put_span_proposals(SOURCE, "dictionary",
                                     {docs[2].id: [(0, 4, "ORG", 1.0)]})
    assert rep.documents == [docs[2].id] and _suggested(project) == [(2, 0)]
    rep = project.put_span_proposals(SOURCE, "dictionary", nothing)  # taken back: written
    assert rep.removed and _suggested(project) == []
