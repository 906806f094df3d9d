"""Dialogs and popups: the keyboard pick popup, annotator name, export options, corpus search,
keyboard shortcuts, and the error box.

Titles, messages and list entries carry text from the schema, the article or the user; they are
shown as plain text (gui.plain_text), and the error box never opens a link (#9.14).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.schema import Schema
from annotator.errors import AnnotatorError
from annotator.gui.keymap import KEYMAP, label_shortcut
from annotator.gui.palette import swatch
from annotator.gui.plain_text import plain_label, plain_message_box

# ---- pick popup ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    text: str = ""
    color: str = ""
    hint: str = ""


class PickPopup(QFrame):
    """A small keyboard popup: type to filter, a digit picks the n-th visible choice, Up/Down
    move, Enter picks, Esc cancels. Emits ``picked(value)`` or ``cancelled()``."""

    picked = Signal(str)
    cancelled = Signal()

    def __init__(self, title: str, choices: list[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("pickPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.choices = choices
        self._done = False
        title_label = plain_label(title)  # "Event type for '<selected text>'": plain (#9.14)
        title_label.setObjectName("pickTitle")
        font = title_label.font()
        font.setBold(True)
        title_label.setFont(font)
        self.filter = QLineEdit(placeholderText="type to filter · 1-9 pick · Enter")
        self.filter.setObjectName("pickFilter")
        self.list = QListWidget()
        self.list.setObjectName("pickList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.itemClicked.connect(lambda it: self._pick(it))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(title_label)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.filter.textChanged.connect(self._refill)
        self.filter.installEventFilter(self)
        self._refill("")
        self.resize(340, min(420, 90 + 24 * max(3, min(len(choices), 14))))

    def popup_at(self, pos: QPoint) -> None:
        self.move(pos)
        self.show()
        self.raise_()
        self.activateWindow()
        self.filter.setFocus()

    def visible_values(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.list.count())]

    def _refill(self, text: str) -> None:
        needle = text.strip().lower()
        self.list.clear()
        n = 0
        for c in self.choices:
            shown = c.text or c.value
            if needle and needle not in shown.lower() and needle not in c.value.lower():
                continue
            n += 1
            key = str(n) if n <= 9 else " "
            item = QListWidgetItem(f"{key}   {shown}" + (f"    {c.hint}" if c.hint else ""))
            item.setData(Qt.ItemDataRole.UserRole, c.value)
            if c.color:
                item.setIcon(swatch(c.color))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.filter and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress:
            return self._key(event)
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if not self._key(event):
            super().keyPressEvent(event)

    def _key(self, event: QKeyEvent) -> bool:
        k = event.key()
        if Qt.Key.Key_1 <= k <= Qt.Key.Key_9 and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            i = k - Qt.Key.Key_1
            if i < self.list.count():
                self._pick(self.list.item(i))
            return True
        if k in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.list.currentItem()
            if item is not None:
                self._pick(item)
            return True
        if k == Qt.Key.Key_Escape:
            self.close()
            return True
        if k in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            row = self.list.currentRow()
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8,
                    Qt.Key.Key_PageUp: -8}[Qt.Key(k)]
            if self.list.count():
                self.list.setCurrentRow(max(0, min(self.list.count() - 1, row + step)))
            return True
        return False

    def _pick(self, item: QListWidgetItem) -> None:
        if self._done:
            return
        self._done = True
        value = item.data(Qt.ItemDataRole.UserRole)
        self.close()
        self.picked.emit(value)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._done:
            self._done = True
            self.cancelled.emit()
        super().closeEvent(event)


# ---- small dialogs ------------------------------------------------------------------------


def ask_annotator_name(parent: QWidget | None, current: str = "") -> str | None:
    name, ok = QInputDialog.getText(
        parent, "Annotator name",
        "Your name (every edit is recorded under it; asked once and remembered):",
        QLineEdit.EchoMode.Normal, current)
    name = name.strip()
    return name if ok and name else None


def show_error(parent: QWidget | None, error: BaseException | str, title: str = "Error") -> None:
    if isinstance(error, (AnnotatorError, str)):
        text = str(error)
        detail = ""
    else:
        text = f"{type(error).__name__}: {error}"
        detail = "".join(traceback.format_exception(error))
    box = plain_message_box(QMessageBox.Icon.Warning, title, text, parent)
    box.setObjectName("errorBox")
    if detail:
        box.setDetailedText(detail)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


class ShortcutsDialog(QDialog):
    """Help > Keyboard shortcuts: every key of keymap.py plus this schema's label keys."""

    def __init__(self, parent: QWidget | None = None,
                 label_keys: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
        self.filter = QLineEdit(placeholderText="Filter")
        rows: list[tuple[str, str, str]] = [(", ".join(k.keys), k.description, k.group)
                                            for k in KEYMAP]
        rows += [(key, f"Label the selection {label}", "Labels (this schema)")
                 for label, key in label_keys if key]
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Keys", "Action", "Group"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for r, (keys, desc, group) in enumerate(rows):
            for c, text in enumerate((keys, desc, group)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self.filter.textChanged.connect(self._filter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 620)

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def row_texts(self) -> list[str]:
        return [self._cell(r, 0) for r in range(self.table.rowCount())]

    def _filter(self, text: str) -> None:
        t = text.lower()
        for r in range(self.table.rowCount()):
            hay = " ".join(self._cell(r, c).lower() for c in range(3))
            self.table.setRowHidden(r, bool(t) and t not in hay)


class ExportDialog(QDialog):
    """Format, documents (done / all), split, annotation set and output path."""

    def __init__(self, parent: QWidget | None, formats: dict[str, str], sets: list[str],
                 default_dir: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setObjectName("exportDialog")
        self.format = QComboBox()
        self.format.setObjectName("exportFormat")
        for name, help_text in formats.items():
            self.format.addItem(f"{name} — {help_text}", name)
        self.done_only = QRadioButton("Documents marked done")
        self.all_docs = QRadioButton("All documents")
        self.done_only.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.done_only)
        group.addButton(self.all_docs)
        docs = QHBoxLayout()
        docs.addWidget(self.done_only)
        docs.addWidget(self.all_docs)
        docs.addStretch(1)
        self.set_combo = QComboBox()
        self.set_combo.addItem("default (gold if present)", "")
        for s in sets:
            self.set_combo.addItem(s, s)
        self.split = QLineEdit(placeholderText="e.g. 0.8,0.1,0.1 (empty: no split)")
        self.split.setObjectName("exportSplit")
        self.out = QLineEdit(str(Path(default_dir) / "export"))
        self.out.setObjectName("exportOut")
        self.options_edit = QLineEdit(placeholderText="KEY=VALUE ..., e.g. scheme=BILOU "
                                      "(docs/formats.md)")
        self.options_edit.setObjectName("exportOptions")
        self.options_error = plain_label("")  # why the options were refused
        self.options_error.setObjectName("exportOptionsError")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Documents:", docs)
        form.addRow("Annotation set:", self.set_combo)
        form.addRow("Split:", self.split)
        form.addRow("Output:", out_row)
        form.addRow("Options:", self.options_edit)
        form.addRow("", self.options_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 240)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Export to folder", self.out.text())
        if path:
            self.out.setText(str(Path(path) / "export"))

    def options(self) -> dict[str, object]:
        """The writer options typed in (checked as ``annotator export -O`` checks them)."""
        from annotator.formats.writer_options import options_from_cli

        return options_from_cli(self.format.currentData(), self.options_edit.text().split())

    def accept(self) -> None:
        """Export only with options the writer has; otherwise say why and stay open."""
        from annotator.errors import AnnotatorError

        try:
            self.options()
        except AnnotatorError as exc:
            self.options_error.setText(str(exc))
            return
        super().accept()

    def values(self) -> tuple[str, str, str, str, str]:
        """(format, output path, documents "done"/"all", split text, annotation set)."""
        return (self.format.currentData(), self.out.text().strip(),
                "all" if self.all_docs.isChecked() else "done", self.split.text().strip(),
                self.set_combo.currentData() or "")


class CorpusSearch(QDialog):
    """Ctrl+Shift+F: documents containing a phrase; Enter opens one."""

    documentChosen = Signal(str, str)  # (doc_id, query)

    def __init__(self, parent: QWidget,
                 search: Callable[[str], list[tuple[str, str, str, int]]]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search all documents")
        self.setObjectName("corpusSearch")
        self._search = search
        self.query = QLineEdit(placeholderText="Phrase to find in every document; Enter")
        self.query.setObjectName("corpusQuery")
        self.results = QListWidget()
        self.results.setObjectName("corpusResults")
        self.status = plain_label("")  # repeats the user's query
        self.status.setObjectName("corpusStatus")
        self.query.returnPressed.connect(self.run_search)
        self.results.itemActivated.connect(self._open)
        self.query.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.resize(560, 420)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.query and isinstance(event, QKeyEvent) and \
                event.type() == QEvent.Type.KeyPress and \
                event.key() == Qt.Key.Key_Down and self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return True
        return False

    def run_search(self) -> None:
        query = self.query.text().strip()
        if not query:
            return
        if self.results.count() and self.results.property("query") == query:
            self._open(self.results.currentItem() or self.results.item(0))
            return
        self.results.clear()
        self.results.setProperty("query", query)
        hits = self._search(query)
        for doc_id, name, title, n in hits:
            item = QListWidgetItem(f"{name}  —  {title}   ({n} hit{'s' if n != 1 else ''})")
            item.setData(Qt.ItemDataRole.UserRole, doc_id)
            self.results.addItem(item)
        self.status.setText(f"{len(hits)} document(s) contain {query!r}; Enter opens the "
                            "selected one")
        if hits:
            self.results.setCurrentRow(0)

    def _open(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.documentChosen.emit(item.data(Qt.ItemDataRole.UserRole),
                                     self.query.text().strip())


def label_key_rows(schema: Schema) -> list[tuple[str, str]]:
    return [(t.name, label_shortcut(t.hotkey))
            for t in [*schema.entity_types, *schema.value_types] if t.selectable]


def status_color(severity: str) -> QColor:
    return QColor("#B3261E" if severity == "error" else "#8A6100")
