"""The inspector's span box shows another span in the same widgets when it fits.

A label key selects the span it made; the inspector used to build every widget of its span
box anew for it (combos, fields, their layout and a full paint of the dock: 4-5 ms of each
key, #10.16). When the span box alone is shown and the new span has the same rows (the same
kind and label, so the same choices and attributes), its values are set in place instead.

The span box and the hint shown when the text selection replaces the span share one room
(``span_page``): both stay laid out and the one on top hides the other, so the label key that
follows a text selection shows the box again without laying out the box, the inspector or the
dock again (hiding and showing the box in a column made three layout passes, moved the box
twice and painted the inspector twice, #10.16).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QStackedLayout,
    QWidget,
)

from annotator.core.suggestions import status_note
from annotator.gui.refs_field import refs_field_text

if TYPE_CHECKING:
    from annotator.gui.inspector import Inspector

SPAN_ALONE = ("span",)  # Inspector._shown: the span box alone
HINT_OVER_SPAN = ("hint", "span")  # the hint shown, the span box hidden under it
TEXT_PREVIEW = 80  # characters of an annotation's text shown in the inspector


def short_text(text: str) -> str:
    """``text`` on one line, cut to ``TEXT_PREVIEW`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= TEXT_PREVIEW else text[: TEXT_PREVIEW - 1] + "…"


def refill_span(inspector: Inspector, span_id: str) -> bool:
    """Show span ``span_id`` in the span box already shown, when it alone is shown and
    the new span has the same rows (label, kind, ...) and no chain: its values are set in
    place, no widget is made or laid out (#10.16: a label key rebuilt every widget of the
    inspector, 4-5 ms). False: the inspector must be built anew."""
    project = inspector.host.project
    inner, ref = inspector._inner, inspector._span
    if inspector._shown not in (SPAN_ALONE, HINT_OVER_SPAN) or inner is None or not ref \
            or inspector.event_id:
        return False
    fw = inspector._focus_now()
    if fw is not None and inspector.isAncestorOf(fw):
        return False  # the user is in a field: build it anew, the focus kept by name
    s = inspector.host.shown_span(span_id) or project.span(span_id)  # no query: the view's
    if inspector._span_shape(s) != inspector._span_shape(ref[0]) or project.chain_of(span_id):
        return False
    schema = project.schema
    kind = "trigger" if s.kind == "trigger" else s.kind
    shown = schema.effective_attrs(kind, s.label, s.attrs)
    values: dict[str, str] = {"span_label": s.label,
                              "span_attr_subtype": str(s.attrs.get("subtype", ""))}
    for a in schema.attributes_for(kind, s.label):
        v = shown.get(a.name, "")
        values[f"span_attr_{a.name}"] = ("true" if v else "false") if isinstance(v, bool) \
            else str(v or "")
    combos = {c.objectName(): c for c in inner.findChildren(QComboBox)}
    if any(name in combos and combos[name].findData(v) < 0 and v
           for name, v in values.items()):
        return False  # a value the schema does not list: its combo needs that item
    ref[0] = s
    for name, v in values.items():
        combo = combos.get(name)
        if combo is not None:
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(v)))
            combo.setProperty("stored", v)
            combo.blockSignals(False)
    for name, text in (("span_kb", s.kb_id), ("span_refs", refs_field_text(s.refs)),
                       ("span_note", s.note)):
        edit = inner.findChild(QLineEdit, name)
        if edit is not None:
            edit.setText(text)
            edit.setProperty("stored", text)
    _set_label(inner, "span_text", short_text(inspector.host.span_text(span_id)))
    _set_label(inner, "span_kind", inspector._kind_text(s))
    _set_label(inner, "span_status", status_note(s) if s.status != "gold" else "")
    _set_label(inner, "span_fragments", inspector._fragments_text(s))
    _on_top(inner, "spanBox", "inspectorHint")
    inspector._shown = SPAN_ALONE
    return True


def span_page(box: QWidget, hint: QLabel) -> QWidget:
    """The span box and the hint stacked in one room, the box on top: both stay shown and
    laid out, the one on top hides the other (opaque) and only its fields take the focus,
    so switching
    shows nothing anew and lays nothing out (a QStackedWidget shows the page and hides the
    other: the box, the inspector and the dock were laid out again, and the box painted
    twice)."""
    page = QWidget()
    page.setObjectName("spanPage")
    stack = QStackedLayout(page)
    stack.setStackingMode(QStackedLayout.StackingMode.StackAll)
    stack.setContentsMargins(0, 0, 0, 0)
    hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    for w in (hint, box):
        w.setAutoFillBackground(True)  # the one on top hides the other
        stack.addWidget(w)
    box.setProperty("onTop", True)
    box.raise_()
    return page


def hide_span_box(inspector: Inspector) -> bool:
    """Nothing is selected any more: when the span box alone is shown, show the hint in its
    place, so that the next span selected fills it again (a label key follows a text
    selection, which unselects the span). False: the inspector must be built anew."""
    inner = inspector._inner
    if inspector._shown not in (SPAN_ALONE, HINT_OVER_SPAN) or inner is None:
        return False
    _on_top(inner, "inspectorHint", "spanBox")
    inspector._shown = HINT_OVER_SPAN
    return True


def _on_top(inner: QWidget, name: str, under: str) -> None:
    """Put ``name`` over ``under`` in the span page; ``under`` takes no keyboard focus while
    hidden (``_take_focus``); nothing when ``name`` is on top already."""
    top, other = inner.findChild(QWidget, name), inner.findChild(QWidget, under)
    if top is None or other is None or top.property("onTop"):
        return
    other.setProperty("onTop", False)
    _take_focus(other, False)
    _take_focus(top, True)
    top.setProperty("onTop", True)
    top.raise_()


def _take_focus(page: QWidget, on: bool) -> None:
    """Let the fields of a page of the span page take the keyboard focus (``on``) or not.

    Not by disabling the page: enabling the span box again, on every label key after a text
    selection, sent a change event to each of its ~50 widgets (the combos' popup lists and
    their scroll bars too, each through the application's event filters) and restyled them:
    6.5 ms of thread CPU per key with the repaint the box needs anyway, against 0.1 ms for
    the dozen focus policies set here (#10.16). The hint is always drawn greyed (disabled);
    the page under the other is covered by it (opaque), so no click reaches it. A field that
    holds the focus as its page goes under keeps the old way (the page disabled, so that Qt
    moves the focus on) and is enabled again when the page comes back on top."""
    if page.objectName() == "inspectorHint":
        return  # a label, disabled since it was made
    focus = QApplication.focusWidget()
    if not on and focus is not None and page.isAncestorOf(focus):
        page.setEnabled(False)
    elif on and not page.isEnabled():
        page.setEnabled(True)
    fields: list[tuple[QWidget, Qt.FocusPolicy]] | None = getattr(page, "focus_fields", None)
    if fields is None:  # once per page: its fields and their own policies
        fields = [(f, f.focusPolicy()) for f in page.findChildren(QWidget)
                  if f.focusPolicy() != Qt.FocusPolicy.NoFocus]
        page.focus_fields = fields  # type: ignore[attr-defined]
    for field, policy in fields:
        field.setFocusPolicy(policy if on else Qt.FocusPolicy.NoFocus)


def _set_label(inner: QWidget, name: str, text: str) -> None:
    label = inner.findChild(QLabel, name)
    if label is not None and label.text() != text:
        label.setText(text)
