"""The inspector dock: the selected span, event or relation, and the current event's roles.

Two sections: the *current event* (armed by creating or selecting an event; it stays until Esc
so that digit keys fill its roles while other spans are selected) and the *selection*. Every
change calls the core through ``host.run_edit``; the view refreshes from the project's Changes.

Text from the article, the schema or a file is shown as plain text (gui.plain_text, #9.14); role
rows reflow (flow layout), combos elide, and what still does not fit scrolls, at any dock width
(#10.11); a rebuild keeps the keyboard focus where the user put it (#10.7).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.schema import AttributeDef, EventType, Role, parse_cardinality
from annotator.core.suggestions import status_note
from annotator.errors import NotFoundError, SchemaError
from annotator.gui import theme
from annotator.gui.flow_layout import FlowLayout
from annotator.gui.inspector_refill import (
    SPAN_ALONE,
    hide_span_box,
    refill_span,
    short_text,
    span_page,
)
from annotator.gui.plain_text import no_mnemonic, plain_label, tooltip
from annotator.gui.refs_field import parse_refs_field, refs_field_text
from annotator.gui.soon import Soon

ROLE_KEYS = "1234567890"
REFS_PLACEHOLDER = r"Wikidata:Q42 Douglas Adams; GeoNames:2988507 (\; for a ; in a name)"


class Host(Protocol):
    project: Any

    def run_edit(self, fn: Callable[[], Any]) -> Any: ...
    def selected_span_id(self) -> str | None: ...
    def span_text(self, span_id: str) -> str: ...
    def shown_span(self, span_id: str) -> Any: ...  # the document view's copy, or None
    def jump_to(self, kind: str, ann_id: str) -> None: ...


def role_key(i: int) -> str:
    return ROLE_KEYS[i] if i < len(ROLE_KEYS) else ""


def cardinality_text(cardinality: str) -> str:
    """A role's cardinality in words (#10.13): ``?`` optional, ``1`` one, required, ``*`` any
    number, ``+`` one or more, ``{2}`` exactly 2, ``{0-3}`` up to 3, ``{2-4}`` 2 to 4."""
    try:
        lo, hi = parse_cardinality(cardinality)
    except SchemaError:
        return cardinality
    if hi is None:
        return {0: "any number", 1: "one or more"}.get(lo, f"{lo} or more")
    if (lo, hi) == (0, 1):
        return "optional"
    if (lo, hi) == (1, 1):
        return "one, required"
    if lo == hi:
        return f"exactly {lo}"
    return f"up to {hi}" if lo == 0 else f"{lo} to {hi}"


class Inspector(QScrollArea):
    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.selection: tuple[str, str] | None = None
        self.event_id: str | None = None
        self.flagged: list[str] = []  # required roles still empty (current event)
        self._soon = Soon(self._build, self)  # this turn, before the window paints
        self._inner: QWidget | None = None
        self._built_for: object = None  # the project the shown widgets were built for
        self._span: list[Any] = []  # the span the span box shows (its fields act on it)
        self._shown: tuple[str, ...] = ()  # the boxes shown: ("span",) = the span box alone
        self._rebuild = False  # the next build makes every widget anew (schema, theme)
        self._build()

    # ---- public ------------------------------------------------------------------------
    def show_annotation(self, selection: tuple[str, str] | None, event_id: str | None) -> None:
        if ((selection, event_id) != (self.selection, self.event_id)
                or self._built_for is not self.host.project):
            self.selection, self.event_id = selection, event_id
            self.schedule()

    def schedule(self, rebuild: bool = False) -> None:
        """Show the selection again soon (never inside the signal handler of a widget about
        to be replaced); ``rebuild``: every widget anew (the schema or the theme changed), not
        only the values of a span box that fits the new span."""
        self._rebuild = self._rebuild or rebuild
        self._soon.request()

    @property
    def _pending(self) -> bool:
        """Whether a build is still to come (tests wait on it)."""
        return self._soon.pending

    def rebuild_now(self) -> None:
        self._build()

    def changeEvent(self, e: QEvent) -> None:  # noqa: N802
        if e.type() == QEvent.Type.PaletteChange:  # View > Theme: flags use the theme's red
            self.schedule(rebuild=True)
        super().changeEvent(e)

    # ---- building ----------------------------------------------------------------------
    def _build(self) -> None:
        self._soon.cancel()
        sel = self.selection
        if sel and sel[0] == "span" and self.host.project is not None:
            try:
                if not self._rebuild and refill_span(self, sel[1]):
                    return
            except NotFoundError:
                pass  # the build below drops the selection
        elif not sel and not self.event_id and not self._rebuild and hide_span_box(self):
            return
        self._span, self._shown, self._rebuild = [], (), False
        focus_name = ""
        fw = self._focus_now()
        if fw is not None and self.isAncestorOf(fw):
            focus_name = fw.objectName()
        inner = QWidget()
        inner.setObjectName("inspectorInner")
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(8)
        self.flagged = []
        project = self.host.project
        self._built_for = project
        if project is None:
            layout.addWidget(plain_label("No project open."))
        else:
            if self.event_id:
                try:
                    layout.addWidget(self._event_box(self.event_id, current=True))
                except NotFoundError:
                    self.event_id = None
            if sel and not (sel[0] == "event" and sel[1] == self.event_id):
                try:
                    for made in self._selection_boxes(sel):
                        layout.addWidget(made)
                except NotFoundError:
                    self.selection = None
            if not self.event_id and not self.selection:
                layout.addWidget(self._hint())
        layout.addStretch(1)
        old = self.takeWidget()
        self.setWidget(inner)
        self._inner = inner
        if old is not None:
            old.deleteLater()
        if focus_name:
            target = inner.findChild(QWidget, focus_name)
            if target is not None:
                target.setFocus()

    def _selection_boxes(self, sel: tuple[str, str]) -> list[QWidget]:
        """The boxes of the selection: its own, and a span's chain; a span alone shares its
        room with the hint (``span_page``: refilled in place after a text selection)."""
        builders: dict[str, Callable[[str], QGroupBox]] = {
            "span": self._span_box, "event": self._event_box, "relation": self._relation_box}
        box = builders.get(sel[0])
        made: QWidget | None = box(sel[1]) if box is not None else None
        chain = self._chain_box(sel[1]) if sel[0] == "span" else None
        if made is not None and sel[0] == "span" and chain is None and not self.event_id:
            made, self._shown = span_page(made, self._hint()), SPAN_ALONE
        return [b for b in (made, chain) if b is not None]

    @staticmethod
    def _hint() -> QLabel:
        """What the inspector says when nothing is selected."""
        hint = plain_label("Select text and press a label key, or select an annotation "
                           "(Tab) to inspect it.\n\nE makes the selection an event; R "
                           "starts a relation from the selected span.")
        hint.setObjectName("inspectorHint")
        hint.setWordWrap(True)
        hint.setEnabled(False)
        return hint

    def _focus_now(self) -> QWidget | None:
        """Where the keyboard focus is now (or, while the window is inactive, where it will
        return). Not ``self.focusWidget()``: that names the last inspector field that had the
        focus even after Ctrl+2 took it back to the text, and restoring it stole the
        keyboard from the text (#10.7)."""
        fw = QApplication.focusWidget()
        window = self.window()
        if fw is None and window is not self and not window.isActiveWindow():
            fw = window.focusWidget()
        return fw

    def _group(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(no_mnemonic(title))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        return box, form

    @staticmethod
    def _row(form: QFormLayout, label: str, field: QWidget) -> None:
        """A form row whose label (a schema name, maybe) is plain text, buddy of its field."""
        lab = plain_label(no_mnemonic(label))
        lab.setBuddy(field)
        form.addRow(lab, field)

    def _text_label(self, text: str) -> QLabel:
        lab = plain_label(short_text(text))
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lab.setWordWrap(True)
        lab.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        lab.setMinimumWidth(60)
        return lab

    def _combo(self, name: str, items: list[str], current: str,
               apply: Callable[[str], None], blank: bool = False) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # narrow docks elide long values instead of pushing the arrow out of sight (#10.11)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
        if blank:
            combo.addItem("—", "")
        for it in items:
            combo.addItem(it, it)
        i = combo.findData(current)
        if i < 0 and current:
            combo.addItem(f"{current} (not in schema)", current)
            i = combo.count() - 1
        combo.setCurrentIndex(max(0, i))
        combo.setProperty("stored", current)

        def changed(_i: int) -> None:
            value = combo.currentData()
            if value != combo.property("stored"):
                apply(value)

        combo.currentIndexChanged.connect(changed)
        return combo

    def _line(self, name: str, value: str, apply: Callable[[str], None],
              placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(value)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setProperty("stored", value)

        def done() -> None:
            if edit.text() != edit.property("stored"):
                apply(edit.text())

        edit.editingFinished.connect(done)
        return edit

    def _attr_rows(self, form: QFormLayout, prefix: str, defs: list[AttributeDef],
                   attrs: Callable[[], dict[str, Any]], apply: Callable[[dict[str, Any]], None],
                   shown: dict[str, Any]) -> None:
        """One combo per attribute: it shows ``shown`` (the stored ``attrs`` with the schema's
        defaults filled in, ``Schema.effective_attrs``); a choice writes the stored ones."""
        for a in defs:
            values = [str(v) for v in a.values] if a.values else ["true", "false"]
            current = shown.get(a.name, "")
            current = ("true" if current else "false") if isinstance(current, bool) else \
                str(current or "")

            def set_value(v: str, _a: AttributeDef = a) -> None:
                new = dict(attrs())
                value: Any = v
                if _a.binary:
                    value = v == "true"
                if v == "":
                    new.pop(_a.name, None)
                else:
                    new[_a.name] = value
                apply(new)

            self._row(form, f"{a.label or a.name}:",
                      self._combo(f"{prefix}_attr_{a.name}", values, current, set_value,
                                  blank=True))

    # ---- span --------------------------------------------------------------------------
    def _span_box(self, span_id: str) -> QGroupBox:
        """The selected span's box; its fields act on ``self._span[0]``, the span shown, so
        that another span of the same shape is shown in the same widgets (``_refill_span``)."""
        project = self.host.project
        schema = project.schema
        s = project.span(span_id)
        ref = self._span = [s]
        box, form = self._group(f"Span  ·  {s.label}")
        box.setObjectName("spanBox")
        labels = schema.span_labels() if s.kind != "trigger" else \
            [t.name for t in schema.event_types]
        self._row(form, "Label:", self._combo(
            "span_label", labels, s.label,
            lambda v: self.host.run_edit(lambda: project.update_span(ref[0].id, label=v))))
        text_label = self._text_label(self.host.span_text(span_id))
        text_label.setObjectName("span_text")
        self._row(form, "Text:", text_label)
        kind_label = plain_label(self._kind_text(s))
        kind_label.setObjectName("span_kind")
        # as wide as the column whatever its text: a refill moves nothing (#10.16)
        kind_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._row(form, "Kind:", kind_label)
        if s.status != "gold":  # a suggestion: its status, source and score
            note = plain_label(status_note(s))
            note.setObjectName("span_status")
            self._row(form, "Status:", note)
        t = schema.entity_type(s.label) or schema.value_type(s.label)

        def set_attrs(new: dict[str, Any]) -> None:
            self.host.run_edit(lambda: project.update_span(ref[0].id, attrs=new))

        if t is not None and t.subtypes:
            def set_sub(v: str) -> None:
                new = dict(ref[0].attrs)
                if v:
                    new["subtype"] = v
                else:
                    new.pop("subtype", None)
                set_attrs(new)
            self._row(form, "Subtype:", self._combo("span_attr_subtype", t.subtypes,
                                                    str(s.attrs.get("subtype", "")), set_sub,
                                                    True))
        kind = "trigger" if s.kind == "trigger" else s.kind
        self._attr_rows(form, "span", schema.attributes_for(kind, s.label), lambda: ref[0].attrs,
                        set_attrs, schema.effective_attrs(kind, s.label, s.attrs))
        self._row(form, "KB:", self._line(
            "span_kb", s.kb_id,
            lambda v: self.host.run_edit(lambda: project.update_span(ref[0].id, kb_id=v.strip())),
            "e.g. wikidata:Q458"))
        self._span_model_rows(form, ref)
        self._row(form, "Note:", self._line(
            "span_note", s.note,
            lambda v: self.host.run_edit(lambda: project.update_span(ref[0].id, note=v))))
        return box

    @staticmethod
    def _kind_text(s: Any) -> str:
        return f"{s.kind}   [{s.start}–{s.end}]"

    @staticmethod
    def _span_shape(s: Any) -> tuple[Any, ...]:
        """What decides the span box's rows and their choices (the values aside)."""
        return s.kind, s.label, s.status != "gold", bool(s.fragments)

    def _span_model_rows(self, form: QFormLayout, ref: list[Any]) -> None:
        """Fragments (a discontinuous span) and references (``DB:ID name; ...``, editable)."""
        project = self.host.project
        s = ref[0]
        if s.fragments:
            frags = plain_label(self._fragments_text(s))
            frags.setObjectName("span_fragments")
            self._row(form, "Fragments:", frags)
        self._row(form, "References:", self._line(
            "span_refs", refs_field_text(s.refs),
            lambda v: self.host.run_edit(lambda: project.set_span_refs(ref[0].id,
                                                                       parse_refs_field(v))),
            REFS_PLACEHOLDER))

    @staticmethod
    def _fragments_text(s: Any) -> str:
        return "; ".join(f"{a}–{b}" for a, b in s.fragments)

    def _chain_box(self, span_id: str) -> QGroupBox | None:
        """The chain the selected span is a mention of: its type and references (editable),
        its mentions (click to select one), and a button that takes the span out of it."""
        project = self.host.project
        chain = project.chain_of(span_id)
        if chain is None:
            return None
        box, form = self._group(f"Chain  ·  {chain.type}  ·  {len(chain.mentions)} mention(s)")
        box.setObjectName("chainBox")
        cid = chain.id
        self._row(form, "Type:", self._line(
            "chain_type", chain.type,
            lambda v: self.host.run_edit(lambda: project.update_chain(cid, type=v.strip()))))
        self._row(form, "References:", self._line(
            "chain_refs", refs_field_text(chain.refs),
            lambda v: self.host.run_edit(lambda: project.set_chain_refs(cid, parse_refs_field(v))),
            "Wikidata:Q42 Douglas Adams"))
        for i, mention in enumerate(chain.mentions, 1):
            button = QToolButton()
            button.setObjectName(f"chain_mention_{i}")
            button.setText(no_mnemonic(short_text(self.host.span_text(mention))))
            button.setCheckable(True)
            button.setChecked(mention == span_id)
            button.clicked.connect(lambda _c=False, m=mention: self.host.jump_to("span", m))
            self._row(form, f"{i}.", button)
        unlink = QPushButton("Take out of the chain")
        unlink.setObjectName("chain_unlink")
        unlink.clicked.connect(
            lambda: self.host.run_edit(lambda: project.remove_from_chain(span_id)))
        self._row(form, "", unlink)
        return box

    # ---- event -------------------------------------------------------------------------
    def _event_box(self, event_id: str, current: bool = False) -> QGroupBox:
        project = self.host.project
        schema = project.schema
        ev = project.event(event_id)
        title = f"{'Current event' if current else 'Event'}  ·  {ev.type}"
        box, form = self._group(title)
        box.setObjectName("currentEventBox" if current else "eventBox")
        prefix = "cur_event" if current else "event"
        if current:
            hint = plain_label("Select an entity (Tab or click), then press the role's number "
                               "(A: any role by name). Esc releases the event.")
            hint.setWordWrap(True)
            hint.setEnabled(False)
            form.addRow(hint)
        self._row(form, "Type:", self._combo(
            f"{prefix}_type", [t.name for t in schema.event_types], ev.type,
            lambda v: self.host.run_edit(lambda: project.update_event(event_id, type=v))))
        try:
            trigger = self._text_label(self.host.span_text(ev.trigger_id))
        except NotFoundError:
            trigger = plain_label("(missing)")
        trigger.setObjectName(f"{prefix}_trigger")
        self._row(form, "Trigger:", trigger)

        def set_attrs(new: dict[str, Any]) -> None:
            self.host.run_edit(lambda: project.update_event(event_id, attrs=new))

        self._attr_rows(form, prefix, schema.attributes_for("event", ev.type), lambda: ev.attrs,
                        set_attrs, schema.effective_attrs("event", ev.type, ev.attrs))
        et = schema.event_type(ev.type)
        if et is not None and et.roles:
            form.addRow(self._roles_widget(ev, et, prefix, current))
        self._row(form, "Note:", self._line(
            f"{prefix}_note", ev.note,
            lambda v: self.host.run_edit(lambda: project.update_event(event_id, note=v))))
        return box

    def _roles_widget(self, ev: Any, et: EventType, prefix: str, current: bool) -> QWidget:
        frame = QFrame()
        frame.setObjectName(f"{prefix}_roles")
        grid = QVBoxLayout(frame)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setSpacing(2)
        head = QLabel("<b>Roles</b>  (key · role · cardinality · fillers)")  # no user text
        head.setWordWrap(True)
        grid.addWidget(head)
        by_role: dict[str, list[Any]] = {}
        for a in ev.arguments:
            by_role.setdefault(a.role, []).append(a)
        for i, role in enumerate(et.roles):
            key = role_key(i) if current else ""
            grid.addLayout(self._role_row(ev.id, role, key, by_role.get(role.name, []), prefix,
                                          current))
        return frame

    def _role_row(self, event_id: str, role: Role, key: str, fillers: list[Any], prefix: str,
                  current: bool) -> FlowLayout:
        """key · role · cardinality, the filler chips (× removes one) and "+": one flow row,
        wrapped onto more lines when the dock is narrow."""
        project = self.host.project
        err = theme.error_color().name()
        lo, hi = role.bounds
        missing = len(fillers) < lo
        too_many = hi is not None and len(fillers) > hi
        if missing and current:
            self.flagged.append(role.name)
        row = FlowLayout(spacing=4, hanging=True)
        # rich text for the bold key and the grey cardinality; the role name is escaped
        name = QLabel((f"<b>{key}</b>&nbsp;" if key else "") + html.escape(role.name)
                      + f" <span style='color:gray'>{cardinality_text(role.cardinality)}</span>")
        name.setTextFormat(Qt.TextFormat.RichText)
        name.setObjectName(f"{prefix}_role_{role.name}")
        name.setMinimumWidth(120)  # fillers of consecutive roles line up
        name.setToolTip(tooltip(f"{role.name}: {cardinality_text(role.cardinality)}"))
        if missing or too_many:
            name.setStyleSheet(f"color: {err};")
            name.setToolTip("required role still empty" if missing else
                            f"at most {hi} filler(s)")
            name.setProperty("flagged", True)
        row.addWidget(name)
        for a in fillers:
            b = QToolButton()
            b.setText(no_mnemonic(f"{short_text(self._filler_text(a))[:24]} ×"))
            b.setToolTip(tooltip(f"Remove this {role.name} filler"))
            b.setObjectName(f"{prefix}_remove_{role.name}")
            b.clicked.connect(lambda _=False, aid=a.id: self.host.run_edit(
                lambda: project.remove_argument(aid)))
            row.addWidget(b)
        if not fillers:
            empty = plain_label("required — empty" if missing else "—")
            if missing:
                empty.setStyleSheet(f"color: {err}; font-style: italic;")
            else:
                empty.setEnabled(False)
            row.addWidget(empty)
        add = QToolButton()
        add.setText("+")
        add.setAccessibleName("Fill from selection" if not fillers else "Add filler")
        add.setObjectName(f"{prefix}_fill_{role.name}")
        add.setEnabled(hi is None or len(fillers) < hi)
        add.setToolTip(tooltip(f"Fill from selection: {role.name} := the selected span"
                               + (f" (key {key})" if key else "")))
        add.clicked.connect(lambda _=False, r=role.name: self._fill(event_id, r))
        row.addWidget(add)
        return row

    def _filler_text(self, arg: Any) -> str:
        project = self.host.project
        try:
            if arg.filler_kind == "event":
                e = project.event(arg.filler_id)
                return f"[{e.type}] {self.host.span_text(e.trigger_id)}"
            return self.host.span_text(arg.filler_id)
        except NotFoundError:
            return "(missing)"

    def _fill(self, event_id: str, role: str) -> None:
        span_id = self.host.selected_span_id()
        if not span_id:
            self.host.run_edit(lambda: (_ for _ in ()).throw(
                NotFoundError("select an entity span first (Tab or click), then fill the role")))
            return
        self.host.run_edit(lambda: self.host.project.add_argument(event_id, role, span_id))

    # ---- relation ----------------------------------------------------------------------
    def _relation_box(self, relation_id: str) -> QGroupBox:
        project = self.host.project
        schema = project.schema
        r = project.relation(relation_id)
        box, form = self._group(f"Relation  ·  {r.type}")
        box.setObjectName("relationBox")
        self._row(form, "Type:", self._combo(
            "relation_type", schema.relation_type_names(), r.type,
            lambda v: self.host.run_edit(lambda: project.update_relation(relation_id, type=v))))
        arrow = "↔" if schema.is_symmetric(r.type) else "→"
        try:
            head = self.host.span_text(r.head_id)
            tail = self.host.span_text(r.tail_id)
        except NotFoundError:
            head, tail = "(missing)", "(missing)"
        ends = self._text_label(f"{head}  {arrow}  {tail}")
        ends.setObjectName("relation_ends")
        self._row(form, "Ends:", ends)
        rev = QPushButton("Reverse direction (Ctrl+R)")
        rev.setObjectName("relation_reverse")
        rev.setEnabled(not schema.is_symmetric(r.type))
        rev.clicked.connect(lambda: self.host.run_edit(
            lambda: project.reverse_relation(relation_id)))
        form.addRow("", rev)

        def set_attrs(new: dict[str, Any]) -> None:
            self.host.run_edit(lambda: project.update_relation(relation_id, attrs=new))

        self._attr_rows(form, "relation", schema.attributes_for("relation", r.type),
                        lambda: r.attrs,
                        set_attrs, schema.effective_attrs("relation", r.type, r.attrs))
        self._row(form, "Note:", self._line(
            "relation_note", r.note,
            lambda v: self.host.run_edit(lambda: project.update_relation(relation_id, note=v))))
        return box
