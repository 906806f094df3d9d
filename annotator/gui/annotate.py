"""Labelling from the keyboard and the palette: label keys, quick pick, label all occurrences,
token-wise boundary moves and delete.

The rules live in the core (``trim_and_snap`` for selections, ``Project.label_occurrences``,
the refusal to relabel a trigger that has events); this module turns the window's selection
into those calls and selects what they made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.offsets import trim_and_snap
from annotator.gui.dialogs import Choice
from annotator.gui.keymap import label_shortcut

if TYPE_CHECKING:
    from annotator.core.model import Span
    from annotator.core.project import Project
    from annotator.gui.main_window import MainWindow


class Labelling:
    """The labelling actions of one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def selection_range(self) -> tuple[int, int] | None:
        """The text selection, trimmed of edge whitespace and snapped to tokens if asked;
        a selection made character by character (Shift+arrows) is never snapped."""
        w = self.window
        project, doc_id = w.project, w.current_doc
        if project is None or doc_id is None:
            return None
        start, end = w.view.text_selection()
        snap = w.view.snap_to_tokens and not w.view.selection_is_precise()
        tokens = project.token_index(doc_id) if snap else None
        rng = trim_and_snap(w.doc_text, tokens, start, end, snap)
        if rng is not None and snap and rng != trim_and_snap(w.doc_text, None, start, end,
                                                             False):
            self.on_snapped(start, end, *rng)
        return rng

    def on_snapped(self, start: int, end: int, new_start: int, new_end: int) -> None:
        """Snapping widened a selection: say so, with the way around it."""
        w = self.window
        w.message(f"Snapped to whole tokens: {w.doc_text[start:end]!r} -> "
                  f"{w.doc_text[new_start:new_end]!r} (Shift+arrows select single "
                  "characters; Ctrl+Shift+T turns snapping off)", 6000)

    def apply_label(self, label: str) -> None:
        """A label key: relabel the selected span, else label the text selection (selecting
        a span replaces the text selection, so the two never compete)."""
        w = self.window
        project, doc_id = w.project, w.current_doc
        if project is None or doc_id is None:
            return
        span_id = w.selected_span_id()
        if span_id:
            from annotator.gui.suggestions import suggestions_of

            if suggestions_of(w).label_selected(label):  # a suggestion: accepted, next
                return
            s = project.span(span_id)
            if s.label != label:  # the core refuses a trigger that has events
                w.ops.run_refusable_edit(lambda: project.update_span(span_id, label=label))
                w.view.select_annotation("span", span_id)
            return
        rng = self.selection_range()
        if rng is None:
            w.message("Select some text first (Alt+Right selects a token), then press the "
                      "label key")
            return
        start, end = rng
        span = w.ops.run_edit(lambda: project.add_span(doc_id, start, end, label))
        if span is not None:
            w.modes.made_span(span)  # so that selecting it reads nothing back
            w.view.select_annotation("span", span.id)

    def on_palette(self, label: str, kind: str) -> None:
        if kind == "event":
            self.window.ops.guard(lambda: self.window.modes.create_event(label))
        else:
            self.window.ops.guard(lambda: self.apply_label(label))
        self.window.view.setFocus()

    def quick_label(self) -> None:
        w = self.window
        if w.project is None:
            return
        schema = w.project.schema
        choices = [Choice(t.name, t.name + (f"  ·  {t.label}" if t.label and t.label != t.name
                                             else ""), schema.color_of(t.name),
                          label_shortcut(t.hotkey))
                   for t in [*schema.entity_types, *schema.value_types] if t.selectable]
        # event types too: picking one makes the selection that event's trigger
        choices += [Choice(f"event:{t.name}", t.name, schema.color_of(t.name), "event")
                    for t in schema.event_types if t.selectable]

        def pick(value: str) -> None:
            if value.startswith("event:"):
                w.ops.guard(lambda: w.modes.create_event(value[len("event:"):]))
            else:
                w.ops.guard(lambda: self.apply_label(value))

        w.ops.open_popup("Label or event type", choices, pick)

    def _selected_span(self, hint: str) -> tuple[Project, str, Span] | None:
        """(project, current document, selected span), or None after telling the user
        ``hint`` (no project, no document or no span selected)."""
        w = self.window
        project, doc_id = w.project, w.current_doc
        if project is None or doc_id is None:
            return None
        span_id = w.selected_span_id()
        if not span_id:
            w.message(hint)
            return None
        return project, doc_id, project.span(span_id)

    def label_all(self, corpus: bool = False) -> None:
        """Label every other occurrence of the selected span's text (one undo step)."""
        w = self.window
        picked = self._selected_span("Select a span first (Tab), then label all its occurrences")
        if picked is None:
            return
        project, doc_id, s = picked
        span_id = s.id
        needle = w.doc_text[s.start:s.end]
        doc_ids = [doc_id]
        if corpus:
            doc_ids += [d for d in project.search(needle, limit=100_000) if d != doc_id]
        changes = w.ops.run_edit(lambda: project.label_occurrences(span_id, doc_ids))
        added = len(changes.spans) if changes is not None else 0
        where = "all documents" if corpus else "this document"
        w.message(f"Labelled {added} more occurrence(s) of {needle!r} as {s.label} in {where}")

    def move_boundary(self, which: str, direction: int) -> None:
        """Move the selected span's start or end one token (``direction`` -1 or +1)."""
        w = self.window
        picked = self._selected_span("Select a span first (Tab)")
        if picked is None:
            return
        project, doc_id, s = picked
        span_id = s.id
        ti = project.token_index(doc_id)
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
        w.ops.run_edit(lambda: project.update_span(span_id, start=start, end=end))
        w.view.select_annotation("span", span_id)

    def delete_selected(self) -> None:
        w = self.window
        project = w.project
        if project is None:
            return
        sel = w.view.selected_annotation()
        if not sel or not sel[0]:
            w.message("Nothing selected to delete")
            return
        kind, ann_id = sel
        fn = {"span": project.delete_span, "event": project.delete_event,
              "relation": project.delete_relation}.get(kind)
        if fn is None:
            return
        back = w.view.arc_origin()  # a relation reached from a span by . , F9: back there
        if w.ops.run_edit(lambda: fn(ann_id)) is not None:
            w.view.clear_annotation_selection()
            w.modes.forget(ann_id)
            w.inspector.show_annotation(None, w.modes.event_id)
            if back is not None and w.view.shown_span(back) is not None:
                w.view.select_annotation("span", back)
