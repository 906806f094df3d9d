"""Exports are atomic (#9.2) and never overwrite or follow links silently (#9.3).

Each exporter writes under a temporary name beside the target; the output appears only when
complete. An interrupted export (Ctrl+C, SIGTERM, an error half-way) leaves nothing behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import annotator
from annotator.formats import registry
from annotator.formats.export import ExportOptions, run_export
from annotator.formats.staging import ExportInterrupted

FORMATS = {"jsonl": "out.jsonl", "conll": "out.conll", "spacy": "spacy", "brat": "brat",
           "dygiepp": "out.json", "textee": "out.textee.json"}


@pytest.fixture
def small(tmp_path: Path):
    p = annotator.create_project(tmp_path / "s.annproj", annotator="gold")
    for i in range(3):
        doc = p.add_document(f"Rebels attacked Kabul {i} times on Monday.", name=f"doc{i}")
        p.add_span(doc.id, 16, 21, "GPE")
        p.set_status(doc.id, "done")
    yield p
    p.close()


def _leftovers(folder: Path) -> list[str]:
    return sorted(x.name for x in folder.iterdir() if ".partial-" in x.name or ".old-" in x.name
                  or x.name.endswith(".part"))


def interrupting_export(project, out, options, rep, progress=None):
    """An exporter that writes half its output, then is interrupted (as by Ctrl+C)."""
    out.write_text("half of a file that looks valid\n", encoding="utf-8")
    raise KeyboardInterrupt


def failing_export(project, out, options, rep, progress=None):
    out.mkdir()
    (out / "part.ann").write_text("T1\tGPE 0 5\tKabul\n", encoding="utf-8")
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_writes_its_output_and_leaves_no_temporary(small, tmp_path, fmt):
    out = tmp_path / FORMATS[fmt]
    rep = run_export(small, fmt, out, ExportOptions(documents="all"))
    assert out.exists() and rep.documents == 3
    assert _leftovers(tmp_path) == []
    # every file named in the report is where the report says
    assert all(Path(f).exists() for f in rep.files), rep.files
    assert not any(".partial-" in f for f in rep.files)


def test_interrupted_export_leaves_nothing(small, tmp_path, monkeypatch):
    monkeypatch.setitem(registry.EXPORTERS, "halting", f"{__name__}:interrupting_export")
    out = tmp_path / "out.txt"
    with pytest.raises(ExportInterrupted, match="interrupted, nothing written"):
        run_export(small, "halting", out, ExportOptions(documents="all"))
    assert not out.exists() and _leftovers(tmp_path) == []


def test_failed_export_keeps_the_previous_output(small, tmp_path, monkeypatch):
    monkeypatch.setitem(registry.EXPORTERS, "failing", f"{__name__}:failing_export")
    out = tmp_path / "brat"
    run_export(small, "brat", out, ExportOptions(documents="all"))
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(OSError):
        run_export(small, "failing", out, ExportOptions(documents="all"), force=True)
    assert sorted(p.name for p in out.iterdir()) == before
    assert _leftovers(tmp_path) == []


def test_existing_output_is_refused_unless_forced(small, tmp_path):
    out = tmp_path / "out.conll"
    out.write_text("precious\n", encoding="utf-8")
    with pytest.raises(annotator.AnnotatorError, match="use --force"):
        run_export(small, "conll", out, ExportOptions(documents="all"))
    assert out.read_text(encoding="utf-8") == "precious\n"
    run_export(small, "conll", out, ExportOptions(documents="all"), force=True)
    assert "Kabul" in out.read_text(encoding="utf-8")


def test_brat_into_a_non_empty_folder_replaces_stale_files_only_with_force(small, tmp_path):
    out = tmp_path / "brat"
    out.mkdir()
    (out / "stale.ann").write_text("T1\tPER 0 3\told\n", encoding="utf-8")
    with pytest.raises(annotator.AnnotatorError, match="not empty"):
        run_export(small, "brat", out, ExportOptions(documents="all"))
    run_export(small, "brat", out, ExportOptions(documents="all"), force=True)
    assert not (out / "stale.ann").exists()
    assert len(list(out.glob("*.ann"))) == 3


def test_an_empty_existing_folder_is_used(small, tmp_path):
    out = tmp_path / "brat"
    out.mkdir()
    run_export(small, "brat", out, ExportOptions(documents="all"))
    assert len(list(out.glob("*.ann"))) == 3


def test_symlinked_out_is_refused_even_with_force(small, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "brat"
    link.symlink_to(elsewhere, target_is_directory=True)
    for force in (False, True):
        with pytest.raises(annotator.AnnotatorError, match="symbolic link"):
            run_export(small, "brat", link, ExportOptions(documents="all"), force=force)
    assert list(elsewhere.iterdir()) == []
    file_link = tmp_path / "out.jsonl"
    file_link.symlink_to(tmp_path / "target.jsonl")
    with pytest.raises(annotator.AnnotatorError, match="symbolic link"):
        run_export(small, "jsonl", file_link, ExportOptions(documents="all"), force=True)
    assert not (tmp_path / "target.jsonl").exists()


def test_sigterm_during_a_cli_export_leaves_nothing(tmp_path):
    """A real process, killed with SIGTERM while it writes a large CoNLL export."""
    path = tmp_path / "big.annproj"
    with annotator.create_project(path, annotator="gold") as p:
        text = " ".join(["Rebels attacked Kabul on Monday."] * 60)
        for i in range(400):
            doc = p.add_document(f"{text} {i}", name=f"d{i}")
            p.add_span(doc.id, 16, 21, "GPE")
    out = tmp_path / "big.conll"
    env = {**os.environ, "ANNOTATOR_USER": "gold"}
    proc = subprocess.Popen([sys.executable, "-m", "annotator", "export", str(path), "-f",
                             "conll", "-o", str(out), "--documents", "all"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(".partial-" in x.name for x in tmp_path.iterdir()):
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.skip("the export finished before it could be interrupted")
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    if out.exists():  # it completed (and renamed) just before the signal arrived
        pytest.skip("the export finished before the signal arrived")
    assert proc.returncode == 130
    assert "interrupted, nothing written" in err and "Traceback" not in err
    assert not out.exists() and _leftovers(tmp_path) == []


def test_an_export_reads_one_snapshot_while_another_process_edits(tmp_path):
    """Edits committed by another writer during an export are not half-seen (#9.1)."""
    import json

    path = tmp_path / "live.annproj"
    with annotator.create_project(path, annotator="gold") as p:
        for i in range(4):
            doc = p.add_document(f"Rebels attacked Kabul {i} times on Monday.", name=f"doc{i}")
            p.add_span(doc.id, 25, 31, "TIME")
    writer = annotator.open_project(path, annotator="gold")
    reader = annotator.open_project(path, readonly=True)
    edited: list[int] = []

    def edit_meanwhile(done: int, total: int | None, message: str) -> bool:
        if done == 1 and not edited:  # after the first document: edit the last one
            doc_id = writer.document_ids()[-1]
            kabul = writer.add_span(doc_id, 16, 21, "GPE")
            rebels = writer.add_span(doc_id, 0, 6, "ORG")
            writer.add_relation("PHYS.Located", rebels.id, kabul.id)
            edited.append(1)
        return True

    out = tmp_path / "live.jsonl"
    try:
        run_export(reader, "jsonl", out, ExportOptions(documents="all"), progress=edit_meanwhile)
        lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert edited and len(lines) == 4
        # the export is the state before the edit: one span per document, no relation
        assert [len(line["sets"]["gold"]["spans"]) for line in lines] == [1, 1, 1, 1]
        assert not any(line["sets"]["gold"]["relations"] for line in lines)
        after = tmp_path / "after.jsonl"
        run_export(reader, "jsonl", after, ExportOptions(documents="all"))
        last = [json.loads(x) for x in after.read_text(encoding="utf-8").splitlines()][-1]
        assert len(last["sets"]["gold"]["spans"]) == 3
        assert len(last["sets"]["gold"]["relations"]) == 1
    finally:
        writer.close()
        reader.close()


def test_an_interruption_right_after_the_staging_folder_is_made_cleans_up(tmp_path, monkeypatch):
    """SIGTERM the moment the .partial folder appears (what the kill test does) used to land
    between mkdir and the try block: a bare KeyboardInterrupt, the folder left behind."""
    from annotator.formats import staging

    def interrupted(self, target, folder):
        raise KeyboardInterrupt

    monkeypatch.setattr(staging.StagedOutput, "__init__", interrupted)
    with (pytest.raises(ExportInterrupted, match="interrupted, nothing written"),
          staging.staged_output(tmp_path / "out.conll")):
        pass
    assert _leftovers(tmp_path) == [] and list(tmp_path.iterdir()) == []


def test_ctrl_c_outside_an_export_is_one_line_with_exit_130(tmp_path, monkeypatch, capsys):
    """typer turns a KeyboardInterrupt into a silent Exit(130); the CLI still says so."""
    from annotator import cli

    path = tmp_path / "p.annproj"
    annotator.create_project(path, annotator="ana").close()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(annotator, "open_project", interrupted)
    with pytest.raises(SystemExit) as info:
        cli.main(["stats", str(path)])
    assert info.value.code == 130
    err = capsys.readouterr().err
    assert err.strip() == "error: interrupted" and "Traceback" not in err
