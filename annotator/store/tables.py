"""The project file's tables, indexes, search index and browsing views, one function per
migration step (``migrations`` lists the steps in order and records them).

The initial DDL is kept as SQL text on purpose: it is the format release 0.1 wrote, CHECK
constraints included (sqlite-utils' ``create`` has no CHECKs), so new files and migrated old
ones have the same tables. Later steps use sqlite-utils (``create_index``, ``enable_fts``,
``create_view``). docs/project_file.md describes every table and view.
"""

from __future__ import annotations

import sqlite_utils

# CHECKs compare with OR rather than IN (...): SQLite builds a temporary index for an IN list on
# every row checked, which made bulk imports four times slower.
INITIAL_TABLES = """
CREATE TABLE project_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    length INTEGER NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    lang TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    tokenizer TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX documents_position ON documents(position);
CREATE TABLE document_content (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id),
    text TEXT NOT NULL,
    tokens BLOB NOT NULL,
    sentences BLOB NOT NULL
);
CREATE TABLE doc_status (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    annotator TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status = 'new' OR status = 'in_progress' OR status = 'done'),
    modified_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator)
);
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
                                OR origin = 'pattern'),
    created_by TEXT NOT NULL, created_at TEXT NOT NULL,
    modified_by TEXT NOT NULL, modified_at TEXT NOT NULL,
    CHECK (0 <= start AND start < "end")
);
CREATE INDEX spans_doc ON spans(doc_id, annotator, start);
CREATE INDEX spans_annotator ON spans(annotator, doc_id);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    annotator TEXT NOT NULL,
    type TEXT NOT NULL,
    trigger_id TEXT NOT NULL REFERENCES spans(id),
    attrs TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL, origin TEXT NOT NULL,
    created_by TEXT NOT NULL, created_at TEXT NOT NULL,
    modified_by TEXT NOT NULL, modified_at TEXT NOT NULL
);
CREATE INDEX events_doc ON events(doc_id, annotator);
CREATE INDEX events_trigger ON events(trigger_id);
CREATE TABLE event_args (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id),
    role TEXT NOT NULL,
    span_id TEXT REFERENCES spans(id),
    filler_event_id TEXT REFERENCES events(id),
    position INTEGER NOT NULL DEFAULT 0,
    CHECK ((span_id IS NULL) != (filler_event_id IS NULL))
);
CREATE INDEX event_args_event ON event_args(event_id);
CREATE INDEX event_args_span ON event_args(span_id);
CREATE INDEX event_args_filler_event ON event_args(filler_event_id);
CREATE TABLE relations (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    annotator TEXT NOT NULL,
    type TEXT NOT NULL,
    head_id TEXT NOT NULL REFERENCES spans(id),
    tail_id TEXT NOT NULL REFERENCES spans(id),
    attrs TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL, origin TEXT NOT NULL,
    created_by TEXT NOT NULL, created_at TEXT NOT NULL,
    modified_by TEXT NOT NULL, modified_at TEXT NOT NULL
);
CREATE INDEX relations_doc ON relations(doc_id, annotator);
CREATE INDEX relations_head ON relations(head_id);
CREATE INDEX relations_tail ON relations(tail_id);
"""

SEARCH_TABLE = "document_content_fts"  # FTS5 index over document_content.text (enable_fts)
SEARCH_VOCABULARY = "document_content_fts_vocab"  # its words and counts, for browsing


def create_tables(db: sqlite_utils.Database) -> None:
    """0001_initial: every table of release 0.1 (statements one by one, inside the step's
    transaction)."""
    db.executescript(INITIAL_TABLES)


def create_label_indexes(db: sqlite_utils.Database) -> None:
    """0002_label_indexes: indexes for statistics and project-wide renames."""
    for table, column in (("spans", "label"), ("events", "type"), ("relations", "type"),
                          ("event_args", "role")):
        db.table(table).create_index([column], index_name=f"{table}_{column}")


def create_search_index(db: sqlite_utils.Database) -> None:
    """0003_document_search: full-text index of the documents' text (``store.search``).

    ``unicode61`` word tokens (case-folded, diacritics kept) cost a fraction of a trigram
    index (a third of its import time and of its size); ``document_content_fts_vocab``
    lists its words with their counts. Updates and deletes are followed by sqlite-utils'
    triggers; inserts are indexed by Store.insert_documents, one statement per import batch
    (measured 3x faster than the per-row insert trigger, which is dropped)."""
    content = db.table("document_content")
    content.enable_fts(["text"], create_triggers=True,
                       tokenize="unicode61 remove_diacritics 0")
    db.execute('DROP TRIGGER "document_content_ai"')
    db.execute(f"CREATE VIRTUAL TABLE {SEARCH_VOCABULARY} USING fts5vocab({SEARCH_TABLE}, row)")


def index_new_documents(db: sqlite_utils.Database, after_rowid: int) -> None:
    """Add the documents stored after ``after_rowid`` to the search index, in one statement."""
    if db.conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (SEARCH_TABLE,)).fetchone():
        db.execute(f"INSERT INTO {SEARCH_TABLE} (rowid, text) "
                   "SELECT rowid, text FROM document_content WHERE rowid > ?", [after_rowid])


