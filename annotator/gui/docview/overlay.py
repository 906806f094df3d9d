"""What the document view can draw over its annotations besides them: an ``Overlay``.

Why its own module: the view knows nothing of curation, yet curation draws the annotators'
candidates on the text, under the gold lanes. The view takes any object with this shape
(``DocumentView.set_overlay``): it gives the overlay the view's state and geometry once, asks
it for the lanes it needs under each paragraph's lines (so the room between the lines holds
them), and lets it paint after the span lanes, block by visible block.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainter, QTextBlock

from annotator.gui.docview.geometry import GeometryCache
from annotator.gui.docview.state import ViewState


class Overlay(Protocol):
    """Drawn by the document view after the span lanes (see the module docstring)."""

    def attach(self, state: ViewState, geometry: GeometryCache) -> None:
        """The view's state (index, metrics, colours) and geometry, given once."""

    def lanes(self) -> Mapping[int, int]:
        """Lanes needed under the lines of each block (block number -> count)."""

    def paint(self, p: QPainter, blocks: list[QTextBlock], off: QPointF) -> None:
        """Draw over ``blocks`` (``off``: document -> viewport translation)."""
