"""Which document the window shows when it opens a project, and remembering it.

On opening: the one asked for on the command line (a name or an id), else the last one shown
in that project, else the first listed. ``LastDocument`` writes the last one shown to the
settings once the user stays on it for ``REMEMBER_AFTER_MS`` (or the project closes), not at
every step: a settings write rewrites the file and syncs it to disk on the GUI thread (2 ms on
a quiet disk, tens of milliseconds when other programs write), which made stepping through
documents wait for the disk now and then (#10.16).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from annotator.errors import NotFoundError

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

REMEMBER_AFTER_MS = 1500  # the document shown is written to the settings once shown this long


def first_document(window: MainWindow, document: str | None) -> str | None:
    """The id of the document to show on opening (None: the project has none)."""
    project = window.project
    assert project is not None
    if document:
        target = resolve_document(window, document)
        if target is not None:
            return target
    last = window.settings.last_document(project.path)
    if last and window.doclist.summary(last) is not None:
        return last
    return window.doclist.neighbour("", +1)  # the first listed


def resolve_document(window: MainWindow, name: str) -> str | None:
    """A document id or name as an id; an unknown one is reported and gives None."""
    project = window.project
    assert project is not None
    if window.doclist.summary(name) is not None:
        return name
    try:
        return project.document_by_name(name).id
    except NotFoundError:
        window.error(f"no document named {name!r} in {project.path.name}")
        return None


class LastDocument:
    """The document shown last in a project, written to ``settings`` once the user stays on
    it (one write for a run of next-document steps) or at ``flush`` (the project closes)."""

    def __init__(self, settings: Settings, parent: QObject) -> None:
        self._settings = settings
        self._pending: tuple[Path, str] | None = None
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REMEMBER_AFTER_MS)
        self._timer.timeout.connect(self.flush)

    def note(self, project_path: Path, doc_id: str) -> None:
        """``doc_id`` is shown now: remember it once it stayed for ``REMEMBER_AFTER_MS``."""
        self._pending = (project_path, doc_id)
        self._timer.start()

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def flush(self) -> None:
        """Write the document noted last, if it is not written yet."""
        self._timer.stop()
        pending, self._pending = self._pending, None
        if pending is not None:
            self._settings.set_last_document(*pending)
