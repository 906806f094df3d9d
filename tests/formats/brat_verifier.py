"""brat's own rules for a collection, re-implemented for tests: what brat v1.3's parser
(``server/src/annotation.py``) refuses in an ``.ann`` file and what its verifier
(``server/src/verify_annotations.py``, configuration from ``server/src/projectconfig.py``)
reports against the collection's ``annotation.conf``.

Faithful re-implementation of brat (https://github.com/nlplab/brat), MIT licence,
Copyright (C) 2010-2012 The brat contributors. Kept independent of annotator's own conf
reader on purpose. Rules, with the brat function each follows:

* parser: ``T`` TEXT equals the fragment texts joined by one space
  (``_parse_textbound_annotation``); offsets inside the text; ids unique; references resolve;
* ``verify_annotation_types``: every T/E/R type is declared;
* ``verify_equivs``: every pair of types in a ``*`` group has a symmetric-transitive type;
* ``verify_entity_overlap``: overlapping entity spans need an ``<OVERLAP>`` (or legacy
  ``ENTITY-NESTING`` = contain) rule of the right kind (``equal``, ``contain``, ``cross``);
* ``verify_relations``: the (type, Arg labels, arg types) combination is declared;
* ``verify_missing_arguments`` / ``verify_extra_arguments``: role cardinalities;
* ``verify_disallowed_arguments``: role names and filler types (exact names, ``<ANY>``,
  ``<ENTITY>``, ``<EVENT>``; brat does not use the hierarchy here);
* ``verify_attributes``: the attribute is declared for the target's type (``Arg:``); stricter
  than brat, the value must be one the definition lists (brat's UI cannot show others).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

SPECIAL = ("<OVERLAP>", "ENTITY-NESTING")
RESERVED = {"<REL-TYPE>", "<OVL-TYPE>", "<NORM>", "<URL>", "<URLBASE>", "<GLYPH-POS>",
            "<DEFAULT>"}


@dataclass
class Node:
    name: str
    args: dict[str, list[str]] = field(default_factory=dict)  # role -> types (arg order kept)
    special: dict[str, list[str]] = field(default_factory=dict)
    min: dict[str, int] = field(default_factory=dict)
    max: dict[str, int] = field(default_factory=dict)


def _node(line: str) -> Node:
    m = re.match(r"^(\s*)(\S+)(?:\s+(.*))?$", line)
    assert m, line
    terms = [t.strip() for t in m.group(2).split("|") if t.strip()]
    node = Node(terms[0].lstrip("!"))
    for a in [a.strip() for a in (m.group(3) or "").split(",") if a.strip()]:
        am = re.match(r"^(\S*?):(\S*)$", a)
        assert am, f"brat: failed to parse argument {a!r}"
        key, types = am.groups()
        if key in RESERVED:
            node.special[key] = types.split("-") if key == "<REL-TYPE>" else [types]
            continue
        km = re.match(r"^(\S+?)(\{\S+\}|\?|\*|\+|)$", key)
        assert km, key
        key, rep = km.groups()
        lo, hi = {"": (1, 1), "?": (0, 1), "*": (0, sys.maxsize), "+": (1, sys.maxsize)}.get(
            rep, (0, 0))
        if rep.startswith("{"):
            n = re.match(r"\{(\d+)(?:-(\d+))?\}$", rep)
            assert n, rep
            lo, hi = int(n.group(1)), int(n.group(2) or n.group(1))
        assert not (hi > 1 and key[-1].isdigit()), f"brat: {key} ends in a digit and repeats"
        assert key not in node.args, f"brat: argument {key} appears multiple times"
        node.args[key], node.min[key], node.max[key] = types.split("|"), lo, hi
    return node


class Conf:
    """The parts of brat's ProjectConfiguration the verifier uses."""

    def __init__(self, text: str) -> None:
        sections: dict[str, list[Node]] = {}
        current, macros = "general", {}
        for raw in text.split("\n"):
            sm = re.match(r"^\s*\[(.*)\]\s*$", raw)
            if sm:
                current, macros = {"spans": "entities"}.get(sm.group(1), sm.group(1)), {}
                continue
            if not raw.strip() or re.match(r"^\s*#", raw) or re.match(r"^\s*-+\s*$", raw):
                continue
            mm = re.match(r"^<([a-zA-Z_-]+)>=\s*(.*?)\s*$", raw)
            if mm:
                macros[f"<{mm.group(1)}>"] = mm.group(2)
                continue
            for k, v in macros.items():
                raw = raw.replace(k, v)
            sections.setdefault(current, []).append(_node(raw))
        self.entities = [n.name for n in sections.get("entities", [])]
        self.events = {n.name: n for n in sections.get("events", [])}
        self.relations = sections.get("relations", [])
        self.attributes = {n.name: n for n in sections.get("attributes", [])}

    def _matches(self, conf_type: str, ann_type: str) -> bool:
        return (conf_type in (ann_type, "<ANY>")
                or (conf_type == "<ENTITY>" and ann_type in self.entities)
                or (conf_type == "<EVENT>" and ann_type in self.events))

    def relation_ok(self, rtype: str, l1: str, t1: str, l2: str, t2: str) -> bool:
        for r in self.relations:
            labels = list(r.args)
            if r.name == rtype and labels == [l1, l2] and \
                    any(self._matches(c, t1) for c in r.args[l1]) and \
                    any(self._matches(c, t2) for c in r.args[l2]):
                return True
        return False

    def is_equiv(self, rtype: str, t1: str, t2: str) -> bool:
        return any(r.name == rtype and {"symmetric", "transitive"} <= set(
            r.special.get("<REL-TYPE>", [])) and len(r.args) == 2 and
            any(self._matches(c, t1) for c in list(r.args.values())[0]) and
            any(self._matches(c, t2) for c in list(r.args.values())[1])
            for r in self.relations)

    def overlap_kinds(self, inner: str, outer: str) -> set[str]:
        rules = [r for r in self.relations if r.name in SPECIAL and len(r.args) == 2
                 and any(self._matches(c, inner) for c in list(r.args.values())[0])
                 and any(self._matches(c, outer) for c in list(r.args.values())[1])]
        ovl = [r for r in rules if r.name == "<OVERLAP>"]
        if ovl:
            return {k for r in ovl for v in r.special.get("<OVL-TYPE>", []) for k in v.split("|")}
        return {"contain"} if rules else set()

    def overlap_ok(self, kind: str, t1: str, t2: str) -> bool:
        if kind == "contain":  # t1 inside t2
            return bool({"contain", "<ANY>"} & self.overlap_kinds(t1, t2)) or \
                "<ANY>" in self.overlap_kinds(t2, t1)
        return any({kind, "<ANY>"} & self.overlap_kinds(a, b) for a, b in ((t1, t2), (t2, t1)))


