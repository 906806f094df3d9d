"""What every export shares: which documents and set, suggested spans, a deterministic
train/dev/test split, a label map, progress, and a report of what the target could not carry.

A format's ``export`` function iterates ``export_documents(...)`` and records every loss with
``report.lose(...)``; ``run_export`` does the rest (selection, report printing and writing).
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.model import Annotations, Document
from annotator.core.progress import ProgressFn, report
from annotator.errors import ExportError
from annotator.formats.model_limits import ModelLimits

if TYPE_CHECKING:
    from annotator.core.project import Project

SPLIT_NAMES = ("train", "dev", "test")


# ---- label map ------------------------------------------------------------------------------
@dataclass
class LabelMap:
    """Rename or drop labels on export. Rules are exact names or globs (``Conflict.*``);
    a target of ``""`` or ``None`` drops the label. ``coarse`` keeps the part before the first
    ``.`` (merge subtypes into types); ``separator`` replaces that ``.`` (e.g. ``:``)."""

    rules: dict[str, str | None] = field(default_factory=dict)
    coarse: bool = False
    separator: str | None = None

    def apply(self, label: str) -> str | None:
        if label in self.rules:
            target = self.rules[label]
            return target or None
        for pattern, target in self.rules.items():
            if any(c in pattern for c in "*?[") and fnmatch.fnmatchcase(label, pattern):
                return target or None
        if self.coarse and "." in label:
            label = label.split(".", 1)[0]
        if self.separator is not None and "." in label:
            label = label.replace(".", self.separator, 1)
        return label

    @property
    def identity(self) -> bool:
        return not self.rules and not self.coarse and self.separator is None

    @classmethod
    def from_file(cls, path: str | Path) -> LabelMap:
        """TOML/JSON table ``{old = "new"}`` (plus optional ``coarse``/``separator`` keys), or
        lines ``old=new`` / ``old=`` (drop), ``#`` comments."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ExportError(f"{path}: cannot read label map: {exc.strerror}") from None
        data: dict[str, Any]
        if path.suffix == ".json":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ExportError(f"{path}:{exc.lineno}: bad JSON label map: {exc.msg}") from None
        elif path.suffix == ".toml":
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise ExportError(f"{path}: bad TOML label map: {exc}") from None
        else:
            data = {}
            for n, line in enumerate(text.splitlines(), 1):
                line = line.split("#", 1)[0].strip()
                if not line:
                    continue
                if "=" not in line:
                    raise ExportError(f"{path}:{n}: expected OLD=NEW (or OLD= to drop), got "
                                      f"{line!r}")
                old, new = (x.strip() for x in line.split("=", 1))
                data[old] = new
        if not isinstance(data, dict):
            raise ExportError(f"{path}: a label map must be a table of OLD = NEW, got "
                              f"{type(data).__name__}")
        coarse = bool(data.pop("coarse", False))
        separator = data.pop("separator", None)
        if not isinstance(separator, str | type(None)):
            raise ExportError(f"{path}: the label map's separator must be a string")
        rules = data.pop("labels", None) or data
        if not isinstance(rules, dict):
            raise ExportError(f"{path}: the label map's labels must be a table of OLD = NEW")
        for k, v in rules.items():
            if not isinstance(v, str | type(None)):
                raise ExportError(f"{path}: label map value for {k!r} must be a string")
        return cls(dict(rules), coarse=coarse, separator=separator)

    @classmethod
    def parse_options(cls, items: list[str], *, coarse: bool = False,
                      separator: str | None = None) -> LabelMap:
        rules: dict[str, str | None] = {}
        for item in items:
            if "=" not in item:
                raise ExportError(f"--map expects OLD=NEW (or OLD= to drop), got {item!r}")
            old, new = item.split("=", 1)
            rules[old] = new or None
        return cls(rules, coarse=coarse, separator=separator)


# ---- options --------------------------------------------------------------------------------
@dataclass
class ExportOptions:
    documents: str | list[str] = "done"  # "done" | "all" | [names]
    annotator: str | None = None  # None: "gold" if that set exists, else the project's annotator
    include_suggested: bool = False
    split: tuple[float, ...] | None = None
    seed: int = 0
    label_map: LabelMap = field(default_factory=LabelMap)
    extra: dict[str, Any] = field(default_factory=dict)  # format-specific (scheme, zip, ...)


# ---- report ---------------------------------------------------------------------------------
@dataclass
class Loss:
    """One annotation the target format could not carry (nothing is dropped silently)."""

    document: str
    kind: str  # span | event | relation | argument | attribute
    reason: str
    label: str = ""
    start: int = -1
    end: int = -1
    text: str = ""
    id: str = ""


