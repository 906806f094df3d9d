"""Markup from the user or a file is shown as the characters it is, never interpreted (#9.14).

A schema, a document and annotations full of markup (``<b>x</b>``, ``<img src=x>``,
``Target&amp;``, ``LNK<a href="file:///etc/passwd">x</a>``) are opened in the real main window;
every surface that shows them (inspector fields, titles, role and attribute labels and their
tooltips, popups, palette, document list and problems tooltips, the error box) must display them
verbatim, and the error box must not open the link when clicked.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QToolButton,
    QWidget,
)

import annotator
from annotator.core.inputs import DocumentInput
from annotator.gui.plain_text import no_mnemonic, plain_label, tooltip
from tests.gui.helpers_mainwindow import isolate_settings, open_window, press

pytestmark = pytest.mark.gui

BOLD = "<b>x</b>"
IMG = "<img src=x>"
AMP = "Target&amp;"
LINK = 'LNK<a href="file:///etc/passwd">x</a>'

PER = f"PER{BOLD}"
ORG = LINK
EVENT = f"Attack{IMG}"
ROLE = AMP
ROLE2 = f"Who{BOLD}"
REL = f"rel{BOLD}"
ATTR_LABEL = f"{AMP} {BOLD}"

SCHEMA = f"""
name = "markup"
version = 1
allow_overlap = true

[[entity_types]]
name = '{PER}'
label = 'Person {IMG}'
color = "#EE8866"
hotkey = "p"

[[entity_types]]
name = '{ORG}'
color = "#77AADD"
hotkey = "o"

[[event_types]]
name = '{EVENT}'
color = "#CC3311"

[[event_types.roles]]
name = '{ROLE}'
fillers = ['{PER}', '{ORG}']
cardinality = "+"

[[event_types.roles]]
name = '{ROLE2}'
fillers = ['{PER}', '{ORG}']
cardinality = "1"

[[relation_types]]
name = '{REL}'
arg1 = ['{PER}', '{ORG}']
arg2 = ['{PER}', '{ORG}']

