"""What the document view shows and where, read-only: the shown spans and arcs, their colours
and the viewport rectangles the paints put them in (tests, benchmarks, tooltips, the window's
inspector). A mixin of ``DocumentView``, kept apart so the view's module holds its behaviour
(showing, refreshing, selecting) and this one the questions asked of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTextEdit

from annotator.core.layout import QtTextMap
from annotator.core.model import Span
from annotator.gui.docview.geometry import GeometryCache
from annotator.gui.docview.hits import HitTester
from annotator.gui.docview.image_cache import ArcHit
from annotator.gui.docview.index import Arc
from annotator.gui.docview.paint_arcs import ArcPainter
from annotator.gui.docview.state import ViewState


class ShownState:
    """Read-only accessors over the view's state, geometry and hit testing."""

    _area: QTextEdit
    _state: ViewState
    _geometry: GeometryCache
    _hits: HitTester
    _arcs: ArcPainter

    @property
    def text_area(self) -> QTextEdit:
        """The text widget: it has the focus and takes keys and the mouse (its viewport)."""
        return self._area

    @property
    def text_map(self) -> QtTextMap | None:
        """Code point <-> Qt position map of the shown text (None: no document)."""
        idx = self._state.index
        return None if idx is None else idx.map

    def shown_span(self, span_id: str) -> Span | None:
        """The span as shown (None when the shown document and set do not have it)."""
        idx = self._state.index
        return None if idx is None else idx.spans.get(span_id)

    def shown_spans(self) -> Mapping[str, Span]:
        """Every shown span by id (read-only)."""
        idx = self._state.index
        return MappingProxyType({} if idx is None else idx.spans)

    def document_arcs(self) -> Mapping[str, Arc]:
        """Every arc of the shown annotations ("r:<relation id>", "a:<argument id>")."""
        idx = self._state.index
        return MappingProxyType({} if idx is None else idx.arcs)

    def selection_arcs(self) -> set[str]:
        """Keys of the arcs drawn for the selected annotation."""
        return set(self._state.shown_arcs)

    def label_color(self, label: str) -> QColor:
        """The colour spans and arcs of ``label`` are drawn in."""
        return self._state.colors.color(label)

    def label_text_color(self, label: str) -> QColor:
        """The colour of label text on ``label``'s colour (black or white, whichever reads)."""
        return self._state.colors.text_color(label)

    def visible_blocks(self) -> list[int]:
        """Numbers of the text blocks (paragraphs) that draw in the viewport now."""
        return [b.blockNumber() for b in self._geometry.visible_blocks()]

    def span_rects(self, span_id: str) -> list[QRectF]:
        """Viewport rects of a span's text highlight (what the painter fills)."""
        return self._hits.span_rects(span_id)

    def lane_rects(self, span_id: str) -> list[QRectF]:
        """Viewport rects of a span's lane (or label tag), as painted."""
        return self._hits.lane_rects(span_id)

    def lane_labels(self, span_id: str) -> list[tuple[str, QRectF]]:
        """The label text drawn on each of a span's tags (maybe abbreviated) and its rect."""
        return self._hits.lane_labels(span_id)

    def arc_label_rects(self) -> list[ArcHit]:
        """Where the paints put the labels of the arcs now on screen (viewport rects)."""
        return self._hits.arc_label_rects()

    def arc_labels(self) -> list[tuple[str, str, QRectF]]:
        """(arc key, text on its label, viewport rect) of the arc labels on screen: the full
        label or its abbreviation (``short_label``; the tooltip names it in full), with an
        arrow on a half arc's; no two of them overlap, nor a span's box, lane or tag."""
        return self._arcs.labels_on_screen()

    def arc_at(self, pos: QPointF) -> tuple[str, str] | None:
        """(kind, id) of the arc whose label is at a viewport point."""
        return self._hits.arc_at(pos)

    def tooltip_at(self, pos: QPoint) -> str:
        """The tooltip at a viewport point: span labels (with status) or an arc's label."""
        return self._hits.tooltip_at(pos)
