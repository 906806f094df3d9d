"""brat ``visual.conf`` (display labels and colours) and ``kb_shortcuts.conf`` (hotkeys):
reading them into a Schema and writing them from one.

Labels go to ``visual.conf [labels]`` as ``STORAGE | Label``, colours to ``[drawing]``
(``bgColor`` for spans and triggers, with the text colour from ``core.colors.text_color_on``,
the rule the document view uses; ``color`` for relation arcs); hotkeys to ``kb_shortcuts.conf``
as an upper-case key, read back in lower case.
"""

from __future__ import annotations

from annotator.core.colors import text_color_on
from annotator.core.schema import EventType, RelationType, Schema, SpanType
from annotator.formats.brat.conf_syntax import SECTION_RE
from annotator.formats.brat.conf_syntax import conf_error as _err
from annotator.formats.brat.names import ConfNames, brat_safe_name, text_bound_types


def parse_visual_conf(text: str, source: str = "visual.conf"
                      ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """``({storage form: label}, {storage form: {drawing key: value}})``."""
    labels: dict[str, str] = {}
    drawing: dict[str, dict[str, str]] = {}
    section: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = SECTION_RE.match(line)
        if m:
            section = m.group(1).strip()
            if section not in ("labels", "drawing", "options"):
                raise _err(source, lineno, f"unknown section [{section}] (expected [labels], "
                           "[drawing] or [options])")
            continue
        if section is None:
            raise _err(source, lineno, f"line outside any section: {stripped!r}")
        if section == "labels":
            terms = [t.strip() for t in stripped.split("|")]
            if len(terms) >= 2 and terms[1] and terms[1] != "<EMPTY>":
                labels[terms[0]] = terms[1]
        elif section == "drawing":
            parts = stripped.split(None, 1)
            if len(parts) != 2:
                continue  # a type with no settings
            settings = drawing.setdefault(parts[0], {})
            for item in parts[1].split(","):
                key, sep, value = item.strip().partition(":")
                if not sep:
                    raise _err(source, lineno, f"cannot parse drawing setting {item.strip()!r} "
                               "(expected key:value)")
                settings[key.strip()] = value.strip()
    return labels, drawing


def apply_visual_conf(schema: Schema, text: str, *, source: str = "visual.conf") -> None:
    """Set labels and colours from a ``visual.conf`` text (brat storage names)."""
    labels, drawing = parse_visual_conf(text, source)
    for t in text_bound_types(schema):
        _apply_style(t, labels, drawing.get(t.name, {}).get("bgColor", ""))
    for rt in schema.relation_types:
        _apply_style(rt, labels, drawing.get(rt.name, {}).get("color", ""))
    for a in schema.attributes:
        if a.name in labels:
            a.label = labels[a.name]


def _apply_style(t: SpanType | EventType | RelationType, labels: dict[str, str],
                 color: str) -> None:
    if t.name in labels:
        t.label = labels[t.name]
    if color and color != "<NONE>":
        t.color = color


def parse_kb_shortcuts(text: str, source: str = "kb_shortcuts.conf") -> list[tuple[str, str]]:
    """``[(key, type name)]`` in file order."""
    out = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = stripped.split()
        if len(parts) != 2:
            raise _err(source, lineno, f"expected 'KEY Type', got {stripped!r}")
        out.append((parts[0], parts[1]))
    return out


def apply_kb_shortcuts(schema: Schema, text: str, *, source: str = "kb_shortcuts.conf") -> None:
    """Set hotkeys (lower-cased) from ``kb_shortcuts.conf``; types match case-insensitively.

    As in brat, the first line for a key wins; keys for unknown types are ignored.
    """
    used: set[str] = set()
    for key, type_name in parse_kb_shortcuts(text, source):
        hotkey = key.lower()
        if hotkey not in used and _give_hotkey(schema, hotkey, type_name.lower()):
            used.add(hotkey)


def _give_hotkey(schema: Schema, hotkey: str, wanted: str) -> bool:
    """The first type named ``wanted`` without a hotkey gets it; else every relation type of
    that name; else every role of that name. Whether any did."""
    for t in text_bound_types(schema):
        if t.name.lower() == wanted and not t.hotkey:
            t.hotkey = hotkey
            return True
    hit = False
    for rt in schema.relation_types:
        if rt.name.lower() == wanted and not rt.hotkey:
            rt.hotkey, hit = hotkey, True
    if hit:
        return True
    for et in schema.event_types:
        for r in et.roles:
            if r.name.lower() == wanted and not r.hotkey:
                r.hotkey, hit = hotkey, True
    return hit


def _label_line(safe: str, name: str, label: str) -> list[str]:
    """``STORAGE | Label [| original name]`` when the display form differs from storage."""
    full = label or name
    if not (label or full != safe):
        return []
    forms = [safe, full] + ([name] if name not in (full, safe) else [])
    return [" | ".join(forms)]


def write_visual_conf(schema: Schema) -> str:
    """``visual.conf``: display labels (``[labels]``) and colours (``[drawing]``)."""
    w = ConfNames(schema)
    labels: list[str] = []
    drawing: list[str] = []
    for t in text_bound_types(schema):
        safe = w.t(t.name)
        labels += _label_line(safe, t.name, t.label)
        if t.color:
            drawing.append(f"{safe}\tbgColor:{t.color}, fgColor:{text_color_on(t.color)}")
    seen: set[str] = set()
    for rt in schema.relation_types:
        safe = w.t(rt.name)
        if safe in seen:
            continue
        seen.add(safe)
        labels += _label_line(safe, rt.name, rt.label)
        if rt.color:
            drawing.append(f"{safe}\tcolor:{rt.color}")
    for a in w.attributes:
        safe = brat_safe_name(a.name)
        if a.label:
            labels.append(f"{safe} | {a.label}")
    out = [f"# brat visual.conf written by annotator from schema {schema.name!r}.", "",
           "[labels]", "", *labels, "", "[drawing]", "",
           "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
           "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5", *drawing]
    return "\n".join(out) + "\n"


def write_kb_shortcuts(schema: Schema) -> str:
    """``kb_shortcuts.conf``: ``KEY<TAB>Type`` for every type, relation and role hotkey."""
    w = ConfNames(schema)
    lines = [f"# brat kb_shortcuts.conf written by annotator from schema {schema.name!r}."]
    used: set[str] = set()

    def add(key: str, name: str) -> None:
        if key and key.lower() not in used:
            used.add(key.lower())
            lines.append(f"{key.upper()}\t{name}")

    for t in text_bound_types(schema):
        add(t.hotkey, w.t(t.name))
    for rt in schema.relation_types:
        add(rt.hotkey, w.t(rt.name))
    for et in schema.event_types:
        for r in et.roles:
            add(r.hotkey, w.role(r.name))
    return "\n".join(lines) + "\n"
