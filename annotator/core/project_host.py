"""What the Project API mixins (chains, suggestions, reports) may use of the ``Project`` they
are mixed into, declared once for the type checker.

``Project`` is one facade built from mixins (``core.ops.chains.ChainOps``,
``core.suggestions.SuggestionAPI``, ``core.reports.ReportsAPI`` ...); each mixin calls back
into the project (its store, its undo recorder, its reads). The declarations below exist only
for type checking; at run time this class is empty and ``Project`` provides every member.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.core.changes import Changes
    from annotator.core.model import Annotations, Document, Span
    from annotator.core.ops.common import Record
    from annotator.core.schema import Schema
    from annotator.store import Store


class ProjectHost:
    """The members of ``Project`` its mixins use (type-checking declarations only)."""

    if TYPE_CHECKING:
        _store: Store
        _record: Record
        annotator: str

        @property
        def annotation_set(self) -> str: ...

        @property
        def schema(self) -> Schema: ...

        def compound(self, label: str) -> AbstractContextManager[Changes]: ...

        def annotations(self, doc_id: str, annotator: str | None = "") -> Annotations: ...

        def document(self, doc_id: str) -> Document: ...

        def document_ids(self) -> list[str]: ...

        def span(self, span_id: str) -> Span: ...
