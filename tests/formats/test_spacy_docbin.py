"""spaCy DocBin export: Docs from stored tokens, flat-ents policies, span groups, user_data,
config.cfg, and the acceptance run of ``spacy debug data`` + ``spacy train`` on the news demo."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

import annotator
from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Argument, Event, Relation, Span, new_id
from annotator.formats.export import ExportOptions, run_export
from annotator.formats.spacy_docbin import FLAT_LOSS, read_user_data
from annotator.formats.tokens import NOT_ALIGNED, TokenMap, flat_selection
from annotator.nlp.training import read_config, read_docbin

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "sample_projects" / "news-demo"


# ---- helpers --------------------------------------------------------------------------------
def _seed_documents(path: Path) -> list[DocumentInput]:
    try:
        from annotator.formats.jsonl import read
    except ImportError:  # the native JSONL reader is the lead's; parse the seed file by hand
        read = None
    if read is not None:
        return list(read(path))
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        sets = {}
        for name, data in obj["sets"].items():
            spans = [Span(id=s["id"], doc_id="", start=s["start"], end=s["end"],
                          label=s["label"], kind=s["kind"], attrs=s.get("attrs", {}),
                          status=s.get("status", "gold"), origin="import")
                     for s in data["spans"]]
            events = [Event(id=e["id"], doc_id="", type=e["type"], trigger_id=e["trigger"],
                            attrs=e.get("attrs", {}),
                            arguments=[Argument(id=a["id"], event_id=e["id"], role=a["role"],
                                                filler_id=a["filler"],
                                                filler_kind=a.get("filler_kind", "span"))
                                       for a in e["arguments"]])
                      for e in data["events"]]
            relations = [Relation(id=r["id"], doc_id="", type=r["type"], head_id=r["head"],
                                  tail_id=r["tail"]) for r in data["relations"]]
            sets[name] = Annotations(spans, events, relations)
        docs.append(DocumentInput(text=obj["text"], name=obj["name"], meta=obj.get("meta", {}),
                                  sets=sets))
    return docs


def build_demo(tmp_path: Path) -> annotator.Project:
    """The news demo: the gold seed article (done) plus the ten unannotated articles."""
    project = annotator.create_project(tmp_path / "demo.annproj", schema="ace2005-news")
    project.add_documents(_seed_documents(DEMO / "seed-annotations.jsonl"))
    project.annotator = "gold"
    for doc_id in project.document_ids():
        project.set_status(doc_id, "done")
    project.add_documents(DocumentInput(text=f.read_text(encoding="utf-8"), name=f.stem)
                          for f in sorted((DEMO / "articles").glob("*.txt")))
    return project


FIRST = ["Anna", "Pavel", "Maria", "Jonas", "Leila", "Tomas", "Ines", "Kofi", "Mei", "Omar"]
LAST = ["Kowalski", "Novak", "Haddad", "Lindqvist", "Mensah", "Okafor", "Sato", "Rossi"]
CITIES = ["Lisbon", "Gdansk", "Accra", "Osaka", "Tunis", "Bergen", "Quito", "Hanoi"]
ORGS = ["Northbridge Bank", "the Harbour Authority", "Meridian Airlines", "the Red Cross",
        "Vistula Energy", "the Coastal Guard"]


class _Text:
    """Builds a text piece by piece, recording gold spans on the labelled pieces."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[Span] = []

    def add(self, text: str, label: str | None = None, kind: str = "entity") -> Span:
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        s = Span(id=new_id(), doc_id="", start=start, end=self.pos, label=label or "",
                 kind=kind, status="gold", origin="import")
        if label is not None:
            self.spans.append(s)
        return s


def synthetic_docs(n: int, seed: int = 7) -> list[DocumentInput]:
    """Small news-like gold documents with nested entities, an event and a relation."""
    rng = random.Random(seed)
    docs = []
    for k in range(n):
        t = _Text()
        events, relations = [], []
        for _ in range(2):
            city = rng.choice(CITIES)
            p = t.add(f"{rng.choice(FIRST)} {rng.choice(LAST)}", "PER")
            t.add(" of ")
            o = t.add(rng.choice(ORGS), "ORG")
            t.add(" met officials in ")
            t.add(city, "GPE")
            t.add(" on Monday. ")
            trig = t.add("Talks", "Contact.Meet", kind="trigger")
            t.add(" in ")
            c2 = t.add(f"{city} city", "GPE")
            t.spans.append(Span(id=new_id(), doc_id="", start=c2.start,
                                end=c2.start + len(city), label="GPE", kind="entity",
                                status="gold", origin="import"))
            t.add(" will resume next week.\n\n")
            ev = Event(id=new_id(), doc_id="", type="Contact.Meet", trigger_id=trig.id)
            ev.arguments = [Argument(id=new_id(), event_id=ev.id, role="Entity", filler_id=p.id),
                            Argument(id=new_id(), event_id=ev.id, role="Place",
                                     filler_id=c2.id)]
            events.append(ev)
            relations.append(Relation(id=new_id(), doc_id="", type="ORG-AFF.Employment",
                                      head_id=p.id, tail_id=o.id))
        t.add(f"Report {k}.")
        docs.append(DocumentInput(text="".join(t.parts), name=f"synthetic-{k}",
                                  status={"gold": "done"},
                                  sets={"gold": Annotations(t.spans, events, relations)}))
    return docs


