"""The problems dock: every Problem of the current document; Enter or a click jumps to it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.validate import Problem
from annotator.gui import theme
from annotator.gui.plain_text import plain_label, tooltip


class ProblemsPanel(QWidget):
    problemActivated = Signal(object)  # Problem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = plain_label("No problems")
        self.summary.setObjectName("problemsSummary")
        self.tree = QTreeWidget()
        self.tree.setObjectName("problemsTree")
        self.tree.setHeaderLabels(["Severity", "Problem", "Where"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().resizeSection(0, 80)
        self.tree.header().resizeSection(1, 560)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.problems: list[Problem] = []
        self._checking = False  # "Checking…" is shown until the next set_problems

    def set_problems(self, problems: list[Problem]) -> None:
        order = {"error": 0, "warning": 1}
        problems = sorted(problems, key=lambda p: (order.get(p.severity, 2), p.start, p.message))
        if problems == self.problems and not self._checking:
            return
        self._checking = False
        self.problems = problems
        self.tree.clear()
        items = []
        for i, p in enumerate(problems):
            where = f"{p.start}–{p.end}" if p.start >= 0 else ""
            item = QTreeWidgetItem([p.severity, p.message, where])
            item.setData(0, Qt.ItemDataRole.UserRole, i)
            item.setToolTip(1, tooltip(p.message))  # messages quote labels and text
            items.append(item)
        self.tree.addTopLevelItems(items)
        self._color_severities()
        errors = sum(p.severity == "error" for p in problems)
        self.summary.setText("No problems" if not problems else
                             f"{errors} error(s), {len(problems) - errors} warning(s)")

    def set_checking(self) -> None:
        """Another document is shown; its problems follow in a moment."""
        self.problems = []
        self._checking = True
        self.tree.clear()
        self.summary.setText("Checking…")

    def _color_severities(self) -> None:
        err, warn = theme.error_color(), theme.warning_color()
        for i, p in enumerate(self.problems):
            item = self.tree.topLevelItem(i)
            if item is not None:
                item.setForeground(0, err if p.severity == "error" else warn)

    def changeEvent(self, e: QEvent) -> None:  # noqa: N802
        if e.type() == QEvent.Type.PaletteChange:  # View > Theme: the theme's red and amber
            self._color_severities()
        super().changeEvent(e)

    def current_index(self) -> int:
        item = self.tree.currentItem()
        return int(item.data(0, Qt.ItemDataRole.UserRole)) if item else -1

    def step(self, delta: int) -> Problem | None:
        """Select the next/previous problem (wrapping) and return it."""
        if not self.problems:
            return None
        i = (self.current_index() + delta) % len(self.problems)
        item = self.tree.topLevelItem(i)
        if item is not None:
            self.tree.setCurrentItem(item)
        return self.problems[i]

    def _activated(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        i = int(item.data(0, Qt.ItemDataRole.UserRole))
        if 0 <= i < len(self.problems):
            self.problemActivated.emit(self.problems[i])
