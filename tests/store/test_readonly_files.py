"""A project file nobody may write, or one in a read-only folder, opens read-only with the
reason, reads completely and refuses edits saying why (#9.5).

The protection is real: chmod when the tests run as a normal user; as root (whom chmod does not
stop) the immutable attribute (chattr +i), which stops root too; skipped when neither works."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import annotator
from annotator.errors import ProjectError, ReadOnlyProjectError
from tests.fixtures import make_release_0_1 as release

TEXT = "Russia attacked Ukraine on Monday."


@contextmanager
def write_protected(path: Path) -> Iterator[None]:
    """``path`` (a file or a folder) cannot be written while inside, even by root."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: no way to make a file read-only")
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"running as root and chattr +i failed: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.fixture
def made(tmp_path) -> tuple[Path, str]:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "news.annproj"
    with annotator.create_project(path, annotator="ana") as proj:
        doc = proj.add_document(TEXT, name="story")
        proj.add_span(doc.id, 0, 6, "GPE")
    for leftover in folder.iterdir():  # only the file itself (a clean copy handed around)
        if leftover != path:
            leftover.unlink()
    return path, doc.id


def edits(proj, doc_id: str):
    span_id = proj.spans(doc_id)[0].id
    return [lambda: proj.add_span(doc_id, 16, 23, "GPE"),
            lambda: proj.update_span(span_id, label="LOC"),
            lambda: proj.set_status(doc_id, "done")]


def test_a_read_only_file_opens_read_only_and_says_why(made):
    path, doc_id = made
    before = path.read_bytes()
    with write_protected(path), annotator.open_project(path, annotator="ana") as proj:
        # asked for writing
        assert proj.read_only and proj.readonly
        assert "read-only" in proj.read_only_reason and path.name in proj.read_only_reason
        assert proj.spans(doc_id)[0].label == "GPE"
        assert proj.search("attacked") == [doc_id]
        for edit in edits(proj, doc_id):
            with pytest.raises(ReadOnlyProjectError) as info:
                edit()
            assert proj.read_only_reason in str(info.value)
    assert path.read_bytes() == before


def test_a_project_in_a_read_only_folder_can_be_read(made):
    path, doc_id = made
    before = path.read_bytes()
    with write_protected(path.parent):
        for readonly in (False, True):
            with annotator.open_project(path, annotator="ana", readonly=readonly) as proj:
                assert proj.read_only
                assert [d.name for d in proj.documents()] == ["story"]
                assert proj.annotations(doc_id).spans[0].label == "GPE"
                with proj.snapshot():
                    assert proj.stats()["spans"] == {"ana": {"GPE": 1}}
                if not readonly:
                    assert "folder" in proj.read_only_reason
                    with pytest.raises(ReadOnlyProjectError, match="folder"):
                        edits(proj, doc_id)[0]()
        assert sorted(path.parent.iterdir()) == [path]  # nothing could be created, or was
        with pytest.raises(ProjectError, match="read-only"):
            annotator.create_project(path.parent / "new.annproj")
    assert path.read_bytes() == before


def test_a_release_0_1_file_in_a_read_only_folder_can_be_read(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    path = folder / "old.annproj"
    shutil.copyfile(Path(release.__file__).with_name("release_0_1.annproj"), path)
    with write_protected(folder), annotator.open_project(path, annotator="ana") as proj:
        assert proj.read_only and proj.backup_path is None  # not migrated: cannot be
        assert proj.event("e-attack").type == "Conflict.Attack"
        assert proj.search("ministers met") == ["d-second"]


def test_explicit_read_only_and_writable_files_report_their_state(made):
    path, _ = made
    with annotator.open_project(path) as proj:
        assert not proj.read_only and proj.read_only_reason is None
    with annotator.open_project(path, readonly=True) as proj:
        assert proj.read_only and proj.read_only_reason == "it was opened read-only"


def test_a_link_to_a_project_in_a_read_only_folder_opens_read_only(made, tmp_path):
    path, doc_id = made
    link = tmp_path / "link.annproj"
    link.symlink_to(path)
    with write_protected(path.parent), annotator.open_project(link, annotator="ana") as proj:
        assert proj.read_only and str(path.parent) in (proj.read_only_reason or "")
        assert proj.spans(doc_id)[0].label == "GPE"


def test_a_journal_left_in_a_read_only_folder_is_not_silently_ignored(made):
    path, doc_id = made
    with annotator.open_project(path, annotator="ana") as proj:
        proj.add_span(doc_id, 16, 23, "GPE")
        # a writer that crashed here leaves its edits in the -wal journal
        wal = path.with_name(path.name + "-wal")
        saved = wal.read_bytes()
        proj._store.wait_synced()
    wal.write_bytes(saved)
    assert len(saved) > 0
    with write_protected(path.parent), pytest.raises(ProjectError, match="-wal.*writable"):
        annotator.open_project(path, annotator="ana")
