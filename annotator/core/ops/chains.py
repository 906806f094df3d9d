"""Coreference chains (entities): the Project API that creates and deletes a chain, adds a
mention to it and removes one, merges two chains, links a span to another mention's chain
(the GUI's one key), and changes a chain's type, attributes, references and note.

A chain is one row of ``chains`` (its mentions a JSON list of span ids) in one document and one
annotation set; every change rewrites that row through the Project's recorder, so each
operation is one transaction and one undo step. A span is a mention of at most one chain: adding
a mention of another chain is refused (merge the chains instead); imported data that breaks the
rule is reported by ``check``. Deleting a span removes it from its chains (``drop_mention``,
called by ``SpanOps.delete_span``); a chain left without mentions is deleted with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from annotator.core.changes import Changes
from annotator.core.document_checks import check_id
from annotator.core.model import SPAN_ORIGINS, SPAN_STATUSES, Chain, Reference, Span, new_id, now
from annotator.core.ops.fragments import as_refs, check_refs
from annotator.core.project_host import ProjectHost
from annotator.errors import NotFoundError, ValidationError
from annotator.store import rows as R

if TYPE_CHECKING:
    from annotator.core.ops.common import Record

CHAIN_FIELDS = ("type", "attrs", "refs", "note", "status", "origin")


def drop_mention(record: Record, row: dict[str, Any], span_id: str,
                 stamp: dict[str, str]) -> None:
    """Record the chain ``row`` without ``span_id`` (deleted when nothing is left)."""
    chain = R.row_to_chain(row)
    rest = [m for m in chain.mentions if m != span_id]
    if not rest:
        record("chains", row, None, row["doc_id"])
        return
    after = R.chain_to_row(replace(chain, mentions=rest))
    record("chains", row, {**after, **stamp}, row["doc_id"])


def check_chain_fields(chain: Chain) -> None:
    """A chain's own fields (the mentions are checked against the spans by the caller)."""
    if not isinstance(chain.type, str):
        raise ValidationError(f"a chain type must be text, got {chain.type!r}")
    if not isinstance(chain.attrs, dict):
        raise ValidationError(f"chain attributes must be a mapping, got {chain.attrs!r}")
    if not isinstance(chain.note, str):
        raise ValidationError(f"a chain note must be text, got {chain.note!r}")
    check_refs(chain.refs, "chain")
    if chain.status not in SPAN_STATUSES:
        raise ValidationError(f"chain status must be one of {SPAN_STATUSES}, got "
                              f"{chain.status!r}")
    if chain.origin not in SPAN_ORIGINS:
        raise ValidationError(f"chain origin must be one of {SPAN_ORIGINS}, got "
                              f"{chain.origin!r}")
    if not chain.mentions or len(set(chain.mentions)) != len(chain.mentions):
        raise ValidationError("a chain needs one or more mentions, each listed once")


