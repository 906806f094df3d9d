"""Document status edits: new, in progress, done, per annotation set."""

from __future__ import annotations

from annotator.core.changes import Changes
from annotator.core.model import DOC_STATUSES, now
from annotator.core.ops.common import EditOps
from annotator.errors import ValidationError

_LABELS = {"done": "Mark done", "in_progress": "Mark in progress", "new": "Mark new"}


class StatusOps(EditOps):
    def set_status(self, doc_id: str, status: str) -> Changes:
        """Set the current annotation set's status of one document (one undo step)."""
        if status not in DOC_STATUSES:
            raise ValidationError(f"status must be one of {', '.join(DOC_STATUSES)}")
        self.doc_length(doc_id)  # the document exists
        who = self.project.annotation_set
        with self.project.compound(_LABELS[status]) as changes:
            before = self.store.status_row(doc_id, who)
            after = {"doc_id": doc_id, "annotator": who, "status": status, "modified_at": now()}
            self.record("doc_status", before, after, doc_id)
            changes.documents.add(doc_id)
        return changes
