"""Tokenising an import's documents a chunk at a time, in this process and in forked workers.

Why its own module: tokenising is half of an import's work, and on a machine with few cores
every CPU second counts. The documents are read lazily; each full chunk of ``CHUNK`` documents
still to tokenise goes to a worker process while the worker has fewer than ``AHEAD`` chunks
waiting, and is tokenised here otherwise, so this process (which also reads the files and
writes the project) tokenises its share instead of waiting, and ``n`` cores need ``n - 1``
workers, not ``n`` beside a busy writer. The first chunks are tokenised here before the workers
are forked: they inherit a tokenizer whose caches (spaCy's vocabulary and word cache) are warm
instead of each building its own. Workers send back packed offsets (bytes), never spaCy
objects. Forking follows ``core.parallel``'s policy (not beside other threads, as in the GUI;
``ANNOTATOR_PROCESSES`` counts this process too). Documents come out in input order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from annotator.core.inputs import DocumentInput
from annotator.core.parallel import processes

PARALLEL_MIN = 512  # documents to tokenise before a worker process pays off
CHUNK = 256  # documents per chunk (a worker's task)
AHEAD = 2  # chunks a worker holds at most (one running, one queued); the rest are done here
MOST = 4  # processes at most, this one included
WARM = 32  # documents tokenised here before forking (the workers inherit warm caches)


class Preparer(Protocol):
    """What the pipeline needs of a tokenizer (``annotator.nlp.tokenize.DocTokenizer``)."""

    name: str

    def prepare(self, texts: list[str]) -> list[tuple[bytes, bytes]]:
        """(packed tokens, packed sentences) per text, as the store keeps them."""
        ...


Chunks = Iterator[tuple[list[DocumentInput], bool]]


def prepared_chunks(preparer: Preparer, docs: Iterable[DocumentInput], *,
                    progress: Callable[[int, str], None] | None = None) -> Chunks:
    """``docs`` in input order, a chunk at a time, every one without tokens given its packed
    tokens, sentences and the tokenizer's name; with each chunk, whether worker processes
    are tokenising (decided once ``PARALLEL_MIN`` documents needed tokens, or at the end)."""
    return _Pipeline(preparer, progress).run(docs)


_WORKER: Preparer | None = None  # the tokenizer a forked worker inherited


def _prepare_in_worker(texts: list[str]) -> list[tuple[bytes, bytes]]:
    assert _WORKER is not None
    return _WORKER.prepare(texts)


class _Pipeline:
    """One import's tokenising: documents in reading order, those still to tokenise, the
    chunks under way in workers."""

    def __init__(self, preparer: Preparer, progress: Callable[[int, str], None] | None) -> None:
        self.preparer, self.progress = preparer, progress
        self.order: deque[DocumentInput] = deque()  # documents read, not yet yielded
        self.waiting: list[DocumentInput] = []  # documents to tokenise, not yet dispatched
        self.jobs: deque[tuple[list[DocumentInput], Any]] = deque()  # (chunk, AsyncResult)
        self.pool: Any = None
        self.workers = 0
        self.decided = False
        self.done = 0

    def run(self, docs: Iterable[DocumentInput]) -> Chunks:
        try:
            for d in docs:
                self.order.append(d)
                if d.tokens is None:
                    self.waiting.append(d)
                    if not self.decided and len(self.waiting) >= PARALLEL_MIN:
                        self._decide()
                    if self.decided and len(self.waiting) >= CHUNK:
                        self._dispatch()
                if self.decided and (batch := self._ready(CHUNK)):
                    yield batch, self.pool is not None
            self.decided = True
            while self.waiting:
                self._dispatch()
            while self.jobs:
                chunk, job = self.jobs.popleft()
                self._finish(chunk, job.get())
                if batch := self._ready(CHUNK):
                    yield batch, True
            if batch := self._ready(1):
                yield batch, self.pool is not None
        finally:
            if self.pool is not None:
                self.pool.terminate()
                self.pool.join()

    def _dispatch(self) -> None:
        """The next chunk of waiting documents to a worker, or tokenised here when the
        workers have enough to do."""
        chunk, self.waiting = self.waiting[:CHUNK], self.waiting[CHUNK:]
        self._collect()
        if self.pool is not None and len(self.jobs) < AHEAD * self.workers:
            texts = [d.text for d in chunk]
            self.jobs.append((chunk, self.pool.apply_async(_prepare_in_worker, (texts,))))
            return
        self._finish(chunk, self.preparer.prepare([d.text for d in chunk]))

    def _decide(self) -> None:
        """Enough documents wait: fork the workers, after tokenising the first few here so
        that they inherit warm caches."""
        global _WORKER
        self.decided = True
        count = processes(len(self.waiting), PARALLEL_MIN, MOST)
        if count > 1:
            import multiprocessing

            first, self.waiting = self.waiting[:WARM], self.waiting[WARM:]
            self._finish(first, self.preparer.prepare([d.text for d in first]))
            _WORKER = self.preparer
            self.workers = count - 1
            self.pool = multiprocessing.get_context("fork").Pool(self.workers)

    def _collect(self) -> None:
        """Take the results of the chunks at the head of the queue that are finished."""
        while self.jobs and self.jobs[0][1].ready():
            chunk, job = self.jobs.popleft()
            self._finish(chunk, job.get())

    def _finish(self, chunk: list[DocumentInput], results: list[tuple[bytes, bytes]]) -> None:
        # the content hash is left to the writer
        name = self.preparer.name
        for d, (tokens, sentences) in zip(chunk, results, strict=True):
            d.tokens, d.sentences, d.tokenizer = tokens, sentences, name
        self.done += len(chunk)
        if self.progress is not None:
            self.progress(self.done, f"tokenised {self.done} documents")

    def _ready(self, least: int) -> list[DocumentInput]:
        """The documents at the head of the reading order that are tokenised, if at least
        ``least`` documents were read and the first of them is."""
        order = self.order
        if len(order) < least or order[0].tokens is None:
            return []
        out = []
        while order and order[0].tokens is not None:
            out.append(order.popleft())
        return out
