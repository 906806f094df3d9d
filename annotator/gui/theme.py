"""Light and dark palettes: follow the system colour scheme (Qt 6.5+ style hints) or the user's
choice of View > Theme (system, light, dark; #10.14, menu in gui.theme_menu).

The chosen mode is module state (one application, one theme); ``apply_theme`` without a mode
re-applies the current one, so calling it again never undoes the user's choice.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ERROR_COLOR = {"light": "#B3261E", "dark": "#FF8A80"}
WARNING_COLOR = {"light": "#8A6100", "dark": "#FFD180"}
MODES = ("system", "light", "dark")
_state = {"mode": "system"}


def current_mode() -> str:
    """"system", "light" or "dark": what View > Theme shows as chosen."""
    return _state["mode"]


def is_dark() -> bool:
    if _state["mode"] != "system":
        return _state["mode"] == "dark"
    return system_is_dark()


def system_is_dark() -> bool:
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


def apply_theme(app: QApplication, mode: str | None = None) -> None:
    """Fusion style with the palette of ``mode`` ("system", "light", "dark"; None keeps the
    current one). In "system" mode it is re-applied when the system scheme changes."""
    if mode is not None:
        if mode not in MODES:
            raise ValueError(f"unknown theme {mode!r}: use one of {', '.join(MODES)}")
        _state["mode"] = mode
        _request_scheme(mode)
    app.setStyle("Fusion")
    app.setPalette(_dark_palette() if is_dark() else _light_palette())
    app.setStyleSheet(STYLESHEET)
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "colorSchemeChanged") and not app.property("annotator_theme_hooked"):
        app.setProperty("annotator_theme_hooked", True)
        hints.colorSchemeChanged.connect(lambda *_: _system_changed(app))


def _request_scheme(mode: str) -> None:
    """Tell Qt (6.8+) the scheme too, so native parts (title bars, file dialogs) agree."""
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme({"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
                             .get(mode, Qt.ColorScheme.Unknown))


def _system_changed(app: QApplication) -> None:
    if _state["mode"] == "system":
        apply_theme(app)
