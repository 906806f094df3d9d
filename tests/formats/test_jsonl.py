"""Native JSONL reader: JSON Schema validation with errors naming file:line and field, the
all-or-nothing import, and imports with and without annotations."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import annotator
from annotator.errors import InputFormatError
from annotator.formats import jsonl
from annotator.formats.export import ExportOptions, run_export
from annotator.formats.importing import ImportOptions, import_paths
from annotator.formats.registry import detect_format

TEXT = "Russia pulled out of the NATO meeting in Brussels on Tuesday."


def good_line(text: str = TEXT) -> dict:
    """A valid document with one set: spans, an event with span and event fillers, a relation."""
    return {
        "annotator_jsonl": 1, "id": "doc-russia", "name": "russia", "text": text, "lang": "en",
        "meta": {"title": "Russia", "source": "Reuters"},
        "status": {"gold": "done", "ana": "in_progress"},
        "sets": {"gold": {
            "spans": [
                {"id": "s-russia", "start": 0, "end": 6, "label": "GPE", "kind": "entity",
                 "text": "Russia", "attrs": {"mention_type": "NAM"}, "kb_id": "Q159"},
                {"id": "s-pulled", "start": 7, "end": 20, "label": "Movement.Transport",
                 "kind": "trigger"},
                {"id": "s-nato", "start": 25, "end": 29, "label": "ORG", "text": "NATO"},
                {"id": "s-meeting", "start": 30, "end": 37, "label": "Contact.Meet",
                 "kind": "trigger", "text": "meeting"},
                {"id": "s-brussels", "start": 41, "end": 49, "label": "GPE",
                 "status": "suggested", "origin": "model"},
                {"id": "s-tuesday", "start": 53, "end": 60, "label": "TIME", "kind": "value"},
            ],
            "events": [
                {"id": "e-meet", "type": "Contact.Meet", "trigger": "s-meeting",
                 "arguments": [{"id": "a1", "role": "Entity", "filler": "s-russia"},
                               {"id": "a2", "role": "Entity", "filler": "s-nato"},
                               {"id": "a3", "role": "Place", "filler": "s-brussels",
                                "filler_kind": "span"}]},
                {"id": "e-pull", "type": "Movement.Transport", "trigger": "s-pulled",
                 "note": "withdrawal", "attrs": {"realis": "actual"},
                 "arguments": [{"role": "Artifact", "filler": "s-russia"},
                               {"role": "Event", "filler": "e-meet"}]},
            ],
            "relations": [
                {"id": "r1", "type": "PART-WHOLE.Geographical", "head": "s-brussels",
                 "tail": "s-russia", "note": "not really"},
            ],
        }},
    }


def write_lines(path: Path, objs: list) -> Path:
    lines = [o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def plain(i: int) -> dict:
    return {"text": f"Plain document number {i}."}


@pytest.fixture
def project(tmp_path: Path):
    p = annotator.create_project(tmp_path / "j.annproj", annotator="ana")
    yield p
    p.close()


def import_error(project, tmp_path, objs, name="in.jsonl",
                 exc: type[Exception] = InputFormatError) -> InputFormatError:
    f = write_lines(tmp_path / name, objs)
    before = project.document_count()
    with pytest.raises(exc) as err:
        import_paths(project, [f], ImportOptions(format="jsonl"))
    assert project.document_count() == before, "a bad line must import nothing"
    return err.value


# ---- good input -------------------------------------------------------------------------------
def test_import_with_annotations(project, tmp_path):
    f = write_lines(tmp_path / "in.jsonl", [good_line()])
    assert detect_format(f) == "jsonl"
    report = import_paths(project, [f])
    assert report.added == ["russia"] and (report.spans, report.events, report.relations) == \
        (6, 2, 1)
    doc = project.document("doc-russia")
    assert doc.text == TEXT and doc.meta == {"title": "Russia", "source": "Reuters"}
    assert project.statuses(doc.id) == {"ana": "in_progress", "gold": "done"}
    ann = project.annotations(doc.id, "gold")
    spans = {s.id: s for s in ann.spans}
    assert spans["s-russia"].attrs == {"mention_type": "NAM"} and spans["s-russia"].kb_id == "Q159"
    assert spans["s-brussels"].status == "suggested" and spans["s-brussels"].origin == "model"
    assert spans["s-tuesday"].kind == "value"
    assert spans["s-nato"].origin == "import"  # default origin of imported annotations
    assert spans["s-nato"].created_by == "gold"  # provenance filled with the set's name
    events = {e.id: e for e in ann.events}
    assert [(a.id, a.role, a.filler_id, a.filler_kind) for a in events["e-meet"].arguments] == [
        ("a1", "Entity", "s-russia", "span"), ("a2", "Entity", "s-nato", "span"),
        ("a3", "Place", "s-brussels", "span")]
    pull = events["e-pull"]
    assert pull.note == "withdrawal" and pull.attrs == {"realis": "actual"}
    assert [(a.role, a.filler_id, a.filler_kind) for a in pull.arguments] == [
        ("Artifact", "s-russia", "span"), ("Event", "e-meet", "event")]
    assert all(a.id for a in pull.arguments)  # ids made up when absent
    (rel,) = ann.relations
    assert (rel.id, rel.head_id, rel.tail_id, rel.note) == ("r1", "s-brussels", "s-russia",
                                                            "not really")
    assert project.annotations(doc.id, "ana").spans == []


def test_import_without_annotations(project, tmp_path):
    f = write_lines(tmp_path / "in.jsonl", [plain(1), {"text": "Second\r\n\tdoc 😀", "name": "two"}])
    report = import_paths(project, [f])
    assert len(report.added) == 2 and report.spans == 0
    doc = project.document_by_name("two")
    assert doc.text == "Second\r\n\tdoc 😀"
    assert doc.tokens  # tokenised at import when the line has no tokens
    assert project.annotators() == []


def test_blank_lines_and_bom_are_accepted(project, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_bytes(b"\xef\xbb\xbf" + json.dumps(plain(1)).encode() + b"\r\n\r\n"
                  + json.dumps(plain(2)).encode() + b"\r\n")
    assert len(import_paths(project, [f]).added) == 2


def test_tokens_and_sentences_are_taken_from_the_line(project, tmp_path):
    line = {"text": "Hi there.", "tokens": [[0, 2], [3, 8], [8, 9]], "sentences": [[0, 9]],
            "tokenizer": "mine"}
    import_paths(project, [write_lines(tmp_path / "in.jsonl", [line])])
    (doc_id,) = project.document_ids()
    doc = project.document(doc_id)
    assert doc.tokens == [(0, 2), (3, 8), (8, 9)] and doc.sentences == [(0, 9)]
    assert doc.tokenizer == "mine"


def test_parse_line_directly():
    d = jsonl.parse_line(json.dumps(good_line()), path="x.jsonl", line_no=7)
    assert d.source == "x.jsonl:7" and d.id == "doc-russia"
    assert len(d.sets["gold"].spans) == 6


# ---- errors name file:line and field --------------------------------------------------------
def test_malformed_json_names_file_and_line(project, tmp_path):
    err = import_error(project, tmp_path, [plain(1), '{"text": "oops",,}', plain(3)])
    assert f"{tmp_path / 'in.jsonl'}:2:" in str(err)
    assert err.line == 2 and err.path == str(tmp_path / "in.jsonl")
    assert "not valid JSON" in str(err)


def test_missing_text(project, tmp_path):
    err = import_error(project, tmp_path, [{"name": "no text"}])
    assert err.line == 1 and "'text' is a required property" in str(err)


@pytest.mark.parametrize("bad", [{"text": ""}, {"text": 5}, [1, 2], "just a string",
                                 {"text": "x", "unknown_key": 1}])
def test_wrong_document_shape(project, tmp_path, bad):
    err = import_error(project, tmp_path, [bad])
    assert err.line == 1


def test_lone_surrogate_is_refused_with_line_and_offset(project, tmp_path):
    """JSON can spell a lone surrogate (``\\ud800``); it is not Unicode text, so the line is
    refused by name (or skipped with ``--skip-bad``) instead of failing inside spaCy."""
    from annotator.errors import ValidationError

    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps(plain(1)) + "\n" + '{"text": "Bad \\ud800 here."}\n',
                 encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        import_paths(project, [f], ImportOptions(format="jsonl"))
    assert f"{f}:2:" in str(err.value) and "U+D800 at offset 4" in str(err.value)
    assert project.document_count() == 0
    report = import_paths(project, [f], ImportOptions(format="jsonl", skip_bad=True))
    assert len(report.added) == 1 and report.skipped[0][0] == f"{f}:2"


def test_span_end_beyond_text_names_line_and_field(project, tmp_path):
    obj = good_line()
    obj["sets"]["gold"]["spans"][0]["end"] = len(TEXT) + 5
    err = import_error(project, tmp_path, [obj])
    assert err.field == "sets.gold.spans[0]" and err.line == 1
    assert "sets.gold.spans[0]" in str(err) and ":1:" in str(err)


def test_empty_or_reversed_span(project, tmp_path):
    obj = good_line()
    obj["sets"]["gold"]["spans"][2].update(start=10, end=10)
    err = import_error(project, tmp_path, [obj])
    assert err.field == "sets.gold.spans[2]"
    obj["sets"]["gold"]["spans"][2].update(start=12, end=10)
    assert import_error(project, tmp_path, [obj]).field == "sets.gold.spans[2]"


def test_negative_offset_is_a_schema_error(project, tmp_path):
    obj = good_line()
    obj["sets"]["gold"]["spans"][1]["start"] = -1
    err = import_error(project, tmp_path, [obj])
    assert err.field == "sets.gold.spans[1].start"


def test_span_text_mismatch(project, tmp_path):
    obj = good_line()
    obj["sets"]["gold"]["spans"][2]["text"] = "OTAN"
    err = import_error(project, tmp_path, [obj])
    assert err.field == "sets.gold.spans[2].text"
    assert "OTAN" in str(err) and "NATO" in str(err)


def test_unknown_trigger(project, tmp_path):
    obj = good_line()
    obj["sets"]["gold"]["events"][1]["trigger"] = "nope"
    err = import_error(project, tmp_path, [obj])
    assert err.field == "sets.gold.events[1].trigger" and "nope" in str(err)


def test_unknown_filler(project, tmp_path):
    obj = good_line()
    obj["sets"]["gold"]["events"][0]["arguments"][2]["filler"] = "ghost"
    err = import_error(project, tmp_path, [obj])
    assert err.field == "sets.gold.events[0].arguments[2].filler" and "ghost" in str(err)


def test_filler_kind_event_must_name_an_event(project, tmp_path):
    obj = good_line()
    obj["sets"]["gold"]["events"][1]["arguments"][0]["filler_kind"] = "event"  # s-russia
    err = import_error(project, tmp_path, [obj])
    assert err.field == "sets.gold.events[1].arguments[0].filler"


@pytest.mark.parametrize("end", ["head", "tail"])
def test_unknown_relation_ends(project, tmp_path, end):
    obj = good_line()
    obj["sets"]["gold"]["relations"][0][end] = "missing-span"
    err = import_error(project, tmp_path, [obj])
    assert err.field == f"sets.gold.relations[0].{end}"


def test_ids_from_another_set_do_not_count(project, tmp_path):
    obj = good_line()
    obj["sets"]["ana"] = {"spans": [{"id": "x1", "start": 0, "end": 6, "label": "GPE"}],
                          "relations": [{"type": "PHYS.Located", "head": "x1",
                                         "tail": "s-nato"}]}
    err = import_error(project, tmp_path, [obj])
    assert err.field == "sets.ana.relations[0].tail"


@pytest.mark.parametrize("where, value, field", [
    ("doc", "finished", "status.gold"),
    ("span", "maybe", "sets.gold.spans[3].status"),
    ("event", "final", "sets.gold.events[0].status"),
    ("relation", "yes", "sets.gold.relations[0].status"),
])
def test_bad_status_values(project, tmp_path, where, value, field):
    obj = good_line()
    target = {"doc": None, "span": obj["sets"]["gold"]["spans"][3],
              "event": obj["sets"]["gold"]["events"][0],
              "relation": obj["sets"]["gold"]["relations"][0]}[where]
    if target is None:
        obj["status"]["gold"] = value
    else:
        target["status"] = value
    err = import_error(project, tmp_path, [obj])
    assert err.field == field and repr(value) in str(err)


@pytest.mark.parametrize("mutate, field", [
    (lambda o: o["sets"]["gold"]["spans"][0].update(kind="thing"), "sets.gold.spans[0].kind"),
    (lambda o: o["sets"]["gold"]["spans"][0].update(origin="magic"),
     "sets.gold.spans[0].origin"),
    (lambda o: o["sets"]["gold"]["spans"][0].pop("label"), "sets.gold.spans[0]"),
    (lambda o: o["sets"]["gold"]["spans"][0].update(bogus=1), "sets.gold.spans[0]"),
    (lambda o: o["sets"]["gold"]["events"][0].pop("trigger"), "sets.gold.events[0]"),
    (lambda o: o["sets"]["gold"]["events"][0]["arguments"][0].pop("role"),
     "sets.gold.events[0].arguments[0]"),
    (lambda o: o.update(tokens=[[0, 2, 3]]), "tokens[0]"),
    (lambda o: o.update(tokens=[[0, 999]]), "tokens[0]"),
])
def test_schema_errors_name_the_field(project, tmp_path, mutate, field):
    obj = good_line()
    mutate(obj)
    err = import_error(project, tmp_path, [obj])
    assert err.field == field and err.line == 1


def test_error_on_line_3_of_5_says_line_3(project, tmp_path):
    bad = good_line()
    bad["sets"]["gold"]["spans"][4]["end"] = 500
    objs = [plain(1), plain(2), bad, plain(4), plain(5)]
    err = import_error(project, tmp_path, objs)
    assert err.line == 3 and ":3:" in str(err) and err.field == "sets.gold.spans[4]"
    assert ":1:" not in str(err) and ":5:" not in str(err)


def test_blank_lines_count_for_line_numbers(project, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps(plain(1)) + "\n\n\n" + '{"text": 1}\n', encoding="utf-8")
    with pytest.raises(InputFormatError) as err:
        import_paths(project, [f])
    assert err.value.line == 4


def test_bad_line_imports_nothing_even_when_project_has_documents(project, tmp_path):
    project.add_document("Existing.", name="existing")
    bad = good_line()
    bad["sets"]["gold"]["events"][0]["trigger"] = "x"
    import_error(project, tmp_path, [plain(1), plain(2), bad, plain(4)])
    assert project.document_count() == 1
    assert project.annotators() == []


def test_skip_bad_skips_the_whole_bad_file_and_keeps_others(project, tmp_path):
    bad = write_lines(tmp_path / "bad.jsonl", [plain(1), '{"text":'])
    good = write_lines(tmp_path / "good.jsonl", [plain(7)])
    report = import_paths(project, [bad, good], ImportOptions(skip_bad=True))
    assert [Path(s).name for s, _ in report.skipped] == ["bad.jsonl"]
    assert "bad.jsonl:2" in report.skipped[0][1]
    # the good line before the bad one is not imported: the file is skipped whole
    assert len(report.added) == 1 and project.document_count() == 1
    (doc_id,) = project.document_ids()
    assert project.document(doc_id).text == plain(7)["text"]


def test_non_utf8_jsonl_names_file_and_line(project, tmp_path):
    f = tmp_path / "latin.jsonl"
    f.write_bytes(json.dumps(plain(1)).encode() + b"\n" + '{"text": "caf\xe9"}\n'.encode("latin-1"))
    assert detect_format(f) == "jsonl"
    with pytest.raises(InputFormatError) as err:
        import_paths(project, [f])
    assert err.value.line == 2 and f"{f}:2" in str(err.value) and "UTF-8" in str(err.value)
    assert project.document_count() == 0
    report = import_paths(project, [f], ImportOptions(skip_bad=True))
    assert report.added == [] and [s for s, _ in report.skipped] == [str(f)]


def test_duplicate_jsonl_documents_are_reported(project, tmp_path):
    f = write_lines(tmp_path / "in.jsonl", [plain(1), plain(1)])
    report = import_paths(project, [f])
    assert len(report.added) == 1 and len(report.duplicates) == 1
    assert report.duplicates[0][0].endswith("in.jsonl:2")


def test_span_ids_shared_between_documents_are_refused(project, tmp_path):
    """Two documents reusing an annotation id: refused, naming the line and the id, instead of
    the second document silently taking the first one's span (an upsert moved it)."""
    one, two = copy.deepcopy(good_line()), copy.deepcopy(good_line("France " + TEXT[7:]))
    two["id"], two["name"] = "doc-france", "france"
    two["sets"]["gold"]["spans"][0]["text"] = "France"
    err = import_error(project, tmp_path, [one, two], exc=annotator.AnnotatorError)
    assert "in.jsonl:2" in str(err) and "'s-russia'" in str(err)
    assert project.document_count() == 0


