"""Tokenisation at import: the spaCy tokenizer of the project language plus sentence starts.

Tokens are stored with each document (code-point offsets) so exports and snapping never drift
when spaCy changes. Whitespace tokens that spaCy produces (e.g. ``"\\n\\n"``) are kept, so the
text can be rebuilt exactly as ``Doc(words, spaces)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

from annotator.errors import AnnotatorError

Pairs = list[tuple[int, int]]


class DocTokenizer:
    """spaCy's tokenizer for one language plus a fast rule-based sentence splitter.

    Sentences follow spaCy's ``sentencizer`` rule (a sentence ends at a token that is one of
    its sentence-final characters, closing quotes and brackets included) and also break at line
    ends, so headlines and datelines without a full stop are sentences of their own. Offsets
    come from ``Doc.to_array`` rather than Token objects, which keeps import close to the speed
    of bare tokenisation (see bench/bench_core.py).
    """

    def __init__(self, lang: str) -> None:
        try:
            import spacy
            from spacy.pipeline.sentencizer import Sentencizer
        except ImportError as exc:  # pragma: no cover - spaCy is a dependency
            raise AnnotatorError(f"spaCy is needed to tokenise documents: {exc}") from None
        try:
            self.nlp = spacy.blank(lang)
        except (ImportError, KeyError, ValueError) as exc:
            raise AnnotatorError(f"spaCy has no tokenizer for language {lang!r}: {exc}") from None
        self.nlp.max_length = 10_000_000
        self._tables = _char_tables(Sentencizer.default_punct_chars)
        self.name = f"spacy-{spacy.__version__}/{lang}"

    def tokenize(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[tuple[Any, Any]]:
        """(tokens, sentences) per text, each a flat int32 array ``[s0, e0, s1, e1, ...]``
        of code-point offsets (sentences are character ranges)."""
        import numpy as np
        from spacy.attrs import IDX, LENGTH, SPACY

        texts = list(texts)
        for text, doc in zip(texts, self.nlp.tokenizer.pipe(texts, batch_size=batch_size),
                             strict=True):
            if not len(doc):
                yield np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
                continue
            arr = doc.to_array([IDX, LENGTH, SPACY]).astype(np.int32)
            tokens = np.empty(2 * len(doc), dtype=np.int32)
            tokens[0::2] = arr[:, 0]
            tokens[1::2] = arr[:, 0] + arr[:, 1]
            yield tokens, self._sentences(text, arr[:, 0], arr[:, 1], arr[:, 2] != 0)

    def prepared_chunks(self, docs: Iterable[Any], *,
                        progress: Callable[[int, str], None] | None = None
                        ) -> Iterator[tuple[list[Any], bool]]:
        """Read ``docs`` (DocumentInput) lazily and give every one without tokens its packed
        tokens, sentences and content hash; yield them in input order, a chunk at a time, each
        with whether worker processes are tokenising.

        Large imports (more than ``PARALLEL_MIN`` documents to tokenise, where forking is safe:
        see ``_default_processes``) go to worker processes chunk by chunk while the caller's
        reader goes on reading files, so reading, tokenising and writing overlap."""
        from collections import deque

        order: deque = deque()  # documents read, not yet yielded
        waiting: list[Any] = []  # documents to tokenise, not yet sent
        jobs: deque = deque()
        pool = None
        decided = False
        done = 0

        def finish(chunk: list[Any], results: list[tuple[bytes, bytes, str]]) -> None:
            nonlocal done
            for d, (tokens, sentences, digest) in zip(chunk, results, strict=True):
                d.tokens, d.sentences, d.tokenizer, d.content_hash = \
                    tokens, sentences, self.name, digest
            done += len(chunk)
            if progress is not None:
                progress(done, f"tokenised {done} documents")

        def send(chunk: list[Any]) -> None:
            texts = [d.text for d in chunk]
            if pool is None:
                finish(chunk, _prepare(self, texts))
            else:
                jobs.append((chunk, pool.apply_async(_prepare_chunk, (texts,))))
                while jobs and jobs[0][1].ready():
                    ready, job = jobs.popleft()
                    finish(ready, job.get())

        def ready(least: int) -> list[Any]:
            if len(order) < least or order[0].tokens is None:
                return []
            out = []
            while order and order[0].tokens is not None:
                out.append(order.popleft())
            return out

        try:
            for d in docs:
                order.append(d)
                if d.tokens is None:
                    waiting.append(d)
                    if not decided and len(waiting) >= PARALLEL_MIN:
                        decided = True
                        n = _default_processes(PARALLEL_MIN)
                        if n > 1:
                            pool = _pool(self, n)
                    if decided and len(waiting) >= CHUNK:
                        for i in range(0, len(waiting) - CHUNK + 1, CHUNK):
                            send(waiting[i:i + CHUNK])
                        waiting = waiting[len(waiting) - len(waiting) % CHUNK:]
                if batch := ready(CHUNK):
                    yield batch, pool is not None
            for i in range(0, len(waiting), CHUNK):
                send(waiting[i:i + CHUNK])
            while jobs:
                chunk, job = jobs.popleft()
                finish(chunk, job.get())
                if batch := ready(CHUNK):
                    yield batch, True
            if batch := ready(1):
                yield batch, pool is not None
        finally:
            if pool is not None:
                pool.terminate()

    def sentences_for(self, text: str, tokens: Any) -> Any:
        """Sentences for tokens that came with a document (e.g. native JSONL without
        ``sentences``), by the same rule as at import."""
        import numpy as np

        flat = np.asarray(tokens, dtype=np.int32).reshape(-1)
        if not len(flat):
            return np.zeros(0, dtype=np.int32)
        idx, ends = flat[0::2], flat[1::2]
        following = np.append(idx[1:], len(text))
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        after = np.where(ends < len(text), cps[np.minimum(ends, len(text) - 1)], 0)
        spacy_space = (following - ends == 1) & (after == 32)
        return self._sentences(text, idx, ends - idx, spacy_space)

    def _sentences(self, text: str, idx: Any, length: Any, spacy_space: Any) -> Any:
        """Sentence character ranges, from array operations over the tokens.

        A sentence ends after a sentence-final token (``.`` ``!`` ``?`` ..., possibly followed
        by up to two closing quotes or brackets) that is followed by white space, and at every
        line break. Multi-character tokens such as ``U.S.`` or ``Mr.`` end nothing, as with
        spaCy's sentencizer."""
        import numpy as np

        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        flags = self._tables[np.minimum(cps[idx], 0xFFFF)]
        single = length == 1
        is_space = (flags & _SPACE) != 0  # spaCy's whitespace tokens are white space only
        is_end = single & ((flags & _ENDER) != 0)
        closes = single & ((flags & _CLOSER) != 0)
        run_end = is_end.copy()  # an ender, or closers right after one
        run_end[1:] |= closes[1:] & is_end[:-1]
        run_end[2:] |= closes[2:] & closes[1:-1] & is_end[:-2]
        followed = spacy_space
        followed[:-1] |= is_space[1:]
        followed[-1] = True
        cut = run_end & followed
        lines = np.cumsum((cps == 10) | (cps == 13))
        spaces = np.flatnonzero(is_space)
        if len(spaces):
            s0, s1 = idx[spaces], idx[spaces] + length[spaces] - 1
            breaks = lines[s1] - np.where(s0 > 0, lines[np.maximum(s0 - 1, 0)], 0)
            cut[spaces[breaks > 0]] = True
        words = np.flatnonzero(~is_space)
        if not len(words):
            return np.zeros(0, dtype=np.int32)
        bounds = np.unique(np.concatenate(
            ([0], np.searchsorted(words, np.flatnonzero(cut), side="right"), [len(words)])))
        first_word, last_word = words[bounds[:-1]], words[bounds[1:] - 1]
        out = np.empty(2 * len(first_word), dtype=np.int32)
        out[0::2] = idx[first_word]
        out[1::2] = idx[last_word] + length[last_word]
        return out


