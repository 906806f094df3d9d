"""Suggestion sources backed by spaCy: an installed or trained pipeline (its ``doc.ents`` and
its span groups ``doc.spans[key]``, with the span categoriser's scores) and a patterns file
run through ``SpanRuler``. Labels go through a ``LabelMapping`` to the project schema.

No pipeline is named here: a pipeline is loaded by the package name or folder the user
gives, and a missing one says how to install or train one. spaCy is imported lazily.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from annotator.core.model import Annotations, Document
from annotator.core.suggestions import Batch, SpanSuggestion
from annotator.errors import AnnotatorError, ValidationError
from annotator.nlp.label_maps import LabelMapping

BATCH_SIZE = 64
BEAM_WIDTH = 8


class SuggestError(AnnotatorError):
    """A source cannot run (a missing pipeline, a bad patterns file)."""


def load_pipeline(model: str | Path) -> Any:
    """``spacy.load`` of a package name or a folder, with a one-line message when missing."""
    import spacy

    try:
        return spacy.load(model)
    except OSError:
        raise SuggestError(
            f"no spaCy pipeline {str(model)!r}: install one as a package (pip install "
            "PACKAGE, then --model PACKAGE), or train one from this project's gold with "
            "`annotator train PROJECT --out FOLDER` and pass --model FOLDER/model/model-best"
        ) from None


class PipelineSource:
    """Entities and span groups of a spaCy pipeline, mapped to the schema."""

    origin = "model"

    def __init__(self, model: str | Path | Any, mapping: LabelMapping, *,
                 name: str | None = None, spans_keys: Sequence[str] | None = None,
                 ner_scores: bool = False, min_score: float = 0.0) -> None:
        loaded = hasattr(model, "pipe")  # a pipeline object (tests, the GUI's trained one)
        self.nlp: Any = model if loaded else load_pipeline(model)
        self.mapping = mapping
        meta: dict[str, Any] = getattr(self.nlp, "meta", {})
        self.name = name or (f"{meta.get('lang', '')}_{meta.get('name', '')}" if loaded
                             else str(model))
        self.spans_keys = spans_keys
        # an entity's probability from a beam search over the NER's transitions (a greedy
        # NER gives none; the document order by uncertainty needs one): about doubles the
        # NER's cost, so only the window's Suggest asks for it
        self.ner_scores = ner_scores and "ner" in getattr(self.nlp, "pipe_names", ())
        self.min_score = min_score  # suggestions scored below are not proposed

    def batches(self, items: Sequence[tuple[Document, Annotations]]) -> Iterator[Batch]:
        for doc in self.nlp.pipe((d.text for d, _ in items), batch_size=BATCH_SIZE):
            yield self._batch(doc, self._entity_scores(doc) if self.ner_scores else {})

    def _entity_scores(self, doc: Any) -> dict[tuple[int, int, str], float]:
        """(start token, end token, label) -> probability summed over the beam's parses."""
        ner = self.nlp.get_pipe("ner")
        free = doc.copy()
        free.set_ents([], default="missing")  # the greedy entities would constrain the beam
        beams = ner.beam_parse([free], beam_width=BEAM_WIDTH)
        return dict(ner.scored_ents(beams)[0])

    def _batch(self, doc: Any, ent_scores: dict[tuple[int, int, str], float]) -> Batch:
        batch = Batch()
        seen: set[tuple[int, int, str]] = set()
        for ent in doc.ents:
            score = ent_scores.get((ent.start, ent.end, ent.label_))
            self._add(batch, seen, ent.start_char, ent.end_char, ent.label_,
                      None if not ent_scores else min(1.0, score or 0.0))
        keys = self.spans_keys if self.spans_keys is not None else list(doc.spans)
        for key in keys:
            group = doc.spans.get(key) if hasattr(doc.spans, "get") else None
            if group is None:
                continue
            scores = group.attrs.get("scores") if hasattr(group, "attrs") else None
            for i, span in enumerate(group):
                score = float(scores[i]) if scores is not None and i < len(scores) else None
                self._add(batch, seen, span.start_char, span.end_char, span.label_, score)
        return batch

    def _add(self, batch: Batch, seen: set[tuple[int, int, str]], start: int, end: int,
             label: str, score: float | None) -> None:
        if score is not None and score < self.min_score:
            return
        target = self.mapping.apply(label)
        if target is not None and (start, end, target) not in seen and start < end:
            seen.add((start, end, target))
            batch.spans.append(SpanSuggestion(start, end, target, score))


def read_patterns(path: Path) -> list[dict[str, Any]]:
    """A spaCy/Prodigy patterns JSONL file: ``{"label": ..., "pattern": "phrase" | [token
    patterns]}`` per line; a bad line is reported by file and line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SuggestError(f"{path}: cannot read the patterns file ({exc.strerror})") from None
    patterns = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SuggestError(f"{path}:{n}: not valid JSON: {exc.msg}") from None
        if not (isinstance(obj, dict) and isinstance(obj.get("label"), str)
                and isinstance(obj.get("pattern"), (str, list))):
            raise SuggestError(f"{path}:{n}: a pattern needs a \"label\" (text) and a "
                               "\"pattern\" (a phrase or a list of token patterns)")
        patterns.append({"label": obj["label"], "pattern": obj["pattern"],
                         **({"id": obj["id"]} if isinstance(obj.get("id"), str) else {})})
    return patterns


class PatternSource(PipelineSource):
    """A patterns file run through spaCy's ``SpanRuler`` on a blank pipeline of the project's
    language (overlapping matches kept, as span groups allow)."""

    origin = "pattern"
    KEY = "annotator_patterns"

    def __init__(self, path: Path, mapping: LabelMapping, lang: str = "en") -> None:
        import spacy

        nlp = spacy.blank(lang)
        ruler = nlp.add_pipe("span_ruler", config={"spans_key": self.KEY})
        try:
            ruler.add_patterns(read_patterns(path))  # type: ignore[attr-defined]  # SpanRuler
        except ValueError as exc:
            raise ValidationError(f"{path}: a pattern spaCy cannot use: {exc}") from None
        super().__init__(nlp, mapping, name=Path(path).name, spans_keys=[self.KEY])
