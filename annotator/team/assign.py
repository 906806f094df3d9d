"""``annotator assign``: one work package (a project file) per annotator.

Each package holds the schema, the documents given to that annotator with their tokens and
ids, that annotator's own set if they already started one, optionally the suggestions, and the
id of the project it came from, so that ``merge`` takes it back only into that project.
Annotators work blind: no package holds another annotator's annotations. Documents are
distributed deterministically (by content hash and seed): a shared part goes to ``overlap``
annotators each (for agreement), the rest to one annotator each, evenly.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.inputs import DocumentInput
from annotator.core.model import Span, new_id
from annotator.core.project import Project
from annotator.errors import ValidationError

PACKAGE_OF, PACKAGE_ANNOTATOR, PACKAGE_DOCUMENTS = ("package_of", "package_annotator",
                                                    "package_documents")


@dataclass
class AssignReport:
    """Which documents each annotator's package holds, and where it was written."""

    files: dict[str, str] = field(default_factory=dict)  # annotator -> package path
    documents: dict[str, list[str]] = field(default_factory=dict)  # annotator -> names
    shared: list[str] = field(default_factory=list)  # names given to several annotators

    def summary(self) -> str:
        lines = [f"{who}: {len(names)} document(s) -> {self.files[who]}"
                 for who, names in self.documents.items()]
        lines.append(f"shared by several annotators (for agreement): {len(self.shared)}")
        return "\n".join(lines)


def distribute(doc_hashes: dict[str, str], annotators: list[str], *, overlap: int,
               shared: float | list[str], seed: int) -> tuple[dict[str, list[str]], list[str]]:
    """(annotator -> document ids, shared ids): ``shared`` is a fraction of the documents or
    the ids to share; each shared document goes to ``overlap`` annotators, every other to one,
    in turn, in an order fixed by content hash and ``seed``."""
    order = sorted(doc_hashes, key=lambda d: hashlib.sha1(
        f"{seed}:{doc_hashes[d]}".encode()).hexdigest())
    if isinstance(shared, list):
        common = [d for d in order if d in set(shared)]
    else:
        common = order[:round(len(order) * shared)]
    k = max(1, min(overlap, len(annotators)))
    given: dict[str, list[str]] = {a: [] for a in annotators}
    turn = 0
    for doc_id in order:
        takers = k if doc_id in set(common) else 1
        for j in range(takers):
            given[annotators[(turn + j) % len(annotators)]].append(doc_id)
        turn += takers
    return given, common


def assign(project: Project, annotators: list[str], out_dir: str | Path, *, overlap: int = 2,
           shared: float | list[str] = 0.2, documents: list[str] | None = None,
           include_suggestions: bool = False, seed: int = 0) -> AssignReport:
    """Write ``out_dir/<annotator>.annproj`` for each annotator (see the module docstring)."""
    from annotator import create_project

    _check_annotators(annotators)
    ids = _selected(project, documents)
    hashes = {d: project.document(d).content_hash for d in ids}
    shared_ids = [project.document_by_name(n).id for n in shared] if isinstance(shared, list) \
        else shared
    given, common = distribute(hashes, annotators, overlap=overlap, shared=shared_ids, seed=seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    identity = project.identity()
    report = AssignReport(shared=[project.document(d).name for d in common])
    for who in annotators:
        path = out / f"{who}.annproj"
        with create_project(path, schema=project.schema, lang=project.lang,
                            annotator=who) as package:
            package.add_documents(_inputs(project, given[who], who, include_suggestions))
            package.set_meta_value(PACKAGE_OF, identity)
            package.set_meta_value(PACKAGE_ANNOTATOR, who)
            package.set_meta_value(PACKAGE_DOCUMENTS, json.dumps(given[who]))
        report.files[who] = str(path)
        report.documents[who] = [project.document(d).name for d in given[who]]
    return report


def _check_annotators(annotators: list[str]) -> None:
    if not annotators:
        raise ValidationError("--annotators: name at least one annotator")
    if len(set(annotators)) != len(annotators):
        raise ValidationError("--annotators: a name is given twice")
    for who in annotators:
        if not who or "/" in who or who.startswith(".") or who == "gold":
            raise ValidationError(f"--annotators: {who!r} cannot name a work package (no "
                                  "'/', no leading '.', and gold is built by adjudication)")


def _selected(project: Project, names: list[str] | None) -> list[str]:
    if not names:
        return project.document_ids()
    return [project.document_by_name(n).id for n in names]


def _inputs(project: Project, doc_ids: list[str], who: str, include_suggestions: bool):
    """The documents of one package, with only ``who``'s own set (and the suggestions)."""
    for doc_id in doc_ids:
        doc = project.document(doc_id)
        own = project.annotations(doc_id, who)
        if include_suggestions:
            own.spans.extend(_suggestions(project, doc_id, who))
        status = project.status(doc_id, who)
        yield DocumentInput(
            text=doc.text, name=doc.name, meta=doc.meta, lang=doc.lang, id=doc.id,
            tokens=doc.tokens, sentences=doc.sentences, tokenizer=doc.tokenizer,
            status={who: status} if status != "new" else {},
            sets={who: own} if (own.spans or own.events or own.relations) else {})


def _suggestions(project: Project, doc_id: str, who: str) -> list[Span]:
    """Suggested spans of every other set, as new suggested spans of ``who``'s set."""
    out: list[Span] = []
    seen: set[tuple[int, int, str]] = set()
    for other in project.annotators():
        if other == who:
            continue
        for s in project.spans(doc_id, other):
            key = (s.start, s.end, s.label)
            if s.status == "suggested" and key not in seen:
                seen.add(key)
                out.append(Span(id=new_id(), doc_id=doc_id, start=s.start, end=s.end,
                                label=s.label, kind=s.kind, attrs=dict(s.attrs),
                                status="suggested", origin=s.origin))
    return out
