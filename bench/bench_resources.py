"""Benchmark of time and peak memory on big inputs (run standalone: python bench/bench_resources.py).

Issue #9.15 asks two things of the resources a user's machine spends:

* opening one document with 100,000 spans in the real main window (offscreen) until its first
  paint, against the same document read through the API in the same run (the baseline: what
  the data costs before any widget exists); target under 3 s and under 1 GB peak RSS;
* exports that stream: the peak RSS of an export of N documents and of 2N documents, for the
  native JSONL and the spaCy DocBin formats; a flat memory use prints a ratio near 1.0 (a
  ratio near 2.0 means the export holds every document in memory). The reading connection's
  SQLite page cache (64 MiB, store/connection.py) and the allocator fill up over the first
  ~10,000 documents of this corpus (an 8,000/16,000-document DocBin export measured 162 and 177
  MB, flat from 10,000 on), so N defaults to 8,000: smaller pairs measure that filling.

Each measurement runs in its own process, so that its peak RSS (``ru_maxrss`` of the child) is
its own. ``--spans`` and ``--docs`` make a quick run smaller.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ANNOTATOR = "bench"
WORDS = ["NATO", "Moscow", "officials", "said", "on", "Monday", "that", "the", "talks", "in",
         "Brussels", "would", "resume", "after", "a", "pause", "of", "two", "weeks", "."]
LABELS = ["PER", "ORG", "GPE", "LOC", "FAC"]


def big_document(n_spans: int, seed: int = 3) -> tuple[str, list[tuple[int, int, str]]]:
    """A text of about n_spans words in 40-word paragraphs, and one span per word."""
    rng = random.Random(seed)
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for i in range(n_spans):
        word = rng.choice(WORDS)
        sep = "\n\n" if i and i % 40 == 0 else (" " if i else "")
        pos += len(sep)
        parts.append(sep + word)
        spans.append((pos, pos + len(word), rng.choice(LABELS)))
        pos += len(word)
    return "".join(parts), spans


def build_project(path: Path, docs: list[tuple[str, list[tuple[int, int, str]]]]) -> None:
    """A project file holding these documents with their spans in the bench annotator's set."""
    import annotator
    from annotator.core.inputs import DocumentInput
    from annotator.core.model import Annotations, Span

    project = annotator.create_project(path, annotator=ANNOTATOR)
    try:
        def inputs():
            for i, (text, spans) in enumerate(docs):
                ann = Annotations(spans=[Span(id=uuid.uuid4().hex, doc_id="", start=s, end=e,
                                              label=label) for s, e, label in spans])
                yield DocumentInput(text=text, name=f"doc{i:05d}", sets={ANNOTATOR: ann})
        project.add_documents(inputs())
    finally:
        project.close()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_api(path: str) -> dict[str, float]:
    import annotator

    t0 = time.perf_counter()
    project = annotator.open_project(path, annotator=ANNOTATOR, readonly=True)
    doc = project.documents()[0]
    ann = project.annotations(doc.id)
    index = project.token_index(doc.id)
    seconds = time.perf_counter() - t0
    assert ann.spans and index is not None
    project.close()
    return {"seconds": seconds, "peak_mb": _peak_mb(), "spans": len(ann.spans)}


def measure_gui(path: str) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()  # the user's own settings stay untouched
    app = QApplication.instance() or QApplication([])
    window = MainWindow(Settings(), annotator_name=ANNOTATOR)
    window.resize(1400, 900)
    t0 = time.perf_counter()
    window.show()
    window.open_project(path)
    app.processEvents()
    window.grab()  # the first paint of the window with the document in it
    seconds = time.perf_counter() - t0
    shown = window.current_doc is not None
    window.close()
    return {"seconds": seconds, "peak_mb": _peak_mb(), "shown": float(shown)}


def measure_export(path: str, fmt: str) -> dict[str, float]:
    out = Path(tempfile.mkdtemp()) / ("out.jsonl" if fmt == "jsonl" else "out.spacy")
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "annotator", "export", path, "--format", fmt,
                           "--out", str(out), "--documents", "all"], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(f"export failed: {done.stderr.strip()}")
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": child}


def run_child(kind: str, *args: str) -> dict[str, float]:
    """One measurement in a fresh interpreter, so that its peak memory is its own."""
    done = subprocess.run([sys.executable, __file__, "--child", kind, *args],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def corpus(n_docs: int, spans_per_doc: int) -> list[tuple[str, list[tuple[int, int, str]]]]:
    return [big_document(spans_per_doc, seed=i) for i in range(n_docs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spans", type=int, default=100_000, help="spans in the big document")
    parser.add_argument("--docs", type=int, default=8_000, help="N for the export pair N, 2N")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = {"api": measure_api, "gui": measure_gui}[kind](*rest) if kind != "export" \
            else measure_export(*rest)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.annproj"
        build_project(big, [big_document(args.spans)])
        api = run_child("api", str(big))
        gui = run_child("gui", str(big))
        if not gui["shown"]:
            raise SystemExit("the main window did not show the document")
        print(f"open one document with {args.spans:,} spans")
        print(f"  API read (baseline): {api['seconds']:.2f} s, peak {api['peak_mb']:.0f} MB")
        print(f"  main window + first paint: {gui['seconds']:.2f} s, peak {gui['peak_mb']:.0f} MB"
              f"  (x{gui['seconds'] / api['seconds']:.1f} time, "
              f"x{gui['peak_mb'] / api['peak_mb']:.1f} memory; target < 3 s, < 1024 MB)")
        sizes = (args.docs, 2 * args.docs)
        paths = []
        for n in sizes:
            p = Path(tmp) / f"export{n}.annproj"
            build_project(p, corpus(n, 150))
            paths.append(p)
        for fmt in ("jsonl", "spacy"):
            small, large = (run_child("export", str(p), fmt) for p in paths)
            print(f"export --format {fmt}: {sizes[0]:,} docs peak {small['peak_mb']:.0f} MB "
                  f"({small['seconds']:.1f} s), {sizes[1]:,} docs peak {large['peak_mb']:.0f} MB "
                  f"({large['seconds']:.1f} s); memory ratio {large['peak_mb'] / small['peak_mb']:.2f}"
                  " (flat = 1.0)")


if __name__ == "__main__":
    main()
