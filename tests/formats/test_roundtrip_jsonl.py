"""Property: native JSONL is lossless. A random project exported with run_export(..., "jsonl")
and imported into a new project gives an identical project (documents, statuses, every
annotation set field by field, ids and provenance included), and exporting that again gives
the same bytes."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import annotator
from annotator.core.inputs import DocumentInput
from annotator.core.model import (
    DOC_STATUSES,
    SPAN_ORIGINS,
    SPAN_STATUSES,
    Annotations,
    Argument,
    Chain,
    Event,
    Reference,
    Relation,
    Span,
)
from annotator.formats.export import ExportOptions, run_export
from annotator.formats.importing import import_paths

# pieces the generated texts are made of: astral characters, combining marks, every line end,
# tabs, right-to-left scripts and marks, other Unicode line separators
FRAGMENTS = ["Russia", "NATO", " ", "  ", ".", ",", "\r\n", "\r", "\n", "\n\n", "\t", "😀",
             "👩\u200d👩\u200d👧", "𝔘", "𝔫𝔦", "e\u0301", "a\u0308\u0323", "שלום", "مرحبا",
             "\u200f", "\u202b", "\u2028", "\x85", "é", "日本", "\ufeff", "\\", '"', "{}"]

LABELS = {  # ace2005-news labels by span kind
    "entity": ["PER", "ORG", "GPE", "LOC"],
    "value": ["TIME", "MONEY"],
    "trigger": ["Conflict.Attack", "Contact.Meet", "Movement.Transport"],
}
ROLES = ["Attacker", "Target", "Place", "Entity", "Time-Within", "Artifact"]
RELATIONS = ["PHYS.Located", "ORG-AFF.Employment", "PART-WHOLE.Geographical"]
ANNOTATORS = ["gold", "ana"]
REFS = [Reference("Wikidata", "Q159", ""), Reference("Wikidata", "Q159", "Russia"),
        Reference("GeoNames", "2017370", "Россия"), Reference("", "Q7184", "NATO")]

ids = st.uuids().map(lambda u: u.hex)
small_text = st.lists(st.sampled_from(FRAGMENTS), max_size=4).map("".join) | st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8)
json_scalar = st.none() | st.booleans() | st.integers(-10**6, 10**6) | small_text
json_value = st.recursive(json_scalar, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(small_text, inner, max_size=3), max_leaves=6)
attrs = st.dictionaries(st.sampled_from(["realis", "mention_type", "polarity", "x"]),
                        json_value, max_size=3)
provenance_value = st.sampled_from(["", "gold", "ana", "2025-01-02T03:04:05.006+00:00"])


@st.composite
def document_text(draw, index: int) -> str:
    body = draw(st.lists(st.sampled_from(FRAGMENTS) | st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        min_size=1, max_size=6), min_size=1, max_size=25))
    return "".join(body) + f" #{index}"  # unique: no document is a duplicate of another


def provenance(draw) -> dict[str, str]:
    return {k: draw(provenance_value) for k in
            ("created_by", "created_at", "modified_by", "modified_at")}


@st.composite
def annotation_set(draw, text: str) -> Annotations:
    n = len(text)
    spans = []
    ranges = []
    for _ in range(draw(st.integers(0, 8))):
        if ranges and draw(st.booleans()):
            start, end = draw(st.sampled_from(ranges))  # several labels on the same range
        else:
            start = draw(st.integers(0, n - 1))
            end = draw(st.integers(start + 1, n))  # overlapping and nested ranges
        ranges.append((start, end))
        kind = draw(st.sampled_from(sorted(LABELS)))
        spans.append(Span(
            id=draw(ids), doc_id="", start=start, end=end, kind=kind,
            label=draw(st.sampled_from(LABELS[kind])), attrs=draw(attrs), note=draw(small_text),
            kb_id=draw(st.sampled_from(["", "Q159", "wikidata:Q7184"])),
            status=draw(st.sampled_from(SPAN_STATUSES)), origin=draw(st.sampled_from(SPAN_ORIGINS)),
            refs=draw(st.lists(st.sampled_from(REFS), unique=True, max_size=2)),
            **provenance(draw)))
        if end - start >= 3 and draw(st.booleans()):  # a discontinuous span (#11.2)
            cut = draw(st.integers(start + 1, end - 2))
            spans[-1].fragments = [(start, cut), (cut + 1, end)]
    events: list[Event] = []
    if spans:
        for _ in range(draw(st.integers(0, 3))):
            trigger = draw(st.sampled_from(spans))
            events.append(Event(
                id=draw(ids), doc_id="", type=draw(st.sampled_from(LABELS["trigger"])),
                trigger_id=trigger.id, attrs=draw(attrs), note=draw(small_text),
                status=draw(st.sampled_from(SPAN_STATUSES)),
                origin=draw(st.sampled_from(SPAN_ORIGINS)), **provenance(draw)))
        for ev in events:
            for _ in range(draw(st.integers(0, 4))):
                if len(events) > 1 and draw(st.integers(0, 3)) == 0:
                    filler = draw(st.sampled_from([e for e in events if e is not ev]))
                    filler_id, filler_kind = filler.id, "event"
                else:
                    filler_id, filler_kind = draw(st.sampled_from(spans)).id, "span"
                ev.arguments.append(Argument(
                    id=draw(ids), event_id=ev.id, role=draw(st.sampled_from(ROLES)),  # repeats
                    filler_id=filler_id, filler_kind=filler_kind))
    relations = []
    if spans:
        for _ in range(draw(st.integers(0, 3))):
            relations.append(Relation(
                id=draw(ids), doc_id="", type=draw(st.sampled_from(RELATIONS)),
                head_id=draw(st.sampled_from(spans)).id, tail_id=draw(st.sampled_from(spans)).id,
                attrs=draw(attrs), note=draw(small_text),
                status=draw(st.sampled_from(SPAN_STATUSES)),
                origin=draw(st.sampled_from(SPAN_ORIGINS)), **provenance(draw)))
    chains = []  # coreference chains over disjoint groups of the spans (#11.1)
    free = [s.id for s in spans]
    for _ in range(draw(st.integers(0, 2))):
        if not free:
            break
        mentions = draw(st.lists(st.sampled_from(free), min_size=1, max_size=3, unique=True))
        free = [m for m in free if m not in mentions]
        chains.append(Chain(
            id=draw(ids), doc_id="", type=draw(st.sampled_from(["", "PER", "Alias"])),
            mentions=mentions, attrs=draw(attrs), note=draw(small_text),
            refs=draw(st.lists(st.sampled_from(REFS), unique=True, max_size=2)),
            status=draw(st.sampled_from(SPAN_STATUSES)),
            origin=draw(st.sampled_from(SPAN_ORIGINS)), **provenance(draw)))
    return Annotations(spans, events, relations, chains)


@st.composite
def documents(draw) -> list[DocumentInput]:
    out = []
    for i in range(draw(st.integers(1, 4))):
        text = draw(document_text(i))
        tokens = None
        if draw(st.booleans()):  # tokens given by the source instead of computed
            cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=6))))
            tokens = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False)]
        who = draw(st.lists(st.sampled_from(ANNOTATORS), unique=True, max_size=2))
        out.append(DocumentInput(
            text=text, name=draw(st.sampled_from(["", f"doc-{i}", "same name", "日本 story"])),
            meta=draw(st.dictionaries(st.sampled_from(["title", "source", "url", "date", "n"]),
                                      json_value, max_size=4)),
            lang=draw(st.sampled_from(["", "en", "de"])),
            id=draw(st.sampled_from(["", f"doc-id-{i}"])),
            tokens=tokens, sentences=[(0, len(text))] if tokens is not None else None,
            tokenizer="given" if tokens is not None else "",
            status={w: draw(st.sampled_from(DOC_STATUSES)) for w in
                    draw(st.lists(st.sampled_from([*ANNOTATORS, "bob"]), unique=True,
                                  max_size=3))},
            sets={w: draw(annotation_set(text)) for w in who}))
    return out


def snapshot(project) -> dict:
    """Everything a project holds, in a comparable form (created_at of documents excluded:
    the native format does not carry the import time)."""
    docs = []
    for doc_id in project.document_ids():
        doc = project.document(doc_id)
        docs.append({
            "id": doc.id, "name": doc.name, "text": doc.text, "meta": doc.meta, "lang": doc.lang,
            "content_hash": doc.content_hash, "tokens": doc.tokens, "sentences": doc.sentences,
            "tokenizer": doc.tokenizer, "position": doc.position,
            "status": project.statuses(doc_id),
            "sets": {who: project.annotations(doc_id, who) for who in project.annotators()},
        })
    return {"annotators": project.annotators(), "documents": docs}


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(inputs=documents())
def test_jsonl_export_import_is_lossless(inputs):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with annotator.create_project(tmp / "a.annproj", annotator="ana") as a:
            report = a.add_documents(inputs)
            assert len(report.added) == len(inputs)
            assert [a.document(i).text for i in a.document_ids()] == [d.text for d in inputs]
            rep = run_export(a, "jsonl", tmp / "a.jsonl", ExportOptions(documents="all"))
            assert rep.documents == len(inputs)
            before = snapshot(a)
        with annotator.create_project(tmp / "b.annproj", annotator="someone") as b:
            result = import_paths(b, [tmp / "a.jsonl"])
            assert result.skipped == [] and result.duplicates == []
            after = snapshot(b)
            run_export(b, "jsonl", tmp / "b.jsonl", ExportOptions(documents="all"))

        assert after["annotators"] == before["annotators"]
        assert len(after["documents"]) == len(before["documents"])
        for x, y in zip(before["documents"], after["documents"], strict=True):
            for key in x:
                if key == "sets":
                    assert y["sets"].keys() == x["sets"].keys()
                    for who, ann in x["sets"].items():
                        other = y["sets"][who]
                        assert other.spans == ann.spans, (who, "spans")
                        assert other.events == ann.events, (who, "events")
                        assert other.relations == ann.relations, (who, "relations")
                        assert other.chains == ann.chains, (who, "chains")
                else:
                    assert y[key] == x[key], key
        assert after == before
        # the second export is byte-identical to the first
        assert (tmp / "b.jsonl").read_bytes() == (tmp / "a.jsonl").read_bytes()
        # every exported line is one physical line, despite \r, \x85, \u2028 in the texts
        lines = (tmp / "a.jsonl").read_text(encoding="utf-8").split("\n")
        assert lines[-1] == "" and len(lines) - 1 == len(inputs)
        assert [json.loads(line)["text"] for line in lines[:-1]] == [d.text for d in inputs]


def test_imported_sets_match_the_inputs_exactly():
    """The generator's own inputs survive the first import (not just A == B)."""
    text = "Moscow 😀\r\nsaid 𝔘 e\u0301 שלום\tok"
    span = Span(id="s1", doc_id="", start=0, end=6, label="GPE", attrs={"k": [1, None]},
                note="n", kb_id="Q649", status="suggested", origin="model",
                created_by="x", created_at="t0", modified_by="y", modified_at="t1")
    at = text.index("said")
    assert at == 10  # code points: the emoji counts 1, \r\n counts 2
    trig = Span(id="s2", doc_id="", start=at, end=at + 4, label="Contact.Meet", kind="trigger")
    ev = Event(id="e1", doc_id="", type="Contact.Meet", trigger_id="s2",
               arguments=[Argument(id="a1", event_id="e1", role="Entity", filler_id="s1"),
                          Argument(id="a2", event_id="e1", role="Entity", filler_id="s1")])
    rel = Relation(id="r1", doc_id="", type="PHYS.Located", head_id="s2", tail_id="s1")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with annotator.create_project(tmp / "a.annproj") as a:
            a.add_documents([DocumentInput(text=text, id="d1", name="d",
                                           status={"gold": "done"},
                                           sets={"gold": Annotations([span, trig], [ev], [rel])})])
            run_export(a, "jsonl", tmp / "a.jsonl", ExportOptions(documents="all"))
        with annotator.create_project(tmp / "b.annproj") as b:
            import_paths(b, [tmp / "a.jsonl"])
            ann = b.annotations("d1", "gold")
            got = {s.id: s for s in ann.spans}
            assert got["s1"].attrs == {"k": [1, None]} and got["s1"].note == "n"
            assert (got["s1"].created_by, got["s1"].created_at, got["s1"].modified_by,
                    got["s1"].modified_at) == ("x", "t0", "y", "t1")
            assert text[got["s2"].start:got["s2"].end] == "said"
            assert [(a.id, a.role, a.filler_id, a.position) for a in ann.events[0].arguments] \
                == [("a1", "Entity", "s1", 0), ("a2", "Entity", "s1", 1)]
            assert ann.relations[0].id == "r1"
            assert b.statuses("d1") == {"gold": "done"}
            assert b.document("d1").text == text


