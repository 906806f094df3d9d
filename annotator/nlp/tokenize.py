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

    def _sentences(self, text: str, idx: Any, length: Any, spacy_space: Any) -> Any:
        """Sentence character ranges, from array operations over the tokens.

        A sentence ends after a run of single-character tokens that holds a sentence-final
        character (``.`` ``!`` ``?`` ... then closing quotes or brackets) followed by white
        space, or at a line break."""
        import numpy as np

        ender, closer, space = self._tables
        n = len(idx)
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        first = cps[idx]
        first = np.where(first < 0x10000, first, 0)  # no sentence-final or space char is astral
        is_space = space[first]  # spaCy's whitespace tokens are white space only
        single = length == 1
        is_end = single & ender[first]
        in_run = is_end | (single & closer[first])
        followed = spacy_space.copy()
        followed[:-1] |= is_space[1:]
        followed[-1] = True
        positions = np.arange(n)
        run_start = np.maximum.accumulate(np.where(in_run, -1, positions)) + 1
        ends_seen = np.cumsum(is_end)
        before = np.where(run_start > 0, ends_seen[np.maximum(run_start - 1, 0)], 0)
        cut = in_run & followed & (ends_seen - before > 0)
        for i in np.flatnonzero(is_space):  # line breaks end sentences too
            if "\n" in text[idx[i]:idx[i] + length[i]] or "\r" in text[idx[i]:idx[i] + length[i]]:
                cut[i] = True
        words = np.flatnonzero(~is_space)
        if not len(words):
            return np.zeros(0, dtype=np.int32)
        starts_after = np.searchsorted(words, np.flatnonzero(cut), side="right")
        bounds = np.unique(np.concatenate(([0], starts_after, [len(words)])))
        first_word, last_word = words[bounds[:-1]], words[bounds[1:] - 1]
        out = np.empty(2 * len(first_word), dtype=np.int32)
        out[0::2] = idx[first_word]
        out[1::2] = idx[last_word] + length[last_word]
        return out


def _char_tables(enders: list[str]) -> tuple[Any, Any, Any]:
    """Lookup tables over the BMP: sentence-final characters, closing quotes/brackets, space."""
    import numpy as np

    ender = np.zeros(0x10000, dtype=bool)
    ender[[ord(c) for c in enders if len(c) == 1 and ord(c) < 0x10000]] = True
    closer = np.zeros(0x10000, dtype=bool)
    closer[[ord(c) for c in "\"')]}\u00bb\u2019\u201d\u203a"]] = True
    space = np.zeros(0x10000, dtype=bool)
    space[[c for c in range(0x3001) if chr(c).isspace()]] = True
    return ender, closer, space


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
