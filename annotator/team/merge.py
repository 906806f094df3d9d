"""``annotator merge``: take annotators' work back into the project, all or nothing.

A work package (made by ``assign``) brings back its annotator's set for the documents of the
package; per document that set replaces what the project held for that annotator, so merging
the same file twice changes nothing and a newer copy applies additions, changes and deletions.
A plain project file of the same articles (no package) is matched by document content. Refused,
with nothing changed: a package of another project, a different schema (named), a set that is
not the package's annotator's, gold from an annotator file, a file open for writing elsewhere.
The project is backed up beside itself before anything is written.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Generator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.merge import SetDiff, SetRows
from annotator.core.project import Project
from annotator.core.schema import Schema
from annotator.core.team_api import PackageSource, Source
from annotator.errors import ProjectError, ProjectInUseError, ValidationError
from annotator.store.lock import WriterLock
from annotator.team.assign import PACKAGE_ANNOTATOR, PACKAGE_DOCUMENTS, PACKAGE_OF

Item = tuple[str, str, SetRows, str | None]  # doc id, annotator, the set's rows, status


@dataclass
class MergeReport:
    """What a merge did, per file and annotator."""

    backup: str = ""
    diffs: list[SetDiff] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # documents not in the project

    def summary(self) -> str:
        per: dict[str, list[int]] = {}
        for d in self.diffs:
            counts = per.setdefault(d.annotator, [0, 0, 0, 0])
            counts[0] += 1
            counts[1] += d.added
            counts[2] += d.changed
            counts[3] += d.removed
        lines = [f"{who}: {docs} document(s); {a} added, {c} changed, {r} removed"
                 for who, (docs, a, c, r) in sorted(per.items())]
        if not any(not d.unchanged for d in self.diffs):
            lines.append("nothing changed (already merged)")
        lines += [f"  not in the project (skipped): {name}" for name in self.unmatched]
        if self.backup:
            lines.append(f"backup of the project before the merge: {self.backup}")
        return "\n".join(lines)


def merge(project: Project, files: list[str | Path]) -> MergeReport:
    """Merge every file into ``project`` (see the module docstring).

    Every file is opened read-only and checked first, its writer lock held to the end (a
    package is closed again: SQLite stages its rows, in one snapshot of it, before the
    transaction begins); then one transaction: a package's rows are checked, compared,
    reported and copied inside SQLite (``Project.merge_sources``), a plain file's sets are
    read document by document, so memory stays flat in the number of documents; a refusal
    found on the way rolls everything back. The backup is taken first and removed again when nothing changed (a
    repeated merge leaves no trace)."""
    report = MergeReport(files=[str(f) for f in files])
    report.backup = backup(project)
    try:
        with ExitStack() as opened:
            sources = _sources(project, files, report, opened)
            report.diffs = project.merge_sources(sources)
    except BaseException:
        Path(report.backup).unlink(missing_ok=True)
        raise
    if all(d.unchanged for d in report.diffs):
        Path(report.backup).unlink(missing_ok=True)
        report.backup = ""
    return report


def _sources(project: Project, files: list[str | Path], report: MergeReport,
             opened: ExitStack) -> list[Source]:
    """Each file opened and checked: a package as a ``PackageSource`` (closed again), a
    plain file as its (document, set) items, read when merged (kept open in ``opened``)."""
    by_hash: dict[str, str] | None = None
    sources: list[Source] = []
    packages: dict[Path, PackageSource] = {}  # a file named twice is opened once
    plain: dict[Path, Project] = {}
    for file in files:
        where = Path(file).resolve()
        if where in packages:
            sources.append(packages[where])
            continue
        other = plain.get(where)
        if other is None:
            other = _open(file, opened)
            schema_difference(project.schema, other.schema, file)
            if other.meta_value(PACKAGE_OF) is not None:
                # checked, then closed: its rows are copied later by SQLite, and twenty open
                # packages held ~500 MB of page cache
                packages[where] = _package_source(project, other, file)
                other.close()
                sources.append(packages[where])
                continue
            plain[where] = other
        by_hash = by_hash if by_hash is not None else _hash_index(project)
        items = _content_items(other, file, by_hash, report.unmatched)
        opened.callback(items.close)  # its snapshot ends before the file is closed
        sources.append(items)
    return sources


def _open(file: str | Path, opened: ExitStack) -> Project:
    """``file`` read-only, its writer lock held until ``opened`` ends (nobody writes it during
    the merge), so no integrity scan of the whole file at opening; a file of an older format
    is opened for writing, which migrates it (as a merge always did)."""
    from annotator import open_project

    path = Path(file)
    lock = WriterLock(path)
    if path.is_file():
        if not lock.acquire():
            raise ValidationError(f"{file}: still open for writing elsewhere (it is open for "
                                  f"writing in another process, {lock.holder()}); close it "
                                  "there first")
        opened.callback(lock.release)
    try:
        other = open_project(file, annotator="merge", readonly=True)
    except ProjectError as exc:
        if "format upgrade" not in str(exc):
            raise
        lock.release()
        try:
            other = open_project(file, annotator="merge")
        except ProjectInUseError as in_use:
            raise ValidationError(f"{file}: still open for writing elsewhere ({in_use}); "
                                  "close it there first") from None
    opened.enter_context(other)
    return other


def _package_source(project: Project, package: Project, file: str | Path) -> PackageSource:
    if package.meta_value(PACKAGE_OF) != project.identity():
        raise ValidationError(f"{file}: is a work package of another project; merge it into "
                              "the project it was assigned from")
    who = package.meta_value(PACKAGE_ANNOTATOR) or ""
    foreign = sorted(set(package.annotators()) - {who})
    if foreign:
        raise ValidationError(f"{file}: holds the set {foreign[0]!r}, but this package belongs "
                              f"to {who!r}; merging it would overwrite another annotator's work")
    doc_ids = json.loads(package.meta_value(PACKAGE_DOCUMENTS) or "[]")
    known = set(project.document_ids())
    missing = [d for d in doc_ids if d not in known]
    if missing:
        raise ValidationError(f"{file}: document {missing[0]} of the package is no longer in "
                              "the project")
    return PackageSource(package.path, who, doc_ids)


def _content_items(other: Project, file: str | Path, by_hash: dict[str, str],
                   unmatched: list[str]) -> Generator[Item, None, None]:
    with other.snapshot():  # one read transaction for the file, not one per query
        yield from _content_rows(other, file, by_hash, unmatched)


def _content_rows(other: Project, file: str | Path, by_hash: dict[str, str],
                  unmatched: list[str]) -> Iterator[Item]:
    sets = other.annotators()
    if "gold" in sets:
        raise ValidationError(f"{file}: holds a gold set; gold is built in the project by "
                              "adjudication, not merged from an annotator's file")
    for doc_id in other.document_ids():
        doc = other.document(doc_id)
        target = by_hash.get(doc.content_hash)
        if target is None:
            unmatched.append(f"{file}: {doc.name}")
            continue
        for who in sets:
            status = other.status(doc_id, who)
            rows = other.annotation_rows(doc_id, who)
            for table_rows in rows.values():  # the project's copy of the article has its own id
                for row in table_rows:
                    if "doc_id" in row:
                        row["doc_id"] = target
            if any(rows.values()) or status != "new":
                yield target, who, rows, status if status != "new" else None


def _hash_index(project: Project) -> dict[str, str]:
    return {project.document(d).content_hash: d for d in project.document_ids()}


def schema_difference(ours: Schema, theirs: Schema, file: str | Path) -> None:
    """Refuse a file whose schema differs, naming the first difference."""
    for what, mine, other in _schema_parts(ours, theirs):
        if mine != other:
            only_ours = sorted(set(mine) - set(other))
            only_theirs = sorted(set(other) - set(mine))
            detail = (f"only in the project: {', '.join(only_ours)}" if only_ours else "") + \
                     ("; " if only_ours and only_theirs else "") + \
                     (f"only in the file: {', '.join(only_theirs)}" if only_theirs else "")
            raise ValidationError(f"{file}: its schema differs from the project's in the "
                                  f"{what} ({detail or 'their definitions differ'})")


def _schema_parts(a: Schema, b: Schema) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    def named(items: list[Any]) -> dict[str, Any]:
        out: dict[str, list[str]] = {}
        for x in items:  # relation types may repeat a name with other argument types
            out.setdefault(x.name, []).append(repr(x))
        return out

    yield "entity types", named(a.entity_types), named(b.entity_types)
    yield "value types", named(a.value_types), named(b.value_types)
    yield "event types", named(a.event_types), named(b.event_types)
    yield "relation types", named(a.relation_types), named(b.relation_types)
    yield "attributes", named(a.attributes), named(b.attributes)


def backup(project: Project) -> str:
    """A consistent copy of the project file beside it (SQLite's backup API)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = project.path.with_name(f"{project.path.stem}.before-merge-{stamp}.annproj")
    n = 1
    while target.exists():  # two merges within a second keep both backups
        n += 1
        target = project.path.with_name(f"{project.path.stem}.before-merge-{stamp}-{n}.annproj")
    source = sqlite3.connect(project.path)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    return str(target)