def test_project_edited_through_the_api_round_trips():
    """Annotations made with the editing API (real timestamps, undo history, event-filled
    arguments, symmetric relations, statuses of two annotators) survive export -> import."""
    text = "Rebels attacked Kabul on Monday 😀, said John Smith of Reuters.\r\nHe met Ann."
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with annotator.create_project(tmp / "a.annproj", annotator="gold") as a:
            doc = a.add_document(text, name="kabul")
            rebels = a.add_span(doc.id, 0, 6, "ORG", attrs={"mention_type": "NAM"})
            kabul = a.add_span(doc.id, 16, 21, "GPE", kb_id="wikidata:Q5838")
            a.add_span(doc.id, 16, 21, "LOC", status="suggested", origin="model")
            monday = a.add_span(doc.id, 25, 31, "TIME", note="day")
            john = a.add_span(doc.id, text.index("John"), text.index("John") + 10, "PER")
            reuters = a.add_span(doc.id, text.index("Reuters"), text.index("Reuters") + 7,
                                 "ORG")
            ann_span = a.add_span(doc.id, text.index("Ann"), text.index("Ann") + 3, "PER")
            attack = a.add_trigger_event(doc.id, 7, 15, "Conflict.Attack",
                                         arguments=[("Attacker", rebels.id),
                                                    ("Place", kabul.id),
                                                    ("Time-Within", monday.id)])
            meet = a.add_trigger_event(doc.id, text.index("met"), text.index("met") + 3,
                                       "Contact.Meet", arguments=[("Entity", john.id),
                                                                  ("Entity", ann_span.id)])
            a.update_event(meet.id, attrs={"realis": "actual"})
            a.add_relation("ORG-AFF.Employment", john.id, reuters.id)
            a.add_relation("PER-SOC.Business", ann_span.id, john.id)
            a.set_status(doc.id, "done")
            a.undo()
            a.redo()
            other = a.add_document("Second story.", name="second")
            a.annotator = "ana"
            a.add_span(other.id, 0, 6, "ORG")
            a.set_status(other.id, "in_progress")
            assert attack.arguments and meet.arguments
            run_export(a, "jsonl", tmp / "a.jsonl", ExportOptions(documents="all"))
            before = snapshot(a)
        with annotator.create_project(tmp / "b.annproj") as b:
            import_paths(b, [tmp / "a.jsonl"])
            after = snapshot(b)
    assert after == before
    assert before["annotators"] == ["ana", "gold"]
    gold = before["documents"][0]["sets"]["gold"]
    assert len(gold.spans) == 9 and len(gold.events) == 2 and len(gold.relations) == 2
    assert before["documents"][0]["status"] == {"gold": "done"}
