"""The main window: document list, document view, label palette, inspector, problems.

Every edit calls the core (``Project``) through ``run_edit``; the window learns what changed
from the project's listener (the same ``Changes`` every edit, undo and redo return) and
repaints only that. The window keeps no annotation state of its own beyond what is on screen:
the *current event* (whose roles digit keys fill) and a *pending relation* head.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import annotator
from annotator.core.changes import Changes
from annotator.core.offsets import find_all, trim_and_snap
from annotator.core.schema import EventType
from annotator.core.validate import Problem, fitting_relation_types
from annotator.errors import AnnotatorError, NotFoundError, ValidationError
from annotator.gui import keymap
from annotator.gui.dialogs import (
    Choice,
    CorpusSearch,
    ExportDialog,
    PickPopup,
    ShortcutsDialog,
    ask_annotator_name,
    label_key_rows,
    show_error,
)
from annotator.gui.doclist import DocumentList
from annotator.gui.docview import DocumentView
from annotator.gui.inspector import ROLE_KEYS, Inspector
from annotator.gui.keymap import label_shortcut
from annotator.gui.palette import LabelPalette
from annotator.gui.problems import ProblemsPanel
from annotator.gui.settings import DEFAULT_FONT_SIZE, Settings
from annotator.gui.workers import Job, JobRunner, export_job, import_job

PROJECT_SUFFIX = ".annproj"
IMPORT_FILTER = "Documents (*.txt *.jsonl *.json *.ann *.conll);;All files (*)"


class _EscapeWatcher(QObject):
    """Sees Esc pressed inside the document view (which handles it too) to release the current
    event / cancel a pending relation."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:  # type: ignore[attr-defined]
            self.window.cancel_modes()
        return False


class FindBar(QWidget):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.edit = QLineEdit(placeholderText="Find in document (Enter next, Shift+Enter "
                                              "previous, Esc close)")
        self.edit.setObjectName("findEdit")
        self.edit.installEventFilter(self)
        self.info = QLabel("")
        close = QToolButton()
        close.setText("×")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.info)
        layout.addWidget(close)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.window.view.setFocus()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            k = event.key()  # type: ignore[attr-defined]
            if k in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                back = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)  # type: ignore[attr-defined]
                self.window.find(backwards=back)
                return True
            if k == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return False


