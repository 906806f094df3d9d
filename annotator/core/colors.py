"""Colour arithmetic shared by the GUI and the exporters: WCAG 2 relative luminance, contrast
ratio, and the one rule that picks black or white text on a label colour.

One function for the rule so that the document view and brat's ``visual.conf`` always choose the
same text colour for the same label."""

from __future__ import annotations

import re

_HEX = re.compile(r"#?([0-9a-fA-F]{6})")


def parse_hex(color: str) -> tuple[int, int, int]:
    """``#RRGGBB`` (or ``RRGGBB``) as three 0..255 channels; ValueError for anything else."""
    m = _HEX.fullmatch(color.strip())
    if not m:
        raise ValueError(f"not a #RRGGBB colour: {color!r}")
    h = m.group(1)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0..255 channels)."""

    def lin(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio of two colours, 1..21."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def text_on(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """Black or white, whichever reads better on ``rgb`` (WCAG contrast)."""
    black, white = (0, 0, 0), (255, 255, 255)
    return black if contrast_ratio(rgb, black) >= contrast_ratio(rgb, white) else white


def text_color_on(color: str, default: str = "black") -> str:
    """``"white"`` or ``"black"``: the text colour that reads better on a ``#RRGGBB`` background
    (``default`` when ``color`` is not one)."""
    try:
        rgb = parse_hex(color)
    except ValueError:
        return default
    return "white" if text_on(rgb) == (255, 255, 255) else "black"