def small_project(tmp_path: Path) -> tuple[annotator.Project, str]:
    """One document with a nested pair, a crossing pair and a span off token boundaries."""
    project = annotator.create_project(tmp_path / "small.annproj", schema="ace2005-news")
    text = "The New York Times reported that Anna Novak visited Lisbon.\n\nShe left."
    # tokens: The New York Times reported that Anna Novak visited Lisbon . \n\n She left .

    def sp(a: str, label: str, kind: str = "entity", nth: int = 0) -> Span:
        start = -1
        for _ in range(nth + 1):
            start = text.index(a, start + 1)
        return Span(id=new_id(), doc_id="", start=start, end=start + len(a), label=label,
                    kind=kind, status="gold", origin="import")

    outer = sp("The New York Times", "ORG")
    inner = sp("New York", "GPE")
    anna = sp("Anna Novak", "PER")
    novak_visited = sp("Novak visited", "PER")  # crosses "Anna Novak"
    partial = sp("Lisb", "GPE")  # not on token boundaries
    trig = sp("visited", "Movement.Transport", kind="trigger")
    lisbon = sp("Lisbon", "GPE")
    ev = Event(id=new_id(), doc_id="", type="Movement.Transport", trigger_id=trig.id)
    ev.arguments = [Argument(id=new_id(), event_id=ev.id, role="Artifact", filler_id=anna.id),
                    Argument(id=new_id(), event_id=ev.id, role="Destination",
                             filler_id=partial.id),
                    Argument(id=new_id(), event_id=ev.id, role="Destination",
                             filler_id=lisbon.id)]
    rel = Relation(id=new_id(), doc_id="", type="PHYS.Located", head_id=anna.id,
                   tail_id=lisbon.id)
    spans = [outer, inner, anna, novak_visited, partial, trig, lisbon]
    project.add_documents([DocumentInput(text=text, name="small", status={"gold": "done"},
                                         sets={"gold": Annotations(spans, [ev], [rel])})])
    return project, text


# ---- unit -----------------------------------------------------------------------------------
def test_flat_selection_policies() -> None:
    ranges = [(0, 4), (1, 3), (3, 6), (6, 7)]
    assert flat_selection(ranges, "outermost") == [0, 3]
    assert flat_selection(ranges, "innermost") == [1, 2, 3]  # shortest first
    assert flat_selection(ranges, "longest") == [0, 3]
    assert flat_selection([(0, 2), (1, 5)], "longest") == [1]
    assert flat_selection([(0, 2), (1, 5)], "outermost") == [0]


def test_token_map_rebuilds_text_exactly(tmp_path: Path) -> None:
    project, text = small_project(tmp_path)
    doc = project.document(project.document_ids()[0])
    tm = TokenMap(doc, keep_whitespace=True)
    nlp = spacy.blank("en")
    sdoc = spacy.tokens.Doc(nlp.vocab, words=tm.words, spaces=tm.spaces)
    assert sdoc.text == text
    plain = TokenMap(doc)
    assert all(not text[s:e].isspace() for s, e in plain.tokens)
    assert len(plain.sentences) == 2
    i, j = plain.span(text.index("Anna"), text.index("Novak") + 5)
    assert text[plain.tokens[i][0]:plain.tokens[j - 1][1]] == "Anna Novak"
    assert plain.span(text.index("Lisb"), text.index("Lisb") + 4) is None
    assert plain.sentence_of(plain.span(text.index("She"), text.index("She") + 3)[0]) == 1