@dataclass
class ExportReport:
    format: str
    out: str
    annotator: str = ""
    documents: int = 0
    splits: Counter = field(default_factory=Counter)
    spans: Counter = field(default_factory=Counter)
    events: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    dropped_by_label_map: Counter = field(default_factory=Counter)
    dropped_with_trigger: Counter = field(default_factory=Counter)  # events of left-out triggers
    suggested_skipped: int = 0
    losses: list[Loss] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lose(self, doc: Document | str, kind: str, reason: str, *, label: str = "",
             start: int = -1, end: int = -1, text: str = "", id: str = "") -> None:
        name = doc if isinstance(doc, str) else doc.name
        if not text and not isinstance(doc, str) and 0 <= start < end:
            text = doc.text[start:end]
        self.losses.append(Loss(name, kind, reason, label, start, end, text, id))

    def lose_span(self, doc: Document, span: Any, reason: str) -> None:
        """``span`` (any object with label, start, end, id) could not be carried."""
        self.lose(doc, "span", reason, label=span.label, start=span.start, end=span.end,
                  id=span.id)

    def count(self, ann: Annotations) -> None:
        self.spans.update(s.label for s in ann.spans)
        self.events.update(e.type for e in ann.events)
        self.relations.update(r.type for r in ann.relations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format, "out": self.out, "annotator": self.annotator,
            "documents": self.documents, "splits": dict(self.splits),
            "spans_per_label": dict(sorted(self.spans.items())),
            "events_per_type": dict(sorted(self.events.items())),
            "relations_per_type": dict(sorted(self.relations.items())),
            "dropped_by_label_map": dict(sorted(self.dropped_by_label_map.items())),
            "events_without_their_trigger": dict(sorted(self.dropped_with_trigger.items())),
            "suggested_skipped": self.suggested_skipped,
            "not_carried": [vars(loss) for loss in self.losses],
            "not_carried_by_reason": dict(Counter(loss.reason for loss in self.losses)),
            "files": self.files, "notes": self.notes,
        }

    def summary(self) -> str:
        lines = [f"Exported {self.documents} document(s) as {self.format} to {self.out}"
                 + (f" (set {self.annotator})" if self.annotator else "")]
        if self.splits:
            lines.append("  splits: " + ", ".join(f"{k} {v}" for k, v in self.splits.items()))
        lines.append(f"  spans: {sum(self.spans.values())} "
                     f"({', '.join(f'{k} {v}' for k, v in sorted(self.spans.items()))})")
        lines.append(f"  events: {sum(self.events.values())}, relations: "
                     f"{sum(self.relations.values())}")
        if self.dropped_by_label_map:
            lines.append(f"  dropped by the label map: {sum(self.dropped_by_label_map.values())}")
        if self.suggested_skipped:
            lines.append(f"  suggestions left out: {self.suggested_skipped}")
        if self.dropped_with_trigger:
            lines.append(f"  events left out with their trigger: "
                         f"{sum(self.dropped_with_trigger.values())}")
        if self.losses:
            lines.append(f"  NOT CARRIED by {self.format}: {len(self.losses)}")
            for reason, n in Counter(loss.reason for loss in self.losses).most_common():
                lines.append(f"    {n} x {reason}")
            for loss in self.losses[:10]:
                lines.append(f"    - {loss.document} [{loss.start}:{loss.end}] {loss.kind} "
                             f"{loss.label} {loss.text!r}: {loss.reason}")
            if len(self.losses) > 10:
                lines.append(f"    ... {len(self.losses) - 10} more in the JSON report")
        else:
            lines.append("  everything selected was carried")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def write(self, path: Path) -> Path:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
        return path


# ---- selection ------------------------------------------------------------------------------
def split_of(key: str, ratios: tuple[float, ...], seed: int = 0) -> str:
    """Deterministic part for a document: a hash of (seed, key) placed on the cumulative ratios,
    so a document keeps its part however many documents are added later."""
    total = sum(ratios)
    if total <= 0:
        raise ExportError("split ratios must add up to more than 0")
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    acc = 0.0
    names = SPLIT_NAMES if len(ratios) <= 3 else tuple(f"part{i}" for i in range(len(ratios)))
    for name, r in zip(names, ratios, strict=False):
        acc += r / total
        if u < acc:
            return name
    return names[len(ratios) - 1]


def parse_split(text: str) -> tuple[float, ...]:
    try:
        parts = tuple(float(x) for x in text.split(","))
    except ValueError:
        raise ExportError(f"--split expects numbers like 0.8,0.1,0.1, got {text!r}") from None
    if not 1 <= len(parts) <= 3 or any(p < 0 for p in parts) or sum(parts) <= 0:
        raise ExportError(f"--split expects 1 to 3 non-negative ratios, got {text!r}")
    return parts


def resolve_annotator(project: Project, options: ExportOptions) -> str:
    if options.annotator:
        return options.annotator
    sets = project.annotators()
    if "gold" in sets:
        return "gold"
    return project.annotator


def selected_documents(project: Project, options: ExportOptions, annotator: str) -> list[str]:
    if options.documents == "all":
        return project.document_ids()
    if options.documents == "done":
        return [d for d in project.document_ids() if project.status(d, annotator) == "done"]
    ids = []
    for name in options.documents:
        ids.append(project.document_by_name(name).id)
    return ids


@dataclass
class ExportDoc:
    doc: Document
    ann: Annotations
    split: str  # train/dev/test, or "all" without --split


