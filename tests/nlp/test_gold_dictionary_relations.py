"""The gold dictionary's relations: a related pair of texts is proposed again only where
its texts lie as they did in gold (one inside the other, or apart), so "NATO spokeswoman"
related to the "NATO" inside it is not proposed with another "NATO" of its sentence."""

from __future__ import annotations

from annotator.nlp.gold_dictionary import GoldDictionary, shape
from tests.conftest import word_offsets

TEXT = "A NATO spokeswoman said NATO would meet Russia."
OTHER = TEXT + " Talks go on."  # the same sentence in another document


def test_a_nested_pair_is_proposed_nested_only(project):
    a = project.add_document(TEXT, name="a")
    start, _ = word_offsets(TEXT, "NATO")
    person = project.add_span(a.id, start, word_offsets(TEXT, "spokeswoman")[1], "PER")
    nato = project.add_span(a.id, *word_offsets(TEXT, "NATO"), "ORG")
    project.add_relation("ORG-AFF.Employment", person.id, nato.id)
    b = project.add_document(OTHER, name="b")
    gold = GoldDictionary.from_project(project, [a.id])
    relations = gold.batch(project.document(b.id)).relations
    assert [(r.type, r.head[:2], r.tail[:2]) for r in relations] == [
        ("ORG-AFF.Employment", (person.start, person.end), word_offsets(TEXT, "NATO"))]


def test_a_pair_apart_is_proposed_apart(project):
    a = project.add_document(TEXT, name="a")
    first = project.add_span(a.id, *word_offsets(TEXT, "NATO", 1), "ORG")
    russia = project.add_span(a.id, *word_offsets(TEXT, "Russia"), "GPE")
    project.add_relation("ORG-AFF.Membership", russia.id, first.id)
    b = project.add_document(OTHER, name="b")
    gold = GoldDictionary.from_project(project, [a.id])
    relations = gold.batch(project.document(b.id)).relations
    # both "NATO"s lie apart from "Russia": both are proposed (nothing tells them apart)
    assert sorted(r.tail[:2] for r in relations) == sorted(
        [word_offsets(TEXT, "NATO"), word_offsets(TEXT, "NATO", 1)])


def test_shape():
    assert shape((0, 10), (0, 4)) == "in"
    assert shape((0, 4), (0, 10)) == "around"
    assert shape((0, 4), (6, 10)) == "apart"
