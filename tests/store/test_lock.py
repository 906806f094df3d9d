"""The writer lock is on the database file itself: a second writer through a symlink, a hard
link, or after someone deleted a lock file is refused, and no ``.lock`` file is left beside
the project (#9.6, #10.5)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import annotator
from annotator.errors import ProjectInUseError

REPO_ROOT = Path(__file__).resolve().parents[2]
HOLD = r'''
import sys, annotator
project = annotator.open_project(sys.argv[1])
print("READY", flush=True)
sys.stdin.readline()
project.close()
'''
OLD_RELEASE_HOLD = r'''
import fcntl, os, sys
fh = open(sys.argv[1] + ".lock", "a+")  # what release 0.1 did beside the project
fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
fh.write(f"{os.getpid()} host\n"); fh.flush()
print("READY", flush=True)
sys.stdin.readline()
'''


def hold(script: str, path: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", script, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "READY"
    return proc


def finish(proc: subprocess.Popen) -> None:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("\n")
    proc.stdin.close()
    assert proc.wait(30) == 0
    proc.stdout.close()


@pytest.fixture
def path(tmp_path) -> Path:
    path = tmp_path / "real" / "news.annproj"
    path.parent.mkdir()
    with annotator.create_project(path) as proj:
        proj.add_document("Russia attacked Ukraine.", name="story")
    return path


@pytest.fixture
def aliases(path, tmp_path) -> list[Path]:
    symlink = tmp_path / "link.annproj"
    symlink.symlink_to(path)
    hardlink = tmp_path / "hard.annproj"
    os.link(path, hardlink)
    folder_link = tmp_path / "via-folder"
    folder_link.symlink_to(path.parent, target_is_directory=True)
    return [symlink, hardlink, folder_link / path.name, path.parent / ".." / "real" / path.name]


@pytest.fixture
def holder(path) -> Iterator[subprocess.Popen]:
    proc = hold(HOLD, path)
    yield proc
    if proc.poll() is None:
        finish(proc)


def lock_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.lock"))


def test_a_second_process_is_refused_through_every_alias(path, aliases, holder, tmp_path):
    for alias in [path, *aliases]:
        with pytest.raises(ProjectInUseError, match=f"process {holder.pid}"):
            annotator.open_project(alias)
    assert lock_files(tmp_path) == []  # nothing to delete, nothing to get around
    with annotator.open_project(aliases[0], fallback_readonly=True) as view:
        assert view.read_only and str(holder.pid) in (view.read_only_reason or "")
    finish(holder)
    with annotator.open_project(aliases[0]) as proj:  # free once the holder closed
        assert not proj.read_only


def test_the_same_process_is_refused_through_every_alias(path, aliases, tmp_path):
    with annotator.open_project(path) as first:
        for alias in aliases:
            with pytest.raises(ProjectInUseError, match="this process"):
                annotator.open_project(alias)
        first.add_span(first.document_ids()[0], 0, 6, "GPE")  # its connection is unharmed
    for alias in aliases:
        annotator.open_project(alias).close()
    assert lock_files(tmp_path) == []


def test_no_lock_file_is_left_beside_the_project(path, tmp_path):
    with annotator.open_project(path) as proj:
        proj.add_span(proj.document_ids()[0], 0, 6, "GPE")
        assert lock_files(tmp_path) == []
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_lock_file_held_by_release_0_1_is_honoured_and_a_stale_one_removed(path):
    old = hold(OLD_RELEASE_HOLD, path)
    try:
        with pytest.raises(ProjectInUseError, match=f"process {old.pid}"):
            annotator.open_project(path)
    finally:
        finish(old)
    assert path.with_name(path.name + ".lock").exists()  # stale now: its holder is gone
    annotator.open_project(path).close()
    assert not path.with_name(path.name + ".lock").exists()
