"""A rejected argument suggestion fills nothing: the annotator can still fill that role by
hand, with the filler the suggestion had (once its span was corrected) or another one."""

from __future__ import annotations

from annotator.core.suggestions import ArgumentSuggestion, Batch

TEXT = "The ministers met on April 29 and again on May 19."


def _at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def _setup(project):
    doc = project.add_document(TEXT, name="d")
    april = project.add_span(doc.id, *_at("April 29"), "TIME")
    may = project.add_span(doc.id, *_at("May 19"), "TIME")
    meet = project.add_trigger_event(doc.id, *_at("met"), "Contact.Meet")
    batch = Batch(arguments=[ArgumentSuggestion(meet.id, "Time-Within",
                                                (*_at("April 29"), "TIME"), 0.9)])
    project.put_suggestions(doc.id, "arguments", batch, origin="pattern")
    (suggested,) = [a for a in project.event(meet.id).arguments if a.status == "suggested"]
    project.reject(suggested.id)
    return meet, april, may


def test_a_role_whose_only_filler_was_rejected_takes_another(project) -> None:
    meet, _april, may = _setup(project)  # Time-Within takes at most one filler
    arg = project.add_argument(meet.id, "Time-Within", may.id)
    gold = [a for a in project.event(meet.id).arguments if a.status == "gold"]
    assert [(a.id, a.filler_id) for a in gold] == [(arg.id, may.id)]


def test_the_rejected_filler_can_be_given_by_hand(project) -> None:
    meet, april, _may = _setup(project)
    project.add_argument(meet.id, "Time-Within", april.id)
    statuses = sorted(a.status for a in project.event(meet.id).arguments
                      if a.filler_id == april.id)
    assert statuses == ["gold", "rejected"]
