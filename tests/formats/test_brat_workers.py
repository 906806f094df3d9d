"""brat documents read where they are tokenised (``brat.read(..., deferred=True)``, what
``annotator import`` uses): parsed in forked worker processes for a large collection, they give
the project the reader gives when it parses every file in this process; the reader's notes,
skipped files and skipped lines are reported here in document order, and a bad line still
stops the import naming its file and line."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

import annotator
from annotator.core import import_workers
from annotator.errors import InputFormatError
from annotator.formats import brat
from annotator.formats.importing import ImportOptions, import_paths

needs_fork = pytest.mark.skipif(sys.platform == "win32", reason="workers are forked")

CONF = """[entities]
PER
GPE
[relations]
PHYS Arg1:PER, Arg2:GPE
[events]
Meet Entity*:PER, Place?:GPE
[attributes]
Negated Arg:<EVENT>
"""


def _document(i: int) -> tuple[str, str]:
    """(txt, ann) of document ``i``: spans, an event with arguments, a relation, an
    attribute, a reference and a note; some with a discontinuous span."""
    text = f"Sen. Rich Smith met Anna Bell in Kabul on day {i}.\n"
    ann = ("T1\tPER 5 15\tRich Smith\n"
           "T2\tPER 20 29\tAnna Bell\n"
           "T3\tGPE 33 38\tKabul\n"
           "T4\tMeet 16 19\tmet\n"
           "E1\tMeet:T4 Entity:T1 Entity2:T2 Place:T3\n"
           "R1\tPHYS Arg1:T1 Arg2:T3\t\n"
           "A1\tNegated E1\n"
           "N1\tReference T3 Wikidata:Q5838\tKabul\n"
           "#1\tAnnotatorNotes T1\tthe senator\n")
    if i % 7 == 0:
        ann += "T5\tPER 0 4;5 10\tSen. Rich\n"
    return text, ann


def _collection(root: Path, count: int) -> Path:
    root.mkdir()
    (root / "annotation.conf").write_text(CONF, encoding="utf-8")
    for i in range(count):
        text, ann = _document(i)
        (root / f"doc{i:03d}.txt").write_text(text, encoding="utf-8")
        (root / f"doc{i:03d}.ann").write_text(ann, encoding="utf-8")
    return root



def _content(path: Path) -> dict[str, list[tuple]]:
    """What the project holds, ids of annotations replaced by what they stand for (they are
    random per import) and timestamps left out."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        spans = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(
            'SELECT id, doc_id, start, "end" FROM spans')}
        events = {r[0]: (r[1], spans[r[2]]) for r in conn.execute(
            "SELECT id, doc_id, trigger_id FROM events")}
        return {
            "documents": conn.execute(
                "SELECT d.id, d.position, d.name, d.title, d.length, d.meta, d.lang,"
                " d.content_hash, d.tokenizer, c.text, c.tokens, c.sentences"
                " FROM documents d JOIN document_content c ON c.doc_id = d.id"
                " ORDER BY d.position").fetchall(),
            "search": conn.execute("SELECT rowid, text FROM document_content_fts"
                                   " ORDER BY rowid").fetchall(),
            "status": conn.execute("SELECT doc_id, annotator, status FROM doc_status"
                                   " ORDER BY doc_id").fetchall(),
            "spans": sorted(conn.execute(
                'SELECT doc_id, annotator, start, "end", label, kind, attrs, note, kb_id,'
                " status, origin, source, score, fragments, refs FROM spans")),
            "events": sorted((r[0], spans[r[1]], r[2], r[3], r[4]) for r in conn.execute(
                "SELECT doc_id, trigger_id, type, attrs, status FROM events")),
            "arguments": sorted((events[r[0]], r[1], spans[r[2]], r[3]) for r in conn.execute(
                "SELECT event_id, role, span_id, position FROM event_args")),
            "relations": sorted((r[0], r[1], spans[r[2]], spans[r[3]]) for r in conn.execute(
                "SELECT doc_id, type, head_id, tail_id FROM relations")),
        }
    finally:
        conn.close()


