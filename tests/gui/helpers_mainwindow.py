"""Shared helpers for the main-window tests: demo projects, isolated QSettings, key presses."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

import annotator
from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Argument, Event, Relation, Span

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "sample_projects" / "news-demo"
SEED_ARTICLE = DEMO / "articles" / "russia-nato-meeting.txt"

# A small schema with a required role (cardinality 1) for the red-flag test.
TEST_SCHEMA = """
name = "mainwindow-test"
version = 1
allow_overlap = true

[[entity_types]]
name = "PER"
color = "#EE8866"
hotkey = "p"
subtypes = ["Individual", "Group"]

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
hotkey = "t"

[[event_types]]
name = "Attack"
color = "#CC3311"

[[event_types.roles]]
name = "Attacker"
fillers = ["PER", "ORG", "GPE"]
cardinality = "1"

[[event_types.roles]]
name = "Target"
fillers = ["PER", "ORG", "GPE"]
cardinality = "*"

[[event_types.roles]]
name = "Place"
fillers = ["GPE"]
cardinality = "?"

[[event_types]]
name = "Meet"
color = "#117733"

[[event_types.roles]]
name = "Entity"
fillers = ["PER", "ORG", "GPE"]
cardinality = "+"

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

[[attributes]]
name = "realis"
targets = ["<EVENT>"]
values = ["actual", "generic", "other"]
default = "actual"
label = "Realis"

[[attributes]]
name = "mention_type"
targets = ["<ENTITY>"]
values = ["NAM", "NOM", "PRO"]
"""

DOCS = [
    ("alpha", "Alpha", "Russia said NATO met in Brussels. Russia and NATO talked again in Paris."),
    ("beta", "Beta", "Dmitry Medvedev visited Georgia. NATO troops stayed in Georgia."),
    ("gamma", "Gamma", "Carmen Romero spoke for NATO in Brussels on Monday."),
]


def isolate_settings(tmp_path: Path) -> None:
    """Point QSettings (native and INI) at tmp_path so tests never touch the user's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "settings"))
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(tmp_path / "settings"))
    QSettings("annotator", "annotator").clear()


def span_rows(path: Path, document: str = "alpha", set_name: str = "ana"
              ) -> list[tuple[str, int, str, str]]:
    """(text, start, label, status) of every span of one document's set, as the project file
    has it (read-only, so the window keeps its writer lock), sorted."""
    with annotator.open_project(path, readonly=True) as p:
        doc = p.document_by_name(document)
        assert doc is not None, document
        return sorted((doc.text[s.start:s.end], s.start, s.label, s.status)
                      for s in p.spans(doc.id, set_name))


def small_project(tmp_path: Path, name: str = "small.annproj") -> Path:
    path = tmp_path / name
    schema = tmp_path / "mw-schema.toml"
    schema.write_text(TEST_SCHEMA, encoding="utf-8")
    p = annotator.create_project(path, schema=schema, annotator="ana")
    p.add_documents([DocumentInput(text=t, name=n, meta={"title": title})
                     for n, title, t in DOCS])
    p.close()
    return path


def _seed_input() -> DocumentInput:
    raw = json.loads((DEMO / "seed-annotations.jsonl").read_text(encoding="utf-8")
                     .splitlines()[0])
    sets = {}
    for who, data in raw["sets"].items():
        spans = [Span(id=s["id"], doc_id="", start=s["start"], end=s["end"], label=s["label"],
                      kind=s.get("kind", "entity"), attrs=s.get("attrs", {}),
                      note=s.get("note", ""), kb_id=s.get("kb_id", ""))
                 for s in data["spans"]]
        events = [Event(id=e["id"], doc_id="", type=e["type"], trigger_id=e["trigger"],
                        attrs=e.get("attrs", {}), note=e.get("note", ""),
                        arguments=[Argument(id=a["id"], event_id=e["id"], role=a["role"],
                                            filler_id=a["filler"],
                                            filler_kind=a.get("filler_kind", "span"))
                                   for a in e.get("arguments", [])])
                  for e in data["events"]]
        relations = [Relation(id=r["id"], doc_id="", type=r["type"], head_id=r["head"],
                              tail_id=r["tail"], attrs=r.get("attrs", {}),
                              note=r.get("note", ""))
                     for r in data["relations"]]
        sets[who] = Annotations(spans, events, relations)
    return DocumentInput(text=raw["text"], name=raw["name"], meta=raw.get("meta", {}),
                         status=raw.get("status", {}), sets=sets)


def demo_project(tmp_path: Path, name: str = "demo.annproj") -> Path:
    """The news demo: ten articles plus the seed article with its gold annotations."""
    from annotator.formats.text import read_file

    path = tmp_path / name
    p = annotator.create_project(path, schema="ace2005-news", annotator="ana")
    inputs = [_seed_input()]
    for f in sorted((DEMO / "articles").glob("*.txt")):
        if f.stem != "russia-nato-meeting":
            inputs.append(read_file(f))
    p.add_documents(inputs)
    p.close()
    return path


def seed_text() -> str:
    """The seed article: the text file if present, else the text of its gold JSONL record."""
    if SEED_ARTICLE.exists():
        from annotator.formats.text import read_file

        return read_file(SEED_ARTICLE).text
    return _seed_input().text


def seed_project(tmp_path: Path, name: str = "seed.annproj") -> Path:
    """Only the seed article, unannotated."""
    path = tmp_path / name
    p = annotator.create_project(path, schema="ace2005-news", annotator="ana")
    p.add_documents([DocumentInput(text=seed_text(), name="russia-nato-meeting",
                                   meta={"title": "Russia Pulls Out Of NATO Meeting"})])
    p.close()
    return path


def focused():
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    """A key press delivered like a person's: to whatever widget has the focus."""
    for _ in range(times):
        w = QApplication.focusWidget()
        assert w is not None, "no widget has the keyboard focus"
        qtbot.keyClick(w, key, modifier)


def type_text(qtbot, text: str) -> None:
    w = QApplication.focusWidget()
    assert w is not None
    qtbot.keyClicks(w, text)


def open_window(qtbot, project_path: Path, *, annotator_name: str = "ana", document=None,
                annotation_set=None):
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

    w = MainWindow(Settings(), annotator_name=annotator_name, annotation_set=annotation_set)
    qtbot.addWidget(w)
    w.open_project(str(project_path), document=document)
    w.show()
    qtbot.waitExposed(w)
    def in_view() -> bool:
        f = QApplication.focusWidget()
        if f is not None and (f is w.view or w.view.isAncestorOf(f)):
            return True
        w.activateWindow()
        w.view.setFocus()
        return False

    qtbot.waitUntil(in_view)
    qtbot.waitUntil(lambda: not w.panels.counting)  # the document list's span counts
    return w