# Read-only views for browsing a project with sqlite-utils or Datasette (offsets are code
# points, as substr() counts them); the program itself never reads them.
VIEWS: dict[str, str] = {
    "spans_readable": """
        SELECT s.id, d.name AS document, s.annotator AS annotation_set, s.label, s.kind,
               substr(c.text, s.start + 1, s."end" - s.start) AS text, s.start, s."end",
               s.status, s.origin, s.attrs, s.note, s.kb_id, s.modified_by, s.modified_at
        FROM spans s JOIN documents d ON d.id = s.doc_id
        JOIN document_content c ON c.doc_id = s.doc_id
        ORDER BY d.position, s.annotator, s.start, s."end"
    """,
    "events_readable": """
        SELECT e.id, d.name AS document, e.annotator AS annotation_set, e.type,
               substr(c.text, t.start + 1, t."end" - t.start) AS trigger_text, t.start, t."end",
               (SELECT count(*) FROM event_args a WHERE a.event_id = e.id) AS arguments,
               e.status, e.origin, e.attrs, e.note, e.modified_by, e.modified_at
        FROM events e JOIN spans t ON t.id = e.trigger_id
        JOIN documents d ON d.id = e.doc_id JOIN document_content c ON c.doc_id = e.doc_id
        ORDER BY d.position, e.annotator, t.start
    """,
    "arguments_readable": """
        SELECT a.id, d.name AS document, e.annotator AS annotation_set, e.type AS event_type,
               substr(c.text, t.start + 1, t."end" - t.start) AS trigger_text, a.role,
               CASE WHEN a.span_id IS NOT NULL
                    THEN substr(c.text, f.start + 1, f."end" - f.start)
                    ELSE (SELECT fe.type FROM events fe WHERE fe.id = a.filler_event_id)
               END AS filler_text,
               CASE WHEN a.span_id IS NOT NULL THEN 'span' ELSE 'event' END AS filler_kind,
               a.event_id, coalesce(a.span_id, a.filler_event_id) AS filler_id
        FROM event_args a JOIN events e ON e.id = a.event_id JOIN spans t ON t.id = e.trigger_id
        LEFT JOIN spans f ON f.id = a.span_id
        JOIN documents d ON d.id = e.doc_id JOIN document_content c ON c.doc_id = e.doc_id
        ORDER BY d.position, e.annotator, t.start, a.position
    """,
    "relations_readable": """
        SELECT r.id, d.name AS document, r.annotator AS annotation_set, r.type,
               substr(c.text, h.start + 1, h."end" - h.start) AS head_text, h.label AS head_label,
               substr(c.text, t.start + 1, t."end" - t.start) AS tail_text, t.label AS tail_label,
               r.status, r.origin, r.attrs, r.note, r.modified_by, r.modified_at
        FROM relations r JOIN spans h ON h.id = r.head_id JOIN spans t ON t.id = r.tail_id
        JOIN documents d ON d.id = r.doc_id JOIN document_content c ON c.doc_id = r.doc_id
        ORDER BY d.position, r.annotator, h.start
    """,
    "documents_readable": """
        SELECT d.id, d.position, d.name, d.title, d.length, d.lang, d.meta, d.created_at,
               (SELECT count(*) FROM spans s WHERE s.doc_id = d.id) AS spans,
               (SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS events,
               (SELECT count(*) FROM relations r WHERE r.doc_id = d.id) AS relations,
               (SELECT group_concat(st.annotator || ': ' || st.status, ', ')
                FROM doc_status st WHERE st.doc_id = d.id) AS statuses
        FROM documents d ORDER BY d.position
    """,
}


def create_views(db: sqlite_utils.Database) -> None:
    """0004_browsing_views: the ``*_readable`` views (``sqlite-utils views PROJECT.annproj``)."""
    for name, sql in VIEWS.items():
        db.create_view(name, " ".join(sql.split()))


CHAINS_TABLE = """
CREATE TABLE chains (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    annotator TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT '',
    mentions TEXT NOT NULL DEFAULT '[]',
    attrs TEXT NOT NULL DEFAULT '{}',
    refs TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL, origin TEXT NOT NULL,
    created_by TEXT NOT NULL, created_at TEXT NOT NULL,
    modified_by TEXT NOT NULL, modified_at TEXT NOT NULL
);
CREATE INDEX chains_doc ON chains(doc_id, annotator);
ALTER TABLE spans ADD COLUMN fragments TEXT NOT NULL DEFAULT '[]';
ALTER TABLE spans ADD COLUMN refs TEXT NOT NULL DEFAULT '[]';
"""

CHAINS_VIEW = """
    SELECT c.id, d.name AS document, c.annotator AS annotation_set, c.type,
           (SELECT group_concat(substr(t.text, s.start + 1, s."end" - s.start), ' | ')
            FROM json_each(c.mentions) m JOIN spans s ON s.id = m.value) AS mentions,
           json_array_length(c.mentions) AS mention_count, c.refs, c.attrs, c.note,
           c.status, c.origin, c.modified_by, c.modified_at
    FROM chains c JOIN documents d ON d.id = c.doc_id
    JOIN document_content t ON t.doc_id = c.doc_id
    ORDER BY d.position, c.annotator, c.id
"""


def create_chains_fragments_references(db: sqlite_utils.Database) -> None:
    """0006_chains_fragments_references: coreference chains (``chains``: mentions as a JSON
    list of span ids, in order), span fragments (``spans.fragments``: ``[[0,5],[16,23]]``,
    ``[]`` for a contiguous span; ``start``/``end`` stay the hull, so every older reader
    keeps working) and knowledge-base references (``spans.refs``, ``chains.refs``: JSON lists
    of ``{"db", "id", "name"}``). Every existing row is kept (the columns default to
    ``[]``); ``chains_readable`` shows each chain's mention texts."""
    db.executescript(CHAINS_TABLE)
    db.create_view("chains_readable", " ".join(CHAINS_VIEW.split()))
