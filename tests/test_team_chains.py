"""Work packages carry chains, fragments and references both ways (#11.1-3): a package made by
``assign`` holds the annotator's chains, and ``merge`` brings back chains, fragmented spans and
references added in the package (idempotently)."""

from __future__ import annotations

import annotator
from annotator.core.model import Reference
from tests.test_team import TEXTS, _assign, team  # noqa: F401 (the fixture)


def test_packages_and_merge_carry_chains_fragments_and_references(cli, team, tmp_path):  # noqa: F811
    with annotator.open_project(team, annotator="ben") as p:
        story = p.document_by_name("story-1").id  # in ben's package (the split is fixed)
        kabul = p.add_span(story, 16, 21, "GPE")
        john = p.add_span(story, 38, 48, "PER")
        p.add_chain([kabul.id, john.id], "Coreference")  # a chain of ben's before assign
    out = tmp_path / "out"
    packages = _assign(cli, team, out)
    assert "story-1" in packages["ben"]
    package = out / "ben.annproj"
    with annotator.open_project(package, annotator="ben") as p:
        names = {p.document(d).name: d for d in p.document_ids()}
        (chain,) = p.chains(names["story-1"], "ben")  # the package carries ben's chain
        assert len(chain.mentions) == 2 and chain.type == "Coreference"
        doc_id = next(iter(names.values()))
        text = p.document(doc_id).text
        a = p.add_fragmented_span(doc_id, [(0, 6), (16, 21)], "ORG",
                                  refs=[("Wikidata", "Q5838", "")])
        b = p.add_span(doc_id, text.index("Reuters"), text.index("Reuters") + 7, "ORG")
        p.add_chain([a.id, b.id], "ORG", refs=[("Wikidata", "Q130879", "Reuters")])
        name = p.document(doc_id).name
    code, stdout, err = cli("merge", team, package)
    assert code == 0, err
    with annotator.open_project(team, readonly=True) as p:
        target = p.document_by_name(name).id
        spans = {(s.start, s.end): s for s in p.spans(target, "ben")}
        frag = spans[(0, 21)]
        assert frag.fragments == [(0, 6), (16, 21)]
        assert frag.refs == [Reference("Wikidata", "Q5838", "")]
        merged = [c for c in p.chains(target, "ben") if c.type == "ORG"]
        assert len(merged) == 1 and merged[0].refs[0].name == "Reuters"
    code, stdout, err = cli("merge", team, package)  # again: nothing changes
    assert code == 0 and "nothing changed" in stdout, (stdout, err)
