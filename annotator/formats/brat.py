"""brat standoff (``.txt`` + ``.ann``): import a collection, export a project.

Reading follows brat's own parser (``nlplab/brat: server/src/annotation.py``) and the reader
tolerance checklist of ``docs``/``formats.md`` section 2:

* every line is split on its first two TABs (the TEXT field may contain TABs); a trailing TAB
  or an empty third field is fine; blank lines are skipped; a ``\\r`` before the ``\\n`` is
  dropped (``.ann`` files saved on Windows);
* lines may come in any order and refer forward; ``M`` is the legacy spelling of ``A``;
* ``.txt`` files are read as UTF-8 *verbatim* (``newline=""``: a ``\\r\\n`` stays two
  characters, exactly as brat counts offsets); ``.ann`` files are UTF-8 too;
* the TEXT field of ``T`` lines is recomputed from the offsets and every mismatch is reported
  through ``warn`` (the offsets win);
* ``T`` fragments separated only by line-break characters are one span crossing a line (this is
  how brat, and our exporter, write such a span): they are joined silently. Any other
  discontinuous span is refused with an ``InputFormatError`` naming file and line, unless
  ``discontinuous="hull"`` asks for the hull span (reported through ``warn``);
* event roles lose brat's numbering (``Org-Arg2`` -> ``Org-Arg``, ``Theme1`` -> ``Theme``; the
  maximal digit suffix is stripped as brat's ``split_role`` does); an argument may be an event;
* ``R`` relations between two ``T`` become relations (symmetric types, per the collection's
  ``annotation.conf``, are stored in canonical order: the earlier span first);
* ``*`` equivalences (``*<TAB>Alias T3 T4 T5``) become one relation per consecutive pair of the
  listed spans (``T3-T4``, ``T4-T5``), reported through ``warn``; the exporter writes the
  connected groups of a symmetric-transitive type back as ``*`` lines;
* ``A``/``M`` attributes go to the target's ``attrs`` (binary attributes -> ``True``);
* ``N`` normalizations of a ``T`` set ``span.kb_id`` to ``RID:EID`` (``Wikipedia:64488``); the
  entry's name (the TEXT field) is kept in the document meta ``kb_names`` {kb_id: name} unless
  it is just the span's text (the exporter writes the span text when no name is known); a
  second ``N`` on the same span, or an ``N`` on an event or relation, is reported, not carried;
* ``#`` ``AnnotatorNotes`` go to ``note`` (several notes on one target are joined with
  ``\\n``); ``#`` lines of type ``RelationAttributes`` (written by our exporter) carry relation
  attributes as JSON; other note types are reported, not carried.

Documents are named by their path relative to the imported folder, without ``.txt``.
Annotations go into the set ``annotator`` (default ``gold``) with status ``gold`` and origin
``import``; the document status of that set is ``doc_status`` (default ``done``).

Export writes ``<name>.txt`` (verbatim) and ``<name>.ann`` per document (under ``<split>/``
when the export is split), plus ``annotation.conf``, ``visual.conf``, ``kb_shortcuts.conf``
(when the schema has hotkeys) and ``tools.conf`` (when ``N`` lines were written) at the top,
into a folder, or into a ``.zip`` when ``out`` ends in ``.zip`` or ``options.extra["zip"]``.
Type names are made brat-safe (``Conflict.Attack`` -> ``Conflict_Attack``, see
``brat_conf.brat_name_map``) with the display form in ``visual.conf``. Spans crossing a line
break are written as fragments split at the break (lossless: the reader joins them again).
brat has no attributes on relations (brat#791): they are written as
``#n<TAB>RelationAttributes Rk<TAB>{json}`` comment lines (brat shows them as comments; our
reader restores them) unless ``options.extra["relation_attributes"] == "drop"``, which reports
them as losses instead.
"""

from __future__ import annotations

import json
import logging
import os
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Argument, Event, Relation, Span
from annotator.core.model import new_id as _uuid_id
from annotator.core.schema import EventType, RelationType, Schema, SpanType
from annotator.errors import ExportError, InputFormatError, SchemaError

if TYPE_CHECKING:
    from annotator.core.progress import ProgressFn
    from annotator.core.project import Project
    from annotator.formats.export import ExportOptions, ExportReport

__all__ = ["export", "find_annotation_conf", "parse_ann", "read", "read_schema", "write_ann"]

log = logging.getLogger(__name__)
Warn = Callable[[str], None]

#: Characters that end a line for ``str.splitlines`` (and so cannot appear in a TEXT field).
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LB_RE = re.compile(f"[{re.escape(LINE_BREAKS)}]")
_LB_RUN_RE = re.compile(f"[{re.escape(LINE_BREAKS)}]+")
_ROLE_RE = re.compile(r"^(.*?)(\d+)$")
_ID_RE = re.compile(r"^[TERAMN#*][A-Za-z0-9_-]*$")
NOTE_TYPE = "AnnotatorNotes"
REL_ATTR_NOTE = "RelationAttributes"
KB_NAMES = "kb_names"

_KNOWN_NORM_URLS = {
    "wikidata": ("https://www.wikidata.org/", "https://www.wikidata.org/wiki/%s"),
    "wikipedia": ("https://en.wikipedia.org/", "https://en.wikipedia.org/?curid=%s"),
}


class _Ids:
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


