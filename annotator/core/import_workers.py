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

A document with a ``loader`` (brat: parsing costs as much as tokenising) is read where it is
tokenised: the worker gets only where it is, runs ``each`` on it (the importer's reading,
checks and conversion to row tuples) and sends back its text, rows and notes, never the
annotation objects (pickling those cost more than parsing). Loaders are inherited by the
fork, not pickled (they hold the reader's callbacks); a loader first seen after the fork has
its documents read here. A reader's error is kept with its document and raised when the
document's turn comes, so the import fails on the first bad document in input order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from annotator.core.codec import content_hash
from annotator.core.inputs import DocumentInput
from annotator.core.parallel import processes

PARALLEL_MIN = 512  # documents to tokenise before a worker process pays off
CHUNK = 128  # documents per chunk (a worker's task; at the end this process waits for ~2)
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
# reads, checks and converts a document with a loader, in whichever process tokenises it
Each = Callable[[DocumentInput], None]


def prepared_chunks(preparer: Preparer, docs: Iterable[DocumentInput], *,
                    progress: Callable[[int, str], None] | None = None,
                    each: Each | None = None) -> Chunks:
    """``docs`` in input order, a chunk at a time, every one without tokens given its packed
    tokens, sentences and the tokenizer's name; with each chunk, whether worker processes
    are tokenising (decided once ``PARALLEL_MIN`` documents needed tokens, or at the end).
    A document with a loader is first given to ``each`` (which loads it), in the same
    process; it is tokenised unless ``each`` left it skipped, refused or failed."""
    return _Pipeline(preparer, progress, each).run(docs)


_WORKER: Preparer | None = None  # the tokenizer a forked worker inherited
_EACH: Each | None = None  # and the importer's ``each``
_LOADERS: list[Any] = []  # the loaders of the import that forked this worker

# what a worker sends back of a document it loaded: text, name, meta, status, tokens,
# sentences, content hash, prepared rows, problem, failure, notes, skipped
_FIELDS = ("text", "name", "meta", "status", "tokens", "sentences", "content_hash",
           "prepared", "problem", "failure", "notes", "skipped")


def _prepare_in_worker(items: list[tuple[int, Any]]) -> list[Any]:
    """A chunk in a worker: texts (loader -1) to tokenise, and documents to load first."""
    assert _WORKER is not None
    docs = []
    for index, payload in items:
        if index < 0:
            docs.append(DocumentInput(text=payload))
        else:
            payload.loader = _LOADERS[index]
            docs.append(payload)
    _prepare(_WORKER, _EACH, docs)
    # a text's content hash too: one less pass over it in the busier writing process
    return [tuple(getattr(d, f) for f in _FIELDS) if d.loader is not None
            else (d.tokens, d.sentences, content_hash(d.text)) for d in docs]


def _prepare(preparer: Preparer, each: Each | None, docs: list[DocumentInput]) -> None:
    """Load (``each``) the documents of ``docs`` that have a loader, then tokenise those
    without tokens in one call; a loader's exception is kept as the document's failure."""
    for d in docs:
        if d.loader is not None and each is not None:
            try:
                each(d)
            except Exception as exc:  # raised in order, when the document's turn comes
                d.failure = exc
    todo = [d for d in docs if d.tokens is None and not _dropped(d)]
    for d, (tokens, sentences) in zip(todo, preparer.prepare([d.text for d in todo]),
                                      strict=True):
        d.tokens, d.sentences, d.tokenizer = tokens, sentences, preparer.name


def _dropped(d: DocumentInput) -> bool:
    return d.skipped or d.problem is not None or d.failure is not None


class _Pipeline:
    """One import's tokenising: documents in reading order, those still to tokenise, the
    chunks under way in workers."""

    def __init__(self, preparer: Preparer, progress: Callable[[int, str], None] | None,
                 each: Each | None) -> None:
        self.preparer, self.progress, self.each = preparer, progress, each
        self.loaders: list[Any] = []  # the loaders seen so far, in order
        self.forked_with = 0  # how many of them the workers know
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
                if d.loader is not None and (not self.loaders or d.loader is not self.loaders[-1]):
                    self._loader_index(d.loader)
                if d.tokens is None or d.loader is not None:
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
            items = self._items(chunk)
            if items is not None:
                self.jobs.append((chunk, self.pool.apply_async(_prepare_in_worker, (items,))))
                return
        self._here(chunk)

    def _items(self, chunk: list[DocumentInput]) -> list[tuple[int, Any]] | None:
        """What a worker needs of ``chunk``: the texts to tokenise, and the documents to
        load (without their loader: the worker has it); None when a loader is new to the
        workers."""
        items: list[tuple[int, Any]] = []
        for d in chunk:
            if d.loader is None:
                items.append((-1, d.text))
                continue
            index = self._loader_index(d.loader)
            if index >= self.forked_with:
                return None
            light = DocumentInput(text="", name=d.name, meta=d.meta, lang=d.lang, id=d.id,
                                  status=d.status, source=d.source, location=d.location)
            items.append((index, light))
        return items

    def _loader_index(self, loader: Any) -> int:
        """The index of ``loader`` among this import's loaders, added when new."""
        for i, known in enumerate(self.loaders):
            if known is loader:
                return i
        self.loaders.append(loader)
        return len(self.loaders) - 1

    def _here(self, chunk: list[DocumentInput]) -> None:
        """Load and tokenise ``chunk`` in this process."""
        _prepare(self.preparer, self.each, chunk)
        self._count(chunk)

    def _decide(self) -> None:
        """Enough documents wait: fork the workers, after tokenising the first few here so
        that they inherit warm caches."""
        self.decided = True
        count = processes(len(self.waiting), PARALLEL_MIN, MOST)
        if count > 1:
            import multiprocessing

            first, self.waiting = self.waiting[:WARM], self.waiting[WARM:]
            self._here(first)
            _set_worker(self.preparer, self.each, self.loaders)
            self.forked_with = len(self.loaders)
            self.workers = count - 1
            self.pool = multiprocessing.get_context("fork").Pool(self.workers)

    def _collect(self) -> None:
        """Take the results of the chunks at the head of the queue that are finished."""
        while self.jobs and self.jobs[0][1].ready():
            chunk, job = self.jobs.popleft()
            self._finish(chunk, job.get())

    def _finish(self, chunk: list[DocumentInput], results: list[Any]) -> None:
        """Take a worker's results into the documents of ``chunk``."""
        name = self.preparer.name
        for d, result in zip(chunk, results, strict=True):
            if d.loader is None:
                d.tokens, d.sentences, h = result
                d.content_hash = d.content_hash or h
            else:
                for f, value in zip(_FIELDS, result, strict=True):
                    setattr(d, f, value)
            if d.tokens is not None:
                d.tokenizer = name
        self._count(chunk)

    def _count(self, chunk: list[DocumentInput]) -> None:
        # the content hash of a document read by the reader is left to the writer
        self.done += len(chunk)
        if self.progress is not None:
            self.progress(self.done, f"tokenised {self.done} documents")

    def _ready(self, least: int) -> list[DocumentInput]:
        """The documents at the head of the reading order that are prepared, if at least
        ``least`` documents were read and the first of them is."""
        order = self.order
        if len(order) < least or not _done(order[0]):
            return []
        out = []
        while order and _done(order[0]):
            out.append(order.popleft())
        return out


def _done(d: DocumentInput) -> bool:
    """Whether ``d`` is tokenised, or will not be (skipped, refused, failed)."""
    return d.tokens is not None or _dropped(d)


def _set_worker(preparer: Preparer, each: Each | None, loaders: list[Any]) -> None:
    """What the workers about to be forked inherit."""
    global _WORKER, _EACH, _LOADERS
    _WORKER, _EACH, _LOADERS = preparer, each, loaders
