"""DocumentView: one article with its annotations, drawn over a read-only QTextEdit.

The text is shown with ``setPlainText`` (never interpreted as markup). Nothing is written into
the document's characters: spans, labels and arcs are painted in the viewport from
``DocIndex`` (what is shown) and a per-block geometry cache (where it is). The only document
change is each block's line spacing (``QTextBlockFormat`` line distance), which makes room under
each line for the span lanes and above it for the arcs; it changes only when a block's lane count
or arc height changes.

Code point <-> Qt position conversion goes through ``QtTextMap`` (annotator.core.layout) only.
"""

from __future__ import annotations

import gc
import math
import re
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QStaticText,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QTextEdit, QToolTip, QVBoxLayout, QWidget

from annotator.core.changes import Changes
from annotator.core.model import Annotations, Span
from annotator.core.project import Project
from annotator.errors import NotFoundError
from annotator.gui.docview.colors import ColorCache
from annotator.gui.docview.index import MAX_LEVEL, DocIndex

FULL_RELOAD_ABOVE = 200  # more changed ids than this: re-read the document's annotations
# Paragraphs that need less room after an edit (a lane or an arc level fewer) are closed up
# only after this long without edits: closing up relayouts and repaints everything below,
# which would put a delete over one frame; growing is never deferred (text would overlap).
SHRINK_AFTER_MS = 800
# bytes of cached block images (fills, lanes, labels, arcs) kept; least recently painted go first
IMAGE_BUDGET = 96 * 1024 * 1024

_NAV_KEYS = {
    Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home,
    Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
}
_MODS = (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
         | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier)
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_ALT = Qt.KeyboardModifier.AltModifier
_NOMOD = Qt.KeyboardModifier.NoModifier


@dataclass(slots=True)
class Frag:
    """One piece of a span on one visual line (rects relative to the block layout)."""

    span_id: str
    line: int
    lane_no: int
    text: QRectF
    lane: QRectF
    label: QRectF | None = None
    label_text: str = ""


@dataclass(slots=True)
class BlockGeom:
    frags: list[Frag] = field(default_factory=list)
    by_span: dict[str, list[Frag]] = field(default_factory=dict)
    line_tops: list[float] = field(default_factory=list)
    line_heights: list[float] = field(default_factory=list)
    block: int = 0  # block number
    left: float = 0.0  # x of the block layout's position (document coordinates)
    under: QImage | None = None  # cached fills, drawn under the text
    under_at: QPointF = field(default_factory=QPointF)  # its top-left, block layout coordinates
    over: QImage | None = None  # cached boxes, lanes and labels
    over_at: QPointF = field(default_factory=QPointF)


@dataclass(slots=True)
class ArcLayer:
    """A block's arcs when all are shown: cached apart from its lanes, as arcs and spans
    change separately (deleting a relation redraws the arcs of its two blocks only)."""

    img: QImage | None  # None: dropped to stay in the image budget, drawn again when needed
    at: QPointF  # the image's top-left, block layout coordinates
    hits: list[tuple[QRectF, str, str]]  # label rects (block layout coordinates), kind, id


def _settle_heap() -> None:
    """Exempt the objects alive after loading a document (its index, the project's caches)
    from the cyclic garbage collector's full passes (``gc.freeze``).

    Otherwise the next full collection, which Python starts after enough allocations (the
    first scroll pages allocate plenty), walks them all: a ~100 ms stall in the middle of a
    scroll with a 100,000-character document. Freezing is O(1); objects freed by reference
    counting are still freed, and ``show_document`` unfreezes before loading the next one, so
    frozen cycles become collectable again then."""
    gc.freeze()


class _Metrics:
    def __init__(self, font: QFont) -> None:
        self.font = QFont(font)
        self.small = QFont(font)
        self.small.setPointSizeF(max(6.5, font.pointSizeF() * 0.72))
        self.small_bold = QFont(self.small)
        self.small_bold.setBold(True)
        self.fm = QFontMetricsF(font)
        self.fms = QFontMetricsF(self.small)
        self.fmsb = QFontMetricsF(self.small_bold)
        self.lane_h = math.ceil(self.fms.height()) + 3
        self.step = math.ceil(self.fms.height()) + 2
        self.base_gap = max(2.0, round(self.fm.height() * 0.2))

        self._adv: dict[str, float] = {}
        self._adv_bold: dict[str, float] = {}
        self._static: dict[tuple[str, bool], QStaticText] = {}

    def adv(self, text: str) -> float:
        """Width of ``text`` in the small (arc label) font, cached."""
        w = self._adv.get(text)
        if w is None:
            w = self._adv[text] = self.fms.horizontalAdvance(text)
        return w

    def adv_bold(self, text: str) -> float:
        """Width of ``text`` in the bold small (span label) font, cached."""
        w = self._adv_bold.get(text)
        if w is None:
            w = self._adv_bold[text] = self.fmsb.horizontalAdvance(text)
        return w

    def static(self, text: str, bold: bool) -> QStaticText:
        """``text`` laid out once in the small (or bold small) font: labels repeat a lot, and
        drawing a QStaticText skips the shaping drawText does every time."""
        st = self._static.get((text, bold))
        if st is None:
            st = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(QTransform(), self.small_bold if bold else self.small)
            self._static[(text, bold)] = st
        return st

    def lanes_px(self, n: int) -> float:
        return n * self.lane_h + 2 if n else 0.0

    def arcs_px(self, levels: int) -> float:
        return levels * self.step + 6 if levels else 0.0


