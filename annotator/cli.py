"""The ``annotator`` command line: thin commands over the library (each a few lines)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotator.errors import AnnotatorError, ValidationError

if TYPE_CHECKING:
    from annotator.core.schema import Schema

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Annotate news articles with entities, events and relations; export gold "
                       "datasets. `annotator PROJECT` opens the GUI.")

Arg = typer.Argument
INTERRUPTED = 130  # the exit code of an interrupted command (Ctrl+C, SIGTERM)
Opt = typer.Option


def _project_file(path: Path) -> Path:
    """A project argument that names a folder gets a clear message, not SQLite's."""
    if path.is_dir():
        raise AnnotatorError(f"{path}: is a folder, not a project file (.annproj)")
    return path


ProjectArg = Annotated[Path, Arg(help="project file (.annproj)", callback=_project_file)]


def _user() -> str:
    return os.environ.get("ANNOTATOR_USER") or os.environ.get("USER") or "annotator"


def _progress(done: int, total: int | None, message: str) -> None:
    if sys.stderr.isatty() or os.environ.get("ANNOTATOR_PROGRESS"):
        end = "\n" if total is not None and done >= total else "\r"
        typer.echo(f"  {message}" + (f" ({100 * done // total}%)" if total else ""), err=True,
                   nl=False)
        typer.echo("", err=True, nl=end == "\n")


@app.command()
def new(project: ProjectArg,
        schema: Annotated[str, Opt(help="built-in schema name, a .toml file or a brat "
                                        "annotation.conf")] = "ace2005-news",
        lang: Annotated[str, Opt(help="language of the articles (spaCy code)")] = "en") -> None:
    """Create a new, empty project (refuses to overwrite an existing file)."""
    import annotator
    from annotator.formats.schema_sources import load_schema_source

    loaded = load_schema_source(schema)
    with annotator.create_project(project, schema=loaded, lang=lang, annotator=_user()) as p:
        typer.echo(f"created {project} with schema {p.schema.name} ({lang})")


@app.command("import")
def import_(project: ProjectArg,
            paths: Annotated[list[Path], Arg(help="files or folders to import")],
            format: Annotated[str | None, Opt("--format", "-f",
                                              help="input format (default: detect)")] = None,
            skip_bad: Annotated[bool, Opt("--skip-bad", help="skip bad files and report them "
                                                            "instead of importing nothing")] = False,
            annotator_name: Annotated[str | None, Opt("--annotator", help="annotation set for "
                                                      "imported annotations (formats from other "
                                                      "tools)")] = None,
            follow_links: Annotated[bool, Opt("--follow-links", help="follow symbolic links "
                                                                    "found in folders")] = False,
            option: Annotated[list[str] | None, Opt("--option", "-O", help="reader option "
                                                    "KEY=VALUE (e.g. offsets=utf16, "
                                                    "discontinuous=hull; docs/formats.md)")] = None
            ) -> None:
    """Import articles (plain text, native JSONL, brat, CoNLL, Prodigy, doccano, Label Studio)."""
    import annotator
    from annotator.formats.importing import ImportOptions, import_paths
    from annotator.formats.registry import parse_options

    reader_options: dict[str, object] = dict(parse_options(option or []))
    if annotator_name:
        reader_options["annotator"] = annotator_name
    opts = ImportOptions(format=format, skip_bad=skip_bad, follow_links=follow_links,
                         reader_options=reader_options)
    with annotator.open_project(project, annotator=_user()) as p:
        result = import_paths(p, [str(x) for x in paths], opts, progress=_progress)
    typer.echo(result.summary())
    for line in result.detail_lines():
        typer.echo(line)


