"""spaCy DocBin export speed: ``run_export(project, "spacy", ...)`` against a minimal hand-written
script that builds the same DocBin (same documents, same spans) from the Project API.

The corpus is N generated news-length articles (``bench/corpus.py`` templates and names, about
3,200 characters each) with ~20 gold spans per document (PER/ORG/GPE name mentions), imported
with ``project.add_documents`` and marked done. The project is cached in ``--keep`` (default: the
temp folder) and reused by later runs with the same ``--docs``.

Printed: both times, documents per second, and ratio = baseline_time / our_time (target >= 0.5,
i.e. the full exporter -- loss report, span groups, user_data, relations sidecar, config.cfg --
costs at most twice a bare DocBin loop).

Usage: python bench/bench_export.py [--docs 10000] [--keep DIR] [--repeat 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import ORGS, PEOPLE, PLACES, generate_articles  # noqa: E402

import annotator  # noqa: E402
from annotator.core.model import Annotations, Span, new_id  # noqa: E402
from annotator.core.offsets import find_all  # noqa: E402
from annotator.core.project import DocumentInput  # noqa: E402
from annotator.formats.export import ExportOptions, run_export  # noqa: E402

LABELS = ([(p, "PER") for p in PEOPLE] + [(o.removeprefix("the "), "ORG") for o in ORGS]
          + [(p, "GPE") for p in PLACES])
SPANS_PER_DOC = 20


def gold_spans(text: str, rng: random.Random) -> list[Span]:
    """~20 non-overlapping name mentions spread over the article."""
    found = []
    for name, label in LABELS:
        found.extend((s, e, label) for s, e in find_all(text, name))
    found.sort()
    chosen, last_end = [], -1
    for s, e, label in found:
        if s >= last_end:
            chosen.append((s, e, label))
            last_end = e
    if len(chosen) > SPANS_PER_DOC:
        chosen = sorted(rng.sample(chosen, SPANS_PER_DOC))
    return [Span(id=new_id(), doc_id="", start=s, end=e, label=label, kind="entity",
                 status="gold", origin="import") for s, e, label in chosen]


def build_project(path: Path, n: int) -> annotator.Project:
    if path.exists():
        project = annotator.open_project(path, annotator="gold")
        if project.document_count() == n:
            print(f"reusing {path} ({n} documents)")
            return project
        project.close()
        path.unlink()
    t0 = time.perf_counter()
    texts = generate_articles(n, seed=11, target_chars=3200)
    rng = random.Random(5)
    project = annotator.create_project(path, schema="ace2005-news", annotator="gold")
    docs = (DocumentInput(text=t, name=f"article-{i:05d}", status={"gold": "done"},
                          sets={"gold": Annotations(gold_spans(t, rng))})
            for i, t in enumerate(texts))
    rep = project.add_documents(docs, total=n)
    print(f"built {path}: {rep.summary()} in {time.perf_counter() - t0:.1f} s")
    return project


def baseline(project: annotator.Project, out: Path) -> tuple[float, int]:
    """What a user would write by hand: Doc(words, spaces) + char_span + DocBin.add."""
    import spacy
    from spacy.tokens import Doc, DocBin

    from annotator.nlp.tokenize import words_and_spaces

    t0 = time.perf_counter()
    nlp = spacy.blank(project.lang)
    db = DocBin(store_user_data=True)
    n_spans = 0
    for doc_id in project.document_ids():
        if project.status(doc_id, "gold") != "done":
            continue
        doc = project.document(doc_id)
        words, spaces = words_and_spaces(doc.text, doc.tokens)
        sdoc = Doc(nlp.vocab, words=words, spaces=spaces)
        spans = [sdoc.char_span(s.start, s.end, label=s.label)
                 for s in project.annotations(doc_id, "gold").spans]
        spans = [s for s in spans if s is not None]
        sdoc.set_ents(spacy.util.filter_spans(spans))
        sdoc.spans["sc"] = spans
        n_spans += len(spans)
        db.add(sdoc)
    db.to_disk(out)
    return time.perf_counter() - t0, n_spans


def ours(project: annotator.Project, out: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    rep = run_export(project, "spacy", out, ExportOptions(annotator="gold"))
    elapsed = time.perf_counter() - t0
    if rep.losses:
        print(f"  note: {len(rep.losses)} loss(es) reported by the exporter")
    return elapsed, sum(rep.spans.values())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the best counts")
    args = ap.parse_args()
    args.keep.mkdir(parents=True, exist_ok=True)
    project = build_project(args.keep / f"bench-export-{args.docs}.annproj", args.docs)
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        # warm the SQLite page cache once so neither side pays for the cold read
        for doc_id in project.document_ids():
            project.document(doc_id)
        base_times, our_times = [], []
        n_base = n_ours = 0
        for r in range(max(1, args.repeat)):
            t, n_base = baseline(project, work / f"baseline-{r}.spacy")
            base_times.append(t)
            t, n_ours = ours(project, work / f"ours-{r}")
            our_times.append(t)
        b, o = min(base_times), min(our_times)
        n = args.docs
        print()
        print(f"spaCy DocBin export of {n} documents ({n_ours} spans)")
        print(f"  baseline (bare DocBin loop):     {b:8.2f} s  {n / b:8.0f} docs/s  "
              f"({n_base} spans)")
        print(f"  ours (run_export 'spacy'):       {o:8.2f} s  {n / o:8.0f} docs/s")
        ratio = b / o
        print(f"  ratio baseline/ours:             {ratio:8.2f}   (target >= 0.5: "
              f"{'met' if ratio >= 0.5 else 'NOT met'})")
        sizes = {p.name: p.stat().st_size for p in (work / "ours-0").iterdir()}
        print(f"  files: {', '.join(f'{k} {v / 1e6:.1f} MB' for k, v in sorted(sizes.items()))}")
    finally:
        project.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
