"""The panels beside the document follow the ``Changes`` record of each edit, undo and redo.

The document view repaints what changed at once (inside the edit's listener); the other panels
are brought up to date once per event-loop turn, however many edits that turn made, before
the window paints (``gui.soon``: one paint per key, not one per panel):

* the document list updates the rows of the documents that changed (one query each); only
  documents it does not list yet (an import) make it list every document again;
* the problems panel re-checks the current document, only when it changed, once the edits
  pause for ``CHECK_AFTER_EDIT_MS`` (a label key then costs no validation of the whole
  document: 3-5 ms of each key on a 150-span article; a burst of keys is checked once); a
  document shown anew is checked ``CHECK_AFTER_SHOW_MS`` later (the panel says "Checking…"
  meanwhile; stepping through documents checks only the one the user stops at); an
  explicit refresh or F8 checks at once; a document of more than ``BACKGROUND_CHECK_SPANS``
  spans is checked on a worker connection (100,000 spans take seconds to validate: the window
  paints the document first and stays usable meanwhile);
* the inspector rebuilds only when what it shows was touched (the selected annotation, the
  current event, their fillers and ends) or the schema changed;
* the status bar counts come from the document list's row.

Opening a project lists its documents without span counts (a few milliseconds for 10,000
documents) and counts them on a worker connection (half a second for 1.5 million spans), so
the window shows the first document at once; rows edited meanwhile are read again after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from annotator.core.changes import Changes
from annotator.core.model import DocumentSummary
from annotator.errors import NotFoundError
from annotator.gui.soon import Soon
from annotator.gui.workers import BackgroundRead

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.core.validate import Problem
    from annotator.gui.main_window import MainWindow


def _problems_or_none(project: Project, doc_id: str) -> list[Problem] | None:
    """The problems of ``doc_id`` on a worker connection (None: the document is gone)."""
    try:
        return project.problems(doc_id)
    except NotFoundError:
        return None


BACKGROUND_CHECK_SPANS = 20_000
CHECK_AFTER_EDIT_MS = 250  # the problems of an edited document, once edits pause this long
CHECK_AFTER_SHOW_MS = 120  # the problems of a document shown, once the user stays on it


class PanelUpdater:
    """Collects what the edits of one event-loop turn changed, then updates the panels once."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._rows: set[str] = set()
        self._relist = False
        self._problems = False
        self._soon = Soon(self.flush, window)  # this turn, before the window paints
        self._check_timer = QTimer(window)  # the edited document's check, once edits pause
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_AFTER_EDIT_MS)
        self._check_timer.timeout.connect(self._check_current)
        self._counting: BackgroundRead | None = None
        self._touched: set[str] = set()  # rows edited while the counts are read
        self._checking: BackgroundRead | None = None  # a large document's problem check
        self._check_again = False  # edited while it ran: check once more when it ends

    @property
    def pending(self) -> bool:
        """Whether a panel update (or the edited document's check) is still to come."""
        return self._soon.pending or self._check_timer.isActive()

    @property
    def counting(self) -> bool:
        return self._counting is not None

    def list_documents(self) -> None:
        """List the open project's documents now, their span counts in the background (the
        shown document's at once)."""
        w = self.window
        project = w.project
        assert project is not None
        self.stop_counting()
        w.doclist.set_documents(project.documents_uncounted())
        if w.current_doc:
            w.doclist.update_document(project.document_summary(w.current_doc))
        job = BackgroundRead(w, project, lambda worker: worker.documents())
        job.done.connect(lambda docs: self._counted(job, docs))
        self._counting = job
        job.start()

    def stop_counting(self) -> None:
        self.stop_checking()
        if self._counting is not None:
            self._counting.stop()
            self._counting.deleteLater()
            self._counting = None
        self._touched.clear()

    def _counted(self, job: BackgroundRead, docs: list[DocumentSummary]) -> None:
        if job is not self._counting:  # stopped (another project, another set): stale
            return
        self._counting = None
        job.stop()  # its thread is ending: wait for it, never delete a running QThread
        job.deleteLater()
        self.window.doclist.set_documents(docs)  # one reset: 10,000 row updates take 0.3 s
        self._rows |= self._touched  # edited after the count was read: read them again
        self._touched.clear()
        self._soon.request()

    def changed(self, changes: Changes) -> None:
        """Note what ``changes`` touched (called by the project's listener)."""
        w = self.window
        docs = changes.doc_ids | changes.documents
        if any(w.doclist.summary(d) is None for d in docs):
            self._relist = True  # documents the list does not know yet (an import)
        self._rows |= docs
        if self._counting is not None:
            self._touched |= docs
        if w.current_doc and (w.current_doc in docs or changes.schema):
            self._check_timer.start(CHECK_AFTER_EDIT_MS)  # (again): once the edits pause
        if changes.schema or self._touches_inspector(changes):
            w.inspector.schedule(rebuild=changes.schema)
        self._soon.request()

    def document_shown(self) -> None:
        """A new current document: the status bar now, its problems once the user stays."""
        self.window.problems_panel.set_checking()
        self._check_timer.start(CHECK_AFTER_SHOW_MS)
        self._soon.request()

    def check_now(self) -> None:
        """Run a coming check of the current document now (F8 wants its problems)."""
        if self._check_timer.isActive():
            self._check_timer.stop()
            self._check_current()

    def relist(self) -> None:
        """List every document again (a project opened, an import ended, another set)."""
        self._relist = True
        self._problems = True
        self._soon.request()

    def flush(self) -> None:
        """Bring the panels up to date now (the timer calls this once per turn)."""
        self._soon.cancel()
        w = self.window
        project = w.project
        rows, self._rows = self._rows, set()
        relist, self._relist = self._relist, False
        problems, self._problems = self._problems, False
        if project is None:
            return
        if relist:
            w.doclist.update_documents(project.documents())
        else:
            for doc_id in rows:
                try:
                    w.doclist.update_document(project.document_summary(doc_id))
                except NotFoundError:
                    self._relist = True
        if problems or relist:
            self._check_timer.stop()
            self._check_current()
        w.update_status()
        if self._relist:
            self._soon.request()

    def _check_current(self) -> None:
        w = self.window
        project, doc_id = w.project, w.current_doc
        if project is None or not doc_id:
            w.problems_panel.set_problems([])
            return
        if self._checking is not None:
            self._check_again = True  # the running check is stale: one more when it ends
            return
        if len(w.view.shown_spans()) > BACKGROUND_CHECK_SPANS:
            self._check_in_background(doc_id)
            return
        try:
            w.problems_panel.set_problems(project.problems(doc_id))
        except NotFoundError:
            w.problems_panel.set_problems([])

    def _check_in_background(self, doc_id: str) -> None:
        w = self.window
        assert w.project is not None
        job = BackgroundRead(w, w.project, lambda worker: _problems_or_none(worker, doc_id))
        job.done.connect(lambda problems: self._checked(job, doc_id, problems))
        self._checking = job
        job.start()

    def _checked(self, job: BackgroundRead, doc_id: str, problems: list[Problem] | None) -> None:
        if job is not self._checking:  # stopped (another project): stale
            return
        self._checking = None
        job.stop()
        job.deleteLater()
        again, self._check_again = self._check_again, False
        if again or doc_id != self.window.current_doc:
            self._problems = True  # edited or another document meanwhile: check again
            self._soon.request()
        else:
            self.window.problems_panel.set_problems(problems or [])

    def stop_checking(self) -> None:
        """Drop a running or coming check (the project closes or changes)."""
        self._check_timer.stop()
        if self._checking is not None:
            self._checking.stop()
            self._checking.deleteLater()
            self._checking = None
        self._check_again = False

    @property
    def checking(self) -> bool:
        return self._checking is not None

    def _touches_inspector(self, changes: Changes) -> bool:
        """Whether ``changes`` touched what the inspector shows: the selected annotation, the
        current event, or the spans those refer to (fillers, relation ends, triggers)."""
        w = self.window
        shown = [("event", w.modes.event_id)] if w.modes.event_id else []
        if w.inspector.selection:
            shown.append(w.inspector.selection)
        ids = {ann_id for _, ann_id in shown}
        if ids & (changes.spans | changes.events | changes.relations):
            return True
        return bool(changes.spans) and bool(self._referenced_spans(shown) & changes.spans)

    def _referenced_spans(self, shown: list[tuple[str, str]]) -> set[str]:
        project = self.window.project
        assert project is not None
        out: set[str] = set()
        for kind, ann_id in shown:
            try:
                if kind == "event":
                    ev = project.event(ann_id)
                    out.add(ev.trigger_id)
                    out |= {a.filler_id for a in ev.arguments}
                elif kind == "relation":
                    rel = project.relation(ann_id)
                    out |= {rel.head_id, rel.tail_id}
            except NotFoundError:
                continue
        return out