@app.command()
def export(project: ProjectArg,
           format: Annotated[str, Opt("--format", "-f", help="jsonl, spacy, conll, brat, "
                                                            "dygiepp, textee")],
           out: Annotated[Path, Opt("--out", "-o", help="output file or folder")],
           documents: Annotated[str | None, Opt(help="'done' (default for training formats), "
                                                     "'all' (default for jsonl), or a "
                                                     "comma-separated list of names")] = None,
           annotator_set: Annotated[str | None, Opt("--annotator", help="annotation set to "
                                                    "export (default: gold if it exists)")] = None,
           include_suggested: Annotated[bool, Opt(help="also export suggested spans")] = False,
           split: Annotated[str | None, Opt(help="train,dev,test ratios, e.g. 0.8,0.1,0.1")] = None,
           seed: Annotated[int, Opt(help="seed of the deterministic split")] = 0,
           label_map: Annotated[Path | None, Opt(help="label map file (OLD=NEW lines, TOML or "
                                                      "JSON)")] = None,
           map_: Annotated[list[str] | None, Opt("--map", help="OLD=NEW (or OLD= to drop); "
                                                 "repeatable; globs allowed")] = None,
           coarse: Annotated[bool, Opt(help="merge subtypes into types (Conflict.Attack -> "
                                            "Conflict)")] = False,
           separator: Annotated[str | None, Opt(help="replace '.' in type names, e.g. ':'")] = None,
           option: Annotated[list[str] | None, Opt("--option", "-O", help="format option "
                                                   "KEY=VALUE (e.g. scheme=BILOU, "
                                                   "pipeline=ner,spancat)")] = None,
           force: Annotated[bool, Opt("--force", help="replace an existing output file or "
                                                     "non-empty folder")] = False) -> None:
    """Export a gold dataset and write a report of what the format could not carry.

    The output appears only when complete (written under a temporary name beside it)."""
    import annotator
    from annotator.formats.export import ExportOptions, LabelMap, parse_split, run_export

    if label_map is not None:
        lm = LabelMap.from_file(label_map)
        lm.rules.update(LabelMap.parse_options(map_ or []).rules)
        lm.coarse, lm.separator = lm.coarse or coarse, separator or lm.separator
    else:
        lm = LabelMap.parse_options(map_ or [], coarse=coarse, separator=separator)
    docs = documents or ("all" if format == "jsonl" else "done")
    from annotator.formats.writer_options import WriterOptionError, options_from_cli

    try:  # a usage error: exit 2, nothing written
        extra = options_from_cli(format, option or [])
    except WriterOptionError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    opts = ExportOptions(
        documents=docs if docs in ("all", "done") else [d.strip() for d in docs.split(",")],
        annotator=annotator_set, include_suggested=include_suggested,
        split=parse_split(split) if split else None, seed=seed, label_map=lm, extra=extra)
    with annotator.open_project(project, readonly=True) as p:
        rep = run_export(p, format, out, opts, progress=_progress, force=force)
    typer.echo(rep.summary())
    typer.echo(f"report: {rep.files[-1]}")


@app.command()
def train(project: ProjectArg,
          out: Annotated[Path, Opt("--out", "-o", help="folder for the data and the model")],
          pipeline: Annotated[str, Opt(help="ner, spancat or ner,spancat")] = "ner",
          documents: Annotated[str, Opt(help="'done', 'all' or a comma-separated list")] = "done",
          annotator_set: Annotated[str | None, Opt("--annotator", help="annotation set (default: "
                                                   "gold if it exists)")] = None,
          split: Annotated[str, Opt(help="train,dev,test ratios")] = "0.8,0.1,0.1",
          seed: Annotated[int, Opt(help="seed of the deterministic split")] = 0,
          max_steps: Annotated[int | None, Opt(help="training steps (default: spaCy's, with "
                                                    "early stopping)")] = None,
          force: Annotated[bool, Opt("--force", help="replace the data of an earlier run in "
                                                    "OUT/data")] = False) -> None:
    """Export a spaCy DocBin dataset and train a pipeline on it (spacy train) in one go."""
    import annotator
    from annotator.formats.export import ExportOptions, parse_split, run_export
    from annotator.nlp.training import train_pipeline

    opts = ExportOptions(
        documents=documents if documents in ("all", "done") else documents.split(","),
        annotator=annotator_set, split=parse_split(split), seed=seed,
        extra={"pipeline": pipeline, **({"max_steps": max_steps} if max_steps else {})})
    data = out / "data"
    out.mkdir(parents=True, exist_ok=True)
    with annotator.open_project(project, readonly=True) as p:
        rep = run_export(p, "spacy", data, opts, progress=_progress, force=force)
    typer.echo(rep.summary())
    model = train_pipeline(data / "config.cfg", out / "model")
    typer.echo(f"trained pipeline: {model} (load it with spacy.load({str(model)!r}))")


