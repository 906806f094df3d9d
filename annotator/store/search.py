"""Corpus search: documents whose text contains a phrase, narrowed by the FTS5 word index.

The answer is exactly that of a plain scan, ``instr(lower(text), lower(query))`` (a substring,
case-insensitive for ASCII): the word index only narrows the documents the scan looks at. For
an ASCII query the index's word boundaries are known (``unicode61`` splits ASCII text at every
character that is not a letter or digit), so every document containing the query holds the
query's words after its first separator as consecutive words, the last one possibly longer (a
prefix). Queries without such a word (one word at the start, which may lie inside a longer
word; non-ASCII; no letters or digits), files without the index (a read-only old file) and an
index that misses documents use the scan, which ~30 MB of news text takes well under a second.
"""

from __future__ import annotations

import re
import sqlite3

from annotator.store.tables import SEARCH_TABLE

_WORD = re.compile(r"[A-Za-z0-9]+")
FEW = 1000  # candidates up to this many are sorted; more: walk documents in order, stop early

_SCAN = """SELECT d.id FROM documents d JOIN document_content c ON c.doc_id = d.id
           WHERE instr(lower(c.text), lower(?)) > 0 ORDER BY d.position LIMIT ?"""
_CANDIDATES = f"SELECT count(*) FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?"
# {join}: JOIN lets SQLite start from the few candidates; CROSS JOIN makes it walk the
# documents in position order and stop at the limit (many candidates: 15 ms -> 3 ms)
_FILTERED = """SELECT d.id FROM documents d {join} document_content c ON c.doc_id = d.id
               WHERE c.rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)
                 AND instr(lower(c.text), lower(?)) > 0 ORDER BY d.position LIMIT ?"""


def search_documents(conn: sqlite3.Connection, query: str, limit: int) -> list[str]:
    """Ids of documents whose text contains ``query``, in document order (at most ``limit``)."""
    match = match_expression(query) if _index_is_complete(conn) else None
    if match is None:
        return [r[0] for r in conn.execute(_SCAN, (query, limit))]
    many = conn.execute(_CANDIDATES, (match,)).fetchone()[0] > FEW
    sql = _FILTERED.format(join="CROSS JOIN" if many else "JOIN", fts=SEARCH_TABLE)
    return [r[0] for r in conn.execute(sql, (match, query, limit))]


def match_expression(query: str) -> str | None:
    """An FTS5 expression every document containing ``query`` matches, or None (scan)."""
    if not query.isascii():
        return None
    words = list(_WORD.finditer(query))
    # a word after a separator starts a word of the document too; the words after it up to
    # the last are whole words; the last is whole only when a separator follows it
    starts = [i for i, w in enumerate(words) if w.start() > 0]
    if not starts:
        return None
    phrase = " ".join(w.group().lower() for w in words[starts[0]:])
    return f'"{phrase}"' + ("" if words[-1].end() < len(query) else " *")


def _index_is_complete(conn: sqlite3.Connection) -> bool:
    """The index exists and holds every document (rows that another tool inserted, or a
    VACUUM that renumbered rowids, leave it behind: then the scan answers)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                    (SEARCH_TABLE,)).fetchone() is None:
        return False
    stored = conn.execute("SELECT count(*), max(rowid) FROM document_content").fetchone()
    indexed = conn.execute(f"SELECT count(*), max(id) FROM {SEARCH_TABLE}_docsize").fetchone()
    return tuple(stored) == tuple(indexed)


def narrowing(conn: sqlite3.Connection, query: str) -> str | None:
    """The FTS5 expression that every document containing ``query`` matches, when the index
    is complete and the query has a word it can look up; None: scan the texts (the same
    rule ``search_documents`` follows, for callers that read more than the ids)."""
    return match_expression(query) if _index_is_complete(conn) else None
