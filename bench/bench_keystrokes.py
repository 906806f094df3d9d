"""Key presses per gold annotation, with and without suggestions, in the real main window.

A scripted annotator reaches the whole gold annotation of the demo's seed article
(``russia-nato-meeting``): its entity and value spans, its events (trigger and type), their
arguments and its relations, by keyboard in ``MainWindow`` (offscreen, real key events
through ``QTest``), on two copies of the demo project whose seed article was emptied. It
works through the article in text order, as a person reads it, deciding what is on screen:

* the next open suggestion is decided first when it starts no later than the next missing
  gold span or event (else that is added first). ``K`` selects it when it is not selected
  already (``Y``, ``X``, a label key, ``Shift+Y`` and ``Shift+X`` go on to the next one
  themselves), unless ``Y`` or ``X`` is what it needs and it is in the caret's sentence
  (with nothing selected those two decide the next suggestion there: right after a span
  labelled by hand, no ``K``); ``Y`` accepts what gold has (a span, an event, an argument, a relation); a
  label key accepts a span suggestion whose extent gold has, with gold's label; the
  grow/shrink keys move the boundaries of one that overlaps a missing gold span when that
  and the label key take at most ``RESIZE_KEYS`` presses (an edit accepts it); ``X``
  rejects the rest. When every suggestion left in the sentence is right (or every one
  wrong), and nothing is missing after the selected one in that sentence, ``Shift+Y``
  (``Shift+X``) decides them at once;
* a gold span no suggestion proposes is added: ``U`` (next unlabelled capitalised or
  numeric run) when that is the shorter way, else ``Alt+Right``/``Alt+Left`` to its first
  token (from an annotation near it reached by ``Tab``/``Shift+Tab`` first, when that is
  shorter than the token moves from where the caret is) and ``Alt+Shift+Right`` to its last (character keys where gold does not follow the
  tokens); then the label key;
* a gold event no suggestion proposes: its trigger word selected the same way, ``E``, its
  type in the pick list by the fewest keys (``keystroke_links``);
* a gold argument or relation no suggestion proposes is made as soon as its spans are
  there (usually right after the last of them was labelled, still selected): the event
  made current (``Tab`` to its trigger, ``Enter``) when it is not, ``Tab``/``Shift+Tab`` to
  the filler, the role's digit; ``Tab`` to the head, ``R``, ``Tab`` to the tail,
  ``Enter``, the type in the pick list.

Without suggestions only the last three happen (the live gold dictionary is off). With
suggestions the seed article first gets what Annotate > Suggest in this document gives
after Train model (the gold dictionary, the event arguments and a pipeline trained on the
ten other demo articles, entities under ``DEFAULT_MIN_MODEL_SCORE`` left out; plus
``--model``, an installed pipeline, when given), and the live gold dictionary (Annotate >
Suggest from gold as I work, on by default) proposes each text the annotator labels at its
later occurrences, and the trigger words and related pairs of the seed's own gold; the
script waits for that background job after each key, as a person reading the next sentence
would.

Both copies end with exactly the seed's gold (checked: spans, triggers, events with their
arguments, relations). Printed: presses per gold annotation in each run (an event and its
trigger count as one annotation), per kind (spans, events, arguments, relations), where
they went (per key; per source and kind: accepted as proposed, relabelled, resized,
rejected; what no source proposed and what making it by hand cost), and the ratio (issue
#12: at most 1.5 with suggestions).

    python bench/bench_keystrokes.py [--steps 400] [--model PACKAGE_OR_FOLDER]
                                     [--only without|with]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from keystroke_links import LinkKeys  # noqa: E402  (bench/, beside this script)
from PySide6.QtGui import QKeySequence  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import annotator  # noqa: E402
from annotator.gui.keymap import label_shortcut  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "sample_projects" / "news-demo" / "news-demo.annproj"
SEED = "russia-nato-meeting"
Key3 = tuple[int, int, str]
RESIZE_KEYS = 3  # boundary moves plus a label key that are cheaper than X and a new span
MOVES = ("Alt+Right", "Alt+Left", "Alt+Shift+Right", "Right", "Left", "Shift+Right",
         "Shift+Left", "Ctrl+Home", "Ctrl+Alt+Right", "Ctrl+Alt+Left",
         "Ctrl+Alt+Shift+Right", "Ctrl+Alt+Shift+Left")


@dataclass
class Target:
    """What the seed article's gold holds: its entity and value spans, its events (trigger
    and type), their arguments and its relations, named by offsets and labels."""

    spans: list[Key3]
    events: list[tuple[Any, ...]] = field(default_factory=list)  # ("event", (s, e), type)
    links: list[tuple[Any, ...]] = field(default_factory=list)  # arguments, relations
    triggers: list[Key3] = field(default_factory=list)

    @property
    def others(self) -> set[tuple[Any, ...]]:
        return set(self.events) | set(self.links)

    def count(self, kind: str) -> int:
        return {"span": len(self.spans), "event": len(self.events),
                "argument": sum(1 for x in self.links if x[0] == "argument"),
                "relation": sum(1 for x in self.links if x[0] == "relation")}[kind]


KINDS = ("span", "event", "argument", "relation")


def gold_of(p: Any, doc_id: str) -> Target:
    """The gold of a document as a ``Target``."""
    ann = p.annotations(doc_id)
    by_id = {s.id: (s.start, s.end, s.label) for s in ann.spans if s.status == "gold"}
    target = Target(sorted(by_id[s.id] for s in ann.spans
                           if s.kind != "trigger" and s.id in by_id),
                    triggers=sorted(by_id[s.id] for s in ann.spans
                                    if s.kind == "trigger" and s.id in by_id))
    for e in ann.events:
        if e.status != "gold" or e.trigger_id not in by_id:
            continue
        trigger = by_id[e.trigger_id][:2]
        target.events.append(("event", trigger, e.type))
        target.links += [("argument", trigger, e.type, a.role, by_id.get(a.filler_id))
                         for a in e.arguments if a.status == "gold"]
    target.links += [("relation", by_id.get(r.head_id), by_id.get(r.tail_id), r.type)
                     for r in ann.relations if r.status == "gold"]
    target.events.sort(key=lambda x: x[1])
    target.links.sort(key=str)
    return target


def prepare(folder: Path, source: Path = DEMO, document: str = SEED
            ) -> tuple[Path, Target]:
    """A copy of the demo (``source``) with the seed article (``document``) emptied;
    returns it and the document's gold."""
    path = folder / "demo.annproj"
    shutil.copyfile(source, path)
    with annotator.open_project(path, annotator="bench") as p:
        p.annotation_set = "gold"
        doc = p.document_by_name(document)
        target = gold_of(p, doc.id)
        ann = p.annotations(doc.id)
        with p.compound("Empty the seed article"):
            for s in ann.spans:
                if p._store.get_row("spans", s.id) is not None:
                    p.delete_span(s.id)
        p.set_status(doc.id, "new")
        left = p.annotations(doc.id)
        if left.spans or left.events or left.relations:
            raise RuntimeError("the seed article was not emptied")
    return path, target


