"""formats.align: the one token-alignment pass and its loss bookkeeping."""

from __future__ import annotations

from annotator.core.model import Annotations, Argument, Document, Event, Relation, Span
from annotator.formats.align import (
    ARGUMENT_NOT_ALIGNED,
    FILLER_NOT_ALIGNED,
    TRIGGER_NOT_ALIGNED,
    Alignment,
    lose_attributes,
)
from annotator.formats.export import ExportReport
from annotator.formats.tokens import NOT_ALIGNED, TokenMap

TEXT = "Ann met Bo in Rome."
TOKENS = [(0, 3), (4, 7), (8, 10), (11, 13), (14, 18), (18, 19)]


def _doc() -> Document:
    return Document(id="d", name="doc", text=TEXT, tokens=TOKENS, sentences=[(0, 19)])


def _fixture():
    ann_ = Span("s1", "d", 0, 3, "PER")
    bad = Span("s2", "d", 1, 3, "PER")  # inside "Ann"
    bo = Span("s3", "d", 8, 10, "PER", attrs={"Neg": True})
    rome = Span("s4", "d", 14, 18, "GPE")
    trig = Span("t1", "d", 4, 7, "Meet", kind="trigger")
    bad_trig = Span("t2", "d", 5, 7, "Meet", kind="trigger")
    ev = Event("e1", "d", "Meet", "t1", arguments=[
        Argument("a1", "e1", "Entity", "s1"), Argument("a2", "e1", "Entity", "s2")])
    ev_bad = Event("e2", "d", "Meet", "t2")
    rels = [Relation("r1", "d", "REL", "s1", "s3"), Relation("r2", "d", "REL", "s2", "s4")]
    return Annotations([ann_, bad, bo, rome, trig, bad_trig], [ev, ev_bad], rels)


def test_spans_aligned_once_and_losses_in_span_order():
    doc, ann = _doc(), _fixture()
    report = ExportReport(format="x", out="")
    seen: list[str] = []
    al = Alignment(doc, ann, report, TokenMap(doc),
                   refuse=lambda s, r: "too far" if s.label == "GPE" else None,
                   each=lambda s, r: seen.append(s.id))
    assert al.ranges == {"s1": (0, 1), "s3": (2, 3), "t1": (1, 2)}
    assert [s.id for s in al.spans] == seen == ["s1", "s3", "t1"]
    assert [(loss.id, loss.reason) for loss in report.losses] == [
        ("s2", NOT_ALIGNED), ("s4", "too far"), ("t2", NOT_ALIGNED)]
    assert report.losses[0].text == "nn"


def test_relations_triggers_fillers_report_with_or_without_offsets():
    doc, ann = _doc(), _fixture()
    report = ExportReport(format="x", out="")
    al = Alignment(doc, ann, report, TokenMap(doc))
    report.losses.clear()
    assert al.relation_ends(ann.relations[0]) == ((0, 1), (2, 3))
    assert al.relation_ends(ann.relations[1]) is None
    assert al.relation_ends(ann.relations[0], usable={"s1"}, reason="not a mention",
                            locate=False) is None
    ev, ev_bad = ann.events
    assert al.trigger(ev) == (1, 2)
    assert al.trigger(ev_bad, locate=False) is None
    assert al.filler(ev, ev.arguments[0]) == (0, 1)
    assert al.filler(ev, ev.arguments[1]) is None
    got = [(loss.kind, loss.reason, loss.id, loss.start, loss.end, loss.label)
           for loss in report.losses]
    assert got == [
        ("relation", ARGUMENT_NOT_ALIGNED, "r2", 1, 3, "REL"),   # located at the missing head
        ("relation", "not a mention", "r1", -1, -1, "REL"),     # locate=False: by id only
        ("event", TRIGGER_NOT_ALIGNED, "e2", -1, -1, "Meet"),
        ("argument", FILLER_NOT_ALIGNED, "a2", 1, 3, "Meet/Entity"),
    ]


def test_lose_attributes():
    doc, ann = _doc(), _fixture()
    report = ExportReport(format="x", out="")
    lose_attributes(report, doc, ann, "X")
    assert [(loss.kind, loss.label, loss.id) for loss in report.losses] == [
        ("attribute", "PER: Neg", "s3")]