class _TextArea(QTextEdit):
    """The read-only text widget; forwards input to its DocumentView."""

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self._view = view
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAcceptRichText(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setTabChangesFocus(False)
        self.viewport().setMouseTracking(True)

    # ---- painting -------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        v = self._view
        if v._index is None:
            super().paintEvent(event)
            return
        blocks = v._visible_blocks(event.rect())
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        v._paint_under(p, blocks)
        p.end()
        super().paintEvent(event)
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        v._paint_over(p, blocks)
        p.end()

    def wheelEvent(self, e: QWheelEvent) -> None:
        if e.modifiers() & Qt.KeyboardModifier.ControlModifier:
            # zoom through the view so lanes, labels and arcs follow the new font size
            step = 1 if e.angleDelta().y() > 0 else -1
            self._view.set_font_point_size(
                min(48.0, max(6.0, self._view.font_point_size() + step)))
            e.accept()
            return
        super().wheelEvent(e)

    def resizeEvent(self, event: QResizeEvent) -> None:
        if event.size().width() != event.oldSize().width():
            self._view._clear_geom()
        super().resizeEvent(event)

    # ---- keys -----------------------------------------------------------------------------
    def event(self, e: QEvent) -> bool:
        t = e.type()
        if t == QEvent.Type.ShortcutOverride:
            if self._view._wants_key(e):  # type: ignore[arg-type]
                e.accept()
            else:
                e.ignore()
            return True
        if t == QEvent.Type.KeyPress and self._view._handle_key(e):  # type: ignore[arg-type]
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        key, mods = e.key(), e.modifiers() & _MODS
        if key in _NAV_KEYS and mods in (_NOMOD, _SHIFT, Qt.KeyboardModifier.ControlModifier,
                                         _SHIFT | Qt.KeyboardModifier.ControlModifier):
            super().keyPressEvent(e)
            return
        if e.matches(QKeySequence.StandardKey.Copy) or e.matches(
                QKeySequence.StandardKey.SelectAll):
            super().keyPressEvent(e)  # only reached when no window shortcut took the key
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods == _NOMOD and \
                self._view._selected is not None:
            self._view.annotationActivated.emit(*self._view._selected)
            e.accept()
            return
        e.ignore()  # letters, digits, Delete, Enter ...: the window's actions get them

    def viewportEvent(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            tip = self._view._tooltip_at(e.pos())  # type: ignore[attr-defined]
            if tip:
                QToolTip.showText(e.globalPos(), tip, self.viewport())  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().viewportEvent(e)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        return False  # Tab/Shift+Tab move between spans, not out of the view

    # ---- mouse ----------------------------------------------------------------------------
    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(e)
            return
        v = self._view
        v._press_pos = e.position()
        v._press_selected = False
        arc = v._arc_at(e.position())
        if arc is not None:
            v._set_selected(arc[0], arc[1], scroll=False)
            e.accept()
            return
        hits = v._spans_hit(e.position())
        if hits:
            ids = [sid for sid, _ in hits]
            pick = ids[0]
            last = v._last_click
            if last is not None and (last[0] - e.position()).manhattanLength() <= 4 and \
                    v._selected is not None and v._selected[1] in ids:
                pick = ids[(ids.index(v._selected[1]) + 1) % len(ids)]
            v._last_click = (e.position(), pick)
            v._set_selected("span", pick, scroll=False)
            v._press_selected = True
            if hits[ids.index(pick)][1] != "text":
                e.accept()
                return
        else:
            v._last_click = None
            v.clear_annotation_selection()
        super().mousePressEvent(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        v = self._view
        if e.buttons() & Qt.MouseButton.LeftButton and v._press_pos is not None and \
                (e.position() - v._press_pos).manhattanLength() >= \
                QApplication.startDragDistance() and v._press_selected:
            v._press_selected = False
            v._last_click = None
            v.clear_annotation_selection()  # a drag selects text, not the span under it
        super().mouseMoveEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        super().mouseReleaseEvent(e)
        v = self._view
        v._press_pos = None
        if e.button() == Qt.MouseButton.LeftButton and v._snap:
            s, t = v.text_selection()
            if s != t:
                v._snap_selection()

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:
        if e.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(e)
            return
        v = self._view
        hits = v._spans_hit(e.position())
        if hits and hits[0][1] != "text" and v._selected is not None:
            v.annotationActivated.emit(*v._selected)
            e.accept()
            return
        if v._index is None:
            return
        cp = v._index.map.to_cp(self.cursorForPosition(e.position().toPoint()).position())
        tokens = v._token_index()
        tok = tokens.token_span(cp) if tokens is not None else None
        if tok is None and cp > 0 and tokens is not None:
            tok = tokens.token_span(cp - 1)
        if tok is not None:
            v._set_cursor(tok[0], tok[1], scroll=False)
        e.accept()


class DocumentView(QWidget):
    """Shows one document with its spans (lanes with labels) and arcs (relations, arguments)."""

    selectionChanged = Signal(int, int)
    annotationSelected = Signal(str, str)
    annotationActivated = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project: Project | None = None
        self._doc_id: str | None = None
        self._annotator: str | None = None
        self._index: DocIndex | None = None
        self._tokens = None
        self._colors = ColorCache()
        self._geom: dict[int, BlockGeom] = {}
        self._arcs: dict[int, ArcLayer] = {}
        # bytes of each block's cached images, least recently painted block first
        self._lru: OrderedDict[int, int] = OrderedDict()
        self._lru_bytes = 0
        self._geom_width: tuple[int, int] = (-1, 0)
        self._applied: dict[int, tuple[float, float]] = {}
        self._shrink_later: set[int] = set()  # blocks with more room than they need
        self._shrink_timer = QTimer(self)
        self._shrink_timer.setSingleShot(True)
        self._shrink_timer.setInterval(SHRINK_AFTER_MS)
        self._shrink_timer.timeout.connect(self.settle_layout)
        self._selected: tuple[str, str] | None = None
        self._shown_arcs: set[str] = set()
        # arc label rects (document coordinates) per block, from the paints so far
        self._arc_hits: dict[int, list[tuple[QRectF, str, str]]] = {}
        self._snap = True
        self._show_all = False
        self._last_sel: tuple[int, int] | None = None
        self._last_click: tuple[QPointF, str] | None = None
        self._press_pos: QPointF | None = None
        self._press_selected = False
        self._area = _TextArea(self)
        self._metrics = _Metrics(self._area.font())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self._area)
        self.setFocusProxy(self._area)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._area.selectionChanged.connect(self._emit_selection)
        self._area.cursorPositionChanged.connect(self._emit_selection)

    # ---- contract ---------------------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        self._project = project
        self._colors.set_schema(project.schema)
        self._doc_id = None
        self._index = None
        self._tokens = None
        self._selected = None
        self._area.clear()
        self._clear_geom()
        self._applied.clear()
        self._shrink_later.clear()

    def show_document(self, doc_id: str, annotator: str | None = None) -> None:
        assert self._project is not None, "set_project first"
        gc.unfreeze()  # what the last document left frozen may be collected again
        doc = self._project.document(doc_id)
        self._doc_id = doc_id
        self._annotator = annotator
        self._tokens = None  # fetched when first needed (snapping, token keys)
        self._selected = None
        self._shown_arcs = set()
        self._last_click = None
        self._index = DocIndex(doc.text)
        self._clear_geom()
        self._arc_hits.clear()
        self._applied.clear()
        self._colors.set_schema(self._project.schema)
        self._area.setPlainText(doc.text)
        self._area.document().setUndoRedoEnabled(False)
        self._load_annotations()
        self._apply_all_formats()
        self._last_sel = None
        self._emit_selection()
        self._area.viewport().update()
        _settle_heap()

    def current_document(self) -> str | None:
        return self._doc_id

    def layout_settled(self) -> bool:
        """Whether no paragraph is waiting to be closed up (see ``SHRINK_AFTER_MS``)."""
        return not self._shrink_later

    def settle_layout(self) -> None:
        """Close up the paragraphs that kept room they no longer need (the timer calls this
        once edits pause; tests, benchmarks and screenshots may call it at once)."""
        self._shrink_timer.stop()
        blocks, self._shrink_later = self._shrink_later, set()
        if self._index is None or not blocks:
            return
        relaid = self._apply_formats(blocks, shrink=True)
        for b in relaid:
            self._drop_geom(b)
            self._drop_arcs(b)
        if relaid:
            self._area.viewport().update()

    def refresh(self, changes: Changes) -> None:
        if self._index is None or self._project is None or self._doc_id is None:
            return
        if changes.schema:
            self._colors.set_schema(self._project.schema)
            self._clear_geom()
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
        idx = self._index
        idx.take_changes()
        dirty: set[int] = set()
        for sid in changes.spans:
            dirty |= idx.put_span(sid, self._fetch_span(sid))
        for rid in changes.relations:
            dirty |= idx.put_relation(rid, self._fetch("relation", rid))
        for eid in changes.events:
            dirty |= idx.put_event(eid, self._fetch("event", eid))
        self._after_change(dirty, *idx.take_changes())
        if changes.schema:
            self._area.viewport().update()  # colours changed everywhere

    def text_selection(self) -> tuple[int, int]:
        if self._index is None:
            return (0, 0)
        c = self._area.textCursor()
        m = self._index.map
        return m.to_cp(c.selectionStart()), m.to_cp(c.selectionEnd())

    def set_text_selection(self, start: int, end: int) -> None:
        self._set_cursor(start, end, scroll=True)

    def selected_annotation(self) -> tuple[str, str] | None:
        return self._selected

    def select_annotation(self, kind: str, ann_id: str) -> None:
        if not kind or not ann_id:
            self.clear_annotation_selection()
            return
        self._set_selected(kind, ann_id, scroll=True)

    def clear_annotation_selection(self) -> None:
        if self._selected is None:
            return
        self._selected = None
        self._shown_arcs = set()
        self._area.viewport().update()
        self.annotationSelected.emit("", "")

    def select_next_span(self, backwards: bool = False) -> None:
        if self._index is None:
            return
        cur = self._selected[1] if self._selected and self._selected[0] == "span" else None
        caret = self.text_selection()[0]
        sid = self._index.next_span(cur, caret, backwards)
        if sid is not None:
            self._set_selected("span", sid, scroll=True)

    def move_token_selection(self, direction: int, extend: bool = False) -> None:
        tokens = self._token_index()
        if self._index is None or tokens is None or not len(tokens):
            return
        from bisect import bisect_left, bisect_right

        starts, ends = tokens.starts, tokens.ends
        s, e = self.text_selection()
        n = len(starts)
        if extend and s < e:
            if direction > 0:
                i = bisect_right(ends, e)
                if i < n:
                    self._set_cursor(s, ends[i], scroll=True)
            else:
                i = bisect_left(ends, e) - 1
                if i >= 0 and ends[i] > s:
                    self._set_cursor(s, ends[i], scroll=True)
            return
        if direction > 0:
            i = bisect_left(starts, e) if s < e else bisect_right(ends, e)
            i = min(i, n - 1)
        else:
            i = bisect_right(ends, s) - 1 if s < e else bisect_left(starts, s) - 1
            i = max(i, 0)
        self._set_cursor(starts[i], ends[i], scroll=True)

    def spans_at(self, pos: int) -> list[str]:
        return [] if self._index is None else self._index.spans_at(pos)

    @property
    def snap_to_tokens(self) -> bool:
        return self._snap

    @snap_to_tokens.setter
    def snap_to_tokens(self, value: bool) -> None:
        self._snap = bool(value)

    @property
    def show_all_arcs(self) -> bool:
        return self._show_all

    @show_all_arcs.setter
    def show_all_arcs(self, value: bool) -> None:
        if bool(value) == self._show_all:
            return
        self._show_all = bool(value)
        if self._index is not None:  # all arcs need more room between the lines
            self._apply_all_formats()
        self._area.viewport().update()

    def set_font_point_size(self, size: float) -> None:
        font = QFont(self._area.font())
        font.setPointSizeF(float(size))
        self._area.setFont(font)
        self._area.document().setDefaultFont(font)
        self._metrics = _Metrics(font)
        self._clear_geom()
        if self._index is not None:
            self._applied.clear()
            self._apply_all_formats()
        self._area.viewport().update()

    def font_point_size(self) -> float:
        return self._area.font().pointSizeF()

    def find_text(self, needle: str, backwards: bool = False) -> bool:
        if self._index is None or not needle:
            return False
        text = self._index.text
        s, e = self.text_selection()
        hits = [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text, re.IGNORECASE)]
        if not hits:
            return False
        if backwards:
            before = [h for h in hits if h[0] < s]
            pick = before[-1] if before else hits[-1]
        else:
            after = [h for h in hits if h[0] >= e] if s != e else [h for h in hits if h[0] >= s]
            pick = after[0] if after else hits[0]
        self._set_cursor(pick[0], pick[1], scroll=True)
        return True

    def grab_ok(self) -> bool:
        return not self.grab().isNull()

    # ---- internal: data --------------------------------------------------------------------
    def _who(self) -> str:
        """The annotation set shown: the one asked for, else the project's current set."""
        assert self._project is not None
        return self._annotator or getattr(self._project, "annotation_set",
                                          self._project.annotator)

    def _token_index(self):  # type: ignore[no-untyped-def]
        if self._tokens is None and self._project is not None and self._doc_id is not None:
            self._tokens = self._project.token_index(self._doc_id)
        return self._tokens

    def _load_annotations(self) -> None:
        assert self._project is not None and self._index is not None and self._doc_id
        ann: Annotations = self._project.annotations(self._doc_id, self._who())
        self._index.load(ann)

    def _reload(self) -> None:
        assert self._index is not None
        sel = self._selected
        self._index = DocIndex(self._index.text)
        self._load_annotations()
        self._clear_geom()
        self._apply_all_formats()
        if sel is not None and not self._exists(*sel):
            self._selected = None
            self.annotationSelected.emit("", "")
        self._update_shown_arcs()
        self._area.viewport().update()

    def _fetch_span(self, sid: str) -> Span | None:
        s = self._fetch("span", sid)
        return s  # type: ignore[return-value]

    def _fetch(self, kind: str, ann_id: str):  # type: ignore[no-untyped-def]
        assert self._project is not None
        getter = {"span": self._project.span, "event": self._project.event,
                  "relation": self._project.relation}[kind]
        try:
            obj = getter(ann_id)
        except NotFoundError:
            return None
        if obj.doc_id != self._doc_id or obj.annotator != self._who():
            return None
        return obj

    def _exists(self, kind: str, ann_id: str) -> bool:
        idx = self._index
        if idx is None:
            return False
        return ann_id in {"span": idx.spans, "event": idx.events,
                          "relation": idx.relations}.get(kind, {})

    def _after_change(self, dirty: set[int], spans: set[int] | None = None,
                      arcs: set[int] | None = None) -> None:
        """Relayout and repaint blocks ``dirty``: of those, ``spans`` had spans change
        (lanes, fills, geometry) and ``arcs`` had arcs change (default: both, all of them)."""
        idx = self._index
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
        relaid = self._apply_formats(fmt_dirty)
        for b in spans | relaid:  # their lines moved, or spans on them changed
            self._drop_geom(b)
        for b in arcs | relaid:
            self._drop_arcs(b)
        if self._selected is not None and not self._exists(*self._selected):
            self._selected = None
            self.annotationSelected.emit("", "")
        self._update_shown_arcs()
        # repaint the changed blocks (with the arcs above their lines); when line heights
        # changed, everything below the first such block moved too, but nothing above it
        vp = self._area.viewport()
        rect = QRectF()
        up = self._metrics.arcs_px(MAX_LEVEL) + self._metrics.step
        for b in dirty | relaid:
            r = self._block_rect(b)
            if r is not None:
                rect = rect.united(r.adjusted(0, -up, 0, 0))
        if rect.isNull():
            return
        # full width: half arcs run to the viewport's edges
        rect.setLeft(0)
        rect.setRight(vp.width())
        if relaid:
            rect.setBottom(max(rect.bottom(), vp.height()))
        vp.update(rect.toAlignedRect().intersected(vp.rect()))

    # ---- internal: block formats (room for lanes and arcs) ---------------------------------
    def _room(self, b: int) -> tuple[float, float]:
        idx = self._index
        assert idx is not None
        m = self._metrics
        # all arcs shown: room for every level; else two (a selection's few arcs are levelled
        # among themselves; a third level reaches into the lanes of the line above)
        cap = MAX_LEVEL if self._show_all else 2
        below = m.arcs_px(min(cap, idx.maxlevel.get(b + 1, 0)))
        if self._area.document().findBlockByNumber(b).length() <= 1:
            # a blank line between paragraphs: its own height already holds part of the
            # arcs above the next paragraph, so it only adds what does not fit
            return m.base_gap + max(0.0, below - m.fm.height()), 0.0
        dist = m.base_gap + m.lanes_px(idx.nlanes.get(b, 0)) + max(
            m.arcs_px(min(cap, idx.maxlevel.get(b, 0))), below)
        return dist, 0.0

    def _apply_top(self) -> bool:
        """Room above the first line for its arcs (the root frame's top margin)."""
        idx = self._index
        assert idx is not None
        doc = self._area.document()
        # the first line has no line above to reach into: room for all its levels
        want = doc.documentMargin() + self._metrics.arcs_px(idx.maxlevel.get(0, 0))
        frame = doc.rootFrame()
        fmt = frame.frameFormat()
        if abs(fmt.topMargin() - want) < 0.5:
            return False
        fmt.setTopMargin(want)
        frame.setFrameFormat(fmt)
        return True

    def _apply_all_formats(self) -> None:
        idx = self._index
        assert idx is not None
        self._shrink_later.clear()
        self._shrink_timer.stop()
        doc = self._area.document()
        cur = QTextCursor(doc)
        cur.beginEditBlock()
        cur.select(QTextCursor.SelectionType.Document)
        fmt = QTextBlockFormat()
        fmt.setLineHeight(self._metrics.base_gap,
                          QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
        cur.mergeBlockFormat(fmt)
        self._applied.clear()
        base = (self._metrics.base_gap, 0.0)
        nblocks = doc.blockCount()
        wanted = set()
        for b in idx.all_blocks():
            wanted.add(b)
            if b > 0:
                wanted.add(b - 1)
        wanted.add(0)
        for b in sorted(wanted):
            if b >= nblocks:
                continue
            room = self._room(b)
            if room != base:
                self._set_block_format(cur, doc.findBlockByNumber(b), room)
            self._applied[b] = room
        cur.endEditBlock()
        self._apply_top()
        self._clear_geom()

    def _apply_formats(self, blocks: set[int], *, shrink: bool = False) -> set[int]:
        """Give ``blocks`` the room their lanes and arcs need; the blocks whose lines moved.
        Less room than they have is left for ``settle_layout`` unless ``shrink``."""
        doc = self._area.document()
        base = (self._metrics.base_gap, 0.0)
        changed: set[int] = set()
        cur: QTextCursor | None = None
        for b in sorted(blocks):
            if b >= doc.blockCount():
                continue
            room = self._room(b)
            had = self._applied.get(b, base)
            if not shrink and room[0] < had[0]:
                self._shrink_later.add(b)
                self._shrink_timer.start()
                continue
            if had != room:
                if cur is None:
                    cur = QTextCursor(doc)
                    cur.beginEditBlock()
                self._set_block_format(cur, doc.findBlockByNumber(b), room)
                self._applied[b] = room
                changed.add(b)
        if cur is not None:
            cur.endEditBlock()
        if 0 in blocks and self._apply_top():
            self._clear_geom()
            changed.add(0)
        return changed

    def _set_block_format(self, cur: QTextCursor, block: QTextBlock,
                          room: tuple[float, float]) -> None:
        cur.setPosition(block.position())
        fmt = QTextBlockFormat()
        fmt.setLineHeight(room[0], QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
        cur.mergeBlockFormat(fmt)

    # ---- internal: selection ---------------------------------------------------------------
    def _set_cursor(self, start: int, end: int, *, scroll: bool) -> None:
        if self._index is None:
            return
        m = self._index.map
        n = m.length_cp
        start, end = max(0, min(start, n)), max(0, min(end, n))
        c = QTextCursor(self._area.document())
        c.setPosition(m.to_qt(start))
        c.setPosition(m.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self._area.setTextCursor(c)
        if scroll:
            self._area.ensureCursorVisible()
        self._emit_selection()

    def _snap_selection(self) -> None:
        tokens = self._token_index()
        if tokens is None:
            return
        s, e = self.text_selection()
        ns, ne = tokens.snap(s, e)
        if (ns, ne) != (s, e):
            c = self._area.textCursor()
            forward = c.position() >= c.anchor()
            if forward:
                self._set_cursor(ns, ne, scroll=False)
            else:
                self._set_cursor(ne, ns, scroll=False)

    def _emit_selection(self) -> None:
        sel = self.text_selection()
        if sel != self._last_sel:
            self._last_sel = sel
            self.selectionChanged.emit(*sel)

    def _set_selected(self, kind: str, ann_id: str, *, scroll: bool) -> None:
        if self._index is None or not self._exists(kind, ann_id):
            return
        changed = self._selected != (kind, ann_id)
        self._selected = (kind, ann_id)
        self._update_shown_arcs()
        if scroll:
            self._scroll_to_annotation(kind, ann_id)
        self._area.viewport().update()
        if changed:
            self.annotationSelected.emit(kind, ann_id)

    def _update_shown_arcs(self) -> None:
        if self._index is None or self._selected is None:
            self._shown_arcs = set()
        else:
            self._shown_arcs = self._index.arcs_touching(*self._selected)

    def _anchor_span(self, kind: str, ann_id: str) -> Span | None:
        idx = self._index
        assert idx is not None
        if kind == "span":
            return idx.spans.get(ann_id)
        if kind == "event":
            ev = idx.events.get(ann_id)
            return idx.spans.get(ev.trigger_id) if ev else None
        if kind == "relation":
            r = idx.relations.get(ann_id)
            return idx.spans.get(r.head_id) if r else None
        return None

    def _scroll_to_annotation(self, kind: str, ann_id: str) -> None:
        s = self._anchor_span(kind, ann_id)
        if s is None or self._index is None:
            return
        m = self._index.map
        c = QTextCursor(self._area.document())
        c.setPosition(m.to_qt(s.start))
        r = self._area.cursorRect(c)
        vp = self._area.viewport().rect()
        margin = self._metrics.arcs_px(MAX_LEVEL) + self._metrics.lanes_px(3)
        if r.top() - margin < 0 or r.bottom() + margin > vp.height():
            sb = self._area.verticalScrollBar()
            sb.setValue(sb.value() + r.top() - vp.height() // 3)

    # ---- internal: geometry ----------------------------------------------------------------
    def _offset(self) -> QPointF:
        return QPointF(-self._area.horizontalScrollBar().value(),
                       -self._area.verticalScrollBar().value())

    def _block_rect(self, b: int) -> QRectF | None:
        """Viewport rect of block ``b`` including the room under its lines (lanes, gap)."""
        block = self._area.document().findBlockByNumber(b)
        if not block.isValid():
            return None
        return self._block_extent(block).translated(self._offset())

    def _block_extent(self, block: QTextBlock) -> QRectF:
        """Document rect from the block's first line to the next block's first line."""
        layout = self._area.document().documentLayout()
        r = layout.blockBoundingRect(block)
        nxt = block.next()
        bottom = layout.blockBoundingRect(nxt).top() if nxt.isValid() else \
            layout.documentSize().height()
        return QRectF(r.left(), r.top(), r.width(), max(r.height(), bottom - r.top()))

    def _visible_blocks(self, rect: QRect | None = None) -> list[QTextBlock]:
        """Blocks that draw inside ``rect`` (viewport coordinates; default: all of it).

        A block draws from its arcs (above its first line) down to the next block's top."""
        vp = self._area.viewport()
        top, bottom = (0, vp.height()) if rect is None else (rect.top(), rect.bottom() + 1)
        reach = self._metrics.arcs_px(MAX_LEVEL) + self._metrics.step
        off = self._offset()
        doc = self._area.document()
        layout = doc.documentLayout()
        y = max(0, top) - off.y()
        lo = self._block_at_y(y)
        first = doc.findBlockByNumber(max(0, lo - 1))
        out = []
        b = first
        while b.isValid():
            r = layout.blockBoundingRect(b).translated(off)
            if r.top() - reach > bottom + 2:
                break
            out.append(b)
            b = b.next()
        return out

    def _block_at_y(self, y: float) -> int:
        """Number of the block at document height ``y``.

        The hit test is a cheap hint, checked against block geometry (it misses blocks the
        lazy document layout has not reached yet); if wrong, binary search by geometry
        (blockBoundingRect lays blocks out as needed)."""
        doc = self._area.document()
        layout = doc.documentLayout()
        hint = self._area.cursorForPosition(QPoint(0, int(y + self._offset().y()))).block()
        if hint.isValid() and layout.blockBoundingRect(hint).top() <= y:
            nxt = hint.next()
            if not nxt.isValid() or layout.blockBoundingRect(nxt).top() > y:
                return hint.blockNumber()
        lo, hi = 0, doc.blockCount() - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if layout.blockBoundingRect(doc.findBlockByNumber(mid)).top() <= y:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _geometry(self, block: QTextBlock) -> BlockGeom | None:
        # re-wrapped (resize, a scroll bar came or went), or scrolled sideways (half arcs run
        # to the viewport's right edge)
        width = (self._area.viewport().width(), self._area.horizontalScrollBar().value())
        if width != self._geom_width:
            self._clear_geom()
            self._geom_width = width
        b = block.blockNumber()
        g = self._geom.get(b)
        if g is not None:
            return g
        idx = self._index
        assert idx is not None
        layout = block.layout()
        if layout is None or layout.lineCount() == 0:
            return None
        g = BlockGeom(block=b, left=block.layout().position().x())
        lines = [layout.lineAt(i) for i in range(layout.lineCount())]
        starts = [line.textStart() for line in lines]
        ends = [ls + line.textLength() for ls, line in zip(starts, lines, strict=True)]
        g.line_tops = [line.y() for line in lines]
        g.line_heights = [line.height() for line in lines]
        ids = idx.block_spans.get(b)
        if ids:
            m = idx.map
            bpos = block.position()
            bs, be = m.block_range(b)
            lanes = idx.lanes.get(b, {})
            lane_h = self._metrics.lane_h
            for sid in ids:
                s = idx.spans[sid]
                qs = m.to_qt(max(s.start, bs)) - bpos
                qe = m.to_qt(min(s.end, be)) - bpos
                lane = lanes.get(sid, 0)
                first = s.start >= bs
                # only the lines the span reaches (lines are in text order)
                for li in range(max(0, bisect_right(starts, qs) - 1), len(lines)):
                    ls, le = starts[li], ends[li]
                    if ls >= qe:
                        break
                    a, z = max(qs, ls), min(qe, le)
                    if a >= z:
                        continue
                    line = lines[li]
                    x1 = line.cursorToX(a)[0]
                    x2 = line.cursorToX(z)[0]
                    if x2 < x1:
                        x1, x2 = x2, x1
                    if x2 - x1 < 3:
                        x2 = x1 + 3
                    y, h = g.line_tops[li], g.line_heights[li]
                    text = QRectF(x1, y, x2 - x1, h)
                    ly = y + h + 1 + lane * lane_h
                    fr = Frag(sid, li, lane, text, QRectF(x1, ly, x2 - x1, lane_h - 1))
                    # the label on the span's first piece; "…" marks a continued span
                    fr.label_text = self._label_text(s) if first else "\u2026" + s.label
                    first = False
                    g.frags.append(fr)
                    g.by_span.setdefault(sid, []).append(fr)
            self._place_labels(g, lines[0].width())
        self._geom[b] = g
        return g

    def _label_text(self, s: Span) -> str:
        if s.status == "suggested":
            return s.label + "?"
        if s.status == "rejected":
            return "\u2717" + s.label
        return s.label

    def _place_labels(self, g: BlockGeom, width: float) -> None:
        rows: dict[tuple[int, int], list[Frag]] = {}
        for f in g.frags:
            rows.setdefault((f.line, f.lane_no), []).append(f)
        for row in rows.values():
            row.sort(key=lambda f: f.text.left())
            for i, f in enumerate(row):
                if not f.label_text:
                    continue
                want = self._metrics.adv_bold(f.label_text) + 6
                limit = row[i + 1].text.left() - 1 if i + 1 < len(row) else width
                w = max(f.lane.width(), min(want, max(limit - f.lane.left(), f.lane.width())))
                f.label = QRectF(f.lane.left(), f.lane.top(), w, f.lane.height())

    # ---- internal: hit testing -------------------------------------------------------------
    def _spans_hit(self, pos: QPointF) -> list[tuple[str, str]]:
        """(span id, "text" | "lane") under a viewport point, innermost/shortest first."""
        if self._index is None:
            return []
        doc_pt = pos - self._offset()
        found: dict[str, str] = {}
        for block in self._visible_blocks():
            r = self._block_extent(block)
            if not (r.top() - 2 <= doc_pt.y() <= r.bottom() + 2):
                continue
            g = self._geometry(block)
            if g is None:
                continue
            lp = block.layout().position()
            p = doc_pt - lp
            for f in g.frags:
                if f.text.contains(p):
                    found.setdefault(f.span_id, "text")
                elif f.lane.contains(p) or (f.label is not None and f.label.contains(p)):
                    found[f.span_id] = "lane"
        idx = self._index
        items = sorted(found.items(), key=lambda kv: (
            idx.spans[kv[0]].end - idx.spans[kv[0]].start, -idx.spans[kv[0]].start, kv[0]))
        # a click right on a lane picks that lane's span first
        lane_hits = [kv for kv in items if kv[1] == "lane"]
        if lane_hits:
            items = lane_hits + [kv for kv in items if kv[1] != "lane"]
        return items

    def _tooltip_at(self, pos: QPoint) -> str:
        """What is under the mouse: span labels (with status) or an arc's label."""
        idx = self._index
        if idx is None:
            return ""
        arc = self._arc_at(QPointF(pos))
        if arc is not None:
            kind, ann_id = arc
            if kind == "relation" and ann_id in idx.relations:
                r = idx.relations[ann_id]
                h, t = idx.spans.get(r.head_id), idx.spans.get(r.tail_id)
                if h and t:
                    return (f"{r.type}: {idx.text[h.start:h.end]!r} \u2192 "
                            f"{idx.text[t.start:t.end]!r}")
            if kind == "event" and ann_id in idx.events:
                ev = idx.events[ann_id]
                roles = ", ".join(a.role for a in ev.arguments)
                return f"{ev.type} event ({roles})" if roles else f"{ev.type} event"
            return ""
        lines = []
        for sid, _ in self._spans_hit(QPointF(pos))[:6]:
            s = idx.spans[sid]
            extra = "" if s.status == "gold" else f" ({s.status})"
            kind = " trigger" if s.kind == "trigger" else ""
            lines.append(f"{s.label}{kind}{extra}: {idx.text[s.start:s.end][:60]!r}")
        return "\n".join(lines)

    def _arc_at(self, pos: QPointF) -> tuple[str, str] | None:
        for rect, kind, ann_id in reversed(self.arc_label_rects()):
            if rect.contains(pos):
                return kind, ann_id
        return None

    def span_rects(self, span_id: str) -> list[QRectF]:
        """Viewport rects of a span's text highlight (what the painter fills); for tests."""
        return self._fragment_rects(span_id, lambda f: f.text)

    def lane_rects(self, span_id: str) -> list[QRectF]:
        """Viewport rects of a span's lane (or label tag), as painted; for tests."""
        return self._fragment_rects(span_id, lambda f: f.label or f.lane)

    def _fragment_rects(self, span_id: str, pick: Callable[[Any], QRectF]) -> list[QRectF]:
        idx = self._index
        if idx is None or span_id not in idx.spans:
            return []
        out = []
        doc = self._area.document()
        off = self._offset()
        for b in idx.blocks_of_span(idx.spans[span_id]):
            block = doc.findBlockByNumber(b)
            g = self._geometry(block)
            if g is None:
                continue
            lp = block.layout().position()
            out += [pick(f).translated(lp + off) for f in g.by_span.get(span_id, [])]
        return out

    def arc_label_rects(self) -> list[tuple[QRectF, str, str]]:
        """Where the paints put the labels of the arcs now on screen (viewport rects)."""
        off = self._offset()
        out = []
        for block in self._visible_blocks():
            b = block.blockNumber()
            if self._show_all:  # every arc is in the blocks' cached layers
                layer = self._arcs.get(b)
                hits = layer.hits if layer is not None else ()
            else:
                hits = self._arc_hits.get(b, ())
            if hits:
                lp = block.layout().position() + off
                out += [(rect.translated(lp), kind, ann_id) for rect, kind, ann_id in hits]
        return out

    # ---- internal: painting ----------------------------------------------------------------
    def _is_dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.5

    def _paint_under(self, p: QPainter, blocks: list[QTextBlock]) -> None:
        """Span fills under the text: one cached image per block, drawn where the block is."""
        off = self._offset()
        for block in blocks:
            g = self._geometry(block)
            if g is None or not g.frags:
                continue
            if g.under is None:
                g.under, g.under_at = self._render(g, self._fills_rect(g), self._draw_fills)
                self._cached(block.blockNumber())
            else:
                self._touch(block.blockNumber())
            p.drawImage(block.layout().position() + off + g.under_at, g.under)

    def _paint_over(self, p: QPainter, blocks: list[QTextBlock]) -> None:
        """Boxes, lanes, labels and (all arcs shown) arcs: one cached image per block; then
        the selection's outlines and arcs, drawn live on top."""
        idx = self._index
        assert idx is not None
        off = self._offset()
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        sel_span = self._selected[1] if self._selected and self._selected[0] == "span" else None
        related: set[str] = set()
        if self._selected and self._selected[0] != "span":
            s = self._anchor_span(*self._selected)
            if s is not None:
                related.add(s.id)
            if self._selected[0] == "relation":
                r = idx.relations.get(self._selected[1])
                if r:
                    related |= {r.head_id, r.tail_id}
        outlined = related | ({sel_span} if sel_span else set())
        p.setBrush(Qt.BrushStyle.NoBrush)
        for block in blocks:
            b = block.blockNumber()
            g = self._geometry(block)
            if g is None or not g.frags:
                continue
            lp = block.layout().position() + off
            if g.over is None:
                g.over, g.over_at = self._render(g, self._over_rect(g), self._draw_lanes)
                self._cached(b)
            else:
                self._touch(b)
            p.drawImage(lp + g.over_at, g.over)
            for sid in outlined & g.by_span.keys():
                pen = QPen(highlight, 2.0 if sid == sel_span else 1.4)
                if sid != sel_span:
                    pen.setStyle(Qt.PenStyle.DashLine)
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                for f in g.by_span[sid]:
                    p.drawRoundedRect(f.text.translated(lp).adjusted(-1, -1, 1, 1), 2, 2)
                    p.drawRoundedRect((f.label or f.lane).translated(lp).adjusted(-1, -1, 1, 1),
                                      2, 2)
        if self._show_all:
            for block in blocks:
                b = block.blockNumber()
                if b not in idx.block_arcs:
                    continue
                layer = self._arcs.get(b)
                if layer is None or layer.img is None:
                    g = self._geometry(block)
                    if g is None:
                        continue
                    hits: list[tuple[QRectF, str, str]] = []
                    img, at = self._render(g, self._arcs_rect(block, g),
                                           partial(self._draw_all_arcs, hits=hits))
                    layer = self._arcs[b] = ArcLayer(img, at, hits)
                    self._cached(b)
                else:
                    self._touch(b)
                p.drawImage(block.layout().position() + off + layer.at, layer.img)
        self._paint_live_arcs(p, blocks)

    # ---- internal: the per-block image cache -------------------------------------------------
    def _render(self, g: BlockGeom, rect: QRectF, draw) -> tuple[QImage, QPointF]:  # type: ignore[no-untyped-def]
        """Draw ``draw(painter, g)`` (block layout coordinates) into a transparent image of
        ``rect``; returns the image and where its top-left sits relative to the block.

        A blit of the image costs a small fraction of drawing (or replaying) the lanes, labels
        and arcs again, which is what makes repaints after edits and scrolls cheap."""
        r = rect.toAlignedRect()
        dpr = self._area.viewport().devicePixelRatioF()
        img = QImage(max(1, math.ceil(r.width() * dpr)), max(1, math.ceil(r.height() * dpr)),
                     QImage.Format.Format_ARGB32_Premultiplied)
        img.setDevicePixelRatio(dpr)
        img.fill(Qt.GlobalColor.transparent)
        q = QPainter(img)
        q.setRenderHint(QPainter.RenderHint.Antialiasing)
        q.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        q.translate(-r.left(), -r.top())
        draw(q, g)
        q.end()
        return img, QPointF(r.topLeft())

    def _block_bytes(self, b: int) -> int:
        g = self._geom.get(b)
        layer = self._arcs.get(b)
        imgs = (g.under, g.over) if g is not None else ()
        if layer is not None:
            imgs += (layer.img,)
        return sum(img.sizeInBytes() for img in imgs if img is not None)

    def _recount(self, b: int) -> None:
        """Account for block ``b``'s images as they are now (most recently painted)."""
        self._lru_bytes -= self._lru.pop(b, 0)
        size = self._block_bytes(b)
        if size:
            self._lru[b] = size
            self._lru_bytes += size

    def _cached(self, b: int) -> None:
        """Account for block ``b``'s new images; drop the least recently painted blocks'
        images beyond IMAGE_BUDGET bytes (geometry and arc hits stay: re-rendering is cheap)."""
        self._recount(b)
        while self._lru_bytes > IMAGE_BUDGET and len(self._lru) > 1:
            ob = next(iter(self._lru))
            if ob == b:
                break
            self._lru_bytes -= self._lru.pop(ob)
            og = self._geom.get(ob)
            if og is not None:
                og.under = og.over = None
            layer = self._arcs.get(ob)
            if layer is not None:
                layer.img = None

    def _touch(self, b: int) -> None:
        if b in self._lru:
            self._lru.move_to_end(b)

    def _drop_geom(self, b: int) -> None:
        """Forget block ``b``'s geometry, fills and lanes (its spans or lines changed)."""
        if self._geom.pop(b, None) is not None:
            self._recount(b)

    def _drop_arcs(self, b: int) -> None:
        """Forget block ``b``'s arc layer (its arcs or lines changed)."""
        if self._arcs.pop(b, None) is not None:
            self._recount(b)

    def _clear_geom(self) -> None:
        """Forget every block's geometry and images (re-wrap, font, palette, schema ...)."""
        self._geom.clear()
        self._arcs.clear()
        self._lru.clear()
        self._lru_bytes = 0

    def _fills_rect(self, g: BlockGeom) -> QRectF:
        r = QRectF()
        for f in g.frags:
            r = r.united(f.text)
        return r.adjusted(-1, -1, 1, 1)

    def _over_rect(self, g: BlockGeom) -> QRectF:
        """What the lanes layer of a block covers (block layout coordinates)."""
        r = QRectF()
        for f in g.frags:
            r = r.united(f.text).united(f.lane)
            if f.label is not None:
                r = r.united(f.label)
        return r.adjusted(-2, -2, 2, 2)

    def _arcs_rect(self, block: QTextBlock, g: BlockGeom) -> QRectF:
        """What the arcs layer of a block may cover (block layout coordinates): the full
        width (half arcs run to the edges), from above the highest line with an arc end down
        to the lowest such line (arcs rise from the tops of their spans)."""
        idx = self._index
        assert idx is not None
        m = self._metrics
        b = block.blockNumber()
        left = block.layout().position().x()
        ys = []
        for key in idx.block_arcs.get(b, ()):
            a = idx.arcs.get(key)
            if a is None:
                continue
            for end in (a.head, a.tail):
                e = self._arc_end(end, g)
                if e is not None:
                    ys.append(e[0].y())
        if not ys:
            return QRectF()
        reach = (min(MAX_LEVEL, idx.maxlevel.get(b, 1)) + 1) * m.step + 4
        top, bottom = min(ys) - reach, max(ys) + 3
        return QRectF(-left, top, self._arc_right(left) + left + 6, bottom - top)

    def _arc_right(self, left: float) -> float:
        """The right edge half arcs run to, for a block laid out at x = ``left``."""
        return self._area.viewport().width() + self._area.horizontalScrollBar().value() \
            - 3 - left

    def _draw_fills(self, p: QPainter, g: BlockGeom) -> None:
        idx = self._index
        assert idx is not None
        dark = self._is_dark()
        for f in sorted(g.frags, key=lambda f: -f.text.width()):  # nested ones on top
            s = idx.spans[f.span_id]
            c = QColor(self._colors.color(s.label))
            alpha = {"gold": 95, "suggested": 45, "rejected": 25}.get(s.status, 95)
            c.setAlpha(alpha + (25 if dark else 0))
            p.fillRect(f.text, c)

    def _draw_all_arcs(self, p: QPainter, g: BlockGeom,
                       hits: list[tuple[QRectF, str, str]]) -> None:
        """The arcs layer of block ``g`` with all arcs shown (none highlighted)."""
        idx = self._index
        assert idx is not None
        self._draw_block_arcs(p, g, idx.block_arcs.get(g.block, set()),
                              idx.levels.get(g.block, {}), 1.4, self._arc_right(g.left), hits)

    def _draw_lanes(self, p: QPainter, g: BlockGeom) -> None:
        idx = self._index
        assert idx is not None
        m = self._metrics
        pal = self.palette()
        for f in g.frags:
            s = idx.spans[f.span_id]
            color = self._colors.color(s.label)
            text_r, lane_r, lab_r = f.text, f.lane, f.label
            # the text box: dashed for triggers, dotted for suggestions
            if s.kind == "trigger" or s.status != "gold":
                pen = QPen(color.darker(135), 1.3)
                pen.setStyle(Qt.PenStyle.DashLine if s.kind == "trigger" and
                             s.status == "gold" else Qt.PenStyle.DotLine)
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(text_r.adjusted(0.5, 0.5, -0.5, -0.5))
            bar = QColor(color)
            if s.status == "suggested":
                bar.setAlpha(110)
            elif s.status == "rejected":
                bar = QColor(pal.color(QPalette.ColorRole.Mid))
                bar.setAlpha(90)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(bar)
            p.drawRoundedRect(lane_r, 2, 2)
            if lab_r is not None and lab_r.width() > lane_r.width():
                p.drawRoundedRect(lab_r, 2, 2)
            if s.status != "gold":
                p.setBrush(QBrush(color.darker(150), Qt.BrushStyle.BDiagPattern))
                p.drawRoundedRect(lane_r, 2, 2)
            if lab_r is not None:
                bold = s.kind == "trigger"
                p.setFont(m.small_bold if bold else m.small)
                p.setPen(self._colors.text_color(s.label) if s.status == "gold" else
                         pal.color(QPalette.ColorRole.Text))
                self._draw_label(p, lab_r.adjusted(3, 0, -1, 0), f.label_text, bold, False)

    def _paint_live_arcs(self, p: QPainter, blocks: list[QTextBlock]) -> None:
        """The selection's arcs, drawn on each paint (few): the only arcs unless all are
        shown; with all shown (already in the cached layers), drawn again, thicker."""
        idx = self._index
        assert idx is not None
        visible = [(b.blockNumber(), b) for b in blocks]
        if not self._show_all:
            for b, _ in visible:
                self._arc_hits.pop(b, None)
        keys = self._shown_arcs
        if not keys:
            return
        off = self._offset()
        for b, block in visible:
            mine = idx.block_arcs.get(b, set()) & keys
            if not mine:
                continue
            g = self._geometry(block)
            if g is None:
                continue
            lp = block.layout().position()
            if self._show_all:
                levels, width, hits = idx.levels.get(b, {}), 2.2, []
            else:  # only the selection's arcs: level them among themselves
                levels, width = idx.block_levels(b, mine), 1.4
                hits = self._arc_hits.setdefault(b, [])
            p.save()
            p.translate(lp + off)
            self._draw_block_arcs(p, g, mine, levels, width, self._arc_right(lp.x()), hits)
            p.restore()

    def _arc_end(self, span_id: str, g: BlockGeom) -> tuple[QPointF, int] | None:
        """(anchor point, line) of a span's arc end in block ``g`` (block layout
        coordinates), or None when the span starts in another block."""
        idx = self._index
        assert idx is not None
        s = idx.spans.get(span_id)
        if s is None or idx.map.block_of(s.start) != g.block:
            return None
        frags = g.by_span.get(span_id)
        if not frags:
            return None
        f = frags[0]
        return QPointF(f.text.center().x(), f.text.top()), f.line

    def _draw_block_arcs(self, p: QPainter, g: BlockGeom, keys: set[str],
                         levels: dict[str, int], width: float, right: float,
                         hits: list[tuple[QRectF, str, str]]) -> None:
        """Arcs ``keys`` at their ends in block ``g`` (block layout coordinates), labels last.

        Both ends on one line: one arc between them. Else each end in this block gets a half
        arc towards the edge in the other end's direction (brat style), labelled at that end;
        the other end's block draws the other half. Appends (label rect, kind, id) to hits."""
        idx = self._index
        assert idx is not None
        m = self._metrics
        pal = self.palette()
        dark = self._is_dark()
        default_arc = pal.color(QPalette.ColorRole.Text)
        labels: list[tuple[QRectF, QColor, str, bool]] = []
        p.setBrush(Qt.BrushStyle.NoBrush)
        for key in sorted(keys):
            a = idx.arcs.get(key)
            if a is None:
                continue
            hs, ts = idx.spans.get(a.head), idx.spans.get(a.tail)
            if hs is None or ts is None:
                continue
            h = self._arc_end(a.head, g)
            t = self._arc_end(a.tail, g)
            if h is None and t is None:
                continue
            color = QColor(self._colors.color(a.color_label)) if a.kind == "event" else (
                QColor(self._colors.color(a.label)) if self._colors.has_own(a.label) else
                QColor(default_arc))
            color = color.darker(140) if not dark else color.lighter(120)
            pen = QPen(color, width)
            if a.status != "gold":
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            kind, ann_id = a.kind, a.ann_id
            text = a.label
            gold = a.status == "gold"
            forward = (ts.start, ts.end) >= (hs.start, hs.end)
            if h is not None and t is not None and h[1] == t[1]:
                level = levels.get(key, 1)
                y0 = h[0].y()
                top = y0 - 3 - level * m.step
                x1, x2 = h[0].x(), t[0].x()
                if abs(x2 - x1) < 14:  # nested spans: centres (almost) coincide
                    sx = 1 if x2 >= x1 else -1
                    x1, x2 = x1 - sx * 6, x2 + sx * 6
                path = QPainterPath(QPointF(x1, y0))
                c = y0 - (y0 - top) * 4 / 3
                path.cubicTo(QPointF(x1, c), QPointF(x2, c), QPointF(x2, y0))
                p.drawPath(path)
                self._arrow(p, QPointF(x2, y0), color)
                lx = self._clamp_label((x1 + x2) / 2, text, 0.0, right)
                rect = self._label_rect(QPointF(lx, top), text)
                labels.append((rect, color, text, gold))
                hits.append((rect, kind, ann_id))
                continue
            for end, is_head in ((h, True), (t, False)):
                if end is None:
                    continue
                level = levels.get(key, 1)
                y0 = end[0].y()
                top = y0 - 3 - level * m.step
                x = end[0].x()
                toward_right = forward if is_head else not forward
                edge = right if toward_right else -2.0
                edge = max(edge, x + 12) if toward_right else min(edge, x - 12)
                path = QPainterPath(QPointF(x, y0))
                r = min(8.0, abs(edge - x) / 2)
                sx = 1 if toward_right else -1
                path.lineTo(QPointF(x, top + r))
                path.quadTo(QPointF(x, top), QPointF(x + sx * r, top))
                path.lineTo(QPointF(edge, top))
                p.drawPath(path)
                if is_head:  # an open end at the margin shows the arc continues
                    self._chevron(p, QPointF(edge, top), sx, color)
                else:
                    self._arrow(p, QPointF(x, y0), color)
                shown = text + " \u2192" if is_head else "\u2192 " + text
                lx = x + sx * (m.adv(shown) / 2 + 10)
                lx = self._clamp_label(lx, shown, 0.0, right)
                rect = self._label_rect(QPointF(lx, top), shown)
                labels.append((rect, color, shown, gold))
                hits.append((rect, kind, ann_id))
        if not labels:
            return
        _spread_labels([rect for rect, *_ in labels], right)
        base = QColor(pal.color(QPalette.ColorRole.Base))
        base.setAlpha(235)
        p.setFont(m.small)
        for rect, color, text, gold in labels:
            p.setPen(QPen(color, 1.0, Qt.PenStyle.SolidLine if gold else Qt.PenStyle.DotLine))
            p.setBrush(base)
            p.drawRoundedRect(rect, 3, 3)
            p.setPen(color)
            self._draw_label(p, rect, text, False, True)

    def _draw_label(self, p: QPainter, rect: QRectF, text: str, bold: bool,
                    center: bool) -> None:
        """Like drawText(rect, vertically centred, left or centred, text): clipped to
        ``rect`` when it does not fit, with the painter's font set to the matching one."""
        m = self._metrics
        st = m.static(text, bold)
        w = st.size().width()
        fm = m.fmsb if bold else m.fms
        x = rect.left() + (rect.width() - w) / 2 if center else rect.left()
        at = QPointF(x, rect.top() + (rect.height() - fm.height()) / 2)
        if w <= rect.width() + 0.5:
            p.drawStaticText(at, st)
            return
        p.save()
        p.setClipRect(rect, Qt.ClipOperation.IntersectClip)
        p.drawStaticText(at, st)
        p.restore()

    def _clamp_label(self, x: float, text: str, left: float, right: float) -> float:
        """Keep a label's centre such that the whole label stays inside [left, right]."""
        half = (self._metrics.adv(text) + 8) / 2 + 1
        return max(left + half, min(x, right - half)) if right - left > 2 * half else x

    def _label_rect(self, center: QPointF, text: str) -> QRectF:
        w = self._metrics.adv(text) + 8
        h = self._metrics.fms.height() + 1
        return QRectF(center.x() - w / 2, center.y() - h / 2, w, h)

    @staticmethod
    def _arrow(p: QPainter, tip: QPointF, color: QColor) -> None:
        p.save()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawPolygon(QPolygonF([tip, tip + QPointF(-4, -7), tip + QPointF(4, -7)]))
        p.restore()

    @staticmethod
    def _chevron(p: QPainter, at: QPointF, sx: int, color: QColor) -> None:
        p.save()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawPolygon(QPolygonF([at + QPointF(sx * 4, 0), at + QPointF(-sx * 2, -4),
                                 at + QPointF(-sx * 2, 4)]))
        p.restore()

    # ---- internal: keys ---------------------------------------------------------------------
    def _wants_key(self, e: QKeyEvent) -> bool:
        """Should the view take this key before the window's shortcuts (ShortcutOverride)?"""
        key, mods = e.key(), e.modifiers() & _MODS
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and mods in (_NOMOD, _SHIFT):
            return True
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and mods in (_ALT, _ALT | _SHIFT):
            return True
        if key in _NAV_KEYS and mods in (_NOMOD, _SHIFT):
            return True
        if key == Qt.Key.Key_Escape and mods == _NOMOD:
            s, t = self.text_selection()
            return self._selected is not None or s != t
        return False

    def _handle_key(self, e: QKeyEvent) -> bool:
        """Keys with a view-specific meaning; True when handled."""
        key, mods = e.key(), e.modifiers() & _MODS
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and mods in (_NOMOD, _SHIFT):
            self.select_next_span(backwards=key == Qt.Key.Key_Backtab or mods == _SHIFT)
            e.accept()
            return True
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and mods in (_ALT, _ALT | _SHIFT):
            self.move_token_selection(1 if key == Qt.Key.Key_Right else -1,
                                      extend=bool(mods & _SHIFT))
            e.accept()
            return True
        if key == Qt.Key.Key_Escape and mods == _NOMOD:
            if self._selected is not None:
                self.clear_annotation_selection()
                e.accept()
                return True
            s, t = self.text_selection()
            if s != t:
                c = self._area.textCursor()
                c.clearSelection()
                self._area.setTextCursor(c)
                self._emit_selection()
                e.accept()
                return True
            e.ignore()
            return False
        return False

    def changeEvent(self, e: QEvent) -> None:
        if e.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._clear_geom()  # cached images carry palette-derived colours
        super().changeEvent(e)

    def event(self, e: QEvent) -> bool:
        # key events sent to the view itself (not its text area) get the same treatment
        if e.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return self._area.event(e)
        return super().event(e)


def _spread_labels(rects: list[QRectF], right: float, gap: float = 3.0) -> None:
    """Move arc labels that share a row apart, in place (the hit rects are the same objects):
    left to right each label starts after the one before it, then the row is pushed back
    inside ``right``. Labels of crossing arcs at one level would otherwise print over each
    other."""
    rows: dict[int, list[QRectF]] = {}
    for r in rects:
        rows.setdefault(round(r.center().y()), []).append(r)
    for row in rows.values():
        if len(row) < 2:
            continue
        row.sort(key=lambda r: r.left())
        end = row[0].right()
        for r in row[1:]:
            if r.left() < end + gap:
                r.moveLeft(end + gap)
            end = r.right()
        limit = right
        for r in reversed(row):
            if r.right() > limit:
                r.moveRight(limit)
            limit = r.left() - gap
