"""CoNLL-2003 token-per-line NER: export (IOB2, IOB1, BILOU, BIOES) and import (any of them,
plus Hugging Face ``{"words", "ner"}`` JSON Lines).

Export (``out`` is a file)::

    -DOCSTART- -X- O O          <- one header + blank line per document (spacy convert's form)

    Russia _ _ B-GPE            <- TOKEN POS CHUNK NER; POS/CHUNK are "_" placeholders
    has _ _ O
                                <- blank line after every stored sentence

``options.extra``: ``scheme`` ``"IOB2"`` (default) | ``"IOB1"`` | ``"BILOU"`` | ``"BIOES"``;
``columns`` 4 (default) or 2 (``TOKEN NER``); ``docstart``: the document header line (default
``-DOCSTART- -X- O O``, which ``spacy convert`` needs whatever the column count; ``""`` writes
none, documents are then only separated by their blank lines); ``layer``
``"outermost"`` (default) | ``"innermost"`` | ``"longest"``: which of overlapping/nested
entities is kept (every other one is reported as a loss); ``kinds`` span kinds written
(default ``"entity,value"``); ``space_replacement`` (default ``"_"``) for whitespace inside a
token, which would otherwise split the columns (counted in a note). Whitespace tokens are
skipped. Spans off token boundaries, spans across a sentence boundary, triggers, events and
relations cannot be carried and are reported.

Import (``read``): columns separated by TABs (if the line has one) or runs of spaces; first
column = token, last = tag; ``-DOCSTART-`` lines in any of the three header variants split
documents (no header: the whole file is one document); blank lines end sentences. The tagging
scheme is detected (an ``I-X`` not continuing an ``X`` means IOB1; ``L-``/``U-`` BILOU;
``E-``/``S-`` BIOES) and recorded in ``meta["conll_scheme"]``; one decoder reads all of them.
Text = tokens joined by single spaces, sentences by ``"\\n"``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.inputs import DocumentInput
from annotator.core.model import Annotations, Span, new_id
from annotator.core.progress import ProgressFn
from annotator.errors import ExportError, InputFormatError
from annotator.formats.align import lose_attributes
from annotator.formats.export import ExportOptions, ExportReport, export_documents
from annotator.formats.tokens import (
    CROSSES_SENTENCE,
    ENTS_POLICIES,
    NOT_ALIGNED,
    UNLABELED_ATTR,
    TokenMap,
    flat_selection,
)

if TYPE_CHECKING:
    from annotator.core.project import Project

SCHEMES = ("IOB2", "IOB1", "BILOU", "BIOES")
DOCSTART = "-DOCSTART-"
FLAT_LOSS = "overlaps another entity (CoNLL tags are flat)"
_WHITESPACE = re.compile(r"\s")


# ---- tags -----------------------------------------------------------------------------------
def encode(length: int, spans: list[tuple[int, int, str]], scheme: str = "IOB2",
           sentence_starts: frozenset[int] | set[int] = frozenset()) -> list[str]:
    """Tags for ``length`` tokens from non-overlapping token spans ``(start, end_excl, label)``.
    IOB1 writes ``B-`` only for an entity right after one of the same type in the same
    sentence: never at a token of ``sentence_starts`` (a strict IOB1 reader such as seqeval's
    reads each sentence alone and drops a ``B-`` that follows nothing)."""
    if scheme not in SCHEMES:
        raise ExportError(f"scheme must be one of {', '.join(SCHEMES)}, got {scheme!r}")
    tags = ["O"] * length
    prev_end, prev_label = -1, None
    for s, e, label in sorted(spans):
        n = e - s
        if scheme == "IOB2":
            tags[s] = f"B-{label}"
            for k in range(s + 1, e):
                tags[k] = f"I-{label}"
        elif scheme == "IOB1":
            first = "B" if prev_end == s and prev_label == label and \
                s not in sentence_starts else "I"
            tags[s] = f"{first}-{label}"
            for k in range(s + 1, e):
                tags[k] = f"I-{label}"
        else:
            single, last = ("U", "L") if scheme == "BILOU" else ("S", "E")
            if n == 1:
                tags[s] = f"{single}-{label}"
            else:
                tags[s] = f"B-{label}"
                for k in range(s + 1, e - 1):
                    tags[k] = f"I-{label}"
                tags[e - 1] = f"{last}-{label}"
        prev_end, prev_label = e, label
    return tags


def detect_scheme(sentences: list[list[str]]) -> str:
    """IOB1, IOB2, BILOU or BIOES for lists of tags (one list per sentence)."""
    prefixes = {t[0] for sent in sentences for t in sent if t != "O"}
    if prefixes & {"L", "U"}:
        return "BILOU"
    if prefixes & {"E", "S"}:
        return "BIOES"
    for sent in sentences:
        prev = "O"
        for t in sent:
            if t.startswith("I-") and prev[2:] != t[2:]:
                return "IOB1"
            prev = t
    return "IOB2"


def decode(tags: list[str]) -> list[tuple[int, int, str]]:
    """Token spans ``(start, end_excl, label)`` from tags of any of the four schemes."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, None
    for i, tag in enumerate(tags):
        if tag == "O":
            if label is not None:
                spans.append((start, i, label))
            start, label = -1, None
            continue
        prefix, typ = tag[0], tag[2:]
        continues = label == typ and prefix in ("I", "L", "E")
        if not continues:
            if label is not None:
                spans.append((start, i, label))
            start, label = i, typ
        if prefix in ("L", "E", "U", "S"):
            spans.append((start, i + 1, typ))
            start, label = -1, None
    if label is not None:
        spans.append((start, len(tags), label))
    return spans


