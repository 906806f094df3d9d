"""The window's QActions and menus, built from two tables.

``keymap.KEYMAP`` gives each action its keys, description and scope (window-wide or only
while the document has the focus); ``ACTIONS`` below gives its menu text and what it calls;
``MENUS`` places the actions in the menu bar. Label actions are rebuilt from the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

import annotator
from annotator.gui import keymap, team_windows
from annotator.gui.chains import chains_of
from annotator.gui.curation import curation_of
from annotator.gui.inspector import ROLE_KEYS
from annotator.gui.keymap import label_shortcut
from annotator.gui.relation_keys import relation_keys_of
from annotator.gui.suggestions import suggestions_of

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

Handler = Callable[["MainWindow"], Callable[[], Any]]

# name -> (menu text, the window's handler); the keys come from keymap.KEYMAP
ACTIONS: dict[str, tuple[str, Handler]] = {
    "new_project": ("&New project…", lambda w: w.io.new_project_dialog),
    "open_project": ("&Open project…", lambda w: w.io.open_project_dialog),
    "import": ("&Import documents…", lambda w: w.io.import_dialog),
    "import_folder": ("Import a &folder…", lambda w: w.io.import_folder_dialog),
    "export": ("&Export…", lambda w: w.io.export_dialog),
    "quit": ("&Quit", lambda w: w.close),
    "undo": ("&Undo", lambda w: w.undo),
    "redo": ("&Redo", lambda w: w.redo),
    "find": ("&Find in document…", lambda w: w.find_bar.open_bar),
    "find_next": ("Find &next", lambda w: lambda: w.find_bar.find_next(False)),
    "find_previous": ("Find &previous", lambda w: lambda: w.find_bar.find_next(True)),
    "search_corpus": ("&Search all documents…", lambda w: w.search_corpus),
    "quick_label": ("&Quick label…", lambda w: w.labelling.quick_label),
    "label_all": ("Label &all occurrences in this document",
                  lambda w: lambda: w.labelling.label_all(corpus=False)),
    "label_all_corpus": ("Label all occurrences in &every document",
                         lambda w: lambda: w.labelling.label_all(corpus=True)),
    "grow_end": ("Grow end by a token", lambda w: lambda: w.labelling.move_boundary("end", +1)),
    "shrink_end": ("Shrink end by a token",
                   lambda w: lambda: w.labelling.move_boundary("end", -1)),
    "grow_start": ("Grow start by a token",
                   lambda w: lambda: w.labelling.move_boundary("start", -1)),
    "shrink_start": ("Shrink start by a token",
                     lambda w: lambda: w.labelling.move_boundary("start", +1)),
    "delete": ("&Delete annotation", lambda w: w.labelling.delete_selected),
    "confirm": ("Confirm / edit selection", lambda w: w.modes.confirm),
    "start_relation": ("Start &relation", lambda w: w.modes.start_relation),
    "reverse_relation": ("Re&verse relation", lambda w: w.modes.reverse_relation),
    "new_event": ("New &event…", lambda w: w.modes.new_event),
    "pick_role": ("Fill a role by &name…", lambda w: w.modes.pick_role),
    "clear_role": ("Remove last argument", lambda w: w.modes.clear_last_argument),
    "next_span_relation": ("Next relation of the span",
                           lambda w: lambda: relation_keys_of(w).step(+1)),
    "previous_span_relation": ("Previous relation of the span",
                               lambda w: lambda: relation_keys_of(w).step(-1)),
    "next_relation": ("Next relation in the document",
                      lambda w: lambda: relation_keys_of(w).step(+1, whole_document=True)),
    "previous_relation": ("Previous relation in the document",
                          lambda w: lambda: relation_keys_of(w).step(-1, whole_document=True)),
    "next_document": ("&Next document", lambda w: lambda: w.step_document(+1)),
    "previous_document": ("&Previous document", lambda w: lambda: w.step_document(-1)),
    "mark_done": ("Mark &done", lambda w: lambda: w.set_status("done")),
    "mark_in_progress": ("Mark in pro&gress", lambda w: lambda: w.set_status("in_progress")),
    "next_problem": ("Next problem", lambda w: lambda: w.step_problem(+1)),
    "previous_problem": ("Previous problem", lambda w: lambda: w.step_problem(-1)),
    "merge_files": ("&Merge annotator files…", lambda w: lambda: team_windows.merge_dialog(w)),
    "agreement": ("A&greement…", lambda w: lambda: team_windows.show_agreement(w)),
    "curate": ("&Curate this document", lambda w: curation_of(w).toggle),
    "next_disagreement": ("Next disagreement", lambda w: lambda: curation_of(w).step(+1)),
    "previous_disagreement": ("Previous disagreement",
                              lambda w: lambda: curation_of(w).step(-1)),
    "take_candidate": ("&Take into gold", lambda w: curation_of(w).take_current),
    "take_agreed": ("Take all &agreed into gold", lambda w: curation_of(w).take_agreed),
    "reject_candidate": ("Re&ject candidate", lambda w: curation_of(w).reject_current),
    "take_chain": ("Take its &chain membership into gold",
                   lambda w: curation_of(w).take_chain_current),
    "link_chain": ("&Link to a mention's chain", lambda w: chains_of(w).link),
    "unlink_chain": ("Take out of its chain", lambda w: chains_of(w).unlink),
    "next_mention": ("Next mention of the chain", lambda w: lambda: chains_of(w).step(+1)),
    "previous_mention": ("Previous mention of the chain",
                         lambda w: lambda: chains_of(w).step(-1)),
    "add_fragment": ("Add a &fragment to the span", lambda w: chains_of(w).add_fragment),
    "next_suggestion": ("Ne&xt suggestion", lambda w: lambda: suggestions_of(w).step(+1)),
    "previous_suggestion": ("Previous suggestion",
                            lambda w: lambda: suggestions_of(w).step(-1)),
    "accept_suggestion": ("&Accept suggestion", lambda w: suggestions_of(w).accept_selected),
    "reject_suggestion": ("Re&ject suggestion", lambda w: suggestions_of(w).reject_selected),
    "accept_sentence": ("Accept all in &sentence", lambda w: suggestions_of(w).accept_sentence),
    "reject_sentence": ("Reject all in se&ntence", lambda w: suggestions_of(w).reject_sentence),
    "accept_document": ("Accept all in &document", lambda w: suggestions_of(w).accept_document),
    "next_unlabelled": ("Next &unlabelled name or number",
                        lambda w: suggestions_of(w).next_unlabelled),
    "suggest_document": ("Suggest in &this document",
                         lambda w: lambda: suggestions_of(w).suggest(all_documents=False)),
    "suggest_all": ("Suggest in a&ll documents",
                    lambda w: lambda: suggestions_of(w).suggest(all_documents=True)),
    "train_model": ("&Train model", lambda w: suggestions_of(w).train),
    "zoom_in": ("&Larger text", lambda w: lambda: w.zoom(+1)),
    "zoom_out": ("&Smaller text", lambda w: lambda: w.zoom(-1)),
    "zoom_reset": ("&Default text size", lambda w: lambda: w.zoom(0)),
    "annotation_set": ("Annotation &set…", lambda w: w.choose_annotation_set),
    "focus_documents": ("Focus documents", lambda w: lambda: w.focus_dock("documents")),
    "focus_view": ("Focus text", lambda w: w.view.setFocus),
    "focus_inspector": ("Focus inspector", lambda w: lambda: w.focus_dock("inspector")),
    "focus_problems": ("Focus problems", lambda w: lambda: w.focus_dock("problems")),
    "focus_palette": ("Focus labels", lambda w: lambda: w.focus_dock("labels")),
    "shortcuts": ("&Keyboard shortcuts", lambda w: w.show_shortcuts),
}
TOGGLES: dict[str, tuple[str, Callable[[MainWindow], Callable[[bool], None]]]] = {
    "toggle_arcs": ("Show &all relation arcs", lambda w: w.set_show_all_arcs),
    "toggle_snap": ("S&nap selections to tokens", lambda w: w.set_snap),
}
# menu title -> action names; "" is a separator
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("&Edit", ("undo", "redo", "", "find", "find_next", "find_previous", "search_corpus")),
    ("&Annotate", ("quick_label", "label_all", "label_all_corpus", "", "grow_end",
                   "shrink_end", "grow_start", "shrink_start", "", "start_relation",
                   "reverse_relation", "next_span_relation", "previous_span_relation",
                   "next_relation", "previous_relation", "new_event", "clear_role", "",
                   "link_chain",
                   "unlink_chain", "next_mention", "previous_mention", "add_fragment", "",
                   "confirm", "delete", "",
                   "suggest_document", "suggest_all", "train_model", "next_suggestion",
                   "previous_suggestion", "accept_suggestion", "reject_suggestion",
                   "accept_sentence", "reject_sentence", "accept_document",
                   "next_unlabelled")),
    ("&Documents", ("next_document", "previous_document", "", "mark_done",
                    "mark_in_progress", "", "next_problem", "previous_problem", "",
                    "agreement", "curate", "next_disagreement", "previous_disagreement",
                    "take_candidate", "take_agreed", "reject_candidate", "take_chain")),
    ("&View", ("zoom_in", "zoom_out", "zoom_reset", "", "toggle_arcs", "toggle_snap",
               "annotation_set", "", "focus_documents", "focus_view", "focus_inspector",
               "focus_problems", "focus_palette")),
)


def _action(w: MainWindow, name: str, text: str) -> QAction:
    """A QAction with the keys, description and scope of ``name`` in the keymap."""
    spec = keymap.key(name)
    action = QAction(text or spec.description, w)
    action.setObjectName(f"action_{name}")
    action.setShortcuts([QKeySequence(k) for k in spec.keys if not k.startswith("<")])
    action.setStatusTip(spec.description)
    if spec.scope == "document":
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        w.view.addAction(action)
    else:
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        w.addAction(action)
    w.actions_[name] = action
    return action


def build_actions(w: MainWindow) -> None:
    """Every action of the keymap, in ``w.actions_`` (the menus and tests find them there)."""
    for name, (text, handler) in ACTIONS.items():
        fn = handler(w)
        _action(w, name, text).triggered.connect(lambda _=False, f=fn: w.ops.guard(f))
    for name, (text, toggle) in TOGGLES.items():
        on_toggle = toggle(w)
        act = _action(w, name, text)
        act.setCheckable(True)
        act.toggled.connect(lambda on, f=on_toggle: w.ops.guard(lambda: f(on)))
    _action(w, "fill_role", "Fill role (1-9, 0)").setShortcuts([])
    for i, digit in enumerate(ROLE_KEYS):
        act = QAction(f"Fill role {digit}", w)
        act.setObjectName(f"action_fill_role_{digit}")
        act.setShortcut(QKeySequence(digit))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(lambda _=False, n=i: w.ops.guard(lambda: w.modes.fill_role(n)))
        w.view.addAction(act)
        w.actions_[f"fill_role_{digit}"] = act


def _add(menu: QMenu, w: MainWindow, names: tuple[str, ...]) -> None:
    for name in names:
        if name:
            menu.addAction(w.actions_[name])
        else:
            menu.addSeparator()


def build_menus(w: MainWindow) -> None:
    """The menu bar: File (with Open recent), the ``MENUS`` table, Panels, Help."""
    mb = w.menuBar()
    f = mb.addMenu("&File")
    _add(f, w, ("new_project", "open_project"))
    w.recent_menu = f.addMenu("Open &recent")
    w.recent_menu.aboutToShow.connect(lambda: fill_recent(w))
    fill_recent(w)
    _add(f, w, ("", "import", "import_folder", "export", "merge_files", "", "quit"))
    menus = {title: mb.addMenu(title) for title, _ in MENUS}
    w.edit_menu, w.annotate_menu = menus["&Edit"], menus["&Annotate"]
    w.labels_menu = w.annotate_menu.addMenu("&Labels")
    for title, names in MENUS:
        _add(menus[title], w, names)
    from annotator.gui.theme_menu import ThemeMenu

    menus["&View"].addMenu(ThemeMenu(w.settings, w))
    panels = menus["&View"].addMenu("&Panels")
    for dock in w.docks.values():
        panels.addAction(dock.toggleViewAction())
    h = mb.addMenu("&Help")
    h.addAction(w.actions_["shortcuts"])
    about = QAction("&About annotator", w)
    about.triggered.connect(lambda: QMessageBox.about(
        w, "About annotator",
        f"annotator {annotator.__version__}\nLabel news articles with entities, events and "
        "relations; export gold datasets."))
    h.addAction(about)


def fill_recent(w: MainWindow) -> None:
    """File > Open recent, from the settings (refilled each time the menu opens)."""
    menu = w.recent_menu
    menu.clear()
    recent = w.settings.recent_projects()
    for path in recent:
        act = menu.addAction(path)
        act.triggered.connect(lambda _=False, p=path: w.ops.guard(lambda: w.open_project(p)))
    if not recent:
        menu.addAction("(none)").setEnabled(False)
    else:
        menu.addSeparator()
        menu.addAction("Clear list").triggered.connect(w.settings.clear_recent)


def build_label_actions(w: MainWindow) -> None:
    """One action per selectable entity and value type of the schema, with its label key."""
    for act in w.label_actions:
        w.view.removeAction(act)
        act.deleteLater()
    w.label_actions = []
    w.labels_menu.clear()
    if w.project is None:
        return
    schema = w.project.schema
    for t in [*schema.entity_types, *schema.value_types]:
        if not t.selectable:
            continue
        act = QAction(f"{t.name}" + (f"  ({t.label})" if t.label and t.label != t.name
                                      else ""), w)
        act.setObjectName(f"label_{t.name}")
        key = label_shortcut(t.hotkey)
        if key:
            act.setShortcut(QKeySequence(key))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(lambda _=False, name=t.name: w.ops.guard(
            lambda: w.labelling.apply_label(name)))
        w.view.addAction(act)
        w.labels_menu.addAction(act)
        w.label_actions.append(act)
