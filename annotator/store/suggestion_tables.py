"""Migration step 0005_suggestions: what suggested annotations need in the project file.

Suggestions are ordinary annotation rows with status ``suggested`` (then ``gold`` or
``rejected``); this step adds what tells them apart and lets a source be told "no":

- ``spans.origin`` also allows ``dictionary`` (the project's own gold as a recommender). The
  CHECK constraint of release 0.1 cannot be altered in place, so the table is rebuilt with
  its foreign keys deferred for the step's transaction: the old rows are copied aside, the
  table dropped, created with the new DDL and filled again (each re-inserted span satisfies
  again the events, arguments and relations that point at it, so the deferred check finds
  nothing at commit), and its indexes made again.
- ``source`` (the name of the pipeline, patterns file or recommender; '' for annotations a
  person made) and a nullable ``score`` on spans, events, relations and event_args; and
  ``status``/``origin`` on event_args, which had none (a suggested argument of a gold event).
- A partial index over the rows that are not gold, per document, set and source: a source
  finds its earlier open suggestions and the ones rejected in a document without scanning
  the gold. A rejected row *is* the memory "source X was told no in document D": it stays
  (hidden by the views of the program) so that the same source never proposes it again.
"""

from __future__ import annotations

import sqlite_utils

SPAN_COLUMNS_0001 = ("id", "doc_id", "annotator", "start", "end", "label", "kind", "attrs",
                     "note", "kb_id", "status", "origin", "created_by", "created_at",
                     "modified_by", "modified_at")

SPANS_0005 = """
CREATE TABLE spans (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    annotator TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind = 'entity' OR kind = 'trigger' OR kind = 'value'),
    attrs TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    kb_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL
        CHECK (status = 'gold' OR status = 'suggested' OR status = 'rejected'),
    origin TEXT NOT NULL CHECK (origin = 'manual' OR origin = 'import' OR origin = 'model'
                                OR origin = 'pattern' OR origin = 'dictionary'),
    created_by TEXT NOT NULL, created_at TEXT NOT NULL,
    modified_by TEXT NOT NULL, modified_at TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    score REAL,
    CHECK (0 <= start AND start < "end")
)
"""

SPAN_INDEXES = (
    'CREATE INDEX spans_doc ON spans(doc_id, annotator, start)',
    'CREATE INDEX spans_annotator ON spans(annotator, doc_id)',
    'CREATE INDEX spans_label ON spans(label)',
)

ADDED_COLUMNS = {
    "events": ("source TEXT NOT NULL DEFAULT ''", "score REAL"),
    "relations": ("source TEXT NOT NULL DEFAULT ''", "score REAL"),
    "event_args": (
        "status TEXT NOT NULL DEFAULT 'gold' "
        "CHECK (status = 'gold' OR status = 'suggested' OR status = 'rejected')",
        "origin TEXT NOT NULL DEFAULT 'manual'",
        "source TEXT NOT NULL DEFAULT ''",
        "score REAL",
    ),
}

SUGGESTION_INDEXES = (
    "CREATE INDEX spans_suggestions ON spans(doc_id, annotator, source) "
    "WHERE status != 'gold'",
    "CREATE INDEX events_suggestions ON events(doc_id, annotator, source) "
    "WHERE status != 'gold'",
    "CREATE INDEX relations_suggestions ON relations(doc_id, annotator, source) "
    "WHERE status != 'gold'",
)


def add_suggestions(db: sqlite_utils.Database) -> None:
    """0005_suggestions (see the module docstring); runs inside the step's transaction."""
    _rebuild_spans(db)
    for table, columns in ADDED_COLUMNS.items():
        for column in columns:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
    for sql in SUGGESTION_INDEXES:
        db.execute(sql)


def _rebuild_spans(db: sqlite_utils.Database) -> None:
    """The spans table with the new origin CHECK and columns, every row kept."""
    cols = ", ".join(f'"{c}"' for c in SPAN_COLUMNS_0001)
    has_label_index = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'spans_label'").fetchone()
    # Deferred until the commit of this step: dropping the table counts every event,
    # argument and relation pointing at a span; putting the span back uncounts it.
    db.execute("PRAGMA defer_foreign_keys = ON")
    db.execute("CREATE TABLE spans_before_0005 AS SELECT * FROM spans")
    db.execute("DROP TABLE spans")
    db.execute(SPANS_0005)
    db.execute(f"INSERT INTO spans ({cols}) SELECT {cols} FROM spans_before_0005")
    db.execute("DROP TABLE spans_before_0005")
    for sql in SPAN_INDEXES:
        if has_label_index or "spans_label" not in sql:
            db.execute(sql)
