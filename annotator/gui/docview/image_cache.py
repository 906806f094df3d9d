"""Per-block images of the document view, kept within a memory budget (least recently painted
blocks lose theirs first).

Each block caches its span fills (under the text), its boxes, lanes and labels (over it) and,
with all arcs shown, its arcs as transparent images: a blit costs a small fraction of drawing
them again, which is what makes repaints after edits and scrolls cheap. Geometry and arc label
hits stay when images are dropped: drawing them again is cheap, re-measuring is not.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter

if TYPE_CHECKING:
    from annotator.gui.docview.geometry import BlockGeom

# bytes of cached block images (fills, lanes, labels, arcs) kept; least recently painted go first
IMAGE_BUDGET = 96 * 1024 * 1024

ArcHit = tuple[QRectF, str, str]  # an arc label's rect, the arc's kind and annotation id


@dataclass(slots=True)
class ArcLayer:
    """A block's arcs when all are shown: cached apart from its lanes, as arcs and spans
    change separately (deleting a relation redraws the arcs of its two blocks only)."""

    img: QImage | None  # None: dropped to stay in the image budget, drawn again when needed
    at: QPointF  # the image's top-left, block layout coordinates
    hits: list[ArcHit]  # label rects (block layout coordinates), kind, id


def render(g: BlockGeom, rect: QRectF, draw: Callable[[QPainter, BlockGeom], None],
           dpr: float) -> tuple[QImage, QPointF]:
    """Draw ``draw(painter, g)`` (block layout coordinates) into a transparent image of
    ``rect`` at device pixel ratio ``dpr``; returns the image and where its top-left sits
    relative to the block."""
    r = rect.toAlignedRect()
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


class BlockImages:
    """The byte count of every block's images, least recently painted first; the arc layers.

    ``geoms`` is the geometry cache's own dict (its blocks' fill and lane images are counted
    and dropped here)."""

    def __init__(self, geoms: dict[int, BlockGeom]) -> None:
        self._geoms = geoms
        self.arcs: dict[int, ArcLayer] = {}
        self._lru: OrderedDict[int, int] = OrderedDict()
        self._bytes = 0

    def _block_bytes(self, b: int) -> int:
        g = self._geoms.get(b)
        layer = self.arcs.get(b)
        imgs: list[QImage | None] = [g.under, g.over] if g is not None else []
        if layer is not None:
            imgs.append(layer.img)
        return sum(img.sizeInBytes() for img in imgs if img is not None)

    def recount(self, b: int) -> None:
        """Account for block ``b``'s images as they are now (most recently painted)."""
        self._bytes -= self._lru.pop(b, 0)
        size = self._block_bytes(b)
        if size:
            self._lru[b] = size
            self._bytes += size

    def cached(self, b: int) -> None:
        """Account for block ``b``'s new images; drop the least recently painted blocks'
        images beyond IMAGE_BUDGET bytes (geometry and arc hits stay: re-rendering is cheap)."""
        self.recount(b)
        while self._bytes > IMAGE_BUDGET and len(self._lru) > 1:
            ob = next(iter(self._lru))
            if ob == b:
                break
            self._bytes -= self._lru.pop(ob)
            og = self._geoms.get(ob)
            if og is not None:
                og.under = og.over = None
            layer = self.arcs.get(ob)
            if layer is not None:
                layer.img = None

    def touch(self, b: int) -> None:
        """Block ``b``'s cached images were painted again (most recently used now)."""
        if b in self._lru:
            self._lru.move_to_end(b)

    def drop_arcs(self, b: int) -> None:
        """Forget block ``b``'s arc layer (its arcs or lines changed)."""
        if self.arcs.pop(b, None) is not None:
            self.recount(b)

    def clear(self) -> None:
        """Forget every arc layer and byte count (the geometry cache clears its blocks)."""
        self.arcs.clear()
        self._lru.clear()
        self._bytes = 0
