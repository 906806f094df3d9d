"""Project API (a mixin of ``Project``) for team work over whole annotation sets.

Why its own module: agreement and merge read or copy every document's sets of some annotators;
doing that one document at a time through the per-document reads costs one query per document
and table. These methods hand the work to the store's bulk paths (``store.set_reads``: one
query per table, streamed by document) so the Project facade stays small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.changes import Changes
from annotator.core.model import now
from annotator.store.package_copy import PackageStage
from annotator.store.set_reads import DocumentSets, agreement_sets, annotation_sets

if TYPE_CHECKING:
    from annotator.core.merge import SetDiff
    from annotator.core.undo import History
    from annotator.store import Store


@dataclass(frozen=True, slots=True)
class PackageSource:
    """A work package to merge: its file, its annotator and its documents (checked by the
    caller: the project's own package, of these documents, holding only this set)."""

    path: Path
    annotator: str
    doc_ids: list[str]


# One source of a merge: a package (copied inside SQLite), or (document id, annotator, the
# set's rows or annotations, status) items (a plain project file matched by content).
Source = PackageSource | Iterable[tuple[str, str, Any, str | None]]


class TeamAPI:
    """Project API for reading many documents' annotation sets at once."""

    if TYPE_CHECKING:
        _store: Store
        _history: History
        _notify: Callable[[Changes], None]

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

    def agreement_sets(self, annotators: Sequence[str], doc_ids: Iterable[str] | None = None,
                       labels: Iterable[str] | None = None) -> Iterator[DocumentSets]:
        """Each document (every one, or each of ``doc_ids`` once) with the rows agreement
        compares of ``annotators``' sets, filtered in the store (``set_reads.agreement_sets``:
        gold only, ``labels`` only), and its packed tokens; streamed like ``annotation_sets``."""
        return agreement_sets(self._store.conn, annotators, doc_ids, labels)

    def merge_sources(self, sources: Sequence[Source]) -> list[SetDiff]:
        """Make each source's sets of its documents exactly the source's, in order, all in
        one transaction (a merge: not an undo step, and the history is cleared since it may
        name replaced rows). Packages are staged first (attached read-only one by one: a
        file cannot be detached inside the transaction that read it), then copied, checked
        and reported in SQL (``store.package_copy``); items go through ``replace_sets``."""
        from annotator.core.merge import SetDiff, replace_sets  # merge re-exports this mixin

        stage = PackageStage(self._store.conn)
        diffs: list[SetDiff] = []
        changed: set[str] = set()
        try:
            staged = {i: stage.add(s.path, s.annotator, s.doc_ids)
                      for i, s in enumerate(sources) if isinstance(s, PackageSource)}
            with self._store.transaction():
                for i, source in enumerate(sources):
                    if not isinstance(source, PackageSource):
                        more, touched = replace_sets(self._store, source)
                        diffs += more
                        changed |= touched
                        continue
                    package = staged[i]
                    for d in stage.apply(package, now()):
                        diffs.append(SetDiff(d.name, package.annotator, d.added, d.changed,
                                             d.removed))
                        if d.added or d.changed or d.removed:
                            changed.add(d.doc_id)
        finally:
            stage.close()
        self._history.clear()
        if changed:
            self._notify(Changes(label="Merge", doc_ids=changed))
        return diffs
