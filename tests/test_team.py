"""Work packages and merge, end to end through the command line (#13): assign, annotate in
the package, merge back (idempotent, newer copies), and every refusal leaves the project as it
was."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotator
from tests.conftest import db_snapshot

TEXTS = [f"Rebels attacked Kabul on Monday, story {i}, said John Smith of Reuters."
         for i in range(10)]



@pytest.fixture
def team(tmp_path, cli) -> Path:
    """A project of ten articles; ben already labelled story 0; a model suggested a span."""
    path = tmp_path / "team.annproj"
    with annotator.create_project(path, annotator="ben") as p:
        for i, text in enumerate(TEXTS):
            p.add_document(text, name=f"story-{i}")
        first = p.document_ids()[0]
        p.add_span(first, 16, 21, "GPE")
    with annotator.open_project(path, annotator="model") as p:
        p.add_span(p.document_ids()[0], 0, 6, "ORG", status="suggested", origin="model")
    return path


def _assign(cli, team: Path, out: Path, *extra: object) -> dict[str, list[str]]:
    code, stdout, err = cli("assign", team, "--annotators", "ana,ben,cho", "--out", out,
                            "--shared", "0.3", "--overlap", "2", *extra)
    assert code == 0, err
    packages = {}
    for who in ("ana", "ben", "cho"):
        with annotator.open_project(out / f"{who}.annproj", readonly=True) as p:
            packages[who] = sorted(p.document(d).name for d in p.document_ids())
    return packages


def test_assign_shares_some_documents_and_gives_every_other_to_one(cli, team, tmp_path):
    packages = _assign(cli, team, tmp_path / "out")
    counts: dict[str, int] = {}
    for names in packages.values():
        for n in names:
            counts[n] = counts.get(n, 0) + 1
    assert sorted(counts) == sorted(f"story-{i}" for i in range(10))
    assert sorted(counts.values()) == [1] * 7 + [2] * 3  # 30 % shared by two annotators
    sizes = sorted(len(v) for v in packages.values())
    assert sizes[-1] - sizes[0] <= 1  # evenly
    # deterministic: the same distribution again
    assert _assign(cli, team, tmp_path / "again") == packages


def test_packages_are_blind_and_carry_suggestions_on_request(cli, team, tmp_path):
    out = tmp_path / "out"
    _assign(cli, team, out, "--include-suggestions")
    for who in ("ana", "cho"):
        with annotator.open_project(out / f"{who}.annproj", readonly=True) as p:
            assert set(p.annotators()) <= {who}  # no ben, no model
            for doc_id in p.document_ids():
                if p.document(doc_id).name == "story-0":
                    (s,) = p.spans(doc_id, who)
                    assert (s.label, s.status) == ("ORG", "suggested")
    with annotator.open_project(out / "ben.annproj", readonly=True) as p:
        names = {p.document(d).name: d for d in p.document_ids()}
        if "story-0" in names:  # ben keeps his own earlier work
            assert "GPE" in {s.label for s in p.spans(names["story-0"], "ben")}


def test_merge_is_idempotent_and_applies_newer_copies(cli, team, tmp_path):
    out = tmp_path / "out"
    _assign(cli, team, out)
    package = out / "ana.annproj"
    with annotator.open_project(package, annotator="ana") as p:
        doc_id = p.document_ids()[0]
        kabul = p.add_span(doc_id, 16, 21, "GPE")
        john = p.add_span(doc_id, 38, 48, "PER")
        p.add_span(doc_id, 52, 59, "ORG")
        p.set_status(doc_id, "done")
        name = p.document(doc_id).name
    code, stdout, err = cli("merge", team, package)
    assert code == 0, err
    assert "ana: " in stdout and "3 added, 0 changed, 0 removed" in stdout
    backups = sorted(tmp_path.glob("team.before-merge-*.annproj"))
    assert len(backups) == 1
    with annotator.open_project(team, readonly=True) as p:
        target = p.document_by_name(name).id
        assert sorted(s.label for s in p.spans(target, "ana")) == ["GPE", "ORG", "PER"]
        assert p.status(target, "ana") == "done"
    before = db_snapshot(team)
    code, stdout, err = cli("merge", team, package)  # the same file again
    assert code == 0 and "nothing changed" in stdout, (stdout, err)
    assert db_snapshot(team) == before
    assert len(sorted(tmp_path.glob("team.before-merge-*.annproj"))) == 1
    # a newer copy: one span relabelled, one deleted
    with annotator.open_project(package, annotator="ana") as p:
        p.update_span(john.id, label="ORG")
        p.delete_span(kabul.id)
    code, stdout, err = cli("merge", team, package)
    assert code == 0, err
    assert "0 added, 1 changed, 1 removed" in stdout
    with annotator.open_project(team, readonly=True) as p:
        assert sorted(s.label for s in p.spans(target, "ana")) == ["ORG", "ORG"]
        assert "GPE" in {s.label for s in p.spans(p.document_ids()[0], "ben")}  # untouched


def _refused(cli, team: Path, file: Path, message: str) -> None:
    before = db_snapshot(team)
    code, _, err = cli("merge", team, file)
    assert code == 1 and message in err, err
    assert "Traceback" not in err
    assert db_snapshot(team) == before


def test_merge_refusals_change_nothing(cli, team, tmp_path):
    out = tmp_path / "out"
    _assign(cli, team, out)
    # a package of another project
    other = tmp_path / "other.annproj"
    with annotator.create_project(other, annotator="x") as p:
        p.add_document(TEXTS[0], name="story-0")
    _assign(cli, other, tmp_path / "other-out")
    _refused(cli, team, tmp_path / "other-out" / "ana.annproj", "package of another project")
    # a package holding another annotator's set
    with annotator.open_project(out / "cho.annproj", annotator="ana") as p:
        p.add_span(p.document_ids()[0], 0, 6, "ORG")
    _refused(cli, team, out / "cho.annproj", "overwrite another annotator's work")
    # a package still open for writing elsewhere
    holder = annotator.open_project(out / "ana.annproj", annotator="ana")
    try:
        _refused(cli, team, out / "ana.annproj", "still open for writing elsewhere")
    finally:
        holder.close()
    # a file with a different schema
    basic = tmp_path / "basic.annproj"
    with annotator.create_project(basic, schema="news-basic", annotator="ana") as p:
        p.add_document(TEXTS[0], name="story-0")
    _refused(cli, team, basic, "schema differs from the project's in the")
    # gold from an annotator's file
    gold = tmp_path / "gold.annproj"
    with annotator.create_project(gold, annotator="gold") as p:
        doc = p.add_document(TEXTS[1], name="s1")
        p.add_span(doc.id, 16, 21, "GPE")
    _refused(cli, team, gold, "holds a gold set")


def test_a_plain_file_of_the_same_articles_merges_by_content(cli, team, tmp_path):
    theirs = tmp_path / "dana.annproj"
    with annotator.create_project(theirs, annotator="dana") as p:
        doc = p.add_document(TEXTS[4], name="renamed article")
        p.add_span(doc.id, 16, 21, "GPE")
        p.add_document("An article the project does not have.", name="extra")
    code, stdout, err = cli("merge", team, theirs)
    assert code == 0, err
    assert "dana: 1 document(s); 1 added" in stdout and "extra" in stdout
    with annotator.open_project(team, readonly=True) as p:
        target = p.document_by_name("story-4").id
        assert [s.label for s in p.spans(target, "dana")] == ["GPE"]


def test_adjudicate_takes_what_enough_annotators_agree_on(cli, tmp_path):
    path = tmp_path / "adj.annproj"
    text = TEXTS[0]
    with annotator.create_project(path, annotator="ana") as p:
        doc = p.add_document(text, name="story")
        doc_id = doc.id
    marks = {"ana": ["GPE", "PER", "ORG"], "ben": ["GPE", "PER", "PER"], "cho": ["GPE"]}
    for who, (kabul, john, reuters) in ((w, (m + [None, None])[:3]) for w, m in marks.items()):
        with annotator.open_project(path, annotator=who) as p:
            k = p.add_span(doc_id, 16, 21, kabul)
            rebels = p.add_span(doc_id, 0, 6, "ORG")
            trigger_args = [("Attacker", rebels.id), ("Place", k.id)]
            p.add_trigger_event(doc_id, 7, 15, "Conflict.Attack", arguments=trigger_args)
            if john:
                p.add_span(doc_id, 38, 48, john)
            if reuters:
                p.add_span(doc_id, 52, 59, reuters)
    code, out, err = cli("adjudicate", path, "--min-agree", "2")
    assert code == 0, err
    with annotator.open_project(path, readonly=True) as p:
        gold = p.annotations(doc_id, "gold")
        got = sorted((s.start, s.label) for s in gold.spans)
        # Kabul, Rebels, the trigger and its event (all three), John (ana+ben); not Reuters
        assert got == [(0, "ORG"), (7, "Conflict.Attack"), (16, "GPE"), (38, "PER")]
        (event,) = gold.events
        assert sorted(a.role for a in event.arguments) == ["Attacker", "Place"]
        assert p.status(doc_id, "gold") == "in_progress"  # Reuters is left for a person
    assert "left for a person: 2 annotation(s) in 1 document(s)" in out  # ORG and PER
    # a curator edits gold; a second run never overwrites it
    with annotator.open_project(path, annotator="gold") as p:
        p.add_span(doc_id, 52, 59, "ORG")
    before = db_snapshot(path)
    code, out, err = cli("adjudicate", path)
    assert code == 0 and "skipped (gold already curated by a person): story" in out
    assert db_snapshot(path) == before


def test_a_set_given_twice_in_one_replacement_keeps_the_last(tmp_path):
    """The first replacement of a set the project has nothing of skips reading it back; the
    same document and set given again in the same call is still a replacement."""
    from annotator.core.model import Annotations, Span, new_id

    with annotator.create_project(tmp_path / "p.annproj", annotator="lead") as p:
        doc = p.add_document(TEXTS[0], name="story-0")

        def one(label: str) -> Annotations:
            return Annotations([Span(id=new_id(), doc_id=doc.id, start=16, end=21,
                                     label=label)], [], [])

        diffs = p.replace_annotation_sets([(doc.id, "ana", one("GPE"), "done"),
                                           (doc.id, "ana", one("LOC"), "done")])
        assert [(d.added, d.removed) for d in diffs] == [(1, 0), (1, 1)]
        assert [s.label for s in p.spans(doc.id, "ana")] == ["LOC"]
        assert p.status(doc.id, "ana") == "done"
