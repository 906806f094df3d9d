"""A layout that places its items left to right and wraps them onto new lines (#10.11).

Qt has no flow layout of its own; this is the classic one (Qt's "Flow Layout" example) with
height-for-width, so the inspector's role rows (role name, filler chips, "+" button) reflow in
a narrow dock instead of being cut off on the right.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """With ``hanging=True`` wrapped lines start under the second item (a role's fillers line
    up after its name) when there is room for the widest item there."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4,
                 hanging: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._hanging = hanging
        self.setContentsMargins(0, 0, 0, 0)

    # ---- QLayout interface -----------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        """Everything on one line."""
        width, height = 0, 0
        for item in self._items:
            hint = item.sizeHint()
            width += hint.width() + (self._spacing if width else 0)
            height = max(height, hint.height())
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:  # noqa: N802
        """The widest single item: anything wider wraps."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    # ---- placing -----------------------------------------------------------------------
    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items inside ``rect`` (when ``move``); return the height used."""
        m: QMargins = self.contentsMargins()
        area = rect.marginsRemoved(m)
        items = [item for item in self._items if not item.isEmpty()]
        left = area.x()
        if self._hanging and len(items) > 1:
            indent = items[0].sizeHint().width() + self._spacing
            widest = max(item.sizeHint().width() for item in items[1:])
            if indent + widest <= area.width():
                left = area.x() + indent
        x, y, line_height = area.x(), area.y(), 0
        for item in items:
            hint = item.sizeHint()
            width = min(hint.width(), max(area.width(), item.minimumSize().width()))
            if x > area.x() and x + width > area.right() + 1:
                x, y = left, y + line_height + self._spacing
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()
