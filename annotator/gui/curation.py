"""Curation mode of the main window: the annotators' sets side by side, gold being built.

Entering the mode shows and edits the ``gold`` set in the document view (so every ordinary
key, Delete and undo work on gold, recorded under the curator's own name) and docks the
candidates of the current document (``CurationPanel``), and draws the open candidates on the
text under the gold lanes (``CandidatePainter``, an overlay of the view: who made each, agreed
or not); the panel's current row is the selected candidate, outlined on the text, and a click
on a candidate's mark selects its row. The keys (``keymap``: group
"Curation") step through open disagreements, take the current row's version into gold (the
version of the annotator whose column holds the current cell, else the first who made it),
take every agreed annotation of the document, reject the current candidate, or take the
current span's chain membership (into the matching gold chain, or a new one); each is one
undo step made by ``annotator.core.curation``. The panel follows every change of the project
(including undo) and every document shown. A gold edit is followed from its ``Changes``
(``core.curation_gold.GoldIndex``): only the groups it decided or opened again have their row
refilled and their mark redrawn, so an edit costs what it touched, not the document's size.
The document list's gold column is kept current from here as well.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QMouseEvent
from PySide6.QtWidgets import QDockWidget, QToolTip

from annotator.core import curation as core
from annotator.core.changes import Changes
from annotator.core.curation_gold import GoldIndex
from annotator.core.curation_marks import build_marks, changed_blocks
from annotator.core.project import Project
from annotator.gui.curation_panel import CurationPanel
from annotator.gui.docview.paint_candidates import CandidatePainter

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

DOCK = "curation"
EditFn = Callable[[Project, str], Changes]


def curation_of(window: MainWindow) -> CurationMode:
    """The window's curation mode (made on first use, a child of the window)."""
    found = window.findChild(QObject, "curationMode")
    return found if isinstance(found, CurationMode) else CurationMode(window)


