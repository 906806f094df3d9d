"""Every place a schema can come from, by name or path: a built-in schema name, a ``.toml``
file (both read by ``annotator.core.schema``) or a brat ``annotation.conf`` (a format, so it is
read here and the core stays free of ``annotator.formats``). ``annotator.create_project``, the
CLI's ``new`` and ``schema --replace`` load schemas through ``load_schema_source``."""

from __future__ import annotations

from pathlib import Path

from annotator.core.schema import Schema, is_brat_conf, load_schema


def load_schema_source(spec: str | Path) -> Schema:
    """A built-in schema name, a ``.toml`` file, or a brat ``annotation.conf``."""
    if is_brat_conf(spec):
        from annotator.formats.brat_conf import read_annotation_conf

        return read_annotation_conf(Path(spec))
    return load_schema(spec)
