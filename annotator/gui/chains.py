"""Coreference chains and fragments in the window: link the selected span to another mention's
chain (Ctrl+L on the span, then Ctrl+L on the other mention), take it out of its chain, move to
the next or previous mention of the selected span's chain, and add a fragment to the selected
span (Ctrl+Alt+F on the span, select the fragment's text, Ctrl+Alt+F again).

Like the suggestion actions, the object follows the window without hooks in it: keys and menu
entries come from ``keymap`` and ``actions``; it is made on first use as a child of the window
(``chains_of``). Every edit goes through the window's ``run_edit``, so each is one undo step and
errors are shown, not raised. The inspector lists the chain of the selected span.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from annotator.errors import NotFoundError

if TYPE_CHECKING:
    from annotator.core.model import Span
    from annotator.gui.main_window import MainWindow


def chains_of(window: MainWindow) -> ChainActions:
    """The window's chain and fragment actions (made on first use, a child of the window)."""
    found = window.findChild(QObject, "chainActions")
    return found if isinstance(found, ChainActions) else ChainActions(window)


class ChainActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("chainActions")
        self.window = window
        self.link_from: str | None = None  # the span Ctrl+L was pressed on first
        self.fragment_of: str | None = None  # the span Ctrl+Alt+F was pressed on first

    def _span(self, span_id: str | None) -> Span | None:
        project = self.window.project
        if project is None or span_id is None:
            return None
        try:
            return project.span(span_id)
        except NotFoundError:  # deleted or undone meanwhile
            return None

    # ---- linking ---------------------------------------------------------------------
    def link(self) -> None:
        """First press: remember the selected span; second press on another mention: put
        the first in that mention's chain (a new chain of both when neither has one)."""
        w = self.window
        span_id = w.selected_span_id()
        if w.project is None or span_id is None:
            w.message("select a span first (Tab), then Ctrl+L, then the mention to link it to")
            return
        first = self._span(self.link_from)
        if first is None or first.id == span_id or first.doc_id != w.current_doc:
            self.link_from = None if first is not None and first.id == span_id else span_id
            if self.link_from is None:
                w.message("linking cancelled")
            else:
                w.message("now select the mention to link it to (Tab) and press Ctrl+L "
                          "again; Ctrl+L on the same span cancels", 10000)
            return
        self.link_from = None
        project = w.project
        chain = w.run_edit(lambda: project.link_to_chain(first.id, span_id))
        if chain is not None:
            w.message(f"chain {chain.type}: {len(chain.mentions)} mention(s)")
            w.inspector.schedule()

    def unlink(self) -> None:
        """Take the selected span out of its chain (the chain goes when it is empty)."""
        w = self.window
        span_id = w.selected_span_id()
        if w.project is None or span_id is None or w.project.chain_of(span_id) is None:
            w.message("select a mention of a chain first")
            return
        project = w.project
        w.run_edit(lambda: project.remove_from_chain(span_id))
        w.inspector.schedule()

    def step(self, direction: int) -> str | None:
        """Select the next (+1) or previous (-1) mention of the selected span's chain, in
        text order (wrapping round)."""
        w = self.window
        span_id = w.selected_span_id()
        chain = w.project.chain_of(span_id) if w.project and span_id else None
        if w.project is None or span_id is None or chain is None:
            w.message("select a mention of a chain first")
            return None
        project = w.project
        mentions = sorted((project.span(m) for m in chain.mentions),
                          key=lambda s: (s.start, s.end, s.id))
        ids = [s.id for s in mentions]
        target = ids[(ids.index(span_id) + direction) % len(ids)]
        w.view.select_annotation("span", target)
        w.message(f"chain {chain.type}: mention {ids.index(target) + 1} of {len(ids)}")
        return target

    # ---- fragments -------------------------------------------------------------------
    def add_fragment(self) -> None:
        """First press on a span: remember it; then select the fragment's text and press
        again: the span gains that fragment (one undo step) and is selected again."""
        w = self.window
        if w.project is None:
            return
        target = self._span(self.fragment_of)
        start, end = w.view.text_selection()
        if target is None or target.doc_id != w.current_doc:
            span_id = w.selected_span_id()
            self.fragment_of = span_id
            if span_id is None:
                w.message("select a span first (Tab), then Ctrl+Alt+F")
            else:
                w.message("now select the text of the new fragment and press Ctrl+Alt+F "
                          "again", 10000)
            return
        if start >= end:
            w.message("select the text of the new fragment first")
            return
        self.fragment_of = None
        project = w.project
        span = w.run_edit(lambda: project.add_fragment(target.id, start, end))
        if span is not None:
            w.view.select_annotation("span", span.id)
            parts = "; ".join(f"{a}–{b}" for a, b in span.parts)
            w.message(f"{span.label}: fragments {parts}")
