"""Light and dark palettes that follow the system colour scheme (Qt 6.5+ style hints)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ERROR_COLOR = {"light": "#B3261E", "dark": "#FF8A80"}
WARNING_COLOR = {"light": "#8A6100", "dark": "#FFD180"}


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    try:
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    except AttributeError:  # Qt < 6.5
        return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def scheme() -> str:
    return "dark" if is_dark() else "light"


def error_color() -> QColor:
    return QColor(ERROR_COLOR[scheme()])


def warning_color() -> QColor:
    return QColor(WARNING_COLOR[scheme()])


def _dark_palette() -> QPalette:
    p = QPalette()
    c = QColor
    roles = QPalette.ColorRole
    p.setColor(roles.Window, c("#202124"))
    p.setColor(roles.WindowText, c("#E8EAED"))
    p.setColor(roles.Base, c("#17181A"))
    p.setColor(roles.AlternateBase, c("#24262A"))
    p.setColor(roles.ToolTipBase, c("#2D2F33"))
    p.setColor(roles.ToolTipText, c("#E8EAED"))
    p.setColor(roles.PlaceholderText, c("#8A8D93"))
    p.setColor(roles.Text, c("#E8EAED"))
    p.setColor(roles.Button, c("#2A2C30"))
    p.setColor(roles.ButtonText, c("#E8EAED"))
    p.setColor(roles.BrightText, c("#FF8A80"))
    p.setColor(roles.Highlight, c("#3D6FB6"))
    p.setColor(roles.HighlightedText, c("#FFFFFF"))
    p.setColor(roles.Link, c("#8AB4F8"))
    p.setColor(roles.Mid, c("#3C4043"))
    p.setColor(roles.Dark, c("#111214"))
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, c("#6F7378"))
    return p


def _light_palette() -> QPalette:
    p = QApplication.style().standardPalette()
    p.setColor(QPalette.ColorRole.Highlight, QColor("#2F6FD0"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#FFFFFF"))
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#F4F6F9"))
    return p


STYLESHEET = """
QDockWidget::title { padding: 4px 6px; font-weight: 600; }
QStatusBar QLabel { padding: 0 8px; }
QToolTip { padding: 4px; }
"""


def apply_theme(app: QApplication) -> None:
    """Fusion style with a palette for the current system scheme; re-applied when it changes."""
    app.setStyle("Fusion")
    app.setPalette(_dark_palette() if is_dark() else _light_palette())
    app.setStyleSheet(STYLESHEET)
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "colorSchemeChanged") and not app.property("annotator_theme_hooked"):
        app.setProperty("annotator_theme_hooked", True)
        hints.colorSchemeChanged.connect(lambda *_: apply_theme(app))
