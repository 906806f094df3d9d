"""The `annotator` command line (annotator.cli.main): new, import, export, stats, check, schema.
Exit codes: 0 success, 1 error (message on stderr), 2 usage error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import annotator
from annotator.formats.schema_sources import load_schema_source

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
BRAT_CONF = SHARED / "corpora" / "brat" / "example-data" / "tutorials" / "news" / "annotation.conf"



@pytest.fixture
def proj(tmp_path, cli) -> Path:
    path = tmp_path / "news.annproj"
    code, out, _ = cli("new", path)
    assert code == 0 and "created" in out
    return path


def seed_jsonl(path: Path, label: str = "GPE") -> Path:
    text = "Russia pulled out of a meeting with NATO in Brussels."
    line = {"name": "russia", "text": text, "status": {"gold": "done"}, "sets": {"gold": {
        "spans": [{"id": "s1", "start": 0, "end": 6, "label": label},
                  {"id": "s2", "start": 37, "end": 41, "label": "ORG"},
                  {"id": "s3", "start": 23, "end": 30, "label": "Contact.Meet",
                   "kind": "trigger"},
                  {"id": "s4", "start": 45, "end": 53, "label": "GPE"}],
        "events": [{"id": "e1", "type": "Contact.Meet", "trigger": "s3",
                    "arguments": [{"role": "Entity", "filler": "s1"},
                                  {"role": "Entity", "filler": "s2"},
                                  {"role": "Place", "filler": "s4"}]}],
        "relations": []}}}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    return path


def doc_count(path: Path) -> int:
    with annotator.open_project(path, readonly=True) as p:
        return p.document_count()


# ---- new --------------------------------------------------------------------------------------
def test_new_creates_a_project(tmp_path, cli):
    path = tmp_path / "a.annproj"
    code, out, err = cli("new", path)
    assert code == 0 and path.exists()
    assert "ace2005-news" in out
    with annotator.open_project(path, readonly=True) as p:
        assert p.schema.name == "ace2005-news" and p.document_count() == 0 and p.lang == "en"


def test_new_refuses_to_overwrite(tmp_path, cli, proj):
    with annotator.open_project(proj) as p:
        p.add_document("Keep me.", name="keep")
    size = proj.stat().st_size
    code, out, err = cli("new", proj, "--schema", "news-basic")
    assert code == 1
    assert "already exists" in err and str(proj) in err
    assert "Traceback" not in err
    assert doc_count(proj) == 1 and proj.stat().st_size == size


def test_new_with_builtin_schema_and_lang(tmp_path, cli):
    path = tmp_path / "b.annproj"
    code, out, _ = cli("new", path, "--schema", "news-basic", "--lang", "de")
    assert code == 0 and "news-basic" in out and "(de)" in out
    with annotator.open_project(path, readonly=True) as p:
        assert p.schema.name == "news-basic" and p.lang == "de"


def test_new_with_toml_schema(tmp_path, cli):
    toml = tmp_path / "mine.toml"
    toml.write_text('name = "mine"\nversion = 3\n\n[[entity_types]]\nname = "PERSON"\n'
                    '\n[[entity_types]]\nname = "CITY"\n\n[[relation_types]]\nname = "lives_in"'
                    '\narg1 = ["PERSON"]\narg2 = ["CITY"]\n', encoding="utf-8")
    path = tmp_path / "c.annproj"
    code, out, err = cli("new", path, "--schema", toml)
    assert code == 0, err
    with annotator.open_project(path, readonly=True) as p:
        assert p.schema.name == "mine"
        assert [t.name for t in p.schema.entity_types] == ["PERSON", "CITY"]
        assert p.schema.relation_type_names() == ["lives_in"]


def test_new_with_brat_annotation_conf(tmp_path, cli):
    if not BRAT_CONF.is_file():
        pytest.skip(f"{BRAT_CONF} is absent")
    path = tmp_path / "d.annproj"
    code, out, err = cli("new", path, "--schema", BRAT_CONF)
    assert code == 0, err
    with annotator.open_project(path, readonly=True) as p:
        names = {t.name for t in p.schema.entity_types}
        assert {"Person", "Organization", "GPE"} <= names
        assert "Located" in p.schema.relation_type_names()
        events = {e.name for e in p.schema.event_types}
        assert any("Marry" in e for e in events) and any("Report" in e for e in events)


@pytest.mark.parametrize("spec", ["no-such-schema", "missing.toml"])
def test_new_with_unknown_schema_fails_cleanly(tmp_path, cli, spec):
    path = tmp_path / "e.annproj"
    code, _, err = cli("new", path, "--schema", tmp_path / spec if spec.endswith(".toml")
                       else spec)
    assert code == 1 and "error:" in err and "Traceback" not in err
    assert not path.exists()


# ---- import -----------------------------------------------------------------------------------
def test_import_prints_a_summary(tmp_path, cli, proj):
    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "one.txt").write_text("Story one.", encoding="utf-8")
    (arts / "two.txt").write_text("Story two.", encoding="utf-8")
    (arts / "copy.txt").write_text("Story one.", encoding="utf-8")
    code, out, err = cli("import", proj, arts, seed_jsonl(tmp_path / "seed.jsonl"))
    assert code == 0, err
    assert "imported 3 document(s)" in out
    assert "4 spans, 1 events, 0 relations" in out
    assert "skipped 1 duplicate(s)" in out
    assert "duplicate:" in out and "two.txt" not in out.split("duplicate:")[1]
    assert doc_count(proj) == 3


def test_import_bad_file_imports_nothing_and_exits_1(tmp_path, cli, proj):
    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "good.txt").write_text("Good story.", encoding="utf-8")
    (arts / "bad.txt").write_bytes("caf\xe9".encode("latin-1"))
    code, out, err = cli("import", proj, arts)
    assert code == 1 and "bad.txt" in err and "UTF-8" in err
    assert doc_count(proj) == 0


def test_import_skip_bad_reports_each_file(tmp_path, cli, proj):
    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "good.txt").write_text("Good story.", encoding="utf-8")
    (arts / "bad.txt").write_bytes("caf\xe9".encode("latin-1"))
    (arts / "empty.txt").write_bytes(b"")
    code, out, err = cli("import", proj, arts, "--skip-bad")
    assert code == 0, err
    assert "imported 1 document(s)" in out and "skipped 2 bad file(s)" in out
    skipped = [line for line in out.splitlines() if line.strip().startswith("skipped:")]
    assert len(skipped) == 2
    assert any("bad.txt" in s and "UTF-8" in s for s in skipped)
    assert any("empty.txt" in s and "empty" in s for s in skipped)
    assert doc_count(proj) == 1


def test_import_bad_jsonl_names_line(tmp_path, cli, proj):
    f = tmp_path / "x.jsonl"
    f.write_text('{"text": "ok one"}\n{"text": "two", "sets": {"gold": {"spans": '
                 '[{"start": 0, "end": 9, "label": "PER"}]}}}\n', encoding="utf-8")
    code, _, err = cli("import", proj, f)
    assert code == 1 and f"{f}:2" in err and "sets.gold.spans[0]" in err
    assert doc_count(proj) == 0


def test_import_into_missing_project(tmp_path, cli):
    f = tmp_path / "a.txt"
    f.write_text("x", encoding="utf-8")
    code, _, err = cli("import", tmp_path / "nope.annproj", f)
    assert code == 1 and "error:" in err and "Traceback" not in err


# ---- export -----------------------------------------------------------------------------------
def test_export_jsonl_writes_data_and_report(tmp_path, cli, proj):
    cli("import", proj, seed_jsonl(tmp_path / "seed.jsonl"))
    with annotator.open_project(proj) as p:
        p.add_document("A document nobody marked done.", name="other")
    out = tmp_path / "out" / "gold.jsonl"
    out.parent.mkdir()
    code, stdout, err = cli("export", proj, "--format", "jsonl", "--out", out)
    assert code == 0, err
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["name"] for x in lines] == ["russia", "other"]  # jsonl defaults to all documents
    assert len(lines[0]["sets"]["gold"]["spans"]) == 4
    report = out.with_name("gold.jsonl.report.json")
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["documents"] == 2 and data["spans_per_label"]["GPE"] == 2
    assert "Exported 2 document(s) as jsonl" in stdout and str(report) in stdout


def test_export_done_only_and_missing_out(tmp_path, cli, proj):
    cli("import", proj, seed_jsonl(tmp_path / "seed.jsonl"))
    with annotator.open_project(proj) as p:
        p.add_document("Not done.", name="other")
    out = tmp_path / "done.jsonl"
    code, _, err = cli("export", proj, "-f", "jsonl", "-o", out, "--documents", "done")
    assert code == 0, err
    assert [json.loads(x)["name"] for x in out.read_text().splitlines()] == ["russia"]
    code, _, err = cli("export", proj, "--format", "jsonl")
    assert code == 2 and "--out" in err and "Traceback" not in err


def test_export_jsonl_is_lossless_despite_map_and_one_set_on_request(tmp_path, cli, proj):
    cli("import", proj, seed_jsonl(tmp_path / "seed.jsonl"))
    with annotator.open_project(proj, annotator="ana") as p:
        (doc_id,) = p.document_ids()
        p.add_span(doc_id, 0, 6, "ORG")
    out = tmp_path / "mapped.jsonl"
    code, stdout, err = cli("export", proj, "-f", "jsonl", "-o", out, "--map", "GPE=LOC")
    assert code == 0, err
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["sets"]) == ["ana", "gold"]
    assert [s["label"] for s in line["sets"]["gold"]["spans"]].count("GPE") == 2
    assert "label map is not applied" in stdout
    code, _, err = cli("export", proj, "-f", "jsonl", "-o", out, "--annotator", "ana")
    assert code == 1 and "use --force" in err  # never overwritten silently
    code, _, err = cli("export", proj, "-f", "jsonl", "-o", out, "--annotator", "ana", "--force")
    assert code == 0, err
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert list(line["sets"]) == ["ana"] and line["status"] == {"gold": "done"}


def test_export_bad_label_map_names_file_and_line(tmp_path, cli, proj):
    lm = tmp_path / "map.txt"
    lm.write_text("GPE=LOC\nbroken line\n", encoding="utf-8")
    code, _, err = cli("export", proj, "--format", "jsonl", "--out", tmp_path / "o.jsonl",
                       "--label-map", lm)
    assert code == 1 and f"{lm}:2" in err


@pytest.mark.parametrize("command", [
    ["export", "--format", "jsonl", "--out"],
    ["schema", "--export"],
])
def test_writing_into_a_missing_folder_is_a_clean_error(tmp_path, cli, proj, command):
    target = tmp_path / "no" / "such" / "out.toml"
    code, _, err = cli(command[0], proj, *command[1:], target)
    assert code == 1 and "Traceback" not in err
    assert err.startswith("error:") and str(tmp_path / "no" / "such") in err


def test_export_unknown_format(tmp_path, cli, proj):
    code, _, err = cli("export", proj, "--format", "nope", "--out", tmp_path / "o")
    assert code == 1 and "unknown export format" in err


# ---- stats -------------------------------------------------------------------------------------
def test_stats_text_and_json(tmp_path, cli, proj):
    cli("import", proj, seed_jsonl(tmp_path / "seed.jsonl"))
    with annotator.open_project(proj, annotator="ana") as p:
        doc = p.add_document("Paris is in France.", name="paris")
        p.add_span(doc.id, 0, 5, "GPE")
        p.set_status(doc.id, "in_progress")
    code, out, err = cli("stats", proj)
    assert code == 0, err
    assert "documents: 2" in out
    assert "annotator gold:" in out and "annotator ana:" in out
    gold_part = out.split("annotator gold:")[1]
    assert "spans: 4" in gold_part and "events: 1" in gold_part
    assert any(line.split() == ["GPE", "2"] for line in gold_part.splitlines())
    assert "done 1" in gold_part and "new 1" in gold_part

    code, out, err = cli("stats", proj, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["documents"] == 2
    assert sorted(data["annotators"]) == ["ana", "gold"]
    assert data["spans"]["gold"] == {"Contact.Meet": 1, "GPE": 2, "ORG": 1}
    assert data["spans"]["ana"] == {"GPE": 1}
    assert data["events"]["gold"] == {"Contact.Meet": 1}
    assert data["status"]["gold"] == {"done": 1, "new": 1}
    assert data["status"]["ana"] == {"in_progress": 1, "new": 1}


# ---- check -------------------------------------------------------------------------------------
def test_check_clean_project_exits_0(tmp_path, cli, proj):
    cli("import", proj, seed_jsonl(tmp_path / "seed.jsonl"))
    code, out, err = cli("check", proj)
    assert code == 0, out + err
    assert "0 error(s)" in out


def test_check_with_an_error_exits_1(tmp_path, cli, proj):
    code, out, err = cli("import", proj, seed_jsonl(tmp_path / "seed.jsonl", label="NOT-A-LABEL"))
    assert code == 0, err
    code, out, err = cli("check", proj)
    assert code == 1
    assert "NOT-A-LABEL" in out
    assert int(out.splitlines()[-1].split()[0]) >= 1  # "N error(s), M warning(s)"


def test_check_warnings_flag(tmp_path, cli, proj):
    cli("import", proj, seed_jsonl(tmp_path / "seed.jsonl"))
    code, out, _ = cli("check", proj, "--warnings")
    warnings = int(out.splitlines()[-1].split(", ")[1].split()[0])
    assert code == (1 if warnings else 0)


# ---- schema ------------------------------------------------------------------------------------
def test_schema_prints_types(cli, proj):
    code, out, err = cli("schema", proj)
    assert code == 0, err
    assert "schema ace2005-news" in out
    assert "entity types (7)" in out and "GPE" in out and "Geo-Political Entity" in out
    assert "value types (7)" in out and "TIME" in out
    assert "Conflict.Attack" in out and "Attacker" in out
    assert "PHYS.Located" in out


@pytest.mark.parametrize("name", ["exported.toml", "annotation.conf"])
def test_schema_export_loads_back(tmp_path, cli, proj, name):
    target = tmp_path / name
    code, out, err = cli("schema", proj, "--export", target)
    assert code == 0, err
    assert f"wrote {target}" in out
    loaded = load_schema_source(target)
    with annotator.open_project(proj, readonly=True) as p:
        original = p.schema
    assert {t.name for t in loaded.entity_types} == {t.name for t in original.entity_types}
    assert {e.name for e in loaded.event_types} == {e.name for e in original.event_types}
    assert set(loaded.relation_type_names()) == set(original.relation_type_names())
    attack = loaded.event_type("Conflict.Attack")
    assert attack is not None and attack.role("Attacker") is not None
    if name.endswith(".toml"):
        assert loaded.to_dict() == original.to_dict()
    # and a new project can be made from the exported file
    code, _, err = cli("new", tmp_path / "from-export.annproj", "--schema", target)
    assert code == 0, err


# ---- entry point -------------------------------------------------------------------------------
def test_usage_errors_exit_2(cli):
    code, _, err = cli("stats")
    assert code == 2 and "Missing argument" in err


def test_module_entry_point_exit_codes(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO), "ANNOTATOR_USER": "gold"}
    path = tmp_path / "m.annproj"

    def run(*args):
        return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], env=env,
                              capture_output=True, text=True, timeout=120)

    assert run("new", path).returncode == 0
    again = run("new", path)
    assert again.returncode == 1 and "already exists" in again.stderr
    seed = seed_jsonl(tmp_path / "bad.jsonl", label="NOT-A-LABEL")
    assert run("import", path, seed).returncode == 0
    checked = run("check", path)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert run("export", path, "--format", "jsonl").returncode == 2


def test_no_arguments_opens_the_window_and_help_still_lists_commands(cli, monkeypatch):
    """A desktop launcher runs `annotator` with no arguments: that opens the window (#10.4)."""
    import annotator.gui.app as gui_app

    opened: list[object] = []
    monkeypatch.setattr(gui_app, "run_gui", lambda project=None, **kw: opened.append(project) or 0)
    code, _, err = cli()
    assert code == 0, err
    assert opened == [None]
    code, out, _ = cli("--help")
    assert code == 0 and "export" in out and "import" in out


def test_check_and_stats_read_one_snapshot(cli, proj, monkeypatch):
    """check and stats read inside Project.snapshot (one read transaction, #9.1)."""
    from annotator.core.project import Project

    entered: list[str] = []
    real = Project.snapshot

    def spy(self):
        entered.append("snapshot")
        return real(self)

    monkeypatch.setattr(Project, "snapshot", spy)
    assert cli("check", proj)[0] == 0
    assert cli("stats", proj)[0] == 0
    assert entered == ["snapshot", "snapshot"]


def test_the_window_keeps_the_default_sigterm(cli, monkeypatch):
    """The CLI turns SIGTERM into Ctrl+C, but Qt's idle event loop never runs that handler:
    the window must keep the default, or a logout's SIGTERM would not end it."""
    import signal

    import annotator.gui.app as gui_app

    seen: list[object] = []
    monkeypatch.setattr(gui_app, "run_gui",
                        lambda *a, **k: seen.append(signal.getsignal(signal.SIGTERM)) or 0)
    assert cli("gui")[0] == 0
    assert seen == [signal.SIG_DFL]
