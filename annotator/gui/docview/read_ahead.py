"""The next document, read ahead while the user reads the current one (#10.16).

Showing a document reads its text and its annotation set from the project file and indexes
them (``DocIndex``): a few milliseconds of each next-document step on a 150-span article, and
more when the file's pages are not in memory. Once a document has been shown, painted, and the
user stays on it for ``READ_AHEAD_AFTER_MS`` (a held key never waits for it), the document the
user would step to next is read and indexed in that idle time; the step then takes it from
here instead of the file.

The wait starts at the first paint of the document shown, not when it was shown: on a busy
machine painting a new document can take longer than the wait, and a read started before the
paint delayed it by the whole read (~10 ms of CPU on a 150-span article), the slowest
next-document steps of ``bench/bench_window.py``.

What was read ahead is used only while it is current: the project's ``revision()`` (one
pragma) must be the one it was read at, so any commit since, by this window or by any other
connection (a background job, another process), makes the step read the file again, as
does another annotation set or another project.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

from annotator.core.model import Document
from annotator.core.project import Project
from annotator.core.suggestions import without_rejected
from annotator.errors import NotFoundError
from annotator.gui.docview.index import DocIndex

READ_AHEAD_AFTER_MS = 60  # the user stayed on a document this long: read the next one


@dataclass(slots=True, eq=False)
class Loaded:
    """A document and the index of one annotation set of it, as read at ``revision``."""

    project: Project
    who: str
    doc: Document
    index: DocIndex
    revision: tuple[int, int]


def load(project: Project, doc_id: str, who: str) -> Loaded:
    """Read ``doc_id`` and index set ``who`` of it (rejected suggestions left out)."""
    revision = project.revision()
    doc = project.document(doc_id)
    index = DocIndex(doc.text)
    index.load(without_rejected(project.annotations(doc_id, who)))
    return Loaded(project, who, doc, index, revision)


class ReadAhead:
    """Holds at most one document read ahead; ``reads`` counts the documents it read."""

    def __init__(self, parent: QObject) -> None:
        self._want: tuple[Project, str, str] | None = None
        self._ready: Loaded | None = None
        self.reads = 0
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setInterval(READ_AHEAD_AFTER_MS)
        self._timer.timeout.connect(self.run)

    def schedule(self, project: Project, doc_id: str | None, who: str, *,
                 painted: bool) -> None:
        """Read ``doc_id`` (set ``who``) once the user stays for READ_AHEAD_AFTER_MS after the
        document shown was painted (``painted``: it has been; else ``painted()`` starts the
        wait); None: nothing to read ahead. A step meanwhile schedules again."""
        self._want = (project, doc_id, who) if doc_id else None
        self._timer.stop()
        if self._want is not None and painted:
            self._timer.start()

    def painted(self) -> None:
        """The document shown has been painted: start waiting to read the one wanted (a
        later paint while it waits does not postpone the read)."""
        if self._want is not None and not self._timer.isActive():
            self._timer.start()

    def cancel(self) -> None:
        """Forget what was read or wanted (another project)."""
        self._timer.stop()
        self._want = self._ready = None

    @property
    def ready_for(self) -> str | None:
        """The id of the document read ahead (None: none)."""
        return self._ready.doc.id if self._ready is not None else None

    def run(self) -> None:
        """Read the wanted document now (the timer calls this)."""
        self._timer.stop()
        want, self._want = self._want, None
        if want is None or self._current(want):
            return
        project, doc_id, who = want
        try:
            loaded = load(project, doc_id, who)
        except NotFoundError:  # deleted meanwhile: the step will say so
            return
        if project.revision() == loaded.revision:  # nothing committed while reading
            self._ready = loaded
            self.reads += 1

    def take(self, project: Project, doc_id: str, who: str) -> Loaded | None:
        """What was read ahead for ``doc_id`` if it is still current, else None (read it)."""
        ready, self._ready = self._ready, None
        if ready is None or not self._current((project, doc_id, who), ready):
            return None
        return ready

    def _current(self, want: tuple[Project, str, str], ready: Loaded | None = None) -> bool:
        ready = ready or self._ready
        project, doc_id, who = want
        return (ready is not None and ready.project is project and ready.doc.id == doc_id
                and ready.who == who and project.revision() == ready.revision)
