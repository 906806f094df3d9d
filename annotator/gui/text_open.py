"""``annotator seed.txt``: a file that is not a project opens as an offer to make one (#10.5).

When the file to open is not an annotator project (not an SQLite file at all: an article, a
JSONL or brat file), the window shows a dialog: create a project (its path picked by the user,
by default beside the file) and import the file into it in the background. Nothing is written
beside the file unless the user says Create; opening never leaves a lock file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import ProjectError
from annotator.gui.io_actions import PROJECT_SUFFIX
from annotator.gui.plain_text import plain_label

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

SQLITE_MAGIC = b"SQLite format 3\x00"


def is_foreign_file(path: Path) -> bool:
    """A readable regular file that is no SQLite database (so cannot be a project)."""
    try:
        with path.open("rb") as f:
            return path.is_file() and f.read(16) != SQLITE_MAGIC
    except OSError:
        return False


def project_path_for(path: Path) -> Path:
    """A project path beside ``path`` that does not exist yet: seed.annproj, seed-2.annproj …"""
    candidate = path.with_suffix(PROJECT_SUFFIX)
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{PROJECT_SUFFIX}")
        n += 1
    return candidate


class NewProjectForFile(QDialog):
    """"seed.txt is not a project. Create a project and import it?" with the project path."""

    def __init__(self, source: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newProjectForFile")
        self.setWindowTitle("Create a project for this file?")
        self.source = source
        text = plain_label(f"{source.name} is not an annotator project. Create a project and "
                           "import the file into it?")
        text.setWordWrap(True)
        self.path_edit = QLineEdit(str(project_path_for(source)))
        self.path_edit.setObjectName("projectPath")
        browse = QPushButton("Browse…")
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        create = buttons.addButton("Create and import", QDialogButtonBox.ButtonRole.AcceptRole)
        create.setObjectName("createProject")
        create.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addWidget(text)
        col.addWidget(plain_label("Project file:"))
        col.addLayout(row)
        col.addWidget(buttons)
        self.setWindowModality(Qt.WindowModality.WindowModal)

    def project_path(self) -> Path:
        text = self.path_edit.text().strip()
        if not text.endswith(PROJECT_SUFFIX):
            text += PROJECT_SUFFIX
        return Path(text).expanduser()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", str(self.project_path()),
                                              f"annotator projects (*{PROJECT_SUFFIX})")
        if path:
            self.path_edit.setText(path)


def open_or_offer(window: MainWindow, path: str | Path,
                  document: str | None = None) -> NewProjectForFile | None:
    """Open ``path`` in ``window``; a file that is not a project gets the offer dialog
    (returned, open), any other failure is shown as an error."""
    try:
        window.open_project(path, document=document)
        return None
    except ProjectError as exc:
        source = Path(path)
        if not is_foreign_file(source):
            window.error(exc)
            return None
    dlg = NewProjectForFile(source, window)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.accepted.connect(lambda: create_and_import(window, dlg.project_path(), source))
    dlg.open()
    return dlg


def create_and_import(window: MainWindow, project: Path, source: Path) -> None:
    """Create ``project`` (refused when it exists) and import ``source`` in the background."""
    if project.exists():
        window.error(f"{project} exists already: pick another project file name")
        return
    window.ops.guard(lambda: window.new_project(str(project)))
    opened = window.project
    if opened is None or opened.path.resolve() != project.resolve():
        return  # creating failed (and said why)
    window.start_import([str(source)])
