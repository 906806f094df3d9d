"""Merging work packages inside SQLite (``store.package_copy``): a newer copy that rewrites a
span an unchanged event points at, the same package twice in one merge, more packages than
SQLite can attach at once, and a set whose id another set already uses (refused, nothing
changed)."""

from __future__ import annotations

import pytest

import annotator
from annotator.errors import ValidationError
from annotator.team import assign, merge
from tests.conftest import db_snapshot

TEXT = "Rebels attacked Kabul on Monday, story {}, said John Smith of Reuters."


def _project(tmp_path, n=12):
    path = tmp_path / "team.annproj"
    with annotator.create_project(path, schema="ace2005-news", annotator="lead") as p:
        for i in range(n):
            p.add_document(TEXT.format(i), name=f"story-{i}")
    return path


def test_a_newer_copy_rewrites_a_span_that_an_unchanged_event_points_at(tmp_path):
    path = _project(tmp_path)
    with annotator.open_project(path, annotator="lead") as p:
        assign(p, ["ana"], tmp_path / "out", shared=0.0)
    package = tmp_path / "out" / "ana.annproj"
    with annotator.open_project(package, annotator="ana") as p:
        doc_id = p.document_ids()[0]
        rebels = p.add_span(doc_id, 0, 6, "ORG")
        event = p.add_trigger_event(doc_id, 7, 15, "Conflict.Attack",
                                    arguments=[("Attacker", rebels.id)])
        p.set_status(doc_id, "done")
    with annotator.open_project(path, annotator="lead") as p:
        first = merge(p, [package])
        assert [(d.added, d.changed, d.removed) for d in first.diffs if not d.unchanged] == \
            [(4, 0, 0)]  # the span, the trigger, the event and its argument
        assert p.status(doc_id, "ana") == "done"
    with annotator.open_project(package, annotator="ana") as p:
        p.update_span(rebels.id, label="PER")
    with annotator.open_project(path, annotator="lead") as p:
        second = merge(p, [package])
        assert [(d.added, d.changed, d.removed) for d in second.diffs if not d.unchanged] == \
            [(0, 1, 0)]
        ann = p.annotations(doc_id, "ana")
        assert {s.id: s.label for s in ann.spans}[rebels.id] == "PER"
        assert [(a.role, a.filler_id) for a in p.event(event.id).arguments] == \
            [("Attacker", rebels.id)]


def test_the_same_package_twice_and_more_packages_than_sqlite_attaches(tmp_path):
    path = _project(tmp_path)
    names = [f"a{i}" for i in range(12)]  # SQLite attaches ten files at most
    with annotator.open_project(path, annotator="lead") as p:
        assign(p, names, tmp_path / "out", shared=0.0)
    packages = [tmp_path / "out" / f"{who}.annproj" for who in names]
    for who, package in zip(names, packages, strict=True):
        with annotator.open_project(package, annotator=who) as p:
            for doc_id in p.document_ids():
                p.add_span(doc_id, 16, 21, "GPE")
                p.add_span(doc_id, 38, 48, "PER")
    with annotator.open_project(path, annotator="lead") as p:
        report = merge(p, [*packages, packages[0]])
        assert sum(d.added for d in report.diffs) == 2 * 12  # the repeat adds nothing
        assert sorted(p.annotators()) == sorted(names)
        for doc_id in p.document_ids():
            (who,) = [w for w in names if p.spans(doc_id, w)]
            assert sorted(s.label for s in p.spans(doc_id, who)) == ["GPE", "PER"]
    before = db_snapshot(path)
    with annotator.open_project(path, annotator="lead") as p:
        again = merge(p, packages)
        assert all(d.unchanged for d in again.diffs) and not again.backup
    assert db_snapshot(path) == before


def test_an_id_that_another_set_uses_is_refused_and_nothing_changes(tmp_path):
    path = _project(tmp_path, n=4)
    with annotator.open_project(path, annotator="lead") as p:
        assign(p, ["ana", "ben"], tmp_path / "out", shared=0.0)
    with annotator.open_project(tmp_path / "out" / "ben.annproj", annotator="ben") as p:
        taken = p.add_span(p.document_ids()[0], 16, 21, "GPE").id
    with annotator.open_project(tmp_path / "out" / "ana.annproj", annotator="ana") as p:
        doc_id = p.document_ids()[0]
        p.add_span(doc_id, 38, 48, "PER")
        p.add_span(doc_id, 16, 21, "GPE", id=taken)  # ben's id, in ana's file
        name = p.document(doc_id).name
    with annotator.open_project(path, annotator="lead") as p:
        merge(p, [tmp_path / "out" / "ben.annproj"])
    before, backups = db_snapshot(path), sorted(tmp_path.glob("team.before-merge-*"))
    with annotator.open_project(path, annotator="lead") as p, \
            pytest.raises(ValidationError) as refused:
        merge(p, [tmp_path / "out" / "ana.annproj"])
    assert str(refused.value) == (f"{name}: spans id {taken} of ana's set is already used by another "
                       "document or set")
    assert db_snapshot(path) == before
    assert sorted(tmp_path.glob("team.before-merge-*")) == backups  # its backup removed
