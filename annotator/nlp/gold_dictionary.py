"""The project's own gold as a recommender (as INCEpTION's string matcher), and event
arguments from the schema's role types.

``GoldDictionary`` learns from the gold of one annotation set: the token sequence of every
labelled span (its most frequent label), the lower-cased trigger words of events (their most
frequent type) and the pairs of texts gold relates (with how they lie: one inside the other
or apart). It proposes the same token sequence wherever it occurs unlabelled, the event type
of a trigger word, and a relation where both texts of a related pair occur in one sentence,
lying the same way.

A span proposal is scored by the share of its label among the sequence's labels times how
often the sequence is labelled where it occurs in the *other* documents that labelled it
(``usage``): "that" or "it", labelled now and then in gold, occur far more often unlabelled,
so they score low, while a name labelled wherever it occurs scores 1. The document the
proposal is for does not count (the annotator is working through it: its later occurrences
are not labelled yet). Proposals scored below ``min_score`` (``MIN_SCORE``) are left out:
each would cost the annotator a reject key.

``ArgumentSource`` proposes, for each event, fillers of an allowed type in the event's
sentence for its roles, nearest to the trigger first, as many as the role still takes. When
the project's gold has arguments of events of that type filled by spans of the filler's
label, the filler is proposed for the role they had most often only ("Russia" fits both
Entity and Place of a meeting; ``from_project`` learns which); without, for each role that
takes its label, but of roles taking the same filler types (ACE's eight Time-* roles) for
the first only, since nothing tells them apart. A filler is proposed only for the event whose
trigger is nearest to it when a sentence holds several. Each extra proposal costs a reject
key.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from annotator.core.model import Annotations, Document
from annotator.core.suggestions import (
    ArgumentSuggestion,
    Batch,
    EventSuggestion,
    RelationSuggestion,
    SpanKey,
    SpanSuggestion,
)

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.core.schema import Schema

Seq = tuple[str, ...]
MAX_TOKENS = 12  # longer gold spans are not matched elsewhere
MIN_SCORE = 0.5  # span proposals scored lower are not made (see the module docstring)
UNLIMITED_ROLE_SUGGESTIONS = 2  # a role of cardinality * or + gets its two nearest fillers


def _seq(doc: Document, start: int, end: int, lower: bool = False) -> Seq | None:
    words = tuple(doc.text[s:e] for s, e in doc.tokens if start <= s and e <= end)
    if not words or len(words) > MAX_TOKENS:
        return None
    return tuple(w.lower() for w in words) if lower else words


Entry = tuple[str, Any, str]  # ("span" | "trigger" | "relation" | "seen", key, label)


def entries(doc: Document, ann: Annotations) -> list[Entry]:
    """What the gold of one document teaches the dictionary: each labelled token sequence,
    each trigger word (lower-cased) with its event type, each related pair of texts, and
    for each labelled sequence how often it is labelled where it occurs in the document
    (a "seen" entry, its label ``doc id``, tab, labelled, tab, occurrences)."""
    spans = {s.id: s for s in ann.spans if s.status == "gold"}
    keys: dict[str, Seq] = {}
    out: list[Entry] = []
    labelled: dict[Seq, set[int]] = defaultdict(set)  # sequence -> starts labelled
    for s in spans.values():
        seq = _seq(doc, s.start, s.end, lower=s.kind == "trigger")
        if seq is None:
            continue
        keys[s.id] = seq
        if s.kind != "trigger":
            out.append(("span", seq, s.label))
            labelled[seq].add(s.start)
    out += _seen(doc, labelled)
    for e in ann.events:
        if e.status == "gold" and e.trigger_id in keys:
            out.append(("trigger", keys[e.trigger_id], e.type))
    for r in ann.relations:
        head, tail = spans.get(r.head_id), spans.get(r.tail_id)
        if r.status == "gold" and head and tail and r.head_id in keys and r.tail_id in keys:
            out.append(("relation", (keys[r.head_id], head.label, keys[r.tail_id], tail.label,
                                     shape((head.start, head.end), (tail.start, tail.end))),
                        r.type))
    return out


def shape(head: tuple[int, int], tail: tuple[int, int]) -> str:
    """How the two ends of a relation lie: "in" (the tail inside the head: "NATO" in "NATO
    spokeswoman"), "around" (the head inside the tail) or "apart". A related pair is proposed
    again only where its texts lie the same way: "NATO spokeswoman" is not proposed with
    another "NATO" of its sentence."""
    if head[0] <= tail[0] and tail[1] <= head[1]:
        return "in"
    if tail[0] <= head[0] and head[1] <= tail[1]:
        return "around"
    return "apart"


def _seen(doc: Document, labelled: dict[Seq, set[int]]) -> list[Entry]:
    """The "seen" entries of one document (see ``entries``): occurrences are counted from
    the positions of each sequence's first word, so the cost follows the matches."""
    if not labelled:
        return []
    words = [doc.text[s:e] for s, e in doc.tokens]
    at: dict[str, list[int]] = defaultdict(list)
    for i, word in enumerate(words):
        at[word].append(i)
    out: list[Entry] = []
    for seq, starts in labelled.items():
        n = len(seq)
        occurs = sum(1 for i in at.get(seq[0], ()) if tuple(words[i:i + n]) == seq)
        out.append(("seen", seq, f"{doc.id}\t{len(starts)}\t{max(occurs, len(starts))}"))
    return out


class GoldDictionary:
    """Suggestions from the gold of ``annotator``'s set (see the module docstring)."""

    name = "gold-dictionary"
    origin = "dictionary"

    def __init__(self, min_score: float = MIN_SCORE) -> None:
        self.min_score = min_score
        self.spans: dict[Seq, Counter[str]] = defaultdict(Counter)
        # sequence -> document id -> (positions labelled, occurrences) in that document
        self.seen: dict[Seq, dict[str, tuple[int, int]]] = defaultdict(dict)
        self.triggers: dict[Seq, Counter[str]] = defaultdict(Counter)
        # (head text, head label, tail text, tail label, ``shape``) -> relation types
        self.relations: dict[tuple[Seq, str, Seq, str, str], Counter[str]] = \
            defaultdict(Counter)
        self.lengths: dict[str, set[int]] = defaultdict(set)  # first word -> lengths
        self._length_refs: Counter[tuple[str, int]] = Counter()

    @classmethod
    def from_project(cls, project: Project, doc_ids: Iterable[str] | None = None
                     ) -> GoldDictionary:
        gold = cls()
        for doc_id in doc_ids if doc_ids is not None else project.document_ids():
            gold.learn(project.document(doc_id), project.annotations(doc_id))
        return gold

    def learn(self, doc: Document, ann: Annotations) -> None:
        self.add(entries(doc, ann))

    def add(self, items: Iterable[Entry], sign: int = 1) -> None:
        """Count ``items`` (``entries`` of a document) in, or out with ``sign`` -1 (a
        document's earlier gold, when it changed)."""
        for table, key, label in items:
            if table == "seen":
                self._count_seen(cast(Seq, key), label, sign)
                continue
            counts = self._table(table)
            counts[key][label] += sign
            if counts[key][label] <= 0:
                del counts[key][label]
                if not counts[key]:
                    del counts[key]
            if table != "relation":
                seq = cast(Seq, key)
                ref = (seq[0].lower(), len(seq))
                self._length_refs[ref] += sign
                if self._length_refs[ref] > 0:
                    self.lengths[ref[0]].add(ref[1])
                else:
                    del self._length_refs[ref]
                    self.lengths[ref[0]].discard(ref[1])

    def _count_seen(self, seq: Seq, label: str, sign: int) -> None:
        doc_id, labelled, occurs = label.split("\t")
        per_doc = self.seen[seq]
        if sign > 0:
            per_doc[doc_id] = (int(labelled), int(occurs))
        elif per_doc.get(doc_id) == (int(labelled), int(occurs)):
            del per_doc[doc_id]
        if not per_doc:
            del self.seen[seq]

    def usage(self, seq: Seq, doc_id: str) -> float | None:
        """How often ``seq`` is labelled where it occurs in the documents that labelled it,
        ``doc_id`` left out (None: no other document did)."""
        counts = [n for d, n in self.seen.get(seq, {}).items() if d != doc_id]
        occurs = sum(o for _l, o in counts)
        return sum(n for n, _o in counts) / occurs if occurs else None

    def _table(self, table: str) -> dict[Any, Counter[str]]:
        # the three tables differ only in their key type (a sequence or a related pair)
        found = {"span": self.spans, "trigger": self.triggers, "relation": self.relations}
        return cast(dict[Any, Counter[str]], found[table])

    def __len__(self) -> int:
        return len(self.spans) + len(self.triggers) + len(self.relations)

    def batches(self, items: Sequence[tuple[Document, Annotations]]) -> Iterator[Batch]:
        for doc, _ann in items:
            yield self.batch(doc)

    def batch(self, doc: Document) -> Batch:
        batch = Batch()
        found: list[tuple[Seq, SpanKey]] = []
        words = [doc.text[s:e] for s, e in doc.tokens]
        for i, word in enumerate(words):
            for n in sorted(self.lengths.get(word.lower(), ()), reverse=True):
                if i + n > len(words):
                    continue
                seq = tuple(words[i:i + n])
                start, end = doc.tokens[i][0], doc.tokens[i + n - 1][1]
                if seq in self.spans:
                    label, score = _best(self.spans[seq])
                    usage = self.usage(seq, doc.id)
                    score = round(score * (1.0 if usage is None else usage), 4)
                    if score >= self.min_score:
                        batch.spans.append(SpanSuggestion(start, end, label, score))
                    found.append((seq, (start, end, label)))
                lowered = tuple(w.lower() for w in seq)
                if lowered in self.triggers:
                    etype, score = _best(self.triggers[lowered])
                    batch.events.append(EventSuggestion(start, end, etype, score))
        batch.relations = self._relations(doc, found)
        return batch

    def _relations(self, doc: Document, found: list[tuple[Seq, SpanKey]]
                   ) -> list[RelationSuggestion]:
        if not self.relations:
            return []
        out = []
        for a_start, a_end in doc.sentences:
            inside = [(seq, key) for seq, key in found if a_start <= key[0] < a_end]
            for head_seq, head in inside:
                for tail_seq, tail in inside:
                    counts = self.relations.get((head_seq, head[2], tail_seq, tail[2],
                                                 shape(head[:2], tail[:2])))
                    if counts and head != tail:
                        rtype, score = _best(counts)
                        out.append(RelationSuggestion(rtype, head, tail, score))
        return out


def _best(counts: Counter[str]) -> tuple[str, float]:
    label, n = counts.most_common(1)[0]
    return label, n / sum(counts.values())


class ArgumentSource:
    """Role fillers for events from the schema's allowed types (see the module docstring);
    it reads the annotations as they are after the other sources wrote theirs."""

    name = "arguments"
    origin = "pattern"

    def __init__(self, schema: Schema,
                 roles: dict[tuple[str, str], Counter[str]] | None = None) -> None:
        self.schema = schema
        # (event type, filler label) -> how often gold gave such a filler each role
        self.roles: dict[tuple[str, str], Counter[str]] = roles if roles is not None else {}

    @classmethod
    def from_project(cls, project: Project) -> ArgumentSource:
        """With the roles the gold arguments of ``project`` give each filler label."""
        roles: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for doc_id in project.gold_document_ids():
            ann = project.annotations(doc_id)
            labels = {s.id: s.label for s in ann.spans if s.status == "gold"}
            for ev in ann.events:
                if ev.status != "gold":
                    continue
                for a in ev.arguments:
                    if a.status == "gold" and a.filler_id in labels:
                        roles[(ev.type, labels[a.filler_id])][a.role] += 1
        return cls(project.schema, dict(roles))

    def batch(self, doc: Document, ann: Annotations) -> Batch:
        batch = Batch()
        spans = {s.id: s for s in ann.spans if s.status != "rejected"}
        events = [(ev, spans[ev.trigger_id]) for ev in ann.events
                  if ev.status != "rejected" and ev.trigger_id in spans]
        for ev, trigger in events:
            et = self.schema.event_type(ev.type)
            if et is None:
                continue
            start, end = next(((a, b) for a, b in doc.sentences
                               if a <= trigger.start < b), (0, len(doc.text)))
            used = {a.filler_id for a in ev.arguments}
            # another event's trigger nearer to a span of the sentence takes it
            rivals = [t.start for e, t in events if e.id != ev.id and start <= t.start < end]
            near = sorted((s for s in spans.values() if start <= s.start and s.end <= end
                           and s.id != trigger.id and s.kind != "trigger" and s.id not in used
                           and all(abs(s.start - trigger.start) <= abs(s.start - r)
                                   for r in rivals)),
                          key=lambda s: abs(s.start - trigger.start))
            room = {r.name: (r.bounds[1] if r.bounds[1] is not None
                             else UNLIMITED_ROLE_SUGGESTIONS)
                    - sum(1 for a in ev.arguments if a.role == r.name and a.status != "rejected")
                    for r in et.roles}
            for s in near:
                distance = abs(s.start - trigger.start)
                for role in self._roles_for(et.roles, ev.type, s.label):
                    if room[role] > 0:
                        room[role] -= 1
                        batch.arguments.append(ArgumentSuggestion(
                            ev.id, role, (s.start, s.end, s.label),
                            round(1 / (1 + distance / 40), 4)))
        return batch

    def _roles_for(self, roles: Sequence[Any], event_type: str, label: str) -> list[str]:
        """The roles a filler of ``label`` is proposed for: the one the gold gives such
        fillers most often, else each role that takes the label, but of roles that take the
        same filler types (Time-Within, Time-Holds ...) only the first: nothing tells them
        apart by type."""
        fits = [r for r in roles if label in r.fillers]
        counts = self.roles.get((event_type, label))
        if counts and fits:
            return [max((r.name for r in fits), key=lambda name: counts[name])]
        out: list[str] = []
        kinds: set[frozenset[str]] = set()
        for r in fits:
            if frozenset(r.fillers) not in kinds:
                kinds.add(frozenset(r.fillers))
                out.append(r.name)
        return out
