"""Check annotations against the schema and the document: what the problems panel and
``annotator check`` list. Pure functions over core objects."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from annotator.core.model import Annotations, Span
from annotator.core.offsets import TokenIndex
from annotator.core.schema import AttributeDef, Schema


@dataclass(frozen=True, slots=True)
class Problem:
    severity: str  # "error" | "warning"
    code: str
    message: str
    doc_id: str = ""
    ann_id: str = ""
    ann_kind: str = ""  # span | event | relation | argument
    start: int = -1
    end: int = -1

    def __str__(self) -> str:
        where = f" [{self.start}:{self.end}]" if self.start >= 0 else ""
        return f"{self.severity}: {self.message}{where}"


def _attr_problems(schema: Schema, kind: str, type_name: str, attrs: dict[str, Any],
                   ann_id: str, ann_kind: str, doc_id: str, start: int, end: int) -> list[Problem]:
    out: list[Problem] = []
    defs: dict[str, AttributeDef] = {a.name: a for a in schema.attributes_for(kind, type_name)}
    for name, value in attrs.items():
        if name == "subtype" and kind in ("entity", "value"):
            t = schema.entity_type(type_name) or schema.value_type(type_name)
            if t is not None and t.subtypes and value not in t.subtypes:
                out.append(Problem("error", "bad-subtype",
                                   f"{type_name} has no subtype {value!r}", doc_id, ann_id,
                                   ann_kind, start, end))
            continue
        definition = defs.get(name)
        if definition is None:
            out.append(Problem("warning", "unknown-attribute",
                               f"attribute {name!r} is not defined for {type_name}", doc_id,
                               ann_id, ann_kind, start, end))
        elif definition.values and value not in definition.values:
            out.append(Problem("error", "bad-attribute-value",
                               f"{name}={value!r} is not one of {definition.values}", doc_id,
                               ann_id, ann_kind, start, end))
    return out


def validate_annotations(schema: Schema, doc_id: str, text: str, tokens: TokenIndex | None,
                         ann: Annotations) -> list[Problem]:
    """Every schema violation and integrity problem in one document's annotation set."""
    problems: list[Problem] = []
    spans = ann.span_by_id()
    events = {e.id: e for e in ann.events}

    def span_problem(code: str, msg: str, s: Span, severity: str = "error") -> None:
        problems.append(Problem(severity, code, msg, doc_id, s.id, "span", s.start, s.end))

    for s in ann.spans:
        if not (0 <= s.start < s.end <= len(text)):
            span_problem("bad-offsets", f"span {s.label} [{s.start}:{s.end}] is outside the text "
                         f"(length {len(text)})", s)
            continue
        kind = schema.span_kind_of(s.label)
        if kind is None:
            span_problem("unknown-label", f"label {s.label!r} is not in the schema", s)
        elif kind != s.kind:
            span_problem("wrong-kind", f"{s.label} is a {kind} label but the span is a {s.kind}",
                         s)
        if tokens is not None and len(tokens) and not tokens.is_aligned(s.start, s.end):
            span_problem("off-token", f"{s.label} {text[s.start:s.end]!r} does not start and end "
                         "on token boundaries", s, "warning")
        if text[s.start:s.end] != text[s.start:s.end].strip():
            span_problem("whitespace-edge", f"{s.label} span starts or ends with whitespace", s,
                         "warning")
        problems.extend(_attr_problems(schema, s.kind, s.label, s.attrs, s.id, "span", doc_id,
                                   s.start, s.end))

    if not schema.allow_overlap:
        ordered = sorted((s for s in ann.spans if s.kind != "trigger"),
                         key=lambda s: (s.start, -s.end))
        last_end, last = -1, None
        for s in ordered:
            if last is not None and s.start < last_end:
                span_problem("forbidden-overlap", f"{s.label} overlaps {last.label} "
                             f"[{last.start}:{last.end}] but the schema forbids overlaps", s)
            if s.end > last_end:
                last_end, last = s.end, s
        seen: Counter[tuple[int, int, str]] = Counter()
        for s in ann.spans:
            seen[(s.start, s.end, s.label)] += 1
            if seen[(s.start, s.end, s.label)] == 2:
                span_problem("duplicate-span", f"{s.label} is annotated twice on the same text", s,
                             "warning")

    for e in ann.events:
        trig = spans.get(e.trigger_id)
        t0, t1 = (trig.start, trig.end) if trig else (-1, -1)

        def ev_problem(code: str, msg: str, severity: str = "error", *, _e=e, _t0=t0,
                       _t1=t1) -> None:
            problems.append(Problem(severity, code, msg, doc_id, _e.id, "event", _t0, _t1))

        if trig is None:
            ev_problem("dangling-trigger", f"event {e.type} has no trigger span")
        elif trig.kind != "trigger":
            ev_problem("trigger-kind", f"event {e.type} is triggered by a {trig.kind} span")
        et = schema.event_type(e.type)
        if et is None:
            ev_problem("unknown-event-type", f"event type {e.type!r} is not in the schema")
            continue
        problems.extend(_attr_problems(schema, "event", e.type, e.attrs, e.id, "event", doc_id, t0,
                                   t1))
        counts: Counter[str] = Counter()
        for arg in e.arguments:
            counts[arg.role] += 1
            role = et.role(arg.role)
            if role is None:
                ev_problem("unknown-role", f"{e.type} has no role {arg.role!r}")
                continue
            if arg.filler_kind == "event":
                filler_ev = events.get(arg.filler_id)
                if filler_ev is None:
                    ev_problem("dangling-argument", f"{e.type} {arg.role} points at a missing "
                               "event")
                elif not schema.type_matches(filler_ev.type, "event", role.fillers):
                    ev_problem("wrong-filler", f"{e.type} {arg.role} cannot be filled by event "
                               f"{filler_ev.type} (allowed: {', '.join(role.fillers)})")
                continue
            filler = spans.get(arg.filler_id)
            if filler is None:
                ev_problem("dangling-argument", f"{e.type} {arg.role} points at a missing span")
            elif not schema.type_matches(filler.label, filler.kind, role.fillers):
                problems.append(Problem(
                    "error", "wrong-filler",
                    f"{e.type} {arg.role} cannot be filled by {filler.label} "
                    f"{text[filler.start:filler.end]!r} (allowed: {', '.join(role.fillers)})",
                    doc_id, e.id, "event", filler.start, filler.end))
        for role in et.roles:
            lo, hi = role.bounds
            n = counts[role.name]
            if n < lo:
                ev_problem("missing-role", f"{e.type} needs {role.name} "
                           f"({role.cardinality}); it has {n}")
            elif hi is not None and n > hi:
                ev_problem("too-many-fillers", f"{e.type} allows {role.cardinality} "
                           f"{role.name}; it has {n}",
                           "warning" if role.name == "Place" else "error")

    for r in ann.relations:
        head, tail = spans.get(r.head_id), spans.get(r.tail_id)
        r0 = min(head.start, tail.start) if head and tail else -1
        r1 = max(head.end, tail.end) if head and tail else -1

        def rel_problem(code: str, msg: str, severity: str = "error", *, _r=r, _r0=r0,
                        _r1=r1) -> None:
            problems.append(Problem(severity, code, msg, doc_id, _r.id, "relation", _r0, _r1))

        if head is None or tail is None:
            rel_problem("dangling-relation", f"relation {r.type} points at a missing span")
            continue
        options = schema.relation_types_named(r.type)
        if not options:
            rel_problem("unknown-relation-type", f"relation type {r.type!r} is not in the schema")
            continue
        fits = any(schema.type_matches(head.label, head.kind, o.arg1)
                   and schema.type_matches(tail.label, tail.kind, o.arg2) for o in options)
        if not fits and options[0].symmetric:
            fits = any(schema.type_matches(tail.label, tail.kind, o.arg1)
                       and schema.type_matches(head.label, head.kind, o.arg2) for o in options)
        if not fits:
            rel_problem("wrong-argument", f"{r.type} does not allow {head.label} -> {tail.label}")
        if r.head_id == r.tail_id:
            rel_problem("self-relation", f"{r.type} relates a span to itself", "warning")
        problems.extend(_attr_problems(schema, "relation", r.type, r.attrs, r.id, "relation",
                                   doc_id, r0, r1))
    return problems


def fitting_relation_types(schema: Schema, head: Span, tail: Span) -> list[str]:
    """Relation types whose argument constraints accept head -> tail (for the GUI's picker)."""
    out: dict[str, None] = {}
    for o in schema.relation_types:
        if schema.type_matches(head.label, head.kind, o.arg1) and schema.type_matches(
                tail.label, tail.kind, o.arg2) or o.symmetric and schema.type_matches(tail.label, tail.kind, o.arg1) and \
                schema.type_matches(head.label, head.kind, o.arg2):
            out.setdefault(o.name, None)
    return list(out)


def fitting_roles(schema: Schema, event_type: str, filler_label: str, filler_kind: str) -> list[str]:
    """Roles of ``event_type`` that accept a filler with this label (for the GUI's role keys)."""
    et = schema.event_type(event_type)
    if et is None:
        return []
    return [r.name for r in et.roles if schema.type_matches(filler_label, filler_kind, r.fillers)]
