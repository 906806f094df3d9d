"""brat standoff (``.txt`` + ``.ann``): import a collection, export a project; brat's conf files.

Reading follows brat's own parser (``nlplab/brat: server/src/annotation.py``) and the reader
tolerance checklist of ``docs``/``formats.md`` section 2:

* every line is split on its first two TABs (the TEXT field may contain TABs); a trailing TAB
  or an empty third field is fine; blank lines are skipped; a ``\\r`` before the ``\\n`` is
  dropped (``.ann`` files saved on Windows);
* lines may come in any order and refer forward; ``M`` is the legacy spelling of ``A``;
* ``.txt`` files are read as UTF-8 *verbatim* (``newline=""``: a ``\\r\\n`` stays two
  characters, exactly as brat counts offsets); ``.ann`` files are UTF-8 too;
* the TEXT field of ``T`` lines is recomputed from the offsets and every mismatch is reported
  through ``warn`` (the offsets win);
* ``T`` fragments separated only by line-break characters are one span crossing a line (this is
  how brat, and our exporter, write such a span): they are joined silently. Any other
  discontinuous span (``T1 Location 0 5;16 23``) keeps its fragments (``Span.fragments``; its
  start/end are the hull), unless ``discontinuous="hull"`` asks for the hull (reported) or
  ``discontinuous="error"`` refuses it;
* event roles lose brat's numbering (``Org-Arg2`` -> ``Org-Arg``, ``Theme1`` -> ``Theme``; the
  maximal digit suffix is stripped as brat's ``split_role`` does); an argument may be an event;
* ``R`` relations between two ``T`` become relations (symmetric types, per the collection's
  ``annotation.conf``, are stored in canonical order: the earlier span first);
* ``*`` equivalences (``*<TAB>Alias T3 T4 T5``) become one coreference chain of that type
  (``Chain``, mentions as listed), whatever the project's schema; ``*`` lines of one type that
  share a mention are one chain. The exporter writes each chain of two or more exported mentions
  as one ``*`` line (a chain's references, attributes and note are reported: a ``*`` line has no
  id), and still writes the connected groups of a symmetric-transitive relation type (older
  projects) as ``*`` lines;
* ``A``/``M`` attributes go to the target's ``attrs`` (binary attributes -> ``True``);
* ``N`` normalizations of a ``T`` become references of the span (``Span.refs``: database,
  id and the TEXT field as the name, exactly: an empty name stays empty), several per span in
  order; the first also sets ``span.kb_id`` (``Wikipedia:64488``). The exporter writes every
  reference back, and a ``kb_id`` no reference spells (named from the older document meta
  ``kb_names``, else with an empty name); an ``N`` on an event or relation is reported;
* ``#`` ``AnnotatorNotes`` go to ``note`` (several notes on one target are joined with
  ``\\n``); ``#`` lines of type ``RelationAttributes`` (written by our exporter) carry relation
  attributes as JSON; other note types (``Lemma`` ...) are kept in the document meta
  ``brat_notes`` {annotation id: [[type, text], ...]} and written back on export.

Documents are named by their path relative to the imported folder, without ``.txt``.
Annotations go into the set ``annotator`` (default ``gold``) with status ``gold`` and origin
``import``; the document status of that set is ``doc_status`` (default ``done``).

Export writes ``<name>.txt`` (verbatim) and ``<name>.ann`` per document (under ``<split>/``
when the export is split), plus ``annotation.conf``, ``visual.conf``, ``kb_shortcuts.conf``
(when the schema has hotkeys) and ``tools.conf`` (when ``N`` lines were written) at the top,
into a folder, or into a ``.zip`` when ``out`` ends in ``.zip`` or ``options.extra["zip"]``.
Type names are made brat-safe (``Conflict.Attack`` -> ``Conflict_Attack``, see
``names.brat_name_map``) with the display form in ``visual.conf``. Spans crossing a line
break are written as fragments split at the break (lossless: the reader joins them again).
brat has no attributes on relations (brat#791): they are written as
``#n<TAB>RelationAttributes Rk<TAB>{json}`` comment lines (brat shows them as comments; our
reader restores them) unless ``options.extra["relation_attributes"] == "drop"``, which reports
them as losses instead. Long or unsafe document names get safe file stems
(``sink.file_stem``: cut to 190 UTF-8 bytes plus ``~`` and 8 hex digits of a SHA-1).

One job per module: ``collection`` (listing pairs, finding ``annotation.conf``, ``read``),
``ann_lines`` (line splitting, ``T`` offsets), ``ann_read`` (``parse_ann``, one reader per line
kind), ``ann_write`` (``write_ann``, one writer per line kind), ``sink`` (folder/zip, file
stems), ``exporter`` (``export``), ``names`` (brat-safe names), ``conf_read``
(``annotation.conf``), ``visual`` (``visual.conf``, ``kb_shortcuts.conf``), ``conf_write``
(``annotation.conf`` writing). ``annotator.formats.brat_conf`` re-exports the conf functions.
"""

from annotator.formats.brat.ann_lines import LINE_BREAKS, split_role
from annotator.formats.brat.ann_read import NOTE_TYPE, REL_ATTR_NOTE, parse_ann
from annotator.formats.brat.ann_write import fragments, write_ann
from annotator.formats.brat.collection import KB_NAMES, find_annotation_conf, read, read_schema
from annotator.formats.brat.conf_read import (
    parse_annotation_conf,
    read_annotation_conf,
    read_brat_schema,
)
from annotator.formats.brat.conf_write import write_annotation_conf, write_brat_schema
from annotator.formats.brat.exporter import export
from annotator.formats.brat.names import brat_name_map, brat_safe_name
from annotator.formats.brat.sink import MAX_STEM_BYTES, file_stem
from annotator.formats.brat.visual import (
    apply_kb_shortcuts,
    apply_visual_conf,
    parse_kb_shortcuts,
    parse_visual_conf,
    write_kb_shortcuts,
    write_visual_conf,
)

__all__ = [
    "KB_NAMES",
    "LINE_BREAKS",
    "MAX_STEM_BYTES",
    "NOTE_TYPE",
    "REL_ATTR_NOTE",
    "apply_kb_shortcuts",
    "apply_visual_conf",
    "brat_name_map",
    "brat_safe_name",
    "export",
    "file_stem",
    "find_annotation_conf",
    "fragments",
    "parse_ann",
    "parse_annotation_conf",
    "parse_kb_shortcuts",
    "parse_visual_conf",
    "read",
    "read_annotation_conf",
    "read_brat_schema",
    "read_schema",
    "split_role",
    "write_ann",
    "write_annotation_conf",
    "write_brat_schema",
    "write_kb_shortcuts",
    "write_visual_conf",
]
