"""Relations from the keyboard in the window: ``.`` / ``,`` select the next / previous relation
(or event) whose arc ends on the selected span, F9 / Shift+F9 the next / previous relation of
the document in text order; the status bar says what is selected.

The document view picks and selects the arc (``DocumentView.select_next_arc``), so the
selection looks and acts as a clicked arc does: the inspector shows it (type, direction,
attributes), Ctrl+R reverses it, Delete deletes it in one undo step, Esc goes back to the span
it was reached from. Like the chain and suggestion actions, the object is made on first use as
a child of the window (``relation_keys_of``); keys and menu entries come from ``keymap`` and
``actions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from annotator.gui.docview.arc_nav import ArcStep

if TYPE_CHECKING:
    from annotator.core.model import Argument
    from annotator.gui.main_window import MainWindow


def relation_keys_of(window: MainWindow) -> RelationKeys:
    """The window's relation keys (made on first use, a child of the window)."""
    found = window.findChild(QObject, "relationKeys")
    return found if isinstance(found, RelationKeys) else RelationKeys(window)


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


class RelationKeys(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("relationKeys")
        self.window = window
        self._said: tuple[tuple[str, str], str] | None = None  # (selection, status message)
        window.view.annotationSelected.connect(self._selection_moved)

    def step(self, direction: int, whole_document: bool = False) -> ArcStep | None:
        """Select the next (+1) or previous (-1) arc of the selected span, or relation of the
        document (``whole_document``), and say what it is in the status bar."""
        w = self.window
        if w.project is None or w.current_doc is None:
            return None
        step = w.view.select_next_arc(direction, whole_document=whole_document)
        if step is None:
            if whole_document:
                w.message("This document has no relations")
            elif w.view.selected_annotation() is None:
                w.message("Select a span first (Tab), then . or , for its relations")
            else:
                w.message("No relation or event arc ends on this span")
            return None
        text = self.describe(step)
        w.message(text, 0)  # until the selection moves (see _selection_moved)
        self._said = ((step.kind, step.ann_id), text)
        return step

    def describe(self, step: ArcStep) -> str:
        """What the status bar says about an arc selected by a key (short: the status bar
        shares its width with the document, count and set labels)."""
        w = self.window
        project = w.project
        assert project is not None
        where = "in the document" if step.whole_document else \
            f"of {_short(w.span_text(step.origin), 30)!r}"
        place = f"{step.number} of {step.count} {where}"
        if step.kind == "relation":
            r = project.relation(step.ann_id)
            arrow = "↔" if project.schema.is_symmetric(r.type) else "→"
            what = (f"Relation {r.type}: {_short(w.span_text(r.head_id))!r} {arrow} "
                    f"{_short(w.span_text(r.tail_id))!r}")
            keys = "Del deletes, Ctrl+R reverses"
        else:
            ev = project.event(step.ann_id)
            roles = ", ".join(f"{a.role} {_short(self._filler(a), 20)!r}"
                              for a in ev.arguments[:4])
            what = f"Event {ev.type} {_short(w.span_text(ev.trigger_id))!r}" + \
                (f" ({roles}{', …' if len(ev.arguments) > 4 else ''})" if roles else "")
            keys = "Del deletes"
        return f"{what} · {place} · {keys}, Esc: back to the span"

    def _filler(self, arg: Argument) -> str:
        """An argument's filler as text: the span's, or an event filler's trigger's."""
        project = self.window.project
        assert project is not None
        if arg.filler_kind == "event":
            return self.window.span_text(project.event(arg.filler_id).trigger_id)
        return self.window.span_text(arg.filler_id)

    def _selection_moved(self, kind: str, ann_id: str) -> None:
        """Another selection: the status message about the arc is out of date."""
        said = self._said
        if said is None or said[0] == (kind, ann_id):
            return
        self._said = None
        bar = self.window.statusBar()
        if bar.currentMessage() == said[1]:
            bar.clearMessage()
