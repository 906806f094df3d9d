"""The window's two modes: the *current event* (whose roles digit keys fill) and a *pending
relation* (R on a span, then Enter on the other end).

An event becomes current only when the user says so: E or Enter on its trigger, selecting the
event itself (its arc), or making it; tabbing across a trigger never does. The status bar shows
the current event at all times (``status_label``).

``AnnotationModes`` is the one place that holds that state; the window, the inspector and the
status bar read it from here. Role cardinality and duplicate fillers are checked by the core
(``Project.add_argument``), which this module asks and whose refusal it shows as a hint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel

from annotator.core.changes import Changes
from annotator.core.model import Span
from annotator.core.schema import EventType
from annotator.core.validate import fitting_relation_types
from annotator.errors import NotFoundError
from annotator.gui.dialogs import Choice
from annotator.gui.inspector import ROLE_KEYS, cardinality_text

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


class EscapeWatcher(QObject):
    """Sees Esc pressed inside the document view (which handles it too) to release the current
    event / cancel a pending relation."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main = window

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Escape:
            self.main.modes.cancel_modes()
        return False


class AnnotationModes:
    """The current event and the pending relation head of one window, and their actions."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.status_label = QLabel("")  # the window puts it in its status bar
        self.status_label.setObjectName("statusEvent")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # document text, not markup
        self._event_id: str | None = None  # the current ("armed") event
        self.relation_head: str | None = None  # pending relation start
        self._made: Span | None = None  # the span a label key just made (not read back)
        self._show_current()

    # ---- state -------------------------------------------------------------------------
    @property
    def event_id(self) -> str | None:
        """The current event: the one whose roles digit keys fill."""
        return self._event_id

    @event_id.setter
    def event_id(self, value: str | None) -> None:
        self._event_id = value
        self._show_current()

    def _show_current(self) -> None:
        """The status bar names the current event (type and trigger text) or says none is."""
        project, event_id = self.window.project, self._event_id
        text, tip = "no current event", "E or Enter on a trigger makes its event current"
        if project is not None and event_id:
            try:
                ev = project.event(event_id)
                words = self.window.span_text(ev.trigger_id)
            except NotFoundError:
                ev = None
            if ev is not None:
                short = words if len(words) <= 30 else words[:29] + "…"
                text = f"current event: {ev.type} {short!r}"
                tip = "Digits fill its roles (see the inspector); Esc releases it"
        self.status_label.setText(text)
        self.status_label.setToolTip(tip)

    def reset(self) -> None:
        self.event_id = self.relation_head = None
        self._made = None

    def made_span(self, span: Span) -> None:
        self._made = span

    def forget(self, ann_id: str) -> None:
        """``ann_id`` was deleted by the user: it is no longer current or pending."""
        if ann_id == self.event_id:
            self.event_id = None
        if ann_id == self.relation_head:
            self.relation_head = None

    def on_changes(self, changes: Changes) -> None:
        """Drop the current event / pending head when an edit (or undo) removed it."""
        project = self.window.project
        if project is None:
            return
        if self.event_id and self.event_id in changes.events:
            try:
                project.event(self.event_id)
            except NotFoundError:
                self.event_id = None
            self._show_current()  # its type may have changed
        if self.relation_head and self.relation_head in changes.spans:
            try:
                project.span(self.relation_head)
            except NotFoundError:
                self.relation_head = None

    def after_select(self, kind: str, ann_id: str) -> None:
        """An annotation was selected (or the selection cleared): selecting an event (its arc)
        makes it current; selecting a trigger span does not (Enter or E does); the inspector
        follows."""
        w = self.window
        if w.project is None:
            return
        if kind == "event":
            self.arm_event(ann_id)
        self._made = None
        w.inspector.show_annotation((kind, ann_id) if kind else None, self.event_id)

    def _trigger_events(self, span_id: str) -> list[str]:
        """Ids of the events ``span_id`` triggers (none for an entity)."""
        project = self.window.project
        assert project is not None
        made = self._made
        try:
            s = made if made is not None and made.id == span_id else project.span(span_id)
        except NotFoundError:
            return []
        if s.kind != "trigger":
            return []
        return [e.id for e in project.events_of_trigger(span_id)]

    def cancel_modes(self, release_event: bool = True) -> None:
        w = self.window
        if self.relation_head:
            self.relation_head = None
            w.statusBar().clearMessage()
            w.message("Relation cancelled", 2000)
            return
        if release_event and self.event_id:
            self.event_id = None
            w.statusBar().clearMessage()
            w.inspector.show_annotation(w.view.selected_annotation(), None)

    # ---- relations ---------------------------------------------------------------------
    def start_relation(self) -> None:
        span_id = self.window.selected_span_id()
        if self.window.project is None or not span_id:
            self.window.message("Select a span first (Tab or click), then press R")
            return
        self.relation_head = span_id
        self.window.message(f"Relation from {self.window.span_text(span_id)!r}: select the "
                            "other span (Tab or click), then Enter; Esc cancels", 0)

    def confirm(self) -> None:
        """Enter: finish a pending relation; on a trigger, make its event current (again:
        its next event, if it has several); else edit the selection in the inspector."""
        sel = self.window.view.selected_annotation()
        if self.relation_head:
            if sel and sel[0] == "span" and sel[1] != self.relation_head:
                self.finish_relation(sel[1])
            else:
                self.window.message("Select the relation's other span (Tab), then Enter", 0)
            return
        if sel and sel[0] == "span" and self.window.project is not None:
            events = self._trigger_events(sel[1])
            if events and (self.event_id not in events or len(events) > 1):
                at = events.index(self.event_id) + 1 if self.event_id in events else 0
                self.arm_event(events[at % len(events)])
                return
        if sel and sel[0]:
            self.window.focus_dock("inspector")

    def on_activated(self, kind: str, ann_id: str) -> None:
        if self.relation_head and kind == "span" and ann_id != self.relation_head:
            self.window.ops.guard(lambda: self.finish_relation(ann_id))

    def _relation_choices(self, head_id: str, tail_id: str) -> tuple[str, list[Choice]]:
        w = self.window
        assert w.project is not None
        schema = w.project.schema
        fitting = fitting_relation_types(schema, w.project.span(head_id), w.project.span(tail_id))
        choices = []
        for name in fitting or schema.relation_type_names():
            rt = schema.relation_types_named(name)[0]
            arrow = "↔" if rt.symmetric else "→"
            choices.append(Choice(name, f"{name}", schema.color_of(name),
                                  arrow if fitting else "(does not fit)"))
        title = (f"Relation {w.span_text(head_id)!r} → {w.span_text(tail_id)!r}"
                 if fitting else "No relation type fits; all types")
        return title, choices

    def finish_relation(self, tail_id: str) -> None:
        w = self.window
        project, head_id = w.project, self.relation_head
        if project is None or not head_id or w.ops.popup is not None:
            return
        title, choices = self._relation_choices(head_id, tail_id)
        if not choices:
            self.relation_head = None
            w.message("The schema has no relation types")
            return

        def make(type_: str) -> None:
            rel = w.ops.run_edit(lambda: project.add_relation(type_, head_id, tail_id))
            self.relation_head = None
            w.statusBar().clearMessage()
            if rel is not None:
                w.view.select_annotation("relation", rel.id)

        w.ops.open_popup(title, choices, make)

    def reverse_relation(self) -> None:
        w = self.window
        sel = w.view.selected_annotation()
        project = w.project
        if project is None or not sel or sel[0] != "relation":
            w.message("Select a relation first (Tab or click), then Ctrl+R")
            return
        rel_id = sel[1]
        if project.schema.is_symmetric(project.relation(rel_id).type):
            w.message("This relation type is symmetric; it has no direction")
            return
        w.ops.run_edit(lambda: project.reverse_relation(rel_id))
        w.view.select_annotation("relation", rel_id)

    # ---- events ------------------------------------------------------------------------
    def new_event(self) -> None:
        """E: make the selected trigger's event current, or pick a type for a new one."""
        w = self.window
        project = w.project
        if project is None or not w.current_doc:
            return
        schema = project.schema
        if not schema.event_types:
            w.message("This schema has no event types")
            return
        span_id = w.selected_span_id()
        if span_id:  # the selected span, never an older text selection
            s = project.span(span_id)
            events = project.events_of_trigger(span_id)
            if events:
                self.arm_event(events[0].id)
                return
            rng: tuple[int, int] | None = (s.start, s.end)
        else:
            rng = w.labelling.selection_range()
        if rng is None:
            w.message("Select the trigger word first (Alt+Right), then press E")
            return
        choices = [Choice(t.name, t.name, schema.color_of(t.name), t.label or "")
                   for t in schema.event_types if t.selectable]
        picked = rng
        w.ops.open_popup(f"Event type for {w.doc_text[rng[0]:rng[1]]!r}", choices,
                         lambda v: w.ops.guard(lambda: self.create_event(v, picked)))

    def create_event(self, type_: str, rng: tuple[int, int] | None = None) -> None:
        w = self.window
        project, doc_id = w.project, w.current_doc
        if project is None or doc_id is None:
            return
        rng = rng or w.labelling.selection_range()
        if rng is None:
            w.message("Select the trigger word first, then choose the event type")
            return
        start, end = rng
        ev = w.ops.run_edit(lambda: project.add_trigger_event(doc_id, start, end, type_))
        if ev is not None:
            self.arm_event(ev.id)
            w.view.select_annotation("event", ev.id)

    def show_first_event(self) -> None:
        """Select the document's first event (screenshots, demos)."""
        w = self.window
        if w.project is None or not w.current_doc:
            return
        ann = w.project.annotations(w.current_doc)
        if not ann.events:
            return
        spans = ann.span_by_id()
        ev = min(ann.events, key=lambda e: spans[e.trigger_id].start
                 if e.trigger_id in spans else 1 << 30)
        w.view.select_annotation("event", ev.id)
        self.arm_event(ev.id)

    def arm_event(self, event_id: str | None) -> None:
        w = self.window
        self.event_id = event_id
        w.inspector.show_annotation(w.view.selected_annotation(), event_id)
        if event_id and w.project is not None:
            ev = w.project.event(event_id)
            w.message(f"Current event {ev.type}: select an entity (Tab), press a role number "
                      "(see the inspector); Esc releases", 0)

    def current_event_type(self) -> EventType | None:
        w = self.window
        if w.project is None:
            return None
        if not self.event_id:
            w.message("No current event: press Enter or E on a trigger word (Tab to it) or "
                      "select the event")
            return None
        ev = w.project.event(self.event_id)
        et = w.project.schema.event_type(ev.type)
        if et is None:
            w.message(f"{ev.type} is not an event type of the schema")
        return et

    def fill_role(self, index: int) -> None:
        """Fill the current event's role number ``index`` (inspector order) with the
        selection."""
        et = self.current_event_type()
        if et is None:
            return
        if index >= len(et.roles):
            self.window.message(f"{et.name} has no role {ROLE_KEYS[index]}")
            return
        self.fill_named_role(et.roles[index].name, ROLE_KEYS[index])

    def pick_role(self) -> None:
        """Choose any role of the current event by name in a popup, then fill it: the way to
        the roles that have no digit (ACE events have up to 14)."""
        w = self.window
        et = self.current_event_type()
        if et is None or w.project is None or self.event_id is None:
            return
        filled: dict[str, int] = {}
        for arg in w.project.event(self.event_id).arguments:
            filled[arg.role] = filled.get(arg.role, 0) + 1
        choices = [Choice(r.name, r.name, "",
                          cardinality_text(r.cardinality) + (f" · {filled[r.name]} filled"
                                                if r.name in filled else ""))
                   for r in et.roles]
        if not choices:
            w.message(f"{et.name} has no roles")
            return
        w.ops.open_popup(f"Role of {et.name} to fill", choices,
                         lambda role: w.ops.guard(lambda: self.fill_named_role(role, "A")))

    def fill_named_role(self, role_name: str, key: str) -> None:
        """Fill ``role_name`` of the current event with the selected span (or event)."""
        w = self.window
        project = w.project
        if project is None or not self.event_id:
            return
        ev = project.event(self.event_id)
        et = project.schema.event_type(ev.type)
        role = next((r for r in et.roles if r.name == role_name), None) if et else None
        if role is None:
            w.message(f"{ev.type} has no role {role_name}")
            return
        filler = w.selected_span_id()
        sel = w.view.selected_annotation()
        if filler is None and sel and sel[0] == "event" and sel[1] != self.event_id:
            filler = sel[1]
        if filler is None or filler == ev.trigger_id:
            w.message(f"Select the {role.name} span first (Tab or click), then press {key}")
            return
        chosen = filler
        # the core refuses a filler already in the role, and a role already full
        arg = w.ops.run_refusable_edit(lambda: project.add_argument(ev.id, role.name, chosen))
        if arg is not None:
            w.message(f"{role.name} = {self._filler_text(chosen)!r}", 4000)

    def _filler_text(self, filler_id: str) -> str:
        try:
            return self.window.span_text(filler_id)
        except NotFoundError:
            return filler_id

    def clear_last_argument(self) -> None:
        project = self.window.project
        if project is None or not self.event_id:
            return
        ev = project.event(self.event_id)
        if not ev.arguments:
            self.window.message("The current event has no arguments")
            return
        last = max(ev.arguments, key=lambda a: a.position)
        self.window.ops.run_edit(lambda: project.remove_argument(last.id))
