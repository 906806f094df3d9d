"""brat ``.ann`` text -> Annotations: one small reader per line kind.

``parse_ann`` sorts the lines by kind (``ann_lines.collect``), then reads them in dependency
order: events (their ids first, so arguments may refer forward), ``T`` spans (a ``T`` that an
event uses is a trigger), event arguments, ``R`` relations, ``*`` equivalences, ``A``/``M``
attributes, ``N`` normalizations and ``#`` notes. See the package docstring for what each
line kind becomes and what is reported through ``warn``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from annotator.core.model import (
    Annotations,
    Argument,
    Chain,
    Event,
    Reference,
    Relation,
    Span,
)
from annotator.core.model import new_id as _uuid_id
from annotator.core.schema import Schema
from annotator.errors import InputFormatError
from annotator.formats.brat.ann_lines import (
    Line,
    Parsed,
    Warn,
    collect,
    default_warn,
    split_role,
)
from annotator.formats.brat.names import brat_name_map, brat_safe_name

NOTE_TYPE = "AnnotatorNotes"
REL_ATTR_NOTE = "RelationAttributes"
#: document meta key of ``#`` notes of other types (``Lemma`` ...): {annotation id:
#: [[note type, text], ...]}, written back by the exporter
OTHER_NOTES = "brat_notes"

Target = Span | Event | Relation
OnBad = Callable[[InputFormatError], None]
# event id -> (line, type, trigger T id, [(role, filler id)])
_EventData = dict[str, tuple[Line, str, str, list[tuple[str, str]]]]


class Ids:
    """Fast globally unique ids: a random 96-bit prefix per reader plus a counter (32 hex
    digits, like ``new_id``; uuid4 per annotation costs more than parsing the line)."""

    def __init__(self) -> None:
        self.prefix = _uuid_id()[:24]
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        if self.n >= 0xFFFFFFFF:
            self.prefix, self.n = _uuid_id()[:24], 1
        return f"{self.prefix}{self.n:08x}"


def _original_names(schema: Schema | None
                    ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """brat storage name -> schema name, for types, roles and attributes whose names were made
    brat-safe (so a collection we exported reads back with the original names)."""
    if schema is None:
        return {}, {}, {}
    types = {safe: name for name, safe in brat_name_map(schema).items() if safe != name}
    roles = {brat_safe_name(r.name): r.name for et in schema.event_types for r in et.roles
             if brat_safe_name(r.name) != r.name}
    attrs = {brat_safe_name(a.name): a.name for a in schema.attributes
             if brat_safe_name(a.name) != a.name}
    return types, roles, attrs


class SchemaInfo:
    """What the reader needs from a schema, computed once per import."""

    def __init__(self, schema: Schema | None) -> None:
        self.schema = schema
        self.kinds: dict[str, str] = {}
        self.symmetric: set[str] = set()
        if schema is not None:
            for st in schema.entity_types:
                self.kinds.setdefault(st.name, "entity")
            for st in schema.value_types:
                self.kinds.setdefault(st.name, "value")
            for et in schema.event_types:
                self.kinds.setdefault(et.name, "trigger")
            self.symmetric = {t.name for t in schema.relation_types if t.symmetric}
        self.types, self.roles, self.attrs = _original_names(schema)


def parse_ann(text: str, ann_text: str, *, source: str = "document.ann",
              schema: Schema | None = None, warn: Warn | None = None,
              discontinuous: str = "fragments", _info: SchemaInfo | None = None,
              _new_id: Callable[[], str] | None = None, on_bad: OnBad | None = None,
              other_notes: dict[str, list[list[str]]] | None = None
              ) -> tuple[Annotations, dict[str, str]]:
    """The annotations of one ``.ann`` text over ``text``, plus {kb_id: name} from ``N`` lines.

    A bad line refuses the whole file; with ``on_bad``, it is handed to that callback and
    skipped, as brat does (so is every line that names a skipped one), and the rest is kept.
    ``#`` notes of types other than ``AnnotatorNotes`` go into ``other_notes`` when given
    ({annotation id: [[type, text], ...]}; the ``OTHER_NOTES`` meta of the document)."""
    warn = warn or default_warn
    parsed = collect(text, ann_text, source, discontinuous, warn, on_bad)
    info = _info if _info is not None and _info.schema is schema else SchemaInfo(schema)
    reader = _AnnReader(text, source, parsed, info, warn, _new_id or Ids(), on_bad)
    reader.other_notes = other_notes
    return reader.run()


class _AnnReader:
    """The objects of one file, built line kind by line kind."""

    def __init__(self, text: str, src: str, parsed: Parsed, info: SchemaInfo, warn: Warn,
                 new_id: Callable[[], str], on_bad: OnBad | None = None) -> None:
        self.text, self.src, self.p, self.info = text, src, parsed, info
        self.warn, self.new_id, self.on_bad = warn, new_id, on_bad
        self.skipped: set[str] = set()  # ids of lines skipped (with on_bad)
        self.other_notes: dict[str, list[list[str]]] | None = None
        self.types = info.types
        self.spans: dict[str, Span] = {}
        self.events: dict[str, Event] = {}
        self.relations: dict[str, Relation] = {}
        self.rel_list: list[Relation] = []
        self.kb_names: dict[str, str] = {}  # names now live in Span.refs: stays empty
        self.chains: list[Chain] = []

    def run(self) -> tuple[Annotations, dict[str, str]]:
        event_data = self._read_events()
        self._make_spans({trig for _, _, trig, _ in event_data.values()})
        self._make_events(event_data)
        self._read_relations()
        self._read_equivalences()
        self._read_attributes()
        self._read_normalizations()
        self._read_notes()
        return (Annotations(list(self.spans.values()), list(self.events.values()),
                            self.rel_list, self.chains), self.kb_names)

    # ---- shared ----------------------------------------------------------------------------
    @contextmanager
    def _line(self, line: Line) -> Iterator[None]:
        """Read one line: a bad one raises, or with ``on_bad`` is reported and skipped (its id
        remembered, so that a line naming it is skipped too)."""
        try:
            yield
        except InputFormatError as exc:
            if self.on_bad is None:
                raise
            self.on_bad(exc)
            self.skipped.add(line.id)

    def _error(self, message: str, line: Line, field: str | None = None) -> InputFormatError:
        return InputFormatError(message, path=self.src, line=line.lineno, field=field)

    def _note(self, line: Line, message: str) -> None:
        self.warn(f"{self.src}:{line.lineno}: {message}")

    def _parse_arg(self, owner: str, item: str, line: Line, *, need_role: bool
                   ) -> tuple[str, str]:
        """``(role, id)`` of an argument ``ROLE:ID`` naming a ``T`` or ``E`` of this file."""
        role, sep, target = item.rpartition(":")
        if not sep or not target or (need_role and not role):
            raise self._error(f"{owner}: bad argument {item!r} (expected ROLE:ID)", line,
                              "arguments")
        if not self.p.defined(target):
            raise self._error(f"{owner}: argument {item!r} refers to unknown id {target!r}",
                              line, "arguments")
        return role, target

    # ---- E and T ---------------------------------------------------------------------------
    def _read_events(self) -> _EventData:
        event_data: _EventData = {}
        for eid, line in list(self.p.e.items()):
            with self._line(line):
                event_data[eid] = self._read_event(eid, line)
            if eid in self.skipped:
                del self.p.e[eid]
        if self.on_bad is not None:
            self._drop_dangling(event_data)
        return event_data

    def _read_event(self, eid: str, line: Line) -> tuple[Line, str, str, list[tuple[str, str]]]:
        items = line.data.split()
        if not items or ":" not in items[0]:
            raise self._error(f"{eid}: expected 'TYPE:TRIGGER ROLE:ID ...', got "
                              f"{line.data!r}", line)
        etype, _, trig = items[0].partition(":")
        if trig not in self.p.t:
            what = "an event" if trig in self.p.e else "not defined in this file"
            raise self._error(f"{eid}: trigger {trig!r} is {what} (a trigger must be a T "
                              "annotation)", line, "trigger")
        args = []
        for item in items[1:]:
            role, filler = self._parse_arg(eid, item, line, need_role=True)
            if filler == eid:
                raise self._error(f"{eid}: an event cannot be its own argument", line,
                                  "arguments")
            role = split_role(role)
            args.append((self.info.roles.get(role, role), filler))
        return line, etype, trig, args

    def _drop_dangling(self, event_data: _EventData) -> None:
        """Skip the events naming an event whose line was skipped (until none is left)."""
        changed = True
        while changed:
            changed = False
            for eid, (line, _etype, _trig, args) in list(event_data.items()):
                gone = [f for _, f in args if f not in self.p.t and f not in event_data]
                if gone:
                    assert self.on_bad is not None
                    self.on_bad(self._error(f"{eid}: argument refers to {gone[0]!r}, whose "
                                            "line was skipped", line, "arguments"))
                    del event_data[eid]
                    del self.p.e[eid]
                    changed = True

    def _make_spans(self, trigger_ids: set[str]) -> None:
        types = self.types
        for tid, (_line, label, s, e) in self.p.t.items():
            if tid in trigger_ids:
                kind = "trigger"
            else:
                kind = self.info.kinds.get(types.get(label, label), "entity")
            self.spans[tid] = Span(id=self.new_id(), doc_id="", start=s, end=e,
                                   label=types.get(label, label), kind=kind, status="gold",
                                   origin="import", fragments=self.p.fragments.get(tid, []))

    def _make_events(self, event_data: _EventData) -> None:
        for eid, (_line, etype, trig, _args) in event_data.items():
            self.events[eid] = Event(id=self.new_id(), doc_id="",
                                     type=self.types.get(etype, etype),
                                     trigger_id=self.spans[trig].id, status="gold",
                                     origin="import")
        for eid, (_line, _etype, _trig, args) in event_data.items():
            ev = self.events[eid]
            for pos, (role, filler) in enumerate(args):
                if filler in self.spans:
                    ev.arguments.append(Argument(self.new_id(), ev.id, role,
                                                 self.spans[filler].id, "span", pos))
                else:
                    ev.arguments.append(Argument(self.new_id(), ev.id, role,
                                                 self.events[filler].id, "event", pos))

    # ---- R and * ---------------------------------------------------------------------------
    def _ordered(self, rtype: str, a: Span, b: Span) -> tuple[Span, Span]:
        """Symmetric types are stored in canonical order: the earlier span first."""
        if rtype in self.info.symmetric and (b.start, b.end) < (a.start, a.end):
            return b, a
        return a, b

    def _read_relations(self) -> None:
        for rid, line in self.p.r.items():
            with self._line(line):
                items = line.data.split()
                if len(items) != 3:
                    raise self._error(f"{rid}: expected 'TYPE Arg1:ID Arg2:ID', got "
                                      f"{line.data!r}", line)
                rtype = self.types.get(items[0], items[0])
                ends = [self._parse_arg(rid, item, line, need_role=False) for item in items[1:]]
                if ends[0][0].endswith("2") and ends[1][0].endswith("1"):
                    ends.reverse()  # written as Arg2:X Arg1:Y
                if any(t in self.p.e for _, t in ends):
                    self._note(line, f"{rid}: relation {rtype} between events is not carried "
                               "(relations join spans)")
                    continue
                head, tail = self._ordered(rtype, self.spans[ends[0][1]], self.spans[ends[1][1]])
                rel = Relation(id=self.new_id(), doc_id="", type=rtype, head_id=head.id,
                               tail_id=tail.id, status="gold", origin="import")
                self.relations[rid] = rel
                self.rel_list.append(rel)

    def _read_equivalences(self) -> None:
        """``*<TAB>Alias T3 T4 T5``: one chain of that type (mentions as listed); ``*`` lines
        of one type that share a mention are one chain (brat's equivalence is transitive)."""
        for line in self.p.equiv:
            with self._line(line):
                items = line.data.split()
                if len(items) < 3:
                    raise self._error(f"equivalence needs a type and at least two ids, got "
                                      f"{line.data!r}", line)
                etype, members = self.types.get(items[0], items[0]), items[1:]
                for m in members:
                    if not self.p.defined(m) or m in self.skipped:
                        raise self._error(f"equivalence refers to unknown id {m!r}", line)
                if any(m in self.p.e for m in members):
                    self._note(line, f"equivalence {etype} of events is not carried (chains "
                               "join text spans)")
                    continue
                self._add_to_chains(line, etype, [self.spans[m].id for m in members])

    def _add_to_chains(self, line: Line, etype: str, mentions: list[str]) -> None:
        mentions = list(dict.fromkeys(mentions))
        joined = [c for c in self.chains if c.type == etype and set(c.mentions) & set(mentions)]
        if not joined:
            self.chains.append(Chain(id=self.new_id(), doc_id="", type=etype, mentions=mentions,
                                     status="gold", origin="import"))
            return
        keep = joined[0]
        for other in joined[1:]:
            keep.mentions += [m for m in other.mentions if m not in keep.mentions]
            self.chains.remove(other)
        keep.mentions += [m for m in mentions if m not in keep.mentions]
        self._note(line, f"equivalence {etype} shares a mention with an earlier one of its "
                   "type: read as one chain (brat's equivalences are transitive)")

    # ---- A, N and # ------------------------------------------------------------------------
    def _target(self, tid: str, line: Line, what: str) -> Target | None:
        """The object ``tid`` names; None for a relation that was not carried."""
        obj: Target | None = self.spans.get(tid) or self.events.get(tid) \
            or self.relations.get(tid)
        if obj is None and (tid not in self.p.r or tid in self.skipped):
            gone = ", whose line was skipped" if tid in self.skipped else ""
            raise self._error(f"{line.id}: {what} refers to unknown id {tid!r}{gone}", line,
                              "target")
        return obj

    def _read_attributes(self) -> None:
        for line in self.p.a:
            with self._line(line):
                items = line.data.split()
                if len(items) not in (2, 3):
                    raise self._error(f"{line.id}: expected 'NAME TARGET [VALUE]', got "
                                      f"{line.data!r}", line)
                obj = self._target(items[1], line, "attribute")
                if obj is None:
                    self._note(line, f"{line.id}: attribute of a relation that is not carried")
                    continue
                value: Any = items[2] if len(items) == 3 else True
                aname = self.info.attrs.get(items[0], items[0])
                if aname in obj.attrs:
                    self._note(line, f"{line.id}: attribute {items[0]} of {items[1]} given twice; "
                               f"keeping {value!r}")
                obj.attrs[aname] = value

    def _read_normalizations(self) -> None:
        """``N1<TAB>Reference T1 Wikidata:Q42<TAB>Douglas Adams``: a reference (database, id,
        name exactly as written, empty when empty) of the span; several per span are kept in
        order. The first also sets ``kb_id`` (``Wikidata:Q42``), for formats with one id."""
        for line in self.p.n:
            with self._line(line):
                items = line.data.split()
                if len(items) != 3 or ":" not in items[2]:
                    raise self._error(f"{line.id}: expected 'Reference TARGET RID:EID', got "
                                      f"{line.data!r}", line)
                obj = self._target(items[1], line, "normalization")
                if not isinstance(obj, Span):
                    self._note(line, f"{line.id}: normalization of {items[1]} not carried (only "
                               "text spans and chains carry references)")
                    continue
                if items[0] != "Reference":
                    self._note(line, f"{line.id}: normalization type {items[0]!r} read as "
                               "Reference")
                ref = Reference.from_key(items[2], line.tail or "")
                if ref in obj.refs:
                    self._note(line, f"{line.id}: normalization {items[2]} of {items[1]} given "
                               "twice; kept once")
                    continue
                obj.refs.append(ref)
                obj.kb_id = obj.kb_id or ref.key

    def _read_notes(self) -> None:
        notes: dict[int, tuple[Target, list[str]]] = {}
        for line in self.p.notes:
            with self._line(line):
                items = line.data.split()
                if len(items) != 2:
                    raise self._error(f"{line.id}: expected 'NOTETYPE TARGET', got "
                                      f"{line.data!r}", line)
                ntype, tid = items
                obj = self._target(tid, line, "note")
                if obj is None:
                    self._note(line, f"{line.id}: note on a relation that is not carried")
                    continue
                body = line.tail or ""
                if ntype == REL_ATTR_NOTE and isinstance(obj, Relation):
                    obj.attrs.update(self._relation_attrs(line, body))
                    continue
                if ntype != NOTE_TYPE:
                    if self.other_notes is None:
                        self._note(line, f"{line.id}: note type {ntype!r} not carried (only "
                                   f"{NOTE_TYPE})")
                    else:
                        self.other_notes.setdefault(obj.id, []).append([ntype, body])
                    continue
                notes.setdefault(id(obj), (obj, []))[1].append(body)
        for obj, bodies in notes.values():
            obj.note = "\n".join(bodies)

    def _relation_attrs(self, line: Line, body: str) -> dict[str, Any]:
        try:
            attrs = json.loads(body)
            if not isinstance(attrs, dict):
                raise ValueError
        except ValueError:
            raise self._error(f"{line.id}: {REL_ATTR_NOTE} must be a JSON object", line,
                              "text") from None
        return attrs
