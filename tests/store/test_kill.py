"""Kill test: a child process edits a project and is SIGKILLed at a random moment; the file
must be intact, open normally, and hold every edit the child reported as done.

The child prints ``DO <n> <effects>`` before each call and ``OK <n> <effects>`` (flushed) after
it returns. Effects are ``s:<span id>=<label or ->`` and ``r:<relation id>=<+ or ->``. An edit
with an OK line must be in the file; the one edit in flight may be there or not, but entirely
(all its effects, or none).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import annotator

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

REPO_ROOT = Path(__file__).resolve().parents[2]
TEXT = ("Russia attacked Ukraine on Monday, said John Smith and his brother Paul Smith in "
        "Brussels. The NATO meeting in Paris ended early; officials from France and Germany "
        "left for Berlin.")

CHILD = r'''
import random, sys, uuid
import annotator

path, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
project = annotator.open_project(path, annotator="ana")
doc = project.document_ids()[0]
words = [t for t in project.document(doc).tokens]
labels = {s.id: s.label for s in project.spans(doc)}
rel_ends = {r.id: (r.head_id, r.tail_id) for r in project.annotations(doc).relations}
rels = set(rel_ends)
undo, redo = [], []  # mirror of the project's history: (effects, inverse) per step


def state(key):
    kind, ident = key.split(":", 1)
    if kind == "s":
        return labels.get(ident, "-")
    return "+" if ident in rels else "-"


def apply(effects):
    for key, value in effects.items():
        kind, ident = key.split(":", 1)
        if kind == "s":
            if value == "-":
                labels.pop(ident, None)
            else:
                labels[ident] = value
        elif value == "+":
            rels.add(ident)
        else:
            rels.discard(ident)


def say(tag, n, effects):
    print(tag, n, " ".join(f"{k}={v}" for k, v in sorted(effects.items())), flush=True)


print("READY", flush=True)
n = 0
while True:
    n += 1
    op = rng.choice(["add", "add", "add", "relabel", "relabel", "relation", "delete", "undo",
                     "redo", "compound"])
    live = sorted(labels)
    label = rng.choice(["PER", "ORG", "GPE", "LOC"])
    if op in ("relabel", "delete", "relation") and len(live) < 2:
        op = "add"
    if op == "undo" and not undo or op == "redo" and not redo:
        op = "add"
    if op == "add":
        sid = uuid.uuid4().hex
        s, e = rng.choice(words)
        effects = {"s:" + sid: label}
        call = lambda: project.add_span(doc, s, e, label, id=sid)
    elif op == "compound":
        a, b = uuid.uuid4().hex, uuid.uuid4().hex
        (s1, e1), (s2, e2) = rng.choice(words), rng.choice(words)
        effects = {"s:" + a: label, "s:" + b: "ORG"}

        def call():
            with project.compound("Two spans"):
                project.add_span(doc, s1, e1, label, id=a)
                project.add_span(doc, s2, e2, "ORG", id=b)
    elif op == "relabel":
        sid = rng.choice(live)
        label = {"PER": "ORG", "ORG": "GPE", "GPE": "LOC", "LOC": "PER"}[labels[sid]]
        effects = {"s:" + sid: label}
        call = lambda: project.update_span(sid, label=label)
    elif op == "relation":
        rid = uuid.uuid4().hex
        head, tail = rng.sample(live, 2)
        rel_ends[rid] = (head, tail)
        effects = {"r:" + rid: "+"}
        call = lambda: project.add_relation("PHYS.Near", head, tail, id=rid)
    elif op == "delete":
        sid = rng.choice(live)
        effects = {"s:" + sid: "-"}
        for rid in rels:
            if sid in rel_ends[rid]:
                effects["r:" + rid] = "-"
        call = lambda: project.delete_span(sid)
    if op == "undo":
        effects, inverse = undo[-1]
        say("DO", n, inverse)
        project.undo()
        redo.append(undo.pop())
        apply(inverse)
        say("OK", n, inverse)
        continue
    if op == "redo":
        effects, inverse = redo[-1]
        say("DO", n, effects)
        project.redo()
        undo.append(redo.pop())
        apply(effects)
        say("OK", n, effects)
        continue
    inverse = {key: state(key) for key in effects}
    say("DO", n, effects)
    call()
    undo.append((effects, inverse))
    redo.clear()
    apply(effects)
    say("OK", n, effects)
'''


def parse(line: str) -> tuple[str, int, dict[str, str]]:
    tag, n, *pairs = line.split()
    return tag, int(n), dict(p.split("=", 1) for p in pairs)


def actual_state(project, key: str) -> str:
    kind, ident = key.split(":", 1)
    if kind == "s":
        row = project._store.get_row("spans", ident)
        return "-" if row is None else row["label"]
    return "+" if project._store.get_row("relations", ident) is not None else "-"


def make_project(path: Path) -> dict[str, str]:
    with annotator.create_project(path, annotator="ana") as proj:
        doc = proj.add_document(TEXT, name="story")
        a = proj.add_span(doc.id, 0, 6, "GPE")
        b = proj.add_span(doc.id, 16, 23, "GPE")
        r = proj.add_relation("PHYS.Near", a.id, b.id)
    return {f"s:{a.id}": "GPE", f"s:{b.id}": "GPE", f"r:{r.id}": "+"}


def run_child_and_kill(path: Path, seed: int, delay: float) -> tuple[list[str], str, int]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(seed)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
                            bufsize=1)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith("READY"):
                ready.set()
            elif line.endswith("\n"):  # a line cut by the kill is not a report
                lines.append(line.strip())
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(60), "child did not start"
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(30)
    stderr = proc.stderr.read() if proc.stderr else ""  # type: ignore[union-attr]
    proc.stdout.close()  # type: ignore[union-attr]
    proc.stderr.close()  # type: ignore[union-attr]
    return lines, stderr, proc.returncode


def check_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def kill_loop(tmp_path: Path, iterations: int, seed: int) -> int:
    path = tmp_path / "kill.annproj"
    expected = make_project(path)
    rng = random.Random(seed)
    total_ok = 0
    for i in range(iterations):
        child_seed = rng.randrange(1 << 30)
        delay = rng.choice([0.0, rng.uniform(0, 0.05), rng.uniform(0.02, 0.4)])
        lines, stderr, code = run_child_and_kill(path, child_seed, delay)
        where = f"iteration {i} (child seed {child_seed}, delay {delay:.3f}s)"
        assert code == -signal.SIGKILL, f"{where}: child ended by itself ({code}): {stderr}"

        pending: dict[str, str] = {}
        for line in lines:
            tag, n, effects = parse(line)
            if tag == "DO":
                pending = effects
            else:
                expected.update(effects)
                pending = {}
                total_ok += 1

        check_file(path)
        with annotator.open_project(path, annotator="ana") as proj:  # lock is free again
            assert [p for p in proj.check() if p.code == "integrity"] == [], where
            actual = {key: actual_state(proj, key) for key in {*expected, *pending}}
        for key, value in expected.items():
            if key not in pending:
                assert actual[key] == value, f"{where}: {key} is {actual[key]}, reported {value}"
        if pending:
            # the edit in flight is all there or not there at all
            applied = all(actual[k] == v for k, v in pending.items())
            untouched = all(actual[k] == expected.get(k, "-") for k in pending)
            assert applied or untouched, f"{where}: half-written edit {pending} -> {actual}"
            expected.update({k: actual[k] for k in pending})
    return total_ok


def test_kill_during_edits_loses_nothing_reported(tmp_path):
    started = time.monotonic()
    total_ok = kill_loop(tmp_path, iterations=25, seed=20261126)
    assert total_ok > 25, "the children should have completed many edits before the kills"
    assert time.monotonic() - started < 120


@pytest.mark.slow
def test_kill_during_edits_200_times(tmp_path):
    assert kill_loop(tmp_path, iterations=200, seed=int(time.time())) > 200
