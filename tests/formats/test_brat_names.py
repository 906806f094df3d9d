"""brat export file names: long document names (issue #9.9), unsafe characters and Windows
reserved names become safe, unique and stable file stems."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import annotator
from annotator.formats import brat
from annotator.formats.export import ExportOptions, run_export

# a real news headline: 108 Chinese characters, 324 UTF-8 bytes (over every platform's 255)
LONG_TITLE = ("国家统计局发布数据显示今年前三季度全国规模以上工业增加值同比增长百分之五点二"
              "其中高技术制造业增加值增长百分之九点一新能源汽车太阳能电池和工业机器人等产品产量"
              "保持较快增长专家认为经济回升向好态势进一步巩固但外部环境复杂")
TEXT = "国家统计局今日发布数据。"


def _export(project, out: Path):
    return run_export(project, "brat", out, ExportOptions(documents="all", annotator="gold"))


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_long_cjk_title_exports(tmp_path):
    assert len(LONG_TITLE) == 108 and len(LONG_TITLE.encode("utf-8")) == 324
    project = annotator.create_project(tmp_path / "p.annproj", annotator="gold")
    short = project.add_document("A short one.", name="short")
    doc = project.add_document(TEXT, name=LONG_TITLE)
    project.add_span(doc.id, 0, 5, "ORG")
    project.add_span(short.id, 0, 1, "ORG")
    report = _export(project, tmp_path / "out")
    project.close()
    assert any(n.startswith("1 document name(s) too long for a file name") for n in report.notes)

    names = {p.name for p in _files(tmp_path / "out")}
    assert {"short.txt", "short.ann"} <= names
    long_txt = [p for p in _files(tmp_path / "out") if p.suffix == ".txt"
                and p.stem != "short"]
    assert len(long_txt) == 1
    stem = long_txt[0].stem
    digest = hashlib.sha1(LONG_TITLE.encode("utf-8")).hexdigest()[:8]
    assert stem.endswith("~" + digest)
    head = stem[:-9]
    assert LONG_TITLE.startswith(head) and len(head) > 50  # cut at a character boundary
    assert len(head.encode("utf-8")) <= 190
    for p in _files(tmp_path / "out"):
        assert len(p.name.encode("utf-8")) <= 255 and len(p.name.encode("utf-16-le")) <= 510
    assert long_txt[0].read_text(encoding="utf-8") == TEXT
    ann = long_txt[0].with_suffix(".ann").read_text(encoding="utf-8")
    assert ann.startswith("T1\tORG 0 5\t")

    # the collection reads back
    back = list(brat.read(tmp_path / "out", warn=lambda m: None))
    assert sorted(d.text for d in back) == sorted(["A short one.", TEXT])


def test_stems_are_stable_and_unique():
    long_a = LONG_TITLE + "甲"
    long_b = LONG_TITLE + "乙"  # same first 190 bytes
    one = [brat.file_stem(n, set()) for n in (long_a, long_b)]
    taken: set[str] = set()
    both = [brat.file_stem(long_a, taken), brat.file_stem(long_b, taken)]
    assert one == both  # the same name gives the same stem whatever else is exported
    assert both[0] != both[1]
    assert all(len(s.encode("utf-8")) <= 200 for s in both)
    # a long ASCII name with a multi-byte character at the cut
    name = "x" * 189 + "é" + "y" * 100
    stem = brat.file_stem(name, set())
    assert stem.startswith("x" * 189 + "~") and len(stem.encode("utf-8")) == 189 + 9
    # short names are untouched; folders keep their parts
    assert brat.file_stem("docs/one", set()) == "docs/one"
    assert brat.file_stem(f"dir/{LONG_TITLE}", set()).startswith(f"dir/{LONG_TITLE[:60]}")


def test_unsafe_and_reserved_names():
    taken: set[str] = set()
    assert brat.file_stem('a:b*c?"d<e>f|g', taken) == "a_b_c__d_e_f_g"
    assert brat.file_stem("../..", taken) == "_/_"
    for reserved in ("CON", "nul", "Com1", "lpt9", "aux.notes"):
        stem = brat.file_stem(reserved, taken)
        assert stem.split(".")[0].upper() not in {"CON", "NUL", "COM1", "LPT9", "AUX"}
        assert stem.lower().startswith(reserved.split(".")[0].lower() + "_")
    assert brat.file_stem("trailing dot./x", taken) == "trailing dot_/x"
    # case-insensitive file systems: names differing in case only get a suffix
    assert brat.file_stem("Doc", taken) == "Doc"
    assert brat.file_stem("doc", taken) == "doc-2"


def test_long_names_under_a_split_and_in_a_zip(tmp_path):
    project = annotator.create_project(tmp_path / "p.annproj", annotator="gold")
    for i in range(4):
        project.add_document(f"{TEXT}{i}", name=f"{LONG_TITLE}{i}")
    opts = ExportOptions(documents="all", annotator="gold", split=(0.5, 0.5))
    run_export(project, "brat", tmp_path / "c.zip", opts)
    project.close()
    import zipfile

    with zipfile.ZipFile(tmp_path / "c.zip") as zf:
        txts = [n for n in zf.namelist() if n.endswith(".txt")]
    assert len(txts) == 4 and len(set(txts)) == 4
    assert all(len(part.encode("utf-8")) <= 255 for n in txts for part in n.split("/"))
    assert os.sep not in "".join(n.split("/")[-1] for n in txts)
