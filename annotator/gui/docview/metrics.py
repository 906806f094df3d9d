"""Fonts and text measures of the document view, and the one way labels are drawn.

The text font, the small (arc label) and bold small (span label) fonts, the heights of a lane and
of an arc level, and per-text caches of label widths and pre-shaped ``QStaticText``: labels repeat
a lot, and measuring or shaping them once is what keeps lanes and arcs cheap to draw. A new font
size makes a new ``Metrics``.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QStaticText, QTransform


class Metrics:
    """Fonts and sizes derived from the text font (lanes, arc levels, label widths)."""

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
        self.label_h = self.fms.height() + 1  # an arc label's tag
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
        """Height of ``n`` lanes under a line (0 without lanes)."""
        return n * self.lane_h + 2 if n else 0.0

    def arcs_px(self, levels: int) -> float:
        """Height of ``levels`` arc levels above a line (0 without arcs): the labels of the top
        level (centred on it, ``label_h`` high) stay clear of the lanes of the line above."""
        return levels * self.step + math.ceil(self.label_h / 2) + 2 if levels else 0.0

    def draw_label(self, p: QPainter, rect: QRectF, text: str, bold: bool,
                   center: bool) -> None:
        """Like drawText(rect, vertically centred, left or centred, text): clipped to
        ``rect`` when it does not fit, with the painter's font set to the matching one."""
        st = self.static(text, bold)
        w = st.size().width()
        fm = self.fmsb if bold else self.fms
        x = rect.left() + (rect.width() - w) / 2 if center else rect.left()
        at = QPointF(x, rect.top() + (rect.height() - fm.height()) / 2)
        if w <= rect.width() + 0.5:
            p.drawStaticText(at, st)
            return
        p.save()
        p.setClipRect(rect, Qt.ClipOperation.IntersectClip)
        p.drawStaticText(at, st)
        p.restore()
