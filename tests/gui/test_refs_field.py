"""A reference name holding ``;`` is typed in the inspector as ``\\;`` (#11 leftover): the
project file gets one reference with that name, and the field shows it back escaped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

import annotator
from annotator.core.model import Reference
from annotator.gui.refs_field import parse_refs_field, refs_field_text
from tests.conftest import word_offsets
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press, seed_project

K = Qt.Key


def test_a_reference_name_with_a_semicolon_is_typed_in_the_inspector(qtbot, tmp_path):
    isolate_settings(tmp_path)
    path = seed_project(tmp_path)
    w = open_window(qtbot, path)
    w.view.set_text_selection(*word_offsets(w.doc_text, "NATO"))
    press(qtbot, K.Key_O)  # ORG
    span_id = w.selected_span_id()
    assert span_id
    qtbot.waitUntil(lambda: not w.inspector._pending)
    edit = w.inspector.widget().findChild(QLineEdit, "span_refs")
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(edit, r"Wikidata:Q7184 North Atlantic\; Treaty; GeoNames:123 a\\b")
    qtbot.keyClick(edit, K.Key_Return)
    want = [Reference("Wikidata", "Q7184", "North Atlantic; Treaty"),
            Reference("GeoNames", "123", "a\\b")]
    w.inspector.rebuild_now()
    shown = w.inspector.widget().findChild(QLineEdit, "span_refs").text()
    assert shown == r"Wikidata:Q7184 North Atlantic\; Treaty; GeoNames:123 a\\b"
    w.close()
    with annotator.open_project(path, annotator="ana") as again:
        assert again.span(span_id).refs == want


def test_the_field_text_round_trips_and_plain_text_reads_as_before():
    refs = [Reference("Wikidata", "Q1", "Tom; Jerry"), Reference("", "x;y", ""),
            Reference("DB", "2", "back\\slash")]
    assert parse_refs_field(refs_field_text(refs)) == refs
    assert parse_refs_field("Wikidata:Q42 Douglas Adams; GeoNames:2988507") == [
        Reference("Wikidata", "Q42", "Douglas Adams"), Reference("GeoNames", "2988507", "")]
    assert parse_refs_field(r"DB:1 a\b") == [Reference("DB", "1", "a\\b")]  # kept as typed
