"""Opening, creating, importing into and exporting from projects in the window.

An import runs ``annotator.formats.importing.import_paths``, the function ``annotator import``
runs (same readers, folder rules, reader warnings, streaming, worker processes where safe), on
a worker thread with progress and Cancel; bad files are skipped and listed. When it ends the
window shows the report the CLI prints (``import_report_lines``). An export runs the CLI's
``run_export`` the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

import annotator
from annotator.core.inputs import ImportReport
from annotator.gui.workers import Job, JobRunner, export_job, import_job

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

IMPORT_FILTER = "Documents (*.txt *.jsonl *.json *.ann *.conll);;All files (*)"
PROJECT_SUFFIX = ".annproj"


def import_report_lines(report: ImportReport) -> list[str]:
    """The report of an import, line by line, as ``annotator import`` prints it."""
    return [report.summary(), *report.detail_lines()]


class ImportExport:
    """The File menu's import and export actions of one window, and their running jobs."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.jobs: list[JobRunner] = []
        self.last_report: list[str] = []

    def cancel_all(self) -> None:
        for job in list(self.jobs):
            job.cancel()
            job.worker_thread.wait(10_000)

    def _start(self, title: str, job: Job, show_dialog: bool, done: Any) -> JobRunner:
        runner = JobRunner(self.window, title, job, show_dialog)
        runner.done.connect(lambda outcome, result: self._finished(runner, outcome, result,
                                                                   done))
        self.jobs.append(runner)
        runner.start()
        return runner

    def _finished(self, runner: JobRunner, outcome: str, result: Any, done: Any) -> None:
        if runner in self.jobs:
            self.jobs.remove(runner)
        if outcome == "ok":
            done(result)
        elif outcome == "cancelled":
            self.window.message(str(result), 8000)
        else:
            self.window.error(result)

    def _report_box(self, name: str, title: str, text: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, title, text,
                          QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName(name)
        box.setTextFormat(Qt.TextFormat.PlainText)  # file names and reader messages
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # ---- projects ----------------------------------------------------------------------
    def new_project_dialog(self) -> None:
        """File > New project: a file name, then a built-in schema."""
        path, _ = QFileDialog.getSaveFileName(self.window, "New project", str(Path.home()),
                                              f"annotator projects (*{PROJECT_SUFFIX})")
        if not path:
            return
        if not path.endswith(PROJECT_SUFFIX):
            path += PROJECT_SUFFIX
        from annotator.core.schema import builtin_schema_names

        names = builtin_schema_names()
        default = names.index(annotator.DEFAULT_SCHEMA) if annotator.DEFAULT_SCHEMA in names else 0
        schema, ok = QInputDialog.getItem(self.window, "Schema", "Label schema:", names,
                                          default, False)
        if ok:
            self.window.new_project(path, schema)

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project", str(Path.home()),
                                              f"annotator projects (*{PROJECT_SUFFIX});;"
                                              "All files (*)")
        if path:
            self.window.open_project(path)

    # ---- import ------------------------------------------------------------------------
    def import_dialog(self) -> None:
        project = self.window.project
        if project is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Import documents",
                                                str(project.path.parent), IMPORT_FILTER)
        if paths:
            self.start_import(paths)

    def import_folder_dialog(self) -> None:
        project = self.window.project
        if project is None:
            return
        folder = QFileDialog.getExistingDirectory(self.window, "Import a folder of articles",
                                                  str(project.path.parent))
        if folder:
            self.start_import([folder])

    def start_import(self, paths: Sequence[str | Path], show_dialog: bool = True
                     ) -> JobRunner | None:
        project = self.window.project
        if project is None:
            return None
        return self._start("Importing documents…", Job(project, import_job(paths)),
                           show_dialog, self._import_done)

    def _import_done(self, report: ImportReport) -> None:
        self.window.documents_added()
        self.last_report = import_report_lines(report)
        self.window.message(report.summary().capitalize(), 8000)
        if len(self.last_report) > 1:  # something to read beyond the summary line
            self._report_box("importFinished", "Import finished", "\n".join(self.last_report))

    # ---- export ------------------------------------------------------------------------
    def export_dialog(self) -> None:
        project = self.window.project
        if project is None:
            return
        from annotator.formats.registry import EXPORTERS, FORMAT_HELP
        from annotator.gui.dialogs import ExportDialog

        dlg = ExportDialog(self.window, {k: FORMAT_HELP.get(k, "") for k in EXPORTERS},
                           project.annotators(), str(project.path.parent))
        if dlg.exec():
            fmt, out, docs, split, set_name = dlg.values()
            self.start_export(fmt, out, docs, split, set_name, options=dlg.options())

    def start_export(self, fmt: str, out: str, documents: str = "done", split: str = "",
                     set_name: str = "", show_dialog: bool = True,
                     options: dict[str, object] | None = None) -> JobRunner | None:
        project = self.window.project
        if project is None:
            return None
        from annotator.formats.export import ExportOptions, parse_split

        export_options = ExportOptions(documents=documents, annotator=set_name or None,
                                       split=parse_split(split) if split else None,
                                       extra=dict(options or {}))
        force = self._replace_allowed(Path(out), show_dialog)
        if force is None:
            return None
        return self._start(f"Exporting {fmt}…",
                           Job(project, export_job(fmt, out, export_options, force=force)),
                           show_dialog, self._export_done)

    def _replace_allowed(self, out: Path, ask: bool) -> bool | None:
        """False when ``out`` is free, True when the user agreed to replace what is there,
        None when they declined (the CLI's --force, asked as a question)."""
        from annotator.errors import ExportError
        from annotator.formats.staging import check_target

        try:
            check_target(out, force=False)
            return False
        except ExportError:
            if out.is_symlink() or not out.exists():
                return False  # run_export reports these itself
        if not ask:
            return True
        answer = QMessageBox.question(
            self.window, "Replace the export?",
            f"{out} already exists. Replace it with this export? (The old one is kept until "
            "the new one is complete.)")
        return True if answer == QMessageBox.StandardButton.Yes else None

    def _export_done(self, result: Any) -> None:
        self._report_box("exportFinished", "Export finished", result.summary())
        self.window.message(result.summary().splitlines()[0], 8000)
