"""Key presses per gold annotation, with and without suggestions, in the real main window.

A scripted annotator reaches the gold entity and value spans of the demo's seed article
(``russia-nato-meeting``) by keyboard in ``MainWindow`` (offscreen, real key events through
``QTest``), on two copies of the demo project whose seed article was emptied:

* without suggestions: every span is added by ``U`` (next unlabelled capitalised or numeric
  run) when that is the shorter way, else ``Alt+Right`` to its first token and
  ``Alt+Shift+Right`` to its last; then the label key;
* with suggestions from a pipeline trained on the other ten demo articles (``Train model``'s
  steps; its entities scored and those below the window's default floor,
  ``DEFAULT_MIN_MODEL_SCORE``, left out, as Annotate > Suggest does) plus the gold dictionary (and ``--model``, an installed pipeline, when given): ``K``
  goes to the first suggestion, then ``Y`` accepts what gold has (and moves on), ``X``
  rejects what it has not, a label key relabels a suggestion gold has with another label
  (then ``K``), and what is still missing is added as above.

Both copies end with exactly the gold spans (checked). Printed: presses per gold span in
each run and their ratio (issue #12: at most 1.5 with suggestions). Events, arguments and
relations are not scripted (the sources here propose spans only).

    python bench/bench_keystrokes.py [--steps 400] [--model PACKAGE_OR_FOLDER]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

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


def prepare(folder: Path) -> tuple[Path, list[Key3]]:
    """A copy of the demo with the seed article emptied; returns it and the seed's gold."""
    path = folder / "demo.annproj"
    shutil.copyfile(DEMO, path)
    with annotator.open_project(path, annotator="bench") as p:
        p.annotation_set = "gold"
        doc = p.document_by_name(SEED)
        ann = p.annotations(doc.id)
        gold = sorted((s.start, s.end, s.label) for s in ann.spans if s.kind != "trigger")
        with p.compound("Empty the seed article"):
            for s in ann.spans:
                if p._store.get_row("spans", s.id) is not None:
                    p.delete_span(s.id)
        p.set_status(doc.id, "new")
    return path, gold


def add_suggestions(path: Path, folder: Path, steps: int, model: str | None) -> str:
    from annotator.gui.settings import DEFAULT_MIN_MODEL_SCORE
    from annotator.gui.suggestions import train_job
    from annotator.nlp.gold_dictionary import GoldDictionary
    from annotator.nlp.label_maps import build_mapping
    from annotator.nlp.spacy_sources import PipelineSource
    from annotator.nlp.suggest import Source, run_sources

    with annotator.open_project(path, annotator="bench") as p:
        p.annotation_set = "gold"
        trained = train_job(folder / "models", steps)(p, lambda *_: True).model
        known = set(p.schema.span_labels())
        dictionary = GoldDictionary.from_project(p)
        dictionary.triggers.clear()  # spans only (see the module docstring)
        dictionary.relations.clear()
        # as the window's Suggest does: entities scored by the beam, the setting's floor
        floor = DEFAULT_MIN_MODEL_SCORE
        sources: list[Source] = [PipelineSource(trained, build_mapping(known), ner_scores=True,
                                                min_score=floor), dictionary]
        if model:
            sources.append(PipelineSource(model, build_mapping(known), ner_scores=True,
                                          min_score=floor))
        doc = p.document_by_name(SEED)
        rep = run_sources(p, sources, [doc.id], arguments=False)
        return rep.summary()