@app.command()
def stats(project: ProjectArg,
          as_json: Annotated[bool, Opt("--json", help="print JSON")] = False) -> None:
    """Documents, spans per label, events, relations and chains per type, per annotator/status."""
    import annotator

    with annotator.open_project(project, readonly=True) as p, p.snapshot():
        data = p.stats()
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    typer.echo(f"documents: {data['documents']}")
    for who in data["annotators"]:
        typer.echo(f"annotator {who}:")
        status = data["status"].get(who, {"new": data["documents"]})
        typer.echo("  status: " + ", ".join(f"{k} {v}" for k, v in sorted(status.items())))
        for key in ("spans", "events", "relations", "chains"):
            counts = data[key].get(who, {})
            typer.echo(f"  {key}: {sum(counts.values())}")
            for label, n in sorted(counts.items()):
                typer.echo(f"    {label:<40} {n}")


@app.command()
def agree(project: ProjectArg,
          annotators: Annotated[str, Opt(help="comma-separated annotation sets "
                                              "(default: all but gold)")] = "",
          documents: Annotated[str, Opt(help="comma-separated document names "
                                             "(default: all)")] = "",
          labels: Annotated[str, Opt(help="comma-separated labels/types to compare")] = "",
          json_out: Annotated[Path | None, Opt("--json", help="also write the report as JSON")]
          = None) -> None:
    """Inter-annotator agreement: F1 per pair and label, kappa, alpha, confusion, documents."""
    import annotator
    from annotator.agreement_tables import print_report
    from annotator.core.agreement import agreement

    with annotator.open_project(project, readonly=True) as p:
        names = _names(annotators)
        unknown = sorted(set(names) - set(p.annotators()))
        if unknown:
            raise ValidationError(f"{project}: no annotation set named {', '.join(unknown)} "
                                  f"(sets: {', '.join(p.annotators()) or 'none'})")
        doc_ids = [p.document_by_name(n).id for n in _names(documents)] or None
        report = agreement(p, names or None, doc_ids, _names(labels) or None)
    print_report(report)
    if json_out is not None:
        json_out.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")


@app.command()
def assign(project: ProjectArg,
           annotators: Annotated[str, Opt(help="comma-separated annotator names, one work "
                                               "package each")],
           out: Annotated[Path, Opt("--out", "-o", help="folder for the packages "
                                                       "(NAME.annproj each)")],
           overlap: Annotated[int, Opt(help="annotators per shared document")] = 2,
           shared: Annotated[str, Opt(help="fraction of documents shared for agreement (0.2) "
                                           "or comma-separated document names")] = "0.2",
           documents: Annotated[str, Opt(help="comma-separated document names to hand out "
                                              "(default: all)")] = "",
           include_suggestions: Annotated[bool, Opt("--include-suggestions",
                                                    help="copy suggested spans into each "
                                                         "package")] = False,
           seed: Annotated[int, Opt(help="seed of the deterministic distribution")] = 0) -> None:
    """Write one project file per annotator with their documents (annotators work blind)."""
    import annotator
    from annotator.team import assign as make_packages

    try:
        share: float | list[str] = float(shared)
    except ValueError:
        share = _names(shared)
    with annotator.open_project(project, annotator=_user()) as p:
        report = make_packages(p, _names(annotators), out, overlap=overlap, shared=share,
                               documents=_names(documents) or None,
                               include_suggestions=include_suggestions, seed=seed)
    typer.echo(report.summary())


