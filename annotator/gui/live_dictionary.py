"""The gold dictionary following the annotator's edits, off the GUI thread (issue #12).

``LiveDictionary`` listens to the window's project: the documents a gold edit touched are
collected and a background job starts right after the edit (``START_MS``: once the window
has painted it). The job first waits for the user's pause (``gui.foreground``: 0.1 s without
a key or an edit) and then takes every document edited until then, so a burst of edits makes
one job; it relearns them and proposes the changed texts across the project
(``nlp.live_gold``) on a worker connection. Nothing here blocks an edit: edits made while a
job works are collected for the next one, and each of the job's transactions (a hundred
places) reads what it writes over inside it, so they win. The document shown is written
first and repainted as soon as it is (``WATCHED`` progress), the other documents follow, the
job stepping aside between two steps of a few milliseconds while the user keys or edits;
closing the window stops the job at its next step. The setting ``suggest/live_dictionary``
(Annotate > Suggest from gold as I work) turns it off.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QThread, QTimer
from PySide6.QtGui import QAction

from annotator.core.changes import Changes
from annotator.core.progress import Cancelled, ProgressFn
from annotator.core.project import Project
from annotator.gui import foreground
from annotator.gui.foreground import ForegroundWatch
from annotator.gui.suggestions import add_after_train_model
from annotator.gui.workers import Job

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow
    from annotator.nlp.live_gold import LiveGold, LiveReport

START_MS = 20  # after an edit: the job starts once the window has painted it
MANY_DOCUMENTS = 200  # more documents written: the job reads the document list's counts
STOP_TIMEOUT_MS = 30_000


def live_dictionary_of(window: MainWindow) -> LiveDictionary:
    """The window's live dictionary (made on first use, a child of the window)."""
    found = window.findChild(QObject, "liveDictionary")
    return found if isinstance(found, LiveDictionary) else LiveDictionary(window)


