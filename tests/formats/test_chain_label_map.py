"""The export label map (``--map OLD=NEW``, ``--label-map FILE``, ``coarse``, ``separator``)
renames or drops a coreference chain's type as it does every other label, in every format
that writes chain types: brat ``*`` lines (and their ``annotation.conf`` declaration), spaCy's
``coref_clusters_<n>`` span groups and ``user_data`` chains, DyGIE++ ``clusters`` (a dropped
type drops the cluster). The native JSONL is lossless and applies no label map, to chains as
to spans (said in a note)."""

from __future__ import annotations

import json
from pathlib import Path

import annotator
from annotator.formats import brat
from annotator.formats.export import ExportOptions, LabelMap, run_export
from annotator.nlp.training import read_docbin
from tests.formats.brat_verifier import verify_collection

TEXT = "Jo Rowling, Joanne Rowling and J. K. Rowling wrote. Reuters said the agency knew."
CONF = ("[entities]\nPerson\nOrganization\n[relations]\n"
        "Alias Arg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive\n"
        "[events]\n[attributes]\n")


def _brat_project(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "annotation.conf").write_text(CONF, encoding="utf-8")
    schema = brat.read_schema(src)
    p = annotator.create_project(tmp_path / "b.annproj", schema=schema, annotator="gold")
    doc = p.add_document(TEXT, name="d")
    ids = [p.add_span(doc.id, TEXT.index(w), TEXT.index(w) + len(w), "Person").id
           for w in ("Jo Rowling", "Joanne Rowling", "J. K. Rowling")]
    p.add_chain(ids, "Alias")
    return p


def _ann_lines(folder: Path) -> list[str]:
    return (folder / "d.ann").read_text(encoding="utf-8").splitlines()


def test_brat_star_line_type_is_mapped_and_declared(tmp_path, cli):
    p = _brat_project(tmp_path)
    p.close()
    labels = tmp_path / "labels.txt"
    labels.write_text("Alias=SameAs\nPerson=PER\n", encoding="utf-8")
    code, out, err = cli("export", tmp_path / "b.annproj", "-f", "brat", "-o", tmp_path / "out",
                         "--documents", "all", "--label-map", labels)
    assert code == 0, err
    lines = _ann_lines(tmp_path / "out")
    assert "*\tSameAs T1 T2 T3" in lines and lines[0].startswith("T1\tPER ")
    conf = (tmp_path / "out" / "annotation.conf").read_text(encoding="utf-8")
    assert "SameAs" in conf
    assert verify_collection(tmp_path / "out") == []
    (back,) = list(brat.read(tmp_path / "out", warn=lambda m: None))
    (chain,) = back.sets["gold"].chains
    assert chain.type == "SameAs" and len(chain.mentions) == 3


def test_brat_chain_type_mapped_to_nothing_is_dropped_and_counted(tmp_path):
    p = _brat_project(tmp_path)
    rep = run_export(p, "brat", tmp_path / "out", ExportOptions(
        documents="all", label_map=LabelMap.parse_options(["Alias="])))
    lines = _ann_lines(tmp_path / "out")
    assert not [x for x in lines if x.startswith("*")] and len(lines) == 3  # spans kept
    assert rep.dropped_by_label_map == {"Alias": 1}
    p.close()


def _ace_project(tmp_path: Path):
    p = annotator.create_project(tmp_path / "a.annproj", schema="ace2005-news",
                                 annotator="gold")
    doc = p.add_document(TEXT, name="d")
    per = [p.add_span(doc.id, TEXT.index(w), TEXT.index(w) + len(w), "PER").id
           for w in ("Jo Rowling", "Joanne Rowling", "J. K. Rowling")]
    org = [p.add_span(doc.id, TEXT.index(w), TEXT.index(w) + len(w), "ORG").id
           for w in ("Reuters", "the agency")]
    p.add_chain(per, "PER")
    p.add_chain(org, "Coref.ORG")
    return p


def test_spacy_span_groups_and_user_data_carry_the_mapped_type(tmp_path):
    p = _ace_project(tmp_path)
    lm = LabelMap.parse_options(["PER=Person"], coarse=True)  # Coref.ORG -> Coref
    run_export(p, "spacy", tmp_path / "sp", ExportOptions(documents="all", label_map=lm))
    (sdoc,) = read_docbin(tmp_path / "sp" / "all.spacy")
    groups = {key: sorted({s.label_ for s in sdoc.spans[key]}) for key in sdoc.spans
              if key.startswith("coref_clusters_")}
    assert sorted(groups.values()) == [["Coref"], ["Person"]]
    types = sorted(c["type"] for c in sdoc.user_data["annotator"]["chains"])
    assert types == ["Coref", "Person"]
    p.close()


def test_dygiepp_cluster_of_a_dropped_chain_type_is_not_written(tmp_path):
    p = _ace_project(tmp_path)
    out = tmp_path / "d.jsonl"
    rep = run_export(p, "dygiepp", out, ExportOptions(
        documents="all", label_map=LabelMap.parse_options(["Coref.*="])))
    obj = json.loads(out.read_text(encoding="utf-8"))
    assert len(obj["clusters"]) == 1 and len(obj["clusters"][0]) == 3  # the PER chain
    assert sum(len(s) for s in obj["ner"]) == 5  # the ORG mentions stay entities
    assert rep.dropped_by_label_map == {"Coref.ORG": 1}
    p.close()


def test_native_jsonl_keeps_chain_types_like_every_label(tmp_path):
    p = _ace_project(tmp_path)
    out = tmp_path / "n.jsonl"
    rep = run_export(p, "jsonl", out, ExportOptions(
        documents="all", label_map=LabelMap.parse_options(["PER=Person", "Coref.*="])))
    data = json.loads(out.read_text(encoding="utf-8"))["sets"]["gold"]
    assert sorted(c["type"] for c in data["chains"]) == ["Coref.ORG", "PER"]
    assert {s["label"] for s in data["spans"]} == {"PER", "ORG"}
    assert "the label map is not applied to the lossless native JSONL" in rep.notes
    p.close()
