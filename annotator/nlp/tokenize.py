"""Tokenisation at import: the spaCy tokenizer of the project language plus sentence starts.

Tokens are stored with each document (code-point offsets) so exports and snapping never drift
when spaCy changes. Whitespace tokens that spaCy produces (e.g. ``"\\n\\n"``) are kept, so the
text can be rebuilt exactly as ``Doc(words, spaces)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from annotator.errors import AnnotatorError

Pairs = list[tuple[int, int]]


class DocTokenizer:
    """spaCy blank pipeline of one language with a rule-based sentencizer."""

    def __init__(self, lang: str) -> None:
        try:
            import spacy
        except ImportError as exc:  # pragma: no cover - spaCy is a dependency
            raise AnnotatorError(f"spaCy is needed to tokenise documents: {exc}") from None
        try:
            self.nlp = spacy.blank(lang)
        except (ImportError, KeyError, ValueError) as exc:
            raise AnnotatorError(f"spaCy has no tokenizer for language {lang!r}: {exc}") from None
        self.nlp.add_pipe("sentencizer")
        self.nlp.max_length = 10_000_000
        self.name = f"spacy-{spacy.__version__}/{lang}"

    def tokenize(self, texts: Iterable[str], batch_size: int = 128) -> Iterator[tuple[Pairs, Pairs]]:
        """(tokens, sentences) per text; sentences are (start, end) character ranges."""
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            tokens = [(t.idx, t.idx + len(t)) for t in doc]
            sentences = [(s.start_char, s.end_char) for s in doc.sents] if len(doc) else []
            yield tokens, sentences


@cache
def get_tokenizer(lang: str) -> DocTokenizer:
    return DocTokenizer(lang)


def words_and_spaces(text: str, tokens: Pairs) -> tuple[list[str], list[bool]]:
    """Rebuild spaCy's ``Doc(words, spaces)`` arguments from stored tokens of ``text``."""
    words, spaces = [], []
    for i, (s, e) in enumerate(tokens):
        words.append(text[s:e])
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else len(text)
        spaces.append(nxt == e + 1 and text[e] == " ")
    return words, spaces