def apply_label_map(doc: Document, ann: Annotations, options: ExportOptions,
                    rep: ExportReport) -> Annotations:
    """Filter suggested/rejected spans and apply the label map, dropping dependants."""
    lm = options.label_map
    spans = []
    for s in ann.spans:
        if s.status == "rejected" or (s.status == "suggested" and not options.include_suggested):
            if s.status == "suggested":
                rep.suggested_skipped += 1
            continue
        new = lm.apply(s.label) if not lm.identity else s.label
        if new is None:
            rep.dropped_by_label_map[s.label] += 1
            continue
        s.label = new
        spans.append(s)
    kept = {s.id for s in spans}
    events = []
    for e in ann.events:
        if not _wanted(e.status, options, rep):
            continue
        new = lm.apply(e.type) if not lm.identity else e.type
        if new is None:
            rep.dropped_by_label_map[e.type] += 1
            continue
        if e.trigger_id not in kept:  # the trigger was a suggestion or its label was dropped
            rep.dropped_with_trigger[e.type] += 1
            continue
        e.type = new
        events.append(e)
    kept_events = {e.id for e in events}
    for e in events:
        args = []
        for a in e.arguments:
            if not _wanted(a.status, options, rep):
                continue
            if a.filler_id in kept or a.filler_id in kept_events:
                args.append(a)
            else:
                rep.dropped_by_label_map[f"{e.type}/{a.role}"] += 1
        e.arguments = args
    relations = []
    for r in ann.relations:
        if not _wanted(r.status, options, rep):
            continue
        new = lm.apply(r.type) if not lm.identity else r.type
        if new is None or r.head_id not in kept or r.tail_id not in kept:
            rep.dropped_by_label_map[r.type] += 1
            continue
        r.type = new
        relations.append(r)
    chains = []  # a chain keeps the mentions that are exported (none left: dropped)
    for c in ann.chains:
        c.mentions = [m for m in c.mentions if m in kept]
        if not c.mentions or not _wanted(c.status, options, rep):
            continue
        # the type is mapped like every other label (an untyped chain stays untyped)
        new = lm.apply(c.type) if c.type and not lm.identity else c.type
        if new is None:
            rep.dropped_by_label_map[c.type] += 1
            continue
        c.type = new
        chains.append(c)
    return Annotations(spans, events, relations, chains)


def _wanted(status: str, options: ExportOptions, rep: ExportReport) -> bool:
    """Gold always, suggestions only with ``include_suggested``, rejected never."""
    if status == "suggested" and not options.include_suggested:
        rep.suggested_skipped += 1
    return status == "gold" or (status == "suggested" and options.include_suggested)


def export_documents(project: Project, options: ExportOptions, rep: ExportReport,
                     progress: ProgressFn | None = None) -> Iterator[ExportDoc]:
    """The selected documents, one at a time, with the chosen set filtered and label-mapped."""
    annotator = resolve_annotator(project, options)
    rep.annotator = annotator
    ids = selected_documents(project, options, annotator)
    if not ids:
        rep.notes.append("no document matched the selection (by default only documents marked "
                         "done are exported; use --documents all)")
    limits = ModelLimits(rep.format)  # fragments, chains, references the format cannot carry
    for i, doc_id in enumerate(ids):
        doc = project.document(doc_id)
        ann = apply_label_map(doc, project.annotations(doc_id, annotator), options, rep)
        part = split_of(doc.content_hash, options.split, options.seed) if options.split else "all"
        rep.documents += 1
        rep.splits[part] += 1
        rep.count(ann)
        limits.add(ann)
        yield ExportDoc(doc, ann, part)
        report(progress, i + 1, len(ids), f"exported {i + 1} of {len(ids)} documents")
    rep.notes.extend(limits.notes())


def run_export(project: Project, fmt: str, out: str | Path, options: ExportOptions | None = None,
               progress: ProgressFn | None = None, *, force: bool = False) -> ExportReport:
    """Export ``project`` as ``fmt`` to ``out`` and write the JSON report beside it.

    Atomic: the output is written under a temporary name beside ``out`` and renamed into place
    when complete, so an interrupted or failed export leaves nothing (``staging``). An existing
    non-empty ``out`` is replaced only with ``force``; a symlinked ``out`` is refused; an
    option of ``options.extra`` the writer lacks, or a bad value, is refused before anything
    is written (``writer_options``). Every read happens inside one snapshot of the project,
    so an export taken while another process edits is consistent."""
    from annotator.formats.registry import exporter
    from annotator.formats.staging import staged_output
    from annotator.formats.writer_options import checked_writer_options

    options = options or ExportOptions()
    out = Path(out)
    write = exporter(fmt)
    # an unknown option or a bad value is refused before anything is written
    options = replace(options, extra=checked_writer_options(fmt, options.extra))
    rep = ExportReport(format=fmt, out=str(out))
    with staged_output(out, force=force) as stage, project.snapshot():
        write(project, stage.path, options, rep, progress)
        staged = stage.path
        report_path = (staged / "report.json") if staged.is_dir() \
            else stage.beside(out.name + ".report.json")
        rep.files = [stage.final(f) for f in rep.files]
        rep.write(report_path)
        rep.files.append(stage.final(report_path))
    return rep