class _SchemaInfo:
    """What the reader needs from a schema, computed once per import."""

    def __init__(self, schema: Schema | None) -> None:
        self.schema = schema
        self.kinds: dict[str, str] = {}
        self.symmetric: set[str] = set()
        if schema is not None:
            for t in schema.entity_types:
                self.kinds.setdefault(t.name, "entity")
            for t in schema.value_types:
                self.kinds.setdefault(t.name, "value")
            for t in schema.event_types:
                self.kinds.setdefault(t.name, "trigger")
            self.symmetric = {t.name for t in schema.relation_types if t.symmetric}
        self.types, self.roles, self.attrs = _original_names(schema)


def _default_warn(message: str) -> None:
    log.warning("%s", message)


# ==== schema =================================================================================
def find_annotation_conf(path: str | Path) -> Path | None:
    """The ``annotation.conf`` brat would use for ``path`` (a collection folder or a file):
    the nearest one in the folder itself or any folder above it."""
    path = Path(path).resolve()
    folder = path if path.is_dir() else path.parent
    for candidate in (folder, *folder.parents):
        conf = candidate / "annotation.conf"
        if conf.is_file():
            return conf
    return None


def read_schema(path: str | Path) -> Schema | None:
    """The schema of a brat collection (``annotation.conf`` plus its ``visual.conf`` and
    ``kb_shortcuts.conf``), found upward from ``path`` as brat does; None if there is none."""
    conf = find_annotation_conf(path)
    if conf is None:
        return None
    from annotator.formats.brat_conf import read_annotation_conf

    return read_annotation_conf(conf)


# ==== reading ================================================================================
def _collect_pairs(root: Path, warn: Warn) -> list[tuple[Path, Path, str]]:
    """(txt, ann, document name) for a folder (recursive), a .txt or an .ann file."""
    if root.is_dir():
        from annotator.formats.text import files_under

        listed = files_under(root, (".ann", ".txt"), as_str=True)  # os.scandir: cheap
        anns = sorted((f for f in listed if f.endswith(".ann")), key=lambda f: f.split(os.sep))
        texts = {f for f in listed if f.endswith(".txt")}
        prefix = len(os.path.join(str(root), ""))
        pairs = []
        for ann in anns:
            txt = ann[:-4] + ".txt"
            if txt not in texts:
                raise InputFormatError(f"no text file {os.path.basename(txt)} next to the "
                                       "annotations", path=ann)
            name = ann[prefix:-4].replace(os.sep, "/")
            pairs.append((Path(txt), Path(ann), name))
        lonely = sorted(texts - {a[:-4] + ".txt" for a in anns}, key=lambda f: f.split(os.sep))
        if lonely:
            shown = ", ".join(f[prefix:] for f in lonely[:5])
            warn(f"{root}: skipped {len(lonely)} .txt file(s) without an .ann file ({shown}"
                 f"{', ...' if len(lonely) > 5 else ''})")
        return pairs
    if root.suffix == ".ann":
        txt, ann = root.with_suffix(".txt"), root
    elif root.suffix == ".txt":
        txt, ann = root, root.with_suffix(".ann")
    else:
        raise InputFormatError("expected a brat collection folder, a .txt or an .ann file",
                               path=str(root))
    if not txt.is_file():
        raise InputFormatError(f"no text file {txt.name}", path=str(ann))
    if not ann.is_file():
        raise InputFormatError(f"no annotation file {ann.name} next to the text", path=str(txt))
    return [(txt, ann, root.stem)]


def _read_utf8(path: Path) -> str:
    """The file's text, line ends untouched (bytes decoded at once: cheaper than a text
    stream for thousands of small files)."""
    try:
        with open(path, "rb") as fh:
            return fh.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"not UTF-8 text (byte {exc.start}: {exc.reason})",
                               path=str(path)) from None
    except OSError as exc:
        raise InputFormatError(f"cannot read: {exc.strerror}", path=str(path)) from None


def read(path: str | Path, **kwargs: Any) -> Iterator[DocumentInput]:
    """brat documents under ``path`` (folder, recursively; or one .txt/.ann pair).

    Keyword arguments: ``annotator`` (set name, default ``gold``), ``doc_status`` (default
    ``done``), ``warn`` (callback for everything reported but not fatal), ``discontinuous``
    (``"error"`` default, or ``"hull"``), ``schema`` (a Schema deciding entity/value/trigger
    kinds, symmetric relations and brat-safe names; default: for each folder the nearest
    ``annotation.conf`` at or above it, as brat looks it up).
    """
    root = Path(path)
    if not root.exists():
        raise InputFormatError("no such file or folder", path=str(root))
    warn: Warn = kwargs.get("warn") or _default_warn
    set_name = kwargs.get("annotator") or "gold"
    doc_status = kwargs.get("doc_status", "done")
    discontinuous = kwargs.get("discontinuous", "error")
    if discontinuous not in ("error", "hull"):
        raise InputFormatError(f"discontinuous must be 'error' or 'hull', got {discontinuous!r}")
    given = kwargs.get("schema")
    infos: dict[Path | None, _SchemaInfo] = {}
    confs: dict[Path, Path | None] = {}

    def info_for(ann_path: Path) -> _SchemaInfo:
        """Each folder's nearest annotation.conf, as brat does (cached per conf file)."""
        conf = None
        if given is None:
            folder = ann_path.parent
            if folder not in confs:
                confs[folder] = find_annotation_conf(folder)
            conf = confs[folder]
        if conf not in infos:
            schema = given
            if conf is not None:
                from annotator.formats.brat_conf import read_annotation_conf

                try:
                    schema = read_annotation_conf(conf)
                except SchemaError as exc:
                    warn(f"ignoring {conf}: {exc}")
            infos[conf] = _SchemaInfo(schema)
        return infos[conf]

    ids = _Ids()
    for txt, ann_path, name in _collect_pairs(root, warn):
        text = _read_utf8(txt)
        ann_text = _read_utf8(ann_path)
        info = info_for(ann_path)
        ann, kb_names = parse_ann(text, ann_text, source=str(ann_path), schema=info.schema,
                                  warn=warn, discontinuous=discontinuous, _info=info,
                                  _new_id=ids)
        meta: dict[str, Any] = {}
        if kb_names:
            meta[KB_NAMES] = kb_names
        yield DocumentInput(text=text, name=name, meta=meta, sets={set_name: ann},
                            status={set_name: doc_status} if doc_status else {},
                            source=str(txt))


