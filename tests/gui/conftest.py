"""GUI test fixtures: Qt runs offscreen; ``project`` is a real project in tmp_path."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

import annotator  # noqa: E402

SCHEMA_TOML = """
name = "docview-test"
version = 1
allow_overlap = true

[[entity_types]]
name = "PER"
color = "#EE8866"
hotkey = "p"

[[entity_types]]
name = "ORG"
color = "#77AADD"
hotkey = "o"

[[entity_types]]
name = "GPE"
color = "#44BB99"
hotkey = "g"

[[value_types]]
name = "TIME"
color = "#BBCCEE"

[[event_types]]
name = "Attack"
color = "#CC3311"

[[event_types.roles]]
name = "Attacker"
fillers = ["PER", "ORG", "GPE"]

[[event_types.roles]]
name = "Target"
fillers = ["PER", "ORG", "GPE"]

[[event_types.roles]]
name = "Place"
fillers = ["GPE"]

[[event_types.roles]]
name = "Time"
fillers = ["TIME"]

[[relation_types]]
name = "member_of"
arg1 = ["PER", "ORG"]
arg2 = ["ORG", "GPE"]
color = "#AA3377"

[[relation_types]]
name = "located_in"
arg1 = ["PER", "ORG", "GPE"]
arg2 = ["GPE"]
color = "#4477AA"
"""


@pytest.fixture
def schema_path(tmp_path):
    path = tmp_path / "docview-test.toml"
    path.write_text(SCHEMA_TOML, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path, schema_path):
    proj = annotator.create_project(tmp_path / "test.annproj", schema=schema_path,
                                    annotator="ana")
    yield proj
    proj.close()


@pytest.fixture
def alpha_window(qtbot, tmp_path):
    """The main window on helpers_mainwindow's small project, annotator "ana", document
    "alpha", with settings of its own; closed after the test."""
    from tests.gui.helpers_mainwindow import isolate_settings, open_window, small_project

    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path), annotator_name="ana", document="alpha")
    yield w
    if w.project is not None:
        w.close()
