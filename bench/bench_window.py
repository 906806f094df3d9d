"""Benchmark of the real main window on a project of real size (run: python bench/bench_window.py).

Issue #10.16/#10.17: the document view alone (bench_gui.py) cannot see what the window adds to
every key (the document list, the problems panel, the inspector, the status bar). This drives
the real ``MainWindow`` offscreen on a generated project of 10,000 news-like articles with about
150 spans each in one annotator's set (1.5 million spans; built once through the bulk import
path with ready-made tokens, cached in the temp folder under a name that carries its size),
and measures:

* open + first paint: ``open_project`` until the window has painted the first document (the
  file opened once before, untimed, so that a migration of an older cache is not counted),
  and the share of it that opening the file through the API takes without any window;
* next document: the Next document action until the window is idle and the text painted,
  after the user looked at the document before for ``--look`` ms (untimed: what the window
  does while the user stays, such as reading the next document ahead, runs then; ``--look 0``
  steps back to back, as a held key does); median, p90, p99 and the GUI thread's CPU time;
* label key -> window idle: a real key press (``p``) on a selected free word, until every
  panel the key touched has been updated and the window has painted what the key changed
  (the paints the key itself asked for, counted: a key that paints no text stops the run),
  median and p99 over ``--keys`` presses (at least 200), in wall-clock time and in this
  process's CPU time (which the other load of a shared machine disturbs less). Keys come at
  a fast typist's pace (``--pace``, 100 ms from one key to the next; 0 = back to back): work
  the window defers past idle (timers, a background job's signals) and runs on the GUI
  thread before the next key is counted too, as the GUI thread's CPU time from the key to
  the next one ("key + deferred, GUI CPU"); work deferred longer (the problems check runs
  once the edits pause for 250 ms) falls outside a typist's burst and is not in it.

The same actions on the small demo project (sample_projects/news-demo, eleven articles) are
the baseline measured in the same run; each figure prints its ratio to that baseline and the
target of #10.16 (key p99 < 16 ms, next document < 50 ms, open + first paint < 300 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ANNOTATOR = "bench"
LABELS = ("PER", "ORG", "GPE", "LOC", "FAC", "TIME", "MONEY")
TOKEN = re.compile(r"\w+|[^\w\s]")
DEMO = ROOT / "sample_projects" / "news-demo" / "news-demo.annproj"
TARGETS_MS = {"open": 300.0, "next": 50.0, "key_p99": 16.0}


# ---- the project ---------------------------------------------------------------------------
def _tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)]


def _sentences(text: str) -> list[tuple[int, int]]:
    """One sentence per non-empty line: enough for the views, cheap to build."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _inputs(n_docs: int, spans_per_doc: int) -> Iterator[Any]:
    from annotator.core.inputs import DocumentInput
    from annotator.core.model import Annotations, Span
    from bench.corpus import make_article

    rng = random.Random(11)
    for i in range(n_docs):
        text = make_article(rng, i)
        tokens = _tokens(text)
        words = [t for t in tokens if text[t[0]].isalnum()]
        picked = sorted(rng.sample(words, min(spans_per_doc, len(words))))
        spans = [Span(id=uuid.uuid4().hex, doc_id="", start=s, end=e, label=rng.choice(LABELS))
                 for s, e in picked]
        yield DocumentInput(text=text, name=f"story-{i:05d}", meta={"title": text[:60]},
                            tokens=tokens, sentences=_sentences(text),
                            sets={ANNOTATOR: Annotations(spans=spans)})


def big_project(n_docs: int, spans_per_doc: int) -> Path:
    """The cached project file of that size (built on first use, in about a minute)."""
    import annotator

    path = Path(tempfile.gettempdir()) / f"annotator-bench-window-{n_docs}x{spans_per_doc}.annproj"
    if path.exists():
        return path
    part = path.with_suffix(".part")
    for stale in part.parent.glob(part.name + "*"):
        stale.unlink()
    t0 = time.perf_counter()
    project = annotator.create_project(part, annotator=ANNOTATOR)
    try:
        project.add_documents(_inputs(n_docs, spans_per_doc), total=n_docs)
    finally:
        project.close()
    part.rename(path)
    for stale in part.parent.glob(part.name + "*"):  # the lock file of the build name
        stale.unlink()
    print(f"built {path} ({n_docs} documents, ~{spans_per_doc} spans each) in "
          f"{time.perf_counter() - t0:.0f} s", flush=True)
    return path


def demo_copy() -> Path:
    """A private copy of the demo project (read through SQLite, so a live WAL is included)."""
    out = Path(tempfile.mkdtemp()) / "demo.annproj"
    src = sqlite3.connect(f"file:{DEMO}?mode=ro", uri=True)
    dst = sqlite3.connect(out)
    src.backup(dst)
    src.close()
    dst.close()
    return out


