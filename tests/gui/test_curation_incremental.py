"""Curation mode follows each gold edit from its Changes: the candidates' states, the panel rows
and the marks drawn on the text are updated for what the edit touched only, and after any
sequence of edits, takes, rejects and undos they equal what a from-scratch computation gives.
Driven by keys on the real main window (Ctrl+T, Ctrl+Shift+X, Delete, Ctrl+Z), counting what
is read and packed (never timing)."""

from __future__ import annotations

import contextlib
import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import annotator
import annotator.core.curation_marks as marks_module
from annotator.core import curation as core
from annotator.core.curation_marks import build_marks
from annotator.errors import ValidationError
from annotator.gui.curation import curation_of
from annotator.gui.curation_panel import GOLD_TEXT, ROW_COLOR, row_kind
from annotator.gui.settings import Settings
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press, small_project

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
WORDS = ("Russia", "NATO", "Brussels", "Paris", "Georgia", "Medvedev", "troops", "met", "said",
         "talked", "visited", "stayed", "again", "later", "today", "the", "council", "city")
LABELS = ("PER", "ORG", "GPE")


def long_document(path) -> None:
    """Eight paragraphs labelled by ana and bo: most spans agreed, one in five labelled
    differently, a few each alone; a Meet event and a located_in relation each (bo's event
    with another argument)."""
    rng = random.Random(3)
    text = "\n".join(" ".join(rng.choice(WORDS) for _ in range(14)) for _ in range(8))
    with annotator.open_project(path, annotator="ana") as p:
        doc = p.add_document(text, name="long")
        tokens = [t for t in doc.tokens if text[t[0]:t[1]].strip()]
    picks = sorted(rng.sample(range(len(tokens)), 70))
    labels = [rng.choice(LABELS) for _ in picks]
    triggers = [t for i, t in enumerate(tokens) if i not in picks][:2]
    for who in ("ana", "bo"):
        with annotator.open_project(path, annotator=who) as p:
            ids = []
            for k, (i, label) in enumerate(zip(picks, labels, strict=True)):
                if (who == "ana" and k % 11 == 3) or (who == "bo" and k % 13 == 5):
                    continue  # made by the other one only
                if who == "bo" and k % 5 == 0:
                    label = "ORG" if label != "ORG" else "GPE"
                ids.append(p.add_span(doc.id, *tokens[i], label).id)
            meet = p.add_trigger_event(doc.id, *triggers[0], "Meet")
            p.add_argument(meet.id, "Entity", ids[2])
            if who == "bo":
                p.add_argument(meet.id, "Entity", ids[4])
            gpe = next(s for s in p.annotations(doc.id, who).spans if s.label == "GPE")
            p.add_relation("located_in", ids[6], gpe.id)
            p.set_status(doc.id, "done")


@pytest.fixture
def curator(qtbot, tmp_path):
    isolate_settings(tmp_path)
    # no live dictionary: its worker writes proposals between the steps (other tests cover
    # it), and an undo then met a proposal it did not make (see the report of this change)
    Settings().live_dictionary = False
    path = small_project(tmp_path)
    long_document(path)
    w = open_window(qtbot, path, annotator_name="cy", document="long")
    press(qtbot, K.Key_G, CTRL | SHIFT)  # curation on
    assert curation_of(w).active
    yield w
    if w.project is not None:
        w.close()


def settle_events() -> None:
    for _ in range(3):
        QApplication.processEvents()


def check_like_from_scratch(w) -> None:
    """States, panel rows and drawn marks equal a from-scratch computation."""
    mode = curation_of(w)
    fresh = core.curation(w.project, w.current_doc)
    assert [(g.key, g.state) for g in mode.state.groups] == \
        [(g.key, g.state) for g in fresh.groups]
    table = mode.panel.table
    gold = table.columnCount() - 1
    for row, g in enumerate(fresh.groups):
        assert table.item(row, gold).text() == GOLD_TEXT[g.state]
        assert table.item(row, 0).background().color().name().upper() == \
            ROW_COLOR[row_kind(g)].upper()
    drawn, scratch = mode.marks.marks, build_marks(fresh, w.view.text_map)
    assert drawn.by_block == scratch.by_block and drawn.lanes == scratch.lanes
    assert drawn.marks == scratch.marks
    block = w.view.text_area.document().begin()
    while block.isValid():  # the bands painted (cached per block) are not stale
        pieces = {p.mark for p in mode.marks.pieces(block)}
        assert pieces == {m for m, _lane in scratch.by_block.get(block.blockNumber(), [])}
        block = block.next()


def open_rows(w) -> list[int]:
    return [i for i, g in enumerate(curation_of(w).state.groups) if not g.resolved]


def select(qtbot, w, row: int) -> None:
    panel = curation_of(w).panel
    panel.select_row(row)
    panel.table.setFocus()