def add_suggestions(path: Path, folder: Path, steps: int, model: str | None) -> str:
    """Train model, then Suggest in this document, as the window's jobs do them."""
    from annotator.gui.settings import DEFAULT_MIN_MODEL_SCORE
    from annotator.gui.suggestions import suggest_job, train_job

    with annotator.open_project(path, annotator="bench") as p:
        p.annotation_set = "gold"
        trained = train_job(folder / "models", steps)(p, lambda *_: True).model
        doc = p.document_by_name(SEED)
        rep = suggest_job([doc.id], trained, DEFAULT_MIN_MODEL_SCORE)(p, lambda *_: True)
        summary = rep.summary()
        if model:
            from annotator.nlp.suggest import suggest
            more = suggest(p, model=model, documents=[SEED], arguments=False,
                           ner_scores=True, min_score=DEFAULT_MIN_MODEL_SCORE)
            summary += "\n" + more.summary()
        return summary


def source_kind(source: str) -> str:
    return {"gold-dictionary": "gold dictionary", "arguments": "event arguments"}.get(
        source, "trained model" if "model" in source else source)


class Annotator(LinkKeys):
    """Presses keys in the window and counts them (see the module docstring)."""

    def __init__(self, window: Any, target: Target) -> None:
        self.w = window
        self.target = target
        self.gold = set(target.spans)
        self.presses = 0
        self.by_key: Counter[str] = Counter()  # what the presses were spent on
        self.by_source: Counter[tuple[str, str]] = Counter()  # (source, outcome)
        self.by_kind: dict[str, float] = defaultdict(float)  # presses per kind of annotation
        self.kind = "span"  # the kind the keys pressed now are for
        self.by_hand: Counter[str] = Counter()  # per kind: made by hand (no suggestion)
        self.by_hand_keys: Counter[str] = Counter()
        self.refused: list[tuple[Any, str]] = []
        self._word_starts: tuple[Any, list[int]] = (None, [])  # (document, word token starts)

    # ---- keys ----------------------------------------------------------------------------
    def press(self, spec: str) -> None:
        combo = cast(Any, QKeySequence(spec))[0]  # a QKeyCombination; the stubs lack []
        target = QApplication.focusWidget() or self.w.view
        popup = self.w.ops.popup is not None  # the key picks in a pick list
        QTest.keyClick(target, combo.key(), combo.keyboardModifiers())
        QApplication.processEvents()
        self.settle()
        if spec in MOVES:
            name = "moves"
        elif spec in ("Tab", "Shift+Tab"):
            name = "Tab"
        elif popup:
            name = "pick list"
        elif spec.isdigit():
            name = "role digit"
        elif len(spec) == 1 and spec not in "KYXUERA" or spec.startswith("Shift+") \
                and len(spec) == 7 and spec[-1] not in "YXK":
            name = "label"
        else:
            name = spec
        self.count(1, name)

    def count(self, n: int = 1, name: str = "pick list") -> None:
        self.presses += n
        self.by_key[name] += n
        self.by_kind[self.kind] += n

    def settle(self) -> None:
        """Wait for the live gold dictionary's background job (debounce, then the job)."""
        from annotator.gui.live_dictionary import live_dictionary_of

        live = live_dictionary_of(self.w)
        if not live.enabled:
            return
        quiet = 0  # a refresh's own writes may start another one: idle five checks running
        for _ in range(3000):
            quiet = 0 if live.timer.isActive() or live.running else quiet + 1
            if quiet >= 5:
                return
            QTest.qWait(10)

    def label_key(self, label: str) -> str:
        schema = self.w.project.schema
        t = schema.entity_type(label) or schema.value_type(label)
        return label_shortcut(t.hotkey if t else "")

    # ---- what is on screen ---------------------------------------------------------------
    def _actions(self) -> Any:
        from annotator.gui.suggestions import suggestions_of

        return suggestions_of(self.w)

    def _key(self, s: Any, ann: Any = None) -> tuple[Any, ...]:
        """A suggestion as the target names it (``ann``: the document's annotations, read
        once for many suggestions)."""
        p = self.w.project
        if s.kind == "span":
            return ("span", s.start, s.end, s.label)
        if s.kind == "event":
            return ("event", (s.start, s.end), s.label)
        ann = ann if ann is not None else p.annotations(s.doc_id)
        spans = {x.id: (x.start, x.end, x.label) for x in ann.spans}
        if s.kind == "relation":
            r = next(x for x in ann.relations if x.id == s.id)
            return ("relation", spans[r.head_id], spans[r.tail_id], r.type)
        for e in ann.events:
            for a in e.arguments:
                if a.id == s.id:
                    return ("argument", spans[e.trigger_id][:2], e.type, a.role,
                            spans.get(a.filler_id))
        return ("argument",)

    def verdict(self, s: Any, have: set[Key3]) -> str:
        """"accept", "relabel" (a span gold has with another label) or "reject"."""
        if s.kind != "span":
            return "accept" if self._key(s) in self.target.others else "reject"
        if (s.start, s.end, s.label) in self.gold:
            return "accept"
        if any((a, b) == (s.start, s.end) and (a, b, lab) not in have
               for a, b, lab in self.gold):
            return "relabel"
        return "reject"

    def _have(self) -> set[Key3]:
        w = self.w
        return {(s.start, s.end, s.label) for s in w.project.spans(w.current_doc)
                if s.status == "gold" and s.kind != "trigger"}

    # ---- the work ------------------------------------------------------------------------
    def work(self) -> int:
        """Work through the article (see the module docstring); returns how many gold
        annotations could not be made by keyboard."""
        unreachable: set[Any] = set()
        idle, last = 0, -1
        for _ in range(5000):
            idle, last = (idle + 1 if self.presses == last else 0), self.presses
            if idle > 20:
                raise RuntimeError("the scripted annotator presses nothing any more")
            have = self._have()
            done = self.done_links()
            items = self._actions()._open()
            proposed = {(s.start, s.end) for s in items if s.kind == "span"}
            ann = self.w.project.annotations(self.w.current_doc)
            open_keys = {self._key(s, ann) for s in items if s.kind != "span"}
            ready = [x for x in self.target.links if x not in done | open_keys | unreachable
                     and self._ready(x, have, done)]
            if ready:  # its spans are there (just made): the link is made while they are
                if not self.add(ready[0]):
                    unreachable.add(ready[0])
                continue
            manual: list[Any] = sorted(
                [g for g in self.target.spans if g not in have and g not in unreachable
                 and g[:2] not in proposed]
                + [e for e in self.target.events if e not in done | open_keys | unreachable],
                key=lambda x: x[1][0] if x[0] == "event" else x[0])
            if not items and not manual:
                break
            chosen = self._actions().selected()
            caret = self.w.view.text_selection()[0]
            upcoming = chosen or next((s for s in items if s.start >= caret), None)
            first = manual[0][1][0] if manual and manual[0][0] == "event" else \
                manual[0][0] if manual else 0
            if items and (not manual or (upcoming is not None and upcoming.start <= first)):
                self.review(items, manual, have)
            elif not self.add(manual[0]):
                unreachable.add(manual[0])
        return len(unreachable)

    @staticmethod
    def _ready(link: tuple[Any, ...], have: set[Key3], done: set[tuple[Any, ...]]) -> bool:
        if link[0] == "argument":
            return ("event", link[1], link[2]) in done and link[4] in have
        return link[1] in have and link[2] in have

    def review(self, items: list[Any], todo: list[Any], have: set[Key3]) -> None:
        """Decide the selected suggestion (``K`` first when none is selected)."""
        manual: list[Key3] = [g for g in todo if g[0] != "event"]
        events_at = [g[1][0] for g in todo if g[0] == "event"]
        actions = self._actions()
        s = actions.selected()
        if s is None:  # Y and X decide the next one drawn in the caret's sentence: no K
            s = self._unselected(actions._next_in_sentence(), items, manual, have)
        for _ in range(3):  # K again when the live dictionary replaced what K selected
            if s is not None:
                break
            self.kind = "navigation"
            self.press("K")
            s = actions.selected()
            self.by_kind["navigation"] -= 1
            self.by_kind[s.kind if s is not None else "span"] += 1
        if s is None:
            raise RuntimeError(f"K selects no suggestion: {self.w.view.selected_annotation()}, "
                               f"{actions.current}, {QApplication.focusWidget()}, "
                               f"{self.w.modes.relation_head}, {items[:3]}")
        s = self._filler_first(s, items, have)
        self.kind = s.kind
        a, b = self.w.project.sentence_of(s.doc_id, s.start)
        # Shift+Y/Shift+X decide every open suggestion starting in the sentence, also those
        # before the selected one (an argument or relation proposed after the caret passed)
        rest = [s] + [x for x in items if a <= x.start < b and x.id != s.id]
        verdicts = [self.verdict(x, have) for x in rest]
        missing_after = any(s.start <= g < b for g in [x[0] for x in manual] + events_at)
        if len(rest) > 1 and not missing_after and set(verdicts) in ({"accept"}, {"reject"}):
            self.press("Shift+Y" if verdicts[0] == "accept" else "Shift+X")
            self.by_kind[s.kind] -= 1  # one press for all of them, shared out by kind
            for x, v in zip(rest, verdicts, strict=True):
                self._count(x, v)
                self.by_kind[x.kind] += 1 / len(rest)
            return
        v = verdicts[0]
        if v == "accept":
            self.press("Y")
        elif v == "relabel":
            label = next(lab for x, y, lab in self.gold if (x, y) == (s.start, s.end)
                         and (x, y, lab) not in have)
            self.press(self.label_key(label))
        elif s.kind == "span" and self.resize(s, manual):
            v = "resize"
        else:
            self.press("X")
        self._count(s, v)

    def _unselected(self, s: Any, items: list[Any], manual: list[Key3], have: set[Key3]
                    ) -> Any:
        """The suggestion ``Y``/``X`` decide with nothing selected (the next in the caret's
        sentence), when those keys are what it needs; None when it needs selecting first
        (a label key, the resize keys, or its filler decided first)."""
        if s is None:
            return None
        verdict = self.verdict(s, have)
        if verdict == "relabel" or (verdict == "reject" and s.kind == "span" and any(
                g[0] < s.end and s.start < g[1] for g in manual)):
            return None
        return s if self._filler_first(s, items, have, dry=True) is s else None

    def _filler_first(self, s: Any, items: list[Any], have: set[Key3],
                      dry: bool = False) -> Any:
        """An argument suggestion whose filler is a span suggestion to relabel, resize or
        reject: that span is decided first (``K`` to it: it comes right after its
        arguments), as a person fixes the filler before the role (a rejected argument
        would stay rejected once its filler is right)."""
        if s.kind != "argument":
            return s
        filler = next((a.filler_id for e in self.w.project.annotations(s.doc_id).events
                       for a in e.arguments if a.id == s.id), None)
        span = next((x for x in items if x.kind == "span" and x.id == filler), None)
        if span is None or self.verdict(span, have) == "accept":
            return s
        if dry:  # only asked whether the filler comes first
            return span
        actions = self._actions()
        self.kind = "span"  # keys spent on deciding the span
        for _ in range(12):
            self.press("K")
            chosen = actions.selected()
            if chosen is not None and chosen.id == span.id:
                return chosen
        return actions.selected() or s

    def resize(self, s: Any, manual: list[Key3]) -> bool:
        """A span suggestion a few token moves away from a missing gold span that overlaps
        it: its boundaries moved by the grow/shrink keys (an edit accepts it), then the
        label key when gold's label differs. Taken when that is at most RESIZE_KEYS presses
        (an X and the span added by hand cost more)."""
        doc = self.w.project.document(s.doc_id)
        starts = [a for a, _b in doc.tokens]
        ends = [b for _a, b in doc.tokens]
        for g in manual:
            if not (g[0] < s.end and s.start < g[1]) or g[0] not in starts or \
                    g[1] not in ends:
                continue
            moves = (sum(1 for a in starts if min(g[0], s.start) < a <= max(g[0], s.start))
                     + sum(1 for b in ends if min(g[1], s.end) <= b < max(g[1], s.end)))
            if moves + (g[2] != s.label) > RESIZE_KEYS:
                continue
            span_id = s.id
            for _ in range(2 * moves + 2):
                now = self.w.project.span(span_id)
                if now.start == g[0] and now.end == g[1]:
                    break
                if now.start != g[0]:
                    self.press("Ctrl+Alt+Shift+Left" if g[0] < now.start
                               else "Ctrl+Alt+Shift+Right")
                else:
                    self.press("Ctrl+Alt+Right" if g[1] > now.end else "Ctrl+Alt+Left")
            now = self.w.project.span(span_id)
            if (now.start, now.end) != g[:2]:
                self.press("Delete")  # could not: gone again, added by hand later
                return True
            if now.label != g[2]:
                self.press(self.label_key(g[2]))
            return True
        return False

    def _count(self, s: Any, verdict: str) -> None:
        outcome = {"accept": "accepted", "relabel": "relabelled", "reject": "rejected",
                   "resize": "resized"}[verdict]
        self.by_source[(f"{source_kind(s.source)} ({s.kind})", outcome)] += 1

    def add(self, item: tuple[Any, ...]) -> bool:
        """A gold annotation no suggestion proposes, made by hand: a span, an event (its
        trigger and type), an argument or a relation (``keystroke_links``)."""
        kind = item[0] if isinstance(item[0], str) else "span"
        self.kind = kind
        before = self.presses
        if kind == "span":
            made = self._select(item[0], item[1])
            if made:
                self.press(self.label_key(item[2]))
        else:
            made = self.add_event(item) if kind == "event" else self.add_link(item)
        self.by_hand[kind] += made
        self.by_hand_keys[kind] += self.presses - before
        return made

    def _by_runs(self, start: int, end: int) -> bool:
        """``U`` as often as needed when the span is an unlabelled capitalised or numeric
        run and that takes fewer presses than token moves (as a person sees on screen)."""
        from annotator.core.runs import unlabelled_runs

        w = self.w
        project, doc_id = w.project, w.current_doc
        doc = project.document(doc_id)
        covered = [(s.start, s.end) for s in project.spans(doc_id) if s.status != "rejected"]
        _s, caret = w.view.text_selection()
        ahead = [r for r in unlabelled_runs(doc.text, doc.tokens, doc.sentences, covered)
                 if r[0] >= caret]
        if (start, end) not in ahead:
            return False
        presses = ahead.index((start, end)) + 1
        tokens = sum(1 for a, _b in doc.tokens if caret <= a <= start)
        if presses > tokens:
            return False
        for _ in range(presses):
            self.press("U")
        return w.view.text_selection() == (start, end)

    def _words(self, a: int, b: int) -> int:
        """Word tokens (``Alt+Right`` skips the punctuation-only ones) starting in [a, b]."""
        doc_id = self.w.current_doc
        if self._word_starts[0] != doc_id:
            doc = self.w.project.document(doc_id)
            self._word_starts = (doc_id, [s for s, e in doc.tokens
                                          if any(c.isalnum() for c in doc.text[s:e])])
        starts = self._word_starts[1]
        return bisect_right(starts, b) - bisect_left(starts, a)

    def _token_moves(self, sel: tuple[int, int], start: int) -> int:
        """``Alt+Right``/``Alt+Left`` presses from the selection ``sel`` to the token at
        ``start`` (from a selection, the next token starts at or after its end)."""
        s, e = sel
        if s <= start < max(e, s + 1):
            return 0
        if start > s:
            return self._words(e, start)
        return self._words(start, s - 1)

    def _via_tab(self, start: int, end: int) -> str | None:
        """A span to go to first by ``Tab``/``Shift+Tab`` when that and the token moves from
        it take fewer presses than token moves from here (the caret left far off, e.g. by
        ``Y`` going on to a suggestion past the missing span): its id, else None."""
        view = self.w.view
        order = view._state.index.ordered()
        ids = [x[2] for x in order]
        if not ids:
            return None
        direct = self._token_moves(view.text_selection(), start)
        current = view._state.selected_span()
        n = len(ids)
        if current in ids:
            here = ids.index(current)
            first = here + 1
        else:
            first = bisect_left(order, (view.text_selection()[0], -(10 ** 12), ""))
            here = None
        best: tuple[int, str] | None = None
        for at, (a, neg_end, ident) in enumerate(order):
            if ident == current or (a < end and start < -neg_end):
                continue  # a span over the missing one selects more than its tokens
            if here is not None:
                tabs = min((at - here) % n, (here - at) % n)
            else:
                tabs = min((at - first) % n + 1, (first - 1 - at) % n + 1)
            cost = tabs + self._token_moves((a, -neg_end), start)
            if best is None or cost < best[0]:
                best = (cost, ident)
        return best[1] if best is not None and best[0] < direct else None

    def _select(self, start: int, end: int) -> bool:
        view = self.w.view
        if self._by_runs(start, end):
            return True
        via = self._via_tab(start, end)
        if via is not None:
            self.tab_to(via)
        for _ in range(400):
            s, e = view.text_selection()
            if s == start or (s < start < e):
                break
            self.press("Alt+Right" if s < start else "Alt+Left")
        else:
            return False
        for _ in range(40):
            s, e = view.text_selection()
            if e >= end or s != start:
                break
            self.press("Alt+Shift+Right")
        if view.text_selection() != (start, end):
            self._by_characters(start, end)
        return view.text_selection() == (start, end)

    def _by_characters(self, start: int, end: int) -> None:
        """Gold that does not follow the tokens: the caret by characters, then Shift+Right
        (snapping leaves a character selection as it is)."""
        view = self.w.view
        s, e = view.text_selection()
        caret = e
        if s != e:  # an arrow first collapses the token selection to one of its ends
            self.press("Left" if start < e else "Right")
            caret = view.text_selection()[1]
        for _ in range(200):
            if caret == start:
                break
            self.press("Right" if caret < start else "Left")
            caret = view.text_selection()[1]
        for _ in range(200):
            if view.text_selection()[1] >= end:
                break
            self.press("Shift+Right")


