"""A second process: refused as a writer (naming the holder), served read-only on request,
the lock freed when the holder exits or is killed, and nothing corrupted either way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import annotator
from annotator.errors import ProjectInUseError, ReadOnlyProjectError

REPO_ROOT = Path(__file__).resolve().parents[2]
TEXT = "Russia attacked Ukraine on Monday, said John Smith in Brussels."

HOLDER = r'''
import os, sys, time, uuid
from pathlib import Path
import annotator

path = Path(sys.argv[1])
stop = Path(sys.argv[2])
project = annotator.open_project(path, annotator="alice")
doc = project.document_ids()[0]
print("READY", os.getpid(), flush=True)
labels = ["PER", "ORG", "GPE", "LOC"]
i = 0
while not stop.exists():
    sid = uuid.uuid4().hex
    project.add_span(doc, 0, 6, labels[i % 4], id=sid)
    if i % 5 == 4:
        project.update_span(sid, note=f"edit {i}")
    print("OK", sid, labels[i % 4], flush=True)
    i += 1
    time.sleep(0.002)
project.close()
print("DONE", flush=True)
'''


class Holder:
    """Process A: holds the project open for writing and keeps adding spans."""

    def __init__(self, path: Path) -> None:
        self.stop_file = path.with_name("stop-holder")
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path), str(self.stop_file)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True, bufsize=1)
        self.ok: dict[str, str] = {}
        self.pid = 0
        self.done = False
        self._ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        assert self._ready.wait(60), "holder did not start: " + self.stderr()
        assert self.pid, "holder failed: " + self.stderr()

    def _read(self) -> None:
        for line in self.proc.stdout:  # type: ignore[union-attr]
            if not line.endswith("\n"):
                continue
            parts = line.split()
            if parts[0] == "READY":
                self.pid = int(parts[1])
                self._ready.set()
            elif parts[0] == "OK":
                self.ok[parts[1]] = parts[2]
            elif parts[0] == "DONE":
                self.done = True
        self._ready.set()

    def stderr(self) -> str:
        if self.proc.poll() is None:
            return ""
        return self.proc.stderr.read() if self.proc.stderr else ""  # type: ignore[union-attr]

    def wait_for_edits(self, n: int) -> None:
        deadline = time.monotonic() + 30
        while len(self.ok) < n and time.monotonic() < deadline and self.proc.poll() is None:
            time.sleep(0.01)
        assert len(self.ok) >= n, "holder made no progress: " + self.stderr()

    def stop(self) -> int:
        self.stop_file.touch()
        code = self.proc.wait(30)
        self._reader.join(30)
        return code

    def kill(self) -> int:
        self.proc.send_signal(signal.SIGKILL)
        code = self.proc.wait(30)
        self._reader.join(30)
        return code

    def cleanup(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        # the reader must see the end of the pipe before it is closed under it (closing it
        # first made the thread raise on a closed file)
        self._reader.join(30)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()


@pytest.fixture
def shared_project(tmp_path) -> tuple[Path, str]:
    path = tmp_path / "shared.annproj"
    with annotator.create_project(path, annotator="ana") as proj:
        doc = proj.add_document(TEXT, name="story")
        proj.add_span(doc.id, 0, 6, "GPE")
    return path, doc.id


@pytest.fixture
def holder(shared_project):
    h = Holder(shared_project[0])
    yield h
    h.cleanup()


def check_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def assert_all_there(path: Path, doc_id: str, ok: dict[str, str]) -> None:
    with annotator.open_project(path, annotator="alice") as proj:
        spans = {s.id: s.label for s in proj.spans(doc_id)}
        assert [p for p in proj.check() if p.code == "integrity"] == []
    missing = {sid: label for sid, label in ok.items() if spans.get(sid) != label}
    assert missing == {}


def test_second_writer_is_refused_naming_the_holder(shared_project, holder):
    path, _ = shared_project
    with pytest.raises(ProjectInUseError) as info:
        annotator.open_project(path, annotator="bob")
    message = str(info.value)
    assert str(path) in message
    assert "open for writing in another process" in message
    assert str(holder.pid) in message  # names the holder
    assert "read-only" in message  # and says what to do instead


def test_fallback_readonly_reads_while_the_holder_writes(shared_project, holder):
    path, doc_id = shared_project
    holder.wait_for_edits(5)
    with annotator.open_project(path, annotator="bob", fallback_readonly=True) as view:
        assert view.readonly
        assert view.document(doc_id).text == TEXT
        assert [d.id for d in view.documents()] == [doc_id]
        seen = 0
        for _ in range(30):  # read repeatedly while A keeps editing
            reported = dict(holder.ok)
            spans = {s.id: s.label for s in view.spans(doc_id, "alice")}
            assert len(spans) >= seen
            seen = len(spans)
            # every edit A reported before this read is visible to B
            assert all(spans.get(sid) == label for sid, label in reported.items())
            assert view.annotations(doc_id, "ana").spans[0].label == "GPE"
            time.sleep(0.01)
        with pytest.raises(ReadOnlyProjectError):
            view.add_span(doc_id, 0, 6, "PER")
        with pytest.raises(ReadOnlyProjectError):
            view.update_span(view.spans(doc_id, "ana")[0].id, label="LOC")
        with pytest.raises(ReadOnlyProjectError):
            view.set_status(doc_id, "done")
        assert [p for p in view.check() if p.code == "integrity"] == []
    assert holder.stop() == 0
    assert holder.done
    check_file(path)
    assert_all_there(path, doc_id, holder.ok)
    assert len(holder.ok) > 5


def test_explicit_readonly_open_needs_no_lock(shared_project, holder):
    path, doc_id = shared_project
    with annotator.open_project(path, readonly=True) as view:
        assert view.readonly and view.document_ids() == [doc_id]
        with pytest.raises(ReadOnlyProjectError):
            view.delete_span(view.spans(doc_id, "ana")[0].id)


def test_lock_is_free_after_the_holder_exits(shared_project, holder):
    path, doc_id = shared_project
    holder.wait_for_edits(3)
    assert holder.stop() == 0
    with annotator.open_project(path, annotator="bob") as proj:
        assert not proj.readonly
        proj.add_span(doc_id, 0, 6, "ORG")
    check_file(path)
    assert_all_there(path, doc_id, holder.ok)


def test_lock_is_free_after_the_holder_is_killed(shared_project, holder):
    path, doc_id = shared_project
    holder.wait_for_edits(10)
    with pytest.raises(ProjectInUseError):
        annotator.open_project(path)
    assert holder.kill() == -signal.SIGKILL
    check_file(path)
    with annotator.open_project(path, annotator="bob") as proj:  # no stale lock
        assert not proj.readonly
        proj.add_span(doc_id, 0, 6, "ORG")
    assert_all_there(path, doc_id, holder.ok)


def test_same_process_cannot_open_twice_for_writing(shared_project):
    path, _ = shared_project
    with annotator.open_project(path) as first:
        with pytest.raises(ProjectInUseError):
            annotator.open_project(path)
        with annotator.open_project(path, fallback_readonly=True) as view:
            assert view.readonly and not first.readonly
    annotator.open_project(path).close()
