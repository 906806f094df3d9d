"""The lines of a brat ``.ann`` file: splitting, ids, ``T`` offsets and role numbering.

As brat's own parser (``server/src/annotation.py``): a line is split on its first two TABs
(the TEXT field may hold TABs), a ``\\r`` before the ``\\n`` is dropped, blank lines are
skipped. ``T`` fragments separated only by line breaks are one span crossing a line; any other
discontinuous span keeps its fragments (``discontinuous="fragments"``, the default), or becomes
its hull (``"hull"``, reported), or is refused (``"error"``). The TEXT
field is compared with the text at the offsets (mismatches reported, the offsets win).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from annotator.errors import InputFormatError

log = logging.getLogger("annotator.formats.brat")
Warn = Callable[[str], None]

#: Characters that end a line for ``str.splitlines`` (and so cannot appear in a TEXT field).
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
LB_RE = re.compile(f"[{re.escape(LINE_BREAKS)}]")
LB_RUN_RE = re.compile(f"[{re.escape(LINE_BREAKS)}]+")
_ROLE_RE = re.compile(r"^(.*?)(\d+)$")
_ID_RE = re.compile(r"^[TERAMN#*][A-Za-z0-9_-]*$")


def default_warn(message: str) -> None:
    log.warning("%s", message)


@dataclass
class Line:
    lineno: int
    id: str
    data: str
    tail: str | None


@dataclass
class Parsed:
    """The lines of one file by kind (``T`` already read into type and offsets)."""

    # T id -> (line, type, start, end)
    t: dict[str, tuple[Line, str, int, int]] = field(default_factory=dict)
    fragments: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # T id -> frags
    e: dict[str, Line] = field(default_factory=dict)
    r: dict[str, Line] = field(default_factory=dict)
    equiv: list[Line] = field(default_factory=list)
    a: list[Line] = field(default_factory=list)
    n: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)

    def defined(self, ann_id: str) -> bool:
        """Whether ``ann_id`` is a ``T`` or ``E`` of this file (what arguments may name)."""
        return ann_id in self.t or ann_id in self.e


def split_role(role: str) -> str:
    """brat's numbering removed: ``Org-Arg2`` -> ``Org-Arg``, ``Theme1`` -> ``Theme``."""
    m = _ROLE_RE.match(role)
    return m.group(1) if m and m.group(1) else role


def split_lines(ann_text: str, src: str,
                on_bad: Callable[[InputFormatError], None] | None = None) -> Iterator[Line]:
    """The non-blank lines of ``ann_text``; a line that is not ``ID<TAB>...`` is refused, or
    handed to ``on_bad`` and skipped (brat's own parser skips it)."""
    for lineno, raw in enumerate(ann_text.split("\n"), start=1):
        if raw.endswith("\r"):
            raw = raw[:-1]
        if not raw.strip():
            continue
        parts = raw.split("\t", 2)
        ann_id = parts[0].strip()
        problem = None
        if len(parts) < 2:
            problem = f"expected ID<TAB>ANNOTATION, got {raw!r}"
        elif not ann_id or not _ID_RE.match(ann_id):
            problem = (f"bad annotation id {parts[0]!r} (expected T, E, R, A, M, N, # or * "
                       "followed by a number)")
        if problem is not None:
            exc = InputFormatError(problem, path=src, line=lineno)
            if on_bad is None:
                raise exc
            on_bad(exc)
            continue
        yield Line(lineno, ann_id, parts[1].strip(" "), parts[2] if len(parts) == 3 else None)


def _fragments(text: str, spec: str, src: str, line: Line) -> list[tuple[int, int]]:
    frags: list[tuple[int, int]] = []
    for frag in spec.split(";"):
        bits = frag.split()
        if len(bits) != 2:
            raise InputFormatError(f"{line.id}: bad offsets {frag.strip()!r} (expected "
                                   "'START END')", path=src, line=line.lineno, field="offsets")
        try:
            s, e = int(bits[0]), int(bits[1])
        except ValueError:
            raise InputFormatError(f"{line.id}: offsets must be integers, got {frag.strip()!r}",
                                   path=src, line=line.lineno, field="offsets") from None
        if not 0 <= s < e <= len(text):
            raise InputFormatError(f"{line.id}: span {s} {e} is empty or outside the text "
                                   f"(length {len(text)})", path=src, line=line.lineno,
                                   field="offsets")
        frags.append((s, e))
    return frags


