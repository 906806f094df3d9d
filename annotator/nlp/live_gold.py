"""The gold dictionary kept up to date while the annotator works (issue #12).

After gold edits in some documents, ``LiveGold.refresh`` relearns only those documents,
finds the texts whose gold changed (new, relabelled or removed, or labelled more or less
often where they occur) and proposes them again wherever they occur in the project. A
labelled text is looked up in every document at once: the documents whose text holds its
longest word are read in one query (``Project.texts_holding``, FTS-narrowed where the index
can say: one look-up for all its pages), its occurrences found in all of them together
(``live_match``) and written by ``Project.put_span_proposals`` a hundred places per
transaction, the shown document first (10,000 documents: well under 1 s; one document at a
time took 10 s). Every step (a page of documents searched, a transaction) takes a few
milliseconds, with a ``pause()`` between two: a job on a worker thread holds the
interpreter lock at most that long while the user edits. Proposals are *added* to
the dictionary's open suggestions (one already there keeps its id, so a selection of it
holds) and open dictionary suggestions the dictionary no longer makes there are removed;
the places are read inside each transaction, so gold, rejected and edited annotations made
meanwhile win. Changed trigger words and related pairs go the older way, each document's
whole batch through ``put_suggestions`` (``_update``).

``LiveGold`` is plain state used by one thread at a time: the window runs ``refresh`` on a
worker connection, one job after another (``gui.live_dictionary``). The first refresh
learns the gold of every document that has some.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.bulk_suggest import BulkReport, Proposal
from annotator.core.changes import Changes
from annotator.core.progress import Cancelled, ProgressFn
from annotator.errors import NotFoundError
from annotator.nlp.gold_dictionary import Entry, GoldDictionary, Seq, entries
from annotator.nlp.live_match import occurrences

if TYPE_CHECKING:
    from annotator.core.project import Project

SOURCE = GoldDictionary.name
WATCHED = "the shown document has its suggestions"  # progress message (see ``refresh``)
ALL = 10**9  # no limit on the corpus search
REPORT_EVERY = 256  # documents between progress reports of ``_update`` (a stop is seen there)
PLACES_PER_WRITE = 100  # proposals per transaction (~1.5 ms): an edit meanwhile waits one
WRITES_PER_REPORT = 8  # transactions between two progress calls (a signal to the window each)
DOCUMENTS_PER_READ = 200  # documents read and searched in one step (a few ms)


@dataclass
class LiveReport:
    """What one refresh did."""

    documents: list[str] = field(default_factory=list)  # documents written
    added: int = 0
    removed: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of the thread that ran it (the machine's load aside)
    changes: Changes = field(default_factory=Changes)  # in the watched documents


class LiveGold:
    def __init__(self) -> None:
        self.gold = GoldDictionary()
        self.learned: dict[str, list[Entry]] = {}
        self.ready = False
        self.report = LiveReport()  # of the running (or last) refresh

    def _build(self, project: Project, skip: set[str]) -> None:
        for doc_id in project.gold_document_ids():  # suggestions alone teach nothing
            if doc_id not in skip:
                self._learn(project, doc_id)
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
                progress: ProgressFn | None = None,
                pause: Callable[[], None] = lambda: None) -> LiveReport:
        """Learn the gold of ``doc_ids`` again and propose what changed across the project.
        ``watch`` (the document shown) is written first, its ids to repaint go in the
        report's changes and ``progress(1, total, WATCHED)`` then tells the caller they are
        there, and after every later transaction; ``progress`` returning False stops there
        (``Cancelled``: the documents written are kept). ``pause()`` is called between two
        steps of a few milliseconds each (a page of documents searched, a transaction): the
        window's job waits there while the user is editing (``gui.foreground``)."""
        t0, c0 = time.perf_counter(), time.thread_time()
        rep = LiveReport()
        self.report = rep
        edited = set(doc_ids)
        if not self.ready:
            self._build(project, edited)
        changed: set[Entry] = set()
        for doc_id in sorted(edited):
            changed |= self._learn(project, doc_id)
        texts = {key for table, key, _ in changed if table in ("span", "seen")}
        others = {e for e in changed if e[0] not in ("span", "seen")}
        watched = set(watch)
        if texts:
            self._propose_texts(project, texts, watched, rep, progress, pause)
        if others:  # triggers and relations: each document's whole batch, one by one
            targets = self._documents_with(project, others)
            targets.sort(key=lambda d: d not in watched)  # the shown document first
            for n, doc_id in enumerate(targets, 1):
                self._update(project, doc_id, rep, doc_id in watched)
                note = WATCHED if doc_id in watched else "proposed"
                if progress is not None and (doc_id in watched or n % REPORT_EVERY == 0) and \
                        progress(n, len(targets), note) is False:
                    raise Cancelled(f"gold dictionary stopped after {n} documents")
        rep.seconds = time.perf_counter() - t0
        rep.cpu_seconds = time.thread_time() - c0
        return rep

    def _propose_texts(self, project: Project, texts: set[Seq], watched: set[str],
                       rep: LiveReport, progress: ProgressFn | None,
                       pause: Callable[[], None]) -> None:
        """The labelled texts that changed, proposed (or taken back) wherever they occur:
        found in all documents at once (``live_match``), written a hundred places per
        transaction (``Project.put_span_proposals``), the shown document first."""
        places: dict[str, list[Proposal]] = {}
        for seq in sorted(texts):
            elsewhere = self._proposal(seq, "")  # a document that did not label it
            labelled = self.gold.seen.get(seq, {})
            # a page of documents at a time, a pause between pages
            for docs in project.pages_holding(max(seq, key=len), DOCUMENTS_PER_READ):
                for doc_id, start, end in occurrences(seq, docs):
                    label, score = (self._proposal(seq, doc_id) if doc_id in labelled
                                    else elsewhere)
                    places.setdefault(doc_id, []).append((start, end, label, score))
                pause()
        done = 0
        for n, chunk in enumerate(_chunks(places, watched)):
            pause()
            put = project.put_span_proposals(SOURCE, GoldDictionary.origin,
                                             {d: places[d] for d in chunk})
            done += len(chunk)
            self._count(put, rep, watched)
            shown = chunk[0] in watched
            if progress is not None and (shown or n % WRITES_PER_REPORT == 0) and progress(
                    done, len(places), WATCHED if shown else "proposed") is False:
                raise Cancelled(f"gold dictionary stopped after {done} documents")

    def _proposal(self, seq: Seq, doc_id: str) -> tuple[str | None, float | None]:
        """What the dictionary proposes for ``seq`` in ``doc_id`` (as ``batch`` scores it),
        (None, None) for nothing."""
        counts = self.gold.spans.get(seq)
        if not counts:
            return None, None
        label, n = counts.most_common(1)[0]
        usage = self.gold.usage(seq, doc_id)
        score = round(n / sum(counts.values()) * (1.0 if usage is None else usage), 4)
        return (label, score) if score >= self.gold.min_score else (None, None)

    @staticmethod
    def _count(put: BulkReport, rep: LiveReport, watched: set[str]) -> None:
        rep.documents += put.documents  # the chunks hold different documents
        for doc_id in put.documents:
            if doc_id in watched:
                rep.changes.doc_ids.add(doc_id)
                rep.changes.spans.update(put.added.get(doc_id, ()))
                rep.changes.spans.update(put.removed.get(doc_id, ()))
        rep.added += sum(len(v) for v in put.added.values())
        rep.removed += sum(len(v) for v in put.removed.values())

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
            relations_before = {r.id for r in ann.relations}
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
            # relation suggestions put again have new ids: the view must drop the old ones
            rep.changes.relations |= relations_before ^ {r.id for r in after.relations}
            for ident in before ^ now:
                (rep.changes.events if any(e.id == ident for e in ann.events + after.events)
                 else rep.changes.spans).add(ident)


def _chunks(places: dict[str, list[Proposal]], watched: set[str]) -> Iterator[list[str]]:
    """The documents of ``places`` in groups of about ``PLACES_PER_WRITE`` places (one
    transaction each), the watched ones first in a group of their own, made one group at a
    time (the caller steps aside between two). By id, the key of the span indexes: a
    transaction then rewrites a few index pages instead of one per document (in text order:
    6 ms a commit, 0.3 s in all)."""
    shown = sorted(d for d in places if d in watched)
    if shown:
        yield shown
    chunk: list[str] = []
    size = 0
    for doc_id in sorted(places):
        if doc_id in watched:
            continue
        chunk.append(doc_id)
        size += len(places[doc_id])
        if size >= PLACES_PER_WRITE:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk
