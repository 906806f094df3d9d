"""The window's side of a project opened with its integrity check in the background.

The window opens a project with ``verify="background"`` so the first paint does not wait for
SQLite's ``quick_check`` (about a second on a 600 MB file; store/verify.py). The store refuses
every write to a damaged file by itself; this watch makes sure the user hears of it at once, not
at the first edit: it looks at ``Project.verified`` a few times a second and, when the check
found damage, says so in a dialog (the recovery advice) and in the window title.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.gui.main_window import MainWindow

POLL_MS = 150


class IntegrityWatch(QObject):
    """Polls the open project's background check until it has an answer."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._project: Project | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.box: QMessageBox | None = None

    @property
    def watching(self) -> bool:
        return self._timer.isActive()

    def watch(self, project: Project) -> None:
        """Start watching ``project`` (a project already verified needs no watch)."""
        self._project = project
        if project.verified is None:
            self._timer.start()
        else:
            self._poll()

    def stop(self) -> None:
        self._timer.stop()
        self._project = None

    def _poll(self) -> None:
        project = self._project
        if project is None or project is not self.window.project:
            self.stop()
            return
        state = project.verified
        if state is None:
            return
        self.stop()
        if state is False:
            self._tell_damage(project)

    def _tell_damage(self, project: Project) -> None:
        w = self.window
        message = project.damage or "The project file is damaged."
        w.setWindowTitle(f"{project.path.name} — annotator (damaged: edits are refused)")
        w.message("The project file is damaged: edits are refused (see the message)", 0)
        box = QMessageBox(QMessageBox.Icon.Critical, "Damaged project file", message,
                          parent=w)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a message never renders markup or links
        self.box = box
        box.open()
