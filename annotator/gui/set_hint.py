"""The banner over the document that says whose annotations are shown (#10.2).

A newcomer who opens a project they have never annotated (the bundled demo, a colleague's
file) would see their own, empty, annotation set: every document "new", nothing drawn. When the
annotator's own set is empty and the project has a gold set, the window shows the gold set
instead and this non-modal banner says so, with one button that starts the user's own set and
one that closes the banner. Nothing is asked; the banner never takes the keyboard focus.

Whether the user's set is empty is read on a worker connection after the first paint (listing
the sets reads every annotation's index entry: 0.3 s on 1.5 million spans), so that opening a
large project is not slowed down for everybody to help the newcomer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from annotator.core.project import Project
from annotator.gui.plain_text import plain_label
from annotator.gui.workers import BackgroundRead

GOLD = "gold"


def set_to_show(sets: list[str], own: str) -> str | None:
    """The set to show a user whose own set ``own`` is not among the project's ``sets``
    (it is empty): "gold" when the project has one, else None (show the user's own set)."""
    if own in sets or GOLD not in sets or own == GOLD:
        return None
    return GOLD


class SetHint(QFrame):
    """"You are looking at the gold annotations ..." with [Start my own set] [Close]."""

    def __init__(self, start_own: Callable[[], None], show_set: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setHint")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text = plain_label("")
        self.text.setObjectName("setHintText")
        self.text.setWordWrap(True)
        self.own_button = QPushButton("Start my own set")
        self.own_button.setObjectName("setHintOwn")
        self.close_button = QPushButton("Keep showing gold")
        self.close_button.setObjectName("setHintClose")
        for b in (self.own_button, self.close_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the text keeps the keyboard
            b.setAutoDefault(False)
        self._start_own = start_own
        self._show_set = show_set
        self._reading: BackgroundRead | None = None
        self.hinted = False  # the set shown was chosen here, not asked for by the user
        self.own_button.clicked.connect(self._own)
        self.close_button.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.text, 1)
        row.addWidget(self.own_button)
        row.addWidget(self.close_button)
        self.hide()

    def choose(self, project: Project, requested: str) -> None:
        """On opening ``project``: when the user asked for no particular set and theirs is
        empty, show the gold set and say so; else show what was asked, without the banner."""
        self.dismiss()
        if requested:
            return
        job = BackgroundRead(self, project, lambda worker: worker.annotators())
        job.done.connect(lambda sets: self._read(job, project, sets))
        self._reading = job
        job.start()

    def _read(self, job: BackgroundRead, project: Project, sets: list[str]) -> None:
        if job is not self._reading:  # stopped: another project or the user chose
            return
        self._stop_reading()
        own = project.annotator
        shown = set_to_show(sets, own)
        if shown is not None and project.annotation_set == own:
            self._show_set(shown)
            self.hinted = True
            self.show_for(shown, own)

    def _stop_reading(self) -> None:
        job, self._reading = self._reading, None
        if job is not None:
            job.stop()
            job.deleteLater()

    def dismiss(self) -> None:
        """The user chose a set (or another project opens, or it closes): no hint any more."""
        self._stop_reading()
        self.hinted = False
        self.hide()

    def show_for(self, shown: str, own: str) -> None:
        """Say that set ``shown`` is displayed while the user's own set ``own`` is empty."""
        self.text.setText(
            f"You are looking at the {shown} annotations of this project: your own set "
            f"({own!r}) is empty. Edits you make now change the {shown} set. To annotate "
            "yourself, start your own set (later: View > Show and edit another annotation "
            "set, Ctrl+Shift+S).")
        self.show()

    def _own(self) -> None:
        self.dismiss()
        self._start_own()
