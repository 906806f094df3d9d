"""The project file's format through sqlite-utils: named steps in ``_sqlite_migrations``, a
release 0.1 file migrated with every annotation kept, browsing views, FTS5 corpus search."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from sqlite_utils.cli import cli as sqlite_utils_cli

import annotator
from annotator.errors import ProjectTooNewError
from annotator.store import migrations
from annotator.store.tables import VIEWS
from tests.conftest import TABLES
from tests.fixtures import make_release_0_1 as release

FIXTURE = Path(release.__file__).with_name("release_0_1.annproj")


def every_row(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of release 0.1 (the fixture's own tables), sorted, with the
    columns release 0.1 has (later steps add columns, which ``added_columns`` checks)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for t in (*TABLES, "document_content"):
            cols = ", ".join(f'"{c}"' for c in release_columns(t))
            out[t] = sorted(conn.execute(f"SELECT {cols} FROM {t}").fetchall(), key=repr)
        return out
    finally:
        conn.close()


def release_columns(table: str) -> list[str]:
    conn = sqlite3.connect(f"file:{FIXTURE}?mode=ro&immutable=1", uri=True)
    try:
        return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


def added_columns(path: Path) -> dict[str, set[tuple]]:
    """table -> the distinct values its rows have in the columns release 0.1 lacks."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for t in TABLES:
            new = [r[1] for r in conn.execute(f"PRAGMA table_info({t})")
                   if r[1] not in release_columns(t)]
            if new:
                cols = ", ".join(f'"{c}"' for c in new)
                out[t] = set(conn.execute(f"SELECT DISTINCT {cols} FROM {t}").fetchall())
        return out
    finally:
        conn.close()


def step_records(path: Path) -> list[tuple[str, str]]:
    db = sqlite_utils.Database(path)
    try:
        return [(r["migration_set"], r["name"]) for r in db["_sqlite_migrations"].rows]
    finally:
        db.close()


@pytest.fixture
def old_copy(tmp_path: Path) -> Path:
    """A copy of the release 0.1 file (the tracked fixture itself is never opened)."""
    path = tmp_path / "release.annproj"
    shutil.copyfile(FIXTURE, path)
    return path


def test_a_new_project_records_every_step_by_name(tmp_path):
    path = tmp_path / "p.annproj"
    annotator.create_project(path).close()
    names = [name for name, _ in migrations.MIGRATIONS]
    assert step_records(path) == [("annotator", n) for n in names]
    conn = sqlite3.connect(path)
    try:  # release 0.1 reads user_version: it refuses this file rather than half-opening it
        assert migrations.file_version(conn) == len(names)
    finally:
        conn.close()


def test_the_fixture_is_a_release_0_1_file():
    conn = sqlite3.connect(f"file:{FIXTURE}?mode=ro&immutable=1", uri=True)
    try:
        assert migrations.file_version(conn) == 2
        assert migrations.recorded_steps(conn) == []  # no _sqlite_migrations table
    finally:
        conn.close()


def test_a_release_0_1_file_is_backed_up_migrated_and_keeps_every_annotation(old_copy):
    before = every_row(old_copy)
    with annotator.open_project(old_copy, annotator="ana") as proj:
        backup = proj.backup_path
        assert backup is not None and backup.parent == old_copy.parent
        assert backup.name.startswith(old_copy.name + ".v2-")
        assert proj.check() == []
        for doc_id, (name, text) in release.DOCUMENTS.items():
            assert proj.document(doc_id).name == name and proj.document(doc_id).text == text
        for sid, (doc, who, start, end, label) in release.SPANS.items():
            span = proj.span(sid)
            assert (span.doc_id, span.annotator, span.start, span.end, span.label) == (
                doc, who, start, end, label)
        for eid, (trigger, etype, attrs) in release.EVENTS.items():
            event = proj.event(eid)
            assert (event.trigger_id, event.type, event.attrs) == (trigger, etype, attrs)
            assert [(a.role, a.filler_id) for a in event.arguments] == release.ARGUMENTS[eid]
        for rid, (rtype, head, tail) in release.RELATIONS.items():
            rel = proj.relation(rid)
            assert (rel.type, rel.head_id, rel.tail_id) == (rtype, head, tail)
        for (doc, who), status in release.STATUSES.items():
            assert proj.status(doc, who) == status
        assert proj.search("ministers met") == ["d-second"]
        proj.add_span("d-third", 10, 15, "WEA")  # and it is fully usable
    after = every_row(old_copy)
    assert len(after["spans"]) == len(before["spans"]) + 1
    after["spans"] = [r for r in after["spans"] if r[0] in release.SPANS]
    assert after == before
    for table, values in added_columns(old_copy).items():  # the new columns hold defaults
        assert len(values) == 1, (table, values)
    assert every_row(backup) == before  # the backup holds the old file as it was
    assert step_records(old_copy) == [("annotator", n) for n, _ in migrations.MIGRATIONS]
    with annotator.open_project(old_copy) as proj:  # migrated once: no second backup
        assert proj.backup_path is None


def test_a_file_recording_a_step_this_program_does_not_know_is_refused(tmp_path):
    path = tmp_path / "future.annproj"
    annotator.create_project(path).close()
    db = sqlite_utils.Database(path)
    db["_sqlite_migrations"].insert({"migration_set": "annotator", "name": "0005_chains",
                                     "applied_at": "2027-01-01"})
    db.close()
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(ProjectTooNewError, match="0005_chains.*newer annotator"):
            annotator.open_project(path, readonly=readonly)
    assert path.read_bytes() == before


