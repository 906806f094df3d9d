"""The SQL that suggestions need: a source's open and rejected rows in one document and set,
the open suggestions matching a bulk accept/reject filter, and gold-only and suggested-only
counts for ``stats`` (suggestions are never counted as gold)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.store.store import Store

TABLES = ("spans", "events", "relations")
NAME_COLUMN = {"spans": "label", "events": "type", "relations": "type"}


def _rows(store: Store, sql: str, params: Iterable[Any]) -> list[dict[str, Any]]:
    cur = store.conn.execute(sql, tuple(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def source_rows(store: Store, table: str, doc_id: str, annotator: str, source: str,
                status: str) -> list[dict[str, Any]]:
    """Rows of ``table`` (spans, events, relations) with this status from ``source``."""
    assert table in TABLES
    return _rows(store, f"SELECT * FROM {table} WHERE doc_id = ? AND annotator = ? AND "
                        "source = ? AND status = ? AND status != 'gold'",
                 (doc_id, annotator, source, status))


def source_argument_rows(store: Store, doc_id: str, annotator: str, source: str,
                         status: str) -> list[dict[str, Any]]:
    """Arguments with this status from ``source`` of the events of one document and set."""
    return _rows(store, "SELECT a.* FROM event_args a JOIN events e ON e.id = a.event_id "
                        "WHERE e.doc_id = ? AND e.annotator = ? AND a.source = ? AND "
                        "a.status = ?", (doc_id, annotator, source, status))


def open_suggestions(store: Store, doc_ids: list[str], annotator: str, source: str | None,
                     min_score: float | None) -> list[tuple[str, str, str]]:
    """(table, id, doc_id) of every open suggestion of the documents matching the filters
    (``min_score``: only suggestions with a score of at least that)."""
    out: list[tuple[str, str, str]] = []
    where, extra = _filters("x", source, min_score)
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i:i + 500]
        marks = ", ".join("?" * len(chunk))
        for table in TABLES:
            out.extend((table, r[0], r[1]) for r in store.conn.execute(
                f"SELECT x.id, x.doc_id FROM {table} x WHERE x.doc_id IN ({marks}) AND "
                f"x.annotator = ? AND x.status = 'suggested'{where}",
                (*chunk, annotator, *extra)))
        out.extend(("event_args", r[0], r[1]) for r in store.conn.execute(
            f"SELECT x.id, e.doc_id FROM event_args x JOIN events e ON e.id = x.event_id "
            f"WHERE e.doc_id IN ({marks}) AND e.annotator = ? AND x.status = 'suggested'"
            f"{where}", (*chunk, annotator, *extra)))
    return out


def _filters(alias: str, source: str | None, min_score: float | None
             ) -> tuple[str, list[Any]]:
    where, params = "", list[Any]()
    if source is not None:
        where += f" AND {alias}.source = ?"
        params.append(source)
    if min_score is not None:
        where += f" AND {alias}.score >= ?"
        params.append(float(min_score))
    return where, params


def counts_by_status(store: Store, table: str, gold: bool) -> list[tuple[str, str, int]]:
    """(annotator, label or type, count): gold rows only, or suggested rows only."""
    assert table in TABLES
    status = "gold" if gold else "suggested"
    return [(r[0], r[1], r[2]) for r in store.conn.execute(
        f"SELECT annotator, {NAME_COLUMN[table]}, count(*) FROM {table} WHERE status = ? "
        "GROUP BY 1, 2 ORDER BY 1, 2", (status,))]


def suggested_argument_counts(store: Store) -> list[tuple[str, str, int]]:
    """(annotator, role, count) of the suggested arguments."""
    return [(r[0], r[1], r[2]) for r in store.conn.execute(
        "SELECT e.annotator, a.role, count(*) FROM event_args a JOIN events e ON "
        "e.id = a.event_id WHERE a.status = 'suggested' GROUP BY 1, 2 ORDER BY 1, 2")]


def has_suggestion_columns(store: Store) -> bool:
    """False for a file read without step 0005 (read-only open of an older file)."""
    return any(r[1] == "source" for r in store.conn.execute("PRAGMA table_info(spans)"))


def score_summary(store: Store, annotator: str, source: str) -> dict[str, tuple[float, float]]:
    """document id -> (lowest, mean) score of the open span suggestions of ``source`` that
    carry a score, in one annotation set (the document order by model uncertainty)."""
    return {r[0]: (float(r[1]), float(r[2])) for r in store.conn.execute(
        "SELECT doc_id, min(score), avg(score) FROM spans WHERE annotator = ? AND "
        "source = ? AND status = 'suggested' AND score IS NOT NULL GROUP BY doc_id",
        (annotator, source))}


def foreign_keys_to(store: Store) -> dict[str, list[tuple[str, str, str]]]:
    """table -> (table, column, referenced column) of every foreign key pointing at it, from
    the file's own schema (what an undo must clear before removing a row: ``core.replay``)."""
    conn = store.conn
    found: dict[str, list[tuple[str, str, str]]] = {}
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for child in names:
        for fk in conn.execute(f'PRAGMA foreign_key_list("{child}")'):
            # (id, seq, table, from, to, on_update, on_delete, match)
            found.setdefault(fk[2], []).append((child, fk[3], fk[4] or "id"))
    return found


def rows_pointing_at(store: Store, table: str, column: str, value: Any
                     ) -> list[dict[str, Any]]:
    """The rows of ``table`` whose ``column`` (a foreign key) is ``value``."""
    return _rows(store, f'SELECT * FROM "{table}" WHERE "{column}" = ?', (value,))
