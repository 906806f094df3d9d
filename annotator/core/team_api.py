"""Project API (a mixin of ``Project``) for team work over whole annotation sets.

Why its own module: agreement and merge read or copy every document's sets of some annotators;
doing that one document at a time through the per-document reads costs one query per document
and table. These methods hand the work to the store's bulk paths (``store.set_reads``: one
query per table, streamed by document) so the Project facade stays small.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from annotator.store.set_reads import DocumentSets, annotation_sets

if TYPE_CHECKING:
    from annotator.store import Store


class TeamAPI:
    """Project API for reading many documents' annotation sets at once."""

    if TYPE_CHECKING:
        _store: Store

    def annotation_sets(self, annotators: Sequence[str], doc_ids: Iterable[str] | None = None,
                        *, columns: Mapping[str, Sequence[str]] | None = None,
                        tokens: bool = False, as_tuples: bool = False
                        ) -> Iterator[DocumentSets]:
        """Each document (every one, or ``doc_ids`` with repeats) with the stored rows of
        ``annotators``' sets (``sets[annotator][table]``, as ``annotation_rows`` gives them,
        only ``columns`` when given), in document id order, streamed: one query per table
        in all, one document in memory at a time. ``tokens``: each one's packed tokens too
        (``rows.unpack_pairs``); ``as_tuples``: rows as tuples in the order of ``columns``.
        Read inside ``snapshot()`` for one state of the file."""
        return annotation_sets(self._store.conn, annotators, doc_ids, columns=columns,
                               tokens=tokens, as_tuples=as_tuples)