# ---- driving the window --------------------------------------------------------------------
def idle(app: Any, window: Any) -> None:
    """Until the window is idle: every queued event and 0 ms timer (panel updates, inspector
    rebuild) has run, and the window has painted what they changed (Qt's update requests are
    posted events: processing them paints). Not a forced repaint of the whole document view:
    that added a full paint of the text and of its scroll bar to every key (about 2 ms a key,
    most of it the Fusion scroll bar), which no user's key costs; ``label_keys`` checks that
    each key did paint the text."""
    for _ in range(4):
        app.processEvents()


class PaintCount:
    """Counts the paint events of one widget (the text area's viewport)."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        class _Filter(QObject):
            def eventFilter(inner, obj: Any, event: Any) -> bool:  # noqa: N802, N805
                if event.type() == QEvent.Type.Paint:
                    self.n += 1
                return False

        self.n = 0
        self._filter = _Filter()
        widget.installEventFilter(self._filter)


def ms(seconds: float) -> float:
    return seconds * 1000.0


def p99(values: list[float], q: float = 0.99) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def look(app: Any, seconds: float) -> None:
    """The user looks at the document for ``seconds`` (the window's timers run meanwhile)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.002)


def free_words(window: Any) -> list[tuple[int, int]]:
    """Word tokens of the current document that no span covers yet."""
    project, doc_id = window.project, window.current_doc
    index = project.token_index(doc_id)
    text = project.document(doc_id).text
    return [(s, e) for s, e in zip(index.starts, index.ends, strict=True)
            if text[s].isalnum() and not window.view.spans_at(s)]


def step(window: Any, direction: int) -> int:
    """Next (or previous) document, turning round at either end; the direction used."""
    if window.doclist.neighbour(window.current_doc or "", direction) is None:
        direction = -direction
    window.step_document(direction)
    return direction


def focus_view(app: Any, window: Any) -> None:
    window.activateWindow()
    window.view.setFocus()
    for _ in range(50):
        app.processEvents()
        focus = app.focusWidget()
        if focus is not None and (focus is window.view or window.view.isAncestorOf(focus)):
            return
        time.sleep(0.01)
    raise SystemExit("the document view never got the keyboard focus")


def label_keys(app: Any, window: Any, n_keys: int,
               pace: float = 0.1) -> tuple[list[float], list[float], list[float], list[str]]:
    """``n_keys`` presses of the PER key, each on a free word of the current document (moving
    on to the next document when a few are left), one every ``pace`` seconds at most: seconds
    from key press to idle (wall clock and this process's CPU), the GUI thread's CPU seconds
    from the key until ``pace`` after it (the key and the work it deferred that ran before
    the next key), and the ids of the spans the keys made."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    rng = random.Random(5)
    times: list[float] = []
    cpu: list[float] = []
    gui: list[float] = []
    made: list[str] = []
    paints = PaintCount(window.view.text_area.viewport())
    words = free_words(window)
    while len(times) < n_keys:
        if len(words) < 5:
            step(window, +1)
            idle(app, window)
            words = free_words(window)
            continue
        s, e = words.pop(rng.randrange(len(words)))
        window.view.set_text_selection(s, e)
        idle(app, window)
        if not window.view.layout_settled():  # the user's pause between keys (untimed)
            window.view.settle_layout()
            idle(app, window)
        painted = paints.n
        ids_before = set(window.view.shown_spans())
        t0, c0, g0 = time.perf_counter(), time.process_time(), time.thread_time()
        QTest.keyClick(app.focusWidget(), Qt.Key.Key_P)
        idle(app, window)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        selected = window.view.selected_annotation()
        look(app, pace - (time.perf_counter() - t0))  # until the typist's next key
        gui.append(time.thread_time() - g0)
        if not selected or selected[1] in ids_before \
                or selected[1] not in window.view.shown_spans():
            raise SystemExit("a label key did not add a span: the benchmark drives nothing")
        if paints.n == painted:
            raise SystemExit("a label key painted no text: the benchmark times too little")
        made.append(selected[1])
    return times, cpu, gui, made


def remove_spans(path: Path, span_ids: list[str]) -> None:
    """Take the benchmark's own spans out again, so the cached project stays as built."""
    import annotator

    with annotator.open_project(path, annotator=ANNOTATOR) as project, \
            project.compound("remove the benchmark's spans"):
        for span_id in span_ids:
            project.delete_span(span_id)


def measure(path: Path, n_keys: int, n_next: int, look_ms: float = 0.0,
            pace_ms: float = 100.0) -> dict[str, Any]:
    """Open, next document and label keys on ``path`` in a fresh main window."""
    from PySide6.QtWidgets import QApplication

    import annotator
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

    annotator.open_project(path, annotator=ANNOTATOR).close()  # a pending migration, untimed
    t0 = time.perf_counter()
    annotator.open_project(path, annotator=ANNOTATOR).close()
    api_open = time.perf_counter() - t0  # the file's share of the open, without a window
    app = QApplication.instance() or QApplication([])
    window = MainWindow(Settings(), annotator_name=ANNOTATOR)
    window.resize(1400, 900)
    window.show()
    idle(app, window)
    t0 = time.perf_counter()
    window.open_project(str(path))
    idle(app, window)
    window.repaint()  # the whole window's first paint with the document in it
    open_s = time.perf_counter() - t0
    focus_view(app, window)
    nexts, next_cpu = [], []
    direction = +1
    for _ in range(n_next):
        if look_ms:
            look(app, look_ms / 1000)
            idle(app, window)
        t0, c0 = time.perf_counter(), time.thread_time()
        direction = step(window, direction)
        idle(app, window)
        nexts.append(time.perf_counter() - t0)
        next_cpu.append(time.thread_time() - c0)
    keys, keys_cpu, keys_gui, made = label_keys(app, window, n_keys, pace_ms / 1000)
    assert window.project is not None
    docs = window.project.document_count()
    window.close()
    window.deleteLater()
    app.processEvents()
    remove_spans(path, made)
    return {"docs": docs, "open": open_s, "api_open": api_open, "next": nexts, "keys": keys,
            "keys_cpu": keys_cpu, "keys_gui": keys_gui, "next_cpu": next_cpu, "look": look_ms,
            "pace": pace_ms}


def report(base: dict[str, Any], big: dict[str, Any]) -> None:
    rows = [
        ("open + first paint", ms(base["open"]), ms(big["open"]), TARGETS_MS["open"]),
        ("  of which the file (API)", ms(base["api_open"]), ms(big["api_open"]),
         TARGETS_MS["open"]),
        ("next document, median", ms(statistics.median(base["next"])),
         ms(statistics.median(big["next"])), TARGETS_MS["next"]),
        ("next document, p90", ms(p99(base["next"], 0.9)), ms(p99(big["next"], 0.9)),
         TARGETS_MS["next"]),
        ("next document, p99", ms(p99(base["next"])), ms(p99(big["next"])), TARGETS_MS["next"]),
        ("  its GUI-thread CPU, median", ms(statistics.median(base["next_cpu"])),
         ms(statistics.median(big["next_cpu"])), TARGETS_MS["next"]),
        ("  its GUI-thread CPU, p99", ms(p99(base["next_cpu"])), ms(p99(big["next_cpu"])),
         TARGETS_MS["next"]),
        ("label key -> idle, median", ms(statistics.median(base["keys"])),
         ms(statistics.median(big["keys"])), TARGETS_MS["key_p99"]),
        ("label key -> idle, p99", ms(p99(base["keys"])), ms(p99(big["keys"])),
         TARGETS_MS["key_p99"]),
        ("  CPU per key, median", ms(statistics.median(base["keys_cpu"])),
         ms(statistics.median(big["keys_cpu"])), TARGETS_MS["key_p99"]),
        ("  CPU per key, p99", ms(p99(base["keys_cpu"])), ms(p99(big["keys_cpu"])),
         TARGETS_MS["key_p99"]),
        ("key + deferred, GUI CPU, med", ms(statistics.median(base["keys_gui"])),
         ms(statistics.median(big["keys_gui"])), TARGETS_MS["key_p99"]),
        ("key + deferred, GUI CPU, p99", ms(p99(base["keys_gui"])), ms(p99(big["keys_gui"])),
         TARGETS_MS["key_p99"]),
    ]
    print()
    print(f"baseline: demo project ({base['docs']} documents); big: {big['docs']} documents; "
          f"{len(big['keys'])} label keys (one every {big['pace']:.0f} ms at most), "
          f"{len(big['next'])} next-document steps each (each after a {big['look']:.0f} ms look)")
    print(f"{'':28}{'baseline':>11}{'big':>11}{'ratio':>8}{'target':>10}")
    for name, b, g, target in rows:
        flag = "ok" if g < target else "MISSED"
        print(f"{name:28}{b:9.1f}ms{g:9.1f}ms{g / b:7.1f}x{target:8.0f}ms {flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="articles in the big project")
    parser.add_argument("--spans", type=int, default=150, help="spans per article")
    parser.add_argument("--keys", type=int, default=300, help="label keys timed (>= 200)")
    parser.add_argument("--next", type=int, default=60, help="next-document steps timed")
    parser.add_argument("--look", type=float, default=150.0,
                        help="ms the user looks at a document before the next step (untimed)")
    parser.add_argument("--pace", type=float, default=100.0,
                        help="ms from one label key to the next (a fast typist; 0 = back to "
                             "back): the GUI thread's work before the next key is counted")
    parser.add_argument("--project", type=Path, default=None,
                        help="measure this project file (its annotator 'bench') instead of "
                             "the cached one of --docs x --spans")
    args = parser.parse_args()
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()  # the user's settings stay untouched
    path = args.project or big_project(args.docs, args.spans)
    demo = demo_copy()
    try:
        base = measure(demo, args.keys, args.next, args.look, args.pace)
        big = measure(path, args.keys, args.next, args.look, args.pace)
    finally:
        shutil.rmtree(demo.parent, ignore_errors=True)
    report(base, big)


if __name__ == "__main__":
    main()