class Annotator:
    """Presses keys in the window and counts them."""

    def __init__(self, window: object) -> None:
        self.w = window
        self.presses = 0
        self.by_key: Counter[str] = Counter()  # what the presses were spent on

    def press(self, spec: str) -> None:
        combo = QKeySequence(spec)[0]
        target = QApplication.focusWidget() or self.w.view  # type: ignore[attr-defined]
        QTest.keyClick(target, combo.key(), combo.keyboardModifiers())
        QApplication.processEvents()
        self.presses += 1
        self.by_key[spec if len(spec) > 1 or spec in "KYXU" else "label"] += 1

    def label_key(self, label: str) -> str:
        schema = self.w.project.schema  # type: ignore[attr-defined]
        t = schema.entity_type(label) or schema.value_type(label)
        return label_shortcut(t.hotkey if t else "")

    def review(self, gold: list[Key3]) -> None:
        from annotator.gui.suggestions import suggestions_of

        actions = suggestions_of(self.w)  # type: ignore[arg-type]
        if not actions._open():
            return
        self.press("K")
        by_offsets = {(s, e): label for s, e, label in gold}
        for _ in range(2000):
            s = actions.selected()
            if s is None:
                break
            key = (s.start, s.end, s.label)
            if key in gold:
                self.press("Y")
            elif s.kind == "span" and (s.start, s.end) in by_offsets:
                self.press(self.label_key(by_offsets[(s.start, s.end)]))
                if not actions._open():
                    break
                self.press("K")
            else:
                self.press("X")

    def _by_runs(self, start: int, end: int) -> bool:
        """``U`` as often as needed when the span is an unlabelled capitalised or numeric
        run and that takes fewer presses than token moves (as a person sees on screen)."""
        from annotator.core.runs import unlabelled_runs

        w = self.w
        project, doc_id = w.project, w.current_doc  # type: ignore[attr-defined]
        doc = project.document(doc_id)
        covered = [(s.start, s.end) for s in project.spans(doc_id) if s.status != "rejected"]
        _s, caret = w.view.text_selection()  # type: ignore[attr-defined]
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
        return w.view.text_selection() == (start, end)  # type: ignore[attr-defined]

    def add_missing(self, gold: list[Key3]) -> int:
        """Add the gold spans not there yet by keyboard; returns how many could not be
        reached by token moves (their offsets are not token boundaries)."""
        w = self.w
        project, doc_id = w.project, w.current_doc  # type: ignore[attr-defined]
        have = {(s.start, s.end, s.label) for s in project.spans(doc_id)
                if s.status == "gold"}
        unreachable = 0
        todo = [g for g in gold if g not in have]
        if todo:
            self.press("Ctrl+Home")  # from the top, forward
        for start, end, label in todo:
            if not self._select(start, end):
                unreachable += 1
                continue
            self.press(self.label_key(label))
        return unreachable

    def _select(self, start: int, end: int) -> bool:
        view = self.w.view  # type: ignore[attr-defined]
        if self._by_runs(start, end):
            return True
        for _ in range(400):
            s, _e = view.text_selection()
            if s == start:
                break
            self.press("Alt+Right" if s < start else "Alt+Left")
        else:
            return False
        for _ in range(40):
            s, e = view.text_selection()
            if e >= end or s != start:
                break
            self.press("Alt+Shift+Right")
        return view.text_selection() == (start, end)


def run_window(path: Path, gold: list[Key3], *, suggestions: bool
               ) -> tuple[int, int, bool, Counter[str]]:
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

    w = MainWindow(Settings(), annotator_name="bench", annotation_set="gold")
    w.open_project(str(path), document=SEED)
    w.show()
    w.activateWindow()
    w.view.setFocus()
    QApplication.processEvents()
    bot = Annotator(w)
    if suggestions:
        bot.review(gold)
    unreachable = bot.add_missing(gold)
    got = sorted((s.start, s.end, s.label) for s in w.project.spans(w.current_doc)
                 if s.status == "gold")
    w.close()
    return bot.presses, unreachable, got == gold, bot.by_key


def isolate_settings(folder: Path) -> None:
    """The window's settings in ``folder``, not the user's; the live gold dictionary off
    (its background job would land at a moment that depends on the machine's speed)."""
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
        plain, gold = prepare(tmp / "plain")
        helped, _ = prepare(tmp / "helped")
        summary = add_suggestions(helped, tmp, args.steps, args.model)
        print(summary)
        n = len(gold)
        without, lost_a, ok_a, keys_a = run_window(plain, gold, suggestions=False)
        with_, lost_b, ok_b, keys_b = run_window(helped, gold, suggestions=True)
        print(f"gold spans of {SEED}: {n}")
        print(f"without suggestions: {without} presses, {without / n:.2f} per span"
              f"{'' if ok_a else ' (gold not reached)'}"
              f"{f', {lost_a} not reachable by token moves' if lost_a else ''}")
        print(f"with suggestions:    {with_} presses, {with_ / n:.2f} per span"
              f"{'' if ok_b else ' (gold not reached)'}"
              f"{f', {lost_b} not reachable by token moves' if lost_b else ''}")
        for what, keys in (("without", keys_a), ("with", keys_b)):
            print(f"  keys {what}: " + ", ".join(f"{k} {n}" for k, n in keys.most_common()))
        print(f"presses with / without suggestions: {with_ / without:.2f} (issue #12's "
              f"target: at most 1.5 presses per span with suggestions; here {with_ / n:.2f})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        del app


if __name__ == "__main__":
    main()