@app.command()
def merge(project: ProjectArg,
          files: Annotated[list[Path], Arg(help="annotators' project files (work packages "
                                                "or files of the same articles)")]) -> None:
    """Take annotators' sets back into the project: all or nothing, after a backup."""
    import annotator
    from annotator.team import merge as merge_files

    with annotator.open_project(project, annotator=_user()) as p:
        report = merge_files(p, [str(f) for f in files])
    typer.echo(report.summary())


@app.command()
def adjudicate(project: ProjectArg,
               into: Annotated[str, Opt(help="the set to build")] = "gold",
               min_agree: Annotated[int, Opt(help="annotators who must agree")] = 2,
               annotators: Annotated[str, Opt(help="comma-separated sets to compare "
                                                   "(default: all but --into)")] = "",
               documents: Annotated[str, Opt(help="comma-separated document names "
                                                  "(default: all)")] = "") -> None:
    """Take into gold what at least K annotators agree on; report what is left for a person.

    Gold that a person has already edited is never overwritten."""
    import annotator
    from annotator.core.adjudication import adjudicate as build_gold

    if min_agree < 1:
        raise ValidationError(f"--min-agree must be at least 1, got {min_agree}")
    with annotator.open_project(project, annotator=_user()) as p:
        doc_ids = [p.document_by_name(n).id for n in _names(documents)] or None
        report = build_gold(p, into=into, min_agree=min_agree,
                            annotators=_names(annotators) or None, doc_ids=doc_ids,
                            curator=_user())
    typer.echo(report.summary())


def _names(csv: str) -> list[str]:
    return [n.strip() for n in csv.split(",") if n.strip()]


@app.command()
def check(project: ProjectArg,
          warnings: Annotated[bool, Opt("--warnings/--no-warnings",
                                        help="also fail on warnings")] = False) -> None:
    """Check integrity and validate every annotation against the schema (exit 0 only if clean)."""
    import annotator

    with annotator.open_project(project, readonly=True) as p, p.snapshot():
        problems = p.check()
    errors = [x for x in problems if x.severity == "error"]
    for problem in problems:
        typer.echo(str(problem))
    typer.echo(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)")
    if errors or (warnings and problems):
        raise typer.Exit(1)


@app.command()
def schema(project: ProjectArg,
           export_: Annotated[Path | None, Opt("--export", help="write the schema to a .toml "
                                               "file or a brat annotation.conf")] = None,
           replace: Annotated[str | None, Opt("--replace", help="replace the schema (name, .toml "
                                              "or annotation.conf); refused if annotations use "
                                              "labels it lacks")] = None,
           rename: Annotated[list[str] | None, Opt("--rename", help="OLD=NEW: rename a label, "
                                                   "event type or relation type everywhere; "
                                                   "EVENT_TYPE/OLD=NEW renames a role")] = None,
           force: Annotated[bool, Opt(help="with --replace: accept a schema that lacks labels "
                                           "in use (check will report them)")] = False) -> None:
    """Show the project's schema, export it, or change it (validated against the annotations)."""
    import annotator

    if replace or rename:
        _change_schema(project, rename or [], replace, force)
        return
    with annotator.open_project(project, readonly=True) as p:
        sch = p.schema
    if export_ is not None:
        _export_schema(sch, export_)
        return
    _print_schema(sch)


