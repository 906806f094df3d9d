"""Accepting and rejecting suggestions: a status change of the suggestion and of what it
needs (accepting a relation accepts its two ends; rejecting a span rejects the suggestions
that hang on it), recorded through the Project's recorder inside the caller's ``compound``.

Accepted rows keep their origin, source and score (provenance); they become ``gold`` and are
stamped with the annotator who accepted them. Rejected rows stay as ``rejected``: that is the
memory that keeps the same source from proposing them again in that document.
"""

from __future__ import annotations

from typing import Any

from annotator.core.ops.common import EditOps
from annotator.errors import NotFoundError, ValidationError

ACCEPT, REJECT = "gold", "rejected"


class SuggestionStatus(EditOps):
    """``accept`` / ``reject`` of annotations given by id (spans, events, relations,
    arguments); each returns how many rows changed status."""

    def table_of(self, ident: str) -> str:
        for table in ("spans", "events", "relations", "event_args"):
            if self.store.get_row(table, ident) is not None:
                return table
        raise NotFoundError(f"no annotation with id {ident}")

    def accept(self, ident: str, table: str | None = None) -> int:
        table = table or self.table_of(ident)
        row = self.store.get_row(table, ident)
        if row is None:
            return 0
        n = 0
        if table == "spans":
            n += self._set(table, row, ACCEPT)
            for ev in self.store.events_triggered_by(ident):
                if ev["status"] == "suggested":
                    n += self._set("events", ev, ACCEPT)
        elif table == "events":
            n += self._set(table, row, ACCEPT) + self._accept_span(row["trigger_id"])
        elif table == "relations":
            n += self._set(table, row, ACCEPT)
            n += self._accept_span(row["head_id"]) + self._accept_span(row["tail_id"])
        else:
            n += self._set(table, row, ACCEPT) + self.accept(row["event_id"], "events")
            if row["span_id"]:
                n += self._accept_span(row["span_id"])
            else:
                n += self.accept(row["filler_event_id"], "events")
        return n

    def _accept_span(self, span_id: str) -> int:
        row = self.store.get_row("spans", span_id)
        return self._set("spans", row, ACCEPT) if row else 0

    def reject(self, ident: str, table: str | None = None) -> int:
        table = table or self.table_of(ident)
        row = self.store.get_row(table, ident)
        if row is None:
            return 0
        if row.get("status", "gold") == "gold":
            raise ValidationError("only a suggestion can be rejected; delete a gold "
                                  "annotation instead")
        n = self._set(table, row, REJECT)
        if table == "spans":
            for rel in self.store.relations_touching(ident):
                n += self._reject_open("relations", rel)
            for arg in self.store.arguments_filled_by_span(ident):
                n += self._reject_open("event_args", arg)
            for ev in self.store.events_triggered_by(ident):
                n += self._reject_event_parts(ev)
        elif table == "events":
            n += self._reject_event_parts(row, with_event=False)
            trigger = self.store.get_row("spans", row["trigger_id"])
            if trigger is not None and trigger["status"] == "suggested" and not any(
                    e["status"] != REJECT for e in self.store.events_triggered_by(trigger["id"])):
                n += self._set("spans", trigger, REJECT)
        return n

    def _reject_event_parts(self, ev: dict[str, Any], with_event: bool = True) -> int:
        n = self._reject_open("events", ev) if with_event else 0
        for arg in self.store.argument_rows(ev["id"]) + \
                self.store.arguments_filled_by_event(ev["id"]):
            n += self._reject_open("event_args", arg)
        return n

    def _reject_open(self, table: str, row: dict[str, Any]) -> int:
        return self._set(table, row, REJECT) if row.get("status") == "suggested" else 0

    def _set(self, table: str, row: dict[str, Any], status: str) -> int:
        """Record ``row`` with the new status (nothing when it has it already; a rejected
        row is not accepted as a side effect of accepting something else)."""
        current = row.get("status", "gold")
        if current == status or (status == ACCEPT and current != "suggested"):
            return 0
        after = {**row, "status": status}
        if table != "event_args":
            after.update(self.stamp())
        self.record(table, row, after, self._doc_of(table, row))
        return 1

    def _doc_of(self, table: str, row: dict[str, Any]) -> str:
        if table != "event_args":
            return str(row["doc_id"])
        ev = self.store.get_row("events", row["event_id"])
        return str(ev["doc_id"]) if ev else ""
