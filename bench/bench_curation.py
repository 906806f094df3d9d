"""Benchmark of curation mode's edit -> paint (run standalone: python bench/bench_curation.py).

A 100,000-character article (bench_gui's generator) labelled by two annotators (ana and bo,
1,500 spans each on the same tokens, bo's label differs on one in ten), opened in the real
main window offscreen by the curator cy. Each figure is the time from an edit of the gold set
(add a span on a token of the page shown, or delete one; as Ctrl+T and Delete do) to the end
of the paint it caused, over the same edits made first with the gold set shown outside
curation mode (the baseline, same run) and then in curation mode, where every edit also
settles the candidates it touched (from its Changes), their panel rows and the candidates
drawn on the text; then edits that decide a candidate (delete a gold span taken from the
annotators: its candidate opens again; add it back: taken). Printed: median, p90 and p99 of
each (wall clock, to the end of the paint) and the mean CPU time per edit (the machine may be
shared: compare CPU and same-run ratios), and the ratio curation/off.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from annotator.core.project import Project
    from annotator.gui.main_window import MainWindow

EDITS = 60
SPANS = 1_500


def build(tmp: Path) -> Path:
    import annotator
    from bench.bench_gui import SCHEMA, article

    rng = random.Random(7)
    (tmp / "schema.toml").write_text(SCHEMA, encoding="utf-8")
    path = tmp / "curation.annproj"
    with annotator.create_project(path, schema=tmp / "schema.toml", annotator="ana") as p:
        text = article(100_000, rng)
        doc = p.add_document(text, name="long-article")
        tokens = [(s, e) for s, e in doc.tokens if text[s:e].strip()]
        picks = sorted(rng.sample(range(len(tokens)), SPANS))
        labels = [rng.choice(["PER", "ORG", "GPE"]) for _ in picks]
        for who in ("ana", "bo"):
            p.annotation_set = who
            with p.compound(f"{who}'s spans"):
                for k, (i, label) in enumerate(zip(picks, labels, strict=True)):
                    if who == "bo" and k % 10 == 0:
                        label = "TIME"
                    p.add_span(doc.id, *tokens[i], label)
            p.set_status(doc.id, "done")
    print(f"setup: {len(text):,} characters, {SPANS:,} spans per annotator, "
          f"{SPANS // 10} disagreements")
    return path


def window(app: QApplication, path: Path) -> MainWindow:
    from PySide6.QtCore import QSettings

    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(path.parent / "settings"))
    w = MainWindow(Settings(), annotator_name="cy")
    w.resize(1400, 900)
    w.open_project(str(path), document="long-article")
    w.show()
    app.processEvents()
    return w


def page_tokens(app: QApplication, w: MainWindow) -> list[tuple[int, int]]:
    """The tokens of the page shown (a third of the way down)."""
    project, view = w.project, w.view
    assert project is not None and w.current_doc is not None
    doc = project.document(w.current_doc)
    area = view.text_area
    vp = area.viewport()
    sb = area.verticalScrollBar()
    sb.setValue(sb.maximum() // 3)
    app.processEvents()
    tmap = view.text_map
    assert tmap is not None
    lo = tmap.to_cp(area.cursorForPosition(vp.rect().topLeft()).position())
    hi = tmap.to_cp(area.cursorForPosition(vp.rect().bottomRight()).position())
    return [(s, e) for s, e in doc.tokens if doc.text[s:e].strip() and lo <= s < hi]


def timed(app: QApplication, w: MainWindow, edit: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds from ``edit`` to the end of the paint it caused."""
    t0, c0 = time.perf_counter(), time.process_time()
    edit()
    app.processEvents()  # the paint of what the edit invalidated
    times = time.perf_counter() - t0, time.process_time() - c0
    w.view.settle_layout()
    app.processEvents()
    return times


def _add(project: Project, ids: list[str], doc_id: str, start: int, end: int,
         label: str) -> None:
    ids.append(project.add_span(doc_id, start, end, label).id)


def edits(app: QApplication, w: MainWindow, rng: random.Random) -> list[tuple[float, float]]:
    """EDITS adds and deletes of gold spans on the page shown, each timed to its paint."""
    project = w.project
    assert project is not None and w.current_doc is not None
    doc_id = w.current_doc
    page = page_tokens(app, w)
    added: list[str] = []
    times = []
    for k in range(EDITS):
        if k % 2 == 0 or not added:
            start, end = rng.choice(page)
            times.append(timed(app, w, partial(_add, project, added, doc_id, start, end, "PER")))
        else:
            sid = added.pop(rng.randrange(len(added)))
            times.append(timed(app, w, partial(project.delete_span, sid)))
    for sid in added:
        project.delete_span(sid)
    app.processEvents()
    return times


def deciding_edits(app: QApplication, w: MainWindow,
                   rng: random.Random) -> list[tuple[float, float]]:
    """EDITS edits that decide a candidate: delete a gold span taken from the annotators (its
    candidate opens again: drawn on the text, its panel row refilled), then add it back
    (taken again)."""
    project = w.project
    assert project is not None and w.current_doc is not None
    doc_id = w.current_doc
    page = set(page_tokens(app, w))
    taken = [s for s in project.annotations(doc_id, "gold").spans if (s.start, s.end) in page]
    times = []
    for _ in range(EDITS // 2):
        s = rng.choice(taken)
        taken.remove(s)
        times.append(timed(app, w, partial(project.delete_span, s.id)))
        back: list[str] = []
        times.append(timed(app, w, partial(_add, project, back, doc_id, s.start, s.end,
                                           s.label)))
        taken.append(project.span(back[0]))
    return times


def report(name: str, times: list[tuple[float, float]]) -> tuple[float, float]:
    wall = sorted(t for t, _ in times)
    med = statistics.median(wall) * 1000
    p90 = wall[int(len(wall) * 0.9)] * 1000
    p99 = wall[min(len(wall) - 1, int(len(wall) * 0.99))] * 1000
    cpu = statistics.mean(c for _, c in times) * 1000
    print(f"{name:<40} median {med:6.1f} ms  p90 {p90:6.1f} ms  p99 {p99:6.1f} ms  "
          f"CPU {cpu:5.1f} ms/edit")
    return med, p90


def settle(app: QApplication, w: MainWindow, seconds: float = 2.0) -> None:
    """Let what showing the document (again) started finish before timing edits: right
    after curation mode comes on, the view is still giving paragraphs their room and the
    first edits' paints are not the ones later edits get."""
    w.view.settle_layout()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from annotator.gui.curation import curation_of

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    w = window(app, build(Path(tempfile.mkdtemp(prefix="bench_curation_"))))
    mode = curation_of(w)
    mode.enter()
    mode.take_agreed()  # gold holds what both agree on; the disagreements stay open
    app.processEvents()
    mode.leave()
    w.set_annotation_set("gold")
    settle(app, w)
    base = report("gold shown, curation off", edits(app, w, random.Random(1)))
    mode.enter()
    settle(app, w)
    assert mode.marks.marks is not None
    print(f"curation: {len(mode.marks.marks.marks)} open candidates drawn")
    cur = report("curation on (candidates drawn)", edits(app, w, random.Random(1)))
    print(f"ratio curation/off: median {cur[0] / base[0]:.2f}, p90 {cur[1] / base[1]:.2f}")
    report("curation on, edits deciding a candidate", deciding_edits(app, w, random.Random(2)))
    mode.leave()
    w.close()


if __name__ == "__main__":
    main()
