"""How good a source is against gold: precision, recall and F1 per label and overall (micro
averaged), with spaCy's definitions (a prediction is right when its offsets and label equal
a gold span's). ``annotator evaluate`` prints the table and writes the JSON.

Gold is the gold spans (entities and values, not triggers) of the chosen documents in one
annotation set; predictions go through the same label mapping as ``suggest``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.nlp.label_maps import build_mapping
from annotator.nlp.spacy_sources import PipelineSource

if TYPE_CHECKING:
    from annotator.core.project import Project


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4),
                "f": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "support": self.tp + self.fn}


@dataclass
class Evaluation:
    source: str
    documents: int = 0
    labels: dict[str, Scores] = field(default_factory=dict)
    unmapped_labels: Counter[str] = field(default_factory=Counter)

    @property
    def overall(self) -> Scores:
        total = Scores()
        for s in self.labels.values():
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        return total

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "documents": self.documents,
                "overall": self.overall.as_dict(),
                "labels": {k: v.as_dict() for k, v in sorted(self.labels.items())},
                "unmapped_labels": dict(sorted(self.unmapped_labels.items()))}

    def table(self) -> str:
        rows = [f"{'label':<20} {'P':>7} {'R':>7} {'F1':>7} {'support':>8}"]
        for label, s in [*sorted(self.labels.items()), ("(overall)", self.overall)]:
            rows.append(f"{label:<20} {100 * s.precision:7.2f} {100 * s.recall:7.2f} "
                        f"{100 * s.f1:7.2f} {s.tp + s.fn:8d}")
        rows.append(f"{self.documents} document(s), source {self.source}")
        if self.unmapped_labels:
            rows.append("labels without a mapping, left out: " + ", ".join(
                f"{k} ({v})" for k, v in sorted(self.unmapped_labels.items())))
        return "\n".join(rows)


def evaluate(project: Project, model: str | Path | Any, doc_ids: Sequence[str], *,
             maps: Sequence[str] = (), map_files: Sequence[Path] = (),
             annotator: str | None = None) -> Evaluation:
    """Scores of ``model`` (a package name, folder or loaded pipeline) against the gold of
    ``annotator``'s set (default: the current one) in ``doc_ids``."""
    known = set(project.schema.span_labels())
    mapping = build_mapping(known, list(maps), list(map_files))
    source = PipelineSource(model, mapping)
    result = Evaluation(source=source.name, documents=len(doc_ids))
    who = annotator or project.annotation_set
    items = [(project.document(d), project.annotations(d, who)) for d in doc_ids]
    for (_doc, ann), batch in zip(items, source.batches(items), strict=True):
        gold = {(s.start, s.end, s.label) for s in ann.spans
                if s.status == "gold" and s.kind != "trigger"}
        predicted = {(s.start, s.end, s.label) for s in batch.spans}
        for key in predicted | gold:
            scores = result.labels.setdefault(key[2], Scores())
            if key in gold and key in predicted:
                scores.tp += 1
            elif key in predicted:
                scores.fp += 1
            else:
                scores.fn += 1
    result.unmapped_labels.update(mapping.dropped)
    return result
