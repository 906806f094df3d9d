"""What an operation changed, so views repaint only that (returned by every edit and sent to
every listener), and the rule that turns a written row into those flags."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Changes:
    """What an operation changed, so views repaint only that (returned by every edit)."""

    label: str = ""
    doc_ids: set[str] = field(default_factory=set)
    spans: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    relations: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    schema: bool = False
    chains: set[str] = field(default_factory=set)  # coreference chains written

    def merge(self, other: Changes) -> None:
        self.doc_ids |= other.doc_ids
        self.spans |= other.spans
        self.events |= other.events
        self.relations |= other.relations
        self.documents |= other.documents
        self.schema = self.schema or other.schema
        self.chains |= other.chains

    @property
    def empty(self) -> bool:
        return not (self.doc_ids or self.spans or self.events or self.relations
                    or self.documents or self.schema or self.chains)


def mark(changes: Changes, table: str, row: dict[str, Any], doc_id: str) -> None:
    if doc_id:
        changes.doc_ids.add(doc_id)
    if table == "spans":
        changes.spans.add(row["id"])
    elif table == "events":
        changes.events.add(row["id"])
    elif table == "event_args":
        changes.events.add(row["event_id"])
    elif table == "relations":
        changes.relations.add(row["id"])
    elif table == "chains":
        changes.chains.add(row["id"])
    elif table == "doc_status":
        changes.documents.add(row["doc_id"])
    elif table == "project_meta" and row.get("key") == "schema":
        changes.schema = True
