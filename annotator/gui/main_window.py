"""The main window shell: docks, menus, status bar and the project's lifecycle.

The document view sits in the middle with the document list, the label palette, the
inspector and the problems panel docked around it. What the window does is spread over one
module per job: ``actions`` (QActions and menus), ``operations`` (how a core call is run and
its errors shown), ``annotate`` (labelling), ``modes`` (the current event and a pending
relation), ``find`` (find bar, corpus search), ``io_actions`` (background import and export),
``panels`` (panel updates from each edit's ``Changes``) and ``integrity_watch`` (the file's
check, run beside the first paint). Each piece of state lives in one place: the project (its
annotation set, token indexes) in ``Project``, the current document in the document view, its
text here (``doc_text``), the current event and pending relation in ``AnnotationModes``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QInputDialog,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

import annotator
from annotator.core.changes import Changes
from annotator.core.model import Span
from annotator.core.validate import Problem
from annotator.gui import actions
from annotator.gui.annotate import Labelling
from annotator.gui.dialogs import (
    CorpusSearch,
    PickPopup,
    ShortcutsDialog,
    ask_annotator_name,
    label_key_rows,
)
from annotator.gui.doclist import DocumentList
from annotator.gui.docview import DocumentView
from annotator.gui.find import FindBar, search_corpus
from annotator.gui.first_document import LastDocument, first_document
from annotator.gui.first_start import login_name
from annotator.gui.inspector import Inspector
from annotator.gui.integrity_watch import IntegrityWatch
from annotator.gui.io_actions import IMPORT_FILTER, PROJECT_SUFFIX, ImportExport
from annotator.gui.live_dictionary import live_dictionary_of
from annotator.gui.modes import AnnotationModes, EscapeWatcher
from annotator.gui.operations import Operations
from annotator.gui.palette import LabelPalette
from annotator.gui.panels import PanelUpdater
from annotator.gui.problems import ProblemsPanel
from annotator.gui.set_hint import SetHint
from annotator.gui.settings import DEFAULT_FONT_SIZE, Settings
from annotator.gui.status_field import set_field, status_field
from annotator.gui.suggestions import suggestions_of
from annotator.gui.workers import JobRunner

__all__ = ["IMPORT_FILTER", "PROJECT_SUFFIX", "MainWindow", "ask_annotator_name",
           "focus_widget"]


class MainWindow(QMainWindow):
    """The window: the docks and menus around the document view, and the open project."""

    view: DocumentView
    find_bar: FindBar
    ops: Operations
    modes: AnnotationModes
    labelling: Labelling
    io: ImportExport
    panels: PanelUpdater
    recent_menu: QMenu  # the menus are built by actions.build_menus
    edit_menu: QMenu
    annotate_menu: QMenu
    labels_menu: QMenu

    def __init__(self, settings: Settings | None = None, *, annotator_name: str = "",
                 annotation_set: str | None = None, show_all_arcs: bool | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.setObjectName("mainWindow")
        self.setWindowTitle("annotator")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks)
        self.project: annotator.Project | None = None
        self.annotator_name = annotator_name or self.settings.annotator_name or ""
        self._set_name = annotation_set or ""  # asked for before a project is open
        self.doc_text = ""  # the current document's text
        self.last_document = LastDocument(self.settings, self)  # written once the user stays
        self.last_step = +1  # the last next/previous document step
        self.ops = Operations(self)
        self.modes = AnnotationModes(self)
        self.labelling = Labelling(self)
        self.io = ImportExport(self)
        self.corpus_search: CorpusSearch | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self._build_central()
        self._build_docks()
        self.panels = PanelUpdater(self)
        self.integrity = IntegrityWatch(self)  # the background integrity check's answer
        self._build_status_bar()
        self.actions_: dict[str, QAction] = {}
        self.label_actions: list[QAction] = []
        actions.build_actions(self)
        actions.build_menus(self)
        self._apply_view_settings(show_all_arcs)
        self._restore_layout()
        self.update_status()
        self._update_undo_actions()
        self._update_enabled()

    # ==== construction ======================================================================
    def _build_central(self) -> None:
        self.view = DocumentView()
        self.view.setObjectName("documentView")
        self.find_bar = FindBar(self)
        central = QWidget()
        col = QVBoxLayout(central)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        self.set_hint = SetHint(lambda: self.set_annotation_set(self.annotator_name),
                                self.set_annotation_set, central)
        col.addWidget(self.set_hint)  # whose annotations are shown, when not the user's
        col.addWidget(self.view, 1)
        col.addWidget(self.find_bar)
        self.setCentralWidget(central)
        self.view.annotationSelected.connect(self.modes.after_select)
        self.view.annotationActivated.connect(self.modes.on_activated)
        self.view.selectionSnapped.connect(self.labelling.on_snapped)
        self._escape = EscapeWatcher(self)
        self._watch_escape(self.view)

    def _build_docks(self) -> None:
        self.doclist = DocumentList()
        self.doclist.documentActivated.connect(self.show_document)
        self.label_palette = LabelPalette()
        self.label_palette.labelChosen.connect(self.labelling.on_palette)
        self.inspector = Inspector(self)
        self.problems_panel = ProblemsPanel()
        self.problems_panel.problemActivated.connect(self.jump_to_problem)
        self.docks: dict[str, QDockWidget] = {}
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self._dock("documents", "Documents", self.doclist, left)
        self._dock("labels", "Labels", self.label_palette, right)
        self._dock("inspector", "Inspector", self.inspector, right)
        self._dock("problems", "Problems", self.problems_panel,
                   Qt.DockWidgetArea.BottomDockWidgetArea)
        d = self.docks
        self.splitDockWidget(d["labels"], d["inspector"], Qt.Orientation.Vertical)
        self.resizeDocks([d["documents"]], [340], Qt.Orientation.Horizontal)
        self.resizeDocks([d["labels"]], [380], Qt.Orientation.Horizontal)
        self.resizeDocks([d["labels"], d["inspector"]], [250, 450], Qt.Orientation.Vertical)
        self.resizeDocks([d["problems"]], [120], Qt.Orientation.Vertical)

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        self.docks[name] = dock

    def _build_status_bar(self) -> None:
        # fields of fixed size: a new count never lays the window out again (#10.16)
        self.status_doc = status_field("statusDocument")
        self.status_count = status_field("statusCount")
        self.status_annotator = status_field("statusAnnotator")  # a name, never rendered
        self.status_saved = status_field("statusSaved")
        for w in (self.modes.status_label, self.status_doc, self.status_count,
                  self.status_annotator, self.status_saved):
            self.statusBar().addPermanentWidget(w)

    def _apply_view_settings(self, show_all_arcs: bool | None) -> None:
        self.view.set_font_point_size(self.settings.font_size)
        arcs = self.settings.flag("show_all_arcs") if show_all_arcs is None else show_all_arcs
        self.view.show_all_arcs = bool(arcs)
        self.actions_["toggle_arcs"].setChecked(bool(arcs))
        self.view.snap_to_tokens = self.settings.flag("snap_to_tokens", True)
        self.actions_["toggle_snap"].setChecked(self.view.snap_to_tokens)

    def _watch_escape(self, widget: QWidget) -> None:
        widget.installEventFilter(self._escape)
        for child in widget.findChildren(QWidget):
            child.installEventFilter(self._escape)

    def _restore_layout(self) -> None:
        geo = self.settings.geometry()
        if geo is not None:
            self.restoreGeometry(geo)
        else:
            self.resize(1400, 900)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)

    def save_layout(self) -> None:
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_window_state(self.saveState())
        self.settings.font_size = int(self.view.font_point_size())
        self.settings.set_flag("show_all_arcs", bool(self.view.show_all_arcs))
        self.settings.set_flag("snap_to_tokens", bool(self.view.snap_to_tokens))
        self.settings.sync()

    # ==== state read from its one place =====================================================
    @property
    def current_doc(self) -> str | None:
        """The document shown (the document view holds it)."""
        return self.view.current_document() if self.project is not None else None

    @property
    def set_name(self) -> str:
        """The annotation set asked for ("" = the annotator's own)."""
        if self.project is None:
            return self._set_name
        own = self.project.annotation_set == self.project.annotator
        return "" if own or self.set_hint.hinted else self.project.annotation_set

    @property
    def event_id(self) -> str | None:
        return self.modes.event_id

    @property
    def relation_head(self) -> str | None:
        return self.modes.relation_head

    @property
    def popup(self) -> PickPopup | None:
        return self.ops.popup

    @property
    def last_error(self) -> str:
        return self.ops.last_error

    @property
    def jobs(self) -> list[JobRunner]:
        return self.io.jobs

    # ==== what other modules and the inspector call =========================================
    def run_edit(self, fn: Callable[[], Any]) -> Any:  # the inspector's Host protocol
        return self.ops.run_edit(fn)

    def error(self, exc: BaseException | str) -> None:
        self.ops.error(exc)

    def message(self, text: str, ms: int = 5000) -> None:
        self.ops.message(text, ms)

    def selected_span_id(self) -> str | None:
        sel = self.view.selected_annotation()
        return sel[1] if sel and sel[0] == "span" else None

    def shown_span(self, span_id: str) -> Span | None:
        """The span as the document view shows it (None: not in the shown document), read
        without a query: the view takes every edit of it from the edit's listener, before the
        panels and the inspector follow (#10.16: a label key read its span back three times)."""
        return self.view.shown_span(span_id)

    def span_text(self, span_id: str) -> str:
        assert self.project is not None
        s = self.view.shown_span(span_id)
        if s is not None:
            return self.doc_text[s.start:s.end]
        s = self.project.span(span_id)
        text = self.doc_text if s.doc_id == self.current_doc else \
            self.project.document(s.doc_id).text
        return text[s.start:s.end]

    def jump_to(self, kind: str, ann_id: str) -> None:
        self.view.select_annotation(kind, ann_id)

    def apply_label(self, label: str) -> None:
        self.labelling.apply_label(label)

    def start_import(self, paths: list[str], show_dialog: bool = True) -> JobRunner | None:
        return self.io.start_import(paths, show_dialog)

    def start_export(self, fmt: str, out: str, documents: str = "done", split: str = "",
                     set_name: str = "", show_dialog: bool = True) -> JobRunner | None:
        return self.io.start_export(fmt, out, documents, split, set_name, show_dialog)

    def show_first_event(self) -> None:
        self.modes.show_first_event()

    def focus_dock(self, dock: str) -> None:
        d = self.docks[dock]
        d.show()
        d.raise_()
        target = {"documents": self.doclist.table, "labels": self.label_palette.tree,
                  "problems": self.problems_panel.tree}.get(dock)
        if target is not None:
            target.setFocus()
        else:
            self.inspector.setFocus()
            self.inspector.focusNextChild()

    # ==== projects ==========================================================================
    def new_project(self, path: str, schema: str = annotator.DEFAULT_SCHEMA) -> None:
        project = annotator.create_project(path, schema=schema,
                                           annotator=self.annotator_name or "annotator")
        project.close()
        self.open_project(path)

    def open_project(self, path: str | Path, document: str | None = None) -> None:
        """Open ``path`` (closing the current project); ``document`` is a name or id."""
        project = annotator.open_project(path, annotator=self.annotator_name or "annotator",
                                         fallback_readonly=True, verify="background")
        requested = self.set_name
        project.annotation_set = requested  # "" = the annotator's own set
        self.close_project()
        self.project = project
        self.set_hint.choose(project, requested)  # gold when the user's own set is empty
        project.subscribe(self._on_changes)
        live_dictionary_of(self).attach(project)  # the gold dictionary follows the edits
        suggestions_of(self).attach(project)  # retrain after every N done (a setting)
        self.view.set_project(project)
        self._watch_escape(self.view)
        self.settings.add_recent(project.path)
        self.label_palette.set_schema(project.schema)
        actions.build_label_actions(self)
        title = f"{project.path.name} — annotator"
        if project.readonly:
            title += " (read-only: open elsewhere)"
        self.setWindowTitle(title)
        self.panels.list_documents()  # the span counts follow from a worker connection
        target = first_document(self, document)
        if target:
            self.doclist.update_document(project.document_summary(target))
            self.show_document(target)
        self.update_status()
        self._update_undo_actions()
        self._update_enabled()
        self.integrity.watch(project)

    def close_project(self) -> None:
        self.last_document.flush()
        self.view.read_ahead(None)
        self.io.cancel_all()
        self.panels.stop_counting()
        self.integrity.stop()
        if self.project is not None:
            self._set_name = self.set_name  # "" when the banner chose the set
            self.set_hint.dismiss()
            self.project.unsubscribe(self._on_changes)
            self.project.close()
        self.project = None
        self.doc_text = ""
        self.modes.reset()

    def edit_set(self) -> str:
        """The annotation set shown and edited: the annotator's own unless another was chosen
        (edits are still recorded under the annotator's name: Project.annotation_set)."""
        if self.project is not None:
            return self.project.annotation_set
        return self._set_name or self.annotator_name or "annotator"

    def set_annotation_set(self, name: str) -> None:
        self.set_hint.dismiss()  # the user chose
        self._set_name = "" if name == self.annotator_name else name
        if self.project is not None:
            self.project.annotation_set = self._set_name
            self.panels.list_documents()
            if self.current_doc:
                self.show_document(self.current_doc, force=True)
        self.update_status()

    def choose_annotation_set(self) -> None:
        if self.project is None:
            return
        own = self.annotator_name or "annotator"
        items = [own] + [s for s in self.project.annotators() if s != own]
        current = items.index(self.edit_set()) if self.edit_set() in items else 0
        name, ok = QInputDialog.getItem(
            self, "Annotation set", "Show and edit the annotations of:", items, current, True)
        if ok and name.strip():
            self.set_annotation_set(name.strip())

    def ensure_annotator_name(self) -> None:
        """Ask once, blocking (the start asks without blocking: first_start)."""
        if not self.annotator_name:
            self.apply_annotator_name(ask_annotator_name(self, login_name()) or login_name())

    def apply_annotator_name(self, name: str) -> None:
        """Record edits under ``name`` from now on, remembered in the settings."""
        self.annotator_name = name
        self.settings.annotator_name = name
        if self.project is not None:
            requested = self.set_name
            self.project.annotator = self.annotator_name
            self.project.annotation_set = requested
            self.set_hint.choose(self.project, requested)
            self.panels.list_documents()
            if self.current_doc:
                self.show_document(self.current_doc, force=True)
        self.update_status()

    # ==== documents =========================================================================
    def show_document(self, doc_id: str, force: bool = False) -> None:
        if self.project is None:
            return
        if doc_id == self.current_doc and not force:
            self.doclist.select(doc_id)
            return
        self.modes.cancel_modes(release_event=True)
        self.view.show_document(doc_id, annotator=self.edit_set())
        self.doc_text = self.view.document_text()  # read once, by the view
        self.doclist.select(doc_id)
        self.view.read_ahead(self.doclist.neighbour(doc_id, self.last_step))
        self.last_document.note(self.project.path, doc_id)
        self.inspector.show_annotation(None, None)
        self.panels.document_shown()
        self.panels.flush()
        self._update_enabled()

    def step_document(self, step: int) -> None:
        if self.project is None:
            return
        target = self.doclist.neighbour(self.current_doc or "", step)
        if target is None:
            self.message("No further document" if step > 0 else "This is the first document")
            return
        self.last_step = step  # the direction the document after it is read ahead in
        self.show_document(target)

    def documents_added(self) -> None:
        """An import ended: list the documents again, show the first if none is shown."""
        if self.project is None:
            return
        self.panels.list_documents()
        first = self.doclist.neighbour("", +1)
        if not self.current_doc and first:
            self.show_document(first)
        self.update_status()

    def set_status(self, status: str) -> None:
        project, doc_id = self.project, self.current_doc
        if project is None or doc_id is None:
            return
        self.ops.run_edit(lambda: project.set_status(doc_id, status))

    # ==== change notifications ==============================================================
    def _on_changes(self, changes: Changes) -> None:
        if changes.schema and self.project is not None:
            self.label_palette.set_schema(self.project.schema)
            actions.build_label_actions(self)
        if self.current_doc and (self.current_doc in changes.doc_ids or changes.schema):
            self.view.refresh(changes)
        self.modes.on_changes(changes)
        set_field(self.status_saved, "saved")
        self.status_saved.setToolTip(f"Saved: {changes.label}" if changes.label else "Saved")
        self._update_undo_actions()
        self.panels.changed(changes)

    def refresh_panels(self) -> None:
        """Bring the panels up to date now (they otherwise follow on the next turn)."""
        self.panels.relist()
        self.inspector.schedule()
        self.panels.flush()

    def update_status(self) -> None:
        doc_id = self.current_doc
        if self.project is None or not doc_id:
            set_field(self.status_doc, "no document")
            set_field(self.status_count, "")
        else:
            row = self.doclist.model.row_of(doc_id)
            set_field(self.status_doc, f"document {row + 1} of {len(self.doclist.model.docs)}")
            summary = self.doclist.summary(doc_id)
            n = summary.annotation_count if summary else 0
            status = summary.status.replace("_", " ") if summary else ""
            set_field(self.status_count, f"{n} annotation{'s' if n != 1 else ''} · {status}")
        who = self.annotator_name or "annotator"
        text = f"annotator: {who}"
        if self.edit_set() != who:
            text += f" · set: {self.edit_set()}"
        set_field(self.status_annotator, text)

    def _update_undo_actions(self) -> None:
        undo, redo = self.actions_["undo"], self.actions_["redo"]
        p = self.project
        ul = p.undo_label if p is not None else None
        rl = p.redo_label if p is not None else None
        undo.setText(f"&Undo {ul}" if ul else "&Undo")
        redo.setText(f"&Redo {rl}" if rl else "&Redo")
        undo.setEnabled(ul is not None)
        redo.setEnabled(rl is not None)

    def _update_enabled(self) -> None:
        has_project = self.project is not None
        has_doc = has_project and bool(self.current_doc)
        for name in ("import", "import_folder", "export", "search_corpus", "annotation_set",
                     "next_document", "previous_document"):
            self.actions_[name].setEnabled(has_project)
        for name in ("mark_done", "mark_in_progress", "find", "find_next", "find_previous"):
            self.actions_[name].setEnabled(has_doc)

    # ==== undo ==============================================================================
    def undo(self) -> None:
        self._step_history(undo=True)

    def redo(self) -> None:
        self._step_history(undo=False)

    def _step_history(self, undo: bool) -> None:
        """Undo or redo one step and say which in the status bar."""
        project = self.project
        if project is None:
            return
        label = project.undo_label if undo else project.redo_label
        if self.ops.run_edit(project.undo if undo else project.redo) is not None:
            self.message(f"{'Undid' if undo else 'Redid'} {label}", 3000)

    # ==== problems ==========================================================================
    def jump_to_problem(self, problem: Problem) -> None:
        if self.project is None:
            return
        if problem.doc_id and problem.doc_id != self.current_doc:
            self.show_document(problem.doc_id)
        kind = problem.ann_kind if problem.ann_kind in ("span", "event", "relation") else ""
        if problem.start >= 0 and problem.end > problem.start:
            self.view.set_text_selection(problem.start, problem.end)  # scrolls it into view
        if kind and problem.ann_id:  # one thing selected: the annotation replaces the text
            self.view.select_annotation(kind, problem.ann_id)
            self.modes.after_select(kind, problem.ann_id)
        self.view.setFocus()

    def step_problem(self, delta: int) -> None:
        self.panels.check_now()
        p = self.problems_panel.step(delta)
        if p is None:
            self.message("No problems in this document")
            return
        self.jump_to_problem(p)

    # ==== find and view =====================================================================
    def search_corpus(self) -> None:
        self.corpus_search = search_corpus(self)

    def zoom(self, step: int) -> None:
        size = self.view.font_point_size()
        size = DEFAULT_FONT_SIZE if step == 0 else max(6, min(48, size + step))
        self.view.set_font_point_size(size)
        self.settings.font_size = int(size)

    def set_show_all_arcs(self, on: bool) -> None:
        self.view.show_all_arcs = bool(on)
        self.settings.set_flag("show_all_arcs", bool(on))

    def set_snap(self, on: bool) -> None:
        self.view.snap_to_tokens = bool(on)
        self.settings.set_flag("snap_to_tokens", bool(on))

    def show_shortcuts(self) -> ShortcutsDialog:
        rows = label_key_rows(self.project.schema) if self.project is not None else []
        dlg = ShortcutsDialog(self, rows)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog = dlg
        dlg.show()
        return dlg

    # ==== window events =====================================================================
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        projects = [p for p in paths if p.endswith(PROJECT_SUFFIX)]
        if projects:
            self.ops.guard(lambda: self.open_project(projects[0]))
        elif paths and self.project is not None:
            self.start_import(paths)
        event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        self.ops.close_popup()
        self.close_project()
        super().closeEvent(event)


def focus_widget() -> QWidget | None:
    return QApplication.focusWidget()
