"""Replacing one annotator's set of one document with the set from another file (merge).

Why its own module: merging an annotator's work package back is not an edit of one annotation
but a replacement of a whole set per document, compared row by row so that the report can say
what was added, changed and removed, and so that merging the same file twice changes nothing.
The caller wraps every replacement of a merge in one transaction (all or nothing).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from annotator.core.model import Annotations, now
from annotator.core.team_api import TeamAPI  # the Project's mixin for whole sets
from annotator.errors import NotFoundError, ValidationError
from annotator.store import Store
from annotator.store import rows as R

__all__ = ["SetDiff", "SetRows", "TeamAPI", "diff_rows", "replace_set", "replace_sets",
           "set_rows", "stored_rows"]

_TABLES = ("spans", "events", "event_args", "relations", "chains")


@dataclass(slots=True)
class SetDiff:
    """What replacing one document's set changed (annotation counts over all kinds)."""

    document: str
    annotator: str
    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed)


def set_rows(doc_id: str, annotator: str, ann: Annotations) -> dict[str, list[dict[str, Any]]]:
    """The table rows of ``ann`` as stored for ``doc_id`` under ``annotator``."""
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in _TABLES}
    ann = copy.deepcopy(ann)  # the rows name the document and set; the caller's objects stay
    for s in ann.spans:
        s.doc_id, s.annotator = doc_id, annotator
        out["spans"].append(R.span_to_row(s))
    for e in ann.events:
        e.doc_id, e.annotator = doc_id, annotator
        out["events"].append(R.event_to_row(e))
        for i, a in enumerate(e.arguments):
            a.event_id, a.position = e.id, i
            out["event_args"].append(R.argument_to_row(a))
    for r in ann.relations:
        r.doc_id, r.annotator = doc_id, annotator
        out["relations"].append(R.relation_to_row(r))
    for c in ann.chains:
        c.doc_id, c.annotator = doc_id, annotator
        out["chains"].append(R.chain_to_row(c))
    return out


SetRows = dict[str, list[dict[str, Any]]]


def stored_rows(store: Store, doc_id: str, annotator: str) -> SetRows:
    """One set of one document as stored, table by table (rows, not objects: a merge copies
    rows from file to file, and building objects cost half its time)."""
    return {"spans": store.span_rows(doc_id, annotator),
            "events": store.event_rows(doc_id, annotator),
            "event_args": store.argument_rows_for_doc(doc_id, annotator),
            "relations": store.relation_rows(doc_id, annotator),
            "chains": store.chain_rows(doc_id, annotator)}


def diff_rows(doc_name: str, annotator: str, new: SetRows, old: SetRows) -> SetDiff:
    """What replacing ``old`` by ``new`` adds, changes and removes (by id and content)."""
    diff = SetDiff(doc_name, annotator)
    for table in _TABLES:
        before = {r["id"]: r for r in old[table]}
        after = {r["id"]: r for r in new[table]}
        diff.added += len(after.keys() - before.keys())
        diff.removed += len(before.keys() - after.keys())
        diff.changed += sum(1 for i in after.keys() & before.keys() if after[i] != before[i])
    return diff


def replace_set(store: Store, doc_id: str, doc_name: str, annotator: str, new: SetRows,
                status: str | None, *, fresh: bool = False) -> SetDiff:
    """Make ``annotator``'s set of ``doc_id`` exactly the rows ``new`` (and its status
    ``status`` when given); returns what changed. Ids already used elsewhere are refused.

    ``fresh``: the caller knows that the project holds nothing of ``annotator`` for this
    document (no row, no status), so nothing is read back or deleted (a first merge of a
    package: half of its reads were of these empty sets)."""
    old = {t: [] for t in new} if fresh else stored_rows(store, doc_id, annotator)
    diff = diff_rows(doc_name, annotator, new, old)
    current = None if fresh else store.status_row(doc_id, annotator)
    new_status = status is not None and (current or {}).get("status", "new") != status
    if diff.unchanged and not new_status:
        return diff
    for table in _TABLES:
        before = {r["id"] for r in old[table]}
        taken = store.existing_ids(table, [r["id"] for r in new[table] if r["id"] not in before])
        if taken:
            raise ValidationError(f"{doc_name}: {table} id {sorted(taken)[0]} of {annotator}'s "
                                  "set is already used by another document or set")
    if fresh:  # nothing to delete first; the caller's transaction makes it all or nothing
        _write(store, doc_id, annotator, new, status if new_status else None)
        return diff
    with store.transaction():
        for table in reversed(_TABLES):  # arguments and relations before what they point at
            for row in old[table]:
                store.delete_row(table, row)
        for table in _TABLES:
            store.insert_rows(table, new[table])
        if new_status:
            store.put_row("doc_status", {"doc_id": doc_id, "annotator": annotator,
                                         "status": status, "modified_at": now()})
    return diff


def _write(store: Store, doc_id: str, annotator: str, new: SetRows, status: str | None) -> None:
    for table in _TABLES:
        store.insert_rows(table, new[table])
    if status is not None:
        store.put_row("doc_status", {"doc_id": doc_id, "annotator": annotator,
                                     "status": status, "modified_at": now()})


def replace_sets(store: Store, items: Iterable[tuple[str, str, Annotations | SetRows,
                                                     str | None]]
                 ) -> tuple[list[SetDiff], set[str]]:
    """``replace_set`` for each (document id, annotator, annotations or rows, status); returns
    the diffs and the ids of the documents that changed (the caller holds the transaction)."""
    diffs: list[SetDiff] = []
    changed: set[str] = set()
    known = set(store.annotators())  # sets with any row or status before this replacement
    seen: set[tuple[str, str]] = set()
    for doc_id, annotator, ann, status in items:
        rows = set_rows(doc_id, annotator, ann) if isinstance(ann, Annotations) else ann
        row = store.get_row("documents", doc_id)  # the name, not the text
        if row is None:
            raise NotFoundError(f"no document with id {doc_id}")
        fresh = annotator not in known and (doc_id, annotator) not in seen
        seen.add((doc_id, annotator))
        diffs.append(replace_set(store, doc_id, row["name"], annotator, rows, status,
                                 fresh=fresh))
        if not diffs[-1].unchanged:
            changed.add(doc_id)
    return diffs, changed