def test_sqlite_utils_shows_a_project_readably(old_copy):
    annotator.open_project(old_copy).close()  # migrate
    runner = CliRunner()
    views = runner.invoke(sqlite_utils_cli, ["views", str(old_copy), "--csv"])
    assert views.exit_code == 0, views.output
    assert set(VIEWS) <= set(views.output.split())
    tables = runner.invoke(sqlite_utils_cli, ["tables", str(old_copy), "--csv"])
    assert "spans" in tables.output.split() and "_sqlite_migrations" in tables.output.split()
    rows = runner.invoke(sqlite_utils_cli, ["rows", str(old_copy), "spans_readable"])
    assert rows.exit_code == 0, rows.output
    db = sqlite_utils.Database(old_copy)
    try:
        spans = {r["id"]: r for r in db["spans_readable"].rows}
        assert spans["s-john"]["text"] == "John Smith"
        assert (spans["g-russia"]["document"], spans["g-russia"]["annotation_set"],
                spans["g-russia"]["label"]) == ("story-1", "gold", "GPE")
        events = {r["id"]: r for r in db["events_readable"].rows}
        assert events["e-meet"]["trigger_text"] == "met" and events["e-attack"]["arguments"] == 3
        args = {(r["event_id"], r["role"]): r["filler_text"]
                for r in db["arguments_readable"].rows}
        assert args[("e-attack", "Target")] == "Ukraine"
        rels = {r["id"]: r for r in db["relations_readable"].rows}
        assert (rels["r-located"]["head_text"], rels["r-located"]["tail_text"]) == (
            "John Smith", "Brussels")
        docs = {r["name"]: r for r in db["documents_readable"].rows}
        assert docs["story-1"]["spans"] == 9 and "gold: done" in docs["story-1"]["statuses"]
    finally:
        db.close()
    query = runner.invoke(sqlite_utils_cli, [
        "query", str(old_copy), "select label, count(*) n from spans_readable group by label"])
    assert query.exit_code == 0 and '"label": "GPE"' in query.output


def scan(proj, query: str) -> list[str]:
    """What search returned before the index: a plain scan (ASCII case-insensitive)."""
    return [d for d in proj.document_ids() if query.lower() in _ascii_lower(proj.document(d).text)
            ][:200] if query.strip() else []


def _ascii_lower(text: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in text)


def test_search_through_the_index_finds_exactly_what_a_scan_finds(project):
    texts = ["Russia attacked Ukraine on Monday.", "NATO ministers met in Brussels.",
             "Counter-attacks near Kharkiv; Ukrainian forces regrouped.",
             "Zürich's Café Nürnberg: prices rose 5% (or 5.5%?).",
             "The attackers fled; UKRAINE's army said so.", "x-ray, X_RAY and x ray"]
    for i, text in enumerate(texts):
        project.add_document(text, name=f"d{i}")
    queries = ["attack", "ttack", "attacked Ukr", "raine", "UKRAINE", "5%", "%", "ü",
               "Café Nür", "x ray", "x_r", "-ray", "s, ", " ", "met in", "ministers met",
               "Kharkiv; Ukr", "unknownword", "ack", "'s Ca", "x-ray, X_", "5.5%?)"]
    rng = random.Random(8)
    for _ in range(300):  # and random pieces of the texts
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        queries.append(text[start:start + rng.randrange(1, 12)])
    for query in queries:
        assert project.search(query) == scan(project, query), query


def test_search_uses_the_index_where_it_can():
    from annotator.store.search import match_expression

    assert match_expression("attacked Ukr") == '"ukr" *'
    assert match_expression("Russia attacked ") == '"attacked"'
    assert match_expression(" NATO ministers") == '"nato ministers" *'
    assert match_expression("ttack") is None  # may lie inside a word: a scan
    assert match_expression("Zürich Café") is None  # not ASCII: a scan


def test_search_with_many_candidates_stops_at_the_limit(project):
    texts = [f"Story {i}: ministers met in Brussels{'' if i % 3 else ' again'}."
             for i in range(30)]
    for i, text in enumerate(texts):
        project.add_document(text, name=f"d{i}")
    import annotator.store.search as search

    for few in (1000, 2):  # few candidates (sorted) and many (documents walked in order)
        search.FEW = few
        try:
            assert project.search("met in Bru", limit=7) == scan(project, "met in Bru")[:7]
            assert project.search("Brussels again") == scan(project, "Brussels again")
        finally:
            search.FEW = 1000


def test_search_stays_exact_when_another_tool_added_text_unindexed(project):
    project.add_document("Russia attacked Ukraine on Monday.", name="d")
    conn = project._store.conn  # as sqlite-utils insert would: no search index entry
    conn.execute("INSERT INTO documents (id, position, name, length, lang, content_hash, "
                 "created_at) VALUES ('x', 9, 'x', 10, 'en', 'h', '')")
    conn.execute("INSERT INTO document_content VALUES ('x', 'attacked Ukraine', x'', x'')")
    assert project.search("attacked Ukr") == [project.document_ids()[0], "x"]