def test_any_sequence_of_edits_takes_and_undos_draws_what_a_fresh_computation_draws(
        curator, qtbot):
    w = curator
    rng = random.Random(11)
    doc = w.project.document(w.current_doc)
    tokens = [t for t in doc.tokens if doc.text[t[0]:t[1]].strip()]
    check_like_from_scratch(w)
    for _step in range(60):
        what = rng.choice(["take", "take", "reject", "undo", "delete", "add", "add",
                           "relabel"])
        gold = w.project.annotations(doc.id, "gold")
        gold_spans = gold.spans
        # the parts of gold events and relations: relabelling one re-keys what is built on it
        parts = [a.filler_id for e in gold.events for a in e.arguments] + [
            r.head_id for r in gold.relations] + [r.tail_id for r in gold.relations]
        entities = [s.id for s in gold_spans if s.kind != "trigger"]
        if what in ("take", "reject") and open_rows(w):
            select(qtbot, w, rng.choice(open_rows(w)))
            press(qtbot, K.Key_T, CTRL) if what == "take" else \
                press(qtbot, K.Key_X, CTRL | SHIFT)
        elif what == "undo" and w.project.undo_label:
            press(qtbot, K.Key_Z, CTRL)
        elif what == "relabel" and entities:
            span = w.project.span(rng.choice(parts) if parts and rng.random() < 0.7 else
                                  rng.choice(entities))
            with contextlib.suppress(ValidationError):  # the schema may refuse that label
                w.project.update_span(span.id, label=rng.choice(
                    [lab for lab in LABELS if lab != span.label]))
        elif what == "delete" and gold_spans:
            w.view.select_annotation("span", rng.choice(gold_spans).id)
            w.view.setFocus()
            press(qtbot, K.Key_Delete)
        else:  # a gold span on a token: often one an annotator made
            groups = curation_of(w).state.groups
            g = rng.choice(groups)
            start, end = (g.start, g.end) if g.kind == "span" and rng.random() < 0.7 else \
                rng.choice(tokens)
            w.project.add_span(doc.id, start, end, rng.choice(LABELS))
        settle_events()
        if rng.random() < 0.3:
            w.view.settle_layout()  # paragraphs close up (their line spacing changes)
            settle_events()
        check_like_from_scratch(w)
    states = {g.state for g in curation_of(w).state.groups}
    assert {"open", "taken"} <= states  # the sequence did decide and reopen candidates


def test_a_gold_edit_reads_and_packs_only_what_it_touched(curator, qtbot, monkeypatch):
    w = curator
    mode = curation_of(w)
    project, doc_id = w.project, w.current_doc
    tmap = w.view.text_map
    # a candidate only ana made, in a paragraph with no gold yet
    row = next(i for i, g in enumerate(mode.state.groups) if g.kind == "span"
               and list(g.made_by) == ["ana"])
    g = mode.state.groups[row]
    assert mode.marks.marks.of_group(row) is not None
    reads, packs = [], []  # whole gold or annotators' sets read again; blocks packed
    settle, curation, pack_lanes = core.settle, core.curation, marks_module.pack_lanes
    monkeypatch.setattr(core, "settle", lambda *a: reads.append("settle") or settle(*a))
    monkeypatch.setattr(core, "curation", lambda *a, **k: reads.append("curation") or
                        curation(*a, **k))
    monkeypatch.setattr(marks_module, "pack_lanes",
                        lambda iv: packs.append(len(iv)) or pack_lanes(iv))
    blocks = len(tmap.blocks_touching(g.start, g.end))

    span = project.add_span(doc_id, g.start, g.end, g.label)  # the gold span: taken
    settle_events()
    assert mode.state.groups[row].state == "taken"
    assert mode.marks.marks.of_group(row) is None and mode.marks.rects(row) == []
    assert mode.panel.table.item(row, mode.panel.table.columnCount() - 1).text() == "in gold"
    assert reads == []  # neither the whole gold set nor the annotators' sets read again
    assert len(packs) <= blocks  # only the paragraph of that mark packed into lanes again

    w.view.select_annotation("span", span.id)
    w.view.setFocus()
    press(qtbot, K.Key_Delete)  # open again, drawn again
    settle_events()
    w.view.settle_layout()  # its paragraph closes up: only line spacing changes
    settle_events()
    assert mode.state.groups[row].state == "open"
    assert mode.marks.marks.of_group(row) is not None
    press(qtbot, K.Key_Z, CTRL)  # undo the delete: taken again
    settle_events()
    assert mode.state.groups[row].state == "taken"
    assert reads == []
    assert len(packs) <= 3 * blocks
    assert mode.gold is not None and mode.gold.full_reads == 1
    check_like_from_scratch(w)
