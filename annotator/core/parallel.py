"""Splitting a CPU-bound pass over many documents between forked worker processes.

Why its own module: agreement over ten thousand documents is pure Python work per document
(reading rows, matching, painting tokens), so on a machine with two cores half of the
documents can go to a second process. Forking is cheap (the child inherits the imported
modules) but unsafe beside other threads, so, as the importer does (``nlp.tokenize``), a
process that runs threads other than the store's WAL-sync thread (the GUI) works alone.
``ANNOTATOR_PROCESSES`` decides when set. Each part opens its own connection: a SQLite
connection must not cross a fork.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from annotator.store.walsync import THREAD_NAME

T = TypeVar("T")
R = TypeVar("R")


def processes(count: int, minimum: int, most: int = 2) -> int:
    """How many processes share ``count`` documents: 1 below ``minimum``, without fork, or
    beside other threads (or off the main thread); else up to ``most`` and the core count."""
    import multiprocessing

    setting = os.environ.get("ANNOTATOR_PROCESSES")
    if setting:
        return max(1, int(setting))
    if (count < minimum or sys.platform == "win32"
            or "fork" not in multiprocessing.get_all_start_methods()
            or threading.current_thread() is not threading.main_thread()
            or any(t is not threading.main_thread() and t.name != THREAD_NAME
                   for t in threading.enumerate())):
        return 1
    return max(1, min(most, os.cpu_count() or 1))


def split(items: Sequence[T], parts: int) -> list[list[T]]:
    """``items`` cut into ``parts`` consecutive runs of (nearly) equal length, in order."""
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (i < extra)
        out.append(list(items[start:end]))
        start = end
    return out


def run_parts(worker: Callable[..., R], others: list[tuple[Any, ...]],
              here: Callable[[], R]) -> list[R]:
    """``here()`` in this process while ``worker(*args)`` runs for each of ``others`` in a
    forked process; the results in order (this process's first). ``worker`` must be a
    module-level function and its result picklable."""
    if not others:
        return [here()]
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(len(others)) as pool:
        pending = [pool.apply_async(worker, args) for args in others]
        first = here()
        return [first, *(p.get() for p in pending)]
