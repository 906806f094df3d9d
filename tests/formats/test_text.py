"""Plain-text import: encodings, verbatim text, sidecar metadata, duplicates, all-or-nothing,
--skip-bad, progress and cancellation (annotator.formats.text + importing + add_documents)."""

from __future__ import annotations

import codecs
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import annotator
from annotator.core.progress import Cancelled
from annotator.errors import AnnotatorError, InputFormatError
from annotator.formats import text as text_format
from annotator.formats.importing import ImportOptions, import_paths
from annotator.formats.registry import detect_format

TRICKY = "Line one\r\nTabs\there\ttoo\nEmoji 😀 and 𝔘 astral; cafe\u0301; \u05e9\u05dc\u05d5\u05dd\rend\n"


@pytest.fixture
def project(tmp_path: Path):
    p = annotator.create_project(tmp_path / "t.annproj", annotator="tester")
    yield p
    p.close()


def texts(project) -> dict[str, str]:
    return {project.document(i).name: project.document(i).text for i in project.document_ids()}


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# ---- decoding ---------------------------------------------------------------------------------
@pytest.mark.parametrize("encoded", [
    pytest.param(TRICKY.encode("utf-8"), id="utf-8"),
    pytest.param(codecs.BOM_UTF8 + TRICKY.encode("utf-8"), id="utf-8-bom"),
    pytest.param(codecs.BOM_UTF16_LE + TRICKY.encode("utf-16-le"), id="utf-16-le-bom"),
    pytest.param(codecs.BOM_UTF16_BE + TRICKY.encode("utf-16-be"), id="utf-16-be-bom"),
])
def test_encodings_decode_to_the_exact_text(project, tmp_path, encoded):
    f = write(tmp_path / "in" / "story.txt", encoded)
    report = import_paths(project, [f])
    assert report.added == ["story"]
    doc = project.document_by_name("story")
    assert doc.text == TRICKY  # BOM gone, \r\n and lone \r kept, astral chars intact
    assert "\ufeff" not in doc.text
    assert len(doc.text) == len(TRICKY)  # code points, not UTF-16 units


def test_latin1_file_is_refused_naming_file_offset_and_line(project, tmp_path):
    data = "first line\nsecond caf\xe9\n".encode("latin-1")
    f = write(tmp_path / "latin.txt", data)
    with pytest.raises(InputFormatError) as err:
        import_paths(project, [f])
    msg = str(err.value)
    assert "latin.txt" in msg
    assert f"offset {data.index(0xe9)}" in msg
    assert "line 2" in msg
    assert project.document_count() == 0


@pytest.mark.parametrize("data", [
    pytest.param("Hello world\n".encode("utf-16-le"), id="utf-16-le-no-bom"),
    pytest.param("Hello world\n".encode("utf-16-be"), id="utf-16-be-no-bom"),
    pytest.param(b"line one\nbinary \x00\x01 junk", id="nul-byte"),
])
def test_nul_bytes_are_refused_not_imported_as_garbage(project, tmp_path, data):
    f = write(tmp_path / "u16.txt", data)
    with pytest.raises(InputFormatError) as err:
        import_paths(project, [f])
    assert "u16.txt" in str(err.value) and "NUL" in str(err.value)
    assert f"offset {data.index(0)}" in str(err.value)
    assert project.document_count() == 0


def test_bad_utf16_is_refused(tmp_path):
    # BOM then a lone high surrogate
    data = codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8"
    with pytest.raises(InputFormatError, match="UTF-16"):
        text_format.decode(data, tmp_path / "x.txt")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n"])
def test_empty_file_is_refused(project, tmp_path, content):
    f = write(tmp_path / "empty.txt", content)
    with pytest.raises(InputFormatError, match="empty") as err:
        import_paths(project, [f])
    assert "empty.txt" in str(err.value)
    assert project.document_count() == 0


