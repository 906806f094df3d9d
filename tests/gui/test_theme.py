"""View > Theme (System, Light, Dark): applied at once, remembered in the settings (#10.14)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMenu

from annotator.gui import theme
from annotator.gui.settings import Settings
from annotator.gui.theme_menu import ThemeMenu
from tests.gui.helpers_mainwindow import isolate_settings, open_window, small_project

pytestmark = pytest.mark.gui


def window_lightness() -> int:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness()


@pytest.fixture
def fresh_theme(qtbot, tmp_path):
    """Isolated settings and the system theme before and after (the mode is app-wide)."""
    isolate_settings(tmp_path)
    app = QApplication.instance()
    theme.apply_theme(app, "system")
    yield app
    theme.apply_theme(app, "system")


def test_settings_remember_the_theme(fresh_theme):
    s = Settings()
    assert s.theme == "system"
    s.theme = "dark"
    s.sync()
    assert Settings().theme == "dark"
    with pytest.raises(ValueError):
        s.theme = "purple"
    s.q.setValue("view/theme", "purple")  # a damaged settings file falls back to the system
    assert Settings().theme == "system"


def test_theme_menu_applies_at_once_and_remembers(fresh_theme, qtbot):
    menu = ThemeMenu(Settings())
    qtbot.addWidget(menu)
    assert [a.objectName() for a in menu.actions()] == ["theme_system", "theme_light",
                                                         "theme_dark"]
    assert menu.chosen() == "system"
    menu.actions_["dark"].trigger()
    assert theme.current_mode() == "dark" and theme.is_dark()
    assert window_lightness() < 80
    assert theme.error_color().name() == theme.ERROR_COLOR["dark"].lower()
    assert Settings().theme == "dark"
    menu.actions_["light"].trigger()
    assert window_lightness() > 180 and not theme.is_dark()
    assert Settings().theme == "light"
    assert menu.chosen() == "light"



def test_problem_colours_follow_the_theme_at_once(fresh_theme, qtbot):
    from annotator.core.validate import Problem
    from annotator.gui.problems import ProblemsPanel

    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_problems([Problem("error", "x", "broken"), Problem("warning", "y", "odd")])
    menu = ThemeMenu(Settings())
    qtbot.addWidget(menu)

    def colours() -> list[str]:
        return [panel.tree.topLevelItem(i).foreground(0).color().name() for i in range(2)]

    menu.actions_["light"].trigger()
    QApplication.processEvents()
    assert colours() == [theme.ERROR_COLOR["light"].lower(), theme.WARNING_COLOR["light"].lower()]
    menu.actions_["dark"].trigger()
    QApplication.processEvents()
    assert colours() == [theme.ERROR_COLOR["dark"].lower(), theme.WARNING_COLOR["dark"].lower()]


def test_pick_dark_in_the_window_then_restart(fresh_theme, qtbot, tmp_path):
    app = fresh_theme
    path = small_project(tmp_path)
    w = open_window(qtbot, path)
    menu = w.findChild(QMenu, "themeMenu")
    assert menu is not None, "View > Theme is missing"
    view_menu = next(a.menu() for a in w.menuBar().actions()
                     if a.text().replace("&", "") == "View")
    assert menu.menuAction() in view_menu.actions()
    assert menu.chosen() == "system"
    dark = next(a for a in menu.actions() if a.objectName() == "theme_dark")
    dark.trigger()
    QApplication.processEvents()
    assert window_lightness() < 80
    assert w.view.palette().color(QPalette.ColorRole.Base).lightness() < 80  # the text too
    w.close()
    # a new session: the theme module starts from the system again, the settings are re-read
    theme.apply_theme(app, "system")
    assert theme.current_mode() == "system"
    assert Settings().theme == "dark"
    w2 = open_window(qtbot, path)
    menu2 = w2.findChild(QMenu, "themeMenu")
    assert menu2.chosen() == "dark"
    assert theme.is_dark() and window_lightness() < 80
    w2.close()