def offsets(text: str, data: str, src: str, line: Line, discontinuous: str,
            warn: Warn) -> tuple[str, int, int, list[tuple[int, int]]]:
    """(type, start, end, fragments) of a ``T`` line's data ``TYPE s e[;s e]*``: fragments
    are [] for a contiguous span or one whose fragments are separated only by line breaks
    (how a span crossing a line is written); otherwise the sorted fragments, or with
    ``discontinuous="hull"`` [] and the hull (reported), or with ``"error"`` refused."""
    label, _, spec = data.partition(" ")
    if not label or not spec:
        raise InputFormatError(f"{line.id}: expected 'TYPE START END', got {data!r}", path=src,
                               line=line.lineno)
    frags = _fragments(text, spec, src, line)
    if len(frags) == 1:
        start, end = frags[0]
        if line.tail is not None:
            expected = text[start:end]
            if expected != line.tail and LB_RE.sub(" ", expected) != line.tail:
                warn(f"{src}:{line.lineno}: {line.id}: TEXT {line.tail!r} does not match the "
                     f"text at its offsets {expected!r} (offsets kept)")
        return label, start, end, []
    frags.sort()
    start, end = frags[0][0], max(e for _, e in frags)
    if line.tail is not None:
        expected = " ".join(text[s:e] for s, e in frags)
        if LB_RE.sub(" ", expected) != LB_RE.sub(" ", line.tail):
            warn(f"{src}:{line.lineno}: {line.id}: TEXT {line.tail!r} does not match the text "
                 f"at its offsets {expected!r} (offsets kept)")
    kept = _kept_fragments(text, frags)
    if len(kept) < 2:
        return label, start, end, []
    if discontinuous == "error":
        raise InputFormatError(
            f"{line.id}: discontinuous span {spec!r} refused (discontinuous=error; the default "
            "discontinuous=fragments keeps its fragments)", path=src, line=line.lineno,
            field="offsets")
    if discontinuous == "hull":
        warn(f"{src}:{line.lineno}: {line.id}: discontinuous span {spec!r} imported as its "
             f"hull {start} {end} (discontinuous=hull)")
        return label, start, end, []
    return label, start, end, kept


def _kept_fragments(text: str, frags: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted fragments with overlapping ones and ones separated only by line breaks
    joined."""
    out = [frags[0]]
    for a, b in frags[1:]:
        last_a, last_b = out[-1]
        if a <= last_b or not text[last_b:a].strip(LINE_BREAKS):
            out[-1] = (last_a, max(last_b, b))
        else:
            out.append((a, b))
    return out


def collect(text: str, ann_text: str, src: str, discontinuous: str, warn: Warn,
            on_bad: Callable[[InputFormatError], None] | None = None) -> Parsed:
    """Every line of ``ann_text`` sorted by kind; duplicate ids refused (``*`` has none). With
    ``on_bad``, a bad line is handed to it and skipped instead (the first of two lines with
    one id is kept)."""
    p = Parsed()
    seen: dict[str, int] = {}
    for line in split_lines(ann_text, src, on_bad):
        try:
            _dispatch(p, seen, line, text, src, discontinuous, warn)
        except InputFormatError as exc:
            if on_bad is None:
                raise
            on_bad(exc)
    return p


def _dispatch(p: Parsed, seen: dict[str, int], line: Line, text: str, src: str,
              discontinuous: str, warn: Warn) -> None:
    """File ``line`` under its kind in ``p``."""
    kind = line.id[0]
    if kind != "*" and line.id in seen:
        raise InputFormatError(f"id {line.id} already used on line {seen[line.id]}",
                               path=src, line=line.lineno)
    if kind == "T":
        label, s, e, frags = offsets(text, line.data, src, line, discontinuous, warn)
        p.t[line.id] = (line, label, s, e)
        if frags:
            p.fragments[line.id] = frags
    elif kind == "E":
        p.e[line.id] = line
    elif kind == "R":
        p.r[line.id] = line
    elif kind == "*":
        p.equiv.append(line)
    elif kind in "AM":
        p.a.append(line)
    elif kind == "N":
        p.n.append(line)
    else:  # "#"
        p.notes.append(line)
    if kind != "*":
        seen[line.id] = line.lineno
