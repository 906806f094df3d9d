"""DocumentView: one article with its annotations, drawn over a read-only QTextEdit.

The text is shown with ``setPlainText`` (never interpreted as markup). Nothing is written into
the document's characters: spans, labels and arcs are painted in the viewport from
``DocIndex`` (what is shown) and a per-block geometry cache (where it is). The only document
change is each block's line spacing (see room), which makes room under each line for the span
lanes and above it for the arcs.

This module is the composition and the public API (what the main window, the panels, the tests
and the benchmark call); each job lives in its own module: the text widget (text_area), keys
(keys), mouse (mouse), the text selection (selection), line room (room), geometry (geometry),
block images (image_cache), span and arc painting (paint_spans, paint_arcs, layers) and hit
testing (hits). Code point <-> Qt position conversion goes through ``QtTextMap``
(annotator.core.layout) only.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import QEvent, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from annotator.core.changes import Changes
from annotator.core.model import Event, Relation, Span
from annotator.core.offsets import TokenIndex
from annotator.core.project import Project
from annotator.core.suggestions import shown, without_rejected
from annotator.errors import NotFoundError
from annotator.gui.docview.arc_nav import ArcNavigator, ArcStep
from annotator.gui.docview.geometry import GeometryCache
from annotator.gui.docview.hits import HitTester
from annotator.gui.docview.image_cache import IMAGE_BUDGET
from annotator.gui.docview.index import MAX_LEVEL, DocIndex
from annotator.gui.docview.keys import KeyRouter
from annotator.gui.docview.layers import Layers
from annotator.gui.docview.metrics import Metrics
from annotator.gui.docview.mouse import MouseHandler
from annotator.gui.docview.overlay import Overlay
from annotator.gui.docview.paint_arcs import ArcPainter, spread_labels
from annotator.gui.docview.paint_spans import SpanPainter
from annotator.gui.docview.read_ahead import ReadAhead, load
from annotator.gui.docview.room import SHRINK_AFTER_MS, BlockRoom
from annotator.gui.docview.selection import TextCursor
from annotator.gui.docview.state import ViewState
from annotator.gui.docview.text_area import AreaHooks, TextArea
from annotator.gui.docview.view_queries import ShownState

# re-exported: the benchmark and older callers import these from here
__all__ = ["FULL_RELOAD_ABOVE", "IMAGE_BUDGET", "SHRINK_AFTER_MS", "DocumentView",
           "spread_labels"]

FULL_RELOAD_ABOVE = 200  # more changed ids than this: re-read the document's annotations
# no paragraph closes up while the mouse moved or clicked over the text this recently (#10.12)
HOLD_WHILE_POINTING_MS = 1500

_A = TypeVar("_A", Span, Event, Relation)


def _settle_heap() -> None:
    """Exempt the objects alive after loading a document (its index, the project's caches)
    from the cyclic garbage collector's full passes (``gc.freeze``).

    Otherwise the next full collection, which Python starts after enough allocations (the
    first scroll pages allocate plenty), walks them all: a ~100 ms stall in the middle of a
    scroll with a 100,000-character document. Freezing is O(1); objects freed by reference
    counting are still freed, and ``show_document`` unfreezes before loading the next one, so
    frozen cycles become collectable again then."""
    gc.freeze()


class DocumentView(ShownState, QWidget):
    """Shows one document with its spans (lanes with labels) and arcs (relations, arguments)."""

    selectionChanged = Signal(int, int)
    annotationSelected = Signal(str, str)
    annotationActivated = Signal(str, str)
    selectionSnapped = Signal(int, int, int, int)  # a mouse selection widened: before, after
    # the document shown was painted for the first time (its id): work for once the user
    # stays on it (a read ahead, a problem check) waits for this, not only for a timer, so
    # that on a busy machine it does not delay that first paint (#10.16)
    documentPainted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project: Project | None = None
        self._doc_id: str | None = None
        self._annotator: str | None = None
        self._tokens: TokenIndex | None = None
        self._ahead = ReadAhead(self)  # the next document, read while the user stays
        self._painted = False  # the document shown has been painted (the read ahead waits)
        self._area = area = TextArea(self)
        self._state = state = ViewState(Metrics(area.font()))
        self._geometry = GeometryCache(area, state)
        self._room = BlockRoom(area, state, self._geometry, self, self._settle_when_still)
        self._cursor = TextCursor(area, state, self._token_index, self._text_selected)
        self._arcs = ArcPainter(state, self._geometry, area, self)
        self._hits = HitTester(state, self._geometry, self._arcs, area)
        self._arc_nav = ArcNavigator(state)
        self._mouse = MouseHandler(self, self._hits, self._cursor)
        spans = SpanPainter(state, self._geometry, self, area.viewport())
        self._layers = layers = Layers(state, self._geometry, spans, self._arcs)
        area.install(AreaHooks(layers, self._mouse, KeyRouter(self, self._cursor),
                               self._hits.tooltip_at, self._room.rewrapped, self._zoom,
                               self._painted_now))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(area)
        self.setFocusProxy(area)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        area.selectionChanged.connect(self._cursor.emit)
        area.cursorPositionChanged.connect(self._cursor.emit)

    # ---- contract ---------------------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        self._project = project
        state = self._state
        state.colors.set_schema(project.schema)
        self._doc_id = None
        state.index = None
        self._tokens = None
        self._ahead.cancel()
        state.selected = None
        self._area.clear()
        self._geometry.clear()
        self._room.reset()

    def show_document(self, doc_id: str, annotator: str | None = None) -> None:
        assert self._project is not None, "set_project first"
        gc.unfreeze()  # what the last document left frozen may be collected again
        project = self._project
        who = annotator or project.annotation_set  # as _who() will say
        loaded = self._ahead.take(project, doc_id, who) or load(project, doc_id, who)
        doc = loaded.doc
        state = self._state
        self._doc_id = doc_id
        self._annotator = annotator
        self._painted = False
        self._tokens = None  # fetched when first needed (snapping, token keys)
        state.selected = None
        state.shown_arcs = set()
        self._mouse.forget_click()
        state.index = loaded.index  # with the set's annotations
        self._layers.overlay, state.extra_lanes = None, {}  # it was the last document's
        self._geometry.clear()
        self._arcs.forget_hits()
        self._room.reset()
        state.colors.set_schema(self._project.schema)
        self._set_text(doc.text)
        self._cursor.forget()
        self._cursor.emit()
        self._area.viewport().update()
        _settle_heap()

    def _set_text(self, text: str) -> None:
        """Put ``text`` in the text area with every block's room, laid out once.

        Qt lays out (part of) the document after each change of it when it has a page size:
        after the text was set, again after the base line spacing went on every block, and
        again after the rooms of the blocks with spans (three layouts of a step's new
        document, ~5% of it). With no page size a change only drops the old layouts, so the
        text and its rooms go in without one and the page size, put back, lays it out once.
        With all arcs shown the rooms are planned on laid-out lines: the page size is back
        before they are given."""
        doc = self._area.document()
        page = doc.pageSize()
        doc.setPageSize(QSizeF(0, 0))  # no layout while the text goes in
        try:
            self._area.setPlainText(text)
            doc.setUndoRedoEnabled(False)
            if not self._state.show_all:
                self._room.apply_all()
        finally:
            doc.setPageSize(page)
        if self._state.show_all:
            self._room.apply_all()

    def current_document(self) -> str | None:
        return self._doc_id

    def document_text(self) -> str:
        """The shown document's text ("" when none is shown)."""
        return self._state.index.text if self._state.index is not None else ""

    def read_ahead(self, doc_id: str | None) -> None:
        """Read and index ``doc_id`` (the document the user would step to next, in the set
        shown) once this one has been painted and the user stays on it, so that showing it
        next reads nothing from the file (``read_ahead.ReadAhead``); None: nothing to read
        ahead."""
        if self._project is None or doc_id is None:
            self._ahead.cancel()
        else:
            self._ahead.schedule(self._project, doc_id, self._who(), painted=self._painted)

    def _painted_now(self) -> None:
        """The text area painted the document shown: a read ahead may start waiting."""
        if not self._painted and self._state.index is not None and self._doc_id:
            self._painted = True
            self._ahead.painted()
            self.documentPainted.emit(self._doc_id)

    def layout_settled(self) -> bool:
        """Whether no paragraph is waiting to be closed up (see ``SHRINK_AFTER_MS``)."""
        return self._room.settled()

    def settle_layout(self) -> None:
        """Close up the paragraphs that kept room they no longer need (the timer calls this
        once edits pause; tests, benchmarks and screenshots may call it at once)."""
        if self._room.settle():
            self._area.viewport().update()

    def _settle_when_still(self) -> None:
        """The close-up timer: not while the user is aiming the mouse at the text."""
        if self._mouse.pointing_within(HOLD_WHILE_POINTING_MS / 1000):
            self._room.later()
        else:
            self.settle_layout()

    def refresh(self, changes: Changes) -> None:
        """Show what ``changes`` changed (only the blocks it touched are drawn again)."""
        idx = self._state.index
        if idx is None or self._project is None or self._doc_id is None:
            return
        if changes.schema:
            self._state.colors.set_schema(self._project.schema)
            self._geometry.clear()
        if changes.chains and (not changes.doc_ids or self._doc_id in changes.doc_ids):
            idx.set_chains(self._project.chains(self._doc_id, self._who()))  # outlines
            self._area.viewport().update()
        n = len(changes.spans) + len(changes.events) + len(changes.relations)
        if n == 0:
            if changes.schema:
                self._area.viewport().update()
            return
        if changes.doc_ids and self._doc_id not in changes.doc_ids:
            return
        if n > FULL_RELOAD_ABOVE:
            self._reload()
            return
        project = self._project
        idx.take_changes()
        dirty: set[int] = set()
        for sid in changes.spans:
            dirty |= idx.put_span(sid, self._fetch(project.span, sid))
        for rid in changes.relations:
            dirty |= idx.put_relation(rid, self._fetch(project.relation, rid))
        for eid in changes.events:
            dirty |= idx.put_event(eid, self._fetch(project.event, eid))
        self._after_change(dirty, *idx.take_changes())
        if changes.schema:
            self._area.viewport().update()  # colours changed everywhere

    def set_overlay(self, overlay: Overlay | None, dirty: Iterable[int] | None = None) -> None:
        """Draw ``overlay`` after the span lanes (curation's candidates), with the room its
        lanes need; call again when it changed, ``dirty`` the blocks it draws differently
        (None: all). Showing another document drops it."""
        state, old = self._state, self._state.extra_lanes
        self._layers.overlay = overlay
        state.extra_lanes = dict(overlay.lanes()) if overlay is not None else {}
        if overlay is not None:
            overlay.attach(state, self._geometry)
        if state.index is None:
            return
        grown = {b for b in old.keys() | state.extra_lanes.keys()
                 if old.get(b) != state.extra_lanes.get(b)}
        relaid = self._room.apply(grown)
        for b in relaid:
            self._geometry.drop(b)
            self._geometry.drop_arcs(b)
        if dirty is None:
            self._area.viewport().update()
        else:
            self._repaint_blocks(set(dirty) | grown | relaid, bool(relaid))

    # ---- selection --------------------------------------------------------------------------
    def text_selection(self) -> tuple[int, int]:
        return self._cursor.selection()

    def set_text_selection(self, start: int, end: int) -> None:
        """Select code points [start, end) (the cursor at ``end``), scrolled into view; a
        selected annotation is unselected (one thing is selected at a time)."""
        self._cursor.set(start, end, scroll=True)

    def selection_is_precise(self) -> bool:
        """Whether the text selection was made character by character (Shift+arrows), so
        that snapping to tokens must leave it as it is."""
        return self._cursor.is_precise()

    def selected_annotation(self) -> tuple[str, str] | None:
        return self._state.selected

    def select_annotation(self, kind: str, ann_id: str, *, scroll: bool = True) -> None:
        """Select (kind, ann_id) and show its arcs, scrolled into view; empty: clear."""
        if not kind or not ann_id:
            self.clear_annotation_selection()
            return
        state = self._state
        if state.index is None or not state.exists(kind, ann_id):
            return
        changed = state.selected != (kind, ann_id)
        before = state.selection_blocks()
        state.selected = (kind, ann_id)
        state.update_shown_arcs()
        s = state.anchor_span(kind, ann_id)
        if s is not None:
            # the text the user selected and sees (a label key) stays where it is (#10.16)
            scroll = scroll and not self._selected_in_sight(s)
            # one thing is selected: the annotation replaces the text selection (the cursor
            # waits after it, so that Alt+Right and Tab go on from there)
            self._cursor.set(s.end, s.end, scroll=False)
            if scroll:
                m = state.metrics
                self._cursor.scroll_to(s.start, m.arcs_px(MAX_LEVEL) + m.lanes_px(3))
        self._repaint_blocks(before | state.selection_blocks(), False)  # not the whole view
        if changed:
            self.annotationSelected.emit(kind, ann_id)

    def clear_annotation_selection(self) -> None:
        if self._state.selected is None:
            return
        before = self._state.selection_blocks()
        self._state.selected = None
        self._state.shown_arcs = set()
        self._repaint_blocks(before, False)
        self.annotationSelected.emit("", "")

    def _selected_in_sight(self, s: Span) -> bool:
        """Whether the text selection overlaps span ``s`` and the text of ``s`` is all on
        screen (its lanes and room below may not be)."""
        a, b = self._cursor.selection()
        idx = self._state.index
        if idx is None or a >= b or b <= s.start or a >= s.end:
            return False
        height, glyphs = self._area.viewport().height(), self._area.fontMetrics().height()
        c = self._area.textCursor()
        for cp in (s.start, s.end):
            c.setPosition(idx.map.to_qt(cp))
            top = self._area.cursorRect(c).top()
            if top < 0 or top + glyphs > height:
                return False
        return True

    def select_next_span(self, backwards: bool = False) -> None:
        idx = self._state.index
        if idx is None:
            return
        sid = idx.next_span(self._state.selected_span(), self.text_selection()[0], backwards)
        if sid is not None:
            self.select_annotation("span", sid)

    def select_next_arc(self, direction: int, *, whole_document: bool = False
                        ) -> ArcStep | None:
        """Select the next (``direction`` > 0) or previous relation or event arc of the
        selected span (``whole_document``: relation of the document, in text order), wrapping
        round; what was selected, or None when there is none."""
        nav = self._arc_nav
        step = nav.in_document(direction, self.text_selection()[0]) if whole_document \
            else nav.of_span(direction)
        if step is not None:
            self.select_annotation(step.kind, step.ann_id)
            nav.arrived(step)
        return step

    def arc_origin(self) -> str | None:
        """The span the selected relation or event was reached from by an arc key (None:
        it was not, or nothing like it is selected)."""
        return self._arc_nav.origin()

    def back_to_arc_origin(self) -> bool:
        """Select the span the selected arc was reached from (Esc); False when there is none."""
        origin = self._arc_nav.origin()
        if origin is None:
            return False
        self.select_annotation("span", origin)
        return True

    def move_token_selection(self, direction: int, extend: bool = False, *,
                             every: bool = False) -> None:
        """Select the next / previous word token (or grow or shrink the selection's end to
        it), jumping over punctuation-only tokens; ``every``: stopping on every token."""
        self._cursor.move_token(direction, extend, every=every)

    def find_text(self, needle: str, backwards: bool = False) -> bool:
        return self._cursor.find(needle, backwards)

    def spans_at(self, pos: int) -> list[str]:
        idx = self._state.index
        return [] if idx is None else idx.spans_at(pos)

    # ---- display settings ---------------------------------------------------------------------
    @property
    def snap_to_tokens(self) -> bool:
        return self._state.snap

    @snap_to_tokens.setter
    def snap_to_tokens(self, value: bool) -> None:
        self._state.snap = bool(value)

    @property
    def show_all_arcs(self) -> bool:
        return self._state.show_all

    @show_all_arcs.setter
    def show_all_arcs(self, value: bool) -> None:
        if bool(value) == self._state.show_all:
            return
        self._state.show_all = bool(value)
        if self._state.index is not None:  # all arcs need more room between the lines
            self._room.apply_all()
        self._area.viewport().update()

    def set_font_point_size(self, size: float) -> None:
        font = QFont(self._area.font())
        font.setPointSizeF(float(size))
        self._area.setFont(font)
        self._area.document().setDefaultFont(font)
        self._state.metrics = Metrics(font)
        self._geometry.clear()
        if self._state.index is not None:
            self._room.reset()
            self._room.apply_all()
        self._area.viewport().update()

    def font_point_size(self) -> float:
        return self._area.font().pointSizeF()

    def grab_ok(self) -> bool:
        return not self.grab().isNull()

    # ---- internal: data ------------------------------------------------------------------------
    def _text_selected(self, start: int, end: int) -> None:
        """The text selection changed: a non-empty one replaces a selected annotation."""
        if start != end and self._state.selected is not None:
            self.clear_annotation_selection()
        self.selectionChanged.emit(start, end)

    def _who(self) -> str:
        """The annotation set shown: the one asked for, else the project's current set."""
        assert self._project is not None
        return self._annotator or self._project.annotation_set

    def _token_index(self) -> TokenIndex | None:
        if self._tokens is None and self._project is not None and self._doc_id is not None:
            self._tokens = self._project.token_index(self._doc_id)
        return self._tokens

    def _load_annotations(self) -> None:
        idx = self._state.index
        assert self._project is not None and idx is not None and self._doc_id
        idx.load(without_rejected(self._project.annotations(self._doc_id, self._who())))

    def _reload(self) -> None:
        state = self._state
        assert state.index is not None
        state.index = DocIndex(state.index.text)
        self._load_annotations()
        self._geometry.clear()
        self._room.apply_all()
        self._drop_gone_selection()
        state.update_shown_arcs()
        self._area.viewport().update()

    def _fetch(self, getter: Callable[[str], _A], ann_id: str) -> _A | None:
        """The annotation if it still exists in the shown document and set, else None."""
        try:
            obj = getter(ann_id)
        except NotFoundError:
            return None
        if obj.doc_id != self._doc_id or obj.annotator != self._who():
            return None
        return shown(obj)  # rejected suggestions are hidden

    def _drop_gone_selection(self) -> None:
        sel = self._state.selected
        if sel is not None and not self._state.exists(*sel):
            self._state.selected = None
            self.annotationSelected.emit("", "")

    def _after_change(self, dirty: set[int], spans: set[int] | None = None,
                      arcs: set[int] | None = None) -> None:
        """Relayout and repaint blocks ``dirty``: of those, ``spans`` had spans change
        (lanes, fills, geometry) and ``arcs`` had arcs change (default: both, all of them)."""
        idx = self._state.index
        assert idx is not None
        spans = dirty if spans is None else spans
        arcs = dirty if arcs is None else arcs
        fmt_dirty: set[int] = set()
        for b in dirty:
            if b in spans:
                idx.relayout_block(b)
            idx.relevel_block(b)
            fmt_dirty.add(b)
            if b > 0:
                fmt_dirty.add(b - 1)
        relaid = self._room.apply(fmt_dirty)
        for b in spans | relaid:  # their lines moved, or spans on them changed
            self._geometry.drop(b)
        for b in arcs | relaid:
            self._geometry.drop_arcs(b)
        self._drop_gone_selection()
        self._state.update_shown_arcs()
        self._repaint_blocks(dirty | relaid, bool(relaid))

    def _repaint_blocks(self, blocks: set[int], moved: bool) -> None:
        """Repaint ``blocks`` (with the arcs above their lines); when line heights changed
        (``moved``), everything below the first such block moved too, but nothing above it."""
        vp = self._area.viewport()
        rect = QRectF()
        up = self._geometry.arc_reach()
        for b in blocks:
            r = self._geometry.block_rect(b)
            if r is not None:
                rect = rect.united(r.adjusted(0, -up, 0, 0))
        if rect.isNull():
            return
        # full width: half arcs run to the viewport's edges
        rect.setLeft(0)
        rect.setRight(vp.width())
        if moved:
            rect.setBottom(max(rect.bottom(), vp.height()))
        vp.update(rect.toAlignedRect().intersected(vp.rect()))

    def _zoom(self, step: int) -> None:
        self.set_font_point_size(min(48.0, max(6.0, self.font_point_size() + step)))

    # ---- Qt events ------------------------------------------------------------------------------
    def changeEvent(self, e: QEvent) -> None:
        if e.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._geometry.clear()  # cached images carry palette-derived colours
        super().changeEvent(e)

    def event(self, e: QEvent) -> bool:
        # key events sent to the view itself (not its text area) get the same treatment
        if e.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return self._area.event(e)
        return super().event(e)
