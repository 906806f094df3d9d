"""Which document the window shows when it opens a project: the one asked for on the command
line (a name or an id), else the last one shown in that project, else the first listed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.errors import NotFoundError

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


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