class ChainOps(ProjectHost):
    """Project API (a mixin of ``Project``) for coreference chains."""

    # ---- reading ------------------------------------------------------------------------
    def chains(self, doc_id: str, annotator: str | None = "") -> list[Chain]:
        """The chains of one document in one set (default: the current one; None: all)."""
        who = self.annotation_set if annotator == "" else annotator
        return [R.row_to_chain(r) for r in self._store.chain_rows(doc_id, who)]

    def chain(self, chain_id: str) -> Chain:
        row = self._store.get_row("chains", chain_id)
        if row is None:
            raise NotFoundError(f"no chain with id {chain_id}")
        return R.row_to_chain(row)

    def chain_of(self, span_id: str) -> Chain | None:
        """The chain ``span_id`` is a mention of (the first, if imported data put it in two)."""
        rows = self._store.chains_with_mention(span_id)
        return R.row_to_chain(rows[0]) if rows else None

    # ---- creating and deleting ----------------------------------------------------------
    def add_chain(self, mention_ids: Iterable[str], type: str = "", *,
                  attrs: dict[str, Any] | None = None,
                  refs: Iterable[Reference | Sequence[str]] = (), note: str = "",
                  status: str = "gold", origin: str = "manual", id: str | None = None) -> Chain:
        """A chain of these mentions (spans of one document and set, none in another chain),
        in text order; ``type`` defaults to the first mention's label."""
        spans = self._free_mentions(list(mention_ids))
        first = spans[0]
        if id is not None:
            check_id("chain", id)
        if id and self._store.get_row("chains", id) is not None:
            raise ValidationError(f"id {id} is already used by another annotation")
        chain = Chain(id=id or new_id(), doc_id=first.doc_id, type=type or first.label,
                      mentions=[s.id for s in _text_order(spans)], attrs=dict(attrs or {}),
                      refs=as_refs(refs), note=note, status=status, origin=origin,
                      annotator=first.annotator)
        stamp = now()
        chain.created_by = chain.modified_by = self.annotator
        chain.created_at = chain.modified_at = stamp
        check_chain_fields(chain)
        with self.compound(f"Add chain {chain.type}"):
            self._record("chains", None, R.chain_to_row(chain), chain.doc_id)
        return chain

    def delete_chain(self, chain_id: str) -> Changes:
        """Delete a chain (its mentions stay, as spans)."""
        old = self.chain(chain_id)
        with self.compound(f"Delete chain {old.type}") as changes:
            self._record("chains", R.chain_to_row(old), None, old.doc_id)
        return changes

    # ---- mentions -----------------------------------------------------------------------
    def add_to_chain(self, chain_id: str, span_id: str) -> Chain:
        """Add a mention (a span of the chain's document and set, in no other chain)."""
        chain = self.chain(chain_id)
        if span_id in chain.mentions:
            return chain
        (span,) = self._free_mentions([span_id])
        _require_same(span, chain)
        mentions = [self.span(m) for m in chain.mentions] + [span]
        return self._write(chain, f"Add mention to chain {chain.type}",
                           mentions=[s.id for s in _text_order(mentions)])

    def remove_from_chain(self, span_id: str, chain_id: str | None = None) -> Changes:
        """Remove a mention from its chain (or from ``chain_id``); a chain left without
        mentions is deleted. Nothing happens for a span in no chain."""
        rows = [r for r in self._store.chains_with_mention(span_id)
                if chain_id is None or r["id"] == chain_id]
        with self.compound("Remove mention from chain") as changes:
            for row in rows:
                drop_mention(self._record, row, span_id, self._stamp())
        return changes

    def merge_chains(self, keep_id: str, other_id: str) -> Chain:
        """One chain of both: ``other``'s mentions join ``keep`` (text order), its references
        and attributes are added to ``keep``'s (``keep``'s win), its note appended; ``other``
        is deleted. One undo step."""
        keep, other = self.chain(keep_id), self.chain(other_id)
        if keep.id == other.id:
            return keep
        if (keep.doc_id, keep.annotator) != (other.doc_id, other.annotator):
            raise ValidationError("only chains of the same document and annotation set merge")
        mentions = [self.span(m) for m in dict.fromkeys(keep.mentions + other.mentions)]
        refs = keep.refs + [r for r in other.refs if r not in keep.refs]
        note = "\n".join(n for n in (keep.note, other.note) if n)
        with self.compound(f"Merge chains {keep.type} and {other.type}"):
            self._record("chains", R.chain_to_row(other), None, other.doc_id)
            return self._write(keep, "", mentions=[s.id for s in _text_order(mentions)],
                               refs=refs, attrs={**other.attrs, **keep.attrs}, note=note)

    def link_to_chain(self, span_id: str, mention_id: str) -> Chain:
        """What the GUI's link key does: put ``span_id`` in the chain of ``mention_id`` (a new
        chain of both when neither is in one; the two chains merged when both are)."""
        if span_id == mention_id:
            raise ValidationError("a mention cannot be linked to itself")
        mine, theirs = self.chain_of(span_id), self.chain_of(mention_id)
        if mine is not None and theirs is not None:
            return self.merge_chains(theirs.id, mine.id)
        if theirs is not None:
            return self.add_to_chain(theirs.id, span_id)
        if mine is not None:
            return self.add_to_chain(mine.id, mention_id)
        return self.add_chain([mention_id, span_id], self.span(mention_id).label)

    def update_chain(self, chain_id: str, **fields: Any) -> Chain:
        """Change a chain's type, attributes, references, note, status or origin."""
        unknown = set(fields) - set(CHAIN_FIELDS)
        if unknown:
            raise ValidationError(f"cannot change chain field(s) {sorted(unknown)}")
        if "refs" in fields:
            fields["refs"] = as_refs(fields["refs"])
        chain = self.chain(chain_id)
        return self._write(chain, f"Edit chain {fields.get('type', chain.type)}", **fields)

    def set_chain_refs(self, chain_id: str, refs: Iterable[Reference | Sequence[str]]) -> Chain:
        return self.update_chain(chain_id, refs=list(refs))

    # ---- helpers ------------------------------------------------------------------------
    def _stamp(self) -> dict[str, str]:
        return {"modified_by": self.annotator, "modified_at": now()}

    def _write(self, old: Chain, label: str, **fields: Any) -> Chain:
        new = replace(old, **fields)
        new.modified_by, new.modified_at = self.annotator, now()
        check_chain_fields(new)
        with self.compound(label or f"Edit chain {new.type}"):
            self._record("chains", R.chain_to_row(old), R.chain_to_row(new), old.doc_id)
        return new

    def _free_mentions(self, ids: list[str]) -> list[Span]:
        """The spans ``ids`` (one document and set, none in a chain yet)."""
        if not ids:
            raise ValidationError("a chain needs at least one mention")
        if len(set(ids)) != len(ids):
            raise ValidationError("a chain lists each mention once")
        spans = [self.span(i) for i in ids]
        for s in spans[1:]:
            _require_same(s, spans[0])
        for s in spans:
            taken = self.chain_of(s.id)
            if taken is not None:
                raise ValidationError(
                    f"the {s.label} span is already a mention of the {taken.type} chain "
                    f"{taken.id}; merge the chains (merge_chains) or remove it first")
        return spans


def _require_same(span: Span | Chain, other: Span | Chain) -> None:
    if span.doc_id != other.doc_id:
        raise ValidationError("a chain's mentions must be spans of one document")
    if span.annotator != other.annotator:
        raise ValidationError(f"a chain's mentions must be in one annotation set "
                              f"({other.annotator}), not in {span.annotator}'s")


def _text_order(spans: Iterable[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, s.end, s.id))


def mention_spans(chain: Chain, spans: dict[str, Span]) -> Iterator[Span]:
    """The chain's mentions that are spans in ``spans`` (by id), in chain order."""
    return (spans[m] for m in chain.mentions if m in spans)
