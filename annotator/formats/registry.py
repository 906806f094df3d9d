"""Format names -> reader/writer functions, imported lazily so start-up stays fast.

Exporter: ``export(project, out: Path, options: ExportOptions, report: ExportReport,
progress: ProgressFn | None) -> None``.
Reader: ``read(path: Path, **kwargs) -> Iterator[DocumentInput]`` (raising
``annotator.errors.InputFormatError`` naming file, line and field on bad input).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

from annotator.errors import AnnotatorError

EXPORTERS: dict[str, str] = {
    "jsonl": "annotator.formats.jsonl:export",
    "spacy": "annotator.formats.spacy_docbin:export",
    "conll": "annotator.formats.conll:export",
    "brat": "annotator.formats.brat:export",
    "dygiepp": "annotator.formats.dygiepp:export",
    "textee": "annotator.formats.textee:export",
}

READERS: dict[str, str] = {
    "text": "annotator.formats.text:read",
    "jsonl": "annotator.formats.jsonl:read",
    "brat": "annotator.formats.brat:read",
    "conll": "annotator.formats.conll:read",
    "prodigy": "annotator.formats.prodigy:read_prodigy",
    "doccano": "annotator.formats.doccano:read_doccano",
    "labelstudio": "annotator.formats.labelstudio:read_labelstudio",
    "dygiepp": "annotator.formats.dygiepp:read",
}

FORMAT_HELP = {
    "jsonl": "native lossless JSON Lines (docs/formats.md)",
    "spacy": "spaCy DocBin .spacy files per split + config.cfg",
    "conll": "CoNLL-2003 columns (IOB2 default; IOB1, BILOU)",
    "brat": "brat standoff folder (.txt/.ann + annotation.conf, visual.conf)",
    "dygiepp": "DyGIE++ JSONL (document-level token indices, inclusive ends)",
    "textee": "TextEE/OneIE sentence-level JSONL",
    "text": "plain .txt files or folders (one article per file)",
    "prodigy": "Prodigy JSONL (spans, relations)",
    "doccano": "doccano JSONL (label triples or entities+relations)",
    "labelstudio": "Label Studio JSON export",
}


_STATUS = ("new", "in_progress", "done")  # annotator.core.model.DOC_STATUSES
_BOOL = ("true", "false")

#: What ``annotator import -O KEY=VALUE`` may set, per reader: key -> allowed values (None:
#: any text). ``annotator`` is ``--annotator``. Plain text and native JSONL take none.
READER_OPTIONS: dict[str, dict[str, tuple[str, ...] | None]] = {
    "text": {},
    "jsonl": {},
    "brat": {"annotator": None, "discontinuous": ("fragments", "hull", "error"),
             "doc_status": _STATUS},
    "conll": {"annotator": None, "status": _STATUS},
    "prodigy": {"annotator": None},
    "doccano": {"annotator": None, "offsets": ("codepoint", "utf16")},
    "labelstudio": {"annotator": None, "offsets": ("codepoint", "utf16"),
                    "which": ("first", "all"), "include_predictions": _BOOL, "text_key": None},
    "dygiepp": {"annotator": None, "status": _STATUS, "unlabeled": None,
                "clusters": ("chains", "meta", "relations", "drop")},
}


def parse_options(items: list[str], flag: str = "-O") -> dict[str, str]:
    """``KEY=VALUE`` strings -> {key: value}; a string without ``=`` is refused."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise AnnotatorError(f"{flag} expects KEY=VALUE, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def checked_reader_options(fmt: str, given: dict[str, Any]) -> dict[str, Any]:
    """``given`` checked against the options the ``fmt`` reader has (``READER_OPTIONS``),
    ``true``/``false`` made booleans; an unknown key or value is refused by name, with the
    options that exist."""
    known = READER_OPTIONS.get(fmt, {})
    out: dict[str, Any] = {}
    for key, value in given.items():
        if key not in known:
            have = ", ".join(sorted(known)) or "none"
            raise AnnotatorError(f"the {fmt} reader has no option {key!r} (its options: "
                                 f"{have})")
        allowed = known[key]
        if allowed is not None and isinstance(value, str) and value not in allowed:
            raise AnnotatorError(f"option {key} of the {fmt} reader must be one of "
                                 f"{', '.join(allowed)}, got {value!r}")
        out[key] = (value == "true") if allowed == _BOOL and isinstance(value, str) else value
    return out


def _load(spec: str) -> Callable[..., Any]:
    module, _, name = spec.partition(":")
    return getattr(import_module(module), name)


def exporter(name: str) -> Callable[..., Any]:
    if name not in EXPORTERS:
        raise AnnotatorError(f"unknown export format {name!r}; choose one of "
                             f"{', '.join(sorted(EXPORTERS))}")
    return _load(EXPORTERS[name])


def reader(name: str) -> Callable[..., Any]:
    if name not in READERS:
        raise AnnotatorError(f"unknown import format {name!r}; choose one of "
                             f"{', '.join(sorted(READERS))}")
    return _load(READERS[name])


def detect_format(path: Path) -> str:
    """Guess the import format of a file or folder from its name and first bytes."""
    if path.is_dir():
        if any(path.rglob("*.ann")):
            return "brat"
        return "text"
    suffix = path.suffix.lower()
    if suffix == ".txt":
        if path.with_suffix(".ann").exists():
            return "brat"
        return "conll" if _starts_with_docstart(path) else "text"
    if suffix == ".ann":
        return "brat"
    if suffix in (".conll", ".iob", ".bio", ".conll03"):
        return "conll"
    if suffix in (".jsonl", ".json"):
        return _sniff_json(path)
    raise AnnotatorError(f"{path}: cannot tell the format from the name; pass --format "
                         f"({', '.join(sorted(READERS))})")


def _sniff_json(path: Path) -> str:
    import json

    with open(path, encoding="utf-8-sig", errors="replace") as fh:  # the reader reports bad bytes
        head = fh.read(65536)
    stripped = head.lstrip()
    if stripped.startswith("["):
        return "labelstudio"
    first_line = stripped.split("\n", 1)[0]
    try:
        obj = json.loads(first_line)
    except json.JSONDecodeError:
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError:
            return "jsonl"
    if not isinstance(obj, dict):
        return "jsonl"
    if "sets" in obj or "annotator_jsonl" in obj:
        return "jsonl"
    if "sentences" in obj and "doc_key" in obj:
        return "dygiepp"
    if "_input_hash" in obj or "_task_hash" in obj or "_view_id" in obj:
        return "prodigy"
    if "words" in obj and "ner" in obj:
        return "conll"  # Hugging Face token-classification JSON Lines
    if "label" in obj or "entities" in obj:
        return "doccano"
    if "data" in obj and ("annotations" in obj or "predictions" in obj):
        return "labelstudio"
    return "jsonl"


def _starts_with_docstart(path: Path) -> bool:
    """CoNLL files are often named .txt; they start with a -DOCSTART- line."""
    with open(path, "rb") as fh:
        head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"-DOCSTART-")