@needs_fork
def test_parsed_in_workers_gives_the_project_of_the_serial_reader(tmp_path, small_chunks,
                                                                  monkeypatch) -> None:
    folder = _collection(tmp_path / "c", 60)
    conf = folder / "annotation.conf"
    monkeypatch.setattr(import_workers, "_WORKER", None)
    parallel = annotator.create_project(tmp_path / "p.annproj", schema=conf)
    rep_p = parallel.add_documents(brat.read(folder, warn=lambda m: None, deferred=True))
    parallel.close()
    assert import_workers._WORKER is not None  # a worker was forked and parsed its share
    serial = annotator.create_project(tmp_path / "s.annproj", schema=conf)
    rep_s = serial.add_documents(brat.read(folder, warn=lambda m: None))
    serial.close()
    assert rep_p.summary() == rep_s.summary()
    assert (rep_p.spans, rep_p.events, rep_p.relations) == (60 * 4 + 9, 60, 60)
    got, want = _content(tmp_path / "p.annproj"), _content(tmp_path / "s.annproj")
    assert got == want
    assert len(got["documents"]) == 60 and len(got["arguments"]) == 180


def _ids(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for t in ("spans", "events", "event_args", "relations")
                for r in conn.execute(f"SELECT id FROM {t}")]
    finally:
        conn.close()


@needs_fork
def test_this_process_and_the_worker_make_different_ids(tmp_path, small_chunks) -> None:
    """The worker inherits the reader's id maker: ids made on both sides never clash."""
    folder = _collection(tmp_path / "c", 80)
    project = annotator.create_project(tmp_path / "p.annproj", schema=folder / "annotation.conf")
    project.add_documents(brat.read(folder, warn=lambda m: None, deferred=True))
    project.close()
    ids = _ids(tmp_path / "p.annproj")
    assert len(ids) == len(set(ids)) == 80 * 9 + 12  # 4 spans, an event, 3 arguments, a relation


@needs_fork
def test_a_bad_line_in_a_worker_stops_the_import_naming_file_and_line(tmp_path,
                                                                     small_chunks) -> None:
    folder = _collection(tmp_path / "c", 60)
    bad = folder / "doc047.ann"
    bad.write_text(bad.read_text(encoding="utf-8") + "T9\tPER 500 515\tfar\n",
                   encoding="utf-8")
    project = annotator.create_project(tmp_path / "p.annproj", schema=folder / "annotation.conf")
    with pytest.raises(InputFormatError) as caught:
        import_paths(project, [folder])
    assert caught.value.path == str(bad) and caught.value.line == 10
    assert str(caught.value).startswith(f"{bad}:10: ")
    assert project.documents() == []  # all or nothing: nothing written
    project.close()


@needs_fork
def test_skip_bad_in_workers_reports_files_lines_and_notes_in_order(tmp_path,
                                                                   small_chunks) -> None:
    folder = _collection(tmp_path / "c", 60)
    (folder / "doc013.txt").write_bytes("caf\xe9".encode("latin-1"))  # not UTF-8: file skipped
    for i in (30, 52):  # a bad line: skipped, the rest of the document kept
        ann = folder / f"doc{i:03d}.ann"
        ann.write_text(ann.read_text(encoding="utf-8") + "R2\tPHYS Arg1:T1 Arg2:T77\t\n",
                       encoding="utf-8")
    (folder / "doc040.ann").write_text(  # a note: an equivalence of events is not carried
        _document(40)[1] + "*\tAlias E1 T4\n", encoding="utf-8")
    project = annotator.create_project(tmp_path / "p.annproj", schema=folder / "annotation.conf")
    report = import_paths(project, [folder], ImportOptions(skip_bad=True))
    assert [source for source, _ in report.skipped] == [str(folder / "doc013.txt")]
    assert "not UTF-8" in report.skipped[0][1]
    assert [where for where, _ in report.skipped_lines] == [
        f"{folder / 'doc030.ann'}:10", f"{folder / 'doc052.ann'}:10"]
    assert all("T77" in why for _, why in report.skipped_lines)
    assert [w for w in report.warnings if "doc040.ann" in w] and \
        all("doc040.ann" in w for w in report.warnings if "equivalence" in w)
    assert len(report.added) == 59 and report.relations == 59
    project.close()
