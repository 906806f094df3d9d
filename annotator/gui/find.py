"""Finding text: the find bar under the document (Ctrl+F, F3) and the corpus search dialog
(Ctrl+Shift+F) that opens a document at the phrase."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from annotator.core.offsets import find_all
from annotator.gui.dialogs import CorpusSearch

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


class FindBar(QWidget):
    """Find in document: Enter next, Shift+Enter previous, Esc closes (back to the text)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main = window
        self.edit = QLineEdit(placeholderText="Find in document (Enter next, Shift+Enter "
                                              "previous, Esc close)")
        self.edit.setObjectName("findEdit")
        self.edit.installEventFilter(self)
        self.info = QLabel("")
        close = QToolButton()
        close.setText("×")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.info)
        layout.addWidget(close)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.main.view.setFocus()

    def find_next(self, backwards: bool = False) -> bool:
        """Select the next (previous) match of the bar's text in the document."""
        needle = self.edit.text()
        if not needle:
            self.open_bar()
            return False
        found = bool(self.main.view.find_text(needle, backwards))
        self.info.setText("" if found else "not found")
        return found

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.edit and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                back = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.find_next(backwards=back)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return False


def search_corpus(window: MainWindow) -> CorpusSearch | None:
    """Open the corpus search dialog; choosing a document shows it at the first match."""
    project = window.project
    if project is None:
        return None

    def search(query: str) -> list[tuple[str, str, str, int]]:
        out = []
        for doc_id in project.search(query, limit=1000):
            doc = project.document(doc_id)
            n = len(find_all(doc.text, query, whole_words=False))
            out.append((doc_id, doc.name, doc.title, n))
        return out

    dlg = CorpusSearch(window, search)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def chosen(doc_id: str, query: str) -> None:
        window.show_document(doc_id)
        window.find_bar.edit.setText(query)
        window.find_bar.show()
        window.view.find_text(query, False)
        dlg.close()
        window.view.setFocus()

    dlg.documentChosen.connect(chosen)
    dlg.show()
    dlg.query.setFocus()
    return dlg
