"""The paint order of the document view: span fills under the text; over it the lanes and
labels, an overlay's drawing (curation's candidates), the cached arc layers (all arcs shown)
and the selection's arcs, drawn live.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QPainter, QTextBlock

from annotator.gui.docview.geometry import GeometryCache
from annotator.gui.docview.overlay import Overlay
from annotator.gui.docview.paint_arcs import ArcPainter
from annotator.gui.docview.paint_spans import SpanPainter
from annotator.gui.docview.state import ViewState


class Layers:
    """What the text area paints around the text, block by visible block."""

    def __init__(self, state: ViewState, geometry: GeometryCache, spans: SpanPainter,
                 arcs: ArcPainter) -> None:
        self._state = state
        self._geometry = geometry
        self._spans = spans
        self._arcs = arcs
        self.overlay: Overlay | None = None  # drawn after the span lanes (curation)

    def visible(self, rect: QRect) -> list[QTextBlock] | None:
        """The blocks that draw inside ``rect``; None when no document is shown."""
        if self._state.index is None:
            return None
        return self._geometry.visible_blocks(rect)

    def under(self, p: QPainter, blocks: list[QTextBlock]) -> None:
        """Before the text is drawn."""
        self._spans.paint_under(p, blocks, self._geometry.offset())

    def over(self, p: QPainter, blocks: list[QTextBlock]) -> None:
        """After the text is drawn."""
        off = self._geometry.offset()
        self._spans.paint_over(p, blocks, off)
        if self.overlay is not None:
            self.overlay.paint(p, blocks, off)
        if self._state.show_all:
            self._arcs.paint_layers(p, blocks, off)
        self._arcs.paint_live(p, blocks, off)
