"""Corpus search: documents whose text contains a phrase, through the FTS5 word index.

The answer is exactly that of a plain scan, ``instr(lower(text), lower(query))`` (a substring,
case-insensitive for ASCII): the word index only narrows the documents the scan looks at. For
an ASCII query the index's word boundaries are known (``unicode61`` splits ASCII text at every
character that is not a letter or digit), so every document containing the query holds
  - the query's words after its first separator as consecutive words (the last one possibly
    longer: a prefix), or, for a query of one word (possibly part of a longer word),
  - a word of the index vocabulary containing it.
Other queries (non-ASCII, no letters or digits, a word found in too many vocabulary terms),
files without the index (a read-only old file) and an index that misses documents use the
scan, which ~30 MB of news text takes well under a second.
"""

from __future__ import annotations

import re
import sqlite3

from annotator.store.tables import SEARCH_TABLE, SEARCH_VOCABULARY

_WORD = re.compile(r"[A-Za-z0-9]+")
MAX_TERMS = 200  # a fragment inside more vocabulary words than this: scanning is as quick

_SCAN = """SELECT d.id FROM documents d JOIN document_content c ON c.doc_id = d.id
           WHERE instr(lower(c.text), lower(?)) > 0 ORDER BY d.position LIMIT ?"""
_FILTERED = """SELECT d.id FROM documents d JOIN document_content c ON c.doc_id = d.id
               WHERE c.rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)
                 AND instr(lower(c.text), lower(?)) > 0 ORDER BY d.position LIMIT ?"""


def search_documents(conn: sqlite3.Connection, query: str, limit: int) -> list[str]:
    """Ids of documents whose text contains ``query``, in document order (at most ``limit``)."""
    match = _match_expression(conn, query) if _has_index(conn) else None
    if match is None:
        return [r[0] for r in conn.execute(_SCAN, (query, limit))]
    sql = _FILTERED.format(fts=SEARCH_TABLE)
    return [r[0] for r in conn.execute(sql, (match, query, limit))]


def _has_index(conn: sqlite3.Connection) -> bool:
    """The index exists and holds every document (rows that another tool inserted, or a
    VACUUM that renumbered rowids, leave it behind: then the scan answers)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                    (SEARCH_VOCABULARY,)).fetchone() is None:
        return False
    stored = conn.execute("SELECT count(*), max(rowid) FROM document_content").fetchone()
    indexed = conn.execute(f"SELECT count(*), max(id) FROM {SEARCH_TABLE}_docsize").fetchone()
    return tuple(stored) == tuple(indexed)


def _match_expression(conn: sqlite3.Connection, query: str) -> str | None:
    """An FTS5 expression every document containing ``query`` matches, or None (scan)."""
    if not query.isascii():
        return None
    words = list(_WORD.finditer(query))
    if not words:
        return None
    # a word after a separator starts a word of the document too; the words after it up to
    # the last are whole words; the last is whole only when a separator follows it
    starts = [i for i, w in enumerate(words) if w.start() > 0]
    if not starts:  # one word at the very start: possibly the inside of a longer word
        return _vocabulary_expression(conn, words[0].group().lower())
    phrase = " ".join(w.group().lower() for w in words[starts[0]:])
    return f'"{phrase}"' + ("" if words[-1].end() < len(query) else " *")


def _vocabulary_expression(conn: sqlite3.Connection, fragment: str) -> str | None:
    """Any vocabulary word containing ``fragment`` (the query lies inside one word)."""
    terms = [r[0] for r in conn.execute(
        f"SELECT term FROM {SEARCH_VOCABULARY} WHERE instr(term, ?) > 0 LIMIT ?",
        (fragment, MAX_TERMS + 1))]
    if len(terms) > MAX_TERMS:
        return None
    if not terms:
        return '"' + fragment + '"'  # in no document: the filtered query finds nothing
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
