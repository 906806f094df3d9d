"""The gold dictionary's scores: how often a text is labelled where it occurs in the other
documents that labelled it, so a word gold labels now and then ("that") is not proposed
while a name labelled wherever it occurs is; the document proposed into does not count."""

from __future__ import annotations

from annotator.core.model import Annotations
from annotator.nlp.gold_dictionary import MIN_SCORE, GoldDictionary, entries
from tests.conftest import word_offsets

A = "Kabul said that the council that met that day and that Kabul chose that plan."
B = "Kabul is a city that never sleeps."


def proposals(gold: GoldDictionary, doc) -> dict[str, float | None]:
    return {doc.text[s.start:s.end]: s.score for s in gold.batch(doc).spans}


def test_a_text_labelled_now_and_then_is_not_proposed_a_name_is(project):
    a = project.add_document(A, name="a")
    b = project.add_document(B, name="b")
    project.add_span(a.id, *word_offsets(A, "Kabul"), "GPE")
    project.add_span(a.id, *word_offsets(A, "Kabul", 1), "GPE")
    project.add_span(a.id, *word_offsets(A, "that", 1), "ORG")  # 1 of 5 "that"s
    gold = GoldDictionary.from_project(project, [a.id])
    assert gold.usage(("that",), b.id) == 1 / 5
    assert gold.usage(("Kabul",), b.id) == 1.0
    found = proposals(gold, project.document(b.id))
    assert found == {"Kabul": 1.0}  # "that" scores 0.2, under MIN_SCORE
    assert MIN_SCORE > 0.2


def test_the_document_proposed_into_does_not_count(project):
    """While the annotator works through a document, its later occurrences are still
    unlabelled: they must not lower the score of what was just labelled there."""
    a = project.add_document(A, name="a")
    project.add_span(a.id, *word_offsets(A, "Kabul"), "GPE")
    gold = GoldDictionary.from_project(project, [a.id])
    assert gold.usage(("Kabul",), a.id) is None  # no other document labelled it
    found = gold.batch(project.document(a.id)).spans
    assert [(s.start, s.label, s.score) for s in found] == [
        (0, "GPE", 1.0), (word_offsets(A, "Kabul", 1)[0], "GPE", 1.0)]


def test_seen_entries_count_in_and_out(project):
    """The live dictionary relearns a document by counting its old entries out."""
    a = project.add_document(A, name="a")
    project.add_span(a.id, *word_offsets(A, "that"), "ORG")
    doc = project.document(a.id)
    gold = GoldDictionary()
    old = entries(doc, project.annotations(a.id))
    gold.add(old)
    assert gold.seen[("that",)] == {a.id: (1, 5)}
    gold.add(old, -1)
    assert not gold.seen and not gold.spans
    assert entries(doc, Annotations()) == []


def test_a_filler_goes_to_one_of_the_roles_that_take_the_same_types(project):
    """ACE's eight Time-* roles all take TIME: "Monday" is proposed for the first only,
    while roles taking other types (Place) still get their own fillers."""
    from annotator.nlp.gold_dictionary import ArgumentSource

    text = "Rebels attacked Kabul on Monday."
    doc = project.add_document(text, name="t")
    project.add_span(doc.id, *word_offsets(text, "Monday"), "TIME")
    project.add_span(doc.id, *word_offsets(text, "Kabul"), "GPE")
    event = project.add_trigger_event(doc.id, *word_offsets(text, "attacked"), "Conflict.Attack")
    batch = ArgumentSource(project.schema).batch(project.document(doc.id),
                                                 project.annotations(doc.id))
    roles = [(a.role, a.filler[2]) for a in batch.arguments if a.event_id == event.id]
    times = [r for r, label in roles if label == "TIME"]
    assert len(times) == 1 and times[0].startswith("Time-")
    assert ("Place", "GPE") in roles


def test_a_filler_goes_to_the_role_gold_gives_its_label_most_often(project):
    """Learned from the project's gold: a GPE in an attack was its Place twice, its Attacker
    once, so "Kabul" is proposed as the Place (and for no other role)."""
    from annotator.nlp.gold_dictionary import ArgumentSource

    for n, (city, role) in enumerate([("Herat", "Place"), ("Kunduz", "Place"),
                                      ("Balkh", "Attacker")]):
        text = f"Rebels attacked {city}."
        d = project.add_document(text, name=f"gold{n}")
        ev = project.add_trigger_event(d.id, *word_offsets(text, "attacked"), "Conflict.Attack")
        city_span = project.add_span(d.id, *word_offsets(text, city), "GPE")
        project.add_argument(ev.id, role, city_span.id)
    text = "Rebels attacked Kabul on Monday."
    doc = project.add_document(text, name="t")
    project.add_span(doc.id, *word_offsets(text, "Kabul"), "GPE")
    event = project.add_trigger_event(doc.id, *word_offsets(text, "attacked"), "Conflict.Attack")
    source = ArgumentSource.from_project(project)
    assert source.roles[("Conflict.Attack", "GPE")] == {"Place": 2, "Attacker": 1}
    batch = source.batch(project.document(doc.id), project.annotations(doc.id))
    assert [(a.role, a.filler[2]) for a in batch.arguments if a.event_id == event.id] == [
        ("Place", "GPE")]


def test_a_filler_goes_to_the_event_whose_trigger_is_nearest(project):
    """Two meetings in one sentence: each gets the entity next to it, not the other's."""
    from annotator.nlp.gold_dictionary import ArgumentSource

    text = "Russia held a meeting and, much later that year, a meeting with Georgia."
    doc = project.add_document(text, name="m")
    for word in ("Russia", "Georgia"):
        project.add_span(doc.id, *word_offsets(text, word), "GPE")
    first = project.add_trigger_event(doc.id, *word_offsets(text, "meeting"), "Contact.Meet")
    second = project.add_trigger_event(doc.id, *word_offsets(text, "meeting", 1),
                                       "Contact.Meet")
    batch = ArgumentSource(project.schema).batch(project.document(doc.id),
                                                 project.annotations(doc.id))
    got = {(a.event_id, text[a.filler[0]:a.filler[1]]) for a in batch.arguments}
    assert got == {(first.id, "Russia"), (second.id, "Georgia")}