class MainWindow(QMainWindow):
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
        self.set_name = annotation_set or ""  # "" = the annotator's own set
        self.current_doc: str | None = None
        self.event_id: str | None = None  # the current ("armed") event
        self.relation_head: str | None = None  # pending relation start
        self.popup: PickPopup | None = None
        self.jobs: list[JobRunner] = []
        self._doc_text = ""
        self._dirty_panels = False
        self._panel_timer = QTimer(self)
        self._panel_timer.setSingleShot(True)
        self._panel_timer.setInterval(0)
        self._panel_timer.timeout.connect(self.refresh_panels)

        # ---- central: view + find bar --------------------------------------------------
        self.view = DocumentView()
        self.view.setObjectName("documentView")
        self.find_bar = FindBar(self)
        central = QWidget()
        col = QVBoxLayout(central)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self.view, 1)
        col.addWidget(self.find_bar)
        self.setCentralWidget(central)
        self.view.annotationSelected.connect(self._on_annotation_selected)
        self.view.annotationActivated.connect(self._on_annotation_activated)
        self.view.selectionChanged.connect(self._on_text_selection)
        self._escape = _EscapeWatcher(self)
        self._watch_escape(self.view)

        # ---- docks -------------------------------------------------------------------------
        self.doclist = DocumentList()
        self.doclist.documentActivated.connect(self.show_document)
        self.palette = LabelPalette()
        self.palette.labelChosen.connect(self._on_palette)
        self.inspector = Inspector(self)
        self.problems_panel = ProblemsPanel()
        self.problems_panel.problemActivated.connect(self.jump_to_problem)
        self.docks: dict[str, QDockWidget] = {}
        self._dock("documents", "Documents", self.doclist, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock("labels", "Labels", self.palette, Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock("inspector", "Inspector", self.inspector,
                   Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock("problems", "Problems", self.problems_panel,
                   Qt.DockWidgetArea.BottomDockWidgetArea)
        self.splitDockWidget(self.docks["labels"], self.docks["inspector"], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["documents"]], [340], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["labels"]], [380], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["labels"], self.docks["inspector"]], [250, 450],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["problems"]], [120], Qt.Orientation.Vertical)

        # ---- status bar --------------------------------------------------------------------
        self.status_doc = QLabel("")
        self.status_doc.setObjectName("statusDocument")
        self.status_count = QLabel("")
        self.status_count.setObjectName("statusCount")
        self.status_annotator = QLabel("")
        self.status_annotator.setObjectName("statusAnnotator")
        self.status_saved = QLabel("")
        self.status_saved.setObjectName("statusSaved")
        for w in (self.status_doc, self.status_count, self.status_annotator, self.status_saved):
            self.statusBar().addPermanentWidget(w)

        self.actions_: dict[str, QAction] = {}
        self.label_actions: list[QAction] = []
        self._build_actions()
        self._build_menus()
        self.view.set_font_point_size(self.settings.font_size)
        arcs = self.settings.flag("show_all_arcs") if show_all_arcs is None else show_all_arcs
        self.view.show_all_arcs = bool(arcs)
        self.actions_["toggle_arcs"].setChecked(bool(arcs))
        self.view.snap_to_tokens = self.settings.flag("snap_to_tokens", True)
        self.actions_["toggle_snap"].setChecked(self.view.snap_to_tokens)
        self._restore_layout()
        self._update_status()
        self._update_undo_actions()
        self._update_enabled()

    # ==== construction ======================================================================
    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        self.docks[name] = dock

    def _watch_escape(self, widget: QWidget) -> None:
        widget.installEventFilter(self._escape)
        for child in widget.findChildren(QWidget):
            child.installEventFilter(self._escape)

    def _action(self, name: str, handler: Callable[[], Any], *, checkable: bool = False,
                text: str | None = None) -> QAction:
        spec = keymap.key(name)
        action = QAction(text or spec.description, self)
        action.setObjectName(f"action_{name}")
        seqs = [QKeySequence(k) for k in spec.keys if not k.startswith("<")]
        action.setShortcuts(seqs)
        action.setCheckable(checkable)
        action.setStatusTip(spec.description)
        if spec.scope == "document":
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.view.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        if checkable:
            action.toggled.connect(lambda on: self._guard(lambda: handler(on)))  # type: ignore[call-arg]
        else:
            action.triggered.connect(lambda: self._guard(handler))
        self.actions_[name] = action
        return action

    def _build_actions(self) -> None:
        a = self._action
        a("new_project", self.new_project_dialog, text="&New project…")
        a("open_project", self.open_project_dialog, text="&Open project…")
        a("import", self.import_dialog, text="&Import documents…")
        a("import_folder", self.import_folder_dialog, text="Import a &folder…")
        a("export", self.export_dialog, text="&Export…")
        a("quit", self.close, text="&Quit")
        a("undo", self.undo, text="&Undo")
        a("redo", self.redo, text="&Redo")
        a("find", self.find_bar.open_bar, text="&Find in document…")
        a("find_next", lambda: self.find(False), text="Find &next")
        a("find_previous", lambda: self.find(True), text="Find &previous")
        a("search_corpus", self.search_corpus, text="&Search all documents…")
        a("quick_label", self.quick_label, text="&Quick label…")
        a("label_all", lambda: self.label_all(corpus=False),
          text="Label &all occurrences in this document")
        a("label_all_corpus", lambda: self.label_all(corpus=True),
          text="Label all occurrences in &every document")
        a("grow_end", lambda: self.move_boundary("end", +1), text="Grow end by a token")
        a("shrink_end", lambda: self.move_boundary("end", -1), text="Shrink end by a token")
        a("grow_start", lambda: self.move_boundary("start", -1), text="Grow start by a token")
        a("shrink_start", lambda: self.move_boundary("start", +1),
          text="Shrink start by a token")
        a("delete", self.delete_selected, text="&Delete annotation")
        a("confirm", self.confirm, text="Confirm / edit selection")
        a("start_relation", self.start_relation, text="Start &relation")
        a("reverse_relation", self.reverse_relation, text="Re&verse relation")
        a("new_event", self.new_event, text="New &event…")
        a("pick_role", self.pick_role, text="Fill a role by &name…")
        a("clear_role", self.clear_last_argument, text="Remove last argument")
        fill = self._action("fill_role", lambda: None, text="Fill role (1-9, 0)")
        fill.setShortcuts([])
        for i, digit in enumerate(ROLE_KEYS):
            act = QAction(f"Fill role {digit}", self)
            act.setObjectName(f"action_fill_role_{digit}")
            act.setShortcut(QKeySequence(digit))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _=False, n=i: self._guard(lambda: self.fill_role(n)))
            self.view.addAction(act)
            self.actions_[f"fill_role_{digit}"] = act
        a("next_document", lambda: self.step_document(+1), text="&Next document")
        a("previous_document", lambda: self.step_document(-1), text="&Previous document")
        a("mark_done", lambda: self.set_status("done"), text="Mark &done")
        a("mark_in_progress", lambda: self.set_status("in_progress"),
          text="Mark in pro&gress")
        a("next_problem", lambda: self.step_problem(+1), text="Next problem")
        a("previous_problem", lambda: self.step_problem(-1), text="Previous problem")
        a("zoom_in", lambda: self.zoom(+1), text="&Larger text")
        a("zoom_out", lambda: self.zoom(-1), text="&Smaller text")
        a("zoom_reset", lambda: self.zoom(0), text="&Default text size")
        a("toggle_arcs", self.set_show_all_arcs, checkable=True, text="Show &all relation arcs")
        a("toggle_snap", self.set_snap, checkable=True, text="S&nap selections to tokens")
        a("annotation_set", self.choose_annotation_set, text="Annotation &set…")
        a("focus_documents", lambda: self._focus("documents"), text="Focus documents")
        a("focus_view", lambda: self.view.setFocus(), text="Focus text")
        a("focus_inspector", lambda: self._focus("inspector"), text="Focus inspector")
        a("focus_problems", lambda: self._focus("problems"), text="Focus problems")
        a("focus_palette", lambda: self._focus("labels"), text="Focus labels")
        a("shortcuts", self.show_shortcuts, text="&Keyboard shortcuts")

    def _build_menus(self) -> None:
        mb = self.menuBar()
        acts = self.actions_
        f = mb.addMenu("&File")
        f.addActions([acts["new_project"], acts["open_project"]])
        self.recent_menu = f.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()
        f.addSeparator()
        f.addActions([acts["import"], acts["import_folder"], acts["export"]])
        f.addSeparator()
        f.addAction(acts["quit"])
        e = mb.addMenu("&Edit")
        self.edit_menu = e
        e.addActions([acts["undo"], acts["redo"]])
        e.addSeparator()
        e.addActions([acts["find"], acts["find_next"], acts["find_previous"],
                      acts["search_corpus"]])
        an = mb.addMenu("&Annotate")
        self.annotate_menu = an
        self.labels_menu = an.addMenu("&Labels")
        an.addActions([acts["quick_label"], acts["label_all"], acts["label_all_corpus"]])
        an.addSeparator()
        an.addActions([acts["grow_end"], acts["shrink_end"], acts["grow_start"],
                       acts["shrink_start"]])
        an.addSeparator()
        an.addActions([acts["start_relation"], acts["reverse_relation"], acts["new_event"],
                       acts["clear_role"]])
        an.addSeparator()
        an.addActions([acts["confirm"], acts["delete"]])
        d = mb.addMenu("&Documents")
        d.addActions([acts["next_document"], acts["previous_document"]])
        d.addSeparator()
        d.addActions([acts["mark_done"], acts["mark_in_progress"]])
        d.addSeparator()
        d.addActions([acts["next_problem"], acts["previous_problem"]])
        v = mb.addMenu("&View")
        v.addActions([acts["zoom_in"], acts["zoom_out"], acts["zoom_reset"]])
        v.addSeparator()
        v.addActions([acts["toggle_arcs"], acts["toggle_snap"], acts["annotation_set"]])
        v.addSeparator()
        v.addActions([acts["focus_documents"], acts["focus_view"], acts["focus_inspector"],
                      acts["focus_problems"], acts["focus_palette"]])
        panels = v.addMenu("&Panels")
        for dock in self.docks.values():
            panels.addAction(dock.toggleViewAction())
        h = mb.addMenu("&Help")
        h.addAction(acts["shortcuts"])
        about = QAction("&About annotator", self)
        about.triggered.connect(lambda: QMessageBox.about(
            self, "About annotator",
            f"annotator {annotator.__version__}\nLabel news articles with entities, events and "
            "relations; export gold datasets."))
        h.addAction(about)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_projects()
        for path in recent:
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _=False, p=path: self._guard(lambda: self.open_project(p)))
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("Clear list")
            clear.triggered.connect(self.settings.clear_recent)

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
        self.settings.font_size = self.view.font_point_size()
        self.settings.set_flag("show_all_arcs", bool(self.view.show_all_arcs))
        self.settings.set_flag("snap_to_tokens", bool(self.view.snap_to_tokens))
        self.settings.sync()

    # ==== helpers ===========================================================================
    def _guard(self, fn: Callable[[], Any]) -> Any:
        """Run a GUI action; user-facing errors go to a message box, never a crash."""
        try:
            return fn()
        except AnnotatorError as exc:
            self.error(exc)
        return None

    def run_edit(self, fn: Callable[[], Any]) -> Any:
        """Run one core edit (the Host protocol of the inspector)."""
        if self.project is None:
            return None
        if self.project.readonly:
            self.error("This project is open read-only; edits are not possible.")
            return None
        return self._guard(fn)

    def run_refusable_edit(self, fn: Callable[[], Any]) -> Any:
        """``run_edit`` for an edit the core may refuse by a rule the user can act on (a full
        role, a trigger that has events): the refusal is a status-bar hint, not an error box."""
        def attempt() -> Any:
            try:
                return fn()
            except ValidationError as exc:
                self.message(str(exc), 8000)
                return None

        return self.run_edit(attempt)

    def error(self, exc: BaseException | str) -> None:
        self.last_error = str(exc)
        self.statusBar().showMessage(str(exc), 8000)
        show_error(self, exc)

    def message(self, text: str, ms: int = 5000) -> None:
        self.statusBar().showMessage(text, ms)

    def _focus(self, dock: str) -> None:
        d = self.docks[dock]
        d.show()
        d.raise_()
        target = {"documents": self.doclist.table, "labels": self.palette.tree,
                  "problems": self.problems_panel.tree}.get(dock)
        if target is not None:
            target.setFocus()
        else:
            self.inspector.setFocus()
            self.inspector.focusNextChild()

    # ---- Host protocol for the inspector ---------------------------------------------
    def selected_span_id(self) -> str | None:
        sel = self.view.selected_annotation()
        if sel and sel[0] == "span":
            return sel[1]
        return None

    def span_text(self, span_id: str) -> str:
        assert self.project is not None
        s = self.project.span(span_id)
        text = self._doc_text if s.doc_id == self.current_doc else \
            self.project.document(s.doc_id).text
        return text[s.start:s.end]

    def jump_to(self, kind: str, ann_id: str) -> None:
        self.view.select_annotation(kind, ann_id)

    # ==== projects ==========================================================================
    def new_project_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", str(Path.home()),
                                              f"annotator projects (*{PROJECT_SUFFIX})")
        if not path:
            return
        if not path.endswith(PROJECT_SUFFIX):
            path += PROJECT_SUFFIX
        from annotator.core.schema import builtin_schema_names

        names = builtin_schema_names()
        default = names.index(annotator.DEFAULT_SCHEMA) if annotator.DEFAULT_SCHEMA in names else 0
        schema, ok = QInputDialog.getItem(self, "Schema", "Label schema:", names, default, False)
        if ok:
            self.new_project(path, schema)

    def new_project(self, path: str, schema: str = annotator.DEFAULT_SCHEMA) -> None:
        project = annotator.create_project(path, schema=schema,
                                           annotator=self.annotator_name or "annotator")
        project.close()
        self.open_project(path)

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(Path.home()),
                                              f"annotator projects (*{PROJECT_SUFFIX});;"
                                              "All files (*)")
        if path:
            self.open_project(path)

    def open_project(self, path: str | Path, document: str | None = None) -> None:
        """Open ``path`` (closing the current project); ``document`` is a name or id."""
        project = annotator.open_project(path, annotator=self.annotator_name or "annotator",
                                         fallback_readonly=True)
        project.annotation_set = self.set_name  # "" = the annotator's own set
        self.close_project()
        self.project = project
        project.subscribe(self._on_changes)
        self.view.set_project(project)
        self._watch_escape(self.view)
        self.settings.add_recent(project.path)
        self.palette.set_schema(project.schema)
        self._build_label_actions()
        title = f"{project.path.name} — annotator"
        if project.readonly:
            title += " (read-only: open elsewhere)"
        self.setWindowTitle(title)
        self.doclist.set_documents(project.documents())
        target = None
        if document:
            target = self._resolve_document(document)
        if target is None:
            last = self.settings.last_document(project.path)
            if last and self.doclist.summary(last) is not None:
                target = last
        if target is None:
            ids = self.doclist.visible_ids()
            target = ids[0] if ids else None
        if target:
            self.show_document(target)
        self._update_status()
        self._update_undo_actions()
        self._update_enabled()

    def _resolve_document(self, name: str) -> str | None:
        assert self.project is not None
        if self.doclist.summary(name) is not None:
            return name
        try:
            return self.project.document_by_name(name).id
        except NotFoundError:
            self.error(f"no document named {name!r} in {self.project.path.name}")
            return None

    def close_project(self) -> None:
        for job in list(self.jobs):
            job.cancel()
            job.thread.wait(10_000)
        if self.project is not None:
            self.project.unsubscribe(self._on_changes)
            self.project.close()
        self.project = None
        self.current_doc = None
        self.event_id = None
        self.relation_head = None

    def edit_set(self) -> str:
        """The annotation set shown and edited: the annotator's own unless another was chosen
        (edits are still recorded under the annotator's name: Project.annotation_set)."""
        return self.set_name or self.annotator_name or "annotator"

    def set_annotation_set(self, name: str) -> None:
        self.set_name = "" if name == self.annotator_name else name
        if self.project is not None:
            self.project.annotation_set = self.set_name
            self.doclist.set_documents(self.project.documents())
            if self.current_doc:
                self.show_document(self.current_doc, force=True)
        self._update_status()

    def choose_annotation_set(self) -> None:
        if self.project is None:
            return
        sets = self.project.annotators()
        own = self.annotator_name or "annotator"
        items = [own] + [s for s in sets if s != own]
        current = items.index(self.edit_set()) if self.edit_set() in items else 0
        name, ok = QInputDialog.getItem(
            self, "Annotation set", "Show and edit the annotations of:", items, current, True)
        if ok and name.strip():
            self.set_annotation_set(name.strip())

    def ensure_annotator_name(self) -> None:
        """Ask once (then remembered in QSettings)."""
        if self.annotator_name:
            return
        name = ask_annotator_name(self, "")
        self.annotator_name = name or "annotator"
        if name:
            self.settings.annotator_name = name
        if self.project is not None:
            self.project.annotator = self.annotator_name
            self.project.annotation_set = self.set_name
        self._update_status()

    # ==== documents =========================================================================
    def show_document(self, doc_id: str, force: bool = False) -> None:
        if self.project is None:
            return
        if doc_id == self.current_doc and not force:
            self.doclist.select(doc_id)
            return
        self.cancel_modes(release_event=True)
        self.current_doc = doc_id
        self._doc_text = self.project.document(doc_id).text
        self.view.show_document(doc_id, annotator=self.edit_set())
        self.doclist.select(doc_id)
        self.settings.set_last_document(self.project.path, doc_id)
        self.inspector.show_annotation(None, None)
        self.refresh_panels()
        self._update_enabled()

    def step_document(self, step: int) -> None:
        if self.project is None:
            return
        target = self.doclist.neighbour(self.current_doc or "", step)
        if target is None:
            self.message("No further document" if step > 0 else "This is the first document")
            return
        self.show_document(target)

    def set_status(self, status: str) -> None:
        if self.project is None or not self.current_doc:
            return
        self.run_edit(lambda: self.project.set_status(self.current_doc, status))

    # ==== change notifications ==============================================================
    def _on_changes(self, changes: Changes) -> None:
        if changes.schema and self.project is not None:
            self.palette.set_schema(self.project.schema)
            self._build_label_actions()
        if self.current_doc and (self.current_doc in changes.doc_ids or changes.schema):
            self.view.refresh(changes)
        if self.event_id and self.event_id in changes.events:
            try:
                self.project.event(self.event_id)  # type: ignore[union-attr]
            except NotFoundError:
                self.event_id = None
        if self.relation_head and self.relation_head in changes.spans:
            try:
                self.project.span(self.relation_head)  # type: ignore[union-attr]
            except NotFoundError:
                self.relation_head = None
        if changes.label == "Import":
            self.doclist.set_documents(self.project.documents())  # type: ignore[union-attr]
        self.status_saved.setText("saved")
        self.status_saved.setToolTip(f"Saved: {changes.label}" if changes.label else "Saved")
        self._update_undo_actions()
        self._schedule_panels()

    def _schedule_panels(self) -> None:
        self._dirty_panels = True
        self._panel_timer.start()

    def refresh_panels(self) -> None:
        """Document list counts, problems, inspector, status bar (coalesced after edits)."""
        self._dirty_panels = False
        if self.project is None:
            return
        self.doclist.update_documents(self.project.documents())
        if self.current_doc:
            try:
                self.problems_panel.set_problems(self.project.problems(self.current_doc))
            except NotFoundError:
                self.problems_panel.set_problems([])
        else:
            self.problems_panel.set_problems([])
        self.inspector.schedule()
        self._update_status()

    def _update_status(self) -> None:
        if self.project is None or not self.current_doc:
            self.status_doc.setText("no document")
            self.status_count.setText("")
        else:
            ids = [d.id for d in self.doclist.model.docs]
            k = ids.index(self.current_doc) + 1 if self.current_doc in ids else 0
            self.status_doc.setText(f"document {k} of {len(ids)}")
            summary = self.doclist.summary(self.current_doc)
            n = summary.annotation_count if summary else 0
            status = summary.status.replace("_", " ") if summary else ""
            self.status_count.setText(f"{n} annotation{'s' if n != 1 else ''} · {status}")
        who = self.annotator_name or "annotator"
        text = f"annotator: {who}"
        if self.set_name and self.set_name != who:
            text += f" · set: {self.set_name}"
        self.status_annotator.setText(text)

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
        for name in ("import", "import_folder", "export", "search_corpus", "annotation_set", "next_document",
                     "previous_document"):
            self.actions_[name].setEnabled(has_project)
        for name in ("mark_done", "mark_in_progress", "find", "find_next", "find_previous"):
            self.actions_[name].setEnabled(has_doc)

    # ==== labels ============================================================================
    def _build_label_actions(self) -> None:
        for act in self.label_actions:
            self.view.removeAction(act)
            act.deleteLater()
        self.label_actions = []
        self.labels_menu.clear()
        if self.project is None:
            return
        schema = self.project.schema
        for t in [*schema.entity_types, *schema.value_types]:
            if not t.selectable:
                continue
            act = QAction(f"{t.name}" + (f"  ({t.label})" if t.label and t.label != t.name
                                          else ""), self)
            act.setObjectName(f"label_{t.name}")
            key = label_shortcut(t.hotkey)
            if key:
                act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _=False, name=t.name: self._guard(
                lambda: self.apply_label(name)))
            self.view.addAction(act)
            self.labels_menu.addAction(act)
            self.label_actions.append(act)

    def _on_palette(self, label: str, kind: str) -> None:
        if kind == "event":
            self._guard(lambda: self.create_event(label))
        else:
            self._guard(lambda: self.apply_label(label))
        self.view.setFocus()

    def _selection_range(self) -> tuple[int, int] | None:
        """The text selection, trimmed of edge whitespace and snapped to tokens if asked."""
        start, end = self.view.text_selection()
        tokens = (self.project.token_index(self.current_doc)
                  if self.project is not None and self.current_doc else None)
        return trim_and_snap(self._doc_text, tokens, start, end, self.view.snap_to_tokens)

    def apply_label(self, label: str) -> None:
        """A label key: label the text selection, or relabel the selected span."""
        if self.project is None or not self.current_doc:
            return
        span_id = self.selected_span_id()
        rng = self._selection_range()
        if span_id:
            s = self.project.span(span_id)
            if rng is None or rng == (s.start, s.end):
                if s.label != label:  # the core refuses a trigger that has events
                    self.run_refusable_edit(lambda: self.project.update_span(span_id,
                                                                             label=label))
                    self.view.select_annotation("span", span_id)
                return
        if rng is None:
            self.message("Select some text first (Alt+Right selects a token), then press the "
                         "label key")
            return
        span = self.run_edit(lambda: self.project.add_span(self.current_doc, rng[0], rng[1],
                                                           label))
        if span is not None:
            self.view.select_annotation("span", span.id)
            self._after_select("span", span.id)

    def quick_label(self) -> None:
        if self.project is None:
            return
        schema = self.project.schema
        choices = [Choice(t.name, t.name + (f"  ·  {t.label}" if t.label and t.label != t.name
                                             else ""), schema.color_of(t.name),
                          label_shortcut(t.hotkey))
                   for t in [*schema.entity_types, *schema.value_types] if t.selectable]
        # event types too: picking one makes the selection that event's trigger
        choices += [Choice(f"event:{t.name}", t.name, schema.color_of(t.name), "event")
                    for t in schema.event_types if t.selectable]

        def pick(value: str) -> None:
            if value.startswith("event:"):
                self._guard(lambda: self.create_event(value[len("event:"):]))
            else:
                self._guard(lambda: self.apply_label(value))

        self._popup("Label or event type", choices, pick)

    def _popup(self, title: str, choices: list[Choice], on_pick: Callable[[str], Any]) -> None:
        if self.popup is not None:
            self.popup.close()
        popup = PickPopup(title, choices, self)
        self.popup = popup

        def picked(value: str) -> None:
            self.popup = None
            self.view.setFocus()
            on_pick(value)

        def cancelled() -> None:
            self.popup = None
            self.view.setFocus()

        popup.picked.connect(picked)
        popup.cancelled.connect(cancelled)
        center = self.view.mapToGlobal(QPoint(self.view.width() // 2 - 170,
                                              self.view.height() // 3))
        popup.popup_at(center)

    def label_all(self, corpus: bool = False) -> None:
        """Label every other occurrence of the selected span's text (one undo step)."""
        if self.project is None or not self.current_doc:
            return
        span_id = self.selected_span_id()
        if not span_id:
            self.message("Select a span first (Tab), then label all its occurrences")
            return
        p = self.project
        s = p.span(span_id)
        needle = self._doc_text[s.start:s.end]
        doc_ids = [self.current_doc]
        if corpus:
            doc_ids += [d for d in p.search(needle, limit=100_000) if d != self.current_doc]
        changes = self.run_edit(lambda: p.label_occurrences(span_id, doc_ids))
        added = len(changes.spans) if changes is not None else 0
        where = "all documents" if corpus else "this document"
        self.message(f"Labelled {added} more occurrence(s) of {needle!r} as {s.label} in {where}")

    def move_boundary(self, which: str, direction: int) -> None:
        if self.project is None or not self.current_doc:
            return
        span_id = self.selected_span_id()
        if not span_id:
            self.message("Select a span first (Tab)")
            return
        p = self.project
        s = p.span(span_id)
        ti = p.token_index(self.current_doc)
        start, end = s.start, s.end
        if which == "end":
            new = ti.next_end(end) if direction > 0 else ti.prev_end(end)
            if new is None or new <= start:
                return
            end = new
        else:
            new = ti.prev_start(start) if direction < 0 else ti.next_start(start)
            if new is None or new >= end:
                return
            start = new
        self.run_edit(lambda: p.update_span(span_id, start=start, end=end))
        self.view.select_annotation("span", span_id)

    def delete_selected(self) -> None:
        if self.project is None:
            return
        sel = self.view.selected_annotation()
        if not sel or not sel[0]:
            self.message("Nothing selected to delete")
            return
        kind, ann_id = sel
        p = self.project
        fn = {"span": p.delete_span, "event": p.delete_event,
              "relation": p.delete_relation}.get(kind)
        if fn is None:
            return
        if self.run_edit(lambda: fn(ann_id)) is not None:
            self.view.clear_annotation_selection()
            if kind == "event" and ann_id == self.event_id:
                self.event_id = None
            if self.relation_head == ann_id:
                self.relation_head = None
            self.inspector.show_annotation(None, self.event_id)

    # ==== relations =========================================================================
    def start_relation(self) -> None:
        span_id = self.selected_span_id()
        if self.project is None or not span_id:
            self.message("Select a span first (Tab or click), then press R")
            return
        self.relation_head = span_id
        self.message(f"Relation from {self.span_text(span_id)!r}: select the other span (Tab or "
                     "click), then Enter; Esc cancels", 0)

    def confirm(self) -> None:
        """Enter: finish a pending relation, else edit the selection in the inspector."""
        sel = self.view.selected_annotation()
        if self.relation_head:
            if sel and sel[0] == "span" and sel[1] != self.relation_head:
                self.finish_relation(sel[1])
            else:
                self.message("Select the relation's other span (Tab), then Enter", 0)
            return
        if sel and sel[0]:
            self._focus("inspector")

    def _on_annotation_activated(self, kind: str, ann_id: str) -> None:
        if self.relation_head and kind == "span" and ann_id != self.relation_head:
            self._guard(lambda: self.finish_relation(ann_id))

    def finish_relation(self, tail_id: str) -> None:
        assert self.project is not None
        head_id = self.relation_head
        if not head_id or self.popup is not None:
            return
        p = self.project
        schema = p.schema
        head, tail = p.span(head_id), p.span(tail_id)
        fitting = fitting_relation_types(schema, head, tail)
        names = fitting or schema.relation_type_names()
        choices = []
        for name in names:
            rt = schema.relation_types_named(name)[0]
            arrow = "↔" if rt.symmetric else "→"
            choices.append(Choice(name, f"{name}", schema.color_of(name),
                                  arrow if fitting else "(does not fit)"))
        title = (f"Relation {self.span_text(head_id)!r} → {self.span_text(tail_id)!r}"
                 if fitting else "No relation type fits; all types")
        if not names:
            self.relation_head = None
            self.message("The schema has no relation types")
            return

        def make(type_: str) -> None:
            rel = self.run_edit(lambda: p.add_relation(type_, head_id, tail_id))
            self.relation_head = None
            self.statusBar().clearMessage()
            if rel is not None:
                self.view.select_annotation("relation", rel.id)
                self._after_select("relation", rel.id)

        self._popup(title, choices, make)

    def reverse_relation(self) -> None:
        sel = self.view.selected_annotation()
        if self.project is None or not sel or sel[0] != "relation":
            self.message("Select a relation first (Tab or click), then Ctrl+R")
            return
        p = self.project
        if p.schema.is_symmetric(p.relation(sel[1]).type):
            self.message("This relation type is symmetric; it has no direction")
            return
        self.run_edit(lambda: p.reverse_relation(sel[1]))
        self.view.select_annotation("relation", sel[1])

    # ==== events ============================================================================
    def new_event(self) -> None:
        if self.project is None or not self.current_doc:
            return
        schema = self.project.schema
        if not schema.event_types:
            self.message("This schema has no event types")
            return
        span_id = self.selected_span_id()
        rng = self._selection_range()
        if span_id and (rng is None or rng == (lambda s: (s.start, s.end))(
                self.project.span(span_id))):
            s = self.project.span(span_id)
            events = self.project.events_of_trigger(span_id)
            if events:
                self.arm_event(events[0].id)
                return
            rng = (s.start, s.end)
        if rng is None:
            self.message("Select the trigger word first (Alt+Right), then press E")
            return
        choices = [Choice(t.name, t.name, schema.color_of(t.name), t.label or "")
                   for t in schema.event_types if t.selectable]
        self._popup(f"Event type for {self._doc_text[rng[0]:rng[1]]!r}", choices,
                    lambda v: self._guard(lambda: self.create_event(v, rng)))

    def create_event(self, type_: str, rng: tuple[int, int] | None = None) -> None:
        if self.project is None or not self.current_doc:
            return
        rng = rng or self._selection_range()
        if rng is None:
            self.message("Select the trigger word first, then choose the event type")
            return
        ev = self.run_edit(lambda: self.project.add_trigger_event(
            self.current_doc, rng[0], rng[1], type_))
        if ev is not None:
            self.arm_event(ev.id)
            self.view.select_annotation("event", ev.id)

    def show_first_event(self) -> None:
        """Select the document's first event (screenshots, demos)."""
        if self.project is None or not self.current_doc:
            return
        ann = self.project.annotations(self.current_doc)
        if not ann.events:
            return
        spans = ann.span_by_id()
        ev = min(ann.events, key=lambda e: spans[e.trigger_id].start
                 if e.trigger_id in spans else 1 << 30)
        self.view.select_annotation("event", ev.id)
        self._after_select("event", ev.id)

    def arm_event(self, event_id: str | None) -> None:
        self.event_id = event_id
        self.inspector.show_annotation(self.view.selected_annotation(), event_id)
        if event_id and self.project is not None:
            ev = self.project.event(event_id)
            self.message(f"Current event {ev.type}: select an entity (Tab), press a role number "
                         "(see the inspector); Esc releases", 0)

    def fill_role(self, index: int) -> None:
        """Fill the current event's role number ``index`` (inspector order) with the
        selection."""
        et = self._current_event_type()
        if et is None:
            return
        if index >= len(et.roles):
            self.message(f"{et.name} has no role {ROLE_KEYS[index]}")
            return
        self.fill_named_role(et.roles[index].name, ROLE_KEYS[index])

    def pick_role(self) -> None:
        """Choose any role of the current event by name in a popup, then fill it: the way to
        the roles that have no digit (ACE events have up to 14)."""
        et = self._current_event_type()
        if et is None or self.project is None or self.event_id is None:
            return
        ev = self.project.event(self.event_id)
        filled: dict[str, int] = {}
        for arg in ev.arguments:
            filled[arg.role] = filled.get(arg.role, 0) + 1
        choices = [Choice(r.name, r.name, "",
                          f"{r.cardinality}" + (f" · {filled[r.name]} filled"
                                                if r.name in filled else ""))
                   for r in et.roles]
        if not choices:
            self.message(f"{et.name} has no roles")
            return
        self._popup(f"Role of {et.name} to fill", choices,
                    lambda role: self._guard(lambda: self.fill_named_role(role, "A")))

    def _current_event_type(self) -> EventType | None:
        if self.project is None:
            return None
        if not self.event_id:
            self.message("No current event: press E on a trigger word or select an event")
            return None
        ev = self.project.event(self.event_id)
        et = self.project.schema.event_type(ev.type)
        if et is None:
            self.message(f"{ev.type} is not an event type of the schema")
        return et

    def fill_named_role(self, role_name: str, key: str) -> None:
        """Fill ``role_name`` of the current event with the selected span (or event)."""
        if self.project is None or not self.event_id:
            return
        p = self.project
        ev = p.event(self.event_id)
        et = p.schema.event_type(ev.type)
        role = next((r for r in et.roles if r.name == role_name), None) if et else None
        if role is None:
            self.message(f"{ev.type} has no role {role_name}")
            return
        filler = self.selected_span_id()
        sel = self.view.selected_annotation()
        if filler is None and sel and sel[0] == "event" and sel[1] != self.event_id:
            filler = sel[1]
        if filler is None or filler == ev.trigger_id:
            self.message(f"Select the {role.name} span first (Tab or click), then press "
                         f"{key}")
            return
        # the core refuses a filler already in the role, and a role already full
        arg = self.run_refusable_edit(lambda: p.add_argument(ev.id, role.name, filler))
        if arg is not None:
            self.message(f"{role.name} = {self._filler_text(filler)!r}", 4000)

    def _filler_text(self, filler_id: str) -> str:
        try:
            return self.span_text(filler_id)
        except NotFoundError:
            return filler_id

    def clear_last_argument(self) -> None:
        if self.project is None or not self.event_id:
            return
        ev = self.project.event(self.event_id)
        if not ev.arguments:
            self.message("The current event has no arguments")
            return
        last = max(ev.arguments, key=lambda a: a.position)
        self.run_edit(lambda: self.project.remove_argument(last.id))

    def cancel_modes(self, release_event: bool = True) -> None:
        if self.relation_head:
            self.relation_head = None
            self.statusBar().clearMessage()
            self.message("Relation cancelled", 2000)
            return
        if release_event and self.event_id:
            self.event_id = None
            self.statusBar().clearMessage()
            self.inspector.show_annotation(self.view.selected_annotation(), None)

    # ==== selection =========================================================================
    def _on_annotation_selected(self, kind: str, ann_id: str) -> None:
        self._after_select(kind, ann_id)

    def _after_select(self, kind: str, ann_id: str) -> None:
        if self.project is None:
            return
        sel = (kind, ann_id) if kind else None
        if kind == "event":
            self.event_id = ann_id
        elif kind == "span" and not self.event_id:
            try:
                s = self.project.span(ann_id)
                if s.kind == "trigger":
                    events = self.project.events_of_trigger(ann_id)
                    if events:
                        self.event_id = events[0].id
            except NotFoundError:
                pass
        self.inspector.show_annotation(sel, self.event_id)

    def _on_text_selection(self, start: int, end: int) -> None:
        pass

    # ==== undo ==============================================================================
    def undo(self) -> None:
        if self.project is None:
            return
        label = self.project.undo_label
        if self.run_edit(self.project.undo) is not None:
            self.message(f"Undid {label}", 3000)

    def redo(self) -> None:
        if self.project is None:
            return
        label = self.project.redo_label
        if self.run_edit(self.project.redo) is not None:
            self.message(f"Redid {label}", 3000)

    # ==== problems ==========================================================================
    def jump_to_problem(self, problem: Problem) -> None:
        if self.project is None:
            return
        if problem.doc_id and problem.doc_id != self.current_doc:
            self.show_document(problem.doc_id)
        kind = problem.ann_kind if problem.ann_kind in ("span", "event", "relation") else ""
        if problem.start >= 0 and problem.end > problem.start:
            self.view.set_text_selection(problem.start, problem.end)
        if kind and problem.ann_id:
            self.view.select_annotation(kind, problem.ann_id)
            self._after_select(kind, problem.ann_id)
        self.view.setFocus()

    def step_problem(self, delta: int) -> None:
        p = self.problems_panel.step(delta)
        if p is None:
            self.message("No problems in this document")
            return
        self.jump_to_problem(p)

    # ==== find ==============================================================================
    def find(self, backwards: bool = False) -> bool:
        needle = self.find_bar.edit.text()
        if not needle:
            self.find_bar.open_bar()
            return False
        found = bool(self.view.find_text(needle, backwards))
        self.find_bar.info.setText("" if found else "not found")
        return found

    def search_corpus(self) -> None:
        if self.project is None:
            return
        p = self.project

        def search(query: str) -> list[tuple[str, str, str, int]]:
            out = []
            for doc_id in p.search(query, limit=1000):
                doc = p.document(doc_id)
                n = len(find_all(doc.text, query, whole_words=False))
                out.append((doc_id, doc.name, doc.title, n))
            return out

        dlg = CorpusSearch(self, search)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen(doc_id: str, query: str) -> None:
            self.show_document(doc_id)
            self.find_bar.edit.setText(query)
            self.find_bar.show()
            self.view.find_text(query, False)
            dlg.close()
            self.view.setFocus()

        dlg.documentChosen.connect(chosen)
        self.corpus_search = dlg
        dlg.show()
        dlg.query.setFocus()

    # ==== view ==============================================================================
    def zoom(self, step: int) -> None:
        size = self.view.font_point_size()
        size = DEFAULT_FONT_SIZE if step == 0 else max(6, min(48, size + step))
        self.view.set_font_point_size(size)
        self.settings.font_size = size

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

    # ==== import / export ===================================================================
    def import_dialog(self) -> None:
        if self.project is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "Import documents",
                                                str(self.project.path.parent), IMPORT_FILTER)
        if paths:
            self.start_import(paths)

    def import_folder_dialog(self) -> None:
        if self.project is None:
            return
        d = QFileDialog.getExistingDirectory(self, "Import a folder of articles",
                                             str(self.project.path.parent))
        if d:
            self.start_import([d])

    def start_import(self, paths: list[str], show_dialog: bool = True) -> JobRunner | None:
        if self.project is None:
            return None
        runner = JobRunner(self, "Importing documents…", Job(self.project, import_job(paths)),
                           show_dialog)
        runner.done.connect(lambda outcome, result: self._import_done(runner, outcome, result))
        self.jobs.append(runner)
        runner.start()
        return runner

    def _import_done(self, runner: JobRunner, outcome: str, result: Any) -> None:
        if runner in self.jobs:
            self.jobs.remove(runner)
        if self.project is not None:
            self.doclist.set_documents(self.project.documents())
            if not self.current_doc:
                ids = self.doclist.visible_ids()
                if ids:
                    self.show_document(ids[0])
            self._update_status()
        if outcome == "ok":
            self.message(result.summary().capitalize(), 8000)
        elif outcome == "cancelled":
            self.message(str(result), 8000)
        else:
            self.error(result)

    def export_dialog(self) -> None:
        if self.project is None:
            return
        from annotator.formats.registry import EXPORTERS, FORMAT_HELP

        dlg = ExportDialog(self, {k: FORMAT_HELP.get(k, "") for k in EXPORTERS},
                           self.project.annotators(), str(self.project.path.parent))
        if dlg.exec():
            fmt, out, docs, split, set_name = dlg.values()
            self.start_export(fmt, out, docs, split, set_name)

    def start_export(self, fmt: str, out: str, documents: str = "done", split: str = "",
                     set_name: str = "", show_dialog: bool = True) -> JobRunner | None:
        if self.project is None:
            return None
        from annotator.formats.export import ExportOptions, parse_split

        options = ExportOptions(documents=documents, annotator=set_name or None,
                                split=parse_split(split) if split else None)
        runner = JobRunner(self, f"Exporting {fmt}…",
                           Job(self.project, export_job(fmt, out, options)), show_dialog)
        runner.done.connect(lambda outcome, result: self._export_done(runner, outcome, result))
        self.jobs.append(runner)
        runner.start()
        return runner

    def _export_done(self, runner: JobRunner, outcome: str, result: Any) -> None:
        if runner in self.jobs:
            self.jobs.remove(runner)
        if outcome == "ok":
            box = QMessageBox(QMessageBox.Icon.Information, "Export finished",
                              result.summary(), QMessageBox.StandardButton.Ok, self)
            box.setObjectName("exportFinished")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            self.message(result.summary().splitlines()[0], 8000)
        elif outcome == "cancelled":
            self.message(str(result), 8000)
        else:
            self.error(result)

    # ==== window events =====================================================================
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        projects = [p for p in paths if p.endswith(PROJECT_SUFFIX)]
        if projects:
            self._guard(lambda: self.open_project(projects[0]))
        elif paths and self.project is not None:
            self.start_import(paths)
        event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        if self.popup is not None:
            self.popup.close()
        self.close_project()
        super().closeEvent(event)


def focus_widget() -> QWidget | None:
    return QApplication.focusWidget()
