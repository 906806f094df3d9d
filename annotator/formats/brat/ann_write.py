"""Annotations -> brat ``.ann`` text: one small writer per line kind.

``T`` lines are numbered in text order, spans crossing line breaks written as fragments split
at the breaks (``fragments``); ``E`` lines number repeated roles (``Attacker Attacker2``);
symmetric-transitive relation types become ``*`` lines of connected groups, other relations
``R`` lines; then ``A`` attributes, ``N`` normalizations and ``#`` notes (relation attributes
as ``#`` ``RelationAttributes`` lines, brat#791). Everything brat cannot carry goes to ``lose``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from annotator.core.model import Annotations, Event, Reference, Relation, Span
from annotator.core.schema import Schema
from annotator.formats.brat.ann_lines import LB_RE, LB_RUN_RE, LINE_BREAKS
from annotator.formats.brat.ann_read import NOTE_TYPE, REL_ATTR_NOTE
from annotator.formats.brat.names import brat_name_map, brat_safe_name

COREF_TYPE = "Coreference"  # the '*' type of a chain whose type is not an equivalence type
_NOTE_SPLIT_RE = re.compile(r"\r\n|[" + re.escape(LINE_BREAKS) + "]")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at runs of line breaks (brat's TEXT field cannot hold one, and
    brat refuses a TEXT that differs from the text at the offsets): the pieces between the
    breaks. Line breaks at the very start or end of the span are left out (``news\\n`` is
    written as ``news``); a span of nothing but line breaks has no fragment (``[]``)."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in LB_RUN_RE.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


class Names:
    """Type name -> brat storage name, unique over the schema (``brat_name_map``)."""

    def __init__(self, schema: Schema) -> None:
        self.map = brat_name_map(schema)

    def __call__(self, name: str) -> str:
        return self.map.get(name) or brat_safe_name(name)


def write_ann(text: str, ann: Annotations, *, names: Callable[[str], str] | None = None,
              schema: Schema | None = None, kb_names: dict[str, str] | None = None,
              relation_attributes: str = "notes",
              lose: Callable[..., None] | None = None,
              other_notes: dict[str, list[list[str]]] | None = None) -> str:
    """The ``.ann`` text for one document. ``lose(kind, reason, label=, start=, end=)`` is
    called for everything brat cannot carry. ``other_notes`` ({annotation id: [[type, text],
    ...]}, the document meta ``OTHER_NOTES`` an import kept) are written back as ``#`` lines
    after the ``AnnotatorNotes`` of their target."""
    w = _AnnWriter(text, ann, names or brat_safe_name, schema or Schema(), kb_names or {},
                   relation_attributes, lose)
    w.other_notes = other_notes or {}
    return w.run()


def _find(parent: dict[str, str], x: str) -> str:
    """Union-find root of ``x`` (path halving)."""
    while parent.setdefault(x, x) != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


class _AnnWriter:
    def __init__(self, text: str, ann: Annotations, names: Callable[[str], str],
                 schema: Schema, kb_names: dict[str, str], relation_attributes: str,
                 lose: Callable[..., None] | None) -> None:
        self.text, self.ann, self.names, self.schema = text, ann, names, schema
        self.kb_names, self.rel_attrs, self.lose = kb_names, relation_attributes, lose
        self.lines: list[str] = []   # T, E, R, * in that order
        self.extra: list[str] = []   # A, N, # after them
        self.tid: dict[str, str] = {}
        self.eid: dict[str, str] = {e.id: f"E{i}" for i, e in enumerate(ann.events, 1)}
        self.rid: dict[str, str] = {}
        self.spans = sorted(ann.spans, key=lambda s: (s.start, s.end, s.label, s.id))
        self.n_attr = self.n_note = self.n_other = 0
        self.other_notes: dict[str, list[list[str]]] = {}

    def lost(self, kind: str, reason: str, **kw: Any) -> None:
        if self.lose is not None:
            self.lose(kind, reason, **kw)

    def run(self) -> str:
        self._write_t()
        for e in self.ann.events:
            self._write_e(e)
        self._write_relations()
        self._write_chains()
        self._write_attributes()
        self._write_normalizations()
        self._write_notes()
        lines = self.lines + self.extra
        return "\n".join(lines) + ("\n" if lines else "")

    def _written_events(self) -> list[Event]:
        return [e for e in self.ann.events if e.id in self.eid and e.trigger_id in self.tid]

    # ---- T, E ------------------------------------------------------------------------------
    def _write_t(self) -> None:
        text = self.text
        n = 0
        for s in self.spans:
            frags = [f for a, b in s.parts for f in fragments(text, a, b)]
            if not frags:
                self.lost("span", "nothing but line breaks (brat's TEXT field cannot hold "
                          "one)", label=s.label, start=s.start, end=s.end)
                continue
            n += 1
            self.tid[s.id] = f"T{n}"
            body = " ".join(text[a:b] for a, b in frags)
            offs = ";".join(f"{a} {b}" for a, b in frags)
            self.lines.append(f"T{n}\t{self.names(s.label)} {offs}\t{body}")
        self.spans = [s for s in self.spans if s.id in self.tid]

    def _write_e(self, e: Event) -> None:
        if e.trigger_id not in self.tid:
            self.lost("event", "trigger span not exported", label=e.type)
            return
        parts = [f"{self.names(e.type)}:{self.tid[e.trigger_id]}"]
        counts: dict[str, int] = defaultdict(int)
        for a in sorted(e.arguments, key=lambda a: a.position):
            target = self.tid.get(a.filler_id) or self.eid.get(a.filler_id)
            if target is None:
                self.lost("argument", "filler not exported", label=f"{e.type}/{a.role}")
                continue
            role = brat_safe_name(a.role)
            if role[-1:].isdigit():
                self.lost("argument", f"role {a.role!r} ends in a digit, which brat reads as "
                          "repeat numbering (it comes back without the digits)",
                          label=f"{e.type}/{a.role}")
            counts[role] += 1
            parts.append(f"{role}{counts[role] if counts[role] > 1 else ''}:{target}")
        self.lines.append(f"{self.eid[e.id]}\t{' '.join(parts)}")

    # ---- R, * ------------------------------------------------------------------------------
    def _is_equiv(self, rtype: str) -> bool:
        return any(t.symmetric and t.transitive for t in self.schema.relation_types_named(rtype))

    def _write_relations(self) -> None:
        groups: dict[str, list[Relation]] = defaultdict(list)
        for r in self.ann.relations:
            if r.head_id not in self.tid or r.tail_id not in self.tid:
                self.lost("relation", "argument span not exported", label=r.type)
            elif self._is_equiv(r.type):
                groups[r.type].append(r)
            else:
                self._write_r(r)
        for rtype, rels in groups.items():
            self._write_equiv(rtype, rels)

    def _write_r(self, r: Relation) -> None:
        n = len(self.rid) + 1
        self.rid[r.id] = f"R{n}"
        rts = self.schema.relation_types_named(r.type)
        role1 = brat_safe_name(rts[0].arg1_role) if rts and rts[0].arg1_role else "Arg1"
        role2 = brat_safe_name(rts[0].arg2_role) if rts and rts[0].arg2_role else "Arg2"
        if role1 == role2:
            role1, role2 = "Arg1", "Arg2"
        self.lines.append(f"R{n}\t{self.names(r.type)} {role1}:{self.tid[r.head_id]} "
                          f"{role2}:{self.tid[r.tail_id]}")

    def _write_equiv(self, rtype: str, rels: list[Relation]) -> None:
        """One ``*`` line per connected group of a symmetric-transitive type."""
        span_by_id = {s.id: s for s in self.ann.spans}
        parent: dict[str, str] = {}
        for r in rels:
            parent[_find(parent, r.head_id)] = _find(parent, r.tail_id)
            if r.note or r.attrs:
                self.lost("relation", f"note/attributes of a {rtype} equivalence (brat '*' "
                          "lines have no id to attach them to)", label=rtype)
        members: dict[str, list[Span]] = defaultdict(list)
        for x in list(parent):
            members[_find(parent, x)].append(span_by_id[x])
        for group in sorted(members.values(), key=lambda g: min((s.start, s.end) for s in g)):
            group.sort(key=lambda s: (s.start, s.end, s.label, s.id))
            self.lines.append(f"*\t{self.names(rtype)} "
                              + " ".join(self.tid[s.id] for s in group))

    # ---- A, N, # ---------------------------------------------------------------------------
    def _write_attributes(self) -> None:
        known = {a.name for a in self.schema.attributes}
        for s in self.spans:
            self._attr_lines(self.tid[s.id], s.attrs, s.label, known)
        for e in self._written_events():
            self._attr_lines(self.eid[e.id], e.attrs, e.type, known)

    def _attr_lines(self, target: str, attrs: dict[str, Any], label: str,
                    known: set[str]) -> None:
        for name, value in attrs.items():
            if value is False or value is None or value == "":
                continue
            bname = brat_safe_name(name)
            if bname != name and name not in known:
                self.lost("attribute", f"attribute name {name!r} is written as {bname!r} (not "
                          "brat-safe and not in the schema, so it cannot be renamed back)",
                          label=f"{label}/{name}")
            if value is True:
                self.n_attr += 1
                self.extra.append(f"A{self.n_attr}\t{bname} {target}")
                continue
            sval = str(value)
            if not sval or re.search(r"\s", sval):
                self.lost("attribute", f"attribute value {sval!r} contains whitespace (brat "
                          "values cannot)", label=f"{label}/{name}")
                continue
            self.n_attr += 1
            self.extra.append(f"A{self.n_attr}\t{bname} {target} {sval}")

    def _write_chains(self) -> None:
        """One ``*<TAB>TYPE T1 T2 ...`` line per chain of two or more written mentions (in the
        chain's order); what a ``*`` line has no room for is reported."""
        for c in self.ann.chains:
            members = [self.tid[m] for m in c.mentions if m in self.tid]
            if len(members) < len(c.mentions):
                self.lost("chain", "mention not exported", label=c.type)
            if len(members) < 2:
                self.lost("chain", "fewer than two mentions (a brat '*' line needs two)",
                          label=c.type)
                continue
            for what, value in (("references", c.refs), ("attributes", c.attrs),
                                ("note", c.note)):
                if value:
                    self.lost("chain", f"{what} of a chain (a brat '*' line has no id to "
                              "attach them to)", label=c.type)
            self.lines.append(f"*\t{self._chain_type(c.type)} {' '.join(members)}")

    def _chain_type(self, ctype: str) -> str:
        """A chain's ``*`` type: its own when it is an equivalence relation type of the schema
        or a name the schema does not use (the exporter then declares it as one); else, for
        an untyped chain or one typed with a text-bound type such as ACE's ``PER`` (brat's
        ``*`` types are relation types), ``Coreference``, the change reported."""
        if ctype and (self._is_equiv(ctype) or (self.schema.span_kind_of(ctype) is None
                                                and not self.schema.relation_types_named(ctype))):
            return self.names(ctype)
        if ctype and ctype != COREF_TYPE:
            self.lost("chain", f"chain type {ctype!r} written as {COREF_TYPE} (a brat '*' "
                      "type must be a symmetric-transitive relation type)", label=ctype)
        return COREF_TYPE

    def _write_normalizations(self) -> None:
        """``N`` lines: every reference of a span, its name exactly (empty stays empty); a
        ``kb_id`` that no reference spells is written too (its name from ``kb_names``)."""
        n = 0
        for s in self.spans:
            if s.id not in self.tid:
                continue
            refs = list(s.refs)
            if s.kb_id and all(r.key != s.kb_id for r in refs):
                refs.append(Reference.from_key(s.kb_id, self.kb_names.get(s.kb_id, "")))
            for r in refs:
                if not r.db or not r.id or re.search(r"[\s:]", r.db) or re.search(r"\s", r.id):
                    self.lost("span", f"knowledge-base reference {r.key!r} is not RID:EID "
                              "without spaces", label=s.label, start=s.start, end=s.end)
                    continue
                n += 1
                self.extra.append(f"N{n}\tReference {self.tid[s.id]} {r.key}\t"
                                  f"{LB_RE.sub(' ', r.name)}")
                if LB_RE.search(r.name):
                    self.lost("span", "line break in a reference name written as a space",
                              label=s.label, start=s.start, end=s.end)

    def _note_lines(self, target: str, note: str, obj_id: str = "") -> None:
        if note:
            for part in _NOTE_SPLIT_RE.split(note):
                self.n_note += 1
                self.extra.append(f"#{self.n_note}\t{NOTE_TYPE} {target}\t{part}")
        for ntype, body in self.other_notes.get(obj_id, []):
            self.n_note += 1
            self.n_other += 1
            self.extra.append(f"#{self.n_note}\t{brat_safe_name(ntype)} {target}\t"
                              f"{LB_RE.sub(' ', body)}")

    def _write_notes(self) -> None:
        for s in self.spans:
            self._note_lines(self.tid[s.id], s.note, s.id)
        for e in self._written_events():
            self._note_lines(self.eid[e.id], e.note, e.id)
        for r in self.ann.relations:
            if r.id in self.rid:
                self._note_lines(self.rid[r.id], r.note, r.id)
                self._relation_attr_note(r)
        written = {*self.tid, *(e.id for e in self._written_events()), *self.rid}
        for obj_id, notes in self.other_notes.items():
            if obj_id not in written:
                for ntype, body in notes:
                    self.lost("note", f"'#' {ntype} note on an annotation not exported",
                              label=ntype, text=body)

    def _relation_attr_note(self, r: Relation) -> None:
        attrs = {k: v for k, v in r.attrs.items() if v is not None}
        if not attrs:
            return
        if self.rel_attrs == "drop":
            self.lost("attribute", "brat has no attributes on relations (brat#791)",
                      label=f"{r.type}/{','.join(sorted(attrs))}")
            return
        self.n_note += 1
        self.extra.append(f"#{self.n_note}\t{REL_ATTR_NOTE} {self.rid[r.id]}\t"
                          f"{json.dumps(attrs, ensure_ascii=False, sort_keys=True)}")