@dataclass
class _Line:
    lineno: int
    id: str
    data: str
    tail: str | None


@dataclass
class _Parsed:
    # T id -> (line, type, start, end)
    t: dict[str, tuple[_Line, str, int, int]] = field(default_factory=dict)
    e: dict[str, _Line] = field(default_factory=dict)
    r: dict[str, _Line] = field(default_factory=dict)
    equiv: list[_Line] = field(default_factory=list)
    a: list[_Line] = field(default_factory=list)
    n: list[_Line] = field(default_factory=list)
    notes: list[_Line] = field(default_factory=list)


def _original_names(schema: Schema | None
                    ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """brat storage name -> schema name, for types, roles and attributes whose names were made
    brat-safe (so a collection we exported reads back with the original names)."""
    if schema is None:
        return {}, {}, {}
    from annotator.formats.brat_conf import brat_name_map, brat_safe_name

    types = {safe: name for name, safe in brat_name_map(schema).items() if safe != name}
    roles = {brat_safe_name(r.name): r.name for et in schema.event_types for r in et.roles
             if brat_safe_name(r.name) != r.name}
    attrs = {brat_safe_name(a.name): a.name for a in schema.attributes
             if brat_safe_name(a.name) != a.name}
    return types, roles, attrs


def split_role(role: str) -> str:
    """brat's numbering removed: ``Org-Arg2`` -> ``Org-Arg``, ``Theme1`` -> ``Theme``."""
    m = _ROLE_RE.match(role)
    return m.group(1) if m and m.group(1) else role


def _offsets(text: str, data: str, src: str, line: _Line, discontinuous: str,
             warn: Warn) -> tuple[str, int, int]:
    """(type, start, end) of a ``T`` line's data ``TYPE s e[;s e]*``."""
    label, _, spec = data.partition(" ")
    if not label or not spec:
        raise InputFormatError(f"{line.id}: expected 'TYPE START END', got {data!r}", path=src,
                               line=line.lineno)
    frags: list[tuple[int, int]] = []
    for frag in spec.split(";"):
        bits = frag.split()
        if len(bits) != 2:
            raise InputFormatError(f"{line.id}: bad offsets {frag.strip()!r} (expected "
                                   "'START END')", path=src, line=line.lineno, field="offsets")
        try:
            s, e = int(bits[0]), int(bits[1])
        except ValueError:
            raise InputFormatError(f"{line.id}: offsets must be integers, got {frag.strip()!r}",
                                   path=src, line=line.lineno, field="offsets") from None
        if not 0 <= s < e <= len(text):
            raise InputFormatError(f"{line.id}: span {s} {e} is empty or outside the text "
                                   f"(length {len(text)})", path=src, line=line.lineno,
                                   field="offsets")
        frags.append((s, e))
    if len(frags) == 1:
        start, end = frags[0]
        if line.tail is not None:
            expected = text[start:end]
            if expected != line.tail and _LB_RE.sub(" ", expected) != line.tail:
                warn(f"{src}:{line.lineno}: {line.id}: TEXT {line.tail!r} does not match the "
                     f"text at its offsets {expected!r} (offsets kept)")
        return label, start, end
    frags.sort()
    joinable = all(
        b >= c or not text[b:c].strip(LINE_BREAKS)
        for (_, b), (c, _) in zip(frags, frags[1:], strict=False))
    if not joinable:
        if discontinuous != "hull":
            raise InputFormatError(
                f"{line.id}: discontinuous span {spec!r} cannot be represented (import "
                "with discontinuous='hull' to keep its hull instead)", path=src,
                line=line.lineno, field="offsets")
        warn(f"{src}:{line.lineno}: {line.id}: discontinuous span {spec!r} imported as its "
             f"hull {frags[0][0]} {max(e for _, e in frags)}")
    start, end = frags[0][0], max(e for _, e in frags)
    if line.tail is not None:
        expected = " ".join(text[s:e] for s, e in frags)
        if _LB_RE.sub(" ", expected) != _LB_RE.sub(" ", line.tail):
            warn(f"{src}:{line.lineno}: {line.id}: TEXT {line.tail!r} does not match the text "
                 f"at its offsets {expected!r} (offsets kept)")
    return label, start, end


def _split_lines(ann_text: str, src: str) -> Iterator[_Line]:
    for lineno, raw in enumerate(ann_text.split("\n"), start=1):
        if raw.endswith("\r"):
            raw = raw[:-1]
        if not raw.strip():
            continue
        parts = raw.split("\t", 2)
        if len(parts) < 2:
            raise InputFormatError(f"expected ID<TAB>ANNOTATION, got {raw!r}", path=src,
                                   line=lineno)
        ann_id = parts[0].strip()
        if not ann_id or not _ID_RE.match(ann_id):
            raise InputFormatError(f"bad annotation id {parts[0]!r} (expected T, E, R, A, M, N, "
                                   "# or * followed by a number)", path=src, line=lineno)
        yield _Line(lineno, ann_id, parts[1].strip(" "), parts[2] if len(parts) == 3 else None)


def parse_ann(text: str, ann_text: str, *, source: str = "document.ann",
              schema: Schema | None = None, warn: Warn | None = None,
              discontinuous: str = "error", _info: _SchemaInfo | None = None,
              _new_id: Callable[[], str] | None = None) -> tuple[Annotations, dict[str, str]]:
    """The annotations of one ``.ann`` text over ``text``, plus {kb_id: name} from ``N`` lines."""
    warn = warn or _default_warn
    src = source
    p = _Parsed()
    seen: dict[str, int] = {}
    for line in _split_lines(ann_text, src):
        kind = line.id[0]
        if kind != "*":
            if line.id in seen:
                raise InputFormatError(f"id {line.id} already used on line {seen[line.id]}",
                                       path=src, line=line.lineno)
            seen[line.id] = line.lineno
        if kind == "T":
            label, s, e = _offsets(text, line.data, src, line, discontinuous, warn)
            p.t[line.id] = (line, label, s, e)
        elif kind == "E":
            p.e[line.id] = line
        elif kind == "R":
            p.r[line.id] = line
        elif kind == "*":
            p.equiv.append(line)
        elif kind in "AM":
            p.a.append(line)
        elif kind == "N":
            p.n.append(line)
        else:  # "#"
            p.notes.append(line)

    info = _info if _info is not None and _info.schema is schema else _SchemaInfo(schema)
    new_id = _new_id or _Ids()
    symmetric = info.symmetric
    types, roles, attr_names = info.types, info.roles, info.attrs

    # ---- events (first pass: ids, triggers; arguments after all ids exist) ----------------
    spans: dict[str, Span] = {}
    trigger_ids: set[str] = set()
    event_data: dict[str, tuple[_Line, str, str, list[tuple[str, str]]]] = {}
    for eid, line in p.e.items():
        items = line.data.split()
        if not items or ":" not in items[0]:
            raise InputFormatError(f"{eid}: expected 'TYPE:TRIGGER ROLE:ID ...', got "
                                   f"{line.data!r}", path=src, line=line.lineno)
        etype, _, trig = items[0].partition(":")
        if trig not in p.t:
            what = "an event" if trig in p.e else "not defined in this file"
            raise InputFormatError(f"{eid}: trigger {trig!r} is {what} (a trigger must be a T "
                                   "annotation)", path=src, line=line.lineno, field="trigger")
        args = []
        for item in items[1:]:
            role, sep, filler = item.rpartition(":")
            if not sep or not role or not filler:
                raise InputFormatError(f"{eid}: bad argument {item!r} (expected ROLE:ID)",
                                       path=src, line=line.lineno, field="arguments")
            if filler not in p.t and filler not in p.e:
                raise InputFormatError(f"{eid}: argument {item!r} refers to unknown id "
                                       f"{filler!r}", path=src, line=line.lineno,
                                       field="arguments")
            role = split_role(role)
            args.append((roles.get(role, role), filler))
        trigger_ids.add(trig)
        event_data[eid] = (line, etype, trig, args)

    for tid, (_line, label, s, e) in p.t.items():
        kind = "entity"
        if tid in trigger_ids:
            kind = "trigger"
        else:
            kind = info.kinds.get(types.get(label, label), "entity")
        spans[tid] = Span(id=new_id(), doc_id="", start=s, end=e, label=types.get(label, label),
                          kind=kind, status="gold", origin="import")

    events: dict[str, Event] = {}
    for eid, (_line, etype, trig, _args) in event_data.items():
        events[eid] = Event(id=new_id(), doc_id="", type=types.get(etype, etype),
                            trigger_id=spans[trig].id,
                            status="gold", origin="import")
    for eid, (line, _etype, _trig, args) in event_data.items():
        ev = events[eid]
        for pos, (role, filler) in enumerate(args):
            if filler == eid:
                raise InputFormatError(f"{eid}: an event cannot be its own argument", path=src,
                                       line=line.lineno, field="arguments")
            if filler in spans:
                ev.arguments.append(Argument(new_id(), ev.id, role, spans[filler].id, "span", pos))
            else:
                ev.arguments.append(Argument(new_id(), ev.id, role, events[filler].id, "event",
                                             pos))

    # ---- relations -------------------------------------------------------------------------
    relations: dict[str, Relation] = {}
    rel_list: list[Relation] = []

    def ordered(rtype: str, a: Span, b: Span) -> tuple[Span, Span]:
        if rtype in symmetric and (b.start, b.end) < (a.start, a.end):
            return b, a
        return a, b

    for rid, line in p.r.items():
        items = line.data.split()
        if len(items) != 3:
            raise InputFormatError(f"{rid}: expected 'TYPE Arg1:ID Arg2:ID', got {line.data!r}",
                                   path=src, line=line.lineno)
        rtype = types.get(items[0], items[0])
        ends = []
        for item in items[1:]:
            role, sep, target = item.rpartition(":")
            if not sep or not target:
                raise InputFormatError(f"{rid}: bad argument {item!r} (expected ROLE:ID)",
                                       path=src, line=line.lineno, field="arguments")
            if target not in p.t and target not in p.e:
                raise InputFormatError(f"{rid}: argument {item!r} refers to unknown id "
                                       f"{target!r}", path=src, line=line.lineno,
                                       field="arguments")
            ends.append((role, target))
        if ends[0][0].endswith("2") and ends[1][0].endswith("1"):
            ends.reverse()  # written as Arg2:X Arg1:Y
        if any(t in p.e for _, t in ends):
            warn(f"{src}:{line.lineno}: {rid}: relation {rtype} between events is not carried "
                 "(relations join spans)")
            continue
        head, tail = ordered(rtype, spans[ends[0][1]], spans[ends[1][1]])
        rel = Relation(id=new_id(), doc_id="", type=rtype, head_id=head.id, tail_id=tail.id,
                       status="gold", origin="import")
        relations[rid] = rel
        rel_list.append(rel)

    seen_pairs: set[tuple[str, str, str]] = set()
    for line in p.equiv:
        items = line.data.split()
        if len(items) < 3:
            raise InputFormatError(f"equivalence needs a type and at least two ids, got "
                                   f"{line.data!r}", path=src, line=line.lineno)
        etype, members = types.get(items[0], items[0]), items[1:]
        for m in members:
            if m not in p.t and m not in p.e:
                raise InputFormatError(f"equivalence refers to unknown id {m!r}", path=src,
                                       line=line.lineno)
        if any(m in p.e for m in members):
            warn(f"{src}:{line.lineno}: equivalence {etype} of events is not carried "
                 "(relations join spans)")
            continue
        made = 0
        for a, b in zip(members, members[1:], strict=False):
            head, tail = ordered(etype, spans[a], spans[b])
            key = (etype, head.id, tail.id)
            if a == b or key in seen_pairs:
                continue
            seen_pairs.add(key)
            rel_list.append(Relation(id=new_id(), doc_id="", type=etype, head_id=head.id,
                                     tail_id=tail.id, status="gold", origin="import"))
            made += 1
        warn(f"{src}:{line.lineno}: equivalence '*' {etype} {' '.join(members)} imported as "
             f"{made} {etype} relation(s) between consecutive members")

    # ---- attributes, normalizations, notes ---------------------------------------------------
    def target_of(tid: str, line: _Line, what: str) -> Span | Event | Relation:
        obj = spans.get(tid) or events.get(tid) or relations.get(tid)
        if obj is None:
            if tid in p.r:  # a relation that was not carried
                return None  # type: ignore[return-value]
            raise InputFormatError(f"{line.id}: {what} refers to unknown id {tid!r}", path=src,
                                   line=line.lineno, field="target")
        return obj

    for line in p.a:
        items = line.data.split()
        if len(items) not in (2, 3):
            raise InputFormatError(f"{line.id}: expected 'NAME TARGET [VALUE]', got "
                                   f"{line.data!r}", path=src, line=line.lineno)
        obj = target_of(items[1], line, "attribute")
        if obj is None:
            warn(f"{src}:{line.lineno}: {line.id}: attribute of a relation that is not carried")
            continue
        value: Any = items[2] if len(items) == 3 else True
        aname = attr_names.get(items[0], items[0])
        if aname in obj.attrs:
            warn(f"{src}:{line.lineno}: {line.id}: attribute {items[0]} of {items[1]} given "
                 f"twice; keeping {value!r}")
        obj.attrs[aname] = value

    kb_names: dict[str, str] = {}
    for line in p.n:
        items = line.data.split()
        if len(items) != 3 or ":" not in items[2]:
            raise InputFormatError(f"{line.id}: expected 'Reference TARGET RID:EID', got "
                                   f"{line.data!r}", path=src, line=line.lineno)
        obj = target_of(items[1], line, "normalization")
        if not isinstance(obj, Span):
            warn(f"{src}:{line.lineno}: {line.id}: normalization of {items[1]} not carried (only "
                 "text spans carry a knowledge-base id)")
            continue
        if items[0] != "Reference":
            warn(f"{src}:{line.lineno}: {line.id}: normalization type {items[0]!r} read as "
                 "Reference")
        if obj.kb_id:
            warn(f"{src}:{line.lineno}: {line.id}: second normalization {items[2]} of {items[1]} "
                 f"not carried (a span has one knowledge-base id; kept {obj.kb_id})")
            continue
        obj.kb_id = items[2]
        name = line.tail or ""
        # a name equal to the span's text says nothing (our exporter writes the span text
        # when it knows no name): keep only real entry names
        if name and name != _LB_RE.sub(" ", text[obj.start:obj.end]):
            if kb_names.get(items[2], name) != name:
                warn(f"{src}:{line.lineno}: {line.id}: name {name!r} for {items[2]} differs from "
                     f"{kb_names[items[2]]!r} given earlier; kept the first")
            kb_names.setdefault(items[2], name)

    notes: dict[int, tuple[Span | Event | Relation, list[str]]] = {}
    for line in p.notes:
        items = line.data.split()
        if len(items) != 2:
            raise InputFormatError(f"{line.id}: expected 'NOTETYPE TARGET', got {line.data!r}",
                                   path=src, line=line.lineno)
        ntype, tid = items
        obj = target_of(tid, line, "note")
        if obj is None:
            warn(f"{src}:{line.lineno}: {line.id}: note on a relation that is not carried")
            continue
        body = line.tail or ""
        if ntype == REL_ATTR_NOTE and isinstance(obj, Relation):
            try:
                attrs = json.loads(body)
                if not isinstance(attrs, dict):
                    raise ValueError
            except ValueError:
                raise InputFormatError(f"{line.id}: {REL_ATTR_NOTE} must be a JSON object",
                                       path=src, line=line.lineno, field="text") from None
            obj.attrs.update(attrs)
            continue
        if ntype != NOTE_TYPE:
            warn(f"{src}:{line.lineno}: {line.id}: note type {ntype!r} not carried (only "
                 f"{NOTE_TYPE})")
            continue
        notes.setdefault(id(obj), (obj, []))[1].append(body)
    for obj, bodies in notes.values():
        obj.note = "\n".join(bodies)

    return Annotations(list(spans.values()), list(events.values()), rel_list), kb_names


# ==== writing ================================================================================
def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at runs of line breaks (brat's TEXT field cannot hold one); line
    breaks at the very start or end of the span stay inside the first/last fragment."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _LB_RUN_RE.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    if not out:
        return [(start, end)]
    out[0] = (start, out[0][1])
    out[-1] = (out[-1][0], end)
    return out


class _Names:
    def __init__(self, schema: Schema) -> None:
        from annotator.formats.brat_conf import brat_name_map

        self.map = brat_name_map(schema)

    def __call__(self, name: str) -> str:
        from annotator.formats.brat_conf import brat_safe_name

        return self.map.get(name) or brat_safe_name(name)


def write_ann(text: str, ann: Annotations, *, names: Callable[[str], str] | None = None,
              schema: Schema | None = None, kb_names: dict[str, str] | None = None,
              relation_attributes: str = "notes",
              lose: Callable[..., None] | None = None) -> str:
    """The ``.ann`` text for one document. ``lose(kind, reason, label=, start=, end=)`` is
    called for everything brat cannot carry."""
    from annotator.formats.brat_conf import brat_safe_name

    names = names or brat_safe_name
    schema = schema or Schema()
    kb_names = kb_names or {}

    def lost(kind: str, reason: str, **kw: Any) -> None:
        if lose is not None:
            lose(kind, reason, **kw)

    lines: list[str] = []
    tid: dict[str, str] = {}
    span_by_id = {s.id: s for s in ann.spans}
    ordered_spans = sorted(ann.spans, key=lambda s: (s.start, s.end, s.label, s.id))
    for i, s in enumerate(ordered_spans, 1):
        tid[s.id] = f"T{i}"
        frags = fragments(text, s.start, s.end)
        body = " ".join(text[a:b] for a, b in frags)
        offs = ";".join(f"{a} {b}" for a, b in frags)
        lines.append(f"T{i}\t{names(s.label)} {offs}\t{_LB_RE.sub(' ', body)}")

    eid: dict[str, str] = {e.id: f"E{i}" for i, e in enumerate(ann.events, 1)}
    for e in ann.events:
        if e.trigger_id not in tid:
            lost("event", "trigger span not exported", label=e.type)
            continue
        parts = [f"{names(e.type)}:{tid[e.trigger_id]}"]
        counts: dict[str, int] = defaultdict(int)
        for a in sorted(e.arguments, key=lambda a: a.position):
            target = tid.get(a.filler_id) or eid.get(a.filler_id)
            if target is None:
                lost("argument", "filler not exported", label=f"{e.type}/{a.role}")
                continue
            role = brat_safe_name(a.role)
            if role[-1:].isdigit():
                lost("argument", f"role {a.role!r} ends in a digit, which brat reads as "
                     "repeat numbering (it comes back without the digits)",
                     label=f"{e.type}/{a.role}")
            counts[role] += 1
            parts.append(f"{role}{counts[role] if counts[role] > 1 else ''}:{target}")
        lines.append(f"{eid[e.id]}\t{' '.join(parts)}")

    def is_equiv(rtype: str) -> bool:
        return any(t.symmetric and t.transitive for t in schema.relation_types_named(rtype))

    rid: dict[str, str] = {}
    groups: dict[str, list[Relation]] = defaultdict(list)
    n = 0
    for r in ann.relations:
        if r.head_id not in tid or r.tail_id not in tid:
            lost("relation", "argument span not exported", label=r.type)
            continue
        if is_equiv(r.type):
            groups[r.type].append(r)
            continue
        n += 1
        rid[r.id] = f"R{n}"
        rts = schema.relation_types_named(r.type)
        role1 = brat_safe_name(rts[0].arg1_role) if rts and rts[0].arg1_role else "Arg1"
        role2 = brat_safe_name(rts[0].arg2_role) if rts and rts[0].arg2_role else "Arg2"
        if role1 == role2:
            role1, role2 = "Arg1", "Arg2"
        lines.append(f"R{n}\t{names(r.type)} {role1}:{tid[r.head_id]} {role2}:{tid[r.tail_id]}")
    for rtype, rels in groups.items():
        parent: dict[str, str] = {}
        for r in rels:
            parent[_find(parent, r.head_id)] = _find(parent, r.tail_id)
            if r.note or r.attrs:
                lost("relation", f"note/attributes of a {rtype} equivalence (brat '*' lines have "
                     "no id to attach them to)", label=rtype)
        members: dict[str, list[Span]] = defaultdict(list)
        for x in list(parent):
            members[_find(parent, x)].append(span_by_id[x])
        for group in sorted(members.values(), key=lambda g: min((s.start, s.end) for s in g)):
            group.sort(key=lambda s: (s.start, s.end, s.label, s.id))
            lines.append(f"*\t{names(rtype)} " + " ".join(tid[s.id] for s in group))

    a_n = 0
    extra: list[str] = []
    known_attrs = {a.name for a in schema.attributes}

    def attr_lines(target: str, attrs: dict[str, Any], label: str) -> None:
        nonlocal a_n
        for name, value in attrs.items():
            if value is False or value is None or value == "":
                continue
            bname = brat_safe_name(name)
            if bname != name and name not in known_attrs:
                lost("attribute", f"attribute name {name!r} is written as {bname!r} (not "
                     "brat-safe and not in the schema, so it cannot be renamed back)",
                     label=f"{label}/{name}")
            if value is True:
                a_n += 1
                extra.append(f"A{a_n}\t{bname} {target}")
                continue
            sval = str(value)
            if not sval or re.search(r"\s", sval):
                lost("attribute", f"attribute value {sval!r} contains whitespace (brat values "
                     "cannot)", label=f"{label}/{name}")
                continue
            a_n += 1
            extra.append(f"A{a_n}\t{bname} {target} {sval}")

    for s in ordered_spans:
        attr_lines(tid[s.id], s.attrs, s.label)
    for e in ann.events:
        if e.id in eid and e.trigger_id in tid:
            attr_lines(eid[e.id], e.attrs, e.type)

    n_n = 0
    for s in ordered_spans:
        if not s.kb_id:
            continue
        rid_, sep, eid_ = s.kb_id.partition(":")
        if not sep or not rid_ or not eid_ or re.search(r"\s", s.kb_id):
            lost("span", f"knowledge-base id {s.kb_id!r} is not RID:EID without spaces",
                 label=s.label, start=s.start, end=s.end)
            continue
        n_n += 1
        name = kb_names.get(s.kb_id) or _LB_RE.sub(" ", text[s.start:s.end])
        extra.append(f"N{n_n}\tReference {tid[s.id]} {s.kb_id}\t{_LB_RE.sub(' ', name)}")

    c_n = 0

    def note_lines(target: str, note: str) -> None:
        nonlocal c_n
        if not note:
            return
        for part in re.split(r"\r\n|[" + re.escape(LINE_BREAKS) + "]", note):
            c_n += 1
            extra.append(f"#{c_n}\t{NOTE_TYPE} {target}\t{part}")

    for s in ordered_spans:
        note_lines(tid[s.id], s.note)
    for e in ann.events:
        if e.id in eid and e.trigger_id in tid:
            note_lines(eid[e.id], e.note)
    for r in ann.relations:
        if r.id not in rid:
            continue
        note_lines(rid[r.id], r.note)
        attrs = {k: v for k, v in r.attrs.items() if v is not None}
        if attrs:
            if relation_attributes == "drop":
                lost("attribute", "brat has no attributes on relations (brat#791)",
                     label=f"{r.type}/{','.join(sorted(attrs))}")
            else:
                c_n += 1
                extra.append(f"#{c_n}\t{REL_ATTR_NOTE} {rid[r.id]}\t"
                             f"{json.dumps(attrs, ensure_ascii=False, sort_keys=True)}")
    lines.extend(extra)
    return "\n".join(lines) + ("\n" if lines else "")


def _find(parent: dict[str, str], x: str) -> str:
    """Union-find root of ``x`` (path halving)."""
    while parent.setdefault(x, x) != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


class _Sink:
    """A folder or a zip archive to write text files into."""

    def __init__(self, out: Path, zipped: bool) -> None:
        self.out = out
        self.zip: zipfile.ZipFile | None = None
        self.names: set[str] = set()
        try:
            if zipped:
                out.parent.mkdir(parents=True, exist_ok=True)
                self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
            else:
                out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"{out}: cannot write: {exc.strerror or exc}") from None

    def write(self, rel: str, text: str) -> None:
        self.names.add(rel)
        try:
            if self.zip is not None:
                self.zip.writestr(rel, text.encode("utf-8"))
                return
            path = self.out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        except OSError as exc:
            raise ExportError(f"{self.out / rel}: cannot write: {exc.strerror or exc}") from None

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


_BAD_FILE_CHARS = re.compile(r'[\x00-\x1f\\:*?"<>|]')


def _file_stem(name: str, taken: set[str]) -> str:
    parts = [_BAD_FILE_CHARS.sub("_", p).strip() for p in name.split("/")]
    parts = [p if p not in ("", ".", "..") else "_" for p in parts] or ["document"]
    stem = "/".join(parts)
    base, i = stem, 2
    while stem.lower() in taken:
        stem, i = f"{base}-{i}", i + 1
    taken.add(stem.lower())
    return stem


def _export_schema(project: Project, options: ExportOptions) -> tuple[Schema, list[str]]:
    """The project schema plus every label the export will write that it lacks."""
    from annotator.formats.export import resolve_annotator

    schema = Schema.from_dict(project.schema.to_dict())
    who = resolve_annotator(project, options)
    stats = project.stats()
    lm = options.label_map

    def mapped(labels: dict[str, int]) -> list[str]:
        out = []
        for lab in labels:
            new = lab if lm.identity else lm.apply(lab)
            if new:
                out.append(new)
        return sorted(set(out))

    added: list[str] = []
    events = mapped(stats["events"].get(who, {}))
    for lab in events:
        if schema.span_kind_of(lab) is None:
            schema.event_types.append(EventType(name=lab))
            added.append(lab)
    for lab in mapped(stats["spans"].get(who, {})):
        if schema.span_kind_of(lab) is None:
            schema.entity_types.append(SpanType(name=lab))
            added.append(lab)
    for lab in mapped(stats["relations"].get(who, {})):
        if not schema.relation_types_named(lab):
            schema.relation_types.append(RelationType(name=lab))
            added.append(lab)
    return schema, added


def export(project: Project, out: Path, options: ExportOptions, report: ExportReport,
           progress: ProgressFn | None = None) -> None:
    """Write the selected documents as a brat collection (folder or .zip)."""
    from annotator.formats.brat_conf import (
        write_annotation_conf,
        write_kb_shortcuts,
        write_visual_conf,
    )
    from annotator.formats.export import export_documents

    out = Path(out)
    zipped = out.suffix.lower() == ".zip" or bool(options.extra.get("zip"))
    if zipped and out.suffix.lower() != ".zip":
        out = out.with_name(out.name + ".zip")
        report.out = str(out)
    rel_attrs = options.extra.get("relation_attributes", "notes")
    if rel_attrs not in ("notes", "drop"):
        raise ExportError(f"relation_attributes must be 'notes' or 'drop', got {rel_attrs!r}")
    schema, added = _export_schema(project, options)
    names = _Names(schema)
    sink = _Sink(out, zipped)
    taken: set[str] = set()
    n_norm: set[str] = set()
    counts = {"split_spans": 0, "rel_attr_notes": 0, "suggested": 0}
    try:
        for item in export_documents(project, options, report, progress):
            doc = item.doc
            stem = _file_stem(doc.name, taken)
            if item.split != "all":
                stem = f"{item.split}/{stem}"

            def lose(kind: str, reason: str, _doc=doc, **kw: Any) -> None:
                report.lose(_doc, kind, reason, **kw)

            ann_text = write_ann(doc.text, item.ann, names=names, schema=schema,
                                 kb_names=doc.meta.get(KB_NAMES) or {},
                                 relation_attributes=rel_attrs, lose=lose)
            for s in item.ann.spans:
                if len(fragments(doc.text, s.start, s.end)) > 1:
                    counts["split_spans"] += 1
                if s.kb_id and ":" in s.kb_id:
                    n_norm.add(s.kb_id.partition(":")[0])
                if s.status == "suggested":
                    counts["suggested"] += 1
            counts["rel_attr_notes"] += ann_text.count(f"\t{REL_ATTR_NOTE} ")
            sink.write(f"{stem}.txt", doc.text)
            sink.write(f"{stem}.ann", ann_text)
        sink.write("annotation.conf", write_annotation_conf(schema))
        sink.write("visual.conf", write_visual_conf(schema))
        if any(t.hotkey for t in (*schema.entity_types, *schema.value_types,
                                  *schema.event_types)) or \
                any(r.hotkey for r in schema.relation_types):
            sink.write("kb_shortcuts.conf", write_kb_shortcuts(schema))
        if n_norm:
            sink.write("tools.conf", _tools_conf(sorted(n_norm)))
    finally:
        sink.close()
    report.files.append(str(out))
    if added:
        report.notes.append(f"labels not in the project schema added to annotation.conf: "
                            f"{', '.join(added)}")
    if counts["split_spans"]:
        report.notes.append(f"{counts['split_spans']} span(s) crossing a line break written as "
                            "fragments split at the break (brat's own form; re-imports as one "
                            "span)")
    if counts["rel_attr_notes"]:
        report.notes.append(f"{counts['rel_attr_notes']} relation(s) have attributes: written as "
                            f"'#' {REL_ATTR_NOTE} comment lines (brat has no relation "
                            "attributes, brat#791; annotator reads them back)")
    if counts["suggested"]:
        report.notes.append(f"{counts['suggested']} suggested span(s) written as ordinary T "
                            "lines (brat has no status)")
    if n_norm:
        report.notes.append("tools.conf declares the normalization DBs "
                            f"{', '.join(sorted(n_norm))}")


def _tools_conf(dbs: list[str]) -> str:
    lines = ["# brat tools.conf written by annotator: normalization DBs used by N lines.",
             "# Unknown DBs get placeholder URLs; edit them for your resources.", "",
             "[normalization]", ""]
    for db in dbs:
        url, base = _KNOWN_NORM_URLS.get(db.lower(), ("http://example.invalid/",
                                                      "http://example.invalid/%s"))
        lines.append(f"{db}\tDB:<NONE>, <URL>:{url}, <URLBASE>:{base}")
    return "\n".join(lines) + "\n"
