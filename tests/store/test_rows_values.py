"""store.rows: the tuple an import writes for a span is the row ``span_to_row`` gives, in
``SPAN_COLUMNS`` order (the import writes tuples, edits write dicts: both must agree)."""

from __future__ import annotations

from annotator.core.model import Reference, Span
from annotator.store import rows as R


def test_span_values_are_span_to_row_in_column_order() -> None:
    plain = Span(id="s1", doc_id="d1", start=0, end=4, label="PER")
    rich = Span(id="s2", doc_id="d1", start=2, end=20, label="ORG", kind="value",
                attrs={"Negated": True, "b": "ü"}, note="a note", kb_id="Wikidata:Q1",
                status="suggested", origin="model", source="m", score=0.5,
                fragments=[(2, 5), (10, 20)], refs=[Reference("Wikidata", "Q1", "Eins")])
    for span in (plain, rich):
        row = R.span_to_row(span)
        assert tuple(row) == R.SPAN_COLUMNS
        assert R.span_values(span) == tuple(row.values())
