"""What ``annotator check``, the problems panel and ``annotator stats`` report about a project
(a mixin of ``Project``): integrity and schema problems, one document's problems, and counts.

Suggestions never count as gold here: ``check`` and ``problems`` validate the gold annotations
only, and ``stats`` lists suggestions apart (``SuggestionAPI.suggestion_counts``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from annotator.core.document_checks import offset_problems
from annotator.core.offsets import TokenIndex
from annotator.core.project_host import ProjectHost
from annotator.core.suggestions import gold_only
from annotator.core.validate import Problem, validate_annotations


class ReportsAPI(ProjectHost):
    """``check``, ``problems`` and ``stats`` of ``Project`` (see the module docstring)."""

    if TYPE_CHECKING:
        def annotators(self) -> list[str]: ...

        def document_count(self) -> int: ...

        def token_index(self, doc_id: str) -> TokenIndex: ...

        def suggestion_counts(self) -> dict[str, dict[str, dict[str, int]]]: ...

        def _gold_counts(self) -> list[list[tuple[str, str, int]]]: ...

    def check(self, doc_ids: Iterable[str] | None = None, annotator: str | None = None
              ) -> list[Problem]:
        """Integrity and schema problems (every annotation set unless ``annotator`` given)."""
        problems = [Problem("error", "integrity", p) for p in self._store.integrity_problems()]
        schema = self.schema
        for doc_id in doc_ids if doc_ids is not None else self.document_ids():
            doc = self.document(doc_id)
            problems.extend(Problem("error", "tokens", f"{doc.name}: {message}", doc_id)
                            for what, pairs in (("tokens", doc.tokens),
                                                ("sentences", doc.sentences))
                            for message in offset_problems(what, pairs, len(doc.text)))
            index = TokenIndex(doc.tokens, doc.text)
            sets = [annotator] if annotator else (self.annotators() or [self.annotation_set])
            for who in sets:
                ann = gold_only(self.annotations(doc_id, who))
                for p in validate_annotations(schema, doc_id, doc.text, index, ann):
                    problems.append(replace(p, message=f"{doc.name} ({who}): {p.message}"))
        return problems

    def problems(self, doc_id: str) -> list[Problem]:
        """Problems of the current annotator's set in one document (the problems panel)."""
        doc = self.document(doc_id)
        return validate_annotations(self.schema, doc_id, doc.text, self.token_index(doc_id),
                                    gold_only(self.annotations(doc_id)))

    def stats(self) -> dict[str, Any]:
        """Documents, gold spans/events/relations/chains per annotator and label, statuses, and
        the suggestions apart."""
        spans, events, relations = map(_nest, self._gold_counts())
        statuses = _nest(self._store.status_counts())
        total = self.document_count()
        for who in statuses:
            statuses[who]["new"] = total - sum(v for k, v in statuses[who].items() if k != "new")
        return {"documents": total, "annotators": self.annotators(), "spans": spans,
                "events": events, "relations": relations,
                "chains": _nest(self._store.chain_counts()), "status": statuses,
                "suggestions": self.suggestion_counts()}


def _nest(rows: list[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    """(annotator, key, count) rows as {annotator: {key: count}}."""
    out: dict[str, dict[str, int]] = {}
    for who, key, n in rows:
        out.setdefault(who, {})[key] = n
    return out
