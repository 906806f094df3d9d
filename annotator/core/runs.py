"""Where a missing name, date or number usually is: the next unlabelled run of capitalised
or numeric tokens after a position (the window's ``U`` key).

A run is a maximal sequence of tokens, separated by spaces only (not by a line break or a
punctuation token), each starting with an upper-case letter or a digit, none covered by a
span. A one-token run at the start of a sentence whose lower-case form occurs elsewhere in
the document ("The", "But") is an ordinary word, not a name, and is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def _starts_run(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def unlabelled_runs(text: str, tokens: Sequence[tuple[int, int]],
                    sentences: Sequence[tuple[int, int]],
                    covered: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every unlabelled capitalised or numeric run of a document, in text order."""
    spans = sorted(covered)
    inside: set[int] = set()
    for start, end in spans:
        inside.update(i for i, (s, e) in enumerate(tokens) if s < end and start < e)
    sentence_starts = {s for s, _ in sentences}
    lower_words = {text[s:e] for s, e in tokens if text[s:e].islower()}
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        s, e = tokens[i]
        if i in inside or not _starts_run(text[s:e]):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and j + 1 not in inside:
            gap = text[tokens[j][1]:tokens[j + 1][0]]
            nxt = text[tokens[j + 1][0]:tokens[j + 1][1]]
            if gap.strip(" ") or "\n" in gap or not _starts_run(nxt):
                break
            j += 1
        word = text[s:e]
        common = j == i and s in sentence_starts and word.lower() in lower_words
        if not common:
            runs.append((s, tokens[j][1]))
        i = j + 1
    return runs


def next_unlabelled_run(text: str, tokens: Sequence[tuple[int, int]],
                        sentences: Sequence[tuple[int, int]],
                        covered: Iterable[tuple[int, int]], after: int
                        ) -> tuple[int, int] | None:
    """The first unlabelled run starting at or after ``after`` (None: there is none)."""
    return next((r for r in unlabelled_runs(text, tokens, sentences, covered)
                 if r[0] >= after), None)
