"""The import's tokenising pipeline (core.import_workers): chunks tokenised in this process and
in a forked worker give the project one process gives, in input order."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

import annotator
from annotator.core import import_workers
from annotator.core.inputs import DocumentInput

needs_fork = pytest.mark.skipif(sys.platform == "win32", reason="workers are forked")


class PidPreparer:
    """Packs each text's length and the id of the process that 'tokenised' it."""

    name = "pid-preparer"

    def prepare(self, texts: list[str]) -> list[tuple[bytes, bytes]]:
        pid = os.getpid().to_bytes(4, "little")
        return [(len(t).to_bytes(4, "little"), pid) for t in texts]



@needs_fork
def test_this_process_and_a_worker_share_the_chunks_in_input_order(small_chunks) -> None:
    docs = [DocumentInput(text="x" * (i + 1), name=f"d{i}") for i in range(200)]
    docs[5].tokens, docs[77].tokens = [(0, 1)], [(0, 2)]  # came with tokens: left alone
    chunks = list(import_workers.prepared_chunks(PidPreparer(), iter(docs)))
    out = [d for chunk, _ in chunks for d in chunk]
    assert [d.name for d in out] == [f"d{i}" for i in range(200)]
    assert all(in_workers for _, in_workers in chunks)
    tokenised = [d for d in out if d.tokenizer == "pid-preparer"]
    assert len(tokenised) == 198 and out[5].tokens == [(0, 1)] and out[77].tokens == [(0, 2)]
    assert all(int.from_bytes(d.tokens, "little") == len(d.text) for d in tokenised)
    pids = {int.from_bytes(d.sentences, "little") for d in tokenised}
    assert os.getpid() in pids and len(pids) == 2  # this process tokenised its share too
    # the first documents are tokenised here, before the fork (warm caches for the worker)
    assert all(int.from_bytes(d.sentences, "little") == os.getpid() for d in tokenised[:4])


def test_one_process_below_the_threshold_or_when_told(monkeypatch) -> None:
    monkeypatch.setenv("ANNOTATOR_PROCESSES", "1")
    docs = [DocumentInput(text=f"t{i}") for i in range(600)]
    chunks = list(import_workers.prepared_chunks(PidPreparer(), docs))
    assert not any(in_workers for _, in_workers in chunks)
    assert {int.from_bytes(d.sentences, "little") for c, _ in chunks for d in c} == \
        {os.getpid()}
    monkeypatch.delenv("ANNOTATOR_PROCESSES")
    few = [DocumentInput(text=f"t{i}") for i in range(100)]
    assert [in_workers for _, in_workers in import_workers.prepared_chunks(PidPreparer(), few)
            ] == [False]


def _rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of the tables an import writes, timestamps left out."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            "documents": conn.execute(
                "SELECT id, position, name, title, length, meta, lang, content_hash, tokenizer"
                " FROM documents ORDER BY position").fetchall(),
            "content": conn.execute("SELECT * FROM document_content ORDER BY rowid").fetchall(),
            "search": conn.execute("SELECT rowid, text FROM document_content_fts"
                                   " ORDER BY rowid").fetchall(),
            "spans": conn.execute('SELECT id, doc_id, start, "end", label FROM spans'
                                  " ORDER BY id").fetchall(),
        }
    finally:
        conn.close()


@needs_fork
def test_workers_give_the_project_one_process_gives(tmp_path, small_chunks, monkeypatch) -> None:
    from annotator.core.model import Annotations, Span

    texts = [f"Report {i}. Troops left Gori on May {i % 28 + 1}.\n\nMore news, {i}!"
             for i in range(90)]

    def inputs():
        for i, t in enumerate(texts):
            sets = {"gold": Annotations(spans=[Span(id=f"s{i}", doc_id="", start=0, end=6,
                                                    label="PER")])} if i % 3 == 0 else {}
            yield DocumentInput(text=t, name=f"d{i}", sets=sets)

    calls: list[int] = []
    monkeypatch.setattr(import_workers, "_WORKER", None)
    parallel = annotator.create_project(tmp_path / "p.annproj", schema="news-basic")
    parallel.add_documents(inputs(), batch_size=8,
                           progress=lambda done, total, msg: calls.append(done))
    parallel.close()
    assert import_workers._WORKER is not None  # a worker was forked
    monkeypatch.setenv("ANNOTATOR_PROCESSES", "1")
    serial = annotator.create_project(tmp_path / "s.annproj", schema="news-basic")
    serial.add_documents(inputs())
    serial.close()
    assert _rows(tmp_path / "p.annproj") == _rows(tmp_path / "s.annproj")
    assert len(_rows(tmp_path / "p.annproj")["documents"]) == 90
    assert calls == sorted(calls) and calls[-1] == 90
