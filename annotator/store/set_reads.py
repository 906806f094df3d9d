"""Whole annotation sets read in one query per table, streamed document by document.

Why its own module: agreement and merge read every document's sets of some annotators. Read
through the per-document calls (``Store.span_rows`` ...) that is one query per document and
table, which cost most of a 10,000-document agreement. Here each table is one query over every
wanted set, ordered by document (then by the order the per-document calls use, so callers see
the same rows in the same order), and the cursors are grouped with ``itertools.groupby`` and
walked side by side: one document's rows are in memory at a time, however many documents.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

SET_TABLES = ("spans", "events", "event_args", "relations", "chains")
# Within a document and set, the order of Store.span_rows, event_rows, argument_rows_for_doc,
# relation_rows and chain_rows.
_ORDER = {"spans": 't.start, t."end", t.id', "events": "t.created_at, t.id",
          "event_args": "t.event_id, t.position, t.id", "relations": "t.created_at, t.id",
          "chains": "t.created_at, t.id"}

Rows = list[Any]  # dicts of column -> value, or tuples in the order of the columns asked
SetRows = dict[str, Rows]


@dataclass(slots=True)
class DocumentSets:
    """One document's rows of the wanted sets: ``sets[annotator][table]`` (every wanted
    annotator and table present, empty when it has none), and its packed tokens when asked."""

    doc_id: str
    sets: dict[str, SetRows]
    tokens: bytes | None = None


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def annotation_sets(conn: sqlite3.Connection, annotators: Sequence[str],
                    doc_ids: Iterable[str] | None = None, *,
                    columns: Mapping[str, Sequence[str]] | None = None,
                    tokens: bool = False, as_tuples: bool = False) -> Iterator[DocumentSets]:
    """Every document (or those of ``doc_ids``, repeats kept) with the rows of
    ``annotators``' sets, in document id order. ``columns`` names the columns wanted per table
    (default every column; a table left out of a given mapping is not read); ``tokens`` adds
    each document's packed tokens; ``as_tuples`` gives rows as tuples in the order of
    ``columns`` (no dict per row: what a reader of a million rows saves). Unknown ids come
    with empty sets. Callers wanting one state of the file read inside ``Store.snapshot``."""
    wanted = list(dict.fromkeys(annotators))
    if doc_ids is None:
        ids: list[str] = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
        chosen = None
    else:
        ids = sorted(doc_ids)
        chosen = json.dumps(sorted(set(ids)))
    tables = [t for t in SET_TABLES if (columns is None or t in columns)
              and (t != "chains" or has_table(conn, "chains"))]
    # one query per table and set: the (annotator, doc_id) indexes give the document order,
    # so SQLite sorts each document's few rows, not every row of the file at once
    streams = {(t, a): _Stream(_table_groups(conn, t, a, chosen,
                                             None if columns is None else columns[t],
                                             as_tuples))
               for t in tables for a in wanted}
    token_rows = _Stream(_token_rows(conn, chosen)) if tokens else None
    for doc_id, same in groupby(ids):
        repeats = sum(1 for _ in same)
        sets: dict[str, SetRows] = {a: {t: [] for t in SET_TABLES} for a in wanted}
        for (table, who), stream in streams.items():
            found = stream.take(doc_id)
            if found is not None:
                sets[who][table] = found
        blob = token_rows.take(doc_id) if token_rows is not None else None
        for _ in range(repeats):
            yield DocumentSets(doc_id, sets, blob)


class _Stream:
    """A sorted iterator of (doc id, value) read up to a document id, one item ahead."""

    def __init__(self, items: Iterator[tuple[str, Any]]) -> None:
        self._items = items
        self._next = next(items, None)

    def take(self, doc_id: str) -> Any:
        """The value of ``doc_id`` (None when the stream has none), skipping smaller ids."""
        while self._next is not None and self._next[0] < doc_id:
            self._next = next(self._items, None)
        if self._next is None or self._next[0] != doc_id:
            return None
        value = self._next[1]
        self._next = next(self._items, None)
        return value


def _table_groups(conn: sqlite3.Connection, table: str, annotator: str, chosen: str | None,
                  cols: Sequence[str] | None, as_tuples: bool) -> Iterator[tuple[str, Rows]]:
    """(doc id, rows) of one table and set, in document id order."""
    owner = "e" if table == "event_args" else "t"
    source = (f"{table} t JOIN events e ON e.id = t.event_id" if table == "event_args"
              else f"{table} t")
    picked = "t.*" if cols is None else ", ".join(f't."{c}"' for c in cols)
    where = f"{owner}.annotator = ?"
    params: list[Any] = [annotator]
    if chosen is not None:
        where += f" AND {owner}.doc_id IN (SELECT value FROM json_each(?))"
        params.append(chosen)
    cur = conn.execute(f"SELECT {owner}.doc_id, {picked} FROM {source} WHERE {where} "
                       f"ORDER BY {owner}.doc_id, {_ORDER[table]}", params)
    names = [d[0] for d in cur.description][1:]
    for doc_id, rows in groupby(cur, key=itemgetter(0)):
        if as_tuples:
            yield doc_id, [r[1:] for r in rows]
        else:
            yield doc_id, [dict(zip(names, r[1:], strict=True)) for r in rows]


def _token_rows(conn: sqlite3.Connection, chosen: str | None) -> Iterator[tuple[str, bytes]]:
    if chosen is None:
        cur = conn.execute("SELECT doc_id, tokens FROM document_content ORDER BY doc_id")
    else:
        cur = conn.execute("SELECT doc_id, tokens FROM document_content WHERE doc_id IN "
                           "(SELECT value FROM json_each(?)) ORDER BY doc_id", (chosen,))
    yield from cur


# ---- what agreement compares, filtered in SQL ---------------------------------------------
# Per set and table, the rows ``core.agreement`` reads, as tuples: entity and value spans of
# status gold (start, end, label, attributes or None when empty) in the order of
# Store.span_rows; gold events (id, type, trigger id, attributes) and their arguments; gold
# relations (type, head id, tail id); gold chains (mentions JSON, type); "ids": every span's
# (id, start, end, status, fragments), read only for a set with events, relations or chains
# (to resolve their ends); "any": one row when the set has any span at all in the document.
_AGREEMENT_SQL = {
    "spans": ("spans t", 't.start, t."end", t.label, NULLIF(NULLIF(t.attrs, \'{}\'), \'\')',
              "t.status = 'gold' AND t.kind != 'trigger'", "t.label", _ORDER["spans"]),
    "events": ("events t", "t.id, t.type, t.trigger_id, t.attrs", "t.status = 'gold'",
               "t.type", _ORDER["events"]),
    "event_args": ("event_args a JOIN events t ON t.id = a.event_id",
                   "a.event_id, a.role, a.span_id, a.filler_event_id", "t.status = 'gold'",
                   "t.type", "a.event_id, a.position, a.id"),
    "relations": ("relations t", "t.type, t.head_id, t.tail_id", "t.status = 'gold'", "t.type",
                  _ORDER["relations"]),
    "chains": ("chains t", "t.mentions, t.type", "t.status = 'gold'", "t.type",
               _ORDER["chains"]),
    "ids": ("spans t", 't.id, t.start, t."end", t.status, t.fragments', "1", None,
            _ORDER["spans"]),
}
AGREEMENT_TABLES = (*_AGREEMENT_SQL, "any")


def agreement_sets(conn: sqlite3.Connection, annotators: Sequence[str],
                   doc_ids: Iterable[str] | None = None, labels: Iterable[str] | None = None,
                   *, tokens: bool = True) -> Iterator[DocumentSets]:
    """Every document (or each of ``doc_ids`` once) with, per annotator, the rows agreement
    compares (``AGREEMENT_TABLES``, filtered here: gold status, no triggers among the spans,
    only ``labels`` when given), in document id order, one document in memory at a time."""
    wanted = list(dict.fromkeys(annotators))
    if doc_ids is None:
        ids: list[str] = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
        chosen = None
    else:
        ids = sorted(set(doc_ids))
        chosen = json.dumps(ids)
    only = None if labels is None else json.dumps(sorted(set(labels)))
    streams: dict[tuple[str, str], _Stream] = {}
    for who in wanted:
        linked = _has_links(conn, who)
        for table in _AGREEMENT_SQL:
            if table == "chains" and not has_table(conn, "chains"):
                continue
            if table == "ids" and not linked:
                continue
            streams[table, who] = _Stream(_filtered_groups(conn, table, who, chosen, only))
        streams["any", who] = _Stream(_any_span(conn, who, chosen))
    token_rows = _Stream(_token_rows(conn, chosen)) if tokens else None
    for doc_id in ids:
        sets: dict[str, SetRows] = {a: {t: [] for t in AGREEMENT_TABLES} for a in wanted}
        for (table, who), stream in streams.items():
            found = stream.take(doc_id)
            if found is not None:
                sets[who][table] = found
        blob = token_rows.take(doc_id) if token_rows is not None else None
        yield DocumentSets(doc_id, sets, blob)


def _has_links(conn: sqlite3.Connection, annotator: str) -> bool:
    """Whether the set has events, relations or chains (whose ends are span ids)."""
    tables = ["events", "relations"] + (["chains"] if has_table(conn, "chains") else [])
    return any(conn.execute(f"SELECT 1 FROM {t} WHERE annotator = ? LIMIT 1",
                            (annotator,)).fetchone() for t in tables)


def _filtered_groups(conn: sqlite3.Connection, table: str, annotator: str,
                     chosen: str | None, only: str | None) -> Iterator[tuple[str, Rows]]:
    source, picked, where, label, order = _AGREEMENT_SQL[table]
    sql = f"SELECT t.doc_id, {picked} FROM {source} WHERE t.annotator = ? AND {where}"
    params: list[Any] = [annotator]
    if chosen is not None:
        sql += " AND t.doc_id IN (SELECT value FROM json_each(?))"
        params.append(chosen)
    if only is not None and label is not None:
        sql += f" AND {label} IN (SELECT value FROM json_each(?))"
        params.append(only)
    cur = conn.execute(f"{sql} ORDER BY t.doc_id, {order}", params)
    for doc_id, rows in groupby(cur, key=itemgetter(0)):
        yield doc_id, [r[1:] for r in rows]


def _any_span(conn: sqlite3.Connection, annotator: str,
              chosen: str | None) -> Iterator[tuple[str, Rows]]:
    sql = "SELECT DISTINCT doc_id FROM spans WHERE annotator = ?"
    params: list[Any] = [annotator]
    if chosen is not None:
        sql += " AND doc_id IN (SELECT value FROM json_each(?))"
        params.append(chosen)
    for (doc_id,) in conn.execute(sql + " ORDER BY doc_id", params):
        yield doc_id, [(1,)]