[[attributes]]
name = "mention"
label = '{ATTR_LABEL}'
targets = ["<ENTITY>"]
values = ['{BOLD}', "NAM"]
"""

TEXT = f"Before {BOLD} then {IMG} and {LINK} plus {AMP} end."
DOC_NAME = f"doc{BOLD}"
DOC_TITLE = f"Title {IMG} {LINK}"


# ---- what Qt displays -------------------------------------------------------------------

def _html_to_plain(text: str) -> str:
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def _strip_mnemonic(text: str) -> str:
    return re.sub(r"&(.)", r"\1", text)


def shown(w: QWidget) -> str:
    """The characters a widget displays, by Qt's own rules: a label in AutoText renders what
    ``Qt.mightBeRichText`` calls rich text as HTML; buttons, group boxes and buddy labels read
    ``&`` as a mnemonic."""
    if isinstance(w, QLabel):
        text, fmt = w.text(), w.textFormat()
        if fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText
                                             and GuiQt.mightBeRichText(text)):
            return _html_to_plain(text)
        assert fmt != Qt.TextFormat.MarkdownText
        return _strip_mnemonic(text) if w.buddy() is not None else text
    if isinstance(w, QGroupBox):
        return _strip_mnemonic(w.title())
    if isinstance(w, QAbstractButton):
        return _strip_mnemonic(w.text())
    if isinstance(w, QLineEdit):
        return w.text()
    raise AssertionError(f"no rule for {type(w).__name__}")


def shown_tip(text: str) -> str:
    """A tooltip is rendered as HTML exactly when Qt.mightBeRichText says so (QTipLabel)."""
    return _html_to_plain(text) if GuiQt.mightBeRichText(text) else text


# ---- fixtures ---------------------------------------------------------------------------

@pytest.fixture
def marked(qtbot, tmp_path):
    isolate_settings(tmp_path)
    schema = tmp_path / "markup.toml"
    schema.write_text(SCHEMA, encoding="utf-8")
    path = tmp_path / "markup.annproj"
    p = annotator.create_project(path, schema=schema, annotator="ana")
    p.add_documents([DocumentInput(text=TEXT, name=DOC_NAME, meta={"title": DOC_TITLE})])
    doc = p.document_by_name(DOC_NAME)
    at = TEXT.index
    bold = p.add_span(doc.id, at(BOLD), at(BOLD) + len(BOLD), PER,
                      attrs={"mention": BOLD}, note=f"note {BOLD}", kb_id=f"kb{IMG}")
    link = p.add_span(doc.id, at(LINK), at(LINK) + len(LINK), ORG)
    ev = p.add_trigger_event(doc.id, at(IMG), at(IMG) + len(IMG), EVENT)
    p.add_argument(ev.id, ROLE, link.id)
    rel = p.add_relation(REL, bold.id, link.id, note=f"rel note {LINK}")
    ids = {"doc": doc.id, "bold": bold.id, "link": link.id, "event": ev.id, "relation": rel.id}
    p.close()
    w = open_window(qtbot, path, document=DOC_NAME)
    yield w, ids
    if w.project is not None:
        w.close()


def arm(w, event_id: str) -> None:
    """Make ``event_id`` the current event with the window's own call (it lives on
    ``w.modes`` since the main window was split into modules)."""
    getattr(w, "modes", w).arm_event(event_id)


def _find(w: QWidget, kind: type, name: str):
    found = w.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name!r}"
    return found


def assert_no_markup_lost(root: QWidget) -> None:
    """Every label, title and button under ``root`` whose text holds one of the markers shows
    it (escaped rich text holds ``&lt;b&gt;`` instead, so it is not asked)."""
    widgets = [*root.findChildren(QLabel), *root.findChildren(QGroupBox),
               *root.findChildren(QAbstractButton)]
    for wid in widgets:
        raw = wid.title() if isinstance(wid, QGroupBox) else wid.text()
        for marker in (BOLD, IMG, LINK, AMP):
            if marker in raw:
                assert marker in shown(wid), (wid.objectName(), raw, shown(wid))
        tip = wid.toolTip()
        for marker in (BOLD, IMG, LINK, AMP):
            if marker in tip:
                assert marker in shown_tip(tip), (wid.objectName(), tip)


def _buddy_label(root: QWidget, field: QWidget) -> QLabel:
    for lab in root.findChildren(QLabel):
        if lab.buddy() is field:
            return lab
    raise AssertionError(f"no label for {field.objectName()}")


# ---- the helpers themselves -------------------------------------------------------------

@pytest.mark.parametrize("text", [BOLD, IMG, AMP, LINK, "a & b", "x<y", "&lt;", "two\nlines"])
def test_helpers_show_text_verbatim(qtbot, text):
    assert shown(plain_label(text)) == text
    assert shown_tip(tooltip(text)) == text
    button = QToolButton()
    qtbot.addWidget(button)
    button.setText(no_mnemonic(text))
    assert shown(button) == text


# ---- every surface ----------------------------------------------------------------------

def test_inspector_span_box_shows_markup_verbatim(marked):
    w, ids = marked
    w.inspector.show_annotation(("span", ids["bold"]), None)
    w.inspector.rebuild_now()
    inner = w.inspector.widget()
    box = _find(inner, QGroupBox, "spanBox")
    assert PER in shown(box)
    assert shown(_find(inner, QLabel, "span_text")) == BOLD  # the article's own characters
    combo = _find(inner, QComboBox, "span_attr_mention")
    assert shown(_buddy_label(inner, combo)) == f"{ATTR_LABEL}:"
    assert BOLD in [combo.itemText(i) for i in range(combo.count())]
    label_combo = _find(inner, QComboBox, "span_label")
    assert label_combo.currentText() == PER
    assert shown(_find(inner, QLineEdit, "span_note")) == f"note {BOLD}"
    assert shown(_find(inner, QLineEdit, "span_kb")) == f"kb{IMG}"
    assert_no_markup_lost(inner)


def test_inspector_event_roles_and_tooltips_verbatim(marked):
    w, ids = marked
    arm(w, ids["event"])
    w.inspector.rebuild_now()
    inner = w.inspector.widget()
    box = _find(inner, QGroupBox, "currentEventBox")
    assert EVENT in shown(box)
    assert shown(_find(inner, QLabel, "cur_event_trigger")) == IMG
    role = _find(inner, QLabel, f"cur_event_role_{ROLE}")
    assert ROLE in shown(role)
    assert ROLE in shown_tip(role.toolTip())
    role2 = _find(inner, QLabel, f"cur_event_role_{ROLE2}")
    assert ROLE2 in shown(role2)
    chip = _find(inner, QToolButton, f"cur_event_remove_{ROLE}")
    assert shown(chip).startswith(LINK[:24])
    assert ROLE in shown_tip(chip.toolTip())
    add = _find(inner, QToolButton, f"cur_event_fill_{ROLE2}")
    assert ROLE2 in shown_tip(add.toolTip())
    assert_no_markup_lost(inner)


def test_inspector_relation_box_verbatim(marked):
    w, ids = marked
    w.inspector.show_annotation(("relation", ids["relation"]), None)
    w.inspector.rebuild_now()
    inner = w.inspector.widget()
    assert REL in shown(_find(inner, QGroupBox, "relationBox"))
    ends = shown(_find(inner, QLabel, "relation_ends"))
    assert BOLD in ends and LINK[:20] in ends
    assert shown(_find(inner, QLineEdit, "relation_note")) == f"rel note {LINK}"
    assert_no_markup_lost(inner)


def test_event_type_and_role_popups_show_titles_verbatim(marked, qtbot):
    w, ids = marked
    w.view.setFocus()
    start = TEXT.index(IMG)
    w.view.set_text_selection(start, start + len(IMG))
    press(qtbot, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: w.popup is not None and w.popup.isVisible())
    title = _find(w.popup, QLabel, "pickTitle")
    assert IMG in shown(title)  # "Event type for '<img src=x>'"
    assert w.popup.visible_values() == [EVENT]
    assert_no_markup_lost(w.popup)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: w.popup is None or not w.popup.isVisible())
    arm(w, ids["event"])
    w.view.setFocus()
    press(qtbot, Qt.Key.Key_A)  # any role by name: "Role of Attack<img src=x> to fill"
    qtbot.waitUntil(lambda: w.popup is not None and w.popup.isVisible())
    assert EVENT in shown(_find(w.popup, QLabel, "pickTitle"))
    assert w.popup.visible_values() == [ROLE, ROLE2]
    press(qtbot, Qt.Key.Key_Escape)


def test_palette_doclist_problems_tooltips_verbatim(marked):
    w, ids = marked
    tips = [shown_tip(item.toolTip(0)) for item in (w.label_palette if hasattr(w, "label_palette") else w.palette).items.values()]
    for name in (PER, ORG, EVENT):
        assert any(tip.startswith(f"{name} (") for tip in tips), (name, tips)
    model = w.doclist.model
    tip = model.data(model.index(model.row_of(ids["doc"]), 1), Qt.ItemDataRole.ToolTipRole)
    assert shown_tip(tip).startswith(f"{DOC_NAME}\n{DOC_TITLE}\n")
    w.refresh_panels()
    tree = w.problems_panel.tree
    messages = [p.message for p in w.problems_panel.problems]
    assert any(ROLE2 in m for m in messages), messages  # the required role left empty
    for i, message in enumerate(messages):
        item = tree.topLevelItem(i)
        assert item is not None
        assert item.text(1) == message
        assert shown_tip(item.toolTip(1)) == message


def test_error_box_is_plain_and_never_opens_links(marked, qtbot):
    w, _ = marked
    opened: list[QUrl] = []

    class Catcher(QObject):
        @Slot(QUrl)
        def catch(self, url: QUrl) -> None:  # what QDesktopServices.openUrl would call
            opened.append(url)

    catcher = Catcher()
    QDesktopServices.setUrlHandler("file", catcher, "catch")
    try:
        w.error(f"label {LINK} {BOLD}")
        box = None

        def found() -> bool:
            nonlocal box
            box = next((b for b in QApplication.topLevelWidgets()
                        if isinstance(b, QMessageBox) and b.objectName() == "errorBox"
                        and b.isVisible()), None)
            return box is not None

        qtbot.waitUntil(found)
        assert box is not None
        assert box.textFormat() == Qt.TextFormat.PlainText
        label = next(lab for lab in box.findChildren(QLabel) if "LNK" in lab.text())
        assert shown(label) == f"label {LINK} {BOLD}"
        for x in range(2, label.width(), 4):  # click along the whole line: nothing opens
            for y in range(2, label.height(), 6):
                qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
        assert opened == []
        box.close()
    finally:
        QDesktopServices.unsetUrlHandler("file")


def test_corpus_search_and_shortcuts_dialogs_verbatim(qtbot):
    from annotator.gui.dialogs import CorpusSearch, ShortcutsDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    dlg = CorpusSearch(parent, lambda q: [("d1", DOC_NAME, DOC_TITLE, 2)])
    dlg.query.setText(BOLD)
    dlg.run_search()
    assert shown(_find(dlg, QLabel, "corpusStatus")).startswith(f"1 document(s) contain {BOLD!r}")
    item = dlg.results.item(0)
    assert item is not None and item.text().startswith(f"{DOC_NAME}  —  {DOC_TITLE}")
    shortcuts = ShortcutsDialog(parent, [(PER, "P"), (LINK, "O")])
    texts = [shortcuts.table.item(r, 1).text() for r in range(shortcuts.table.rowCount())]
    assert f"Label the selection {PER}" in texts and f"Label the selection {LINK}" in texts


def test_status_bar_annotator_name_verbatim(qtbot, tmp_path):
    isolate_settings(tmp_path)
    schema = tmp_path / "markup.toml"
    schema.write_text(SCHEMA, encoding="utf-8")
    path = tmp_path / "named.annproj"
    p = annotator.create_project(path, schema=schema, annotator="ana")
    p.add_documents([DocumentInput(text=TEXT, name=DOC_NAME, meta={"title": DOC_TITLE})])
    p.close()
    name = f"ana{BOLD}{LINK}"
    w = open_window(qtbot, path, annotator_name=name)
    try:
        label = _find(w.statusBar(), QLabel, "statusAnnotator")
        assert name in shown(label)
    finally:
        w.close()


def test_unexpected_error_box_is_plain(qtbot):
    from annotator.gui.app import _excepthook

    # keep the wrappers alive: ids of freed wrappers are reused, and the new box's wrapper
    # could get one of them (a box of an earlier test is still a top-level widget)
    widgets_before = QApplication.topLevelWidgets()
    before = {id(b) for b in widgets_before}
    try:
        raise ValueError(f"bad {LINK} {IMG}")
    except ValueError as exc:
        _excepthook(type(exc), exc, exc.__traceback__)
    box = next(b for b in QApplication.topLevelWidgets()
               if isinstance(b, QMessageBox) and id(b) not in before and b.isVisible())
    try:
        assert box.textFormat() == Qt.TextFormat.PlainText
        label = next(lab for lab in box.findChildren(QLabel) if "LNK" in lab.text())
        assert f"bad {LINK} {IMG}" in shown(label)
    finally:
        box.close()
