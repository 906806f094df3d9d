"""The first start: the main window comes up first, then asks the user's name in it (#10.3).

The name every edit is recorded under is asked once, in a window-modal dialog over the main
window (never a lone dialog on an empty screen), pre-filled with the login name, and remembered
in the settings whatever the answer (Cancel keeps the login name), so it is never asked again.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

QUESTION = "Your name (every edit is recorded under it; asked once and remembered):"


def login_name() -> str:
    """The user's login name, or "annotator" when the system cannot say."""
    try:
        name = getpass.getuser().strip()
    except (OSError, KeyError, ImportError):  # no user database entry, no LOGNAME ...
        name = ""
    return name or "annotator"


def ask_name_in_window(window: MainWindow) -> QInputDialog:
    """Open the name question over ``window`` (shown first) without blocking; the answer is
    applied and remembered when the dialog closes. Returns the dialog (tests drive it)."""
    login = login_name()
    dlg = QInputDialog(window)
    dlg.setObjectName("annotatorNameDialog")
    dlg.setWindowTitle("Annotator name")
    dlg.setLabelText(QUESTION)
    dlg.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dlg.setTextValue(login)
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def done(result: int) -> None:
        name = dlg.textValue().strip() if result else ""
        window.apply_annotator_name(name or login)
        window.view.setFocus()

    dlg.finished.connect(done)
    dlg.open()
    return dlg