def _change_schema(project: Path, renames: list[str], replace: str | None, force: bool) -> None:
    """``schema --rename OLD=NEW`` (``EVENT_TYPE/OLD=NEW`` for a role) and ``--replace``."""
    import annotator
    from annotator.formats.schema_sources import load_schema_source

    with annotator.open_project(project, annotator=_user()) as p:
        for item in renames:
            old, sep, new = item.partition("=")
            if not sep or not new:
                raise typer.BadParameter(f"--rename expects OLD=NEW, got {item!r}")
            if "/" in old:
                event_type, role = old.rsplit("/", 1)
                p.rename_role(event_type, role, new)
            else:
                p.rename_label(old, new)
            typer.echo(f"renamed {old} to {new}")
        if replace:
            p.set_schema(load_schema_source(replace), force=force)
            typer.echo(f"schema replaced by {p.schema.name}")


def _export_schema(sch: Schema, target: Path) -> None:
    """Write the schema as a brat annotation.conf (``.conf``) or as TOML (anything else)."""
    from annotator.core.schema import schema_to_toml

    if target.suffix == ".conf":
        from annotator.formats.brat_conf import write_annotation_conf

        target.write_text(write_annotation_conf(sch), encoding="utf-8")
    else:
        target.write_text(schema_to_toml(sch), encoding="utf-8")
    typer.echo(f"wrote {target}")


def _print_schema(sch: Schema) -> None:
    """The schema as a short listing: types with keys, relations, events with roles, attributes."""
    typer.echo(f"schema {sch.name} (version {sch.version}); overlaps "
               f"{'allowed' if sch.allow_overlap else 'forbidden'}")
    typer.echo(f"entity types ({len(sch.entity_types)}):")
    for t in sch.entity_types:
        sub = f" [{', '.join(t.subtypes)}]" if t.subtypes else ""
        key = f" key {t.hotkey}" if t.hotkey else ""
        typer.echo(f"  {t.name:<12} {t.label}{key}{sub}")
    typer.echo(f"value types ({len(sch.value_types)}): "
               + ", ".join(t.name for t in sch.value_types))
    typer.echo(f"relation types ({len(sch.relation_type_names())}):")
    for name in sch.relation_type_names():
        opts = sch.relation_types_named(name)
        pairs = "; ".join(f"{'|'.join(o.arg1) or '*'} -> {'|'.join(o.arg2) or '*'}" for o in opts)
        typer.echo(f"  {name:<45} {pairs}{' (symmetric)' if opts[0].symmetric else ''}")
    typer.echo(f"event types ({len(sch.event_types)}):")
    for et in sch.event_types:
        roles = ", ".join(f"{r.name}{'' if r.cardinality == '1' else r.cardinality}"
                          for r in et.roles if not r.name.startswith("Time-"))
        typer.echo(f"  {et.name:<32} {roles}")
    if sch.attributes:
        typer.echo("attributes:")
        for a in sch.attributes:
            values = "|".join(a.values) if a.values else "yes/no"
            typer.echo(f"  {a.name:<14} on {', '.join(a.targets)}: {values}")


@app.command()
def gui(project: Annotated[Path | None, Arg(help="project file to open")] = None,
        document: Annotated[str | None, Opt(help="document name to show")] = None,
        screenshot: Annotated[Path | None, Opt(help="render the window to this PNG and "
                                                    "exit")] = None,
        annotator_name: Annotated[str | None, Opt("--annotator", help="your name (edits are "
                                                  "recorded under it)")] = None,
        annotation_set: Annotated[str | None, Opt("--set", help="annotation set to show and "
                                                  "edit (default: your own)")] = None,
        all_arcs: Annotated[bool, Opt("--all-arcs", help="draw every relation and argument "
                                                        "arc")] = False) -> None:
    """Start the desktop application (also: `annotator PROJECT`)."""
    try:
        from annotator.gui.app import run_gui
    except ImportError as exc:  # e.g. a system library Qt needs is missing
        from annotator.gui.qt_platform import import_problem

        typer.echo(f"error: {import_problem(exc)}", err=True)
        raise typer.Exit(2) from None
    import signal

    # The CLI's SIGTERM-as-Ctrl+C would never run in Qt's idle loop: the window installs its
    # own (close cleanly, gui.app.close_on_terminate); until then the default applies.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    code = run_gui(str(project) if project else None, document=document,
                   screenshot=str(screenshot) if screenshot else None,
                   annotator=annotator_name, annotation_set=annotation_set,
                   show_all_arcs=all_arcs)
    raise typer.Exit(code)


