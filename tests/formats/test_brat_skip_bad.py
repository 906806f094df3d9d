"""brat import under ``--skip-bad`` (issue #11 points 4 and 5): every good document of a folder
is imported, every bad file is listed with its reason, and a bad line is skipped (the rest of
its document kept, the line listed as file:line: reason), as brat itself does. Without
``--skip-bad`` the import stays all-or-nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.errors import InputFormatError
from annotator.formats.importing import ImportOptions, import_paths

TEXT = "Sen. Rich Smith met Anna Bell in Kabul on Monday.\n"
GOOD_ANN = ("T1\tPER 5 15\tRich Smith\n"
            "T2\tPER 20 29\tAnna Bell\n"
            "T3\tGPE 33 38\tKabul\n"
            "T4\tContact.Meet 16 19\tmet\n"
            "E1\tContact.Meet:T4 Entity:T1 Entity2:T2 Place:T3\n"
            "R1\tPHYS Arg1:T1 Arg2:T3\t\n"
            "A1\tNegated E1\n"
            "N1\tReference T3 Wikidata:Q5838\tKabul\n"
            "#1\tAnnotatorNotes T1\tthe senator\n")


def _collection(root: Path, bad: dict[str, tuple[str | bytes, str]], good: int = 5) -> Path:
    """``good`` good documents plus the bad ones: name -> (txt, ann)."""
    root.mkdir()
    for i in range(good):
        (root / f"good{i}.txt").write_text(TEXT.replace("Monday", f"day {i}"),
                                           encoding="utf-8")
        (root / f"good{i}.ann").write_text(GOOD_ANN, encoding="utf-8")
    for name, (txt, ann) in bad.items():
        if isinstance(txt, bytes):
            (root / f"{name}.txt").write_bytes(txt)
        else:
            (root / f"{name}.txt").write_text(txt, encoding="utf-8")
        (root / f"{name}.ann").write_text(ann, encoding="utf-8")
    return root


def _counts(project) -> tuple[int, int]:
    conn = sqlite3.connect(project.path)
    try:
        docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        spans = conn.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
    finally:
        conn.close()
    return docs, spans


def test_skip_bad_imports_every_good_document_and_lists_every_bad_file(project, tmp_path):
    folder = _collection(tmp_path / "c", {})
    (folder / "latin1.txt").write_bytes("caf\xe9 Kabul".encode("latin-1"))
    (folder / "latin1.ann").write_text("T1\tGPE 5 10\tKabul\n", encoding="utf-8")
    (folder / "badann.txt").write_text(TEXT, encoding="utf-8")
    (folder / "badann.ann").write_bytes(b"T1\tPER 5 15\tRich Smith\n"
                                        b"#1\tAnnotatorNotes T1\tcaf\xe9\n")
    (folder / "orphan.ann").write_text("T1\tPER 0 3\tSen\n", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "deep.txt").write_text(TEXT, encoding="utf-8")
    (folder / "sub" / "deep.ann").write_text(GOOD_ANN, encoding="utf-8")
    report = import_paths(project, [folder], ImportOptions(skip_bad=True))
    assert sorted(report.added) == [f"good{i}" for i in range(5)] + ["sub/deep"]
    sources = {Path(s).name: r for s, r in report.skipped}
    assert set(sources) == {"latin1.txt", "badann.ann", "orphan.ann"}
    assert all(not r.startswith(str(folder)) for r in sources.values())
    assert "UTF-8" in sources["latin1.txt"] and "UTF-8" in sources["badann.ann"]
    assert "no text file orphan.txt" in sources["orphan.ann"]
    assert "skipped 3 bad file(s)" in report.summary()
    assert _counts(project) == (6, 24)


def test_skip_bad_keeps_a_document_whose_lines_are_all_bad(project, tmp_path):
    folder = _collection(tmp_path / "c", {
        "offsets": (TEXT.replace("Kabul", "Herat"), "T1\tPER 5 999\tRich Smith\n"),
        "badtrigger": (TEXT, "T1\tPER 5 15\tRich Smith\nE1\tContact.Meet:T9 Entity:T1\n")})
    report = import_paths(project, [folder], ImportOptions(skip_bad=True))
    assert len(report.added) == 7 and report.skipped == []
    listed = dict(report.skipped_lines)
    assert "outside the text" in listed[f"{folder / 'offsets.ann'}:1"]
    assert "'T9'" in listed[f"{folder / 'badtrigger.ann'}:2"]
    assert _counts(project) == (7, 21)


def test_without_skip_bad_one_bad_file_imports_nothing(project, tmp_path):
    folder = _collection(tmp_path / "c", {"offsets": (TEXT, "T1\tPER 5 999\tRich Smith\n")})
    with pytest.raises(InputFormatError, match=r"offsets\.ann:1: T1: span 5 999"):
        import_paths(project, [folder])
    assert _counts(project) == (0, 0)


BAD_LINES = ("T1\tPER 5 15\tRich Smith\n"
             "T1\tPER 20 29\tAnna Bell\n"          # 2: duplicate id
             "continued text of a note\n"          # 3: a continuation line (no TAB)
             "X1\tPER 20 29\tAnna Bell\n"          # 4: unknown line kind
             "T3\tGPE 33 38\tKabul\n"
             "T4\tContact.Meet 16 19\tmet\n"
             "E1\tContact.Meet:T4 Entity:T1 Place:T3\n"
             "R1\tPHYS Arg1:T1 Arg2:T7\n"          # 8: unknown id
             "A1\tNegated E1\n"
             "A2\tNegated\n"                       # 10: no target
             "#1\tAnnotatorNotes T1\tthe senator\n")


def test_skip_bad_skips_bad_lines_and_keeps_the_document(project, tmp_path):
    folder = _collection(tmp_path / "c", {"lines": (TEXT, BAD_LINES)}, good=1)
    report = import_paths(project, [folder], ImportOptions(skip_bad=True))
    assert sorted(report.added) == ["good0", "lines"]
    assert report.skipped == []
    listed = {s: r for s, r in report.skipped_lines}
    ann = str(folder / "lines.ann")
    assert sorted(listed) == sorted(f"{ann}:{n}" for n in (2, 3, 4, 8, 10))
    assert "already used on line 1" in listed[f"{ann}:2"]
    assert "TAB" in listed[f"{ann}:3"]
    assert "bad annotation id" in listed[f"{ann}:4"]
    assert "T7" in listed[f"{ann}:8"]
    assert "skipped 5 bad line(s)" in report.summary()
    doc = project.document_by_name("lines")
    ann_set = project.annotations(doc.id, "gold")
    assert sorted((s.start, s.end, s.label) for s in ann_set.spans) == [
        (5, 15, "PER"), (16, 19, "Contact.Meet"), (33, 38, "GPE")]
    assert len(ann_set.events) == 1 and ann_set.events[0].attrs == {"Negated": True}
    assert ann_set.relations == []
    assert [s.note for s in ann_set.spans if s.note] == ["the senator"]


def test_a_line_naming_a_skipped_line_is_skipped_too(project, tmp_path):
    ann = ("T1\tPER 5 15\tRich Smith\n"
           "T4\tContact.Meet 16 999\tmet\n"        # 2: bad offsets
           "E1\tContact.Meet:T4 Entity:T1\n"       # 3: trigger skipped above
           "E2\tReport:T1 Event:E1\n"              # 4: names the skipped E1
           "A1\tNegated E1\n")                     # 5: names the skipped E1
    folder = _collection(tmp_path / "c", {"chain": (TEXT, ann)}, good=0)
    report = import_paths(project, [folder], ImportOptions(skip_bad=True))
    assert report.added == ["chain"]
    assert sorted(int(s.rsplit(":", 1)[1]) for s, _ in report.skipped_lines) == [2, 3, 4, 5]
    assert _counts(project) == (1, 1)


def test_without_skip_bad_a_bad_line_refuses_the_file(project, tmp_path):
    folder = _collection(tmp_path / "c", {"lines": (TEXT, BAD_LINES)}, good=1)
    with pytest.raises(InputFormatError, match=r"lines\.ann:2: id T1 already used"):
        import_paths(project, [folder])
    assert _counts(project) == (0, 0)


def test_cli_lists_every_skipped_file_and_line(cli, tmp_path):
    proj = tmp_path / "p.annproj"
    assert cli("new", proj)[0] == 0
    folder = _collection(tmp_path / "c", {"lines": (TEXT, BAD_LINES)})
    (folder / "latin1.txt").write_bytes("caf\xe9 Kabul".encode("latin-1"))
    (folder / "latin1.ann").write_text("T1\tGPE 5 10\tKabul\n", encoding="utf-8")
    (folder / "orphan.ann").write_text("T1\tPER 0 3\tSen\n", encoding="utf-8")
    code, out, err = cli("import", proj, folder, "--skip-bad")
    assert code == 0, err
    assert "imported 6 document(s)" in out
    assert "skipped 2 bad file(s)" in out and "skipped 5 bad line(s)" in out
    skipped = [line for line in out.splitlines() if line.strip().startswith("skipped:")]
    assert len(skipped) == 2 and any("latin1.txt: not UTF-8" in line for line in skipped)
    lines = [line for line in out.splitlines() if line.strip().startswith("skipped line:")]
    assert len(lines) == 5 and all("lines.ann:" in line for line in lines)


def test_the_window_shows_the_skipped_lines_too(project, tmp_path):
    """File > Import shows the report the CLI prints (gui.io_actions.import_report_lines)."""
    pytest.importorskip("PySide6")
    from annotator.gui.io_actions import import_report_lines

    folder = _collection(tmp_path / "c", {"lines": (TEXT, BAD_LINES)}, good=1)
    report = import_paths(project, [folder], ImportOptions(skip_bad=True))
    lines = import_report_lines(report)
    assert lines[0] == report.summary() and lines[1:] == report.detail_lines()
    assert sum(line.startswith("  skipped line: ") for line in lines) == 5
