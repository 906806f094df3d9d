"""The suggestion commands of the command line: ``suggest``, ``accept``, ``reject`` and
``evaluate`` (registered on ``annotator.cli.app``; each a few lines over ``annotator.nlp``
and the Project API)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli import COMMANDS, Opt, ProjectArg, _progress, _user, app

COMMANDS.update({"suggest", "accept", "reject", "evaluate"})

DocumentsOpt = Annotated[str, Opt(help="'all', 'done', 'new', 'in_progress' or a "
                                       "comma-separated list of document names")]
SetOpt = Annotated[str | None, Opt("--annotator", help="annotation set (default: yours, "
                                                       "$ANNOTATOR_USER)")]
MapOpt = Annotated[list[str] | None, Opt("--map", help="SOURCE=TARGET label mapping, "
                                                       "repeatable (TARGET empty: drop)")]
MapFileOpt = Annotated[list[Path] | None, Opt("--map-file", help="mapping file (A=B lines, "
                                                                 ".json or .toml)")]


def _progress_bool(done: int, total: int | None, message: str) -> bool:
    _progress(done, total, message)
    return True


@app.command()
def suggest(project: ProjectArg,
            model: Annotated[str | None, Opt(help="spaCy pipeline: package name or folder "
                                                  "(for example one `annotator train` made)")]
            = None,
            patterns: Annotated[Path | None, Opt(help="patterns JSONL (spaCy/Prodigy)")] = None,
            from_gold: Annotated[bool, Opt("--from-gold", help="the project's gold as a "
                                                               "dictionary")] = False,
            maps: MapOpt = None, map_files: MapFileOpt = None,
            documents: DocumentsOpt = "all", annotator_set: SetOpt = None,
            arguments: Annotated[bool, Opt("--arguments/--no-arguments",
                                           help="also suggest event arguments")] = True) -> None:
    """Pre-annotate: suggestions from a pipeline, patterns and/or the gold, per document
    (Ctrl+C keeps every finished document; earlier open suggestions of a source are
    replaced, gold and rejected ones stay)."""
    import annotator
    from annotator.nlp.suggest import SuggestReport
    from annotator.nlp.suggest import suggest as run

    rep = SuggestReport()
    with annotator.open_project(project, annotator=_user()) as p:
        if annotator_set:
            p.annotation_set = annotator_set
        try:
            run(p, model=model, patterns=patterns, from_gold=from_gold, maps=maps or [],
                map_files=map_files or [], documents=documents, arguments=arguments,
                progress=_progress_bool, report=rep)
        except KeyboardInterrupt:
            rep.cancelled = True
            typer.echo(rep.summary())
            raise
    typer.echo(rep.summary())


def _bulk(project: Path, documents: str, source: str | None, min_score: float | None,
          annotator_set: str | None, *, accept: bool) -> None:
    import annotator
    from annotator.nlp.suggest import select_documents

    with annotator.open_project(project, annotator=_user()) as p:
        if annotator_set:
            p.annotation_set = annotator_set
        ids = select_documents(p, documents)
        change = p.accept_where if accept else p.reject_where
        changes = change(ids, source=source, min_score=min_score)
    n = len(changes.spans | changes.events | changes.relations)
    typer.echo(f"{'accepted' if accept else 'rejected'}: {n} annotation(s) changed in "
               f"{len(changes.doc_ids)} document(s)")


SourceOpt = Annotated[str | None, Opt(help="only suggestions of this source (as `annotator "
                                           "stats --json` lists them)")]
ScoreOpt = Annotated[float | None, Opt(help="only suggestions scored at least this")]


@app.command()
def accept(project: ProjectArg, documents: DocumentsOpt = "all", source: SourceOpt = None,
           min_score: ScoreOpt = None, annotator_set: SetOpt = None) -> None:
    """Accept the open suggestions matching the filters (they become gold; one undo step)."""
    _bulk(project, documents, source, min_score, annotator_set, accept=True)


@app.command()
def reject(project: ProjectArg, documents: DocumentsOpt = "all", source: SourceOpt = None,
           min_score: ScoreOpt = None, annotator_set: SetOpt = None) -> None:
    """Reject the open suggestions matching the filters (never proposed again by that
    source in that document)."""
    _bulk(project, documents, source, min_score, annotator_set, accept=False)


@app.command()
def evaluate(project: ProjectArg,
             model: Annotated[str, Opt(help="spaCy pipeline: package name or folder")],
             documents: DocumentsOpt = "done", maps: MapOpt = None,
             map_files: MapFileOpt = None, annotator_set: SetOpt = None,
             json_out: Annotated[Path | None, Opt("--json", help="also write the scores as "
                                                                 "JSON here")] = None) -> None:
    """Precision, recall and F1 per label and overall of a pipeline against the gold."""
    import annotator
    from annotator.nlp.evaluate import evaluate as run
    from annotator.nlp.suggest import select_documents

    with annotator.open_project(project, annotator=_user(), readonly=True) as p, p.snapshot():
        if annotator_set:
            p.annotation_set = annotator_set
        ids = select_documents(p, documents)
        result = run(p, model, ids, maps=maps or [], map_files=map_files or [],
                     annotator=p.annotation_set)
    typer.echo(result.table())
    if json_out is not None:
        json_out.write_text(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
        typer.echo(f"scores: {json_out}")
