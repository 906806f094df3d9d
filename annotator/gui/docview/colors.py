"""Colours of labels: the schema's colour, else a stable pick from a colour-blind-safe palette."""

from __future__ import annotations

import zlib

from PySide6.QtGui import QColor, QPalette

from annotator.core.colors import text_on
from annotator.core.schema import Schema

# Okabe & Ito (2008) plus Paul Tol's "muted" set: distinguishable with common colour blindness.
SAFE_PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
    "#88CCEE", "#44AA99", "#117733", "#DDCC77", "#CC6677", "#AA4499", "#882255",
)


def fallback_color(label: str) -> str:
    """A palette colour for a label the schema gives none (the same one on every run)."""
    return SAFE_PALETTE[zlib.crc32(label.encode("utf-8")) % len(SAFE_PALETTE)]


class ColorCache:
    """label -> QColor (and the black/white text colour that reads on it)."""

    def __init__(self) -> None:
        self._schema: Schema | None = None
        self._colors: dict[str, QColor] = {}
        self._text: dict[str, QColor] = {}
        self._own: dict[str, bool] = {}

    def has_own(self, label: str) -> bool:
        """Does the schema give ``label`` a colour (else arcs use the text colour)?"""
        own = self._own.get(label)
        if own is None:
            try:
                own = bool(self._schema is not None and self._schema.color_of(label))
            except Exception:
                own = False
            self._own[label] = own
        return own

    def set_schema(self, schema: Schema | None) -> None:
        self._schema = schema
        self._colors.clear()
        self._text.clear()
        self._own.clear()

    def color(self, label: str) -> QColor:
        c = self._colors.get(label)
        if c is None:
            name = ""
            if self._schema is not None:
                try:
                    name = self._schema.color_of(label) or ""
                except Exception:  # a broken schema must not break painting
                    name = ""
            c = QColor(name) if name and QColor.isValidColorName(name) else QColor(
                fallback_color(label))
            self._colors[label] = c
        return c

    def text_color(self, label: str) -> QColor:
        t = self._text.get(label)
        if t is None:
            c = self.color(label)
            t = QColor(*text_on((c.red(), c.green(), c.blue())))
            self._text[label] = t
        return t


def is_dark(palette: QPalette) -> bool:
    """Is the text background dark (fills get more opacity, arcs lighter colours)?"""
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5
