"""The curation dock: a document's candidate annotations, one row each, with annotator columns.

Each row is one distinct annotation some annotator made (``core.curation.Group``): where it
is, its kind, label and details (an event's arguments, a relation's ends), a mark in the
column of every annotator who made it (their attributes in the tooltip), and what gold says
of it. Agreed rows (every annotator made it) are green, disagreements amber, rows already
decided (taken or rejected) grey. The current cell's column picks whose version is taken.
A span an annotator put in a coreference chain shows that chain's mentions in Details.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.curation import Curation, Group
from annotator.core.curation_marks import initials
from annotator.gui.plain_text import make_plain, tooltip

FIXED = ("Text", "Kind", "Label", "Details")
GOLD_TEXT = {"open": "—", "taken": "in gold", "rejected": "rejected"}
ROW_COLOR = {"agreed": "#DDF1E1", "disagreement": "#FBE7C6", "resolved": "#ECECEC"}
MADE = "✓"
# what a refill changes in place (the text is set apart: a new text resizes the columns)
ROLES = (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
         Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole)


def row_kind(group: Group) -> str:
    """agreed | disagreement | resolved: how a row is coloured."""
    if group.resolved:
        return "resolved"
    return "agreed" if group.agreed else "disagreement"


def chain_text(group: Group) -> str:
    """A span's chain as its makers made it: "chain: Russia · it" when they agree, else one
    per annotator ("ana's chain: Russia · it; bo's chain: Russia")."""
    chains = group.chains
    if not chains:
        return ""
    if len(set(chains.values())) == 1 and len(chains) == len(group.made_by):
        return "chain: " + " · ".join(next(iter(chains.values())))
    return "; ".join(f"{who}'s chain: {' · '.join(m)}" for who, m in chains.items())


def _attrs_text(attrs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(attrs.items())) or "no attributes"


class CurationPanel(QWidget):
    """Signals ``groupSelected(row)`` when the current row changes (by key or click)."""

    groupSelected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state: Curation | None = None
        self.annotators: list[str] = []
        self._states: list[str] = []  # the gold state each row shows
        self._state_counts: Counter[str] = Counter()  # rows per gold state shown
        self.summary = make_plain(QLabel(""))
        self.summary.setObjectName("curationSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("curationTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.currentCellChanged.connect(self._on_current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    # ---- filling -----------------------------------------------------------------------
    def show_state(self, state: Curation | None, text: str, current: int = -1) -> None:
        """Show ``state`` (the document's text gives the excerpts); keep row ``current``."""
        self.state = state
        self.annotators = list(state.coders) if state else []
        table = self.table
        table.blockSignals(True)
        table.clear()
        headers = [*FIXED, *self.annotators, "Gold"]
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        groups = state.groups if state else []
        self._states = [g.state for g in groups]
        self._state_counts = Counter(self._states)
        table.setRowCount(len(groups))
        for row, g in enumerate(groups):
            self._fill_row(row, g, text)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        if 0 <= current < len(groups):
            column = table.currentColumn() if table.currentColumn() >= 0 else 0
            table.setCurrentCell(current, column)
        table.blockSignals(False)
        self.summary.setText(self._summary())

    def update_rows(self, rows: list[int], text: str) -> None:
        """Rows ``rows`` of the state shown changed (their gold state): fill them again, in
        place. A changed text makes the header size its columns to their contents again
        (over every row: 20 ms with 1,650 rows), so that happens once per call, not once
        per cell, and not at all when only Gold cells change among the texts that column
        already shows (its width cannot change then)."""
        if self.state is None:
            return
        table = self.table
        table.blockSignals(True)
        before = self._gold_texts()
        texts: list[tuple[QTableWidgetItem, str]] = []
        for row in rows:
            texts += self._refill_row(row, self.state.groups[row], text)
        gold = len(FIXED) + len(self.annotators)
        if texts and all(item.column() == gold for item, _ in texts) and \
                self._gold_texts() == before:
            model = table.model()
            model.blockSignals(True)  # the header hears nothing: no sizing to contents
            try:
                for item, value in texts:
                    item.setText(value)
            finally:
                model.blockSignals(False)
            for item, _ in texts:
                table.viewport().update(table.visualItemRect(item))
        elif texts:
            self._resized_once(texts)
        table.blockSignals(False)
        self.summary.setText(self._summary())

    def _gold_texts(self) -> set[str]:
        """The texts the Gold column shows (from the states its rows show)."""
        return {GOLD_TEXT.get(st, st) for st, n in self._state_counts.items() if n}

    def _resized_once(self, texts: list[tuple[QTableWidgetItem, str]]) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for item, value in texts:
            item.setText(value)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def _row_items(self, g: Group, text: str) -> list[QTableWidgetItem]:
        excerpt = text[g.start:g.end].replace("\n", " ")
        cells = [excerpt if len(excerpt) <= 40 else excerpt[:39] + "…", g.kind, g.label,
                 g.detail or chain_text(g)]
        cells += [MADE if a in g.made_by else "" for a in self.annotators]
        cells.append(GOLD_TEXT.get(g.state, g.state))
        color = QColor(ROW_COLOR[row_kind(g)])
        items = []
        for col, value in enumerate(cells):
            item = QTableWidgetItem(value)
            item.setBackground(color)
            if g.resolved:
                item.setForeground(QColor("#6B6E73"))
            who = self._annotator_of(col)
            if who and who in g.made_by:
                chain = g.chains.get(who)
                in_chain = f"; chain: {' · '.join(chain)}" if chain else ""
                item.setToolTip(tooltip(f"{who}: {_attrs_text(g.attrs.get(who, {}))}"
                                        f"{in_chain}"))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            elif col == 0:
                item.setToolTip(tooltip(text[g.start:g.end]))
            items.append(item)
        return items

    def _fill_row(self, row: int, g: Group, text: str) -> None:
        for col, item in enumerate(self._row_items(g, text)):
            self.table.setItem(row, col, item)

    def _refill_row(self, row: int, g: Group, text: str) -> list[tuple[QTableWidgetItem, str]]:
        """Row ``row`` as ``_fill_row`` makes it, its items changed in place (colours and
        tooltips at once); the (item, text) pairs whose text must change."""
        texts = []
        for col, new in enumerate(self._row_items(g, text)):
            item = self.table.item(row, col)
            if item is None:
                self.table.setItem(row, col, new)
                continue
            for role in ROLES:
                if item.data(role) != new.data(role):
                    item.setData(role, new.data(role))
            if item.text() != new.text():
                texts.append((item, new.text()))
        self._state_counts[self._states[row]] -= 1
        self._state_counts[g.state] += 1
        self._states[row] = g.state
        return texts

    def _summary(self) -> str:
        state = self.state
        if state is None:
            return "No document."
        if len(state.coders) < 2:
            who = state.coders[0] if state.coders else "no annotator"
            lead = f"Only {who} worked on this document: every annotation is left to you."
        else:
            ini = initials(state.coders)
            lead = (f"Annotators: {', '.join(state.coders)} (marked "
                    f"{', '.join(f'{ini[c]} = {c}' for c in state.coders)} on the text: "
                    "solid = agreed, dashed = disagreement).")
        agreed = sum(1 for g in state.groups if g.agreed and not g.resolved)
        return (f"{lead} {len(state.groups)} candidates: {agreed} agreed and open, "
                f"{state.open_disagreements} disagreements open, "
                f"{len(state.groups) - state.open} decided.")

    # ---- reading -----------------------------------------------------------------------
    def _annotator_of(self, column: int) -> str:
        i = column - len(FIXED)
        return self.annotators[i] if 0 <= i < len(self.annotators) else ""

    def current_row(self) -> int:
        return self.table.currentRow()

    def current_annotator(self) -> str:
        """The annotator whose column holds the current cell ("" elsewhere)."""
        return self._annotator_of(self.table.currentColumn())

    def select_row(self, row: int) -> None:
        column = self.table.currentColumn()
        self.table.setCurrentCell(row, column if column >= 0 else 0)
        item = self.table.item(row, 0)
        if item is not None:
            self.table.scrollToItem(item)

    def select_annotator(self, annotator: str) -> None:
        """Move the current cell to ``annotator``'s column (same row)."""
        if annotator in self.annotators:
            row = max(0, self.table.currentRow())
            self.table.setCurrentCell(row, len(FIXED) + self.annotators.index(annotator))

    def _on_current(self, row: int, _col: int, old_row: int, _old_col: int) -> None:
        if row >= 0 and row != old_row:
            self.groupSelected.emit(row)
