"""`annotator train`: one command from a project to a trained, loadable spaCy pipeline."""

from __future__ import annotations

import spacy

import annotator
from annotator.cli import main


def test_train_command_exports_and_trains(tmp_path, capsys) -> None:
    path = tmp_path / "p.annproj"
    with annotator.create_project(path, schema="news-basic", annotator="gold") as project:
        for i in range(6):
            doc = project.add_document(f"Anna Berg met officials in Oslo on day {i}.", name=f"d{i}")
            project.add_span(doc.id, 0, 9, "PER")
            project.add_span(doc.id, 28, 32, "GPE")
            project.set_status(doc.id, "done")
    try:
        main(["train", str(path), "--out", str(tmp_path / "run"), "--max-steps", "5",
              "--split", "0.5,0.5"])
    except SystemExit as exc:  # typer exits 0 after the last command
        assert exc.code in (0, None)
    out = capsys.readouterr().out
    assert "trained pipeline:" in out
    model_dir = out.rsplit("trained pipeline: ", 1)[1].split(" (load", 1)[0]
    nlp = spacy.load(model_dir)
    assert "ner" in nlp.pipe_names
    assert (tmp_path / "run" / "data" / "config.cfg").exists()
    assert (tmp_path / "run" / "data" / "report.json").exists()