@dataclass
class Ann:
    text: dict[str, tuple[str, list[tuple[int, int]]]] = field(default_factory=dict)
    events: dict[str, tuple[str, str, list[tuple[str, str]]]] = field(default_factory=dict)
    relations: dict[str, tuple[str, str, str, str, str]] = field(default_factory=dict)
    equivs: list[tuple[str, list[str]]] = field(default_factory=list)
    attributes: list[tuple[str, str, str, str | None]] = field(default_factory=list)

    def type_of(self, ann_id: str) -> str:
        if ann_id in self.text:
            return self.text[ann_id][0]
        return self.events[ann_id][0]


def parse(doc_text: str, ann_text: str, where: str) -> tuple[Ann, list[str]]:
    """An ``.ann`` as brat's parser reads it, plus what that parser refuses."""
    ann, issues, seen = Ann(), [], set()
    for n, raw in enumerate(ann_text.split("\n"), 1):
        if not raw.strip():
            continue
        parts = raw.split("\t", 2)
        ann_id = parts[0]
        if ann_id in seen:
            issues.append(f"{where}:{n}: duplicate id {ann_id}")
        if ann_id[0] != "*":
            seen.add(ann_id)
        data = parts[1] if len(parts) > 1 else ""
        if ann_id[0] == "T":
            label, offs = data.split(" ", 1)
            frags = [(int(f.split()[0]), int(f.split()[1])) for f in offs.split(";")]
            if any(not 0 <= a <= b <= len(doc_text) for a, b in frags):
                issues.append(f"{where}:{n}: offsets outside the text")
                continue
            if len(parts) < 3 or parts[2] != " ".join(doc_text[a:b] for a, b in frags):
                issues.append(f"{where}:{n}: TEXT does not match the document: {raw!r}")
            ann.text[ann_id] = (label, frags)
        elif ann_id[0] == "E":
            items = data.split()
            etype, _, trigger = items[0].partition(":")
            ann.events[ann_id] = (etype, trigger, [(i.split(":", 1)[0], i.split(":", 1)[1])
                                                   for i in items[1:]])
        elif ann_id[0] == "R":
            rtype, a1, a2 = data.split()
            (l1, i1), (l2, i2) = a1.split(":", 1), a2.split(":", 1)
            ann.relations[ann_id] = (rtype, l1, i1, l2, i2)
        elif ann_id[0] == "*":
            items = data.split()
            ann.equivs.append((items[0], items[1:]))
        elif ann_id[0] in "AM":
            items = data.split()
            ann.attributes.append((ann_id, items[0], items[1], items[2] if len(items) > 2
                                   else None))
    known = {*ann.text, *ann.events, *ann.relations}
    refs = [t for _, t, args in ann.events.values() for t in [t, *(i for _, i in args)]]
    refs += [i for r in ann.relations.values() for i in (r[2], r[4])]
    refs += [i for _, ids in ann.equivs for i in ids] + [a[2] for a in ann.attributes]
    issues += [f"{where}: reference to undefined id {r}" for r in refs if r not in known]
    return ann, issues