@dataclass
class Run:
    presses: int
    unreachable: int
    reached: bool
    bot: Annotator


def run_window(path: Path, target: Target, *, suggestions: bool, document: str = SEED
               ) -> Run:
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

    Settings().live_dictionary = suggestions
    w = MainWindow(Settings(), annotator_name="bench", annotation_set="gold")
    w.open_project(str(path), document=document)
    w.show()
    w.activateWindow()
    w.view.setFocus()
    QApplication.processEvents()
    bot = Annotator(w, target)
    if w.view.text_selection() != (0, 0):
        bot.press("Ctrl+Home")
    unreachable = bot.work()
    got = gold_of(w.project, w.current_doc or "")
    w.close()
    reached = (got.spans, got.triggers, sorted(got.events), sorted(got.links, key=str)) == (
        target.spans, target.triggers, sorted(target.events), sorted(target.links, key=str))
    return Run(bot.presses, unreachable, reached, bot)


def report(name: str, run: Run, target: Target) -> list[str]:
    bot = run.bot
    n = sum(target.count(k) for k in KINDS)
    lines = [f"{name}: {run.presses} presses, {run.presses / n:.2f} per gold annotation"
             + ("" if run.reached else " (gold NOT reached)")
             + (f", {run.unreachable} annotation(s) not reachable by keyboard"
                if run.unreachable else "")]
    lines.append("  per kind: " + ", ".join(
        f"{k} {bot.by_kind[k]:.0f} presses / {target.count(k)} = "
        f"{bot.by_kind[k] / target.count(k):.2f}" for k in KINDS if target.count(k)))
    lines.append("  keys: " + ", ".join(f"{k} {c}" for k, c in bot.by_key.most_common()))
    for kind in KINDS:
        if bot.by_hand[kind]:
            lines.append(f"  {kind}s no suggestion proposed, made by hand: "
                         f"{bot.by_hand[kind]} ({bot.by_hand_keys[kind]} presses, "
                         f"{bot.by_hand_keys[kind] / bot.by_hand[kind]:.2f} each)")
    for key, message in bot.refused:
        lines.append(f"  refused by the window: {key}: {message}")
    sources = sorted({src for src, _o in bot.by_source})
    for src in sources:
        counts = {o: bot.by_source[(src, o)]
                  for o in ("accepted", "relabelled", "resized", "rejected")}
        lines.append(f"  {src}: " + ", ".join(f"{o} {c}" for o, c in counts.items() if c))
    return lines


