"""Undo history kept beside the data: each step is the list of row changes one operation made.

Undo writes the before-images back in reverse order; redo writes the after-images forward.
Because every operation, simple or compound, is recorded the same way, every caller (API,
CLI, GUI) gets identical undo behaviour, and the history lasts until the project is closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass(slots=True)
class RowChange:
    """One row written or removed: ``before`` None = inserted, ``after`` None = deleted."""

    table: str
    before: Row | None
    after: Row | None
    doc_id: str = ""


@dataclass(slots=True)
class Step:
    label: str
    changes: list[RowChange] = field(default_factory=list)


class History:
    """Two stacks of steps; a new step clears the redo stack."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._undo: list[Step] = []
        self._redo: list[Step] = []

    def push(self, step: Step) -> None:
        if not step.changes:
            return
        self._undo.append(step)
        if len(self._undo) > self.limit:
            del self._undo[0]
        self._redo.clear()

    def pop_undo(self) -> Step | None:
        return self._undo.pop() if self._undo else None

    def pop_redo(self) -> Step | None:
        return self._redo.pop() if self._redo else None

    def pushed_back_for_redo(self, step: Step) -> None:
        self._redo.append(step)

    def pushed_back_for_undo(self, step: Step) -> None:
        self._undo.append(step)

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def __len__(self) -> int:
        return len(self._undo)