def _strip_num(role: str) -> str:
    m = re.match(r"^(.*?)\d*$", role)
    return m.group(1) if m else role


def verify(conf: Conf, ann: Ann, where: str) -> list[str]:
    """What brat's verify_annotation reports (errors and incompletes; not the harmless
    duplicate-trigger warnings)."""
    out: list[str] = []
    for tid, (ttype, _) in ann.text.items():
        if ttype not in conf.entities and ttype not in conf.events:
            out.append(f"{where}: {tid}: {ttype} is not a known textbound type")
    for eid, (etype, _trig, args) in ann.events.items():
        node = conf.events.get(etype)
        if node is None:
            out.append(f"{where}: {eid}: {etype} is not a known event type")
            continue
        counts: dict[str, int] = {}
        for role, filler in args:
            base = _strip_num(role)
            counts[base] = counts.get(base, 0) + 1
            if base not in node.args:
                out.append(f"{where}: {eid}: {etype} cannot take a {base} argument")
            elif not any(conf._matches(c, ann.type_of(filler)) for c in node.args[base]):
                out.append(f"{where}: {eid}: {etype} argument {base} cannot be of type "
                           f"{ann.type_of(filler)}")
        for role in node.args:
            if counts.get(role, 0) < node.min[role]:
                out.append(f"{where}: {eid}: at least {node.min[role]} {role} required")
            if counts.get(role, 0) > node.max[role]:
                out.append(f"{where}: {eid}: {etype} can take at most {node.max[role]} {role}")
    for rid, (rtype, l1, i1, l2, i2) in ann.relations.items():
        t1, t2 = ann.type_of(i1), ann.type_of(i2)
        if not (conf.relation_ok(rtype, l1, t1, l2, t2) or
                conf.relation_ok(rtype, l2, t2, l1, t1)):
            out.append(f"{where}: {rid}: {rtype} relation {l1}:{t1} {l2}:{t2} not allowed")
    for etype, ids in ann.equivs:
        types = {ann.type_of(i) for i in ids}
        for t1 in types:
            for t2 in types:
                if not conf.is_equiv(etype, t1, t2):
                    out.append(f"{where}: equivalence {etype} not allowed between {t1}, {t2}")
    out += _overlaps(conf, ann, where)
    for aid, name, target, value in ann.attributes:
        node = conf.attributes.get(name)
        ttype = ann.type_of(target) if target not in ann.relations else \
            ann.relations[target][0]
        if node is None or not any(
                c in (ttype, "<ANY>") or (c == "<ENTITY>" and ttype in conf.entities)
                or (c == "<EVENT>" and ttype in conf.events)
                or (c == "<RELATION>" and target in ann.relations)
                for c in node.args.get("Arg", [])):
            out.append(f"{where}: {aid}: {ttype} cannot take a {name} attribute")
        elif (value is None) != ("Value" not in node.args) or \
                (value is not None and value not in node.args["Value"]):
            out.append(f"{where}: {aid}: {name} value {value!r} is not declared")
    return out


def _overlaps(conf: Conf, ann: Ann, where: str) -> list[str]:
    out = []
    ents = [(i, t, f) for i, (t, f) in ann.text.items() if t in conf.entities]
    for i1, t1, f1 in ents:
        for i2, t2, f2 in ents:
            if i1 == i2 or not (min(a for a, _ in f2) < max(b for _, b in f1)
                                and max(b for _, b in f2) > min(a for a, _ in f1)):
                continue
            if set(f1) == set(f2):
                kind, ok = "equal", conf.overlap_ok("equal", t1, t2)
            elif all(any(a >= c and b <= d for c, d in f2) for a, b in f1):
                kind, ok = "contained in", conf.overlap_ok("contain", t1, t2)
            elif all(any(a >= c and b <= d for c, d in f1) for a, b in f2):
                kind, ok = "containing", conf.overlap_ok("contain", t2, t1)
            else:
                kind, ok = "crossing", conf.overlap_ok("cross", t1, t2)
            if not ok:
                out.append(f"{where}: {i1} {t1} {kind} {i2} {t2} is not allowed")
    return out


def verify_collection(folder: Path, rules: bool = True) -> list[str]:
    """Every issue brat's parser and verifier find in an exported collection (each ``.ann``
    against the nearest ``annotation.conf`` at or above it); ``rules=False``: the parser's
    only (for data that breaks its own schema on purpose)."""
    issues: list[str] = []
    for ann_path in sorted(folder.rglob("*.ann")):
        conf_dir = next(d for d in (ann_path.parent, *ann_path.parents)
                        if (d / "annotation.conf").is_file())
        conf = Conf((conf_dir / "annotation.conf").read_text(encoding="utf-8"))
        text = ann_path.with_suffix(".txt").read_bytes().decode("utf-8")
        ann, parse_issues = parse(text, ann_path.read_text(encoding="utf-8"), str(ann_path))
        issues += parse_issues
        if rules and not parse_issues:
            issues += verify(conf, ann, str(ann_path))
    return issues
