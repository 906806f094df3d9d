"""The gold dictionary as the annotator works (``nlp.live_gold``): a new gold text is
proposed in the other documents, a relabel replaces its open suggestions, a removed gold
text takes them away, a proposal already there keeps its id, rejected ones stay rejected."""

from __future__ import annotations

from annotator.nlp.live_gold import SOURCE, LiveGold

TEXTS = ["Reuters said NATO met in Kabul.", "In Kabul, NATO troops waited.",
         "Nothing here.", "NATO and Kabul again, said Reuters."]


def _open(project, doc_id):
    return sorted((project.document(doc_id).text[s.start:s.end], s.label)
                  for s in project.spans(doc_id) if s.status == "suggested"
                  and s.source == SOURCE)


def test_a_new_gold_text_is_proposed_across_the_project_and_follows_relabel(project):
    docs = [project.add_document(t, name=f"d{i}") for i, t in enumerate(TEXTS)]
    live = LiveGold()
    a = docs[0]
    span = project.add_span(a.id, 13, 17, "ORG")  # NATO
    rep = live.refresh(project, [a.id], watch=[docs[1].id])
    assert _open(project, docs[1].id) == [("NATO", "ORG")]
    assert _open(project, docs[3].id) == [("NATO", "ORG")]
    assert _open(project, docs[2].id) == []
    assert rep.added == 2 and docs[1].id in rep.changes.doc_ids and rep.changes.spans
    kept = {s.id for s in project.spans(docs[1].id)}

    project.add_span(a.id, 25, 30, "GPE")  # Kabul: NATO's suggestions keep their ids
    live.refresh(project, [a.id])
    assert _open(project, docs[1].id) == [("Kabul", "GPE"), ("NATO", "ORG")]
    assert kept <= {s.id for s in project.spans(docs[1].id)}

    nato_in_3 = next(s for s in project.spans(docs[3].id) if s.start == 0)
    project.reject(nato_in_3.id)
    project.update_span(span.id, label="GPE")  # relabelled: the ORG suggestions go
    live.refresh(project, [a.id])
    assert _open(project, docs[1].id) == [("Kabul", "GPE"), ("NATO", "GPE")]
    statuses = sorted((s.label, s.status) for s in project.spans(docs[3].id) if s.start == 0)
    assert statuses == [("GPE", "suggested"), ("ORG", "rejected")]  # the rejection stays

    project.delete_span(span.id)  # NATO is no longer gold anywhere
    live.refresh(project, [a.id])
    assert _open(project, docs[1].id) == [("Kabul", "GPE")]


def test_nothing_is_written_when_the_gold_did_not_change(project):
    docs = [project.add_document(t, name=f"d{i}") for i, t in enumerate(TEXTS)]
    project.add_span(docs[0].id, 13, 17, "ORG")
    live = LiveGold()
    assert live.refresh(project, [docs[0].id]).added == 2
    rep = live.refresh(project, [docs[0].id, docs[2].id])
    assert rep.added == 0 and rep.documents == []


def test_the_watched_document_comes_first_and_a_stop_keeps_what_was_written(project):
    import pytest

    from annotator.core.progress import Cancelled
    from annotator.nlp.live_gold import WATCHED

    docs = [project.add_document(t, name=f"d{i}") for i, t in enumerate(TEXTS)]
    project.add_span(docs[0].id, 13, 17, "ORG")
    seen = []

    def progress(done, total, message):
        seen.append((done, total, message))
        return False  # stop at the first report

    with pytest.raises(Cancelled):
        LiveGold().refresh(project, [docs[0].id], watch=[docs[3].id], progress=progress)
    assert seen == [(1, 3, WATCHED)]  # d0 (the edited one), d1 and d3 hold NATO
    assert _open(project, docs[3].id) == [("NATO", "ORG")]  # written first, kept
    assert _open(project, docs[1].id) == []  # not reached
