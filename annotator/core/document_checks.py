"""Rules a document must meet to be stored, shared by import, the API and ``check``.

Why one module: import used to accept what the API refused (an event that is its own
argument), and stored tokens were never checked, so overlapping or unsorted tokens passed
import and ``check`` and then broke every training export. Every path that stores or checks a
document calls these functions, so they cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from annotator.errors import ValidationError

# ids brought by imported files: brat's T1, uuids, our 32 hex digits; nothing that breaks a line
# based format or a file name
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_NAMES = {"\x00": "NUL", "\t": "a tab", "\n": "a newline", "\r": "a carriage return"}


def check_id(what: str, value: str) -> None:
    """An id an imported file brings: letters, digits and ``_ . : -``, at most 128."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValidationError(f"{what} id {value!r} is not valid (letters, digits and _ . : - "
                              "only, at most 128 characters)")


def check_name(what: str, value: str) -> None:
    """A document or annotation-set name: no control characters (NUL, tab, newline ...)."""
    bad = _CONTROL.search(value)
    if bad:
        char = bad.group()
        shown = _CONTROL_NAMES.get(char, f"U+{ord(char):04X}")
        raise ValidationError(f"{what} {value!r} contains {shown}, which a name cannot hold")


def name_from_title(title: object) -> str:
    """A document name made from a title (an unnamed import): control characters become
    spaces, so the name passes ``check_name`` and a re-import of the export accepts it."""
    return " ".join(_CONTROL.sub(" ", str(title or "")).split()) or "document"


def check_text(text: str) -> None:
    """Document text: no NUL characters (exporters and other tools stop reading at one)."""
    at = text.find("\x00")
    if at >= 0:
        raise ValidationError(f"the text holds a NUL character at offset {at}")


def pairs_of(value: Any) -> list[tuple[int, int]]:
    """(start, end) pairs from a list of pairs or a flat int array (as the tokenizer packs)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    items = list(value)
    if items and not isinstance(items[0], list | tuple):
        return list(zip(items[0::2], items[1::2], strict=True))
    return [(int(a), int(b)) for a, b in items]


def offset_problems(what: str, pairs: Iterable[tuple[int, int]], length: int, *,
                    allow_empty: bool = False) -> Iterator[str]:
    """Each way ``pairs`` (tokens or sentences, character offsets) break the rules: inside the
    text, non-empty, sorted and not overlapping."""
    previous_end = 0
    for i, (start, end) in enumerate(pairs):
        if not (0 <= start <= end <= length) or (start == end and not allow_empty):
            yield (f"{what}[{i}] = [{start}, {end}] is outside the text (length {length}) "
                   "or empty")
            return
        if start < previous_end:
            yield (f"{what}[{i}] = [{start}, {end}] overlaps or precedes the one before it "
                   f"(which ends at {previous_end}); {what} must be sorted and not overlap")
            return
        previous_end = end


def check_offsets(text: str, tokens: Any, sentences: Any) -> None:
    """Raise ValidationError for the first broken token or sentence of a document."""
    for what, value in (("tokens", tokens), ("sentences", sentences)):
        if value is None:
            continue
        for problem in offset_problems(what, pairs_of(value), len(text)):
            raise ValidationError(problem)
