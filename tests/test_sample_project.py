"""The committed demo project (sample_projects/news-demo/news-demo.annproj) agrees with its
sources: rebuilt by build.sh it exports the same native JSONL; it holds the seed article with
its gold annotations and the other articles with their metadata; `annotator check` is clean."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import annotator
from annotator.cli import main
from annotator.formats.export import ExportOptions, run_export
from annotator.formats.text import decode

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "sample_projects" / "news-demo"
COMMITTED = DEMO / "news-demo.annproj"
SHARED = REPO / ".." / "shared"
SEED_TXT = SHARED / "seed" / "russia-nato-meeting.txt"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory) -> Path:
    """A copy of the committed file (opening it must not touch the repository)."""
    if not COMMITTED.is_file():
        pytest.fail(f"{COMMITTED} is missing")
    digest = sha(COMMITTED)
    target = tmp_path_factory.mktemp("demo") / "news-demo.annproj"
    shutil.copy2(COMMITTED, target)
    yield target
    assert sha(COMMITTED) == digest, "the committed demo project was modified by the tests"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rebuilt") / "rebuilt.annproj"
    env = {**os.environ, "PYTHON": sys.executable, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(["bash", str(DEMO / "build.sh"), str(out)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert out.is_file()
    return out


def export_lines(path: Path, tmp: Path) -> list[dict]:
    out = tmp / (path.stem + ".jsonl")
    with annotator.open_project(path, readonly=True) as p:
        run_export(p, "jsonl", out, ExportOptions(documents="all"))
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def demo_lines(demo_copy, tmp_path_factory) -> list[dict]:
    return export_lines(demo_copy, tmp_path_factory.mktemp("export"))


def seed_line(lines: list[dict]) -> dict:
    source = json.loads((DEMO / "seed-annotations.jsonl").read_text(encoding="utf-8"))
    (line,) = [x for x in lines if x["text"] == source["text"]]
    return line


def test_committed_project_equals_a_rebuild(demo_lines, rebuilt, tmp_path):
    again = export_lines(rebuilt, tmp_path)
    assert [x["name"] for x in again] == [x["name"] for x in demo_lines]
    for old, new in zip(demo_lines, again, strict=True):
        for key in ("id", "name", "text", "lang", "meta", "status", "tokenizer", "tokens",
                    "sentences"):
            assert new[key] == old[key], (old["name"], key)
        assert new["sets"] == old["sets"], old["name"]
    assert again == demo_lines


def test_committed_project_opens_read_only_without_side_files(demo_copy):
    before = sorted(p.name for p in demo_copy.parent.iterdir())
    with annotator.open_project(demo_copy, readonly=True) as p:
        assert p.readonly and p.document_count() >= 10
        with pytest.raises(annotator.AnnotatorError):
            p.add_document("An edit on a read-only project.", name="nope")
    assert sorted(p.name for p in demo_copy.parent.iterdir()) == before


def test_demo_has_the_seed_article_with_rich_gold_annotations(demo_lines):
    assert len(demo_lines) >= 10
    seed = seed_line(demo_lines)
    if SEED_TXT.is_file():
        assert seed["text"] == decode(SEED_TXT.read_bytes(), SEED_TXT)
    gold = seed["sets"]["gold"]
    assert len(gold["spans"]) >= 80
    assert sum(1 for e in gold["events"] if e["arguments"]) >= 8
    assert len(gold["relations"]) >= 10
    assert seed["status"].get("gold") == "done"
    # every argument and relation end points at a span of the set; span offsets are in range
    span_ids = {s["id"] for s in gold["spans"]}
    event_ids = {e["id"] for e in gold["events"]}
    assert all(0 <= s["start"] < s["end"] <= len(seed["text"]) for s in gold["spans"])
    for e in gold["events"]:
        assert e["trigger"] in span_ids
        assert all(a["filler"] in (span_ids if a["filler_kind"] == "span" else event_ids)
                   for a in e["arguments"])
    assert all(r["head"] in span_ids and r["tail"] in span_ids for r in gold["relations"])


def test_seed_annotations_are_carried_exactly(demo_lines):
    """The demo's gold set is the seed file's, with the same ids, offsets and texts."""
    source = json.loads((DEMO / "seed-annotations.jsonl").read_text(encoding="utf-8"))
    seed = seed_line(demo_lines)
    assert seed["id"] == source["id"]
    got = {s["id"]: s for s in seed["sets"]["gold"]["spans"]}
    assert set(got) == {s["id"] for s in source["sets"]["gold"]["spans"]}
    for s in source["sets"]["gold"]["spans"]:
        g = got[s["id"]]
        assert (g["start"], g["end"], g["label"]) == (s["start"], s["end"], s["label"])
        if "text" in s:
            assert seed["text"][g["start"]:g["end"]] == s["text"]
    assert {e["id"] for e in seed["sets"]["gold"]["events"]} == {
        e["id"] for e in source["sets"]["gold"]["events"]}
    assert {r["id"] for r in seed["sets"]["gold"]["relations"]} == {
        r["id"] for r in source["sets"]["gold"]["relations"]}


def test_articles_match_their_files_and_sidecars(demo_lines):
    by_name = {x["name"]: x for x in demo_lines}
    files = sorted((DEMO / "articles").rglob("*.txt"))
    assert len(files) >= 9
    for f in files:
        doc = by_name[f.stem]
        assert doc["text"] == decode(f.read_bytes(), f)
        side = f.with_name(f.stem + ".meta.json")
        if side.exists():
            assert doc["meta"] == json.loads(side.read_text(encoding="utf-8-sig"))


def test_check_reports_no_errors(demo_copy, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", str(demo_copy)])
        raise SystemExit(0)
    out = capsys.readouterr().out
    assert exc.value.code in (0, None), out
    assert out.splitlines()[-1].startswith("0 error(s)")


def test_api_check_reports_no_errors(demo_copy):
    with annotator.open_project(demo_copy, readonly=True) as p:
        errors = [x for x in p.check() if x.severity == "error"]
    assert errors == []


def test_the_committed_demo_is_at_the_current_format():
    """Opening the demo for writing (README command 1) must not migrate the tracked file (a
    migration rewrites it and writes a backup beside it): rebuild it with build.sh after adding
    a format step."""
    import sqlite3

    from annotator.store import migrations

    conn = sqlite3.connect(f"{COMMITTED.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert migrations.pending_steps(conn) == []
    finally:
        conn.close()
