"""Versioned migrations: an old file is upgraded with a backup beside it; a newer file,
a foreign SQLite file and random bytes are refused without being changed."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

import annotator
from annotator.core.schema import load_schema
from annotator.errors import ProjectError, ProjectTooNewError
from annotator.store import migrations
from annotator.store.rows import dumps, pack_pairs
from annotator.store.store import APPLICATION_ID

TEXT = "Russia attacked Ukraine."


def make_version_1(path: Path) -> None:
    """A project file as the first format version wrote it: only migration 0001 applied,
    with one document and one span in it."""
    assert migrations.current_version() >= 2, "needs at least one migration after 0001"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        second = migrations.MIGRATIONS[1][0]
        assert migrations.migrate(conn, path, stop_before=second) is None  # empty: no backup
        assert migrations.file_version(conn) == 1
        conn.execute("BEGIN")
        for key, value in (("schema", dumps(load_schema("ace2005-news").to_dict())),
                           ("lang", "en"), ("program_version", "0.0.1")):
            conn.execute("INSERT INTO project_meta VALUES (?, ?)", (key, value))
        conn.execute("INSERT INTO documents (id, position, name, title, length, meta, lang, "
                     "content_hash, tokenizer, created_at) VALUES ('d1', 0, 'old-story', '', "
                     "?, '{}', 'en', 'hash1', 'old', '2020-01-01T00:00:00.000+00:00')",
                     (len(TEXT),))
        conn.execute("INSERT INTO document_content VALUES ('d1', ?, ?, ?)",
                     (TEXT, pack_pairs([(0, 6), (7, 15), (16, 23), (23, 24)]),
                      pack_pairs([(0, 24)])))
        conn.execute("INSERT INTO spans VALUES ('s1', 'd1', 'ana', 0, 6, 'GPE', 'entity', "
                     "'{}', '', 'wikidata:Q159', 'gold', 'manual', 'ana', "
                     "'2020-01-01T00:00:00.000+00:00', 'ana', '2020-01-01T00:00:00.000+00:00')")
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_old_file_is_migrated_with_a_backup_beside_it(tmp_path):
    path = tmp_path / "old.annproj"
    make_version_1(path)
    with annotator.open_project(path, annotator="ana") as proj:
        backup = proj.backup_path
        assert backup is not None and backup.exists()
        assert backup.parent == path.parent and backup.name.startswith(path.name)
        # the data survived and the project is fully usable
        assert proj.document("d1").text == TEXT
        assert proj.span("s1").kb_id == "wikidata:Q159"
        assert proj.document("d1").tokens == [(0, 6), (7, 15), (16, 23), (23, 24)]
        proj.add_span("d1", 7, 15, "Conflict.Attack")
        assert proj.check() == []
    conn = sqlite3.connect(path)
    try:
        assert migrations.file_version(conn) == migrations.current_version()
    finally:
        conn.close()

    # the backup is a SQLite file holding the old data at the old version
    old = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        assert old.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert migrations.file_version(old) == 1
        assert old.execute("SELECT id, label FROM spans").fetchall() == [("s1", "GPE")]
        assert old.execute("SELECT text FROM document_content").fetchone()[0] == TEXT
    finally:
        old.close()

    # opening again: nothing to migrate, no new backup
    with annotator.open_project(path, annotator="ana") as proj:
        assert proj.backup_path is None
        assert len(proj.spans("d1")) == 2


def test_a_new_project_is_at_the_current_version_without_backup(tmp_path):
    path = tmp_path / "new.annproj"
    with annotator.create_project(path) as proj:
        assert proj.backup_path is None
    conn = sqlite3.connect(path)
    try:
        assert migrations.file_version(conn) == migrations.current_version()
    finally:
        conn.close()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".bak"] == []


def test_migration_names_are_unique_and_ordered():
    names = [name for name, _ in migrations.MIGRATIONS]
    assert names[0] == "0001_initial"
    assert len(set(names)) == len(names)
    assert names == sorted(names)


def set_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"PRAGMA user_version = {version}")
    finally:
        conn.close()


@pytest.mark.parametrize("readonly", [False, True])
def test_a_file_from_a_newer_program_is_refused_and_unchanged(tmp_path, readonly):
    path = tmp_path / "future.annproj"
    with annotator.create_project(path) as proj:
        proj.add_document(TEXT, name="story")
    set_version(path, migrations.current_version() + 1)
    assert not Path(f"{path}-wal").exists()
    before = path.read_bytes()
    with pytest.raises(ProjectTooNewError) as info:
        annotator.open_project(path, readonly=readonly)
    message = str(info.value)
    assert "newer" in message and str(path) in message
    assert str(migrations.current_version() + 1) in message
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".bak"]
    # and the refusal did not keep the lock
    set_version(path, migrations.current_version())
    annotator.open_project(path).close()


def test_a_foreign_sqlite_file_is_refused_and_unchanged(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('not a project')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(ProjectError, match="not an annotator project"):
            annotator.open_project(path, readonly=readonly)
    assert path.read_bytes() == before  # not even switched to WAL


@pytest.mark.parametrize("content", [os.urandom(4096), b"", b"SQLite format 3\x00" + b"\xff" * 200,
                                     b"hello world\n" * 50])
def test_random_bytes_are_refused(tmp_path, content):
    path = tmp_path / "junk.annproj"
    path.write_bytes(content)
    with pytest.raises(ProjectError):
        annotator.open_project(path)
    assert path.read_bytes() == content


def test_readonly_open_of_an_old_file_reads_it_unchanged(tmp_path):
    """Only indexes and views are missing: a reader does without them (and searches by scan)."""
    path = tmp_path / "old.annproj"
    make_version_1(path)
    before = path.read_bytes()
    with annotator.open_project(path, annotator="ana", readonly=True) as view:
        assert view.span("s1").kb_id == "wikidata:Q159"
        assert view.search("attacked Ukr") == ["d1"]
    assert path.read_bytes() == before


def test_readonly_open_of_a_file_missing_a_table_asks_for_an_upgrade(tmp_path, monkeypatch):
    path = tmp_path / "old.annproj"
    make_version_1(path)
    before = path.read_bytes()

    def new_table(db) -> None:
        db.execute("CREATE TABLE chains (id TEXT PRIMARY KEY)")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("0099_chains",
                                                                             new_table)])
    with pytest.raises(ProjectError, match="upgrade"):
        annotator.open_project(path, readonly=True)
    assert path.read_bytes() == before


def test_a_failing_migration_leaves_the_file_at_its_version(tmp_path, monkeypatch):
    path = tmp_path / "old.annproj"
    make_version_1(path)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        conn.execute("INSERT INTO no_such_table VALUES (1)")

    steps = [*migrations.MIGRATIONS, ("9999_broken", broken)]
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    with pytest.raises(ProjectError) as info:
        annotator.open_project(path)
    message = str(info.value)
    assert "9999_broken" in message and ".bak" in message
    good = len(steps) - 1
    assert f"unchanged at version {good}" in message
    conn = sqlite3.connect(path)
    try:
        assert migrations.file_version(conn) == good  # the steps before it were kept
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"
                            ).fetchone()[0] == 0
        assert conn.execute("SELECT label FROM spans").fetchall() == [("GPE",)]
    finally:
        conn.close()
    monkeypatch.undo()
    with annotator.open_project(path) as proj:  # the lock was released; the file still opens
        assert proj.span("s1").label == "GPE"
