"""Key presses per gold annotation, with and without suggestions, in the real main window.

A scripted annotator reaches the gold entity and value spans of the demo's seed article
(``russia-nato-meeting``) by keyboard in ``MainWindow`` (offscreen, real key events through
``QTest``), on two copies of the demo project whose seed article was emptied. It works
through the article in text order, as a person reads it, deciding what is on screen:

* the next open suggestion is decided first when it starts no later than the next missing
  gold span (else that span is added first). ``K`` selects it when it is not selected
  already (``Y``, ``X``, a label key, ``Shift+Y`` and ``Shift+X`` go on to the next one
  themselves); ``Y`` accepts what gold has; a label key accepts a span suggestion whose
  extent gold has, with gold's label; the grow/shrink keys move the boundaries of one that
  overlaps a missing gold span when that and the label key take at most ``RESIZE_KEYS``
  presses (an edit accepts it); ``X`` rejects the rest. When every suggestion left in the
  sentence is right (or every one wrong), and no span is missing after the selected one in
  that sentence, ``Shift+Y`` (``Shift+X``) decides them at once;
* a gold span no suggestion proposes is added: ``U`` (next unlabelled capitalised or
  numeric run) when that is the shorter way, else ``Alt+Right``/``Alt+Left`` to its first
  token and ``Alt+Shift+Right`` to its last (character keys where gold does not follow the
  tokens); then the label key.

Without suggestions only the second kind happens (the live gold dictionary is off). With
suggestions the seed article first gets what Annotate > Suggest in this document gives
after Train model (the gold dictionary, the event arguments and a pipeline trained on the
ten other demo articles, entities under ``DEFAULT_MIN_MODEL_SCORE`` left out; plus
``--model``, an installed pipeline, when given), and the live gold dictionary (Annotate >
Suggest from gold as I work, on by default) proposes each text the annotator labels at its
later occurrences; the script waits for that background job after each key, as a person
reading the next sentence would. Event, relation and argument suggestions are decided by
the same keys (``Y`` when the seed's gold has them, else ``X``), counted apart.

Both copies end with exactly the gold spans (checked). Printed: presses per gold span in
each run, where they went (per key; per source and kind: accepted as proposed, relabelled,
resized, rejected; the spans no source proposed and what adding them cost), and the ratio
(issue #12: at most 1.5 with suggestions).

    python bench/bench_keystrokes.py [--steps 400] [--model PACKAGE_OR_FOLDER]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
    """What the seed article's gold holds: spans (the target) and the keys of its events,
    relations and arguments (to decide such suggestions as a person would)."""

    spans: list[Key3]
    others: set[tuple[Any, ...]] = field(default_factory=set)


def prepare(folder: Path) -> tuple[Path, Target]:
    """A copy of the demo with the seed article emptied; returns it and the seed's gold."""
    path = folder / "demo.annproj"
    shutil.copyfile(DEMO, path)
    with annotator.open_project(path, annotator="bench") as p:
        p.annotation_set = "gold"
        doc = p.document_by_name(SEED)
        ann = p.annotations(doc.id)
        by_id = {s.id: (s.start, s.end, s.label) for s in ann.spans}
        target = Target(sorted(by_id[s.id] for s in ann.spans if s.kind != "trigger"))
        for e in ann.events:
            target.others.add(("event", by_id[e.trigger_id][:2], e.type))
            for a in e.arguments:
                if a.filler_id in by_id:
                    target.others.add(("argument", by_id[e.trigger_id][:2], e.type, a.role,
                                       by_id[a.filler_id]))
        for r in ann.relations:
            target.others.add(("relation", by_id[r.head_id], by_id[r.tail_id], r.type))
        with p.compound("Empty the seed article"):
            for s in ann.spans:
                if p._store.get_row("spans", s.id) is not None:
                    p.delete_span(s.id)
        p.set_status(doc.id, "new")
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


