"""Check annotations against the schema and the document: what the problems panel and
``annotator check`` list. Pure functions over core objects."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from annotator.core.model import Annotations, Event, Relation, Span
from annotator.core.offsets import TokenIndex
from annotator.core.schema import AttributeDef, Role, Schema


@dataclass(frozen=True, slots=True)
class Problem:
    severity: str  # "error" | "warning"
    code: str
    message: str
    doc_id: str = ""
    ann_id: str = ""
    ann_kind: str = ""  # span | event | relation | argument | chain
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
    """Every schema violation and integrity problem in one document's annotation set: spans,
    then overlaps (when the schema forbids them), events, relations, each in stored order."""
    check = _Checker(schema, doc_id, text, ann)
    for s in ann.spans:
        check.span(s, tokens)
    if not schema.allow_overlap:
        check.overlaps()
    for e in ann.events:
        check.event(e)
    for r in ann.relations:
        check.relation(r)
    check.chains()
    return check.problems


class _Checker:
    """The problems found so far in one document's annotation set, and the look-ups the
    checks share."""

    def __init__(self, schema: Schema, doc_id: str, text: str, ann: Annotations) -> None:
        self.schema, self.doc_id, self.text, self.ann = schema, doc_id, text, ann
        self.spans = ann.span_by_id()
        self.events = {e.id: e for e in ann.events}
        self.problems: list[Problem] = []

    def add(self, severity: str, code: str, msg: str, ann_id: str, kind: str, start: int,
            end: int) -> None:
        self.problems.append(Problem(severity, code, msg, self.doc_id, ann_id, kind, start, end))

    def attrs(self, kind: str, type_name: str, attrs: dict[str, Any], ann_id: str,
              ann_kind: str, start: int, end: int) -> None:
        self.problems.extend(_attr_problems(self.schema, kind, type_name, attrs, ann_id,
                                            ann_kind, self.doc_id, start, end))

    def span_problem(self, code: str, msg: str, s: Span, severity: str = "error") -> None:
        self.add(severity, code, msg, s.id, "span", s.start, s.end)

    # ---- spans -------------------------------------------------------------------------
    def span(self, s: Span, tokens: TokenIndex | None) -> None:
        text = self.text
        if not (0 <= s.start < s.end <= len(text)):
            self.span_problem("bad-offsets", f"span {s.label} [{s.start}:{s.end}] is outside "
                              f"the text (length {len(text)})", s)
            return
        kind = self.schema.span_kind_of(s.label)
        if kind is None:
            self.span_problem("unknown-label", f"label {s.label!r} is not in the schema", s)
        elif kind != s.kind:
            self.span_problem("wrong-kind", f"{s.label} is a {kind} label but the span is a "
                              f"{s.kind}", s)
        if tokens is not None and len(tokens) and not tokens.is_aligned(s.start, s.end):
            self.span_problem("off-token", f"{s.label} {text[s.start:s.end]!r} does not start "
                              "and end on token boundaries", s, "warning")
        if text[s.start:s.end] != text[s.start:s.end].strip():
            self.span_problem("whitespace-edge", f"{s.label} span starts or ends with "
                              "whitespace", s, "warning")
        self.attrs(s.kind, s.label, s.attrs, s.id, "span", s.start, s.end)

    def overlaps(self) -> None:
        """Overlapping entity/value spans and duplicates, for a schema that forbids overlap."""
        ordered = sorted((s for s in self.ann.spans if s.kind != "trigger"),
                         key=lambda s: (s.start, -s.end))
        last_end, last = -1, None
        for s in ordered:
            if last is not None and s.start < last_end:
                self.span_problem("forbidden-overlap", f"{s.label} overlaps {last.label} "
                                  f"[{last.start}:{last.end}] but the schema forbids overlaps", s)
            if s.end > last_end:
                last_end, last = s.end, s
        seen: Counter[tuple[int, int, str]] = Counter()
        for s in self.ann.spans:
            seen[(s.start, s.end, s.label)] += 1
            if seen[(s.start, s.end, s.label)] == 2:
                self.span_problem("duplicate-span", f"{s.label} is annotated twice on the same "
                                  "text", s, "warning")

    # ---- events ------------------------------------------------------------------------
    def event(self, e: Event) -> None:
        trig = self.spans.get(e.trigger_id)
        t0, t1 = (trig.start, trig.end) if trig else (-1, -1)

        def problem(code: str, msg: str, severity: str = "error") -> None:
            self.add(severity, code, msg, e.id, "event", t0, t1)

        if trig is None:
            problem("dangling-trigger", f"event {e.type} has no trigger span")
        elif trig.kind != "trigger":
            problem("trigger-kind", f"event {e.type} is triggered by a {trig.kind} span")
        et = self.schema.event_type(e.type)
        if et is None:
            problem("unknown-event-type", f"event type {e.type!r} is not in the schema")
            return
        self.attrs("event", e.type, e.attrs, e.id, "event", t0, t1)
        counts: Counter[str] = Counter()
        for arg in e.arguments:
            counts[arg.role] += 1
            role = et.role(arg.role)
            if role is None:
                problem("unknown-role", f"{e.type} has no role {arg.role!r}")
            else:
                self.argument(e, arg.filler_kind, arg.filler_id, role, problem)
        for role in et.roles:
            lo, hi = role.bounds
            n = counts[role.name]
            if n < lo:
                problem("missing-role", f"{e.type} needs {role.name} ({role.cardinality}); "
                        f"it has {n}")
            elif hi is not None and n > hi:
                problem("too-many-fillers", f"{e.type} allows {role.cardinality} {role.name}; "
                        f"it has {n}", "warning" if role.name == "Place" else "error")

    def argument(self, e: Event, filler_kind: str, filler_id: str, role: Role,
                 problem: Callable[[str, str], None]) -> None:
        """A missing filler, or one whose type the role does not allow."""
        allowed = ", ".join(role.fillers)
        if filler_kind == "event":
            filler_ev = self.events.get(filler_id)
            if filler_ev is None:
                problem("dangling-argument", f"{e.type} {role.name} points at a missing event")
            elif not self.schema.type_matches(filler_ev.type, "event", role.fillers):
                problem("wrong-filler", f"{e.type} {role.name} cannot be filled by event "
                        f"{filler_ev.type} (allowed: {allowed})")
            return
        filler = self.spans.get(filler_id)
        if filler is None:
            problem("dangling-argument", f"{e.type} {role.name} points at a missing span")
        elif not self.schema.type_matches(filler.label, filler.kind, role.fillers):
            self.add("error", "wrong-filler",
                     f"{e.type} {role.name} cannot be filled by {filler.label} "
                     f"{self.text[filler.start:filler.end]!r} (allowed: {allowed})",
                     e.id, "event", filler.start, filler.end)

    def chains(self) -> None:
        _chain_problems(self)

    # ---- relations ---------------------------------------------------------------------
    def relation(self, r: Relation) -> None:
        schema = self.schema
        head, tail = self.spans.get(r.head_id), self.spans.get(r.tail_id)
        r0 = min(head.start, tail.start) if head and tail else -1
        r1 = max(head.end, tail.end) if head and tail else -1

        def problem(code: str, msg: str, severity: str = "error") -> None:
            self.add(severity, code, msg, r.id, "relation", r0, r1)

        if head is None or tail is None:
            problem("dangling-relation", f"relation {r.type} points at a missing span")
            return
        options = schema.relation_types_named(r.type)
        if not options:
            problem("unknown-relation-type", f"relation type {r.type!r} is not in the schema")
            return
        fits = any(schema.type_matches(head.label, head.kind, o.arg1)
                   and schema.type_matches(tail.label, tail.kind, o.arg2) for o in options)
        if not fits and options[0].symmetric:
            fits = any(schema.type_matches(tail.label, tail.kind, o.arg1)
                       and schema.type_matches(head.label, head.kind, o.arg2) for o in options)
        if not fits:
            problem("wrong-argument", f"{r.type} does not allow {head.label} -> {tail.label}")
        if r.head_id == r.tail_id:
            problem("self-relation", f"{r.type} relates a span to itself", "warning")
        self.attrs("relation", r.type, r.attrs, r.id, "relation", r0, r1)


# ---- chains (a method of _Checker, kept beside the rule it implements) --------------------
def _chain_problems(check: _Checker) -> None:
    """A mention missing from the set, a mention in two chains, and a chain whose mentions'
    types its own type forbids: an entity or value type admits its own label (or subtypes),
    an equivalence relation type (brat ``Alias``) the types its arguments allow."""
    schema = check.schema
    owner: dict[str, str] = {}  # span id -> the type of the first chain listing it
    for c in check.ann.chains:
        mentions = [check.spans.get(m) for m in c.mentions]
        present = [s for s in mentions if s is not None]
        first = present[0] if present else None
        c0, c1 = (min(s.start for s in present), max(s.end for s in present)) if present \
            else (-1, -1)
        if len(present) < len(mentions):
            check.add("error", "chain-dangling", f"chain {c.type} lists a mention that is not "
                      "a span of this set", c.id, "chain", c0, c1)
        for s in present:
            if s.id in owner:
                check.add("error", "chain-shared-mention", f"{s.label} "
                          f"{check.text[s.start:s.end]!r} is a mention of two chains "
                          f"({owner[s.id]} and {c.type})", c.id, "chain", s.start, s.end)
            owner.setdefault(s.id, c.type)
        if first is None:
            continue
        options = schema.relation_types_named(c.type)
        if schema.span_kind_of(c.type) is not None:
            allowed = [c.type]
        elif options:
            allowed = [t for o in options for t in (*o.arg1, *o.arg2)]
        else:
            continue
        for s in present:
            if not schema.type_matches(s.label, s.kind, allowed):
                check.add("error", "chain-mixed-types", f"chain {c.type} cannot have the "
                          f"{s.label} mention {check.text[s.start:s.end]!r} (allowed: "
                          f"{', '.join(dict.fromkeys(allowed))})", c.id, "chain", s.start, s.end)


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
