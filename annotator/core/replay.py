"""Undo and redo written over what other connections wrote since the step was recorded.

Why its own module: a step's row images are exact for the rows the step wrote, but the file
is not only this history's. The live gold dictionary (``nlp.live_gold``) writes on a worker
connection with a history of its own, right after each gold edit: it proposes a relation on
a span the user just added, or removes a suggested span nothing holds any more. Writing the
step's images back blindly then breaks a foreign key ("FOREIGN KEY constraint failed": the
span to remove has a proposal on it; the relation to put back names a span that is gone),
and the undo failed with a traceback, its step kept on top for ever.

``Replay`` writes a step's images as before and only steps in when SQLite refuses one (the
common case costs nothing more):

- a row to remove that rows made meanwhile point at: the *suggestions* among them (spans,
  events, relations, arguments whose status is not gold: a source's proposals or the
  rejections it keeps) go with it, first what hangs on them in turn; they are named in the
  replay's ``Changes`` so the views drop them, and are not written back by a redo (the
  source proposes again after it, the redo's changes naming the span);
- a suggestion to write back whose span (trigger, filler, end, document) is gone is not
  written: a proposal on nothing is no proposal;
- anything else (gold made meanwhile in another window or process hangs on the row, gold
  to write back lacks its span, any other constraint the file holds) is refused with a
  ``ValidationError`` naming it, never a traceback: the caller's transaction is rolled
  back, so nothing of the step is half written, and the step stays to be tried again.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from annotator.core.changes import Changes, mark
from annotator.core.undo import Step
from annotator.errors import ValidationError
from annotator.store import Store
from annotator.store import suggestion_rows as Q

Row = dict[str, Any]
# the tables a source writes proposals in: their non-gold rows may go with what they hang on
SUGGESTION_TABLES = frozenset({"spans", "events", "relations", "event_args"})
_WHAT = {"spans": "span", "events": "event", "relations": "relation", "event_args": "argument",
         "chains": "chain", "doc_status": "document status", "documents": "document"}


def is_foreign_key_error(exc: sqlite3.IntegrityError) -> bool:
    return "FOREIGN KEY" in str(exc)


def is_suggestion(table: str, row: Row) -> bool:
    """A row a source wrote (or a rejection it keeps), not gold anyone made."""
    return table in SUGGESTION_TABLES and row.get("status", "gold") != "gold"


class Replay:
    """Writes one step's row images (undo: the before-images in reverse order; redo: the
    after-images forward) inside the caller's transaction; see the module docstring."""

    def __init__(self, store: Store, step: Step, *, undo: bool) -> None:
        self.store, self.step, self.undo = store, step, undo
        self.changes = Changes(label=f"{'Undo' if undo else 'Redo'} {step.label}")
        self._referrers: dict[str, list[tuple[str, str, str]]] | None = None

    def run(self) -> Changes:
        step = self.step
        for ch in reversed(step.changes) if self.undo else step.changes:
            old, new = (ch.after, ch.before) if self.undo else (ch.before, ch.after)
            if new is None:
                assert old is not None
                self._delete(ch.table, old, ch.doc_id)
            else:
                self._put(ch.table, new)
            mark(self.changes, ch.table, new or old, ch.doc_id)  # type: ignore[arg-type]
        return self.changes

    # ---- writing --------------------------------------------------------------------------
    def _delete(self, table: str, row: Row, doc_id: str) -> None:
        try:
            self.store.delete_row(table, row)
        except sqlite3.IntegrityError as exc:
            if not is_foreign_key_error(exc):
                raise self._refused(f"the file refuses it ({exc})") from None
            self._drop_referrers(table, row, doc_id)
            self.store.delete_row(table, row)

    def _put(self, table: str, row: Row) -> None:
        try:
            self.store.put_row(table, row)
        except sqlite3.IntegrityError as exc:
            if not is_foreign_key_error(exc):
                raise self._refused(f"the file refuses it ({exc})") from None
            if not is_suggestion(table, row):
                raise self._refused(f"the {_WHAT.get(table, table)} it writes back needs "
                                    "an annotation removed meanwhile") from None
            # a proposal on what is gone: not written (the caller marks it for the views)

    def _drop_referrers(self, table: str, row: Row, doc_id: str) -> None:
        """Remove the suggestions pointing at ``row`` (and, first, what points at them);
        refuse when anything else does."""
        for child, column, parent_column in self._referrers_of(table):
            for dep in Q.rows_pointing_at(self.store, child, column, row[parent_column]):
                if not is_suggestion(child, dep):
                    raise self._refused(
                        f"{_WHAT.get(child, child)} {dep.get('id', '')} made meanwhile (in "
                        f"another window or process) depends on the {_WHAT.get(table, table)} "
                        "it removes; delete that first")
                dep_doc = dep.get("doc_id") or doc_id
                self._drop_referrers(child, dep, dep_doc)
                self.store.delete_row(child, dep)
                mark(self.changes, child, dep, dep_doc)

    def _refused(self, why: str) -> ValidationError:
        return ValidationError(f"{self.changes.label} is not possible: {why}")

    # ---- reading --------------------------------------------------------------------------
    def _referrers_of(self, table: str) -> list[tuple[str, str, str]]:
        """(table, column, referenced column) of every foreign key pointing at ``table``
        (read once per replay, on the first refusal)."""
        if self._referrers is None:
            self._referrers = Q.foreign_keys_to(self.store)
        return self._referrers.get(table, [])
