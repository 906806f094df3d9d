"""What ``annotator export -O KEY=VALUE`` (and ``ExportOptions.extra``) may set, per writer,
and the check that refuses anything else before a byte is written.

Each writer reads its options from ``options.extra``; an option it does not know used to be
ignored silently (a typo such as ``-O schema=BILOU`` gave an IOB2 export). ``WRITER_OPTIONS``
declares every key each writer reads and what its value may be; ``checked_writer_options``
refuses an unknown key or a bad value with one line naming the key, the format and the keys
that format accepts, and turns command-line text into the value the writer expects
(``true``/``false`` -> bool, numbers -> int). ``run_export`` calls it, so the CLI, the GUI
export dialog and the API are checked alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from annotator.errors import AnnotatorError

_POLICIES = ("outermost", "innermost", "longest")  # annotator.formats.tokens.ENTS_POLICIES
_SPAN_KINDS = ("entity", "trigger", "value")  # annotator.core.model.SPAN_KINDS


class WriterOptionError(AnnotatorError):
    """An export option the writer does not have, or a value it cannot take (a usage error:
    the CLI exits with 2 and writes nothing)."""


@dataclass(frozen=True)
class Spec:
    """One option: ``what`` describes the allowed values; ``convert`` returns the value the
    writer expects or raises ``ValueError``."""

    what: str
    convert: Callable[[Any], Any]


def _choice(*allowed: str, fold: bool = False) -> Spec:
    def convert(value: Any) -> Any:
        text = str(value)
        if (text.upper() if fold else text) not in allowed:
            raise ValueError
        return value

    return Spec(f"one of {', '.join(allowed)}", convert)


def _boolean() -> Spec:
    def convert(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ValueError

    return Spec("true or false", convert)


def _whole(*, minimum: int = 1, allowed: tuple[int, ...] = ()) -> Spec:
    def convert(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError
        number = int(value)  # ValueError / TypeError on anything else
        if (allowed and number not in allowed) or number < minimum:
            raise ValueError
        return number

    what = " or ".join(map(str, allowed)) if allowed else f"a whole number, {minimum} or more"
    return Spec(what, convert)


def _text() -> Spec:
    def convert(value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError
        return value

    return Spec("text", convert)


def _list_of(allowed: tuple[str, ...]) -> Spec:
    """Comma-separated names out of ``allowed`` (or a list of them, from the API)."""
    def convert(value: Any) -> Any:
        items = value.split(",") if isinstance(value, str) else list(value)
        names = [str(x).strip() for x in items if str(x).strip()]
        if not names or any(n not in allowed for n in names):
            raise ValueError
        return value

    return Spec(f"a comma-separated list of {', '.join(allowed)}", convert)


#: writer -> option -> what it may be. Native JSONL is lossless and takes none.
WRITER_OPTIONS: dict[str, dict[str, Spec]] = {
    "jsonl": {},
    "spacy": {"ents_policy": _choice(*_POLICIES), "ents_kinds": _list_of(_SPAN_KINDS),
              "spans_key": _text(), "triggers_key": _text(),
              "pipeline": _list_of(("ner", "spancat")), "max_steps": _whole(),
              "sidecar": _boolean(), "config": _boolean()},
    "conll": {"scheme": _choice("IOB2", "IOB1", "BILOU", "BIOES", "BILUO", fold=True),
              "columns": _whole(allowed=(2, 4)), "layer": _choice(*_POLICIES),
              "kinds": _list_of(_SPAN_KINDS), "space_replacement": _text(),
              "docstart": _text()},
    "brat": {"zip": _boolean(), "relation_attributes": _choice("notes", "drop"),
             "newlines": _choice("keep", "lf")},  # brat.newlines.NEWLINE_MODES
    "dygiepp": {"dataset": _text(), "trigger_head": _choice("last", "first"),
                "kinds": _list_of(_SPAN_KINDS), "max_span_width": _whole()},
    "textee": {"window": _whole()},
}


def writer_option_names(fmt: str) -> list[str]:
    """The option keys the ``fmt`` writer reads, sorted."""
    return sorted(WRITER_OPTIONS.get(fmt, {}))


def checked_writer_options(fmt: str, given: dict[str, Any]) -> dict[str, Any]:
    """``given`` checked against what the ``fmt`` writer reads and converted to what it
    expects; an unknown key or a bad value raises ``WriterOptionError`` naming the key, the
    format and its options. A writer not declared here (a plug-in) takes none. ``None``
    stands for the writer's default (the key is left out)."""
    known = WRITER_OPTIONS.get(fmt, {})
    have = ", ".join(sorted(known)) or "none"
    out: dict[str, Any] = {}
    for key, value in given.items():
        spec = known.get(key)
        if spec is None:
            raise WriterOptionError(f"the {fmt} writer has no option {key!r} (its options: "
                                    f"{have})")
        if value is None:
            continue
        try:
            out[key] = spec.convert(value)
        except (TypeError, ValueError):
            raise WriterOptionError(f"the {fmt} writer's option {key} must be {spec.what}, got "
                                    f"{value!r} (its options: {have})") from None
    return out


def options_from_cli(fmt: str, items: list[str]) -> dict[str, Any]:
    """``-O KEY=VALUE`` strings of ``annotator export`` -> checked options (a string without
    ``=`` is refused too); an unknown format is left to the exporter lookup to report."""
    from annotator.formats.registry import EXPORTERS, parse_options

    try:
        given = parse_options(items)
    except AnnotatorError as exc:
        raise WriterOptionError(str(exc)) from None
    return checked_writer_options(fmt, given) if fmt in EXPORTERS else given
