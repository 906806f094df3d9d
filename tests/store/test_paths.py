"""Project paths with characters that mean something in a SQLite URI (or to a shell) open the
file they name, read-only and read-write, and create nothing beside it (#9.8)."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotator

TEXT = "Russia attacked Ukraine."
NAMES = ["with space.annproj", "base#2.annproj", "what?.annproj", "100%25.annproj",
         "50% off.annproj", "Überblick – 新闻 😀.annproj", "-leading-dash.annproj",
         "a&b=c;d.annproj", "Week #3/news.annproj", "mode=ro?x#y/%41.annproj"]


@pytest.mark.parametrize("name", NAMES)
def test_a_path_opens_the_file_it_names(tmp_path, name):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    decoy = tmp_path / "base.annproj"  # what 'base#2.annproj' used to open
    with annotator.create_project(decoy, annotator="ana") as other:
        other.add_document("A different project.", name="decoy")
    with annotator.create_project(path, annotator="ana") as proj:
        doc = proj.add_document(TEXT, name="story")
        proj.add_span(doc.id, 0, 6, "GPE")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    with annotator.open_project(path, annotator="ana", readonly=True) as view:
        assert view.readonly
        assert [d.name for d in view.documents()] == ["story"]
        assert view.spans(doc.id)[0].label == "GPE"
        assert view.search("attacked") == [doc.id]
    with annotator.open_project(path, annotator="ana") as proj:
        assert not proj.readonly
        proj.add_span(doc.id, 16, 23, "GPE")
    with annotator.open_project(path, annotator="ana", fallback_readonly=True) as proj:
        assert len(proj.spans(doc.id)) == 2

    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert after == before, "files appeared or vanished beside the project"


def test_a_relative_path_with_a_hash_opens_from_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with annotator.create_project(Path("r#1.annproj")) as proj:
        proj.add_document(TEXT, name="story")
    with annotator.open_project("r#1.annproj", readonly=True) as view:
        assert view.document_count() == 1
    # nothing named after a cut-off path ('r'), only the project and SQLite's own files
    assert {p.name for p in tmp_path.iterdir()} <= {"r#1.annproj", "r#1.annproj-wal",
                                                    "r#1.annproj-shm", "r#1.annproj.lock"}
