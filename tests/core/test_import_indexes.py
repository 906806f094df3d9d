"""A large import into empty tables drops their secondary indexes inside its transaction and
makes them again before the commit: the project ends with the same indexes, answering the
same queries, and an import that fails midway leaves them as they were."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

import annotator
from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Span
from annotator.errors import ValidationError

needs_fork = pytest.mark.skipif(sys.platform == "win32", reason="workers are forked")



def _indexes(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"
                            " ORDER BY name").fetchall()
    finally:
        conn.close()


def _docs(count: int, bad_at: int | None = None):
    for i in range(count):
        end = 0 if i == bad_at else 6  # an empty span refuses the whole import
        yield DocumentInput(text=f"Report {i}. Troops left Gori.", name=f"d{i}", sets={
            "gold": Annotations(spans=[Span(id=f"s{i}", doc_id="", start=0, end=end,
                                            label="PER")])})


@needs_fork
def test_indexes_are_made_again_after_a_large_import(tmp_path, small_chunks) -> None:
    path = tmp_path / "p.annproj"
    project = annotator.create_project(path, schema="news-basic")
    before = _indexes(path)
    assert any(name == "spans_doc" for name, _, _ in before)
    project.add_documents(_docs(60))
    assert _indexes(path) == before
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        plan = " ".join(r[-1] for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM spans WHERE doc_id = ? AND annotator = ?",
            ("x", "gold")))
        assert "spans_doc" in plan
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert len(project.documents()) == 60
    project.close()


@needs_fork
def test_a_failed_large_import_leaves_the_indexes_and_no_rows(tmp_path, small_chunks) -> None:
    path = tmp_path / "p.annproj"
    project = annotator.create_project(path, schema="news-basic")
    before = _indexes(path)
    with pytest.raises(ValidationError):
        project.add_documents(_docs(60, bad_at=50))
    assert _indexes(path) == before
    assert project.documents() == []
    project.close()
