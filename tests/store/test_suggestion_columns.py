"""Step 0005_suggestions: a release 0.1 file gains the suggestion columns and the origin
``dictionary`` with its rows, references and CHECK constraints intact."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import annotator
from tests.fixtures import make_release_0_1 as release

FIXTURE = Path(release.__file__).with_name("release_0_1.annproj")


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def test_a_migrated_release_file_takes_suggestions_and_keeps_its_constraints(tmp_path):
    path = tmp_path / "old.annproj"
    shutil.copyfile(FIXTURE, path)
    with annotator.open_project(path, annotator="ana") as proj:
        assert proj.check() == []  # includes PRAGMA foreign_key_check
        span = proj.add_span("d-third", 10, 15, "WEA", status="suggested", origin="dictionary")
        assert proj.span(span.id).origin == "dictionary"
        assert proj.event("e-attack").type == "Conflict.Attack"
    conn = sqlite3.connect(path)
    try:
        for table in ("spans", "events", "relations", "event_args"):
            assert {"source", "score"} <= set(columns(conn, table)), table
        assert {"status", "origin"} <= set(columns(conn, "event_args"))
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master "
                                              "WHERE type = 'index'")}
        assert {"spans_doc", "spans_annotator", "spans_label", "spans_suggestions"} <= indexes
        conn.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):  # the CHECKs are still there
            conn.execute("UPDATE spans SET origin = 'guess' WHERE id = ?", (span.id,))
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE event_args SET status = 'maybe'")
        with pytest.raises(sqlite3.IntegrityError):  # and the foreign keys
            conn.execute("DELETE FROM spans WHERE id IN (SELECT trigger_id FROM events)")
    finally:
        conn.close()

