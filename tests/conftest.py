"""Shared fixtures: a fresh project in tmp_path, the repository root, the shared data folder."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import pytest

import annotator

REPO_ROOT = Path(__file__).resolve().parent.parent

# The suite never reads or writes the user's own settings: the window's QSettings live under
# $XDG_CONFIG_HOME on Linux, so the whole run gets a private folder before any window is made
# (a run used to add its temporary projects to the user's Open Recent and could turn the live
# gold dictionary off for the user, and a user's settings changed what the tests saw).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="annotator-tests-config-")


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def shared_dir() -> Path:
    path = REPO_ROOT.parent / "shared"
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture
def project(tmp_path: Path):
    """An empty ace2005-news project edited by annotator "ana"; closed after the test."""
    proj = annotator.create_project(tmp_path / "test.annproj", schema="ace2005-news",
                                    annotator="ana")
    yield proj
    proj.close()


TABLES = ("project_meta", "documents", "doc_status", "spans", "events", "event_args",
          "relations")


def db_snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every annotation table (sorted), read through a separate connection."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in TABLES}
    finally:
        conn.close()


@pytest.fixture
def snapshot():
    """``snapshot(project)``: the full committed content of a project's annotation tables."""
    return lambda proj: db_snapshot(proj.path)


@pytest.fixture
def cli(capsys, monkeypatch):
    """cli(*args) -> (exit code, stdout, stderr), running the command line's main() in this
    process as the annotator "gold"."""
    from annotator.cli import main

    monkeypatch.setenv("ANNOTATOR_USER", "gold")
    monkeypatch.delenv("ANNOTATOR_PROGRESS", raising=False)
    monkeypatch.delenv("ANNOTATOR_DEBUG", raising=False)

    def run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run tests marked slow (soak and kill loops)")


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` run only with --run-slow or when ``-m`` names them."""
    if config.getoption("--run-slow") or "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow or -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def word_offsets(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    """(start, end) code-point offsets of the ``nth`` occurrence of ``word`` in ``text`` (the
    tests' way of placing a span on a word)."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(word, i + 1)
    return i, i + len(word)


@pytest.fixture
def small_chunks(monkeypatch):
    """Imports use worker processes from 20 documents on, chunks of 8, one worker process."""
    from annotator.core import import_workers

    monkeypatch.setattr(import_workers, "PARALLEL_MIN", 20)
    monkeypatch.setattr(import_workers, "CHUNK", 8)
    monkeypatch.setattr(import_workers, "WARM", 4)
    monkeypatch.setenv("ANNOTATOR_PROCESSES", "2")
