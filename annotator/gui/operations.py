"""How the window runs a core call: one error policy and one pick popup for every action.

Every edit of the window, the inspector and the modes goes through ``run_edit``: a read-only
project refuses it with a clear message, a user-facing error (``AnnotatorError``) becomes a
message box instead of a crash, and a refusal the user can act on (a full role, a trigger
with events) becomes a status-bar hint. The undo actions and panels learn what changed from
the project's listener, not from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint

from annotator.errors import AnnotatorError, ValidationError
from annotator.gui.dialogs import Choice, PickPopup, show_error

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


class Operations:
    """The window's error policy (``guard``, ``run_edit``), its messages and its popup."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.popup: PickPopup | None = None
        self.last_error = ""

    def guard(self, fn: Callable[[], Any]) -> Any:
        """Run a GUI action; user-facing errors go to a message box, never a crash."""
        try:
            return fn()
        except AnnotatorError as exc:
            self.error(exc)
        return None

    def run_edit(self, fn: Callable[[], Any]) -> Any:
        """Run one core edit; None when there is no project, it is read-only, or it failed."""
        project = self.window.project
        if project is None:
            return None
        if project.readonly:
            self.error("This project is open read-only; edits are not possible.")
            return None
        return self.guard(fn)

    def run_refusable_edit(self, fn: Callable[[], Any]) -> Any:
        """``run_edit`` for an edit the core may refuse by a rule the user can act on (a full
        role, a trigger that has events): the refusal is a status-bar hint, not an error box."""
        def attempt() -> Any:
            try:
                return fn()
            except ValidationError as exc:
                self.message(str(exc), 8000)
                return None

        return self.run_edit(attempt)

    def error(self, exc: BaseException | str) -> None:
        self.last_error = str(exc)
        self.window.statusBar().showMessage(str(exc), 8000)
        show_error(self.window, exc)

    def message(self, text: str, ms: int = 5000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def open_popup(self, title: str, choices: list[Choice],
                   on_pick: Callable[[str], Any]) -> None:
        """A type-to-filter pick list over the document view (one at a time); the focus goes
        back to the text when it closes."""
        self.close_popup()
        view = self.window.view
        popup = PickPopup(title, choices, self.window)
        self.popup = popup

        def picked(value: str) -> None:
            self.popup = None
            view.setFocus()
            on_pick(value)

        def cancelled() -> None:
            self.popup = None
            view.setFocus()

        popup.picked.connect(picked)
        popup.cancelled.connect(cancelled)
        popup.popup_at(view.mapToGlobal(QPoint(view.width() // 2 - 170, view.height() // 3)))

    def close_popup(self) -> None:
        if self.popup is not None:
            self.popup.close()
            self.popup = None