def isolate_settings(folder: Path) -> None:
    """The window's settings in ``folder``, not the user's (``run_window`` turns the live
    gold dictionary on for the run with suggestions and waits for its job after each key,
    so the figures do not depend on the machine's speed)."""
    from PySide6.QtCore import QSettings

    from annotator.gui.settings import Settings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    Settings().live_dictionary = False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--steps", type=int, default=400, help="training steps of the pipeline")
    ap.add_argument("--model", help="also an installed pipeline (package name or folder)")
    ap.add_argument("--only", choices=("without", "with"),
                    help="one run only (the other is not made: no ratio printed)")
    args = ap.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp())
    isolate_settings(tmp / "settings")
    try:
        for name in ("plain", "helped"):
            (tmp / name).mkdir()
        plain, target = prepare(tmp / "plain")
        helped, _ = prepare(tmp / "helped")
        n = sum(target.count(k) for k in KINDS)
        print(f"gold of {SEED}: {n} annotations: " + ", ".join(
            f"{target.count(k)} {k}s" for k in KINDS)
            + f" (an event is its trigger and type; {len(target.triggers)} triggers)")
        runs = {}
        if args.only != "with":
            runs["without"] = run_window(plain, target, suggestions=False)
            print("\n".join(report("without suggestions", runs["without"], target)))
        if args.only != "without":
            print(add_suggestions(helped, tmp, args.steps, args.model))
            runs["with"] = run_window(helped, target, suggestions=True)
            print("\n".join(report("with suggestions", runs["with"], target)))
        if len(runs) == 2:
            without, with_ = runs["without"], runs["with"]
            print(f"presses with / without suggestions: "
                  f"{with_.presses / without.presses:.2f} (issue #12's target: at most 1.5 "
                  f"presses per gold annotation with suggestions; here "
                  f"{with_.presses / n:.2f})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        del app


if __name__ == "__main__":
    main()