class CurationMode(QObject):
    """One window's curation mode: on or off, the current document's groups, the dock.

    It follows the window without hooks in it: the project's change listeners, and the text
    widget's ``textChanged`` (a document shown, or a project opened) read once per turn."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("curationMode")
        self.window = window
        self._shown_doc: str | None = None
        self._shown_map: object | None = None  # the view's text map when last followed
        self._pending = False
        window.view.text_area.textChanged.connect(self._text_changed)
        self.active = False
        self.state: core.Curation | None = None
        self.gold: GoldIndex | None = None  # what gold says of state's groups, kept current
        self.panel: CurationPanel | None = None
        self._project: Project | None = None
        self._set_before = ""
        self.marks = CandidatePainter(window.view.text_area)  # the candidates on the text
        self._redraw_all = True  # the view dropped the overlay (another document shown)
        window.view.text_area.viewport().installEventFilter(self)

    # ---- the mode ----------------------------------------------------------------------
    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self, doc_id: str | None = None) -> None:
        """Curate ``doc_id`` (default: the document shown)."""
        w = self.window
        if w.project is None:
            return
        if not self.active:
            self._set_before = w.set_name
            self.active = True
            w.set_annotation_set(core.GOLD)  # shows the document again, in gold
        if doc_id and doc_id != w.current_doc:
            w.show_document(doc_id)
        panel = self._dock()
        dock = w.docks[DOCK]
        dock.show()
        dock.raise_()
        self.refresh()
        panel.table.setFocus()
        w.message("Curation: F6 next disagreement, Ctrl+T take, Ctrl+Alt+T take all agreed, "
                  "Ctrl+Shift+X reject", 8000)

    def leave(self) -> None:
        w = self.window
        if not self.active:
            return
        self.active = False
        if DOCK in w.docks:
            w.docks[DOCK].hide()
        self.marks.set_marks(None)
        self.marks.selected = None
        w.view.set_overlay(None)
        w.set_annotation_set(self._set_before or w.annotator_name)
        self.state = self.gold = None

    def _dock(self) -> CurationPanel:
        w = self.window
        if self.panel is None:
            self.panel = CurationPanel()
            self.panel.groupSelected.connect(self._show_group)
            dock = QDockWidget("Curation", w)
            dock.setObjectName("dock_curation")
            dock.setWidget(self.panel)
            w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            w.resizeDocks([dock], [280], Qt.Orientation.Vertical)  # room for a dozen rows
            w.docks[DOCK] = dock
        return self.panel

    # ---- following the window ----------------------------------------------------------
    def _text_changed(self) -> None:
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._after_text_changed)

    def _after_text_changed(self) -> None:
        self._pending = False
        w = self.window
        doc_id = w.current_doc
        shown_again = w.view.text_map is not self._shown_map  # else only line spacing changed
        self._shown_map = w.view.text_map
        if doc_id != self._shown_doc or w.project is not self._project:
            self._shown_doc = doc_id
            self.document_shown()
        elif self.active and shown_again:  # the same document shown again (in gold): the
            self._redraw_all = True  # overlay went
            self.refresh()

    def document_shown(self) -> None:
        """The window showed a document (or opened a project): follow it."""
        opened = self.window.project is not self._project
        self._redraw_all = True
        self._follow_project()
        if opened:  # gold statuses change only with edits (_on_changes): not per document
            self.update_gold_column()  # (listing the sets costs 0.24 s on 1.5 M spans)
        if self.active:
            self.refresh()

    def _follow_project(self) -> None:
        project = self.window.project
        if project is self._project:
            return
        if self._project is not None:
            self._project.unsubscribe(self._on_changes)
        self._project = project
        if project is not None:
            project.subscribe(self._on_changes)
        elif self.active:
            self.active = False

    def _on_changes(self, changes: Changes) -> None:
        w = self.window
        merged = changes.label.startswith("Merge")
        if self.active and w.current_doc in changes.doc_ids:
            self.refresh(full=merged, changes=changes)  # else a gold edit: the annotators'
            # sets are as read
        if (self.active and changes.documents) or merged:
            self.update_gold_column()

    def update_gold_column(self) -> None:
        """The document list's gold status of every document (one query)."""
        project = self.window.project
        if project is None:
            return
        has_gold = core.GOLD in project.annotators() or self.active
        self.window.doclist.set_gold_statuses(core.gold_statuses(project) if has_gold else None)

    def refresh(self, full: bool = True, changes: Changes | None = None) -> None:
        """Read the current document's groups again (not ``full``: only what gold says of
        them, after a gold edit: from what ``changes`` names when given, else the whole gold
        set); the current row stays on its group."""
        w, panel = self.window, self.panel
        if w.project is None or panel is None or not w.current_doc:
            return
        state, gold = self.state, self.gold
        if not full and state is not None and gold is not None and \
                state.doc_id == w.current_doc:
            if changes is None:
                gold = self.gold = GoldIndex(w.project, state.doc_id, state.into)
                changed = gold.settle(state)
            else:
                changed = gold.follow(w.project, changes, state)
            if changed:
                panel.update_rows(changed, w.doc_text)
                self._draw_marks(changed)
            return
        old = self.current_group()
        self.state = state = core.curation(w.project, w.current_doc)
        self.gold = GoldIndex(w.project, state.doc_id, state.into)
        row = -1
        if old is not None:
            row = next((i for i, g in enumerate(state.groups) if g.key == old.key), -1)
        panel.show_state(state, w.doc_text, row)
        self._draw_marks()

    def _draw_marks(self, changed: list[int] | None = None) -> None:
        """The open candidates on the text (only the blocks that draw differently);
        ``changed``: only these groups changed state since the marks were drawn."""
        w, painter = self.window, self.marks
        tmap = w.view.text_map
        if self.state is None or tmap is None:
            return
        old = painter.marks
        row = self.panel.current_row() if self.panel is not None else -1
        selected = row if row >= 0 else None
        if changed is not None and old is not None and old.doc_id == self.state.doc_id \
                and not self._redraw_all:
            dirty = old.update(self.state, changed, tmap)
            painter.marks_changed(dirty)
            if selected != painter.selected:
                dirty |= old.blocks_of(painter.selected) | old.blocks_of(selected)
        else:
            new = build_marks(self.state, tmap)
            dirty = changed_blocks(old, new) | (old.blocks_of(painter.selected) if old else
                                                set())
            dirty |= new.blocks_of(selected)
            painter.set_marks(new)
        painter.selected = selected
        w.view.set_overlay(painter, None if self._redraw_all else dirty)
        self._redraw_all = False

    # ---- the current candidate ---------------------------------------------------------
    def current_group(self) -> core.Group | None:
        if self.state is None or self.panel is None:
            return None
        row = self.panel.current_row()
        return self.state.groups[row] if 0 <= row < len(self.state.groups) else None

    def _show_group(self, row: int) -> None:
        """Show the group's text in the view (selected, scrolled to); a group already in
        gold selects its gold annotation."""
        if self.state is None or not 0 <= row < len(self.state.groups):
            return
        g = self.state.groups[row]
        self.window.view.set_text_selection(g.start, g.end)
        painter = self.marks
        if painter.marks is not None and painter.selected != row:
            dirty = painter.marks.blocks_of(painter.selected) | painter.marks.blocks_of(row)
            painter.selected = row
            self.window.view.set_overlay(painter, dirty)

    # ---- the mouse on the candidates' marks ----------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A left press on a candidate's mark selects it (its panel row); the tooltip over a
        mark says who made it. Everything else goes on to the text widget."""
        if not self.active or self.marks.marks is None:
            return False
        if isinstance(event, QMouseEvent) and event.type() == QEvent.Type.MouseButtonPress \
                and event.button() == Qt.MouseButton.LeftButton:
            return self._press(event.position())
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            tip = self._tip(QPointF(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.window.view.text_area)
                return True
        return False

    def _press(self, pos: QPointF) -> bool:
        mark = self.marks.at(pos)
        if mark is None or self.panel is None:
            return False
        if self.panel.current_row() == mark.group:
            self._show_group(mark.group)
        else:
            self.panel.select_row(mark.group)  # the panel signals: _show_group
        return True

    def _tip(self, pos: QPointF) -> str:
        mark = self.marks.at(pos)
        if mark is None or self.state is None:
            return ""
        g = self.state.groups[mark.group]
        how = "agreed by all" if g.agreed else "a disagreement"
        words = self.window.doc_text[g.start:g.end][:60]
        detail = f"\n{g.detail}" if g.detail else ""
        return (f"{g.kind} {g.label}: {words!r}{detail}\nmade by {', '.join(mark.makers)} "
                f"({how}); Ctrl+T takes it, Ctrl+Shift+X rejects it")

    def _ready(self) -> bool:
        w = self.window
        if not self.active:
            w.message("Curation is off: Documents > Curate (Ctrl+Shift+G) turns it on")
            return False
        return w.project is not None and bool(w.current_doc)

    # ---- the keys ----------------------------------------------------------------------
    def step(self, delta: int) -> None:
        """Next (1) or previous (-1) open disagreement."""
        if not self._ready() or self.state is None or self.panel is None:
            return
        i = self.state.step(self.panel.current_row(), delta)
        if i is None:
            left = self.state.open_disagreements
            self.window.message("No further open disagreement" if left else
                                "No open disagreement in this document")
            return
        self.panel.select_row(i)
        self._show_group(i)

    def take_current(self) -> None:
        group = self.current_group() if self._ready() else None
        if group is None:
            if self.active:
                self.window.message("Select a candidate first (F6 goes to the next "
                                    "disagreement)")
            return
        if group.state == "taken":
            self.window.message("Already in gold")
            return
        assert self.panel is not None
        candidate = group.candidate(self.panel.current_annotator())
        self._edit(lambda p, d: core.take(p, d, [candidate]))
        if candidate.annotator in group.chains:
            n = len(group.chains[candidate.annotator])
            self.window.message(f"{candidate.annotator} put it in a chain of {n} mention(s): "
                                "Ctrl+Alt+C takes that chain membership too", 6000)

    def take_chain_current(self) -> None:
        """The current span's chain membership (as its current annotator made it) into gold."""
        group = self.current_group() if self._ready() else None
        if group is None or group.kind != "span" or not group.chains:
            if self.active:
                self.window.message("Select a candidate span that an annotator put in a "
                                    "chain (the Details column shows the chain)")
            return
        assert self.panel is not None
        who = self.panel.current_annotator()
        if who not in group.chains:
            who = next(a for a in group.made_by if a in group.chains)
        candidate = group.candidate(who)
        self._edit(lambda p, d: core.take_chain(p, d, candidate), refusable=True)

    def take_agreed(self) -> None:
        if not self._ready():
            return
        if self.state is not None and not any(g.agreed and not g.resolved
                                              for g in self.state.groups):
            self.window.message("No open agreed annotation in this document")
            return
        self._edit(lambda p, d: core.take_agreed(p, d))

    def reject_current(self) -> None:
        group = self.current_group() if self._ready() else None
        if group is None:
            return
        if group.state == "rejected":
            self.window.message("Already rejected")
            return
        assert self.panel is not None
        candidate = group.candidate(self.panel.current_annotator())
        self._edit(lambda p, d: core.reject(p, d, [candidate]))

    def _edit(self, fn: EditFn, refusable: bool = False) -> None:
        """Run one curation step (``refusable``: a refusal is a status-bar hint)."""
        w = self.window
        project, doc_id = w.project, w.current_doc
        if project is None or doc_id is None:
            return
        run = w.ops.run_refusable_edit if refusable else w.ops.run_edit
        changes = run(lambda: fn(project, doc_id))
        if changes is not None and changes.label:
            w.message(changes.label, 4000)

