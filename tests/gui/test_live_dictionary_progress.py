"""The live gold dictionary's progress signal repaints the shown document from the job's
report while the job's thread goes on adding to that report: the view must read a copy.
Iterating the report's own sets failed with "Set changed size during iteration" in the Qt
event loop (seen in the curation random-edit test with the dictionary on). Made
deterministic: each span the view reads adds one more id to the report, as the job's
thread did meanwhile."""

from __future__ import annotations

import pytest

from annotator.gui.live_dictionary import live_dictionary_of
from annotator.nlp.live_gold import WATCHED, LiveGold


@pytest.fixture
def window(alpha_window):
    return alpha_window


def test_the_watched_document_is_repainted_from_a_copy_of_the_running_report(
        window, monkeypatch):
    w = window
    project, doc_id = w.project, w.current_doc
    live = live_dictionary_of(w)
    live.action.setChecked(False)  # no real job: this test plays its part
    nato = project.add_span(doc_id, 12, 16, "ORG")  # as the job proposed it
    live.live = LiveGold()
    report = live.live.report.changes
    report.doc_ids.add(doc_id)
    report.spans.add(nato.id)
    read = project.span

    def span_while_the_job_writes(span_id):
        report.spans.add(f"meanwhile-{len(report.spans)}")  # the job's thread, meanwhile
        return read(span_id)

    monkeypatch.setattr(project, "span", span_while_the_job_writes)
    live._progress(1, 1, WATCHED)
    assert w.view._state.exists("span", nato.id)  # the view shows what the report named
