"""Bad input never gives a traceback, and import refuses what the API refuses (#9.7, #9.10,
#9.11, #9.12 empty files, #9.13).

Each case runs the real command line in this process and checks the one-line message (file,
line, field) and that the project file is unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import annotator
from annotator.cli import main


@pytest.fixture
def proj(tmp_path, cli) -> Path:
    path = tmp_path / "p.annproj"
    assert cli("new", path)[0] == 0
    return path


def _documents(path: Path) -> int:
    with annotator.open_project(path, readonly=True) as p:
        return len(p.document_ids())


def _write(path: Path, *lines: object) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines),
                    encoding="utf-8")
    return path


def _refused(cli, proj, path: Path, *expected: str, extra: tuple[str, ...] = ()) -> str:
    code, out, err = cli("import", proj, path, *extra)
    assert code == 1, (out, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ")
    for text in expected:
        assert text in err, err
    assert _documents(proj) == 0
    return err


# ---- #9.11: inputs that used to give tracebacks -------------------------------------------
def test_json_nested_a_thousand_deep(cli, proj, tmp_path):
    path = _write(tmp_path / "deep.jsonl", "[" * 1000 + "]" * 1000)
    _refused(cli, proj, path, str(path), "nested too deeply")


def test_a_five_thousand_digit_offset(cli, proj, tmp_path):
    line = '{"text": "Kabul is here.", "sets": {"gold": {"spans": [{"id": "s1", "start": ' \
           + "9" * 5000 + ', "end": 5, "label": "GPE"}]}}}'
    path = _write(tmp_path / "big.jsonl", line)
    _refused(cli, proj, path, str(path), "5000 digits")


def test_prodigy_relations_that_are_a_number(cli, proj, tmp_path):
    path = _write(tmp_path / "p.jsonl", {"text": "Kabul is here.", "relations": 7,
                                         "spans": [{"start": 0, "end": 5, "label": "GPE"}]})
    _refused(cli, proj, path, str(path), extra=("--format", "prodigy"))


def test_a_folder_given_as_the_project(cli, tmp_path):
    data = _write(tmp_path / "a.jsonl", {"text": "Kabul is here."})
    for command in (("import", tmp_path, data), ("stats", tmp_path), ("check", tmp_path)):
        code, _, err = cli(*command)
        assert code == 1 and "is a folder, not a project file" in err, err
        assert "Traceback" not in err


def test_skip_bad_skips_exactly_the_bad_file(cli, proj, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder / "bad.jsonl", {"text": "First good line."}, {"text": "Second good line."},
           "{broken")
    _write(folder / "good.jsonl", {"text": "A good article about Kabul."})
    code, out, err = cli("import", proj, folder, "--skip-bad")
    assert code == 0, err
    assert "imported 1 document(s)" in out and "bad.jsonl:3" in out
    assert _documents(proj) == 1  # none of bad.jsonl's lines, all of good.jsonl


def test_debug_shows_the_traceback(cli, proj, tmp_path):
    path = _write(tmp_path / "p.jsonl", {"text": "Kabul.", "relations": 7, "spans": []})
    with pytest.raises(annotator.AnnotatorError):
        main(["import", str(proj), str(path), "--format", "prodigy", "--debug"])


# ---- #9.12: empty inputs ------------------------------------------------------------------
@pytest.mark.parametrize("name", ["empty.jsonl", "empty.conll"])
def test_an_empty_file_says_no_documents(cli, proj, tmp_path, name):
    path = tmp_path / name
    path.write_text("", encoding="utf-8")
    code, out, err = cli("import", proj, path)
    assert code == 0, err
    assert "imported 0 document(s)" in out and f"{path}: no documents" in out


# ---- #9.7: tokens are checked at import and by check --------------------------------------
@pytest.mark.parametrize("tokens, problem", [
    ([[0, 5], [3, 8], [9, 14]], "tokens[1] = [3, 8] overlaps"),
    ([[6, 8], [0, 5]], "tokens[1] = [0, 5] overlaps or precedes"),
    ([[0, 5], [6, 99]], "[6, 99] is outside the text"),
])
def test_bad_tokens_are_refused_with_file_and_line(cli, proj, tmp_path, tokens, problem):
    path = _write(tmp_path / "t.jsonl", {"text": "Kabul is here."},
                  {"text": "Kabul is fine.", "tokens": tokens})
    _refused(cli, proj, path, problem, "t.jsonl:2", "tokens[1]")


def test_check_reports_stored_tokens_that_overlap(cli, proj):
    # a file written by an older release (or by hand) with overlapping tokens
    import sqlite3

    with annotator.open_project(proj, annotator="gold") as p:
        p.add_document("Kabul is here.", name="kabul")
    from annotator.store.rows import pack_pairs

    conn = sqlite3.connect(proj)
    conn.execute("UPDATE document_content SET tokens = ?", (pack_pairs([(0, 5), (3, 8)]),))
    conn.commit()
    conn.close()
    code, out, _ = cli("check", proj)
    assert code == 1 and "kabul: tokens[1] = [3, 8] overlaps" in out


# ---- #9.13: import refuses what the API refuses -------------------------------------------
def _doc(**sets: object) -> dict[str, object]:
    return {"text": "Rebels attacked Kabul.", "sets": sets}


TRIGGER = {"id": "t1", "start": 7, "end": 15, "label": "Conflict.Attack", "kind": "trigger"}


@pytest.mark.parametrize("line, problem", [
    (_doc(gold={"spans": [TRIGGER], "events": [{
        "id": "e1", "trigger": "t1", "type": "Conflict.Attack",
        "arguments": [{"role": "Place", "filler": "e1", "filler_kind": "event"}]}]}),
     "an event cannot be its own argument"),
    (_doc(gold={"spans": [{"id": "not hex!", "start": 16, "end": 21, "label": "GPE"}]}),
     "span id 'not hex!' is not valid"),
    (_doc(**{"gold\tset": {"spans": []}}), "annotation set name 'gold\\tset' contains a tab"),
    ({"text": "Rebels attacked Kabul.", "name": "a\nb"}, "contains a newline"),
    ({"text": "Rebels attacked\x00 Kabul."}, "NUL character at offset 15"),
])
def test_import_refuses_what_the_api_refuses(cli, proj, tmp_path, line, problem):
    path = _write(tmp_path / "x.jsonl", line)
    _refused(cli, proj, path, problem)


def test_the_api_refuses_the_same_names_and_text(proj):
    with annotator.open_project(proj, annotator="gold") as p:
        with pytest.raises(annotator.AnnotatorError, match="contains a tab"):
            p.add_document("Rebels attacked Kabul.", name="a\tb")
        with pytest.raises(annotator.AnnotatorError, match="NUL character"):
            p.add_document("Rebels\x00 attacked Kabul.")
        assert p.document_ids() == []


# ---- #9.10: folder import does not follow links out of the folder --------------------------
def test_folder_import_does_not_follow_symlinks(cli, proj, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("A private file outside the folder.", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "article.txt").write_text("Rebels attacked Kabul on Monday.", encoding="utf-8")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    code, out, err = cli("import", proj, folder)
    assert code == 0, err
    assert "imported 1 document(s)" in out and "skipped 2 symbolic link(s)" in out
    with annotator.open_project(proj, readonly=True) as p:
        assert [p.document(d).name for d in p.document_ids()] == ["article"]
    code, out, err = cli("import", proj, folder, "--follow-links")
    assert code == 0, err
    with annotator.open_project(proj, readonly=True) as p:
        assert sorted(p.document(d).name for d in p.document_ids()) == ["article", "secret"]
