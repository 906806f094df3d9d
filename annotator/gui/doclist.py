"""The document list dock: name, title, status, annotation count, gold status; filters.

The gold column (not started, partly curated, curated: the status of the ``gold`` set) is
shown once a project has a gold set or curation is on, and can be filtered like the status.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.curation import GOLD_STATES
from annotator.core.model import DocumentSummary
from annotator.gui.plain_text import tooltip

STATUS_TEXT = {"new": "new", "in_progress": "in progress", "done": "done"}
STATUS_COLOR = {"new": "#8A8D93", "in_progress": "#C77C02", "done": "#2E8540"}
COLUMNS = ("Name", "Title", "Status", "Ann.", "Gold")
GOLD_COLUMN = 4
GOLD_TEXT = GOLD_STATES  # not started, partly curated, curated
Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class DocumentModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.docs: list[DocumentSummary] = []
        self._row: dict[str, int] = {}
        self.gold: dict[str, str] = {}  # document id -> status of the gold set

    def set_gold(self, gold: dict[str, str]) -> None:
        """The gold status of every document; rows whose status changed are repainted."""
        old, self.gold = self.gold, dict(gold)
        for doc_id in {k for k in old.keys() | gold.keys() if old.get(k) != gold.get(k)}:
            row = self._row.get(doc_id, -1)
            if row >= 0:
                self.dataChanged.emit(self.index(row, GOLD_COLUMN), self.index(row, GOLD_COLUMN))

    def gold_of(self, doc_id: str) -> str:
        return self.gold.get(doc_id, "new")

    def set_documents(self, docs: list[DocumentSummary]) -> None:
        self.beginResetModel()
        self.docs = list(docs)
        self._row = {d.id: i for i, d in enumerate(self.docs)}
        self.endResetModel()

    def update_documents(self, docs: list[DocumentSummary]) -> None:
        """Refresh counts/statuses in place (same documents); reset when the set changed."""
        if [d.id for d in docs] != [d.id for d in self.docs]:
            self.set_documents(docs)
            return
        for i, (old, new) in enumerate(zip(self.docs, docs, strict=True)):
            if old != new:
                self.docs[i] = new
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    def row_of(self, doc_id: str) -> int:
        return self._row.get(doc_id, -1)

    def update_document(self, doc: DocumentSummary) -> None:
        """Refresh one listed document's row (after an edit of it)."""
        row = self._row.get(doc.id, -1)
        if row >= 0 and self.docs[row] != doc:
            self.docs[row] = doc
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.docs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        d = self.docs[index.row()]
        col = index.column()
        if col == GOLD_COLUMN:
            return self._gold_data(d.id, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return (d.name, d.title, STATUS_TEXT.get(d.status, d.status),
                    d.annotation_count if d.annotation_count >= 0 else "…")[col]  # -1: counting
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(f"{d.name}\n{d.title}\n{STATUS_TEXT.get(d.status, d.status)}, "
                           f"{d.annotation_count} annotations, {d.length} characters")
        if role == Qt.ItemDataRole.ForegroundRole and col == 2:
            return QColor(STATUS_COLOR.get(d.status, "#8A8D93"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return d.id
        if role == SORT_ROLE:
            return (d.name.lower(), d.title.lower(), ("new", "in_progress", "done").index(
                d.status) if d.status in ("new", "in_progress", "done") else 3,
                d.annotation_count)[col]
        return None

    def _gold_data(self, doc_id: str, role: int) -> Any:
        status = self.gold_of(doc_id)
        if role == Qt.ItemDataRole.DisplayRole:
            return GOLD_TEXT.get(status, status)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(STATUS_COLOR.get(status, "#8A8D93"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"gold: {GOLD_TEXT.get(status, status)}"
        if role == SORT_ROLE:
            return ("new", "in_progress", "done").index(status) \
                if status in ("new", "in_progress", "done") else 3
        if role == Qt.ItemDataRole.UserRole:
            return doc_id
        return None


class DocumentFilter(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.status = ""
        self.gold = ""  # "" = any gold status
        self.setSortRole(SORT_ROLE)
        self.uncertainty: dict[str, tuple[float, float]] | None = None  # None: not that order

    def set_uncertainty(self, scores: dict[str, tuple[float, float]] | None) -> None:
        """Order by the model's (lowest, mean) score per document, least confident first,
        documents without scores last in project order; None: back to the header's order."""
        self.uncertainty = scores
        self.invalidate()
        self.sort(0 if scores is not None else -1, Qt.SortOrder.AscendingOrder)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        if self.uncertainty is None:
            return super().lessThan(left, right)
        model: DocumentModel = self.sourceModel()  # type: ignore[assignment]
        none = (2.0, 2.0)  # scores are in [0, 1]: no score sorts after every score

        def key(index: Index) -> tuple[tuple[float, float], int]:
            d = model.docs[index.row()]
            return self.uncertainty.get(d.id, none) if self.uncertainty else none, index.row()

        return key(left) < key(right)

    def set_filter(self, text: str, status: str, gold: str = "") -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+
            self.beginFilterChange()
            self.text, self.status, self.gold = text.strip().lower(), status, gold
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.text, self.status, self.gold = text.strip().lower(), status, gold
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802
        model: DocumentModel = self.sourceModel()  # type: ignore[assignment]
        d = model.docs[row]
        if self.status and d.status != self.status:
            return False
        if self.gold and model.gold_of(d.id) != self.gold:
            return False
        return not self.text or self.text in d.name.lower() or self.text in d.title.lower()


def _order_choice() -> QComboBox:
    """The document order: as listed (a header click sorts) or by the model's uncertainty."""
    combo = QComboBox()
    combo.setObjectName("documentOrder")
    combo.setToolTip("Order: as listed (click a header to sort) or by the trained model's "
                     "uncertainty, least confident first")
    combo.addItem("Order: as listed", "")
    combo.addItem("Order: by uncertainty", "uncertainty")
    return combo


def _gold_filter() -> QComboBox:
    """The gold status filter (hidden until the project has a gold set)."""
    combo = QComboBox()
    combo.setObjectName("goldFilter")
    combo.setToolTip("Filter by gold status")
    for text, value in (("Any gold", ""), ("Not started", "new"),
                        ("Partly curated", "in_progress"), ("Curated", "done")):
        combo.addItem(text, value)
    combo.hide()
    return combo


class DocumentList(QWidget):
    """Signals ``documentActivated(doc_id)`` when the user picks a document."""

    documentActivated = Signal(str)
    orderChanged = Signal(str)  # "" project/header order, "uncertainty" (the window answers)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentModel(self)
        self.proxy = DocumentFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_edit = QLineEdit(placeholderText="Filter by name or title")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setObjectName("documentFilter")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusFilter")
        for text, value in (("All", ""), ("New", "new"), ("In progress", "in_progress"),
                            ("Done", "done")):
            self.status_combo.addItem(text, value)
        self.gold_combo = _gold_filter()
        self.order_combo = _order_choice()
        self.table = QTableView()
        self.table.setObjectName("documentTable")
        self.table.setModel(self.proxy)
        self._set_up_table()
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)
        self.filter_edit.textChanged.connect(self._refilter)
        self.status_combo.currentIndexChanged.connect(self._refilter)
        self.gold_combo.currentIndexChanged.connect(self._refilter)
        self.order_combo.currentIndexChanged.connect(
            lambda _i: self.orderChanged.emit(self.order_combo.currentData() or ""))
        self.filter_edit.returnPressed.connect(self._open_first)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.status_combo)
        top.addWidget(self.gold_combo)
        top.addWidget(self.order_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._current = ""

    def _set_up_table(self) -> None:
        """Rows selected whole, read-only, sortable by a header click; fixed column widths."""
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)  # click a header to sort; next/previous follow it
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # project order by default
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(36)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, 140)
        header.resizeSection(2, 72)
        header.resizeSection(3, 46)
        header.setSectionResizeMode(GOLD_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(GOLD_COLUMN, 92)
        self.table.setColumnHidden(GOLD_COLUMN, True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header.setHighlightSections(False)
        header.sectionClicked.connect(self._header_sorted)

    # ---- data --------------------------------------------------------------------------
    def set_documents(self, docs: list[DocumentSummary]) -> None:
        self.model.set_documents(docs)
        self.select(self._current)

    def update_documents(self, docs: list[DocumentSummary]) -> None:
        self.model.update_documents(docs)
        self.select(self._current)

    def update_document(self, doc: DocumentSummary) -> None:
        """One document's row changed (its count or status): that row only, no re-list."""
        self.model.update_document(doc)

    def set_gold_statuses(self, gold: dict[str, str] | None) -> None:
        """Show the gold column with these statuses (None: hide it and its filter)."""
        shown = gold is not None
        self.model.set_gold(gold or {})
        if shown != (not self.table.isColumnHidden(GOLD_COLUMN)):  # room for it in the dock
            self.table.horizontalHeader().resizeSection(0, 96 if shown else 140)
        self.table.setColumnHidden(GOLD_COLUMN, not shown)
        self.gold_combo.setVisible(shown)
        if not shown and self.gold_combo.currentIndex() != 0:
            self.gold_combo.setCurrentIndex(0)
        elif self.proxy.gold:
            self._refilter()  # a document may have left or joined the filtered list

    def set_uncertainty(self, scores: dict[str, tuple[float, float]] | None) -> None:
        """Order the list by these scores (``DocumentFilter.set_uncertainty``); None: as
        listed (the order combo follows)."""
        if scores is None and self.order_combo.currentIndex() != 0:
            self.order_combo.blockSignals(True)
            self.order_combo.setCurrentIndex(0)
            self.order_combo.blockSignals(False)
        self.proxy.set_uncertainty(scores)
        self.select(self._current)

    def _header_sorted(self, section: int) -> None:
        """A header click sorts by that column again, leaving the uncertainty order."""
        if self.proxy.uncertainty is None:
            return
        self.proxy.uncertainty = None
        self.order_combo.blockSignals(True)
        self.order_combo.setCurrentIndex(0)
        self.order_combo.blockSignals(False)
        header = self.table.horizontalHeader()
        self.proxy.invalidate()
        self.proxy.sort(section, header.sortIndicatorOrder())

    def visible_ids(self) -> list[str]:
        return [self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole)
                for r in range(self.proxy.rowCount())]

    def summary(self, doc_id: str) -> DocumentSummary | None:
        row = self.model.row_of(doc_id)
        return self.model.docs[row] if row >= 0 else None

    # ---- selection ---------------------------------------------------------------------
    def select(self, doc_id: str) -> None:
        """Highlight ``doc_id`` (without emitting documentActivated)."""
        self._current = doc_id
        row = self.model.row_of(doc_id)
        if row < 0:
            self.table.clearSelection()
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectionModel().blockSignals(True)
            self.table.setCurrentIndex(index)
            self.table.selectionModel().blockSignals(False)
            self._scroll_to(index)
        else:
            self.table.clearSelection()

    def _scroll_to(self, index: QModelIndex) -> None:
        """Bring the row of ``index`` into view a page at a time: a row just below the view
        goes to its top, one just above to its bottom, one farther away to its middle, and
        a visible row stays where it is. (Qt's nearest-edge scrolling moved the whole list by
        one row at every next-document step once the current row reached the bottom: the
        table and its scroll bar painted again at each step, #10.16.)"""
        table = self.table
        rect, view = table.visualRect(index), table.viewport().rect()
        if view.contains(rect):
            return
        hint = QAbstractItemView.ScrollHint
        page = view.height()
        if view.bottom() < rect.bottom() and rect.top() <= view.bottom() + page:
            table.scrollTo(index, hint.PositionAtTop)
        elif rect.top() < view.top() and rect.bottom() >= view.top() - page:
            table.scrollTo(index, hint.PositionAtBottom)
        else:
            table.scrollTo(index, hint.PositionAtCenter)

    def neighbour(self, doc_id: str, step: int) -> str | None:
        """The next (step=1) or previous (-1) visible document after ``doc_id``."""
        n = self.proxy.rowCount()
        if not n:
            return None
        row = self.model.row_of(doc_id)
        at = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
        # by index, not by listing every visible id (10,000 documents: 130 ms); a document
        # not listed or filtered out steps to the first (last) visible one
        first = 0 if step > 0 else n - 1
        i = at.row() + step if at.isValid() else first
        return self.proxy.index(i, 0).data(Qt.ItemDataRole.UserRole) if 0 <= i < n else None

    def set_filter(self, text: str = "", status: str = "", gold: str = "") -> None:
        self.filter_edit.setText(text)
        i = self.status_combo.findData(status)
        self.status_combo.setCurrentIndex(max(0, i))
        self.gold_combo.setCurrentIndex(max(0, self.gold_combo.findData(gold)))

    def _refilter(self) -> None:
        self.proxy.set_filter(self.filter_edit.text(), self.status_combo.currentData() or "",
                              self.gold_combo.currentData() or "")
        self.select(self._current)

    def _activated(self, index: QModelIndex) -> None:
        doc_id = index.data(Qt.ItemDataRole.UserRole) if index.column() == 0 else \
            index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        if doc_id:
            self.documentActivated.emit(doc_id)

    def _open_first(self) -> None:
        ids = self.visible_ids()
        if ids:
            self.documentActivated.emit(ids[0])
