"""GUI entry point: ``annotator PROJECT`` and ``annotator gui [PROJECT] [options]``.

The window is shown before anything is asked (the first start's name question, the offer to
make a project for a text file) so that every question appears in it; ``--screenshot`` renders
the window offscreen to a PNG instead of running it.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

_open_boxes: list[QMessageBox] = []


def _excepthook(kind: type[BaseException], value: BaseException,
                tb: TracebackType | None) -> None:
    """Show any uncaught exception in a dialog instead of crashing the app."""
    text = "".join(traceback.format_exception(kind, value, tb))
    sys.stderr.write(text)
    if QApplication.instance() is None:
        return
    try:
        box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error", _explain(kind, value))
        box.setTextFormat(Qt.TextFormat.PlainText)  # a message never renders markup or links
        box.setDetailedText(text)
        _open_boxes.append(box)  # keep it alive until closed
        box.finished.connect(lambda *_: _open_boxes.remove(box))
        box.open()
    except Exception:  # noqa: BLE001 - never raise from the hook
        pass


def _explain(kind: type[BaseException], value: BaseException) -> str:
    """The dialog's text: an AnnotatorError as it is; a damaged page of the project file (read
    in the middle of work) as damage with the way out; anything else by its type."""
    import sqlite3

    from annotator.store.integrity import is_damage

    if isinstance(value, AnnotatorError):
        return str(value)
    if isinstance(value, sqlite3.DatabaseError) and is_damage(value):
        return (f"The project file is damaged ({value}): this part of it cannot be read. "
                "Edits saved before stay saved. Close the project and open it again: the check "
                "on opening names the backup beside the file and how to export what is "
                "readable (`annotator export --format jsonl`).")
    return f"{kind.__name__}: {value}\n\nYour work is saved; the program keeps running."


def install_excepthook() -> None:
    sys.excepthook = _excepthook


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        from annotator.gui.qt_platform import require_platform

        require_platform()  # Qt would abort the process with a misleading message
        QCoreApplication.setOrganizationName("annotator")
        QCoreApplication.setApplicationName("annotator")
        app = QApplication(sys.argv[:1])
    from annotator.gui.theme import apply_theme

    apply_theme(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def settle(app: QApplication, rounds: int = 8) -> None:
    for _ in range(rounds):
        app.processEvents()


def start_window(project_path: str | None = None, *, document: str | None = None,
                 annotator: str | None = None, annotation_set: str | None = None,
                 show_all_arcs: bool = False) -> MainWindow:
    """Show the main window, open ``project_path`` in it (a file that is not a project gets
    the offer to create one), then, on the very first start, ask the user's name in it."""
    from annotator.gui.first_start import ask_name_in_window
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings
    from annotator.gui.text_open import open_or_offer

    window = MainWindow(Settings(), annotator_name=annotator or "",
                        annotation_set=annotation_set, show_all_arcs=show_all_arcs or None)
    window.show()  # first: every question is asked in the window, never on an empty screen
    if project_path:
        open_or_offer(window, project_path, document)
    if window.project is None:
        window.message("Open a project (Ctrl+O, File > Open recent) or create one (Ctrl+N); "
                       "F1 lists every key", 0)
    if not window.annotator_name:
        ask_name_in_window(window)  # asked once, then remembered
    return window


def run_gui(project_path: str | None = None, *, document: str | None = None,
            screenshot: str | None = None, annotator: str | None = None,
            annotation_set: str | None = None, show_all_arcs: bool = False) -> int:
    """Open the main window (on ``project_path`` if given) and run until it closes.

    With ``screenshot`` the window is rendered offscreen to that PNG once the document is shown
    and laid out, and the function returns 0 without entering the event loop.
    """
    if screenshot and not os.environ.get("QT_QPA_PLATFORM") and QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = ensure_app()
    install_excepthook()
    if screenshot:
        return _screenshot(app, screenshot, project_path, document=document,
                           annotator=annotator, annotation_set=annotation_set,
                           show_all_arcs=show_all_arcs)
    window = start_window(project_path, document=document, annotator=annotator,
                          annotation_set=annotation_set, show_all_arcs=show_all_arcs)
    wake = close_on_terminate(app, window)
    code = app.exec()
    wake.stop()
    del window
    return code


def close_on_terminate(app: QApplication, window: MainWindow) -> QTimer:
    """SIGTERM (a logout, ``timeout``, a service manager) closes the window as File > Quit
    does, so the project file is closed cleanly (no journal left beside it). Qt's idle event
    loop runs no Python code, hence the timer: it lets the interpreter run the handler within
    a quarter of a second. Returns the timer (stopped when the loop ends)."""
    import signal

    def terminate(_signum: int, _frame: object) -> None:
        window.close()
        app.quit()

    signal.signal(signal.SIGTERM, terminate)
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)  # a turn of Python: pending signal handlers run
    timer.start(250)
    return timer


def _screenshot(app: QApplication, screenshot: str, project_path: str | None, *,
                document: str | None, annotator: str | None, annotation_set: str | None,
                show_all_arcs: bool) -> int:
    """Render the window with ``project_path`` to the PNG ``screenshot``; 0 when written."""
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

    window = MainWindow(Settings(), annotator_name=annotator or "annotator",
                        annotation_set=annotation_set, show_all_arcs=show_all_arcs or None)
    window.resize(1440, 900)
    if project_path:
        try:
            window.open_project(project_path, document=document)
        except AnnotatorError as exc:
            sys.stderr.write(f"error: {exc}\n")
            window.close()
            return 1
    window.show()
    settle(app)
    window.view.setFocus()
    window.show_first_event()  # so the inspector has something to show
    settle(app)
    window.panels.check_now()  # the problems panel checks once the user stays: now
    window.inspector.rebuild_now()
    settle(app)
    out = Path(screenshot)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(out), "PNG")
    window.close()
    settle(app, 2)
    if not ok:
        sys.stderr.write(f"error: could not write {out}\n")
        return 1
    return 0