# ---- export ---------------------------------------------------------------------------------
@dataclass
class _Settings:
    scheme: str
    columns: int
    layer: str
    kinds: tuple[str, ...]
    replacement: str
    header: str


def _settings(extra: dict[str, Any]) -> _Settings:
    scheme = str(extra.get("scheme", "IOB2")).upper()
    if scheme == "BILUO":
        scheme = "BILOU"
    if scheme not in SCHEMES:
        raise ExportError(f"scheme must be one of {', '.join(SCHEMES)}, got {scheme!r}")
    columns = int(extra.get("columns", 4))
    if columns not in (2, 4):
        raise ExportError(f"columns must be 2 or 4, got {columns!r}")
    layer = str(extra.get("layer", "outermost"))
    if layer not in ENTS_POLICIES:
        raise ExportError(f"layer must be one of {', '.join(ENTS_POLICIES)}, got {layer!r}")
    kinds = extra.get("kinds", "entity,value")
    kinds = tuple(k.strip() for k in (kinds.split(",") if isinstance(kinds, str) else kinds))
    return _Settings(scheme, columns, layer, kinds, str(extra.get("space_replacement", "_")),
                     extra.get("docstart", f"{DOCSTART} -X- O O"))


def export(project: Project, out: Path, options: ExportOptions, report: ExportReport,
           progress: ProgressFn | None = None) -> None:
    out = Path(out)
    if out.is_dir():
        raise ExportError(f"{out}: the CoNLL export writes one file; this is a folder")
    st = _settings(options.extra)
    replaced: list[str] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for ed in export_documents(project, options, report, progress):
            fh.write(_document_lines(ed.doc, ed.ann, st, report, replaced))
    report.files.append(str(out))
    report.notes.append(f"CoNLL: scheme {st.scheme}, {st.columns} columns, layer {st.layer!r} "
                        f"for overlapping entities, kinds {','.join(st.kinds)}")
    if replaced:
        report.notes.append(f"{len(replaced)} token(s) contained whitespace, replaced by "
                            f"{st.replacement!r} so the columns stay intact (e.g. "
                            f"{replaced[0]!r})")


