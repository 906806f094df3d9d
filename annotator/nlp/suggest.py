"""Running suggestion sources over a project's documents (``annotator suggest``, the GUI's
Annotate > Suggest and ``annotator.suggest``).

Documents are read in chunks; each source proposes a ``Batch`` per document and each
document is written in its own transaction (one undo step per document and source), so an
interruption (Ctrl+C, the GUI's cancel) keeps every finished document and nothing half
written. The argument source runs last on each document, over what the others just wrote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from annotator.core.model import Annotations, Document
from annotator.core.progress import ProgressFn
from annotator.core.suggestions import Batch
from annotator.errors import ValidationError
from annotator.nlp.gold_dictionary import ArgumentSource, GoldDictionary
from annotator.nlp.label_maps import LabelMapping, build_mapping

if TYPE_CHECKING:
    from annotator.core.project import Project

CHUNK = 64


class Source(Protocol):
    name: str
    origin: str

    def batches(self, items: Sequence[tuple[Document, Annotations]]) -> Iterable[Batch]: ...


@dataclass
class SuggestReport:
    documents: int = 0  # documents finished (written)
    total: int = 0
    added: Counter[str] = field(default_factory=Counter)  # per source
    replaced: int = 0
    kept_rejected: int = 0
    kept_existing: int = 0
    unknown_labels: Counter[str] = field(default_factory=Counter)  # not in the schema
    unmapped_labels: Counter[str] = field(default_factory=Counter)  # dropped by the label map
    cancelled: bool = False

    def summary(self) -> str:
        added = sum(self.added.values())
        lines = [f"suggested {added} annotation(s) in {self.documents} of {self.total} "
                 f"document(s)" + (" (stopped: the finished documents are kept)"
                                   if self.cancelled else "")]
        lines += [f"  {name}: {n}" for name, n in sorted(self.added.items())]
        if self.replaced:
            lines.append(f"  earlier open suggestions replaced: {self.replaced}")
        if self.kept_rejected:
            lines.append(f"  rejected before, not proposed again: {self.kept_rejected}")
        for what, counts in (("labels without a mapping, dropped", self.unmapped_labels),
                             ("labels not in the schema, dropped", self.unknown_labels)):
            if counts:
                listed = ", ".join(f"{k} ({v})" for k, v in sorted(counts.items()))
                lines.append(f"  {what}: {listed}")
        return "\n".join(lines)


def select_documents(project: Project, spec: str | Sequence[str]) -> list[str]:
    """``all``, ``done``, ``new`` (no annotation and status new), ``in_progress``, or
    document names (a list or comma-separated), in document order."""
    if isinstance(spec, str) and spec in ("all", "done", "new", "in_progress"):
        ids = project.document_ids()
        if spec == "all":
            return ids
        if spec == "new":
            return [s.id for s in project.documents()
                    if s.status == "new" and s.annotation_count == 0]
        return [d for d in ids if project.status(d) == spec]
    names = [n.strip() for n in (spec.split(",") if isinstance(spec, str) else spec)]
    return [project.document_by_name(n).id for n in names if n]


def build_sources(project: Project, *, model: str | Path | None = None,
                  patterns: Path | None = None, from_gold: bool = False,
                  maps: Sequence[str] = (), map_files: Sequence[Path] = (),
                  ner_scores: bool = False, min_score: float = 0.0
                  ) -> tuple[list[Source], list[LabelMapping]]:
    """The sources asked for, with their label mappings (to report dropped labels);
    ``ner_scores``: a pipeline's entities get a beam-search probability as their score."""
    from annotator.nlp.spacy_sources import PatternSource, PipelineSource

    known = set(project.schema.span_labels()) | {t.name for t in project.schema.event_types}
    sources: list[Source] = []
    mappings: list[LabelMapping] = []
    if model is not None:
        mapping = build_mapping(known, list(maps), list(map_files))
        sources.append(PipelineSource(model, mapping, ner_scores=ner_scores,
                                      min_score=min_score))
        mappings.append(mapping)
    if patterns is not None:
        mapping = build_mapping(known, list(maps), list(map_files), default=False)
        sources.append(PatternSource(Path(patterns), mapping, project.lang))
        mappings.append(mapping)
    if from_gold:
        sources.append(GoldDictionary.from_project(project))
    return sources, mappings


def run_sources(project: Project, sources: Sequence[Source], doc_ids: Sequence[str], *,
                arguments: bool = True, progress: ProgressFn | None = None,
                report: SuggestReport | None = None) -> SuggestReport:
    """Suggest over ``doc_ids`` (see the module docstring); ``report`` is filled as the
    documents finish, so a caller that catches an interruption can still print it."""
    rep = report if report is not None else SuggestReport()
    rep.total = len(doc_ids)
    args = ArgumentSource.from_project(project) if arguments and project.schema.event_types \
        else None
    if not sources and args is None:
        raise ValidationError("no source of suggestions")
    for i in range(0, len(doc_ids), CHUNK):
        items = [(project.document(d), project.annotations(d)) for d in doc_ids[i:i + CHUNK]]
        proposals = [list(source.batches(items)) for source in sources]
        for j, (doc, _ann) in enumerate(items):
            with project.compound(f"Suggest in {doc.name}"):
                for source, batches in zip(sources, proposals, strict=True):
                    _put(project, doc.id, source.name, source.origin, batches[j], rep)
                if args is not None:
                    batch = args.batch(doc, project.annotations(doc.id))
                    _put(project, doc.id, args.name, args.origin, batch, rep)
            rep.documents += 1
            if progress is not None and progress(rep.documents, rep.total,
                                                 f"suggested in {doc.name}") is False:
                rep.cancelled = True
                return rep
    return rep


def _put(project: Project, doc_id: str, name: str, origin: str, batch: Batch,
         rep: SuggestReport) -> None:
    put = project.put_suggestions(doc_id, name, batch, origin=origin)
    rep.added[name] += put.added
    rep.replaced += put.replaced
    rep.kept_rejected += put.kept_rejected
    rep.kept_existing += put.kept_existing
    rep.unknown_labels.update(put.unknown_labels)


def suggest(project: Project, *, model: str | Path | None = None, patterns: Path | None = None,
            from_gold: bool = False, maps: Sequence[str] = (), map_files: Sequence[Path] = (),
            documents: str | Sequence[str] = "all", arguments: bool = True,
            progress: ProgressFn | None = None, report: SuggestReport | None = None,
            ner_scores: bool = False, min_score: float = 0.0) -> SuggestReport:
    """Suggest annotations in ``project`` from a spaCy pipeline (package name or folder), a
    patterns file and/or the project's gold; see ``run_sources``."""
    if model is None and patterns is None and not from_gold:
        raise ValidationError("no source of suggestions: give --model, --patterns or "
                              "--from-gold")
    sources, mappings = build_sources(project, model=model, patterns=patterns,
                                      from_gold=from_gold, maps=maps, map_files=map_files,
                                      ner_scores=ner_scores, min_score=min_score)
    rep = report if report is not None else SuggestReport()
    try:
        return run_sources(project, sources, select_documents(project, documents),
                           arguments=arguments, progress=progress, report=rep)
    finally:
        for mapping in mappings:
            rep.unmapped_labels.update(mapping.dropped)
