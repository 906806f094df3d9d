"""Every writer declares its options: ``annotator export ... -O KEY=VALUE`` with a key the
format does not have, or a value it cannot take, is refused with one line naming the key, the
format and the keys it accepts (exit code 2, nothing written), instead of being ignored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import annotator
from annotator.formats.export import ExportOptions, run_export
from annotator.formats.registry import EXPORTERS
from annotator.formats.writer_options import (
    WRITER_OPTIONS,
    WriterOptionError,
    checked_writer_options,
)

REPO = Path(__file__).resolve().parents[2]
TEXT = "Anna Novak of Reuters met officials in Lisbon."


@pytest.fixture
def proj(tmp_path):
    path = tmp_path / "p.annproj"
    p = annotator.create_project(path, schema="ace2005-news", annotator="gold")
    doc = p.add_document(TEXT, name="d")
    p.add_span(doc.id, 0, 10, "PER")
    p.add_span(doc.id, 14, 21, "ORG")
    p.add_span(doc.id, TEXT.index("Lisbon"), TEXT.index("Lisbon") + 6, "GPE")
    p.close()
    return path


def test_every_writer_declares_its_options():
    assert set(WRITER_OPTIONS) == set(EXPORTERS)


# where each writer reads ``options.extra`` (a key read there must be declared, and back)
_SOURCES = {"jsonl": ["jsonl.py"], "spacy": ["spacy_docbin.py"], "conll": ["conll.py"],
            "brat": ["brat/exporter.py"], "dygiepp": ["dygiepp.py"], "textee": ["textee.py"]}
_READ = re.compile(r"""extra(?:\.get\(|\[)\s*["'](\w+)["']""")


@pytest.mark.parametrize("fmt", sorted(_SOURCES))
def test_declared_options_are_the_ones_the_writer_reads(fmt):
    read: set[str] = set()
    for name in _SOURCES[fmt]:
        source = (REPO / "annotator" / "formats" / name).read_text(encoding="utf-8")
        export_part = source.split("def read(")[0]  # the reader's meta keys are not options
        read |= set(_READ.findall(export_part))
    assert read == set(WRITER_OPTIONS[fmt])


def _out_files(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out"))


@pytest.mark.parametrize(("fmt", "args", "message"), [
    ("conll", ["-O", "schema=BILOU"],
     "error: the conll writer has no option 'schema' (its options: columns, docstart, kinds, "
     "layer, scheme, space_replacement)"),
    ("conll", ["-O", "scheme=BIO3"],
     "error: the conll writer's option scheme must be one of IOB2, IOB1, BILOU, BIOES, BILUO, "
     "got 'BIO3' (its options: columns"),
    ("conll", ["-O", "columns=3"], "option columns must be 2 or 4, got '3'"),
    ("brat", ["-O", "zip=maybe"],
     "error: the brat writer's option zip must be true or false, got 'maybe' (its options: "
     "newlines, relation_attributes, zip)"),
    ("textee", ["--option", "window=0"],
     "the textee writer's option window must be a whole number, 1 or more, got '0' (its "
     "options: window)"),
    ("dygiepp", ["-O", "kinds=entity,event"], "option kinds must be a comma-separated list of "
                                              "entity, trigger, value"),
    ("jsonl", ["-O", "scheme=IOB1"], "the jsonl writer has no option 'scheme' (its options: "
                                     "none)"),
    ("spacy", ["-O", "pipeline"], "error: -O expects KEY=VALUE, got 'pipeline'"),
])
def test_cli_refuses_unknown_keys_and_bad_values(cli, proj, tmp_path, fmt, args, message):
    code, out, err = cli("export", proj, "-f", fmt, "-o", tmp_path / "out", "--documents",
                         "all", *args)
    assert code == 2, (out, err)
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert _out_files(tmp_path) == []  # nothing written, not even a report


def test_cli_options_that_exist_are_applied(cli, proj, tmp_path):
    code, out, err = cli("export", proj, "-f", "conll", "-o", tmp_path / "out.conll",
                         "--documents", "all", "-O", "scheme=bilou", "-O", "columns=2")
    assert code == 0, err
    lines = (tmp_path / "out.conll").read_text(encoding="utf-8").splitlines()
    assert "Anna B-PER" in lines and "Novak L-PER" in lines and "Lisbon U-GPE" in lines


def test_false_is_false(cli, proj, tmp_path):
    """``-O zip=false`` writes a folder (the text 'false' used to be taken as true)."""
    code, out, err = cli("export", proj, "-f", "brat", "-o", tmp_path / "out", "--documents",
                         "all", "-O", "zip=false")
    assert code == 0, err
    assert (tmp_path / "out").is_dir() and (tmp_path / "out" / "d.ann").exists()
    assert not (tmp_path / "out.zip").exists()


def test_the_api_is_checked_before_anything_is_written(proj, tmp_path):
    with annotator.open_project(proj, readonly=True) as p:
        with pytest.raises(WriterOptionError, match=r"the dygiepp writer has no option "
                                                    r"'max_width' \(its options: dataset, "):
            run_export(p, "dygiepp", tmp_path / "out.jsonl",
                       ExportOptions(documents="all", extra={"max_width": 12}))
        # values from the API keep their types; None is the writer's default
        rep = run_export(p, "textee", tmp_path / "out.json",
                         ExportOptions(documents="all", extra={"window": 2}))
    assert rep.documents == 1
    assert _out_files(tmp_path) == ["out.json", "out.json.report.json"]


def test_checked_values_are_converted():
    assert checked_writer_options("spacy", {"sidecar": "false", "config": True,
                                            "max_steps": "500", "pipeline": "ner,spancat"}) \
        == {"sidecar": False, "config": True, "max_steps": 500, "pipeline": "ner,spancat"}
    assert checked_writer_options("spacy", {"max_steps": None}) == {}
    with pytest.raises(WriterOptionError, match="max_steps must be a whole number"):
        checked_writer_options("spacy", {"max_steps": True})
    assert checked_writer_options("plugin", {}) == {}
    with pytest.raises(WriterOptionError, match=r"its options: none"):
        checked_writer_options("plugin", {"a": "1"})
