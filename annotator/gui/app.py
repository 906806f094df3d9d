"""GUI entry point: ``annotator PROJECT`` and ``annotator gui [PROJECT] [options]``."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.errors import AnnotatorError

_open_boxes: list[QMessageBox] = []


def _excepthook(kind: type[BaseException], value: BaseException,
                tb: TracebackType | None) -> None:
    """Show any uncaught exception in a dialog instead of crashing the app."""
    text = "".join(traceback.format_exception(kind, value, tb))
    sys.stderr.write(text)
    if QApplication.instance() is None:
        return
    try:
        box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error",
                          str(value) if isinstance(value, AnnotatorError)
                          else f"{kind.__name__}: {value}\n\nYour work is saved; the program "
                               "keeps running.")
        box.setTextFormat(Qt.TextFormat.PlainText)  # a message never renders markup or links
        box.setDetailedText(text)
        _open_boxes.append(box)  # keep it alive until closed
        box.finished.connect(lambda *_: _open_boxes.remove(box))
        box.open()
    except Exception:  # noqa: BLE001 - never raise from the hook
        pass


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
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

    settings = Settings()
    window = MainWindow(settings, annotator_name=annotator or "",
                        annotation_set=annotation_set, show_all_arcs=show_all_arcs or None)
    if screenshot:
        window.resize(1440, 900)
        if not window.annotator_name:
            window.annotator_name = "annotator"
    elif not window.annotator_name:
        window.ensure_annotator_name()  # asked once, then remembered
    if project_path:
        try:
            window.open_project(project_path, document=document)
        except AnnotatorError as exc:
            if screenshot:
                sys.stderr.write(f"error: {exc}\n")
                window.close()
                return 1
            window.error(exc)
    if screenshot:
        window.show()
        settle(app)
        window.view.setFocus()
        window.show_first_event()  # so the inspector has something to show
        settle(app)
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
    window.show()
    if window.project is None:
        window.message("Open a project (Ctrl+O, File > Open recent) or create one (Ctrl+N); "
                       "F1 lists every key", 0)
    return app.exec()
