"""Background jobs (import, export) on a QThread with their own project connection.

An import runs ``annotator.formats.importing.import_paths`` and an export ``run_export``: the
functions the CLI runs, so both roads read, skip, warn and report alike.

A job runs ``fn(worker_project, progress)`` where ``worker_project`` comes from
``Project.worker_copy()`` (SQLite serialises the two writers, so the window stays editable)
and ``progress(done, total, message)`` returns False once the user pressed Cancel, which makes
the core raise ``Cancelled`` and roll everything back.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.core.inputs import ImportReport
from annotator.core.progress import Cancelled, ProgressFn
from annotator.core.project import Project

JobFn = Callable[[Project, ProgressFn], Any]


class Job(QObject):
    progress = Signal(int, int, str)  # done, total (-1 unknown), message
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal(str)
    finished = Signal()

    def __init__(self, project: Project, fn: JobFn) -> None:
        super().__init__()
        self._worker_project = project.worker_copy()
        self._fn = fn
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int | None, message: str) -> bool:
        self.progress.emit(done, -1 if total is None else total, message)
        return not self._cancel.is_set()

    @Slot()
    def run(self) -> None:  # runs on the worker thread
        try:
            if self._cancel.is_set():
                raise Cancelled("cancelled before it started: nothing was saved")
            result = self._fn(self._worker_project, self._progress)
        except Cancelled as exc:
            self.cancelled.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the user
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            with contextlib.suppress(Exception):
                self._worker_project.close()
            self.finished.emit()


class JobRunner(QObject):
    """Runs one Job on its own thread with a QProgressDialog (Cancel) that does not block."""

    done = Signal(str, object)  # outcome ("ok" | "failed" | "cancelled"), result/exception/msg

    def __init__(self, parent: QWidget, title: str, job: Job, show_dialog: bool = True) -> None:
        super().__init__(parent)
        self.job = job
        self.outcome = ""
        self.result: Any = None
        self.worker_thread = QThread(self)
        job.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(job.run)
        # direct: quit at once from the worker thread (queued, it would wait for the GUI
        # thread, which may be blocked in wait() for this very thread)
        job.finished.connect(self.worker_thread.quit, Qt.ConnectionType.DirectConnection)
        job.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        # bound slots of this GUI-thread object: queued, so _finish runs on the GUI thread
        queued = Qt.ConnectionType.QueuedConnection
        job.succeeded.connect(self._on_ok, queued)
        job.failed.connect(self._on_failed, queued)
        job.cancelled.connect(self._on_cancelled, queued)
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setObjectName("progressDialog")
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.NonModal)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)  # keep typing
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(0 if show_dialog else 10**9)
        # direct: the job's own thread is busy, a queued call would arrive after the work
        self.dialog.canceled.connect(self.cancel)

    def start(self) -> None:
        self.dialog.show()
        self.worker_thread.start()

    @Slot()
    def cancel(self) -> None:
        self.job.cancel()

    @property
    def running(self) -> bool:
        return self.worker_thread.isRunning() or not self.outcome

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        self.dialog.setLabelText(message)

    @Slot(object)
    def _on_ok(self, result: Any) -> None:
        self._finish("ok", result)

    @Slot(object)
    def _on_failed(self, exc: Any) -> None:
        self._finish("failed", exc)

    @Slot(str)
    def _on_cancelled(self, message: str) -> None:
        self._finish("cancelled", message)

    def _finish(self, outcome: str, result: Any) -> None:
        self.outcome, self.result = outcome, result
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.worker_thread.quit()
        self.worker_thread.wait(10_000)
        self.done.emit(outcome, result)


class BackgroundRead(QObject):
    """One read on a worker connection, off the GUI thread and without a dialog (the document
    list's span counts of a large project); ``done(result)`` arrives on the GUI thread."""

    done = Signal(object)
    STOP_TIMEOUT_MS = 30_000

    def __init__(self, parent: QObject, project: Project, fn: Callable[[Project], Any]) -> None:
        super().__init__(parent)
        self.job = Job(project, lambda worker, _progress: fn(worker))
        self.worker_thread = QThread(self)
        self.job.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self.job.run)
        self.job.finished.connect(self.worker_thread.quit, Qt.ConnectionType.DirectConnection)
        self.job.succeeded.connect(self._on_ok, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        self.worker_thread.start()

    def stop(self) -> None:
        """Wait for the read to end (its result is dropped). ``quit`` is called here: the
        job's ``finished -> quit`` connection is queued to this (the GUI) thread, which would
        not deliver it while it waits, so the wait would last its whole timeout."""
        self.job.succeeded.disconnect(self._on_ok)
        self.worker_thread.quit()
        self.worker_thread.wait(self.STOP_TIMEOUT_MS)

    @Slot(object)
    def _on_ok(self, result: Any) -> None:
        self.done.emit(result)


# ---- the jobs ----------------------------------------------------------------------------

def import_job(paths: Sequence[str | Path], skip_bad: bool = True) -> JobFn:
    """Import ``paths`` as ``annotator import [--skip-bad]`` does (bad files are skipped and
    listed in the report unless ``skip_bad`` is False)."""
    def run(project: Project, progress: ProgressFn) -> ImportReport:
        from annotator.formats.importing import ImportOptions, import_paths

        if progress(0, None, "reading files") is False:
            raise Cancelled("cancelled: nothing was imported")
        return import_paths(project, list(paths), ImportOptions(skip_bad=skip_bad),
                            progress=progress)
    return run


def export_job(fmt: str, out: str, options: Any, force: bool = False) -> JobFn:
    """Export as ``annotator export [--force]`` does (atomic: nothing appears until complete)."""
    def run(project: Project, progress: ProgressFn) -> Any:
        from annotator.formats.export import run_export

        return run_export(project, fmt, out, options, progress=progress, force=force)
    return run
