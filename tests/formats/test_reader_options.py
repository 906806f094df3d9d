"""Every reader option is reachable from the command line (issue #11 point 8):
``annotator import ... -O KEY=VALUE``; unknown keys and values are refused with the options
that exist."""

from __future__ import annotations

import json
import sqlite3

import pytest

from annotator.errors import AnnotatorError
from annotator.formats.registry import READER_OPTIONS, READERS, checked_reader_options

TEXT = "I \U0001F600 Kabul."  # the emoji is two UTF-16 units: Kabul is 5-10 in UTF-16


def _spans(proj) -> list[tuple[int, int, str]]:
    conn = sqlite3.connect(proj)
    try:
        return sorted(conn.execute('SELECT start, "end", label FROM spans'))
    finally:
        conn.close()


@pytest.fixture
def proj(tmp_path, cli):
    path = tmp_path / "p.annproj"
    assert cli("new", path)[0] == 0
    return path


def test_doccano_utf16_offsets_from_the_cli(cli, proj, tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text(json.dumps({"text": TEXT, "label": [[5, 10, "GPE"]]}) + "\n", encoding="utf-8")
    code, out, err = cli("import", proj, f, "-O", "offsets=utf16")
    assert code == 0, err
    assert _spans(proj) == [(4, 9, "GPE")]  # code points


def test_labelstudio_options_from_the_cli(cli, proj, tmp_path):
    f = tmp_path / "ls.json"
    task = {"data": {"text": TEXT}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "from_name": "l", "to_name": "t",
         "value": {"start": 5, "end": 10, "labels": ["GPE"]}}]}],
        "predictions": [{"result": [
            {"id": "b", "type": "labels", "from_name": "l", "to_name": "t",
             "value": {"start": 0, "end": 1, "labels": ["PER"]}}]}]}
    f.write_text(json.dumps([task]), encoding="utf-8")
    code, out, err = cli("import", proj, f, "-O", "offsets=utf16",
                         "--option", "include_predictions=false")
    assert code == 0, err
    assert _spans(proj) == [(4, 9, "GPE")]


def test_brat_option_from_the_cli(cli, proj, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "a.txt").write_text("Kabul today.", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tGPE 0 5\tKabul\n", encoding="utf-8")
    code, out, err = cli("import", proj, folder, "-O", "doc_status=in_progress")
    assert code == 0, err
    conn = sqlite3.connect(proj)
    assert conn.execute("SELECT status FROM doc_status").fetchall() == [("in_progress",)]
    conn.close()


@pytest.mark.parametrize(("args", "message"), [
    (["-O", "offset=utf16"], "the doccano reader has no option 'offset' (its options: "
                             "annotator, offsets)"),
    (["-O", "offsets=utf8"], "option offsets of the doccano reader must be one of codepoint, "
                             "utf16, got 'utf8'"),
    (["-O", "offsets"], "-O expects KEY=VALUE, got 'offsets'"),
])
def test_bad_options_are_refused_by_name(cli, proj, tmp_path, args, message):
    f = tmp_path / "d.jsonl"
    f.write_text(json.dumps({"text": TEXT, "label": [[5, 10, "GPE"]]}) + "\n", encoding="utf-8")
    code, out, err = cli("import", proj, f, *args)
    assert code == 1 and message in err and "Traceback" not in err
    assert _spans(proj) == []


def test_every_reader_has_its_options_listed():
    assert set(READER_OPTIONS) == set(READERS)
    assert checked_reader_options("labelstudio", {"include_predictions": "false"}) == {
        "include_predictions": False}
    with pytest.raises(AnnotatorError, match="its options: none"):
        checked_reader_options("jsonl", {"x": "1"})


def test_options_for_plain_text_are_noted_unused(cli, proj, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Plain text.", encoding="utf-8")
    code, out, err = cli("import", proj, f, "-O", "offsets=utf16")
    assert code == 0, err
    assert "options offsets not used by text files" in out