def test_docbin_contents_and_losses(tmp_path: Path) -> None:
    project, text = small_project(tmp_path)
    out = tmp_path / "spacy"
    rep = run_export(project, "spacy", out, ExportOptions(extra={"pipeline": "ner,spancat"}))
    assert (out / "all.spacy").is_file() and (out / "config.cfg").is_file()
    assert str(out / "all.spacy") in rep.files and str(out / "config.cfg") in rep.files
    (doc,) = read_docbin(out / "all.spacy")
    assert doc.text == text
    assert [(e.text, e.label_) for e in doc.ents] == [("The New York Times", "ORG"),
                                                      ("Anna Novak", "PER"),
                                                      ("Lisbon", "GPE")]
    assert sorted((s.text, s.label_) for s in doc.spans["sc"]) == sorted(
        [("The New York Times", "ORG"), ("New York", "GPE"), ("Anna Novak", "PER"),
         ("Novak visited", "PER"), ("Lisbon", "GPE")])
    assert [(s.text, s.label_) for s in doc.spans["triggers"]] == [("visited",
                                                                   "Movement.Transport")]
    assert [s.text for s in doc.sents] == [
        "The New York Times reported that Anna Novak visited Lisbon.\n\n", "She left."]
    reasons = {(loss.text, loss.reason) for loss in rep.losses}
    assert ("New York", FLAT_LOSS) in reasons
    assert ("Novak visited", FLAT_LOSS) in reasons
    assert ("Lisb", NOT_ALIGNED) in reasons
    assert ("Lisb", f"filler {NOT_ALIGNED}") in {(loss.text, loss.reason) for loss in rep.losses
                                                 if loss.kind == "argument"}
    data = read_user_data(doc)
    (rel,) = data["relations"]
    assert (rel["label"], rel["head_span"].text, rel["tail_span"].text) == (
        "PHYS.Located", "Anna Novak", "Lisbon")
    (ev,) = data["events"]
    assert ev["trigger_span"].text == "visited" and ev["type"] == "Movement.Transport"
    assert [(a["role"], a["span_obj"].text) for a in ev["arguments"]] == [
        ("Artifact", "Anna Novak"), ("Destination", "Lisbon")]
    raw = doc.user_data["annotator"]
    assert list(raw["events"][0]["trigger"]) == [8, 9]  # token range, end exclusive
    assert data["events"][0]["trigger"] == [8, 9]  # read_user_data gives lists back
    side = [json.loads(x) for x in (out / "relations.jsonl").read_text().splitlines()]
    assert side[0]["relations"][0]["head"]["text"] == "Anna Novak"
    assert side[0]["events"][0]["trigger"]["start"] == text.index("visited")
    cfg = read_config(out / "config.cfg")
    assert cfg["nlp"]["pipeline"] == ["tok2vec", "ner", "spancat"]
    assert cfg["paths"]["train"] == cfg["paths"]["dev"] == str((out / "all.spacy").resolve())
    assert any("not held-out" in n for n in rep.notes)


def test_innermost_policy_and_kinds(tmp_path: Path) -> None:
    project, _ = small_project(tmp_path)
    out = tmp_path / "spacy"
    run_export(project, "spacy", out, ExportOptions(extra={"ents_policy": "innermost",
                                                           "ents_kinds": "entity"}))
    (doc,) = read_docbin(out / "all.spacy")
    assert [e.text for e in doc.ents] == ["New York", "Anna Novak", "Lisbon"]
    with pytest.raises(annotator.AnnotatorError):
        run_export(project, "spacy", tmp_path / "bad", ExportOptions(
            extra={"ents_policy": "widest"}))


def test_split_files_and_empty_dev_fallback(tmp_path: Path) -> None:
    project = annotator.create_project(tmp_path / "s.annproj", schema="ace2005-news")
    project.add_documents(synthetic_docs(30))
    out = tmp_path / "spacy"
    rep = run_export(project, "spacy", out, ExportOptions(split=(0.6, 0.2, 0.2), seed=1))
    counts = {p: len(read_docbin(out / f"{p}.spacy")) for p in ("train", "dev", "test")}
    assert counts == {p: rep.splits[p] for p in ("train", "dev", "test")}
    assert sum(counts.values()) == 30 and min(counts.values()) > 0
    cfg = read_config(out / "config.cfg")
    assert cfg["paths"]["train"].endswith("train.spacy")
    assert cfg["paths"]["dev"].endswith("dev.spacy")
    # everything in train: dev.spacy is a copy, and the report says so
    out2 = tmp_path / "spacy2"
    rep2 = run_export(project, "spacy", out2, ExportOptions(split=(1.0, 0.0)))
    assert (out2 / "dev.spacy").read_bytes() == (out2 / "train.spacy").read_bytes()
    assert any("dev.spacy is a copy of train.spacy" in n for n in rep2.notes)


def _debug_data(cfg: Path, train: Path, dev: Path) -> tuple[int, list[str]]:
    proc = subprocess.run([sys.executable, "-m", "spacy", "debug", "data", str(cfg),
                           "--paths.train", str(train), "--paths.dev", str(dev)],
                          capture_output=True, text=True, timeout=300)
    output = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)
    return proc.returncode, [line.strip() for line in output.splitlines() if "✘" in line]


