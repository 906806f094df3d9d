"""Benchmark of curation mode's edit -> paint (run standalone: python bench/bench_curation.py).

A 100,000-character article (bench_gui's generator) labelled by two annotators (ana and bo,
1,500 spans each on the same tokens, bo's label differs on one in ten), opened in the real
main window offscreen by the curator cy. Each figure is the time from an edit of the gold set
(add a span on a token of the page shown, or delete one; as Ctrl+T and Delete do) to the end
of the paint it caused, over the same edits made first with the gold set shown outside
curation mode (the baseline, same run) and then in curation mode, where every edit also
re-reads the candidates, updates the panel and the candidates drawn on the text. Printed:
median and p90 of each and their ratio.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

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


def edits(app: QApplication, w: MainWindow, rng: random.Random) -> list[float]:
    """EDITS adds and deletes of gold spans on the page shown, each timed to its paint."""
    project, view = w.project, w.view
    assert project is not None and w.current_doc is not None
    doc = project.document(w.current_doc)
    tokens = [(s, e) for s, e in doc.tokens if doc.text[s:e].strip()]
    area = view.text_area
    vp = area.viewport()
    sb = area.verticalScrollBar()
    sb.setValue(sb.maximum() // 3)
    app.processEvents()
    tmap = view.text_map
    assert tmap is not None
    lo = tmap.to_cp(area.cursorForPosition(vp.rect().topLeft()).position())
    hi = tmap.to_cp(area.cursorForPosition(vp.rect().bottomRight()).position())
    page = [t for t in tokens if lo <= t[0] < hi]
    added: list[str] = []
    times = []
    for k in range(EDITS):
        t0 = time.perf_counter()
        if k % 2 == 0 or not added:
            a = rng.choice(page)
            added.append(project.add_span(doc.id, a[0], a[1], "PER").id)
        else:
            project.delete_span(added.pop(rng.randrange(len(added))))
        app.processEvents()  # the paint of what the edit invalidated
        times.append(time.perf_counter() - t0)
        view.settle_layout()
        app.processEvents()
    for sid in added:
        project.delete_span(sid)
    app.processEvents()
    return times


def report(name: str, times: list[float]) -> tuple[float, float]:
    med = statistics.median(times) * 1000
    p90 = sorted(times)[int(len(times) * 0.9)] * 1000
    print(f"{name:<34} median {med:7.1f} ms   p90 {p90:7.1f} ms")
    return med, p90


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
    app.processEvents()
    base = report("gold shown, curation off", edits(app, w, random.Random(1)))
    mode.enter()
    app.processEvents()
    assert mode.marks.marks is not None
    print(f"curation: {len(mode.marks.marks.marks)} open candidates drawn")
    cur = report("curation on (candidates drawn)", edits(app, w, random.Random(1)))
    print(f"ratio curation/off: median {cur[0] / base[0]:.2f}, p90 {cur[1] / base[1]:.2f}")
    mode.leave()
    w.close()


if __name__ == "__main__":
    main()
