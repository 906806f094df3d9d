"""brat fragments, ``*`` equivalences and ``N`` normalizations are read into the model's
fragments, chains and references and written back exactly (#11.1-3, #11.12): a file whose lines
are in the writer's order comes back byte for byte, whatever schema the project has; the real
tutorial collection keeps its ``*`` lines and its one ``N`` line's name."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotator
from annotator.core.model import Reference
from annotator.core.schema import Schema
from annotator.formats import brat
from annotator.formats.export import ExportOptions, run_export
from tests.formats.brat_verifier import verify_collection

NEWS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "brat" / \
    "example-data" / "tutorials" / "news"

# astral characters and a CRLF before the spans; a discontinuous T (standoff.html's example),
# a span crossing a line break, one '*' chain, two N lines on one span (one with an empty name)
TEXT = "😀 North and South America\r\nJo Rowling, Joanne Rowling\nJ. K. Rowling wrote."
ANN = ("T1\tLocation 2 7;18 25\tNorth America\n"
       "T2\tPerson 27 37\tJo Rowling\n"
       "T3\tPerson 39 53\tJoanne Rowling\n"
       "T4\tPerson 54 67\tJ. K. Rowling\n"
       "*\tAlias T2 T3 T4\n"
       "N1\tReference T1 Wikidata:Q49\t\n"
       "N2\tReference T1 GeoNames:6255149\tNorth America\n"
       "N3\tReference T4 Wikidata:Q34660\t\n")
CONF = ("[entities]\nLocation\nPerson\n[relations]\n"
        "Alias Arg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive\n"
        "[events]\n[attributes]\n")


def write(folder: Path, conf: bool) -> Path:
    folder.mkdir()
    (folder / "doc.txt").write_bytes(TEXT.encode("utf-8"))
    (folder / "doc.ann").write_bytes(ANN.encode("utf-8"))
    if conf:
        (folder / "annotation.conf").write_text(CONF, encoding="utf-8")
    return folder


@pytest.mark.parametrize("own_conf", [True, False])
def test_fragments_chains_and_references_round_trip_exactly(tmp_path, own_conf):
    src = write(tmp_path / "src", own_conf)
    schema = brat.read_schema(src) if own_conf else Schema()
    project = annotator.create_project(tmp_path / "p.annproj", schema=schema)
    warnings: list[str] = []
    rep = project.add_documents(brat.read(src, warn=warnings.append, schema=schema))
    assert warnings == [] and rep.chains == 1 and "4 spans, 0 events, 0 relations, 1 chains" \
        in rep.summary()
    doc = project.document_by_name("doc")
    ann = project.annotations(doc.id, "gold")
    spans = {doc.text[s.start:s.end]: s for s in ann.spans}
    north = spans["North and South America"]
    assert north.fragments == [(2, 7), (18, 25)]
    assert north.refs == [Reference("Wikidata", "Q49", ""),
                          Reference("GeoNames", "6255149", "North America")]
    assert spans["J. K. Rowling"].refs == [Reference("Wikidata", "Q34660", "")]  # not the text
    (chain,) = ann.chains
    assert chain.type == "Alias" and ann.relations == []
    assert [doc.text[s.start:s.end] for s in map(ann.span_by_id().get, chain.mentions)
            if s] == ["Jo Rowling", "Joanne Rowling", "J. K. Rowling"]
    rep = run_export(project, "brat", tmp_path / "out",
                     ExportOptions(documents="all", annotator="gold"))
    assert not rep.losses
    assert (tmp_path / "out" / "doc.ann").read_bytes().decode("utf-8") == ANN
    # brat's verifier accepts it: Alias is declared even when the project schema lacked it
    assert verify_collection(tmp_path / "out") == []
    project.close()


def test_the_tutorial_collection_keeps_its_equivalences_and_normalization(tmp_path):
    if not NEWS.is_dir():
        pytest.skip("the shared brat corpus is not here")
    schema = brat.read_schema(NEWS)
    project = annotator.create_project(tmp_path / "p.annproj", schema=schema)
    project.add_documents(brat.read(NEWS, warn=lambda m: None))
    raw_eq = sorted(line for f in NEWS.glob("*.ann")
                    for line in f.read_text(encoding="utf-8").splitlines()
                    if line.startswith("*"))
    run_export(project, "brat", tmp_path / "out",
               ExportOptions(documents="all", annotator="gold"))
    out_eq = []
    for f in (tmp_path / "out").glob("*.ann"):
        lines = f.read_text(encoding="utf-8").splitlines()
        out_eq += [x for x in lines if x.startswith("*")]
        assert not [x for x in lines if "\tAlias Arg1" in x]
    assert len(out_eq) == len(raw_eq) == 2
    # the N line's name comes back as written
    names = [r.name for d in project.document_ids() for s in project.spans(d, "gold")
             for r in s.refs]
    assert names == ["Carlos Salinas de Gortari"]
    project.close()


def test_an_entity_typed_chain_is_a_declared_coreference_equivalence(tmp_path):
    """An ACE entity (chain of type PER) cannot be a '*' of type PER (brat's '*' types are
    relation types): it is written as a declared Coreference equivalence, which brat's
    verifier accepts, and the type change is reported."""
    project = annotator.create_project(tmp_path / "p.annproj", schema="ace2005-news",
                                       annotator="gold")
    doc = project.add_document("Barack Obama said he would go. Obama left.", name="d")
    a, b = project.add_span(doc.id, 0, 12, "PER"), project.add_span(doc.id, 31, 36, "PER")
    project.add_chain([a.id, b.id])
    rep = run_export(project, "brat", tmp_path / "out",
                     ExportOptions(documents="all", annotator="gold"))
    assert "*\tCoreference T1 T2" in (tmp_path / "out" / "d.ann").read_text().splitlines()
    assert verify_collection(tmp_path / "out") == []
    assert [(loss.kind, loss.label) for loss in rep.losses] == [("chain", "PER")]
    (back,) = list(brat.read(tmp_path / "out", warn=lambda m: None))
    (chain,) = back.sets["gold"].chains
    assert chain.type == "Coreference" and len(chain.mentions) == 2
    project.close()
