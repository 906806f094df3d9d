"""``annotators()`` lists every annotation set, also with the index skip-scan it uses for spans
(names that are prefixes of each other, sets with only a document status, an empty project)."""

from __future__ import annotations

import annotator


def test_every_set_is_listed_in_order(tmp_path):
    path = tmp_path / "sets.annproj"
    with annotator.create_project(path, annotator="ana") as p:
        assert p.annotators() == []
        doc = p.add_document("Rebels attacked Kabul on Monday.", name="kabul")
        for who in ("b", "ab", "a", "anna", "Zoe", "émile"):
            p.annotation_set = who
            p.add_span(doc.id, 16, 21, "GPE")
        p.annotation_set = "status-only"
        p.set_status(doc.id, "done")
        expected = sorted(["b", "ab", "a", "anna", "Zoe", "émile", "status-only"])
        assert p.annotators() == expected
    with annotator.open_project(path, readonly=True) as view:
        assert view.annotators() == expected