def test_acceptance_news_demo_debug_data_and_train(tmp_path: Path) -> None:
    project = build_demo(tmp_path)
    out = tmp_path / "spacy"
    rep = run_export(project, "spacy", out, ExportOptions(split=(0.8, 0.2), seed=0,
                                                          extra={"pipeline": "ner"}))
    assert rep.documents == 1  # only the seed article is gold and done
    train, dev, cfg = out / "train.spacy", out / "dev.spacy", out / "config.cfg"
    assert train.is_file() and dev.is_file() and len(read_docbin(dev)) >= 1
    (doc,) = read_docbin(train)
    seed = project.document(project.document_ids()[0])
    assert doc.text == seed.text
    assert len(read_user_data(doc)["relations"]) == 22 - sum(
        1 for loss in rep.losses if loss.kind == "relation")
    assert len(doc.spans["triggers"]) == 10

    rc, fails = _debug_data(cfg, train, dev)
    # A one-document corpus can only fail spaCy's corpus-size check (< 100 examples); every
    # data check (alignment, whitespace, sentence crossing, labels) must pass.
    assert fails == ["✘ Low number of examples to train a new pipeline (1)", "✘ 1 error"], fails
    assert rc == 1

    model = tmp_path / "model"
    proc = subprocess.run([sys.executable, "-m", "spacy", "train", str(cfg),
                           "--training.max_steps", "20", "--training.eval_frequency", "10",
                           "--output", str(model)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    nlp = spacy.load(model / "model-last")
    assert nlp.pipe_names == ["tok2vec", "ner"]
    parsed = nlp("Russia pulled out of a meeting with NATO military commanders in Brussels.")
    assert parsed.text.startswith("Russia") and isinstance(parsed.ents, tuple)


def test_acceptance_debug_data_passes_on_a_large_enough_corpus(tmp_path: Path) -> None:
    """With >= 100 training documents spaCy's debug data reports no error at all."""
    project = annotator.create_project(tmp_path / "big.annproj", schema="ace2005-news")
    project.add_documents(synthetic_docs(150))
    out = tmp_path / "spacy"
    run_export(project, "spacy", out, ExportOptions(split=(0.8, 0.2), seed=3,
                                                    extra={"pipeline": "ner,spancat"}))
    rc, fails = _debug_data(out / "config.cfg", out / "train.spacy", out / "dev.spacy")
    assert rc == 0 and fails == [], fails


def test_span_ending_on_whitespace_token_is_reported(tmp_path: Path) -> None:
    project = annotator.create_project(tmp_path / "ws.annproj", schema="ace2005-news")
    text = "She visited Lisbon.\n\nThen she left."
    start, end = text.index("Lisbon"), text.index("Then")
    spans = [Span(id=new_id(), doc_id="", start=start, end=end, label="GPE", status="gold"),
             Span(id=new_id(), doc_id="", start=start, end=start + 6, label="GPE",
                  status="gold")]
    project.add_documents([DocumentInput(text=text, name="ws", status={"gold": "done"},
                                         sets={"gold": Annotations(spans)})])
    doc = project.document(project.document_ids()[0])
    assert (text.index("\n"), end) in doc.tokens  # the "\n\n" token exists, so it aligns
    out = tmp_path / "spacy"
    rep = run_export(project, "spacy", out, ExportOptions())
    (sdoc,) = read_docbin(out / "all.spacy")
    assert [e.text for e in sdoc.ents] == ["Lisbon"]
    assert [(x.text, x.reason) for x in rep.losses] == [
        ("Lisbon.\n\n", "starts or ends with a whitespace token")]


def test_config_options(tmp_path: Path) -> None:
    project, _ = small_project(tmp_path)
    out = tmp_path / "spacy"
    run_export(project, "spacy", out, ExportOptions(extra={
        "pipeline": "spancat", "spans_key": "mentions", "max_steps": 500}))
    cfg = read_config(out / "config.cfg")
    assert cfg["nlp"]["pipeline"] == ["tok2vec", "spancat"]
    assert cfg["components"]["spancat"]["spans_key"] == "mentions"
    assert cfg["training"]["max_steps"] == 500
    assert "spans_mentions_f" in cfg["training"]["score_weights"]
    (doc,) = read_docbin(out / "all.spacy")
    assert "mentions" in doc.spans and "sc" not in doc.spans
    with pytest.raises(annotator.AnnotatorError, match="pipeline"):
        run_export(project, "spacy", tmp_path / "bad", ExportOptions(extra={"pipeline": "tagger"}))
