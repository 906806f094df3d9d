"""Opening a DocumentView on a document, shown offscreen, as the document view tests need."""

from __future__ import annotations

from annotator.gui.docview import DocumentView


def open_doc_view(qtbot, project, doc_id: str, width: int = 700, height: int = 420, *,
                  all_arcs: bool = False) -> DocumentView:
    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(width, height)
    view.set_project(project)
    view.show_document(doc_id)
    view.show_all_arcs = all_arcs
    view.show()
    qtbot.waitExposed(view)
    return view
