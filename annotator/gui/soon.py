"""A call made once, soon: on this event-loop turn, before the window paints.

Panels that follow an edit (the document list row, the status bar, the inspector) used to be
brought up to date by 0 ms timers. Qt runs those after the paint that the edit's own repaint
asked for, so one label key painted the window two or three times (the text, then the
inspector and the status bar, then what their layouts moved). A posted event of normal
priority is delivered before the window's low-priority update request of the same turn, so
the panels update first and the window paints once (#10.16). Many requests in one turn still
make one call.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject

_TYPE = QEvent.Type(QEvent.registerEventType())


class Soon(QObject):
    """``request()`` calls ``fn`` once on the next pass of the event loop (before painting);
    ``cancel()`` drops a call not made yet."""

    def __init__(self, fn: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._posted = False  # an event is in the queue
        self._wanted = False  # and the call is still wanted

    @property
    def pending(self) -> bool:
        return self._wanted

    def request(self) -> None:
        self._wanted = True
        if not self._posted:
            self._posted = True
            QCoreApplication.postEvent(self, QEvent(_TYPE))

    def cancel(self) -> None:
        self._wanted = False

    def event(self, e: QEvent) -> bool:
        if e.type() == _TYPE:
            self._posted = False
            if self._wanted:
                self._wanted = False
                self._fn()
            return True
        return super().event(e)
