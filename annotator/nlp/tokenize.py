"""Tokenisation at import: the spaCy tokenizer of the project language plus sentence starts.

Tokens are stored with each document (code-point offsets) so exports and snapping never drift
when spaCy changes. Whitespace tokens that spaCy produces (e.g. ``"\\n\\n"``) are kept, so the
text can be rebuilt exactly as ``Doc(words, spaces)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from annotator.errors import AnnotatorError

Pairs = list[tuple[int, int]]


class DocTokenizer:
    """spaCy's tokenizer for one language plus a fast rule-based sentence splitter.

    Sentences follow spaCy's ``sentencizer`` rule (a sentence ends at a token that is one of
    its sentence-final characters, closing quotes and brackets included) and also break at line
    ends, so headlines and datelines without a full stop are sentences of their own. Offsets
    come from ``Doc.to_array`` rather than Token objects, and a batch of documents is handled
    by array operations over all of its tokens at once, which keeps import close to the speed
    of bare tokenisation (see bench/bench_core.py).
    """

    def __init__(self, lang: str) -> None:
        try:
            import spacy
            from spacy.pipeline.sentencizer import (  # type: ignore[import-not-found]
                Sentencizer,
            )
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
        """(tokens, sentences) per text, each a flat int array ``[s0, e0, s1, e1, ...]``
        of code-point offsets (sentences are character ranges)."""
        for batch in _batches(texts, batch_size):
            yield from self._tokenize_batch(batch).per_document()

    def prepare(self, texts: list[str]) -> list[tuple[bytes, bytes]]:
        """(packed tokens, packed sentences) per text: what import stores."""
        out: list[tuple[bytes, bytes]] = []
        for batch in _batches(texts, 256):
            out.extend(self._tokenize_batch(batch).packed())
        return out

    def _tokenize_batch(self, texts: list[str]) -> _Batch:
        """Tokenise ``texts`` with spaCy and find their sentences, all documents at once."""
        import numpy as np
        from spacy.attrs import IDX, SPACY  # type: ignore[import-not-found]

        tokenizer: Any = self.nlp.tokenizer  # a spacy.tokenizer.Tokenizer (typed as a callable)
        arrays = [doc.to_array([IDX, SPACY]) for doc in tokenizer.pipe(texts)]
        counts = np.array([len(a) for a in arrays], dtype=np.int64)
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        if counts.sum():
            both = np.concatenate([a for a in arrays if len(a)]).astype(np.int64)
            starts, spacy_space = both[:, 0], both[:, 1] != 0
        else:
            starts, spacy_space = np.zeros(0, np.int64), np.zeros(0, bool)
        bounds = np.concatenate(([0], np.cumsum(counts)))
        # spaCy rebuilds the text exactly: each token ends where the next starts, less its space
        following = np.empty_like(starts)
        following[:-1] = starts[1:]
        last = bounds[1:][counts > 0] - 1
        following[last] = lengths[counts > 0]
        ends = following - spacy_space
        return self._sentences(texts, starts, ends, spacy_space, bounds)

    def sentences_for(self, text: str, tokens: Any) -> Any:
        """Sentences for tokens that came with a document (e.g. native JSONL without
        ``sentences``), by the same rule as at import."""
        import numpy as np

        flat = np.asarray(tokens, dtype=np.int64).reshape(-1)
        starts, ends = flat[0::2], flat[1::2]
        following = np.append(starts[1:], len(text))
        cps = _code_points(text)
        after = np.where(ends < len(text), cps[np.minimum(ends, max(len(text) - 1, 0))], 0) \
            if len(text) else np.zeros(len(ends), np.uint32)
        spacy_space = (following - ends == 1) & (after == 32)
        batch = self._sentences([text], starts, ends, spacy_space, np.array([0, len(starts)]))
        return next(batch.per_document())[1]

    def _sentences(self, texts: list[str], starts: Any, ends: Any, spacy_space: Any,
                   bounds: Any) -> _Batch:
        """Sentences of a batch of tokenised texts, by array operations over all tokens.

        A sentence ends after a sentence-final token (``.`` ``!`` ``?`` ..., possibly followed
        by up to two closing quotes or brackets) that is followed by white space, at every
        line break, and at the end of its document. Multi-character tokens such as ``U.S.`` or
        ``Mr.`` end nothing, as with spaCy's sentencizer. ``starts``/``ends`` are token offsets
        in each document; document ``i`` owns tokens ``bounds[i]:bounds[i + 1]``."""
        import numpy as np

        docs = len(texts)
        counts = np.diff(bounds)
        doc_of = np.repeat(np.arange(docs), counts)
        offset = np.concatenate(([0], np.cumsum([len(t) for t in texts])))[:-1]
        at = starts + offset[doc_of]  # token starts in the texts end to end
        cps = _code_points("".join(texts))
        length = ends - starts
        flags = self._tables[np.minimum(cps[at], 0xFFFF)] if len(at) else np.zeros(0, np.uint8)
        single = length == 1
        is_space = (flags & _SPACE) != 0  # spaCy's whitespace tokens are white space only
        is_end = single & ((flags & _ENDER) != 0)
        closes = single & ((flags & _CLOSER) != 0)
        same = doc_of[1:] == doc_of[:-1]  # token i + 1 is in the same document as token i
        run_end = is_end.copy()  # an ender, or closers right after one
        run_end[1:] |= closes[1:] & is_end[:-1] & same
        run_end[2:] |= closes[2:] & closes[1:-1] & is_end[:-2] & same[1:] & same[:-1]
        followed = spacy_space.copy()
        followed[:-1] |= is_space[1:] & same
        followed[bounds[1:][counts > 0] - 1] = True
        cut = run_end & followed
        spaces = np.flatnonzero(is_space)
        if len(spaces):  # a white-space token holding a line break ends a sentence
            newline = np.append((cps == 10) | (cps == 13), False)
            edges = np.empty(2 * len(spaces), dtype=np.int64)
            edges[0::2], edges[1::2] = at[spaces], at[spaces] + length[spaces]
            cut[spaces[np.logical_or.reduceat(newline, edges)[0::2]]] = True
        words = np.flatnonzero(~is_space)
        if not len(words):
            empty = np.zeros(0, np.int64)
            return _Batch(starts, ends, bounds, empty, empty, np.zeros(docs + 1, np.int64))
        starts_sentence = np.zeros(len(words) + 1, dtype=bool)  # by word, plus the end
        starts_sentence[[0, -1]] = True
        starts_sentence[np.searchsorted(words, np.flatnonzero(cut), side="right")] = True
        starts_sentence[np.searchsorted(words, bounds[:-1])] = True  # documents never share one
        breaks = np.flatnonzero(starts_sentence)
        first_word, last_word = words[breaks[:-1]], words[breaks[1:] - 1]
        sentence_bounds = np.searchsorted(doc_of[first_word], np.arange(docs + 1))
        return _Batch(starts, ends, bounds, starts[first_word], ends[last_word],
                      sentence_bounds)


class _Batch:
    """Token and sentence offsets of a batch of documents in flat arrays: document ``i`` owns
    tokens ``bounds[i]:bounds[i + 1]`` and sentences ``sentence_bounds[i]:...[i + 1]``."""

    def __init__(self, starts: Any, ends: Any, bounds: Any, sentence_starts: Any,
                 sentence_ends: Any, sentence_bounds: Any) -> None:
        self.starts, self.ends, self.bounds = starts, ends, bounds
        self.sentence_starts, self.sentence_ends = sentence_starts, sentence_ends
        self.sentence_bounds = sentence_bounds

    def per_document(self) -> Iterator[tuple[Any, Any]]:
        """(tokens, sentences) per document as flat ``[s0, e0, s1, e1 ...]`` arrays."""
        tokens = _interleave(self.starts, self.ends)
        sentences = _interleave(self.sentence_starts, self.sentence_ends)
        tb, sb = self.bounds.tolist(), self.sentence_bounds.tolist()
        for i in range(len(tb) - 1):
            yield tokens[2 * tb[i]:2 * tb[i + 1]], sentences[2 * sb[i]:2 * sb[i + 1]]

    def packed(self) -> list[tuple[bytes, bytes]]:
        """(packed tokens, packed sentences) per document, as the store keeps them."""
        from annotator.core.codec import pack_many

        return list(zip(pack_many(self.starts, self.ends, self.bounds),
                        pack_many(self.sentence_starts, self.sentence_ends,
                                  self.sentence_bounds), strict=True))


def _interleave(starts: Any, ends: Any) -> Any:
    import numpy as np

    flat = np.empty(2 * len(starts), dtype=np.int32)
    flat[0::2], flat[1::2] = starts, ends
    return flat


def _code_points(text: str) -> Any:
    """The code points of ``text`` as an array: 16 bits each when nothing is astral (half the
    bytes to write), else 32."""
    import numpy as np

    raw = text.encode("utf-16-le", "surrogatepass")
    if len(raw) == 2 * len(text):
        return np.frombuffer(raw, dtype=np.uint16)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _batches(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


_ENDER, _CLOSER, _SPACE = 1, 2, 4


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

