"""The gold dictionary kept up to date while the annotator works (issue #12).

After gold edits in some documents, ``LiveGold.refresh`` relearns only those documents,
finds the texts whose gold changed (new, relabelled or removed) and proposes them again
wherever they occur in the project: the documents holding the text's longest word (the
project's corpus search, FTS-narrowed), each written in its own transaction. Proposals are
*added* to the dictionary's open suggestions (one already there keeps its id, so a
selection of it holds) and open dictionary suggestions the dictionary no longer makes are
removed; ``put_suggestions`` re-reads each document inside its transaction, so gold,
rejected and edited annotations made meanwhile win.

``LiveGold`` is plain state used by one thread at a time: the window runs ``refresh`` on a
worker connection, one job after another (``gui.live_dictionary``). The first refresh
learns the whole project's gold (documents without annotations are skipped).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.changes import Changes
from annotator.core.progress import Cancelled, ProgressFn
from annotator.errors import NotFoundError
from annotator.nlp.gold_dictionary import Entry, GoldDictionary, Seq, entries

if TYPE_CHECKING:
    from annotator.core.project import Project

SOURCE = GoldDictionary.name
WATCHED = "the shown document has its suggestions"  # progress message (see ``refresh``)
ALL = 10**9  # no limit on the corpus search
REPORT_EVERY = 256  # documents between progress reports (a stop is seen there, ~0.3 s)


@dataclass
class LiveReport:
    """What one refresh did."""

    documents: list[str] = field(default_factory=list)  # documents written
    added: int = 0
    removed: int = 0
    seconds: float = 0.0
    changes: Changes = field(default_factory=Changes)  # in the watched documents


class LiveGold:
    def __init__(self) -> None:
        self.gold = GoldDictionary()
        self.learned: dict[str, list[Entry]] = {}
        self.ready = False
        self.report = LiveReport()  # of the running (or last) refresh

    def _build(self, project: Project, skip: set[str]) -> None:
        for summary in project.documents():
            if summary.id not in skip and summary.annotation_count != 0:
                self._learn(project, summary.id)
        self.ready = True

    def _learn(self, project: Project, doc_id: str) -> set[Entry]:
        """Relearn one document; the entries that changed."""
        old = self.learned.pop(doc_id, [])
        self.gold.add(old, -1)
        try:
            new = entries(project.document(doc_id), project.annotations(doc_id))
        except NotFoundError:  # deleted
            return set(old)
        self.gold.add(new)
        self.learned[doc_id] = new
        return set(old) ^ set(new)

    def refresh(self, project: Project, doc_ids: Iterable[str], watch: Iterable[str] = (),
                progress: ProgressFn | None = None) -> LiveReport:
        """Learn the gold of ``doc_ids`` again and propose what changed across the project.
        ``watch`` (the document shown) is written first, its ids to repaint go in the
        report's changes and ``progress(1, total, WATCHED)`` then tells the caller they are
        there, and every ``REPORT_EVERY`` documents after; ``progress`` returning False stops
        there (``Cancelled``: the documents written are kept)."""
        t0 = time.perf_counter()
        rep = LiveReport()
        self.report = rep
        edited = set(doc_ids)
        if not self.ready:
            self._build(project, edited)
        changed: set[Entry] = set()
        for doc_id in sorted(edited):
            changed |= self._learn(project, doc_id)
        if changed:
            watched = set(watch)
            targets = self._documents_with(project, changed)
            targets.sort(key=lambda d: d not in watched)  # the shown document first
            for n, doc_id in enumerate(targets, 1):
                self._update(project, doc_id, rep, doc_id in watched)
                note = WATCHED if doc_id in watched else "proposed"
                if progress is not None and (doc_id in watched or n % REPORT_EVERY == 0) and \
                        progress(n, len(targets), note) is False:
                    raise Cancelled(f"gold dictionary stopped after {n} documents")
        rep.seconds = time.perf_counter() - t0
        return rep

    def _documents_with(self, project: Project, changed: set[Entry]) -> list[str]:
        """The documents that may hold a changed text (a superset: ``batch`` matches)."""
        found: dict[str, set[str]] = {}

        def holding(seq: Seq) -> set[str]:
            word = max(seq, key=len)
            if word not in found:
                found[word] = set(project.search(word, ALL))
            return found[word]

        out: set[str] = set()
        for table, key, _label in changed:
            if table == "relation":
                out |= holding(key[0]) & holding(key[2])
            else:
                out |= holding(key)
        order = {d: i for i, d in enumerate(project.document_ids())}
        return sorted(out, key=lambda d: order.get(d, 0))

    def _update(self, project: Project, doc_id: str, rep: LiveReport, watched: bool) -> None:
        doc = project.document(doc_id)
        batch = self.gold.batch(doc)
        with project.compound(f"Suggest ({SOURCE}, as you work) in {doc.name}"):
            ann = project.annotations(doc_id)
            before = {s.id for s in ann.spans} | {e.id for e in ann.events}
            proposed = {(s.start, s.end, s.label) for s in batch.spans}
            types = {(e.start, e.end, e.type) for e in batch.events}
            held = {a.filler_id for e in ann.events for a in e.arguments} | {
                x for r in ann.relations for x in (r.head_id, r.tail_id)}
            triggers = {s.id: s for s in ann.spans}
            removed = 0
            for ev in ann.events:
                t = triggers.get(ev.trigger_id)
                if (ev.status == "suggested" and ev.source == SOURCE and t is not None
                        and (t.start, t.end, ev.type) not in types):
                    project.delete_event(ev.id)
                    if t.status == "suggested" and t.source == SOURCE:
                        project.delete_span(t.id)
                    removed += 1
            for s in ann.spans:
                if (s.status == "suggested" and s.source == SOURCE and s.kind != "trigger"
                        and s.id not in held and (s.start, s.end, s.label) not in proposed):
                    project.delete_span(s.id)
                    removed += 1
            put = project.put_suggestions(doc_id, SOURCE, batch, origin=GoldDictionary.origin,
                                          replace=False)
        if put.added or removed:
            rep.documents.append(doc_id)
            rep.added += put.added
            rep.removed += removed
        if watched and (put.added or removed):
            after = project.annotations(doc_id)
            now = {s.id for s in after.spans} | {e.id for e in after.events}
            rep.changes.doc_ids.add(doc_id)
            for ident in before ^ now:
                (rep.changes.events if any(e.id == ident for e in ann.events + after.events)
                 else rep.changes.spans).add(ident)
