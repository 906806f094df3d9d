"""Progress reporting and cancellation for long work (imports, exports)."""

from __future__ import annotations

from collections.abc import Callable

from annotator.errors import AnnotatorError

# progress(done, total or None, message) -> False to cancel
ProgressFn = Callable[[int, int | None, str], bool | None]


class Cancelled(AnnotatorError):
    """The user cancelled a long operation; nothing of it was kept."""


def report(progress: ProgressFn | None, done: int, total: int | None, message: str) -> None:
    if progress is not None and progress(done, total, message) is False:
        raise Cancelled(f"cancelled after {done} of {total if total is not None else '?'}: "
                        "nothing was saved")
