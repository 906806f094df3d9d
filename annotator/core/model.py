"""Plain dataclasses for documents and annotations; offsets are code points, end exclusive.

A span is one or more fragments (``Span.fragments``; empty = the one fragment ``start, end``,
which are always the hull), carries knowledge-base references (``Reference``: database, id,
name), and may be a mention of a coreference chain (``Chain``: ACE's entity, brat's ``*``
equivalence, DyGIE++'s cluster)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

SpanKind = Literal["entity", "trigger", "value"]
SpanStatus = Literal["gold", "suggested", "rejected"]
SpanOrigin = Literal["manual", "import", "model", "pattern", "dictionary"]
DocStatus = Literal["new", "in_progress", "done"]

SPAN_KINDS: tuple[str, ...] = ("entity", "trigger", "value")
SPAN_STATUSES: tuple[str, ...] = ("gold", "suggested", "rejected")
SPAN_ORIGINS: tuple[str, ...] = ("manual", "import", "model", "pattern", "dictionary")
DOC_STATUSES: tuple[str, ...] = ("new", "in_progress", "done")


def new_id() -> str:
    """A globally unique, stable id (so projects from several annotators merge without clashes).

    UUID version 7 layout as 32 hex digits: a millisecond timestamp, then random bits. Ids made
    one after another sort together, so inserting them keeps SQLite's index pages local
    instead of touching a random page per row."""
    stamp = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (stamp & 0xFFFF_FFFF_FFFF) << 80 | rand
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return f"{value:032x}"


def now() -> str:
    """UTC timestamp in ISO 8601 with milliseconds, the form every record carries."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(slots=True)
class Token:
    """One token of the stored tokenisation (code-point offsets, end exclusive)."""

    start: int
    end: int


@dataclass(slots=True)
class Document:
    """An article: verbatim text plus tokens and sentences computed once at import."""

    id: str
    name: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    lang: str = "en"
    content_hash: str = ""
    tokens: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    tokenizer: str = ""
    created_at: str = ""
    position: int = 0

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or "")


@dataclass(slots=True)
class DocumentSummary:
    """What a document list shows, without loading the text."""

    id: str
    name: str
    title: str
    length: int
    status: str
    annotation_count: int
    position: int


@dataclass(slots=True, kw_only=True)
class Tracked:
    """What every annotation records: gold/suggested/rejected, where it came from, its
    annotation set (``annotator``), who made and last changed it and when (keyword-only);
    a suggestion also names its ``source`` (pipeline, patterns file, ``gold-dictionary``)
    and its ``score`` when the source gives one."""

    status: str = "gold"
    origin: str = "manual"
    annotator: str = ""
    created_by: str = ""
    created_at: str = ""
    modified_by: str = ""
    modified_at: str = ""
    source: str = ""
    score: float | None = None


@dataclass(slots=True, frozen=True)
class Reference:
    """A knowledge-base reference: database (``Wikidata``, ``Wikipedia`` ...), the entry's id
    in it, and the entry's name (may be empty: an empty name stays empty)."""

    db: str
    id: str
    name: str = ""

    @property
    def key(self) -> str:
        """``DB:ID`` as brat writes it (just ``ID`` without a database)."""
        return f"{self.db}:{self.id}" if self.db else self.id

    @classmethod
    def from_key(cls, key: str, name: str = "") -> Reference:
        """``Wikidata:Q42`` -> Reference("Wikidata", "Q42"); ``Q42`` -> Reference("", "Q42")."""
        db, sep, ident = key.partition(":")
        return cls(db, ident, name) if sep and db and ident else cls("", key, name)


@dataclass(slots=True)
class Span(Tracked):
    """A text span: entity mention, event trigger or value (time, money ...)."""

    id: str
    doc_id: str
    start: int
    end: int
    label: str
    kind: str = "entity"
    attrs: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    kb_id: str = ""
    # two or more (start, end) pairs, sorted, disjoint, their hull = (start, end); empty for a
    # contiguous span (brat ``T1 Location 0 5;16 23``)
    fragments: list[tuple[int, int]] = field(default_factory=list)
    refs: list[Reference] = field(default_factory=list)

    @property
    def parts(self) -> list[tuple[int, int]]:
        """The fragments, or the one ``(start, end)`` of a contiguous span."""
        return list(self.fragments) if self.fragments else [(self.start, self.end)]


@dataclass(slots=True)
class Argument:
    """One (role, filler) pair of an event; the filler is a span or another event."""

    id: str
    event_id: str
    role: str
    filler_id: str
    filler_kind: str = "span"  # "span" | "event"
    position: int = 0
    status: str = "gold"  # a suggested argument of an event: "suggested", then gold/rejected
    origin: str = "manual"
    source: str = ""
    score: float | None = None


@dataclass(slots=True)
class Event(Tracked):
    """An event mention: type, trigger span, attributes and role arguments."""

    id: str
    doc_id: str
    type: str
    trigger_id: str
    attrs: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    arguments: list[Argument] = field(default_factory=list)


@dataclass(slots=True)
class Relation(Tracked):
    """A typed binary relation between two spans (head -> tail; canonical order if symmetric)."""

    id: str
    doc_id: str
    type: str
    head_id: str
    tail_id: str
    attrs: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(slots=True)
class Chain(Tracked):
    """A coreference chain (an entity): its mentions (span ids, in order) of one document and
    annotation set, a type (``PER``, or brat's equivalence type such as ``Alias``), attributes,
    knowledge-base references and a note."""

    id: str
    doc_id: str
    type: str
    mentions: list[str] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    refs: list[Reference] = field(default_factory=list)
    note: str = ""


@dataclass(slots=True)
class Annotations:
    """All annotations of one document in one annotation set."""

    spans: list[Span] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    chains: list[Chain] = field(default_factory=list)

    def span_by_id(self) -> dict[str, Span]:
        return {s.id: s for s in self.spans}
