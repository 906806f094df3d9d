"""Benchmark of inter-annotator agreement (run standalone: python bench/bench_agreement.py).

Builds a project of N generated articles (default 10,000) that two annotators labelled: the
second agrees with the first on about 85 % of the spans, relabels 10 % and misses 5 %, and
adds some of its own. Then times ``annotator agree`` end to end (a fresh process, tables
printed, JSON written) against a baseline measured in the same run: reading the same two
annotation sets through the API without comparing anything. Target (issue #13): under 10 s
for 10,000 documents on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import NAMES, generate_articles  # noqa: E402

LABELS = ["PER", "ORG", "GPE", "LOC"]


def spans_of(text: str) -> list[tuple[int, int, str]]:
    out = []
    for name in NAMES:
        start = text.find(name)
        while start >= 0:
            out.append((start, start + len(name), LABELS[NAMES.index(name) % len(LABELS)]))
            start = text.find(name, start + len(name))
    return out


def build(path: Path, n: int) -> None:
    import annotator
    from annotator.core.inputs import DocumentInput
    from annotator.core.model import Annotations, Span

    rng = random.Random(5)

    def spans(items: list[tuple[int, int, str]]) -> list[Span]:
        return [Span(id=uuid.uuid4().hex, doc_id="", start=s, end=e, label=lab)
                for s, e, lab in items]

    def inputs():
        for i, text in enumerate(generate_articles(n)):
            first = spans_of(text)
            second = []
            for s, e, lab in first:
                roll = rng.random()
                if roll < 0.85:
                    second.append((s, e, lab))
                elif roll < 0.95:
                    second.append((s, e, rng.choice([x for x in LABELS if x != lab])))
            yield DocumentInput(text=text, name=f"a{i:05d}", sets={
                "ana": Annotations(spans=spans(first)), "bo": Annotations(spans=spans(second))})

    with annotator.create_project(path, annotator="ana") as p:
        p.add_documents(inputs())


def read_only_baseline(path: Path) -> float:
    import annotator

    t0 = time.perf_counter()
    with annotator.open_project(path, readonly=True) as p:
        for doc_id in p.document_ids():
            p.annotations(doc_id, "ana")
            p.annotations(doc_id, "bo")
            p.token_index(doc_id)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--project", type=Path, default=None,
                        help="keep the built project here and reuse it when it exists")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.project or Path(tmp) / "team.annproj"
        if not path.exists():
            build(path, args.docs)
        base = read_only_baseline(path)
        out = Path(tmp) / "agree.json"
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "annotator", "agree", str(path), "--json",
                               str(out)], capture_output=True, text=True,
                              env={**os.environ, "COLUMNS": "160"})
        seconds = time.perf_counter() - t0
        if done.returncode:
            raise SystemExit(done.stderr)
        data = json.loads(out.read_text(encoding="utf-8"))
        f1 = data["average_f1"]["spans"]
        print(f"agree over {args.docs:,} documents, two annotators: {seconds:.2f} s end to end "
              f"(reading both sets through the API: {base:.2f} s; ratio {seconds / base:.2f}); "
              f"span F1 {f1:.3f}, alpha {data['krippendorff_alpha']:.3f}; target < 10 s")


if __name__ == "__main__":
    main()