def test_annotation_id_already_in_the_project_is_refused(project, tmp_path):
    import_paths(project, [write_lines(tmp_path / "a.jsonl", [good_line()])])
    before = project.annotations("doc-russia", "gold")
    other = {"text": "Other text entirely.", "sets": {"gold": {"spans": [
        {"id": "s-nato", "start": 0, "end": 5, "label": "ORG"}]}}}
    err = import_error(project, tmp_path, [other], name="b.jsonl",
                       exc=annotator.AnnotatorError)
    assert "s-nato" in str(err)
    assert project.annotations("doc-russia", "gold") == before


def test_document_id_already_in_the_project_is_refused(project, tmp_path):
    import_paths(project, [write_lines(tmp_path / "a.jsonl", [good_line()])])
    other = {"id": "doc-russia", "text": "Different text, same id."}
    err = import_error(project, tmp_path, [other], name="b.jsonl",
                       exc=annotator.AnnotatorError)
    assert "doc-russia" in str(err) and "b.jsonl:1" in str(err)
    assert project.document("doc-russia").text == TEXT


def test_skip_bad_skips_a_document_with_clashing_ids_whole(project, tmp_path):
    one = good_line()
    two = copy.deepcopy(good_line("France " + TEXT[7:]))
    two["id"], two["name"] = "doc-france", "france"
    two["sets"]["gold"]["spans"][0]["text"] = "France"
    f = write_lines(tmp_path / "in.jsonl", [one, two, plain(3)])
    report = import_paths(project, [f], ImportOptions(skip_bad=True))
    assert sorted(report.added) == sorted([project.document("doc-russia").name,
                                           project.document_by_name(report.added[-1]).name])
    assert len(report.added) == 2 and "france" not in report.added
    assert [s for s, _ in report.skipped] == [f"{f}:2"]
    assert project.document_count() == 2
    ann = project.annotations("doc-russia", "gold")
    assert (len(ann.spans), len(ann.events), len(ann.relations)) == (6, 2, 1)
    assert [p for p in project.check() if p.code == "integrity"] == []


