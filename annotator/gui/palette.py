"""The label palette dock: every span label with its colour swatch and key, then event types.

Clicking (or Enter on) a label applies it to the document view's selection; the main window
does the work (``labelChosen(label, kind)``, kind "span" or "event").
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.schema import Schema
from annotator.gui.keymap import label_shortcut
from annotator.gui.plain_text import tooltip

FALLBACK_COLOR = "#BBBBBB"


def swatch(color: str, size: int = 14) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(color or FALLBACK_COLOR))
    p.setPen(QColor(0, 0, 0, 90))
    p.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    p.end()
    return QIcon(pm)


class LabelPalette(QWidget):
    labelChosen = Signal(str, str)  # (label, "span" | "event")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_edit = QLineEdit(placeholderText="Filter labels")
        self.filter_edit.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("labelTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Label", "Key"])
        self.tree.setRootIsDecorated(False)
        self.tree.setIconSize(QSize(14, 14))
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().resizeSection(1, 48)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        self.filter_edit.textChanged.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)
        self.items: dict[str, QTreeWidgetItem] = {}

    def set_schema(self, schema: Schema) -> None:
        self.tree.clear()
        self.items.clear()
        groups = (("Entities", schema.entity_types, "span"), ("Values", schema.value_types, "span"),
                  ("Events", schema.event_types, "event"))
        for title, all_types, kind in groups:
            types = [t for t in all_types if t.selectable]
            if not types:
                continue
            head = QTreeWidgetItem(self.tree, [title, ""])
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setFirstColumnSpanned(True)
            for t in types:
                text = t.name if not t.label or t.label == t.name else f"{t.name}  ·  {t.label}"
                item = QTreeWidgetItem(self.tree, [text, label_shortcut(t.hotkey)])
                item.setIcon(0, swatch(schema.color_of(t.name)))
                item.setData(0, Qt.ItemDataRole.UserRole, (t.name, kind))
                item.setToolTip(0, tooltip(f"{t.name} ({kind}); click to apply to the "
                                           "selection"))
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignCenter)
                self.items[t.name] = item

    def click_label(self, label: str) -> None:
        """Programmatic click (tests, scripting)."""
        item = self.items[label]
        self._clicked(item, 0)

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if data:
            self.labelChosen.emit(*data)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for name, item in self.items.items():
            item.setHidden(bool(needle) and needle not in name.lower()
                           and needle not in item.text(0).lower())
