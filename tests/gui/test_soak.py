"""Soak: 20,000 editing and navigation key presses in one GUI session, no crash, bounded memory.

Actions are real key presses to the focused widget (label keys, Tab, Delete, Ctrl+Z/Ctrl+Shift+Z,
Ctrl+PgDown/PgUp, Alt+Right, Ctrl+Alt+arrows), chosen by a seeded RNG; the event loop runs every
few actions so the coalesced panel refreshes (problems, document list, inspector) run too.
Memory: resident set size (from /proc) compared between the first and last thousand actions.
"""

from __future__ import annotations

import gc
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import annotator
from tests.gui.helpers_mainwindow import demo_project, isolate_settings, open_window

pytestmark = pytest.mark.gui

K = Qt.Key
NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
ACTIONS = int(os.environ.get("SOAK_ACTIONS", "20000"))


def rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: peak RSS is the best we have
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@pytest.fixture
def fast_dir(tmp_path):
    """tmpfs when there is one: the soak measures the GUI, not the disk's fsync latency
    (every edit is a commit, flushed to disk by the WAL-sync thread)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        d = Path(tempfile.mkdtemp(prefix="annotator-soak-", dir=shm))
        yield d
        shutil.rmtree(d, ignore_errors=True)
    else:
        yield tmp_path


def test_soak_20000_actions(qtbot, tmp_path, fast_dir):
    isolate_settings(tmp_path)
    path = demo_project(fast_dir)
    # ana's own set (asked for: an empty own set would otherwise show the gold set, #10.2)
    w = open_window(qtbot, path, document="russia-nato-meeting", annotation_set="ana")
    rng = random.Random(1234)
    label_keys = [K.Key_P, K.Key_O, K.Key_G, K.Key_L, K.Key_T]
    moves = (
        [((K.Key_Right, ALT),)] * 30  # select the next token
        + [((K.Key_Right, ALT), (K.Key_Right, ALT | SHIFT))] * 6  # two tokens
        + [((k, NO),) for k in label_keys] * 5  # label / relabel
        + [((K.Key_Tab, NO),)] * 14 + [((K.Key_Tab, SHIFT),)] * 4  # select spans
        + [((K.Key_Delete, NO),)] * 5  # delete the selected annotation
        + [((K.Key_Z, CTRL),)] * 7 + [((K.Key_Z, CTRL | SHIFT),)] * 4  # undo / redo
        + [((K.Key_Right, CTRL | ALT),), ((K.Key_Left, CTRL | ALT),)] * 2  # resize
        + [((K.Key_PageDown, CTRL),)] * 2 + [((K.Key_PageUp, CTRL),)] * 2  # documents
        + [((K.Key_Escape, NO),)] * 2
    )
    samples: dict[str, int] = {}
    done = 0
    start = time.perf_counter()
    while done < ACTIONS:
        for key, mod in rng.choice(moves):
            target = QApplication.focusWidget()
            if target is None or not (target is w.view or w.view.isAncestorOf(target)):
                if w.popup is not None:
                    w.popup.close()
                w.activateWindow()
                w.view.setFocus()
                target = w.view
            qtbot.keyClick(target, key, mod)
            done += 1
        if done % 100 < 3:
            QApplication.processEvents()
        if done >= 1000 and "first" not in samples:
            gc.collect()
            samples["first"] = rss_bytes()
        if done >= ACTIONS - 1000 and "last_start" not in samples:
            gc.collect()
            samples["last_start"] = rss_bytes()
    QApplication.processEvents()
    gc.collect()
    samples["end"] = rss_bytes()
    elapsed = time.perf_counter() - start
    growth = samples["end"] - samples["first"]
    last_growth = samples["end"] - samples["last_start"]
    print(f"\n{done} actions in {elapsed:.1f}s; RSS first-1000 {samples['first'] / 2**20:.1f} MiB, "
          f"end {samples['end'] / 2**20:.1f} MiB (growth {growth / 2**20:.1f} MiB, last 1000: "
          f"{last_growth / 2**20:.1f} MiB); undo depth {len(w.project._history._undo)}")
    # the undo history legitimately grows with every edit (row images, a few hundred bytes
    # each); anything beyond ~60 MiB over 19,000 actions would be a leak
    assert growth < 60 * 2**20
    assert last_growth < 8 * 2**20
    # the session is still healthy: problems computed, edits land in the file
    assert w.project is not None and w.current_doc
    from annotator.gui.live_dictionary import live_dictionary_of

    live = live_dictionary_of(w)  # its job writes the last edits' proposals: let it end
    qtbot.waitUntil(lambda: not live.running and not live.timer.isActive(), timeout=30_000)
    w.refresh_panels()
    counts = {d.id: d.annotation_count for d in w.project.documents()}
    w.close()
    p = annotator.open_project(path, readonly=True, annotator="ana")
    assert {d.id: d.annotation_count for d in p.documents()} == counts
    p.close()