class Annotator:
    """Presses keys in the window and counts them (see the module docstring)."""

    def __init__(self, window: Any, target: Target) -> None:
        self.w = window
        self.target = target
        self.gold = set(target.spans)
        self.presses = 0
        self.by_key: Counter[str] = Counter()  # what the presses were spent on
        self.by_source: Counter[tuple[str, str]] = Counter()  # (source, outcome)
        self.other_presses = 0.0  # on event, relation and argument suggestions
        self.by_hand = 0
        self.by_hand_keys = 0

    # ---- keys ----------------------------------------------------------------------------
    def press(self, spec: str) -> None:
        combo = cast(Any, QKeySequence(spec))[0]  # a QKeyCombination; the stubs lack []
        target = QApplication.focusWidget() or self.w.view
        QTest.keyClick(target, combo.key(), combo.keyboardModifiers())
        QApplication.processEvents()
        self.settle()
        self.presses += 1
        kind = "label" if len(spec) == 1 and spec not in "KYXU" else spec
        self.by_key["moves" if spec in MOVES else kind] += 1

    def settle(self) -> None:
        """Wait for the live gold dictionary's background job (debounce, then the job)."""
        from annotator.gui.live_dictionary import live_dictionary_of

        live = live_dictionary_of(self.w)
        for _ in range(3000):
            if not (live.timer.isActive() or live.running):
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

    def _key(self, s: Any) -> tuple[Any, ...]:
        """A suggestion as the target names it."""
        p = self.w.project
        if s.kind == "span":
            return ("span", s.start, s.end, s.label)
        if s.kind == "event":
            return ("event", (s.start, s.end), s.label)
        ann = p.annotations(s.doc_id)
        spans = {x.id: (x.start, x.end, x.label) for x in ann.spans}
        if s.kind == "relation":
            r = p.relation(s.id)
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
        spans could not be selected by keyboard."""
        unreachable: set[Key3] = set()
        for _ in range(5000):
            have = self._have()
            items = self._actions()._open()
            proposed = {(s.start, s.end) for s in items if s.kind == "span"}
            manual = [g for g in self.target.spans if g not in have and g not in unreachable
                      and g[:2] not in proposed]
            if not items and not manual:
                break
            chosen = self._actions().selected()
            caret = self.w.view.text_selection()[0]
            upcoming = chosen or next((s for s in items if s.start >= caret), None)
            if items and (not manual or (upcoming is not None
                                         and upcoming.start <= manual[0][0])):
                self.review(items, manual, have)
            elif not self.add(manual[0]):
                unreachable.add(manual[0])
        return len(unreachable)

    def review(self, items: list[Any], manual: list[Key3], have: set[Key3]) -> None:
        """Decide the selected suggestion (``K`` first when none is selected)."""
        actions = self._actions()
        s = actions.selected()
        if s is None:
            self.press("K")
            s = actions.selected()
        if s is None:
            raise RuntimeError("K selects no suggestion")
        a, b = self.w.project.sentence_of(s.doc_id, s.start)
        order = [(x.start, x.end, x.kind, x.id) for x in items]
        here = order.index((s.start, s.end, s.kind, s.id))
        rest = [x for x in items[here:] if a <= x.start < b]
        verdicts = [self.verdict(x, have) for x in rest]
        missing_after = any(s.start <= g[0] < b for g in manual)
        if len(rest) > 1 and not missing_after and set(verdicts) in ({"accept"}, {"reject"}):
            self.press("Shift+Y" if verdicts[0] == "accept" else "Shift+X")
            for x, v in zip(rest, verdicts, strict=True):
                self._count(x, v, 1 / len(rest))
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
        self._count(s, v, 1)

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

    def _count(self, s: Any, verdict: str, presses: float) -> None:
        outcome = {"accept": "accepted", "relabel": "relabelled", "reject": "rejected",
                   "resize": "resized"}[verdict]
        self.by_source[(f"{source_kind(s.source)} ({s.kind})", outcome)] += 1
        if s.kind != "span":
            self.other_presses += presses

    def add(self, g: Key3) -> bool:
        before = self.presses
        if not self._select(g[0], g[1]):
            return False
        self.press(self.label_key(g[2]))
        self.by_hand += 1
        self.by_hand_keys += self.presses - before
        return True

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

    def _select(self, start: int, end: int) -> bool:
        view = self.w.view
        if self._by_runs(start, end):
            return True
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


def run_window(path: Path, target: Target, *, suggestions: bool) -> Run:
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

    Settings().live_dictionary = suggestions
    w = MainWindow(Settings(), annotator_name="bench", annotation_set="gold")
    w.open_project(str(path), document=SEED)
    w.show()
    w.activateWindow()
    w.view.setFocus()
    QApplication.processEvents()
    bot = Annotator(w, target)
    if w.view.text_selection() != (0, 0):
        bot.press("Ctrl+Home")
    unreachable = bot.work()
    got = sorted(bot._have())
    w.close()
    return Run(bot.presses, unreachable, got == target.spans, bot)


def report(name: str, run: Run, n: int) -> list[str]:
    bot = run.bot
    lines = [f"{name}: {run.presses} presses, {run.presses / n:.2f} per gold span"
             + ("" if run.reached else " (gold NOT reached)")
             + (f", {run.unreachable} span(s) not reachable by keyboard"
                if run.unreachable else "")]
    lines.append("  keys: " + ", ".join(f"{k} {c}" for k, c in bot.by_key.most_common()))
    lines.append(f"  spans no suggestion proposed, added by hand: {bot.by_hand} "
                 f"({bot.by_hand_keys} presses, {bot.by_hand_keys / max(bot.by_hand, 1):.2f} "
                 "each)")
    sources = sorted({src for src, _o in bot.by_source})
    for src in sources:
        counts = {o: bot.by_source[(src, o)]
                  for o in ("accepted", "relabelled", "resized", "rejected")}
        lines.append(f"  {src}: " + ", ".join(f"{o} {c}" for o, c in counts.items()))
    if bot.other_presses:
        lines.append(f"  presses on event, relation and argument suggestions: "
                     f"{bot.other_presses:.0f} (span presses alone: "
                     f"{(run.presses - bot.other_presses) / n:.2f} per gold span)")
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
    args = ap.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp())
    isolate_settings(tmp / "settings")
    try:
        for name in ("plain", "helped"):
            (tmp / name).mkdir()
        plain, target = prepare(tmp / "plain")
        helped, _ = prepare(tmp / "helped")
        print(add_suggestions(helped, tmp, args.steps, args.model))
        n = len(target.spans)
        without = run_window(plain, target, suggestions=False)
        with_ = run_window(helped, target, suggestions=True)
        print(f"gold spans of {SEED}: {n}")
        for line in (report("without suggestions", without, n)
                     + report("with suggestions", with_, n)):
            print(line)
        print(f"presses with / without suggestions: {with_.presses / without.presses:.2f} "
              f"(issue #12's target: at most 1.5 presses per span with suggestions; here "
              f"{with_.presses / n:.2f})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        del app


if __name__ == "__main__":
    main()
