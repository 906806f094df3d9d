"""Merge of annotators' work packages, against a bare SQLite copy of the same rows.

Builds a project of ``--docs`` articles, assigns them to ``--files`` annotators (no shared
part, so every package holds docs/files documents), fills every package document with
``--spans`` spans, then times, on fresh copies of the project:

* baseline: ``ATTACH`` each package and ``INSERT ... SELECT`` its span rows into the project
  (what a hand-written copy would do, with no checks and no report);
* ``annotator merge PROJECT FILE ...``, end to end through the command line (checks, diff
  report, backup, one transaction).

Prints both times, the ratio baseline/merge (issue #13 asks at least 0.3 at 20 files x 1,000
documents x 100 spans) and the peak RSS of the merge process.

    python bench/bench_merge.py --files 4 --docs 2000 --spans 100
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import annotator
from annotator.core.model import Annotations, Span, new_id
from annotator.store.migrations import current_version
from annotator.team import assign

WORDS = ["Rebels", "attacked", "Kabul", "on", "Monday", "while", "John", "Smith", "of",
         "Reuters", "watched"]


def build(folder: Path, files: int, docs: int, spans: int) -> tuple[Path, list[Path]]:
    """The project and its filled packages (cached in ``folder`` by size)."""
    project = folder / "team.annproj"
    packages = [folder / "out" / f"a{i}.annproj" for i in range(files)]
    if project.exists() and all(p.exists() for p in packages) and \
            all(_version(p) == current_version() for p in (project, *packages)):
        return project, packages
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    text = " ".join(WORDS * (spans // len(WORDS) + 1))
    starts = [i for i in range(len(text)) if i == 0 or text[i - 1] == " "][:spans]
    with annotator.create_project(project, annotator="lead") as p:
        p.add_documents(annotator.DocumentInput(text=f"{text} {n}.", name=f"d{n}")
                        for n in range(docs))
        assign(p, [f"a{i}" for i in range(files)], folder / "out", shared=0.0)
    for i, path in enumerate(packages):
        with annotator.open_project(path, annotator=f"a{i}") as pkg:
            items = []
            for doc_id in pkg.document_ids():
                ann = Annotations([Span(id=new_id(), doc_id=doc_id, start=s,
                                        end=text.index(" ", s) if " " in text[s:] else len(text),
                                        label="PER") for s in starts], [], [])
                items.append((doc_id, f"a{i}", ann, "done"))
            pkg.replace_annotation_sets(items)
    return project, packages


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def baseline(project: Path, packages: list[Path]) -> float:
    target = project.with_name("baseline.annproj")
    shutil.copy(project, target)
    t0 = time.perf_counter()
    conn = sqlite3.connect(target)
    span_cols = ", ".join(f'"{r[1]}"' for r in conn.execute("PRAGMA table_info(spans)"))
    status_cols = ", ".join(f'"{r[1]}"' for r in conn.execute("PRAGMA table_info(doc_status)"))
    for i, path in enumerate(packages):
        conn.execute(f"ATTACH DATABASE ? AS p{i}", (str(path),))
        with conn:
            conn.execute(f"INSERT INTO spans ({span_cols}) SELECT {span_cols} FROM p{i}.spans")
            conn.execute(f"INSERT OR REPLACE INTO doc_status ({status_cols}) "
                         f"SELECT {status_cols} FROM p{i}.doc_status")
        conn.execute(f"DETACH DATABASE p{i}")
    conn.close()
    seconds = time.perf_counter() - t0
    target.unlink()
    return seconds


def merge_cli(project: Path, packages: list[Path]) -> tuple[float, float]:
    target = project.with_name("merged.annproj")
    shutil.copy(project, target)
    script = ("import resource, sys\nfrom annotator.cli import main\n"
              "try:\n    main(sys.argv[1:])\nfinally:\n"
              "    print('peak_rss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
              "file=sys.stderr)\n")
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, "merge", str(target),
                           *map(str, packages)], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(f"merge failed: {done.stderr.strip()}")
    rss = next(int(line.split()[1]) for line in done.stderr.splitlines()
               if line.startswith("peak_rss_kb"))
    for extra in target.parent.glob("merged.before-merge-*"):
        extra.unlink()
    target.unlink()
    return seconds, rss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=4)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--spans", type=int, default=100)
    args = ap.parse_args()
    folder = Path(tempfile.gettempdir()) / f"bench_merge_{args.files}_{args.docs}_{args.spans}"
    t0 = time.perf_counter()
    project, packages = build(folder, args.files, args.docs, args.spans)
    print(f"built {args.files} packages x {args.docs // args.files} documents x {args.spans} "
          f"spans in {time.perf_counter() - t0:.1f} s ({folder})")
    base = baseline(project, packages)
    merged, rss = merge_cli(project, packages)
    rows = args.docs * args.spans
    print(f"baseline ATTACH + INSERT ... SELECT: {base:.2f} s ({rows / base:,.0f} spans/s)")
    print(f"annotator merge (CLI end to end):   {merged:.2f} s ({rows / merged:,.0f} spans/s), "
          f"peak RSS {rss:.0f} MB")
    print(f"ratio baseline/merge: {base / merged:.2f} (target >= 0.3)")


if __name__ == "__main__":
    main()
