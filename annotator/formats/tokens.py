"""Token view of a stored document for the token-based exporters (spaCy, CoNLL, DyGIE++, TextEE).

Everything is derived from the tokens stored at import (code-point ``(start, end)`` pairs, which
include whitespace tokens such as ``"\\n\\n"``) and the stored sentence ranges, never from a fresh
tokenisation, so exports cannot drift from what the annotator saw.

``TokenMap(doc)`` drops whitespace-only tokens (CoNLL, DyGIE++, TextEE);
``TokenMap(doc, keep_whitespace=True)`` keeps them and fills any gap the stored tokens leave, so
that ``Doc(vocab, words=tm.words, spaces=tm.spaces).text == doc.text`` exactly (spaCy).

``tm.span(start, end)`` maps a character span to a token range ``[i, j)`` (end exclusive) or
``None`` when the span does not start and end on token boundaries; ``tm.sentence_of(i)`` gives
the sentence index of token ``i`` and ``tm.sentences`` the token range of every non-empty
sentence.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from annotator.core.model import Document
from annotator.errors import ExportError

NOT_ALIGNED = "not on token boundaries"
CROSSES_SENTENCE = "crosses a sentence boundary"
ENTS_POLICIES = ("outermost", "innermost", "longest")
# set on spans a DyGIE++ import creates for relation/argument spans that were not in ``ner``
UNLABELED_ATTR = "dygiepp_unlabeled"


class TokenMap:
    """Character offsets <-> token indices of one document."""

    __slots__ = ("_end", "_sent_of", "_start", "sentences", "spaces", "text", "tokens", "words")

    def __init__(self, doc: Document, *, keep_whitespace: bool = False) -> None:
        text = doc.text
        self.text = text
        stored = doc.tokens
        if not stored and text.strip():
            stored = _tokenize(doc)
        self.words: list[str] = []
        self.spaces: list[bool] = []
        if keep_whitespace:
            self.tokens = _covering_tokens(doc, stored, self.words, self.spaces)
        else:
            self.tokens = _real_tokens(doc, stored)
        self._start = [s for s, _ in self.tokens]
        self._end = [e for _, e in self.tokens]
        self.sentences = _sentences(text, self.tokens, self._start, doc.sentences)
        sent_of: list[int] = []
        for k, (a, b) in enumerate(self.sentences):
            sent_of.extend([k] * (b - a))
        self._sent_of = sent_of

    def __len__(self) -> int:
        return len(self.tokens)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Token range ``[i, j)`` exactly covering chars ``[start, end)``, else None."""
        starts, ends = self._start, self._end
        i = bisect_left(starts, start)
        if i == len(starts) or starts[i] != start:
            return None
        j = bisect_left(ends, end, i)
        if j == len(ends) or ends[j] != end:
            return None
        return i, j + 1

    def sentence_of(self, i: int) -> int:
        return self._sent_of[i]

    def same_sentence(self, *ranges: tuple[int, int]) -> bool:
        """Whether all token ranges ``[i, j)`` lie inside one sentence."""
        sents = {self._sent_of[k] for i, j in ranges for k in (i, j - 1)}
        return len(sents) == 1

    def char_range(self, i: int, j: int) -> tuple[int, int]:
        """Characters of the token range ``[i, j)``."""
        return self.tokens[i][0], self.tokens[j - 1][1]


def flat_selection(ranges: list[tuple[int, int]], policy: str = "outermost") -> list[int]:
    """Indices of a non-overlapping subset of token ranges ``[s, e)`` under ``policy``."""
    if policy == "outermost":
        order = sorted(range(len(ranges)), key=lambda k: (ranges[k][0], -ranges[k][1], k))
    elif policy == "innermost":
        order = sorted(range(len(ranges)),
                       key=lambda k: (ranges[k][1] - ranges[k][0], ranges[k][0], k))
    elif policy == "longest":
        order = sorted(range(len(ranges)),
                       key=lambda k: (-(ranges[k][1] - ranges[k][0]), ranges[k][0], k))
    else:
        raise ExportError(f"overlap policy must be one of {', '.join(ENTS_POLICIES)}, got "
                          f"{policy!r}")
    taken: list[tuple[int, int]] = []
    kept: list[int] = []
    for k in order:
        s, e = ranges[k]
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        kept.append(k)
    return sorted(kept)


def _covering_tokens(doc: Document, stored: Any, words: list[str],
                     spaces: list[bool]) -> list[tuple[int, int]]:
    """Every stored token plus the gaps between them, so that words + spaces == the text."""
    text = doc.text
    tokens: list[tuple[int, int]] = []
    pos = 0
    for s, e in stored:
        if s != pos:
            if s < pos or e < s:
                raise _order_error(doc, s, e)
            if s == pos + 1 and words and not spaces[-1] and text[pos] == " ":
                spaces[-1] = True
            else:
                _gap(text, pos, s, tokens, words, spaces)
        if e > s:
            tokens.append((s, e))
            words.append(text[s:e])
            spaces.append(False)
            pos = e
    if pos < len(text):
        _gap(text, pos, len(text), tokens, words, spaces)
    return tokens


def _real_tokens(doc: Document, stored: Any) -> list[tuple[int, int]]:
    """The stored tokens without the whitespace-only ones."""
    text = doc.text
    tokens: list[tuple[int, int]] = []
    pos = 0
    for s, e in stored:
        if s < pos or e < s:
            raise _order_error(doc, s, e)
        if e > s:
            if not (text[s].isspace() and text[s:e].isspace()):
                tokens.append((s, e))
            pos = e
    return tokens


def _sentences(text: str, tokens: list[tuple[int, int]], token_starts: list[int],
               stored: Any) -> list[tuple[int, int]]:
    """Token range of every sentence: the last stored sentence starting at or before each
    token; only sentences holding a real (non-whitespace) token count, and whitespace tokens
    opening a stored sentence stay with the previous one."""
    n = len(tokens)
    bounds = sorted({0, *(bisect_left(token_starts, st) for st, _ in stored)})
    bounds = [x for x in bounds if x < n] + [n]
    sentences: list[tuple[int, int]] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        first = a
        while first < b and text[tokens[first][0]:tokens[first][1]].isspace():
            first += 1
        if not sentences:
            sentences.append((a, b))
        elif first == b:  # whitespace only
            sentences[-1] = (sentences[-1][0], b)
        else:
            sentences[-1] = (sentences[-1][0], first)
            sentences.append((first, b))
    return sentences


def _gap(text: str, a: int, b: int, tokens: list[tuple[int, int]], words: list[str],
         spaces: list[bool]) -> None:
    """Text between stored tokens: one plain space is the previous token's trailing space,
    anything else becomes a token of its own (as spaCy's tokenizer makes ``"\\n\\n"``)."""
    if words and not spaces[-1] and text[a] == " ":
        spaces[-1] = True
        a += 1
    if a < b:
        tokens.append((a, b))
        words.append(text[a:b])
        spaces.append(False)


def _order_error(doc: Document, s: int, e: int) -> ExportError:
    return ExportError(f"{doc.name}: stored tokens overlap or are out of order at [{s}:{e}]; "
                       "re-import the document")


def _tokenize(doc: Document) -> list[tuple[int, int]]:
    from annotator.nlp.tokenize import get_tokenizer

    tokens, _ = next(get_tokenizer(doc.lang or "en").tokenize([doc.text]))
    return tokens

