"""The SQL of the live gold dictionary's project-wide write (``core.bulk_suggest``): the
documents whose text holds a word (read with their text and tokens in one query, narrowed by
the FTS5 word index where ``store.search`` can), the spans at many places of many documents
at once, the documents with gold, and which spans other annotations hang on.

One query per question instead of one per document: proposing a text across 10,000
documents read and wrote each document apart (~1.3 ms a document, 11 s in all).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.store.search import match_expression, narrowing

CHUNK = 500  # ids per IN (...) list

_HOLDING = """SELECT d.id, c.text, c.tokens, d.position FROM documents d
              JOIN document_content c ON c.doc_id = d.id
              WHERE {narrow} d.position > ? AND instr(c.text, ?) > 0
              ORDER BY d.position LIMIT ?"""
_NARROW = "c.rowid IN (SELECT rowid FROM document_content_fts WHERE " \
          "document_content_fts MATCH ?) AND"


def texts_holding(conn: sqlite3.Connection, word: str, after: int = -1, limit: int = -1
                  ) -> list[tuple[str, str, bytes, int]]:
    """(id, text, tokens blob, position) of the documents whose text contains ``word``
    (exactly, case and all), in document order: those after position ``after``, at most
    ``limit`` of them (-1: all). The FTS index narrows the scan when its words say which
    documents can hold ``word`` (``store.search.narrowing``); otherwise ``instr`` reads every
    text (C speed: 30 MB in well under 0.1 s)."""
    match = narrowing(conn, word)
    if match is None:
        return conn.execute(_HOLDING.format(narrow=""), (after, word, limit)).fetchall()
    return conn.execute(_HOLDING.format(narrow=_NARROW),
                        (match, after, word, limit)).fetchall()


_CANDIDATES = """SELECT c.rowid FROM document_content c JOIN documents d ON d.id = c.doc_id
                 WHERE c.rowid IN (SELECT rowid FROM document_content_fts
                                   WHERE document_content_fts MATCH ?)
                 ORDER BY d.position"""
_PAGE = """SELECT d.id, c.text, c.tokens, d.position FROM document_content c
           JOIN documents d ON d.id = c.doc_id
           WHERE c.rowid IN ({marks}) AND instr(c.text, ?) > 0 ORDER BY d.position"""
_OF = """SELECT d.id, c.text, c.tokens, d.position FROM documents d
         JOIN document_content c ON c.doc_id = d.id
         WHERE d.id IN ({marks}) AND instr(c.text, ?) > 0 ORDER BY d.position"""


def pages_holding(conn: sqlite3.Connection, word: str, size: int
                  ) -> Iterator[list[tuple[str, str, bytes, int]]]:
    """``texts_holding``'s rows of every document holding ``word``, ``size`` documents at a
    time (a caller steps aside between two pages). The FTS index is asked once which
    documents may hold it (their row numbers, in document order; each page then reads just
    those), instead of once per page; without its help each page scans on by position."""
    # a single word is never narrowed (``match_expression``): no need to count the index
    match = narrowing(conn, word) if match_expression(word) is not None else None
    if match is None:
        after = -1
        while True:
            page = conn.execute(_HOLDING.format(narrow=""), (after, word, size)).fetchall()
            if page:
                yield page
            if len(page) < size:
                return
            after = page[-1][3]
    rowids = [r[0] for r in conn.execute(_CANDIDATES, (match,))]
    for i in range(0, len(rowids), size):
        chunk = rowids[i:i + size]
        page = conn.execute(_PAGE.format(marks=", ".join("?" * len(chunk))),
                            (*chunk, word)).fetchall()
        if page:
            yield page


def texts_of(conn: sqlite3.Connection, doc_ids: Sequence[str], word: str
             ) -> list[tuple[str, str, bytes, int]]:
    """``texts_holding``'s rows of those of ``doc_ids`` whose text contains ``word``."""
    out: list[tuple[str, str, bytes, int]] = []
    for i in range(0, len(doc_ids), CHUNK):
        chunk = list(doc_ids[i:i + CHUNK])
        out += conn.execute(_OF.format(marks=", ".join("?" * len(chunk))),
                            (*chunk, word)).fetchall()
    return out


def spans_at(conn: sqlite3.Connection, annotator: str,
             places: Iterable[tuple[str, int, int]]) -> list[dict[str, Any]]:
    """Every span of ``annotator``'s set at one of ``places`` (doc id, start, end), whatever
    its label, status or source. CROSS JOIN: the places first, each looked up in the
    ``spans_doc`` index (left to itself SQLite walked all the set's spans: 33 ms a call)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS live_places "
                 "(doc_id TEXT, start INTEGER, \"end\" INTEGER)")
    conn.execute("DELETE FROM live_places")
    conn.executemany("INSERT INTO live_places VALUES (?, ?, ?)", places)
    cur = conn.execute(
        """SELECT s.* FROM live_places p CROSS JOIN spans s
           ON s.doc_id = p.doc_id AND s.annotator = ? AND s.start = p.start
              AND s."end" = p."end" """, (annotator,))
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    conn.execute("DELETE FROM live_places")
    return rows


def held_spans(conn: sqlite3.Connection, span_ids: Sequence[str]) -> set[str]:
    """Which of ``span_ids`` a relation, an event (as its trigger) or an argument uses."""
    held: set[str] = set()
    for i in range(0, len(span_ids), CHUNK):
        chunk = list(span_ids[i:i + CHUNK])
        marks = ", ".join("?" * len(chunk))
        for sql in (f"SELECT head_id FROM relations WHERE head_id IN ({marks})",
                    f"SELECT tail_id FROM relations WHERE tail_id IN ({marks})",
                    f"SELECT trigger_id FROM events WHERE trigger_id IN ({marks})",
                    f"SELECT span_id FROM event_args WHERE span_id IN ({marks})"):
            held.update(r[0] for r in conn.execute(sql, chunk))
    return held


def gold_document_ids(conn: sqlite3.Connection, annotator: str) -> list[str]:
    """The documents where ``annotator``'s set has gold spans, in document order (what the
    dictionary learns from; suggestions alone teach it nothing)."""
    return [r[0] for r in conn.execute(
        """SELECT d.id FROM documents d WHERE EXISTS (
               SELECT 1 FROM spans s WHERE s.doc_id = d.id AND s.annotator = ?
               AND s.status = 'gold') ORDER BY d.position""", (annotator,))]


def delete_spans(conn: sqlite3.Connection, span_ids: Sequence[str]) -> None:
    """Delete spans by id (the caller checked that nothing hangs on them)."""
    conn.executemany("DELETE FROM spans WHERE id = ?", [(i,) for i in span_ids])
