"""Opening and closing a project without an edit leaves the file byte-identical: no statistics
written by ``PRAGMA optimize``, no journal left behind (#10.6)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import annotator
from tests.fixtures import make_release_0_1 as release

TEXT = "Russia attacked Ukraine on Monday, said John Smith in Brussels."


def read_a_lot(proj) -> None:
    """What a user does without editing: list, open documents, search, check, stats."""
    for summary in proj.documents():
        proj.annotations(summary.id, None)
        proj.document(summary.id)
        proj.problems(summary.id)
    proj.search("Brussels")
    proj.stats()
    proj.check()


def state(path: Path) -> tuple[bytes, int, list[str]]:
    return (path.read_bytes(), path.stat().st_mtime_ns,
            sorted(p.name for p in path.parent.iterdir()))


def test_open_and_close_without_an_edit_leaves_the_file_byte_identical(tmp_path):
    path = tmp_path / "p.annproj"
    with annotator.create_project(path, annotator="ana") as proj:
        for i in range(20):
            doc = proj.add_document(f"{TEXT} Story {i}.", name=f"s{i}")
            proj.add_span(doc.id, 0, 6, "GPE")
            proj.add_trigger_event(doc.id, 7, 15, "Conflict.Attack")
    conn = sqlite3.connect(path)  # as a file made before statistics existed
    conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
    conn.close()
    before = state(path)
    for readonly in (False, True, False):
        with annotator.open_project(path, annotator="ana", readonly=readonly) as proj:
            read_a_lot(proj)
            with proj.snapshot():
                proj.stats()
        assert state(path) == before


def test_a_migrated_release_file_is_then_left_alone(tmp_path):
    path = tmp_path / "old.annproj"
    shutil.copyfile(Path(release.__file__).with_name("release_0_1.annproj"), path)
    with annotator.open_project(path, annotator="ana") as proj:  # migrates: an edit
        backup = proj.backup_path
    assert backup is not None
    before = state(path)
    with annotator.open_project(path, annotator="ana") as proj:
        read_a_lot(proj)
    assert state(path) == before


def test_an_edit_still_lets_sqlite_keep_its_statistics(tmp_path):
    path = tmp_path / "p.annproj"
    with annotator.create_project(path, annotator="ana") as proj:
        doc = proj.add_document(TEXT, name="s")
        proj.add_span(doc.id, 0, 6, "GPE")
    before = path.read_bytes()
    with annotator.open_project(path, annotator="ana") as proj:
        proj.add_span(doc.id, 16, 23, "GPE")
    assert path.read_bytes() != before