def test_sidecar_metadata(project, tmp_path):
    f = write(tmp_path / "story.txt", "Body of the story.")
    meta = {"title": "A title", "source": "Reuters", "url": "https://x.invalid/1",
            "date": "2026-01-02", "extra": {"n": 1}}
    (tmp_path / "story.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    import_paths(project, [f])
    doc = project.document_by_name("story")
    assert doc.meta == meta
    assert doc.title == "A title"


def test_bad_sidecar_names_the_sidecar(project, tmp_path):
    f = write(tmp_path / "story.txt", "Body.")
    (tmp_path / "story.meta.json").write_text("{\n  \"title\": \n}", encoding="utf-8")
    with pytest.raises(InputFormatError) as err:
        import_paths(project, [f])
    assert "story.meta.json" in str(err.value)
    assert project.document_count() == 0


def test_non_utf8_sidecar_is_an_input_error_and_skippable(project, tmp_path):
    write(tmp_path / "d" / "story.txt", "Body.")
    (tmp_path / "d" / "story.meta.json").write_bytes('{"title": "caf\xe9"}'.encode("latin-1"))
    write(tmp_path / "d" / "other.txt", "Other body.")
    with pytest.raises(InputFormatError) as err:
        import_paths(project, [tmp_path / "d"])
    assert "story.meta.json" in str(err.value) and "UTF-8" in str(err.value)
    report = import_paths(project, [tmp_path / "d"], ImportOptions(skip_bad=True))
    assert report.added == ["other"]
    assert [Path(s).name for s, _ in report.skipped] == ["story.txt"]


# ---- files and folders ----------------------------------------------------------------------
def test_folder_is_read_recursively(project, tmp_path):
    root = tmp_path / "articles"
    write(root / "a.txt", "Article A.")
    write(root / "deep" / "er" / "b.txt", "Article B.")
    write(root / "deep" / "c.txt", "Article C.")
    write(root / "notes.md", "not an article")
    (root / "a.meta.json").write_text('{"title": "AA"}', encoding="utf-8")
    assert detect_format(root) == "text"
    report = import_paths(project, [root])
    assert sorted(report.added) == ["a", "b", "c"]
    assert texts(project) == {"a": "Article A.", "b": "Article B.", "c": "Article C."}
    assert project.document_by_name("a").meta == {"title": "AA"}
    # tokens were computed at import and are code-point offsets into the text
    doc = project.document_by_name("b")
    assert doc.tokens and all(0 <= s < e <= len(doc.text) for s, e in doc.tokens)


def test_files_and_folders_mixed(project, tmp_path):
    one = write(tmp_path / "one.txt", "One.")
    write(tmp_path / "dir" / "two.txt", "Two.")
    report = import_paths(project, [one, tmp_path / "dir"])
    assert sorted(report.added) == ["one", "two"]


def test_missing_path_is_an_error(project, tmp_path):
    with pytest.raises(InputFormatError, match="no such file"):
        import_paths(project, [tmp_path / "nope.txt"])


# ---- duplicates ---------------------------------------------------------------------------
def test_duplicates_within_one_import_are_skipped_and_reported(project, tmp_path):
    root = tmp_path / "dup"
    write(root / "a.txt", "Same story.")
    write(root / "b.txt", "Same story.")
    write(root / "c.txt", "Other story.")
    report = import_paths(project, [root])
    assert project.document_count() == 2
    assert len(report.added) == 2
    assert len(report.duplicates) == 1
    source, existing = report.duplicates[0]
    assert "b.txt" in source and existing == "a"
    assert "duplicate" in report.summary()


def test_duplicates_of_existing_documents_are_skipped(project, tmp_path):
    write(tmp_path / "first" / "a.txt", "Same story.")
    import_paths(project, [tmp_path / "first"])
    write(tmp_path / "second" / "z.txt", "Same story.")
    write(tmp_path / "second" / "new.txt", "New story.")
    report = import_paths(project, [tmp_path / "second"])
    assert report.added == ["new"]
    assert [(Path(s).name, e) for s, e in report.duplicates] == [("z.txt", "a")]
    assert project.document_count() == 2


def test_same_name_different_text_gets_unique_name(project, tmp_path):
    write(tmp_path / "x" / "story.txt", "One.")
    write(tmp_path / "y" / "story.txt", "Two.")
    report = import_paths(project, [tmp_path / "x", tmp_path / "y"])
    assert len(set(report.added)) == 2
    assert sorted(texts(project).values()) == ["One.", "Two."]


# ---- all or nothing / skip bad ----------------------------------------------------------------
def make_mixed_folder(root: Path) -> None:
    write(root / "good1.txt", "Good one.")
    write(root / "sub" / "good2.txt", codecs.BOM_UTF16_LE + "Good two.".encode("utf-16-le"))
    write(root / "bad.txt", "caf\xe9".encode("latin-1"))
    write(root / "sub" / "empty.txt", b"")


def test_folder_with_a_bad_file_imports_nothing(project, tmp_path):
    project.add_document("Already here.", name="existing")
    make_mixed_folder(tmp_path / "mixed")
    with pytest.raises(InputFormatError) as err:
        import_paths(project, [tmp_path / "mixed"])
    assert "bad.txt" in str(err.value)
    assert project.document_count() == 1
    assert list(texts(project)) == ["existing"]


def test_bad_file_listed_after_good_files_still_imports_nothing(project, tmp_path):
    good = write(tmp_path / "good.txt", "Good.")
    bad = write(tmp_path / "zz.txt", b"abc\xff")
    with pytest.raises(InputFormatError, match="zz.txt"):
        import_paths(project, [good, bad])
    assert project.document_count() == 0


def test_skip_bad_imports_the_good_and_reports_every_bad(project, tmp_path):
    make_mixed_folder(tmp_path / "mixed")
    report = import_paths(project, [tmp_path / "mixed"], ImportOptions(skip_bad=True))
    assert sorted(report.added) == ["good1", "good2"]
    assert texts(project)["good2"] == "Good two."
    skipped = {Path(src).name: reason for src, reason in report.skipped}
    assert set(skipped) == {"bad.txt", "empty.txt"}
    assert "UTF-8" in skipped["bad.txt"]
    assert "empty" in skipped["empty.txt"]
    assert "skipped 2 bad file(s)" in report.summary()


def test_skip_bad_with_single_bad_file_argument(project, tmp_path):
    good = write(tmp_path / "good.txt", "Good.")
    bad = write(tmp_path / "bad.txt", "caf\xe9".encode("latin-1"))
    report = import_paths(project, [bad, good], ImportOptions(skip_bad=True))
    assert report.added == ["good"]
    assert [Path(s).name for s, _ in report.skipped] == ["bad.txt"]


def test_on_bad_skips_a_document_whole(project):
    """A document whose annotations are refused is skipped entirely (not imported bare and
    reported both as added and as skipped); the good ones are imported."""
    from annotator.core.model import Annotations, Span

    good_span = Span(id="g1", doc_id="", start=0, end=3, label="PER")
    bad_span = Span(id="b1", doc_id="", start=0, end=99, label="PER")
    bad = annotator.DocumentInput(text="Bob ran.", name="bad", status={"gold": "done"},
                                  sets={"gold": Annotations([good_span, bad_span])})
    ok = annotator.DocumentInput(text="Ann ran.", name="ok", sets={"gold": Annotations(
        [Span(id="o1", doc_id="", start=0, end=3, label="PER")])})
    skipped = []
    report = project.add_documents([bad, ok], on_bad=lambda d, e: skipped.append(d.name))
    assert skipped == ["bad"] and report.added == ["ok"]
    assert project.document_count() == 1
    assert [project.document(i).name for i in project.document_ids()] == ["ok"]
    (doc_id,) = project.document_ids()
    assert [s.id for s in project.spans(doc_id, "gold")] == ["o1"]
    with pytest.raises(annotator.AnnotatorError):
        project.span("g1")  # no row of the skipped document is left behind
    assert [p for p in project.check() if p.code == "integrity"] == []


# ---- progress and cancellation --------------------------------------------------------------
def test_progress_is_reported(project, tmp_path):
    for i in range(5):
        write(tmp_path / "p" / f"d{i}.txt", f"Document number {i}.")
    calls: list[tuple[int, int | None, str]] = []

    def progress(done, total, message):
        calls.append((done, total, message))

    import_paths(project, [tmp_path / "p"], progress=progress)
    assert calls, "progress was never called"
    for done, total, message in calls:
        assert isinstance(done, int) and isinstance(message, str)
        assert total is None or done <= total
    assert calls[-1][:2] == (5, 5)  # finishes at done == total
    assert project.document_count() == 5


def test_progress_with_many_documents_reports_several_times(project):
    inputs = (annotator.DocumentInput(text=f"Doc {i}.", name=f"d{i}") for i in range(600))
    calls = []
    report = project.add_documents(inputs, progress=lambda d, t, m: calls.append(d),
                                   total=600)
    assert len(report.added) == 600
    assert len(calls) >= 3 and calls == sorted(calls) and calls[-1] == 600


def test_cancel_saves_nothing(project, tmp_path):
    project.add_document("Already here.", name="existing")
    for i in range(3):
        write(tmp_path / "c" / f"d{i}.txt", f"Document number {i}.")
    with pytest.raises(Cancelled):
        import_paths(project, [tmp_path / "c"], progress=lambda d, t, m: False)
    assert project.document_count() == 1
    assert isinstance(Cancelled("x"), AnnotatorError)


def test_cancel_midway_of_a_large_import_saves_nothing(project):
    inputs = (annotator.DocumentInput(text=f"Doc {i}.", name=f"d{i}") for i in range(600))
    with pytest.raises(Cancelled):
        project.add_documents(inputs, progress=lambda d, t, m: d < 300)
    assert project.document_count() == 0


def test_reopened_project_keeps_text_verbatim(tmp_path):
    path = tmp_path / "r.annproj"
    with annotator.create_project(path) as p:
        f = write(tmp_path / "s.txt", codecs.BOM_UTF16_BE + TRICKY.encode("utf-16-be"))
        import_paths(p, [f])
    with annotator.open_project(path, readonly=True) as p:
        assert p.document_by_name("s").text == TRICKY


# ---- property: any text survives any accepted encoding -----------------------------------------
_ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16-le-bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
}


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    min_size=1, max_size=60).filter(lambda t: t.strip())
       | st.lists(st.sampled_from(["\r\n", "\r", "\n", "\t", "😀", "𝔘", "e\u0301", "שלום",
                                   "\u2028", "\x85", "Ab", " "]), min_size=1, max_size=20)
       .map("".join).filter(lambda t: t.strip()),
       encoding=st.sampled_from(sorted(_ENCODINGS)))
def test_text_is_decoded_verbatim_in_every_accepted_encoding(text, encoding):
    if encoding == "utf-8" and text.startswith("\ufeff"):
        text = "x" + text  # a leading U+FEFF in BOM-less UTF-8 *is* a BOM
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "t.txt"
        f.write_bytes(_ENCODINGS[encoding](text))
        doc = text_format.read_file(f)
        assert doc.text == text and doc.name == "t"
        with annotator.create_project(Path(tmp) / "p.annproj") as p:
            import_paths(p, [f])
            (doc_id,) = p.document_ids()
            assert p.document(doc_id).text == text


def test_folder_import_reads_sidecars_found_by_the_listing(project, tmp_path):
    write(tmp_path / "d" / "with.txt", "Body with metadata.")
    (tmp_path / "d" / "with.meta.json").write_text('{"title": "Listed"}', encoding="utf-8")
    write(tmp_path / "d" / "sub" / "without.txt", "Body without metadata.")
    import_paths(project, [tmp_path / "d"])
    assert project.document_by_name("with").meta == {"title": "Listed"}
    assert project.document_by_name("without").meta == {}
