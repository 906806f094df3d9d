"""The live gold dictionary's project-wide write (``LiveGold._propose_texts``: all documents
searched at once, ``Project.put_span_proposals``) leaves the project exactly as the
document-by-document path (``LiveGold._update``, each document's whole batch through
``put_suggestions``) does: every occurrence found, token boundaries respected, rejected
proposals not made again, gold not duplicated, stale suggestions taken back."""

from __future__ import annotations

import annotator
from annotator.core.token_arrays import join_tokens
from annotator.nlp.live_gold import SOURCE, LiveGold, LiveReport
from annotator.nlp.live_match import occurrences

TEXTS = [
    "NATO met the European Commission in Kabul.",
    "NATO's envoy and the European Commission. NATOs and NATO-led troops.",
    "The European\nCommission met NATO NATO in Kabul, said Kabul officials.",
    "Nothing to see: natoand Kabulistan, European Commissioner.",
    "Europe's European Commission; NATO.",
]


def _build(path):
    p = annotator.create_project(path, schema="ace2005-news", annotator="ana")
    docs = [p.add_document(t, name=f"d{i}") for i, t in enumerate(TEXTS)]
    return p, docs


def _span(p, doc, word, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(word, start + 1)
    return p.add_span(doc.id, start, start + len(word), label)


def _state(p):
    out = []
    for doc_id in p.document_ids():
        doc = p.document(doc_id)
        out += sorted((doc.name, s.start, s.end, doc.text[s.start:s.end], s.label, s.status,
                       s.source) for s in p.spans(doc_id))
    return out


def _edits(p, docs, refresh):
    """The same edits on both projects; ``refresh(edited)`` runs one of the two paths."""
    _span(p, docs[0], "NATO", "ORG")
    _span(p, docs[0], "European Commission", "ORG")
    refresh([docs[0].id])
    kabul = _span(p, docs[0], "Kabul", "GPE")
    refresh([docs[0].id])
    # reject one suggestion, label one occurrence gold by hand, relabel the first NATO
    nato2 = next(s for s in p.spans(docs[2].id) if s.status == "suggested"
                 and p.document(docs[2].id).text[s.start:s.end] == "NATO")
    p.reject(nato2.id)
    first = next(s for s in p.spans(docs[0].id) if s.start == 0)
    p.update_span(first.id, label="GPE")
    refresh([docs[0].id])
    p.delete_span(kabul.id)
    refresh([docs[0].id])


def test_the_bulk_write_matches_the_document_by_document_path(tmp_path):
    fast, fast_docs = _build(tmp_path / "fast.annproj")
    slow, slow_docs = _build(tmp_path / "slow.annproj")
    live_fast, live_slow = LiveGold(), LiveGold()

    def by_document(edited):
        live_slow.refresh(slow, [])  # learn the edits without writing anything
        for doc_id in edited:
            live_slow._learn(slow, doc_id)
        for doc_id in slow.document_ids():
            live_slow._update(slow, doc_id, LiveReport(), False)

    try:
        _edits(fast, fast_docs, lambda edited: live_fast.refresh(fast, edited))
        _edits(slow, slow_docs, by_document)
        got, want = _state(fast), _state(slow)
        assert got == want
        texts = {(row[3], row[4], row[5]) for row in got if row[6] == SOURCE}
        assert ("NATO", "GPE", "suggested") in texts  # the relabel followed
        assert ("NATO", "ORG", "rejected") in texts  # the rejection stayed
        assert not any(t == "Kabul" for t, _l, status in texts if status == "suggested")
        # boundaries: NATO's and NATO-led are tokens NATO; NATOs, natoand, Kabulistan are
        # not; "European\nCommission" is not the two-token text
        d1 = [r for r in got if r[0] == "d1" and r[6] == SOURCE]
        assert [r[3] for r in d1] == ["NATO", "European Commission", "NATO"]
        assert not [r for r in got if r[0] == "d3" and r[6] == SOURCE]
        d2 = sorted((r[3], r[5]) for r in got if r[0] == "d2" and r[6] == SOURCE)
        assert ("European\nCommission", "suggested") not in d2
    finally:
        fast.close()
        slow.close()


def test_gold_is_never_duplicated_and_an_occurrence_is_proposed_once(project):
    docs = [project.add_document(t, name=f"d{i}") for i, t in enumerate(TEXTS)]
    _span(project, docs[0], "NATO", "ORG")
    _span(project, docs[2], "NATO", "ORG", nth=1)
    live = LiveGold()
    live.refresh(project, [docs[0].id, docs[2].id])
    again = live.refresh(project, [docs[0].id, docs[2].id])
    assert again.added == 0
    for doc_id in project.document_ids():
        places = [(s.start, s.end) for s in project.spans(doc_id)]
        assert len(places) == len(set(places))  # one span per place: gold kept, no copy


def test_occurrences_are_the_tokens_of_every_document_at_once(project):
    docs = [project.add_document(t, name=f"d{i}") for i, t in enumerate(TEXTS)]
    rows = project.texts_holding("NATO")
    assert [r[0] for r in rows] == [d.id for d in docs if "NATO" in d.text]
    found = occurrences(("NATO",), rows)
    want = [(d.id, s, e) for d in docs for s, e in d.tokens if d.text[s:e] == "NATO"]
    assert found == want
    jt = join_tokens([r[1] for r in rows], [r[2] for r in rows])
    pairs = [(s, e) for d in docs if "NATO" in d.text for s, e in d.tokens]
    shifted = [(int(s), int(e)) for s, e in zip(jt.starts, jt.ends, strict=True)]
    holding = [d for d in docs if "NATO" in d.text]
    assert [jt.joined[o:o + len(d.text)] for o, d in zip(jt.offsets, holding, strict=True)] \
        == [d.text for d in holding]
    assert len(shifted) == len(pairs)
    assert [jt.joined[s:e] for s, e in shifted] == [
        d.text[s:e] for d in holding for s, e in d.tokens]
