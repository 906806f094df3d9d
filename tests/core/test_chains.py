"""Coreference chains, discontinuous spans and references in the core: every operation is
one undo step that undo and redo restore exactly (checked on the project file's rows), the
rules (one chain per mention, one document and set) are enforced, deleting a span takes it out
of its chain, and imports, merges and migrations carry all three."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Chain, Reference, Span
from annotator.errors import ValidationError
from tests.conftest import word_offsets

TEXT = "Barack Obama visited Paris. The president said he liked North and South America."


def at(word: str, nth: int = 0) -> tuple[int, int]:
    return word_offsets(TEXT, word, nth)


def rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in ("spans", "chains")}
    finally:
        conn.close()


@pytest.fixture
def doc(project):
    d = project.add_document(TEXT, name="story")
    ids = {"doc": d.id}
    for key, word in (("obama", "Barack Obama"), ("president", "The president"),
                      ("he", "he"), ("paris", "Paris")):
        ids[key] = project.add_span(d.id, *at(word), "GPE" if key == "paris" else "PER").id
    return project, ids


def undo_redo_exact(project, before, action):
    """Run ``action``; undo gives back ``before`` exactly, redo the state after it."""
    result = action()
    after = rows(project.path)
    assert after != before
    project.undo()
    assert rows(project.path) == before
    project.redo()
    assert rows(project.path) == after
    return result


def test_chain_operations_are_undoable_steps(doc):
    project, ids = doc
    before = rows(project.path)
    chain = undo_redo_exact(project, before,
                            lambda: project.link_to_chain(ids["president"], ids["obama"]))
    assert project.chain(chain.id).mentions == [ids["obama"], ids["president"]]
    assert chain.type == "PER" and project.chain_of(ids["president"]).id == chain.id
    step = rows(project.path)
    undo_redo_exact(project, step, lambda: project.add_to_chain(chain.id, ids["he"]))
    assert project.chain(chain.id).mentions == [ids["obama"], ids["president"], ids["he"]]
    step = rows(project.path)
    undo_redo_exact(project, step, lambda: project.update_chain(
        chain.id, refs=[("Wikidata", "Q76", "Barack Obama")], attrs={"kind": "SPC"}))
    assert project.chain(chain.id).refs == [Reference("Wikidata", "Q76", "Barack Obama")]
    step = rows(project.path)
    undo_redo_exact(project, step, lambda: project.remove_from_chain(ids["he"]))
    assert project.chain_of(ids["he"]) is None
    step = rows(project.path)
    undo_redo_exact(project, step, lambda: project.delete_chain(chain.id))
    assert project.chains(ids["doc"]) == []


def test_merge_and_link_join_two_chains_in_one_step(doc):
    project, ids = doc
    a = project.add_chain([ids["obama"], ids["he"]], refs=[("Wikidata", "Q76", "")])
    b = project.add_chain([ids["president"]], note="title", refs=[("Wikidata", "Q11696")])
    before = rows(project.path)
    merged = undo_redo_exact(project, before, lambda: project.link_to_chain(ids["president"],
                                                                            ids["he"]))
    assert merged.id == a.id and project.chains(ids["doc"])[0].mentions == [
        ids["obama"], ids["president"], ids["he"]]
    assert [r.id for r in merged.refs] == ["Q76", "Q11696"] and merged.note == "title"
    with pytest.raises(Exception, match="no chain"):
        project.chain(b.id)


def test_a_mention_belongs_to_one_chain_of_one_document_and_set(doc):
    project, ids = doc
    project.add_chain([ids["obama"], ids["president"]])
    with pytest.raises(ValidationError, match="already a mention"):
        project.add_chain([ids["president"], ids["he"]])
    with pytest.raises(ValidationError, match="once"):
        project.add_chain([ids["he"], ids["he"]])
    other = project.add_document("Another story about Obama.", name="two")
    far = project.add_span(other.id, 20, 25, "PER")
    with pytest.raises(ValidationError, match="one document"):
        project.add_chain([ids["he"], far.id])
    project.annotation_set = "bea"
    theirs = project.add_span(ids["doc"], *at("liked"), "PER")
    with pytest.raises(ValidationError, match="annotation set"):
        project.add_chain([ids["he"], theirs.id])


def test_deleting_a_mention_takes_it_out_of_its_chain_and_undo_puts_it_back(doc):
    project, ids = doc
    chain = project.add_chain([ids["obama"], ids["president"]])
    before = rows(project.path)
    undo_redo_exact(project, before, lambda: project.delete_span(ids["president"]))
    assert project.chain(chain.id).mentions == [ids["obama"]]
    project.delete_span(ids["obama"])  # the last mention: the chain goes with it
    assert project.chains(ids["doc"]) == []
    project.undo()
    assert project.chain(chain.id).mentions == [ids["obama"]]


def test_fragments_are_created_added_resized_and_undone(doc):
    project, ids = doc
    north, south = at("North"), at("South America")
    before = rows(project.path)
    span = undo_redo_exact(project, before, lambda: project.add_fragmented_span(
        ids["doc"], [north, south], "LOC"))
    assert span.fragments == [north, south] and (span.start, span.end) == (north[0], south[1])
    assert project.span(span.id).parts == [north, south]
    america = at("America")
    stored = project.add_fragmented_span(ids["doc"], [north], "LOC")
    assert stored.fragments == [] and (stored.start, stored.end) == north  # one: contiguous
    step = rows(project.path)
    grown = undo_redo_exact(project, step, lambda: project.add_fragment(stored.id, *america))
    assert grown.fragments == [north, america]
    resized = project.update_span(stored.id, end=america[1] - 1)  # a resize keeps the gap
    assert resized.fragments == [north, (america[0], america[1] - 1)]
    joined = project.add_fragment(stored.id, north[1], america[0])
    assert joined.fragments == [] and (joined.start, joined.end) == (north[0], america[1] - 1)
    for bad in ([north, north], [(0, 3), (2, 9)], [(5, 3), (7, 9)], "0 5"):
        with pytest.raises(ValidationError):
            project.update_span(span.id, fragments=bad, start=0, end=9)


def test_span_references_are_a_list_and_bad_ones_are_refused(doc):
    project, ids = doc
    before = rows(project.path)
    refs = [("Wikidata", "Q90", ""), ("GeoNames", "2988507", "Paris")]
    span = undo_redo_exact(project, before, lambda: project.set_span_refs(ids["paris"], refs))
    assert span.refs == [Reference("Wikidata", "Q90", ""), Reference("GeoNames", "2988507",
                                                                     "Paris")]
    assert project.span(ids["paris"]).refs == span.refs  # an empty name stays empty
    for bad in ([("Wikidata", "")], ["Q90"], [Reference("Wikidata", " ", "")]):
        with pytest.raises(ValidationError):
            project.set_span_refs(ids["paris"], bad)


def test_import_and_merge_carry_chains_fragments_and_references(project):
    spans = [Span(id="s1", doc_id="", start=0, end=12, label="PER",
                  refs=[Reference("Wikidata", "Q76", "")]),
             Span(id="s2", doc_id="", start=28, end=41, label="PER"),
             Span(id="s3", doc_id="", start=56, end=79, label="LOC",
                  fragments=[(56, 61), (72, 79)])]
    chain = Chain(id="c1", doc_id="", type="PER", mentions=["s1", "s2"],
                  refs=[Reference("Wikidata", "Q76", "Barack Obama")])
    project.add_documents([DocumentInput(text=TEXT, name="story", id="d1",
                                         sets={"ana": Annotations(spans, [], [], [chain])})])
    ann = project.annotations("d1", "ana")
    assert [c.mentions for c in ann.chains] == [["s1", "s2"]]
    assert ann.span_by_id()["s3"].fragments == [(56, 61), (72, 79)]
    assert ann.span_by_id()["s1"].refs == [Reference("Wikidata", "Q76", "")]
    rows_ = project.annotation_rows("d1", "ana")
    assert [r["id"] for r in rows_["chains"]] == ["c1"]
    ann.chains[0].mentions = ["s1"]
    (diff,) = project.replace_annotation_sets([("d1", "ana", ann, None)])
    assert diff.changed == 1 and project.chain("c1").mentions == ["s1"]
    bad = Chain(id="c2", doc_id="", type="PER", mentions=["nope"])
    with pytest.raises(ValidationError, match="not a span"):
        project.add_documents([DocumentInput(text=TEXT + " ", name="bad", sets={
            "ana": Annotations([Span(id="x1", doc_id="", start=0, end=5, label="PER")],
                               [], [], [bad])})])


def test_check_reports_shared_mentions_dangling_ones_and_forbidden_mixed_types(project):
    # imported data may break the rules the API keeps: check names each break (#11.1)
    spans = [Span(id="p1", doc_id="", start=0, end=12, label="PER"),
             Span(id="p2", doc_id="", start=28, end=41, label="PER"),
             Span(id="g1", doc_id="", start=21, end=26, label="GPE")]
    chains = [Chain(id="c1", doc_id="", type="PER", mentions=["p1", "p2", "g1"]),
              Chain(id="c2", doc_id="", type="Coreference", mentions=["p2", "g1"])]
    project.add_documents([DocumentInput(text=TEXT, name="story", id="d1",
                                         sets={"ana": Annotations(spans, [], [], chains)})])
    problems = {(p.code, p.ann_id, p.start) for p in project.check(annotator="ana")}
    assert ("chain-mixed-types", "c1", 21) in problems  # a PER chain with a GPE mention
    assert ("chain-shared-mention", "c2", 28) in problems and (
        "chain-shared-mention", "c2", 21) in problems
    # a chain type the schema does not constrain may mix types
    assert not [p for p in problems if p[0] == "chain-mixed-types" and p[1] == "c2"]
    project.delete_span("g1")
    project.remove_from_chain("p2", "c2")
    assert [p.code for p in project.check(annotator="ana")
            if p.code.startswith("chain")] == []


def test_renaming_a_label_renames_the_chains_of_that_type_in_one_step(doc):
    """A schema rename reaches chain types too (a PER chain would otherwise keep a type the
    schema no longer has); undo puts everything back."""
    project, ids = doc
    chain = project.link_to_chain(ids["president"], ids["obama"])
    before = rows(project.path)
    project.rename_label("PER", "PERSON")
    assert project.chain(chain.id).type == "PERSON"
    assert {s.label for s in project.spans(ids["doc"]) if s.id != ids["paris"]} == {"PERSON"}
    project.undo()
    assert rows(project.path) == before and project.chain(chain.id).type == "PER"
