"""annotator: label news articles with entities, events and relations; export gold datasets.

Public API::

    import annotator
    project = annotator.create_project("news.annproj", schema="ace2005-news", annotator="ana")
    doc = project.add_document("Russia pulled out of the NATO meeting.", name="story-1")
    russia = project.add_span(doc.id, 0, 6, "GPE")
    project.undo()
"""

from __future__ import annotations

from pathlib import Path

from annotator.core.changes import Changes
from annotator.core.importing import Tokenizer
from annotator.core.inputs import DocumentInput, ImportReport
from annotator.core.model import (
    Annotations,
    Argument,
    Document,
    DocumentSummary,
    Event,
    Relation,
    Span,
)
from annotator.core.project import Project
from annotator.core.schema import Schema
from annotator.errors import AnnotatorError
from annotator.nlp.evaluate import evaluate
from annotator.nlp.suggest import suggest

__version__ = "0.1.0"
__all__ = [
    "Annotations", "AnnotatorError", "Argument", "Changes", "Document", "DocumentInput",
    "DocumentSummary", "Event", "ImportReport", "Project", "Relation", "Schema", "Span",
    "__version__", "create_project", "evaluate", "load_schema", "open_project", "suggest",
]

DEFAULT_SCHEMA = "ace2005-news"


def load_schema(spec: str | Path) -> Schema:
    """A built-in schema name, a ``.toml`` file, or a brat ``annotation.conf``."""
    from annotator.formats.schema_sources import load_schema_source

    return load_schema_source(spec)


def _spacy_tokenizer(lang: str) -> Tokenizer:
    """spaCy's tokenizer for ``lang``: what projects opened here tokenise imports with
    (spaCy is imported on the first import, not when ``annotator`` is)."""
    from annotator.nlp.tokenize import get_tokenizer

    return get_tokenizer(lang)


def create_project(path: str | Path, *, schema: str | Path | Schema = DEFAULT_SCHEMA,
                   lang: str = "en", annotator: str = "annotator") -> Project:
    """Create a new project file (refuses to overwrite) with a copy of ``schema`` inside
    (a Schema, a built-in name, a ``.toml`` file or a brat ``annotation.conf``)."""
    from annotator.store import Store
    from annotator.store.rows import dumps

    loaded = schema if isinstance(schema, Schema) else load_schema(schema)
    store = Store.create(path, {"schema": dumps(loaded.to_dict()), "lang": lang,
                                "program_version": __version__})
    return Project(store, annotator, tokenizers=_spacy_tokenizer)


def open_project(path: str | Path, *, annotator: str = "annotator", readonly: bool = False,
                 fallback_readonly: bool = False, verify: str = "now") -> Project:
    """Open a project for editing (or read-only); a project open elsewhere raises
    ProjectInUseError unless ``fallback_readonly`` asks for a read-only view instead.
    ``verify="background"`` checks the file's integrity on a worker thread instead of before
    returning; the first write waits for the check (``Project.verified`` tells its state)."""
    from annotator.store import Store

    store = Store.open(path, readonly=readonly, fallback_readonly=fallback_readonly,
                       verify=verify)
    return Project(store, annotator, tokenizers=_spacy_tokenizer)
