"""A damaged project file (pages overwritten) is refused for writing with a message that says
how to recover, is never written into, and still opens read-only as far as it can (#9.4)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

import annotator
from annotator.errors import DamagedProjectError, ProjectError

TEXT = "Russia attacked Ukraine on Monday, said John Smith in Brussels. "


def page_of(path: Path, table: str) -> tuple[int, int]:
    """(page size, a page number holding rows of ``table``) of a closed project file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,))]
    except sqlite3.OperationalError:  # SQLite without dbstat: a page well inside the file
        return size, path.stat().st_size // size // 2
    finally:
        conn.close()
    return size, pages[len(pages) // 2]


@pytest.fixture
def damaged(tmp_path) -> tuple[Path, list[str]]:
    """A project of 60 long documents with the middle leaf page of its text overwritten."""
    path = tmp_path / "damaged.annproj"
    with annotator.create_project(path, annotator="ana") as proj:
        names = []
        for i in range(60):
            doc = proj.add_document(f"Story {i}. " + TEXT * 30, name=f"story-{i}")
            proj.add_span(doc.id, 0, 5, "PER")
            names.append(doc.name)
    size, page = page_of(path, "document_content")
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(os.urandom(size))
    return path, names


def test_a_damaged_file_is_refused_for_writing_with_a_way_to_recover(damaged):
    path, _ = damaged
    backup = path.with_name(path.name + ".v2-20261201-120000.bak")
    shutil.copyfile(path, backup)  # a backup beside it is named in the message
    before = path.read_bytes()
    with pytest.raises(DamagedProjectError) as info:
        annotator.open_project(path)
    message = str(info.value)
    assert str(path) in message and "damaged" in message
    assert backup.name in message
    assert "annotator export --format jsonl" in message
    assert path.read_bytes() == before  # nothing written, not even the journal mode
    with pytest.raises(DamagedProjectError):  # and the refusal released the lock
        annotator.open_project(path)


def test_a_damaged_file_still_reads_as_far_as_it_can(damaged):
    path, names = damaged
    with annotator.open_project(path, annotator="ana", readonly=True) as view:
        assert view.readonly
        assert [d.name for d in view.documents()] == names  # the document list is intact
        problems = [p for p in view.check([]) if p.code == "integrity"]
        assert problems and all(p.severity == "error" for p in problems)
        readable = 0
        for doc_id in view.document_ids():
            try:
                view.document(doc_id)
                readable += 1
            except (sqlite3.DatabaseError, ProjectError):
                pass
        assert 0 < readable < len(names) + 1


def test_a_sound_file_opens_after_the_check(tmp_path):
    path = tmp_path / "sound.annproj"
    with annotator.create_project(path) as proj:
        proj.add_document(TEXT, name="story")
    with annotator.open_project(path) as proj:
        assert not proj.readonly and proj.document_count() == 1


def test_a_background_check_refuses_the_first_write_to_a_damaged_file(damaged):
    """verify="background" (the window's way: first paint before quick_check) keeps #9.4's
    promise: the first write waits for the check and a damaged file is never written."""
    import time

    path, names = damaged
    before = path.read_bytes()
    proj = annotator.open_project(path, annotator="ana", verify="background")
    try:
        assert [d.name for d in proj.documents()] == names  # reads go ahead meanwhile
        with pytest.raises(DamagedProjectError) as info:
            proj.set_status(proj.document_ids()[0], "done")
        assert "damaged" in str(info.value) and "annotator export --format jsonl" in str(info.value)
        deadline = time.monotonic() + 30
        while proj.verified is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proj.verified is False and proj.damage is not None and str(path) in proj.damage
        with pytest.raises(DamagedProjectError):  # every later write too
            proj.set_status(proj.document_ids()[0], "done")
    finally:
        proj.close()
    assert path.read_bytes() == before


def test_a_background_check_of_a_sound_file_lets_writes_through(tmp_path):
    path = tmp_path / "sound.annproj"
    with annotator.create_project(path, annotator="ana") as proj:
        doc = proj.add_document(TEXT, name="story")
    proj = annotator.open_project(path, annotator="ana", verify="background")
    try:
        proj.add_span(doc.id, 0, 6, "GPE")  # waits for the check, then writes
        assert proj.verified is True and proj.damage is None
    finally:
        proj.close()
    with annotator.open_project(path, annotator="ana", readonly=True) as view:
        assert [s.label for s in view.annotations(doc.id).spans] == ["GPE"]


def test_closing_during_a_background_check_ends_it(tmp_path):
    path = tmp_path / "sound.annproj"
    with annotator.create_project(path, annotator="ana") as proj:
        proj.add_document(TEXT, name="story")
    for _ in range(5):
        annotator.open_project(path, annotator="ana", verify="background").close()
    with annotator.open_project(path, annotator="ana") as again:  # lock released each time
        assert again.document_count() == 1