class LiveDictionary(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("liveDictionary")
        self.window = window
        self.project: Project | None = None
        self.live: LiveGold | None = None
        self.pending: set[str] = set()  # edited documents, taken by the next job as it starts
        self.lock = threading.Lock()  # around ``pending``
        self.job: Job | None = None
        self.worker_thread: QThread | None = None
        self.last: LiveReport | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(START_MS)
        self.timer.timeout.connect(self._run)
        window.installEventFilter(self)
        self.watch = ForegroundWatch(self)  # the job steps aside while the user edits
        self.action = self._menu_entry()

    def _menu_entry(self) -> QAction:
        """Annotate > Suggest from gold as I work (checkable, after Train model)."""
        act = QAction("Suggest from &gold as I work", self.window)
        act.setObjectName("action_live_dictionary")
        act.setCheckable(True)
        act.setChecked(self.enabled)
        act.setStatusTip("After a gold edit, propose its text in every document "
                         "(in the background)")
        act.toggled.connect(self.set_enabled)
        add_after_train_model(self.window, act)
        return act

    @property
    def enabled(self) -> bool:
        return self.window.settings.live_dictionary

    def set_enabled(self, on: bool) -> None:
        self.window.settings.live_dictionary = on
        if not on:
            self.timer.stop()
            with self.lock:
                self.pending.clear()

    def attach(self, project: Project) -> None:
        """Follow ``project`` (the window just opened it); the dictionary is learned again
        from its gold on the first edit."""
        self.stop()
        if self.project is not None:
            self.project.unsubscribe(self._on_changes)
        with self.lock:
            self.project, self.live, self.pending = project, None, set()
        project.subscribe(self._on_changes)

    def stop(self) -> None:
        """Stop a running job at its next step (what it wrote stays; its result
        is dropped) and forget the collected edits."""
        self.timer.stop()
        job, thread = self.job, self.worker_thread
        self.job = self.worker_thread = None
        if job is not None and thread is not None:
            job.cancel()
            thread.quit()
            thread.wait(STOP_TIMEOUT_MS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.stop()
        return False

    def _on_changes(self, changes: Changes) -> None:
        foreground.mark()
        if not self.enabled or not (changes.spans or changes.events or changes.relations):
            return
        with self.lock:
            self.pending |= changes.doc_ids
        if self.job is None:
            self.timer.start()

    @property
    def running(self) -> bool:
        return self.job is not None

    def _run(self) -> None:
        project = self.project
        if (project is None or project is not self.window.project or project.readonly
                or not self.pending or not self.enabled):
            return
        if self.job is not None:
            return  # the job's end starts the next one
        from annotator.nlp.live_gold import LiveGold

        if self.live is None:
            self.live = LiveGold()
        live, watch = self.live, [self.window.current_doc or ""]

        def pause() -> None:  # between two steps of the job: step aside, stop when asked
            foreground.wait_quiet()
            if job.cancel_requested:
                raise Cancelled("gold dictionary stopped")

        def run(worker: Project, progress: ProgressFn) -> tuple[LiveReport, list[Any]]:
            pause()  # the user's pause: the edits made until now go in this job
            with foreground.job_running():
                report = live.refresh(worker, self._take(), watch, progress, pause=pause)
                # many documents written: their span counts read here in one query, not one
                # query per document on the GUI thread afterwards (8,600: seconds of freeze)
                many = len(report.documents) > MANY_DOCUMENTS
                return report, worker.documents() if many else []

        job = Job(project, run)
        thread = QThread(self)
        job.moveToThread(thread)
        thread.started.connect(job.run)
        job.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        queued = Qt.ConnectionType.QueuedConnection
        job.succeeded.connect(self._done, queued)
        job.failed.connect(self._failed, queued)
        job.cancelled.connect(self._cancelled, queued)
        job.progress.connect(self._progress, queued)
        self.job, self.worker_thread = job, thread
        thread.start()

    def _take(self) -> list[str]:
        """The documents edited until now (on the job's thread, as it starts its work)."""
        with self.lock:
            ids, self.pending = sorted(self.pending), set()
        return ids

    def _progress(self, _done: int, _total: int, message: str) -> None:
        """The shown document has its suggestions: repaint it now, not at the job's end."""
        from annotator.nlp.live_gold import WATCHED

        w, live = self.window, self.live
        if message == WATCHED and live is not None and self.project is w.project \
                and w.current_doc in live.report.changes.doc_ids:
            # a copy: the job's thread goes on adding to the report's sets meanwhile (the
            # view iterating them while it read the spans failed: set changed size)
            shown = Changes()
            shown.merge(live.report.changes)
            w.view.refresh(shown)

    def _done(self, result: Any) -> None:
        self._ended()
        report, summaries = result
        self.last = report
        w = self.window
        if self.project is None or self.project is not w.project:
            return
        if summaries and not w.panels.counting:
            w.doclist.set_documents(summaries)  # one reset (the counts read by the job)
            w.panels.changed(Changes(doc_ids={w.current_doc} if w.current_doc else set()))
        elif report.documents:
            w.panels.changed(Changes(doc_ids=set(report.documents)))
        changes = report.changes
        if w.current_doc and w.current_doc in changes.doc_ids:
            w.view.refresh(changes)
        if report.added:
            w.message(f"gold dictionary: {report.added} suggestion(s) in "
                      f"{len(report.documents)} document(s)", 4000)

    def _failed(self, exc: Any) -> None:
        self._ended()
        self.live = None  # learned again from the project's gold next time
        self.window.message(f"gold dictionary not updated: {exc}", 8000)

    def _cancelled(self, _message: str) -> None:
        self._ended()
        self.live = None  # some documents were not written: learn everything again

    def _ended(self) -> None:
        job, thread = self.job, self.worker_thread
        self.job = self.worker_thread = None
        if thread is not None:
            thread.quit()
            thread.wait(STOP_TIMEOUT_MS)
            thread.deleteLater()
        if job is not None:
            job.deleteLater()
        if self.pending:
            self.timer.start()
