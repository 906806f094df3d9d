"""Benchmark: importing a brat collection with annotator vs a minimal hand-written baseline.

    python bench/bench_brat_import.py            # 10,000 articles
    python bench/bench_brat_import.py --docs 500 # quick run
    python bench/bench_brat_import.py --repeat 3 # each side 3 times, alternately; medians

Writes a brat collection of N generated news articles (~2,500 characters, ~20 ``T`` lines,
2 ``E`` lines with 2 arguments each and 3 ``R`` lines per article, plus ``annotation.conf``), then
times:

* **annotator**: ``project.add_documents(brat.read(folder, deferred=True))`` (what
  ``annotator import`` runs: from 512 documents on, the files are read, parsed, checked and
  tokenised in forked worker processes as well as in this one; its CPU time includes theirs)
  into a new project created from the
  collection's ``annotation.conf`` -- reading, parsing and checking every line (TEXT recomputed
  from offsets), spaCy tokenisation and sentence splitting, and writing documents, tokens and
  annotations (with provenance) into the SQLite project in one transaction;
* **baseline**: a minimal importer written for this benchmark: read each ``.txt``/``.ann``,
  split the lines into tuples (no checks, no TEXT verification, no role renumbering), tokenise
  the texts with the *same* spaCy tokenizer (``annotator.nlp.tokenize.get_tokenizer``: we
  tokenise at import, so the baseline must too), and insert documents (text + packed tokens),
  spans, events, arguments and relations into a fresh SQLite file with ``executemany`` in one
  transaction.

A third run writes the same minimal importer's rows into the project's own tables (same
indexes, CHECK constraints, foreign keys, WAL, ``synchronous=FULL``), separating what SQLite
costs any importer of our store from what annotator's Python layers add.

Prints wall and CPU times and the ratio baseline/annotator (target >= 0.5: at most twice as
slow as the bare minimum). ``--repeat N`` runs the three N times, alternately, and prints the
median ratio: on a machine shared with other work, runs minutes apart see different loads. Not collected by pytest (no ``test_`` names; pytest collects only
``tests/``).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PEOPLE = ["Dmitry Medvedev", "Carmen Romero", "Zoë Ibáñez", "Łukasz Wróbel", "Ana Souza",
          "François Müller", "Aïssata Cissé", "Kofi Mensah", "Ingrid Nilsson", "Yuki Tanaka"]
ORGS = ["NATO", "the European Commission", "Brightwell Energy", "Reuters", "the United Nations",
        "the World Health Organization", "Banco Central", "the Red Cross"]
PLACES = ["Brussels", "Moscow", "Lisbon", "Warsaw", "Bamako", "Curitiba", "Kyiv", "Nairobi"]
# (template, event type or None, trigger word); {P} person, {O} organization, {L} place
SENTENCES = [
    ("{P} said on Monday that {O} would resume talks with {O} in {L}.", None, ""),
    ("Officials in {L} said {P} was injured when {O} forces attacked a convoy near {L}.",
     "Attack", "attacked"),
    ("\u201cWe will not accept this,\u201d {P} told reporters in {L}.", None, ""),
    ("{O} shares rose 4.2% after {P} met {P} in {L}.", "Meet", "met"),
    ("Police in {L} arrested {P} after a raid on offices of {O}.", "Arrest", "arrested"),
    ("{P}, a spokeswoman for {O}, said the plan would cost about $300 million.", None, ""),
]
CONF = """[entities]
Person
Organization
GPE
[relations]
Located Arg1:Person|Organization, Arg2:GPE
<OVERLAP> Arg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>
[events]
Attack Attacker?:<ENTITY>, Target?:<ENTITY>, Place?:GPE
Meet Entity*:<ENTITY>, Place?:GPE
Arrest Person?:Person, Place?:GPE, Agent?:<ENTITY>
[attributes]
"""
LABEL = {"P": "Person", "O": "Organization", "L": "GPE"}
POOL = {"P": PEOPLE, "O": ORGS, "L": PLACES}


def make_doc(rng: random.Random, index: int) -> tuple[str, str]:
    """(text, ann) of one article."""
    text_parts: list[str] = [f"Story {index}: talks resume\n\n"]
    pos = len(text_parts[0])
    tlines: list[str] = []
    elines: list[str] = []
    rlines: list[str] = []
    n_t = 0
    sentences = 0
    while n_t < 20:
        template, etype, trigger = rng.choice(SENTENCES)
        slots: list[tuple[str, int]] = []
        trig_tid = ""
        pieces = template.replace("{", "\x00{").replace("}", "}\x00").split("\x00")
        for piece in pieces:
            if piece.startswith("{") and piece.endswith("}"):
                kind = piece[1]
                word = rng.choice(POOL[kind])
                n_t += 1
                tlines.append(f"T{n_t}\t{LABEL[kind]} {pos} {pos + len(word)}\t{word}")
                slots.append((kind, n_t))
                text_parts.append(word)
                pos += len(word)
            else:
                if etype and trigger in piece:
                    at = pos + piece.index(trigger)
                    n_t += 1
                    tlines.append(f"T{n_t}\t{etype} {at} {at + len(trigger)}\t{trigger}")
                    trig_tid = f"T{n_t}"
                text_parts.append(piece)
                pos += len(piece)
        text_parts.append(" ")
        pos += 1
        sentences += 1
        if sentences % 4 == 0:
            text_parts.append("\n\n")
            pos += 2
        if etype and len(elines) < 2:
            args = [f"T{t}" for k, t in slots if k in "PO"][:1] + [
                f"T{t}" for k, t in slots if k == "L"][:1]
            roles = {"Attack": ("Attacker", "Place"), "Meet": ("Entity", "Place"),
                     "Arrest": ("Person", "Place")}[etype]
            elines.append(f"E{len(elines) + 1}\t{etype}:{trig_tid} " + " ".join(
                f"{r}:{a}" for r, a in zip(roles, args, strict=False)))
        ents = [t for k, t in slots if k in "PO"]
        places = [t for k, t in slots if k == "L"]
        if ents and places and len(rlines) < 3:
            rlines.append(f"R{len(rlines) + 1}\tLocated Arg1:T{ents[0]} Arg2:T{places[0]}\t")
    filler = ("The talks are expected to continue for several days, according to people familiar "
              "with the matter, who asked not to be named because the discussions are private. ")
    while pos < 2500:
        text_parts.append(filler)
        pos += len(filler)
    return "".join(text_parts) + "\n", "\n".join(tlines + elines + rlines) + "\n"


def write_collection(folder: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    (folder / "annotation.conf").write_text(CONF, encoding="utf-8")
    for i in range(n):
        text, ann = make_doc(rng, i)
        sub = folder / f"part{i // 1000:02d}"
        sub.mkdir(exist_ok=True)
        with open(sub / f"doc{i:06d}.txt", "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        with open(sub / f"doc{i:06d}.ann", "w", encoding="utf-8", newline="") as fh:
            fh.write(ann)


def run_annotator(folder: Path, out: Path) -> tuple[float, float, int]:
    """(wall, cpu) seconds of ``brat.read`` + ``add_documents`` (project created untimed)."""
    import annotator
    from annotator.formats import brat
    project = annotator.create_project(out, schema=folder / "annotation.conf")
    t0, c0 = time.perf_counter(), _cpu_with_children()
    # deferred, as ``annotator import`` reads a collection: parsed where it is tokenised
    rep = project.add_documents(brat.read(folder, warn=lambda m: None, deferred=True))
    project.close()
    return time.perf_counter() - t0, _cpu_with_children() - c0, rep.spans


def _cpu_with_children() -> float:
    """CPU seconds of this process and its finished children (the import's workers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _parse_and_tokenize(folder: Path) -> tuple[list, list, list, list, list]:
    """The minimal importer's reading half: .ann lines split into tuples (no checks), texts
    tokenised with the project's tokenizer."""
    import numpy as np

    from annotator.nlp.tokenize import get_tokenizer

    docs, spans, events, args, rels = [], [], [], [], []
    texts = []
    for ann_path in sorted(folder.rglob("*.ann")):
        doc_id = f"d{len(docs)}"
        with open(ann_path.with_suffix(".txt"), encoding="utf-8", newline="") as fh:
            text = fh.read()
        texts.append(text)
        docs.append([doc_id, ann_path.relative_to(folder).with_suffix("").as_posix(), text])
        with open(ann_path, encoding="utf-8") as fh:
            for line in fh:
                fields = line.rstrip("\n").split("\t")
                ident = fields[0]
                if ident[0] == "T":
                    label, s, e = fields[1].split()
                    spans.append((f"{doc_id}:{ident}", doc_id, int(s), int(e), label))
                elif ident[0] == "E":
                    head, *rest = fields[1].split()
                    etype, trig = head.split(":")
                    events.append((f"{doc_id}:{ident}", doc_id, etype, f"{doc_id}:{trig}"))
                    for pos, item in enumerate(rest):
                        role, filler = item.split(":")
                        args.append((f"{doc_id}:{ident}:{pos}", f"{doc_id}:{ident}",
                                     role.rstrip("0123456789"), f"{doc_id}:{filler}", pos))
                elif ident[0] == "R":
                    rtype, a1, a2 = fields[1].split()
                    rels.append((f"{doc_id}:{ident}", doc_id, rtype, f"{doc_id}:{a1[5:]}",
                                 f"{doc_id}:{a2[5:]}"))
    tokenizer = get_tokenizer("en")
    for row, (tokens, sentences) in zip(docs, tokenizer.tokenize(texts), strict=True):
        row.append(np.asarray(tokens, dtype="<i4").tobytes())
        row.append(np.asarray(sentences, dtype="<i4").tobytes())
    return docs, spans, events, args, rels


def run_baseline(folder: Path, out: Path) -> tuple[float, float, int]:
    """Minimal: parse + tokenise + executemany into five bare tables (one index)."""
    t0, c0 = time.perf_counter(), time.process_time()
    docs, spans, events, args, rels = _parse_and_tokenize(folder)
    db = sqlite3.connect(out)
    db.executescript("""
        CREATE TABLE docs (id TEXT PRIMARY KEY, name TEXT, text TEXT, tokens BLOB,
                           sentences BLOB);
        CREATE TABLE spans (id TEXT PRIMARY KEY, doc TEXT, start INTEGER, end INTEGER,
                            label TEXT);
        CREATE TABLE events (id TEXT PRIMARY KEY, doc TEXT, type TEXT, trigger TEXT);
        CREATE TABLE args (id TEXT PRIMARY KEY, event TEXT, role TEXT, filler TEXT,
                           position INTEGER);
        CREATE TABLE relations (id TEXT PRIMARY KEY, doc TEXT, type TEXT, head TEXT,
                                tail TEXT);
        CREATE INDEX spans_doc ON spans(doc);
    """)
    with db:
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", docs)
        db.executemany("INSERT INTO spans VALUES (?, ?, ?, ?, ?)", spans)
        db.executemany("INSERT INTO events VALUES (?, ?, ?, ?)", events)
        db.executemany("INSERT INTO args VALUES (?, ?, ?, ?, ?)", args)
        db.executemany("INSERT INTO relations VALUES (?, ?, ?, ?, ?)", rels)
    db.close()
    return time.perf_counter() - t0, time.process_time() - c0, len(spans)


def run_baseline_project_tables(folder: Path, out: Path) -> tuple[float, float, int]:
    """The same minimal importer writing into the project's own tables (same indexes,
    constraints, foreign keys, WAL + synchronous=FULL), i.e. what SQL costs any importer."""
    import hashlib

    import annotator

    annotator.create_project(out, schema=folder / "annotation.conf").close()
    t0, c0 = time.perf_counter(), time.process_time()
    docs, spans, events, args, rels = _parse_and_tokenize(folder)
    stamp = "2026-01-01T00:00:00.000+00:00"
    db = sqlite3.connect(out)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = FULL")
    with db:
        db.executemany(
            "INSERT INTO documents (id, position, name, title, length, meta, lang, content_hash,"
            " tokenizer, created_at) VALUES (?, ?, ?, '', ?, '{}', 'en', ?, 'spacy', ?)",
            [(d[0], i, d[1], len(d[2]), hashlib.sha256(d[2].encode()).hexdigest(), stamp)
             for i, d in enumerate(docs)])
        db.executemany("INSERT INTO document_content VALUES (?, ?, ?, ?)",
                       [(d[0], d[2], d[3], d[4]) for d in docs])
        db.executemany(
            'INSERT INTO spans (id, doc_id, annotator, start, "end", label, kind, status, origin,'
            " created_by, created_at, modified_by, modified_at)"
            " VALUES (?, ?, 'gold', ?, ?, ?, 'entity', 'gold', 'import', 'gold', ?, 'gold', ?)",
            [(*s, stamp, stamp) for s in spans])
        db.executemany(
            "INSERT INTO events (id, doc_id, annotator, type, trigger_id, status, origin,"
            " created_by, created_at, modified_by, modified_at)"
            " VALUES (?, ?, 'gold', ?, ?, 'gold', 'import', 'gold', ?, 'gold', ?)",
            [(*e, stamp, stamp) for e in events])
        db.executemany("INSERT INTO event_args (id, event_id, role, span_id, position)"
                       " VALUES (?, ?, ?, ?, ?)", args)
        db.executemany(
            "INSERT INTO relations (id, doc_id, annotator, type, head_id, tail_id, status,"
            " origin, created_by, created_at, modified_by, modified_at)"
            " VALUES (?, ?, 'gold', ?, ?, ?, 'gold', 'import', 'gold', ?, 'gold', ?)",
            [(*r, stamp, stamp) for r in rels])
    db.close()
    return time.perf_counter() - t0, time.process_time() - c0, len(spans)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000, help="number of articles (10000)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each side this many times, alternately (median ratios)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-brat-"))
    try:
        folder = tmp / "collection"
        t0 = time.perf_counter()
        write_collection(folder, a.docs)
        print(f"wrote {a.docs} documents to {folder} in {time.perf_counter() - t0:.1f}s")
        from annotator.nlp.tokenize import get_tokenizer

        get_tokenizer("en")  # load spaCy once, outside every timing
        runs = []
        for run in range(max(1, a.repeat)):
            for leftover in tmp.glob("*.sqlite*"):
                leftover.unlink()
            for leftover in tmp.glob("*.annproj*"):
                leftover.unlink()
            base = run_baseline(folder, tmp / "baseline.sqlite")
            ours = run_annotator(folder, tmp / "bench.annproj")
            same = run_baseline_project_tables(folder, tmp / "baseline.annproj")
            assert base[2] == ours[2] == same[2], (base[2], ours[2], same[2])
            runs.append((base, ours, same))
            if a.repeat > 1:
                print(f"run {run + 1}: baseline {base[0]:.2f}s, annotator {ours[0]:.2f}s, "
                      f"project tables {same[0]:.2f}s; ratio {base[0] / ours[0]:.2f}")
        base, ours, same = sorted(runs, key=lambda r: r[0][0] / r[1][0])[len(runs) // 2]
        if len(runs) > 1:
            print(f"median of {len(runs)} runs (by the ratio baseline/annotator):")
        print(f"spans: {ours[2]} ({ours[2] / a.docs:.1f} per document)")
        print(f"{'':52} {'wall':>8} {'cpu':>8}")
        print(f"{'baseline (parse + tokenise + executemany, bare tables)':52} "
              f"{base[0]:7.2f}s {base[1]:7.2f}s")
        print(f"{'baseline into the project tables (same SQL cost)':52} "
              f"{same[0]:7.2f}s {same[1]:7.2f}s")
        print(f"{'annotator (brat.read + project.add_documents)':52} "
              f"{ours[0]:7.2f}s {ours[1]:7.2f}s")
        ratio = base[0] / ours[0]
        print(f"ratio baseline/annotator (wall): {ratio:.2f} (target >= 0.5) "
              f"{'OK' if ratio >= 0.5 else 'BELOW TARGET'}; cpu {base[1] / ours[1]:.2f}")
        print(f"ratio project-tables baseline/annotator (wall): {same[0] / ours[0]:.2f}; "
              f"cpu {same[1] / ours[1]:.2f}")
    finally:
        if a.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