def _candidates(doc: Any, ann: Any, tm: TokenMap, st: _Settings, report: ExportReport
                ) -> tuple[list[tuple[int, int, str]], list[Any]]:
    """Token spans CoNLL could tag (before the flat selection), and their spans."""
    candidates: list[tuple[int, int, str]] = []
    cand_spans = []
    for s in ann.spans:
        if s.attrs.get(UNLABELED_ATTR):
            report.lose_span(doc, s, "unlabeled argument span (DyGIE++ import) is not "
                             "an entity")
            continue
        if s.kind not in st.kinds:
            report.lose_span(doc, s, f"{s.kind} spans are not carried by CoNLL")
            continue
        r = tm.span(s.start, s.end)
        if r is None:
            report.lose_span(doc, s, NOT_ALIGNED)
            continue
        if not tm.same_sentence(r):
            report.lose_span(doc, s, CROSSES_SENTENCE)
            continue
        if any(c.isspace() for c in s.label):
            report.lose_span(doc, s, "label contains whitespace")
            continue
        candidates.append((r[0], r[1], s.label))
        cand_spans.append(s)
    return candidates, cand_spans


def _document_lines(doc: Any, ann: Any, st: _Settings, report: ExportReport,
                    replaced: list[str]) -> str:
    """The CoNLL block of one document (losses reported)."""
    tm = TokenMap(doc)
    candidates, cand_spans = _candidates(doc, ann, tm, st, report)
    keep = set(flat_selection([(a, b) for a, b, _ in candidates], st.layer))
    for k, s in enumerate(cand_spans):
        if k not in keep:
            report.lose_span(doc, s, FLAT_LOSS)
    tags = encode(len(tm), [candidates[k] for k in sorted(keep)], st.scheme,
                  {a for a, _ in tm.sentences})
    lose_attributes(report, doc, Annotations(
        spans=[cand_spans[k] for k in sorted(keep)]), "CoNLL")
    for e in ann.events:
        report.lose(doc, "event", "events are not carried by CoNLL", label=e.type, id=e.id)
    for r in ann.relations:
        report.lose(doc, "relation", "relations are not carried by CoNLL", label=r.type,
                    id=r.id)
    lines = [str(st.header), ""] if st.header else []
    text = tm.text
    words = [text[s:e] for s, e in tm.tokens]
    if _WHITESPACE.search("".join(words)):
        for i, word in enumerate(words):
            if _WHITESPACE.search(word):
                replaced.append(word)
                words[i] = _WHITESPACE.sub(st.replacement, word)
    mid = " _ _ " if st.columns == 4 else " "
    for a, b in tm.sentences:
        lines.extend(f"{words[i]}{mid}{tags[i]}" for i in range(a, b))
        lines.append("")
    return "\n".join(lines) + "\n"