# ---- export side ------------------------------------------------------------------------------
def test_export_lines_validate_against_the_schema(project, tmp_path):
    import_paths(project, [write_lines(tmp_path / "in.jsonl", [good_line(), plain(2)])])
    out = tmp_path / "out.jsonl"
    run_export(project, "jsonl", out, ExportOptions(documents="all"))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    for n, line in enumerate(lines, 1):
        jsonl.parse_line(line, path=str(out), line_no=n)  # raises if invalid
    first = json.loads(lines[0])
    assert first["id"] == "doc-russia" and first["annotator_jsonl"] == 1
    assert {s["id"] for s in first["sets"]["gold"]["spans"]} == {
        s["id"] for s in good_line()["sets"]["gold"]["spans"]}


# ---- offsets are code points end to end -------------------------------------------------------
def test_offsets_after_astral_characters_are_code_points(project, tmp_path):
    text = "😀👩\u200d👩\u200d👧 𝔘 e\u0301\r\nRussia and NATO met in Brussels."
    # a plain-text article: annotate after import, export, read the offsets back
    art = tmp_path / "emoji.txt"
    art.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))  # UTF-16: surrogate pairs on disk
    import_paths(project, [art])
    doc = project.document_by_name("emoji")
    start = text.index("Russia")
    assert start == 13  # code points; not 18 (UTF-16 units) nor 33 (UTF-8 bytes)
    project.add_span(doc.id, start, start + 6, "GPE")
    nato = text.index("NATO")
    project.add_span(doc.id, nato, nato + 4, "ORG")
    out = tmp_path / "out.jsonl"
    run_export(project, "jsonl", out, ExportOptions(documents="all"))
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    spans = line["sets"]["ana"]["spans"]
    assert [(s["start"], s["end"]) for s in spans] == [(13, 19), (nato, nato + 4)]
    assert [line["text"][s["start"]:s["end"]] for s in spans] == ["Russia", "NATO"]
    # tokens are code points too
    assert any(line["text"][a:b] == "Brussels" for a, b in line["tokens"])

    # and a JSONL import with a "text" check at those offsets is accepted and kept
    src = {"text": text + " (copy)", "sets": {"gold": {"spans": [
        {"id": "b1", "start": text.index("Brussels"), "end": text.index("Brussels") + 8,
         "label": "GPE", "text": "Brussels"}]}}}
    import_paths(project, [write_lines(tmp_path / "in.jsonl", [src])])
    run_export(project, "jsonl", out, ExportOptions(documents="all"), force=True)
    second = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()][1]
    (b1,) = second["sets"]["gold"]["spans"]
    assert second["text"][b1["start"]:b1["end"]] == "Brussels"


@pytest.mark.parametrize("key", ["sets", "status"])
def test_empty_set_name_is_refused(project, tmp_path, key):
    """A set (or status) named "" was imported, then silently missing from every export."""
    obj = {"text": "Bob ran.", "sets": {"gold": {}}, "status": {"gold": "done"}}
    obj[key] = {"": obj[key]["gold"]}
    err = import_error(project, tmp_path, [obj])
    assert err.field == key and err.line == 1
