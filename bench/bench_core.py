"""Core benchmarks on one generated corpus, each printed as a ratio or against its target.

1. Import throughput of N news-length articles (plain-text files -> project), as a ratio of
   bare spaCy tokenisation of the same texts measured in the same run (target >= 0.7).
2. Median and p99 time of one span edit through the API (target < 2 ms).
3. Time to open the N-document project and list its documents (target < 300 ms).

Usage: python bench/bench_core.py [--docs 10000] [--edits 2000] [--repeat 1] [--keep DIR]

``--repeat N`` times the bare tokenisation and the import N times each, alternately (a fresh
project every time), and prints each pair and the median ratio: on a machine shared with other
work the load changes from one minute to the next, and a ratio of two runs minutes apart
measures that change as much as the import.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import NAMES, generate_articles  # noqa: E402

import annotator  # noqa: E402
from annotator.core.offsets import find_all  # noqa: E402
from annotator.formats.importing import import_paths  # noqa: E402


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the import's workers)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def bare_tokenisation(texts: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of spaCy's tokenizer alone over ``texts``."""
    import spacy

    nlp = spacy.blank("en")
    c0, t0 = cpu_seconds(), time.perf_counter()
    for _ in nlp.tokenizer.pipe(texts, batch_size=256):
        pass
    return time.perf_counter() - t0, cpu_seconds() - c0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--edits", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=1,
                    help="time tokenisation and import this many times, alternately")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep the files")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    texts = generate_articles(args.docs)
    folder = work / "articles"
    folder.mkdir(exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"article-{i:05d}.txt").write_text(text, encoding="utf-8")
    chars = sum(len(t) for t in texts)
    print(f"corpus: {len(texts)} articles, {chars / len(texts):.0f} characters each on average")

    # warm spaCy once so neither side pays the import
    import spacy  # noqa: F401

    annotator.nlp_warm = __import__("annotator.nlp.tokenize").nlp.tokenize.get_tokenizer("en")
    path = work / "bench.annproj"
    pairs: list[tuple[float, float, float, float]] = []
    project = None
    for run in range(max(1, args.repeat)):
        bare, bare_cpu = bare_tokenisation(texts)
        if project is not None:
            project.close()
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        project = annotator.create_project(path, schema="ace2005-news", annotator="bench")
        c0, t0 = cpu_seconds(), time.perf_counter()
        result = import_paths(project, [folder])
        ours, ours_cpu = time.perf_counter() - t0, cpu_seconds() - c0
        assert len(result.added) == len(texts), result.summary()
        pairs.append((bare, ours, bare_cpu, ours_cpu))
        if args.repeat > 1:
            print(f"   run {run + 1}: bare {bare:.2f} s, import {ours:.2f} s, ratio "
                  f"{bare / ours:.2f} (CPU {bare_cpu:.2f} / {ours_cpu:.2f} s)")
    bare, ours, bare_cpu, ours_cpu = sorted(pairs, key=lambda p: p[0] / p[1])[len(pairs) // 2]
    ratio = bare / ours
    print(f"1. import: {len(texts) / ours:,.0f} docs/s ({ours:.2f} s); bare spaCy tokenisation "
          f"{len(texts) / bare:,.0f} docs/s ({bare:.2f} s); ratio {ratio:.2f}"
          f"{f' (median of {len(pairs)})' if len(pairs) > 1 else ''} "
          f"(target >= 0.7: {'OK' if ratio >= 0.7 else 'MISSED'})")
    print(f"   CPU time in all processes: import {ours_cpu:.2f} s, bare {bare_cpu:.2f} s "
          f"(ratio {bare_cpu / ours_cpu:.2f}; the import overlaps reading, tokenising in "
          "worker processes and writing, so a busy machine lowers the first ratio)")

    # 2. span edits through the API on one document
    rng = random.Random(3)
    docs = project.documents()
    timings: list[float] = []
    labels = ["PER", "ORG", "GPE", "LOC"]
    spans: list[str] = []
    for i in range(args.edits):
        doc = docs[rng.randrange(len(docs))]
        kind = i % 4
        t0 = time.perf_counter()
        if kind in (0, 1) or not spans:
            text = project.document(doc.id).text if kind == 0 else None
            if text is None:
                text = project.document(doc.id).text
            hits = find_all(text, rng.choice(NAMES))
            t0 = time.perf_counter()
            if hits:
                s, e = hits[0]
                spans.append(project.add_span(doc.id, s, e, rng.choice(labels)).id)
        elif kind == 2:
            project.update_span(rng.choice(spans), label=rng.choice(labels))
        else:
            project.undo()
            t0 = time.perf_counter()
            project.redo()
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    med = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"2. span edit through the API: median {med:.2f} ms, p99 {p99:.2f} ms over "
          f"{len(timings)} edits (target < 2 ms: {'OK' if p99 < 2 else 'median OK' if med < 2 else 'MISSED'})")
    project.close()

    # 3. open the project and list its documents
    opens = []
    for _ in range(5):
        t0 = time.perf_counter()
        p = annotator.open_project(path, annotator="bench")
        listed = p.documents()
        opens.append((time.perf_counter() - t0) * 1000)
        p.close()
    best, med_open = min(opens), statistics.median(opens)
    print(f"3. open {len(listed)}-document project and list documents: median {med_open:.0f} ms, "
          f"best {best:.0f} ms (target < 300 ms: {'OK' if med_open < 300 else 'MISSED'})")
    print(f"files in {work}")


if __name__ == "__main__":
    main()
