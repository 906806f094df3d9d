"""Pausing Python's cyclic garbage collector while a bulk import runs.

An import allocates hundreds of thousands of objects that die by reference counting, and the
collector would rescan the live ones again and again (1.5 s of a 10,000-document brat import).
Imports may run on several threads at once (the GUI's worker and a CLI call in tests), so the
pause is counted: the collector comes back when the last import ends, and only if it was on.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pauses = 0  # imports running that paused the collector
_was_enabled = True
_lock = threading.Lock()


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Run the body with the cyclic garbage collector off (reference counting still frees)."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
