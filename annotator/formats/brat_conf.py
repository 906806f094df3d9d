"""brat configuration files (``annotation.conf``, ``visual.conf``, ``kb_shortcuts.conf``) <->
Schema: the import path older callers use. The code lives in the ``annotator.formats.brat``
package (``conf_read``, ``visual``, ``conf_write``, ``names``); this module re-exports it."""

from __future__ import annotations

from annotator.formats.brat.conf_read import (
    parse_annotation_conf,
    read_annotation_conf,
    read_brat_schema,
)
from annotator.formats.brat.conf_write import write_annotation_conf, write_brat_schema
from annotator.formats.brat.names import brat_name_map, brat_safe_name
from annotator.formats.brat.visual import (
    apply_kb_shortcuts,
    apply_visual_conf,
    parse_kb_shortcuts,
    parse_visual_conf,
    write_kb_shortcuts,
    write_visual_conf,
)

__all__ = [
    "apply_kb_shortcuts",
    "apply_visual_conf",
    "brat_name_map",
    "brat_safe_name",
    "parse_annotation_conf",
    "parse_kb_shortcuts",
    "parse_visual_conf",
    "read_annotation_conf",
    "read_brat_schema",
    "write_annotation_conf",
    "write_brat_schema",
    "write_kb_shortcuts",
    "write_visual_conf",
]