COMMANDS = {"new", "import", "export", "train", "stats", "check", "agree", "assign", "merge",
            "adjudicate", "schema", "gui"}


def main(argv: list[str] | None = None) -> None:
    """Entry point: `annotator PROJECT` is short for `annotator gui PROJECT`, and `annotator`
    alone opens the window (`annotator --help` lists the commands).

    Every error is caught here and printed as one line (``--debug`` anywhere on the command line,
    or ANNOTATOR_DEBUG=1, shows the traceback instead); Ctrl+C and SIGTERM exit with 130."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or bool(os.environ.get("ANNOTATOR_DEBUG"))
    args = [a for a in args if a != "--debug"]
    if not args:  # a desktop launcher starts it this way: open the window
        args = ["gui"]
    elif args[0] not in COMMANDS and not args[0].startswith("-"):
        args = ["gui", *args]
    previous = _terminate_as_interrupt()
    try:
        # without standalone mode a command's typer.Exit(code) comes back as the return value
        code = app(args, prog_name="annotator", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(1)
    except BaseException as exc:
        if debug or isinstance(exc, SystemExit):
            raise
        sys.exit(_report(exc))
    finally:
        _restore_terminate(previous)
    if code == INTERRUPTED:  # typer turned a Ctrl+C/SIGTERM into a silent exit code 130
        sys.exit(_report(KeyboardInterrupt()))
    if isinstance(code, int) and code:
        sys.exit(code)


def _report(exc: BaseException) -> int:
    """Print ``exc`` as one line on stderr and return the exit code for it."""
    import sqlite3

    from annotator.formats.staging import ExportInterrupted

    if isinstance(exc, _usage_errors()):
        exc.show()  # type: ignore[attr-defined]  # click's ClickException API
        return int(exc.exit_code)  # type: ignore[attr-defined]
    if isinstance(exc, ExportInterrupted):
        typer.echo(f"error: {exc}", err=True)
        return INTERRUPTED
    if isinstance(exc, KeyboardInterrupt):
        typer.echo("error: interrupted", err=True)
        return INTERRUPTED
    if isinstance(exc, AnnotatorError):
        message = str(exc)
    elif isinstance(exc, OSError):  # an output folder that does not exist, a full disk, ...
        where = f"{exc.filename}: " if exc.filename else ""
        message = f"{where}{exc.strerror or exc}"
    elif isinstance(exc, sqlite3.Error):
        message = f"project file: {exc} (the file may be damaged or the disk full)"
    elif isinstance(exc, RecursionError):
        message = "input nested too deeply to read"
    else:
        message = (f"unexpected {type(exc).__name__}: {exc} (run again with --debug for the "
                   "details, and please report it)")
    typer.echo(f"error: {message}", err=True)
    return 1


def _usage_errors() -> tuple[type[BaseException], ...]:
    """Click's usage errors (typer builds on click; newer typers carry their own copy, whose
    exceptions derive from the public ``typer.TyperException``)."""
    import click

    kinds: list[type[BaseException]] = [click.ClickException]
    typer_base = getattr(typer, "TyperException", None)
    if isinstance(typer_base, type):
        kinds.append(typer_base)
    return tuple(kinds)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _terminate_as_interrupt() -> object:
    """SIGTERM unwinds like Ctrl+C, so staged exports and transactions clean up."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_interrupt)


def _restore_terminate(previous: object) -> None:
    import signal

    if previous is not None:
        signal.signal(signal.SIGTERM, previous)  # type: ignore[arg-type]


from annotator import cli_suggest  # noqa: E402, F401  (registers suggest, accept, reject, evaluate)
