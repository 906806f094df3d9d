"""View > Theme: System, Light or Dark, applied at once and remembered in the settings (#10.14).

The menu owns the choice: built from ``Settings.theme`` (which it applies, so the remembered
theme is in force as soon as the main window exists), and on a pick it stores the new mode and
re-applies the palette through ``gui.theme``.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from annotator.gui import theme
from annotator.gui.settings import Settings

TITLES = {"system": "&System", "light": "&Light", "dark": "&Dark"}


class ThemeMenu(QMenu):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("&Theme", parent)
        self.setObjectName("themeMenu")
        self.settings = settings
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions_: dict[str, QAction] = {}
        for mode in theme.MODES:
            act = QAction(TITLES[mode], self)
            act.setObjectName(f"theme_{mode}")
            act.setCheckable(True)
            act.setData(mode)
            act.triggered.connect(lambda _=False, m=mode: self.choose(m))
            self.group.addAction(act)
            self.addAction(act)
            self.actions_[mode] = act
        self.choose(settings.theme, remember=False)

    def choose(self, mode: str, remember: bool = True) -> None:
        """Apply ``mode`` now (and store it unless ``remember`` is false)."""
        self.actions_[mode].setChecked(True)
        if remember:
            self.settings.theme = mode
            self.settings.sync()
        app = QApplication.instance()
        if isinstance(app, QApplication) and (mode != theme.current_mode() or remember):
            theme.apply_theme(app, mode)

    def chosen(self) -> str:
        act = self.group.checkedAction()
        return str(act.data()) if act is not None else "system"
