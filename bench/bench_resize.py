"""Benchmark of resizing the document view (run standalone: python bench/bench_resize.py).

bench_gui's project (a 100,000-character article, 3,000 spans, 500 arcs), all arcs shown, in a
window resized in steps of 10 px between 1000 and 900 px wide and back, scrolled to the middle
of the article: each step is timed from the resize to the completed paint (what a user
dragging the window's edge waits for), wall clock and CPU time, with the arc planning's share
(ArcPlans.make); the same resizes of the same text in a bare QTextEdit (Qt's own relayout)
are the baseline. The view is measured twice in one run, so that both figures see the same
machine load: planning at once only the blocks near the screen (the view's way, the rest in
idle slices, whose total is printed too) and every block at once (``room.PLAN_VISIBLE_FIRST``
off: the way before).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

WIDTHS = [1000 - 10 * k for k in range(1, 11)] + [900 + 10 * k for k in range(1, 11)]


def _steps(app: Any, widget: Any, plan_cpu: list[float]
           ) -> tuple[list[float], list[float], list[float]]:
    """(wall, CPU, planning CPU) seconds of each resize step through WIDTHS, until painted."""
    walls, cpus, plans = [], [], []
    for w in WIDTHS:
        before = sum(plan_cpu)
        t0, c0 = time.perf_counter(), time.process_time()
        widget.resize(w, 760)
        app.processEvents()
        widget.grab()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        plans.append(sum(plan_cpu) - before)
    return walls, cpus, plans


def _med(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:7.1f} ms"


def main() -> None:
    from bench_gui import build_project
    from PySide6.QtWidgets import QApplication, QTextEdit

    from annotator.gui.docview import DocumentView, arc_plans, room

    app = QApplication.instance() or QApplication([])
    project, doc, text, _, _ = build_project()

    plan_cpu: list[float] = []
    make = arc_plans.ArcPlans.make

    def timed_make(self: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        try:
            return make(self, *args, **kwargs)
        finally:
            plan_cpu.append(time.process_time() - t0)

    arc_plans.ArcPlans.make = timed_make  # type: ignore[method-assign]

    bare = QTextEdit()
    bare.resize(1000, 760)
    bare.show()
    bare.setPlainText(text)
    app.processEvents()
    bare.verticalScrollBar().setValue(bare.verticalScrollBar().maximum() // 2)
    base, base_cpu, _ = _steps(app, bare, plan_cpu)
    bare.close()

    view = DocumentView()
    view.resize(1000, 760)
    view.set_project(project)
    view.show_all_arcs = True
    view.show()
    view.show_document(doc.id)
    view.grab()
    sb = view.text_area.verticalScrollBar()
    sb.setValue(sb.maximum() // 2)
    app.processEvents()
    print(f"\n{len(WIDTHS)} resize steps of 10 px (1000 -> 900 -> 1000 px wide), middle of the "
          "article, each until painted: median wall / CPU / arc planning CPU")
    print(f"  bare QTextEdit (Qt relayout only)  : {_med(base)} / {_med(base_cpu)}")
    for first in (True, False):
        room.PLAN_VISIBLE_FIRST = first
        walls, cpus, plans = _steps(app, view, plan_cpu)
        t0 = time.process_time()
        while not view.layout_settled():  # the idle slices after the last step
            app.processEvents()
        rest = time.process_time() - t0
        name = "near the screen first" if first else "every block at once  "
        print(f"  DocumentView, {name}: {_med(walls)} / {_med(cpus)} / {_med(plans)}"
              f"   (worst wall {max(walls) * 1000:.1f} ms)")
        if first:
            print(f"      then the idle slices planned the rest: CPU {rest * 1000:.1f} ms")
    view.close()
    project.close()


if __name__ == "__main__":
    main()