# ---- import ---------------------------------------------------------------------------------
def read(path: Path, *, annotator: str = "gold", status: str | None = "done",
         warn: Callable[[str], None] | None = None, **_: Any) -> Iterator[DocumentInput]:
    """Documents of a CoNLL file (or HF ``{"words", "ner"}`` JSON Lines if ``.json``/
    ``.jsonl``); spans go into set ``annotator``, marked ``status`` (None: not marked)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig") as fh:
            raw = fh.read()
    except OSError as exc:
        raise InputFormatError(f"cannot read: {exc.strerror}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                               path=str(path)) from None
    if path.suffix.lower() in (".json", ".jsonl") and raw.lstrip().startswith("{"):
        docs = _hf_documents(raw, path)
    else:
        docs = _conll_documents(raw, path)
    total = len(docs)
    for n, (sentences, line_no) in enumerate(docs, 1):
        if not sentences:
            continue
        name = path.stem if total == 1 else f"{path.stem}-{n}"
        yield _document(sentences, name, path, line_no, annotator, status)


Sentence = list[tuple[str, str, int]]  # (token, tag, line number)


def _conll_documents(raw: str, path: Path) -> list[tuple[list[Sentence], int]]:
    docs: list[tuple[list[Sentence], int]] = []
    sentences: list[Sentence] = []
    sent: Sentence = []
    doc_line = 1
    for line_no, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            if sent:
                sentences.append(sent)
                sent = []
            continue
        cols = line.rstrip("\r\n").split("\t") if "\t" in line else line.split()
        cols = [c.strip() for c in cols]
        while cols and not cols[-1]:  # trailing TABs
            cols.pop()
        if cols and cols[0] == DOCSTART:
            if sent:
                sentences.append(sent)
                sent = []
            if sentences:
                docs.append((sentences, doc_line))
            sentences, doc_line = [], line_no
            continue
        if len(cols) < 2:
            raise InputFormatError(f"expected at least 2 columns (token ... tag), got {line!r}",
                                   path=str(path), line=line_no)
        token, tag = cols[0], cols[-1]
        if not token:
            raise InputFormatError("empty token", path=str(path), line=line_no, field="token")
        _check_tag(tag, path, line_no)
        sent.append((token, tag, line_no))
    if sent:
        sentences.append(sent)
    if sentences:
        docs.append((sentences, doc_line))
    return docs


def _hf_documents(raw: str, path: Path) -> list[tuple[list[Sentence], int]]:
    """Hugging Face token classification JSON Lines: one sentence per line, one document."""
    sentences: list[Sentence] = []
    for line_no, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputFormatError(f"bad JSON: {exc.msg}", path=str(path),
                                   line=line_no) from None
        if not isinstance(obj, dict):
            raise InputFormatError("expected a JSON object per line", path=str(path),
                                   line=line_no)
        words = obj.get("words", obj.get("tokens"))
        tags = obj.get("ner", obj.get("ner_tags", obj.get("tags")))
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise InputFormatError("expected a list of non-empty strings", path=str(path),
                                   line=line_no, field="words")
        if not isinstance(tags, list) or len(tags) != len(words):
            raise InputFormatError(f"expected {len(words)} tags, one per word",
                                   path=str(path), line=line_no, field="ner")
        if not all(isinstance(t, str) for t in tags):
            raise InputFormatError("tags must be strings like B-PER (integer class ids need "
                                   "the label list)", path=str(path), line=line_no,
                                   field="ner")
        for t in tags:
            _check_tag(t, path, line_no, field="ner")
        if words:
            sentences.append([(w, t, line_no) for w, t in zip(words, tags, strict=True)])
    return [(sentences, 1)]


def _check_tag(tag: str, path: Path, line_no: int, field: str = "tag") -> None:
    if tag == "O":
        return
    if len(tag) < 3 or tag[1] != "-" or tag[0] not in "BILUES":
        raise InputFormatError(f"bad NER tag {tag!r} (expected O or B-/I-/L-/U-/E-/S-LABEL)",
                               path=str(path), line=line_no, field=field)


def _document(sentences: list[Sentence], name: str, path: Path, line_no: int, annotator: str,
              status: str | None) -> DocumentInput:
    parts: list[str] = []
    tokens: list[tuple[int, int]] = []
    sent_ranges: list[tuple[int, int]] = []
    spans: list[Span] = []
    pos = 0
    for k, sent in enumerate(sentences):
        if k:
            tokens.append((pos, pos + 1))  # the "\n" between sentences, as spaCy keeps it
            parts.append("\n")
            pos += 1
        first = pos
        offsets = []
        for i, (token, _, _) in enumerate(sent):
            if i:
                parts.append(" ")
                pos += 1
            offsets.append((pos, pos + len(token)))
            parts.append(token)
            pos += len(token)
        tokens.extend(offsets)
        sent_ranges.append((first, pos))
        for s, e, label in decode([t for _, t, _ in sent]):
            spans.append(Span(id=new_id(), doc_id="", start=offsets[s][0],
                              end=offsets[e - 1][1], label=label, kind="entity",
                              status="gold", origin="import"))
    scheme = detect_scheme([[t for _, t, _ in s] for s in sentences])
    return DocumentInput(
        text="".join(parts), name=name,
        meta={"source_format": "conll", "conll_scheme": scheme, "source_file": path.name},
        tokens=tokens, sentences=sent_ranges, tokenizer="conll",
        status={annotator: status} if status else {},
        sets={annotator: Annotations(spans=spans)}, source=f"{path}:{line_no}")