_ENDER, _CLOSER, _SPACE = 1, 2, 4
PARALLEL_MIN = 512  # documents to tokenise before worker processes pay off
CHUNK = 256  # documents per worker task
_WORKER_TOKENIZER: DocTokenizer | None = None


def _pool(tokenizer: DocTokenizer, processes: int) -> Any:
    """Forked workers that inherit ``tokenizer`` (already loaded: no spaCy start-up cost)."""
    import multiprocessing

    global _WORKER_TOKENIZER
    _WORKER_TOKENIZER = tokenizer
    return multiprocessing.get_context("fork").Pool(processes)


def _prepare(tokenizer: DocTokenizer, texts: list[str]) -> list[tuple[bytes, bytes, str]]:
    """(packed tokens, packed sentences, content hash) per text."""
    from annotator.core.codec import content_hash, pack_pairs

    return [(pack_pairs(tokens), pack_pairs(sentences), content_hash(text))
            for text, (tokens, sentences) in zip(texts, tokenizer.tokenize(texts), strict=True)]


def _prepare_chunk(texts: list[str]) -> list[tuple[bytes, bytes, str]]:
    assert _WORKER_TOKENIZER is not None
    return _prepare(_WORKER_TOKENIZER, texts)


def _default_processes(count: int) -> int:
    import multiprocessing
    import os
    import sys
    import threading

    setting = os.environ.get("ANNOTATOR_PROCESSES")
    if setting:
        return max(1, int(setting))
    if (count < PARALLEL_MIN or sys.platform == "win32"
            or "fork" not in multiprocessing.get_all_start_methods()
            or threading.active_count() > 1
            or threading.current_thread() is not threading.main_thread()):
        return 1
    return min(4, os.cpu_count() or 1)


def _char_tables(enders: list[str]) -> Any:
    """A flag per BMP code point: sentence-final character, closing quote/bracket, space."""
    import numpy as np

    table = np.zeros(0x10000, dtype=np.uint8)
    table[[ord(c) for c in enders if len(c) == 1 and ord(c) < 0x10000]] |= _ENDER
    table[[ord(c) for c in "\"')]}\u00bb\u2019\u201d\u203a"]] |= _CLOSER
    table[[c for c in range(0x3001) if chr(c).isspace()]] |= _SPACE
    return table


@cache
def get_tokenizer(lang: str) -> DocTokenizer:
    return DocTokenizer(lang)


def as_pairs(flat: Any) -> Pairs:
    """A flat ``[s0, e0, s1, e1 ...]`` array (as the tokenizer yields) as (start, end) pairs."""
    values = flat.tolist() if hasattr(flat, "tolist") else list(flat)
    return list(zip(values[0::2], values[1::2], strict=True))


def words_and_spaces(text: str, tokens: Pairs) -> tuple[list[str], list[bool]]:
    """Rebuild spaCy's ``Doc(words, spaces)`` arguments from stored tokens of ``text``."""
    words, spaces = [], []
    for i, (s, e) in enumerate(tokens):
        words.append(text[s:e])
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else len(text)
        spaces.append(nxt == e + 1 and text[e] == " ")
    return words, spaces
