"""The SQLite store: pragmas, one transaction per edit, atomic failure, opening rules."""

from __future__ import annotations

import sqlite3

import pytest

import annotator
from annotator.errors import ProjectError, ProjectExistsError, ReadOnlyProjectError
from annotator.store.store import APPLICATION_ID

TEXT = "Russia attacked Ukraine on Monday, said John Smith in Brussels."


def at(word: str) -> tuple[int, int]:
    i = TEXT.index(word)
    return i, i + len(word)


@pytest.fixture
def doc(project):
    return project.add_document(TEXT, name="story")


def test_wal_foreign_keys_and_application_id(project):
    conn = sqlite3.connect(project.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        conn.close()
    own = project._store.conn
    assert own.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert own.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert own.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL, WAL flushed apart
    with pytest.raises(sqlite3.IntegrityError):  # foreign keys are enforced
        own.execute("INSERT INTO spans (id, doc_id, annotator, start, \"end\", label, kind, "
                    "status, origin, created_by, created_at, modified_by, modified_at) VALUES "
                    "('x', 'no-doc', 'a', 0, 1, 'PER', 'entity', 'gold', 'manual', 'a', '', "
                    "'a', '')")


def traced(project):
    statements: list[str] = []
    project._store.conn.set_trace_callback(statements.append)
    return statements


def transactions(statements: list[str]) -> list[str]:
    """The transaction boundaries (savepoints of nested operations live inside one)."""
    return [s.split()[0].upper() for s in statements
            if s.split()[0].upper() in ("BEGIN", "COMMIT", "ROLLBACK", "END")]


def test_each_edit_is_exactly_one_transaction(project, doc):
    russia = project.add_span(doc.id, *at("Russia"), "GPE")
    john = project.add_span(doc.id, *at("John Smith"), "PER")
    statements = traced(project)
    edits = [
        lambda: project.add_span(doc.id, *at("Ukraine"), "GPE"),
        lambda: project.add_relation("ORG-AFF.Employment", john.id, russia.id),
        lambda: project.add_trigger_event(doc.id, *at("attacked"), "Conflict.Attack",
                                          arguments=[("Attacker", russia.id)]),
        lambda: project.delete_span(russia.id),  # cascades over several tables
        project.undo,
        project.redo,
        lambda: project.rename_label("PER", "Person"),
        lambda: project.set_status(doc.id, "done"),
    ]
    for edit in edits:
        statements.clear()
        edit()
        assert transactions(statements) == ["BEGIN", "COMMIT"], statements
    statements.clear()
    with project.compound("Two"):
        project.add_span(doc.id, *at("Monday"), "TIME")
        project.add_span(doc.id, *at("Brussels"), "GPE")
    assert transactions(statements) == ["BEGIN", "COMMIT"]
    project._store.conn.set_trace_callback(None)


def test_another_connection_never_sees_half_an_edit(project, doc):
    reader = sqlite3.connect(project.path)
    count = lambda: reader.execute("SELECT count(*) FROM spans").fetchone()[0]  # noqa: E731
    try:
        with project.compound("Three spans"):
            project.add_span(doc.id, *at("Russia"), "GPE")
            project.add_span(doc.id, *at("Ukraine"), "GPE")
            assert count() == 0
            project.add_span(doc.id, *at("Monday"), "TIME")
            assert count() == 0
        assert count() == 3
    finally:
        reader.close()


def test_a_failure_in_the_middle_of_an_edit_leaves_nothing(project, doc, snapshot,
                                                           monkeypatch):
    russia = project.add_span(doc.id, *at("Russia"), "GPE")
    ukraine = project.add_span(doc.id, *at("Ukraine"), "GPE")
    project.add_relation("PHYS.Near", russia.id, ukraine.id)
    project.add_trigger_event(doc.id, *at("attacked"), "Conflict.Attack",
                              arguments=[("Attacker", russia.id)])
    before = snapshot(project)
    label = project.undo_label
    store = project._store
    real_delete = store.delete_row
    calls = []

    def flaky(table, row):
        calls.append(table)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        real_delete(table, row)

    monkeypatch.setattr(store, "delete_row", flaky)
    with pytest.raises(sqlite3.OperationalError):
        project.delete_span(russia.id)
    monkeypatch.setattr(store, "delete_row", real_delete)
    assert calls == ["relations", "event_args"]  # one row was already deleted
    assert snapshot(project) == before
    assert project.undo_label == label
    project.delete_span(russia.id)  # the project still works afterwards
    project.undo()
    assert snapshot(project) == before


def test_create_and_open_refusals(tmp_path):
    path = tmp_path / "p.annproj"
    annotator.create_project(path).close()
    before = path.read_bytes()
    with pytest.raises(ProjectExistsError):
        annotator.create_project(path)
    assert path.read_bytes() == before
    with pytest.raises(ProjectError):
        annotator.create_project(tmp_path / "missing-dir" / "p.annproj")
    with pytest.raises(ProjectError, match="does not exist"):
        annotator.open_project(tmp_path / "nope.annproj")


def test_close_releases_the_file_and_reopen_keeps_everything(tmp_path):
    path = tmp_path / "p.annproj"
    with annotator.create_project(path, annotator="ana", lang="en") as proj:
        d = proj.add_document(TEXT, name="story")
        span = proj.add_span(d.id, *at("Russia"), "GPE")
    with annotator.open_project(path, annotator="ana") as proj:
        assert proj.span(span.id) == span
        assert proj.lang == "en"
        assert proj.path == path
        assert proj.backup_path is None  # nothing to migrate
        assert proj.check() == []


def test_readonly_view_reads_and_refuses_edits(tmp_path):
    path = tmp_path / "p.annproj"
    with annotator.create_project(path, annotator="ana") as proj:
        d = proj.add_document(TEXT, name="story")
        span = proj.add_span(d.id, *at("Russia"), "GPE")
    with annotator.open_project(path, annotator="ana", readonly=True) as ro:
        assert ro.readonly
        assert ro.span(span.id) == span
        assert ro.document(d.id).text == TEXT
        assert [s.id for s in ro.spans(d.id)] == [span.id]
        for edit in (lambda: ro.add_span(d.id, *at("Monday"), "TIME"),
                     lambda: ro.update_span(span.id, label="LOC"),
                     lambda: ro.delete_span(span.id),
                     lambda: ro.set_status(d.id, "done"),
                     lambda: ro.rename_label("GPE", "Geo"),
                     lambda: ro.set_schema("news-basic"),
                     lambda: ro.add_document("Another text.", name="x")):
            with pytest.raises(ReadOnlyProjectError):
                edit()
        assert not ro.can_undo
        # a writer may open while a read-only view is open
        with annotator.open_project(path, annotator="bob") as writer:
            writer.add_span(d.id, *at("Monday"), "TIME")
        assert len(ro.spans(d.id, None)) == 2
    with annotator.open_project(path, annotator="ana") as proj:
        assert len(proj.spans(d.id, None)) == 2


def test_worker_copy_shares_the_file(project, doc):
    worker = project.worker_copy()
    try:
        span = project.add_span(doc.id, *at("Russia"), "GPE")
        assert worker.span(span.id) == span
        other = worker.add_span(doc.id, *at("Ukraine"), "GPE")
        assert project.span(other.id) == other
    finally:
        worker.close()
    project.add_span(doc.id, *at("Monday"), "TIME")  # the main connection still writes


def test_every_commit_is_flushed_to_disk_off_the_callers_thread(project, monkeypatch):
    """synchronous=NORMAL: the commit returns once the OS has it; the WAL-sync thread then
    fsyncs the log (power-cut safety) and close() flushes a last time."""
    import os
    import threading

    from annotator.store.walsync import THREAD_NAME

    # core.parallel may fork beside exactly this thread (it reads THREAD_NAME)
    synced: list[tuple[str, str]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append((threading.current_thread().name, os.readlink(f"/proc/self/fd/{fd}")
                       if os.path.exists("/proc/self/fd") else ""))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    doc = project.add_document("Russia met NATO.", name="d")
    project.add_span(doc.id, 0, 6, "GPE")
    assert project._store.wait_synced(timeout=10)
    assert synced and all(name == THREAD_NAME for name, _ in synced)
    assert all(path.endswith("-wal") for _, path in synced if path)
    synced.clear()
    thread = project._store._wal_sync._thread
    project.close()
    assert synced  # a last flush on close
    assert not thread.is_alive()
