"""Suggestions in the window: moving from one open suggestion to the next, accepting and
rejecting the selected one (a suggested argument with the same key), accepting all in the
sentence or the document, and Annotate > Suggest / Train model as background jobs.

The actions follow the window without hooks in it (like curation): the keys and menu entries
come from ``keymap`` and ``actions``; the object is made on first use as a child of the
window (``suggestions_of``). Accepting and rejecting go through the window's project, so each
is one undo step; a suggestion job writes through a worker connection, reading the document
inside each write, so what the annotator does meanwhile wins (``core.ops.suggest_write``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.progress import Cancelled, ProgressFn
from annotator.core.project import Project
from annotator.core.suggestions import Suggestion
from annotator.gui.workers import Job, JobRunner

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

MODEL_META = "suggest_model"  # project_meta: the pipeline Train model made, used by Suggest
Order = tuple[int, int, str, str]  # (start, end, kind, id): text order of the suggestions
_LAST = 1 << 62  # after every suggestion that starts at the same place


def _order(s: Suggestion) -> Order:
    return s.start, s.end, s.kind, s.id


def add_after_train_model(window: MainWindow, act: QAction) -> None:
    """Put ``act`` right after Annotate > Train model (the model-in-the-loop settings sit
    together there: Retrain after every N done, Suggest from gold as I work)."""
    train = window.actions_.get("train_model")
    for menu in window.menuBar().findChildren(QMenu):
        if train is not None and train in menu.actions():
            after = menu.actions()[menu.actions().index(train) + 1:]
            if after:
                menu.insertAction(after[0], act)
            else:
                menu.addAction(act)


def suggestions_of(window: MainWindow) -> SuggestionActions:
    """The window's suggestion actions (made on first use, a child of the window)."""
    found = window.findChild(QObject, "suggestionActions")
    return found if isinstance(found, SuggestionActions) else SuggestionActions(window)


class SuggestionActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("suggestionActions")
        self.window = window
        self.current: Suggestion | None = None  # the suggestion last moved to
        self.runner: JobRunner | None = None
        self.last_report = ""
        self.train_steps = 400  # Train model: spaCy steps (a small project needs few)
        self.followed: Project | None = None
        self.newly_done: set[str] = set()  # marked done since the last training
        self._order_connected = False

    # ---- the model in the loop -----------------------------------------------------------
    def attach(self, project: Project) -> None:
        """Follow ``project`` (the window just opened it): after every N documents newly
        marked done (the setting ``retrain_every``; 0 is off) the model is trained again."""
        if self.followed is not None:
            self.followed.unsubscribe(self._on_changes)
        self.followed, self.newly_done = project, set()
        project.subscribe(self._on_changes)
        self._retrain_entry()
        if not self._order_connected:
            self.window.doclist.orderChanged.connect(self.order_documents)
            self._order_connected = True
        self.window.doclist.set_uncertainty(None)

    def order_documents(self, order: str) -> None:
        """The document list's order: "uncertainty" (least confident first by the lowest,
        then the mean score of the trained model's open suggestions; documents without
        them last) or "" (as listed)."""
        w = self.window
        if order != "uncertainty" or w.project is None:
            w.doclist.set_uncertainty(None)
            return
        model = w.project.meta_value(MODEL_META)
        scores = w.project.suggestion_scores(model) if model else {}
        if not scores:
            w.doclist.set_uncertainty(None)
            w.message("no scored suggestions of a trained model: Train model (Ctrl+Alt+M), "
                      "then Suggest in all documents (Ctrl+Alt+Shift+G)", 10000)
            return
        w.doclist.set_uncertainty(scores)
        w.message(f"documents by uncertainty: {len(scores)} with the model's suggestions "
                  "first, least confident first", 8000)

    def _on_changes(self, changes: Changes) -> None:
        every = self.window.settings.retrain_every
        project = self.window.project
        if not changes.documents or every <= 0 or project is not self.followed or not project:
            return
        for doc_id in changes.documents:
            if project.status(doc_id) == "done":
                self.newly_done.add(doc_id)
            else:
                self.newly_done.discard(doc_id)
        if len(self.newly_done) >= every and not (self.runner and self.runner.running):
            self.newly_done.clear()
            QTimer.singleShot(0, self._retrain)  # after the edit's own notification

    def _retrain(self) -> None:
        if self.train() is not None:
            self.window.message("training again after "
                                f"{self.window.settings.retrain_every} newly done documents")

    def _retrain_entry(self) -> None:
        """Annotate > Retrain after every N done documents… (once, after Train model)."""
        w = self.window
        if w.findChild(QAction, "action_retrain_every") is not None:
            return
        act = QAction("Retrain after every N done documents…", w)
        act.setObjectName("action_retrain_every")
        act.triggered.connect(self.ask_retrain_every)
        add_after_train_model(w, act)

    def ask_retrain_every(self) -> None:
        w = self.window
        n, ok = QInputDialog.getInt(w, "Model in the loop", "Train the model again after "
                                    "every N documents newly marked done (0: never):",
                                    w.settings.retrain_every, 0, 10_000)
        if ok:
            w.settings.retrain_every = n

    # ---- moving and choosing -------------------------------------------------------------
    def _open(self) -> list[Suggestion]:
        w = self.window
        doc_id = w.current_doc
        if w.project is None or doc_id is None:
            return []
        return w.project.suggestions(doc_id)

    def step(self, direction: int) -> Suggestion | None:
        """Select the next (+1) or previous (-1) open suggestion after the caret/selection."""
        items = self._open()
        if not items:
            self.current = None
            self.window.message("no open suggestions in this document")
            return None
        here = self._position()
        if direction > 0:
            after = [s for s in items if _order(s) > here]
            target = after[0] if after else items[0]
        else:
            before = [s for s in items if _order(s) < here]
            target = before[-1] if before else items[-1]
        self._select(target)
        return target

    def _position(self) -> Order:
        """Where K and Shift+K start from, in the order of ``Project.suggestions``."""
        cur = self.current
        sel = self.window.view.selected_annotation()
        if cur is not None and sel is not None and sel == self._selectable(cur):
            return _order(cur)
        start, _end = self.window.view.text_selection()
        return (start, -1, "", "") if sel is None else (start, _LAST, "", "")

    def _selectable(self, s: Suggestion) -> tuple[str, str]:
        """What the view selects for a suggestion: an argument shows its filler span."""
        if s.kind != "argument":
            return s.kind, s.id
        project = self.window.project
        assert project is not None
        for ev in project.annotations(s.doc_id).events:
            for a in ev.arguments:
                if a.id == s.id:
                    return "span", a.filler_id
        return "span", s.id

    def _select(self, s: Suggestion) -> None:
        self.current = s
        kind, ident = self._selectable(s)
        self.window.view.select_annotation(kind, ident)
        score = "" if s.score is None else f", score {s.score:.2f}"
        self.window.message(f"suggestion: {s.label} from {s.source}{score} "
                            "(Y accept, X reject, K next)", 8000)

    def selected(self) -> Suggestion | None:
        """The open suggestion the selection shows (the one moved to first)."""
        sel = self.window.view.selected_annotation()
        if sel is None:
            return None
        items = self._open()
        if self.current is not None and self._selectable(self.current) == sel:
            return next((s for s in items if s.id == self.current.id), None)
        kind, ident = sel
        direct = next((s for s in items if (s.kind, s.id) == (kind, ident)), None)
        if direct is not None:
            return direct
        if kind == "span":  # a trigger shows its event; a filler its suggested argument
            return next((s for s in items if self._selectable(s) == sel
                         or (s.kind == "event" and self._trigger_of(s) == ident)), None)
        return None

    def _trigger_of(self, s: Suggestion) -> str:
        project = self.window.project
        assert project is not None
        return project.event(s.id).trigger_id

    def next_unlabelled(self) -> tuple[int, int] | None:
        """Select the next unlabelled capitalised or numeric run after the caret (where a
        missing name, date or number usually is; ``core.runs``)."""
        from annotator.core.runs import next_unlabelled_run

        w = self.window
        doc_id = w.current_doc
        if w.project is None or doc_id is None:
            return None
        doc = w.project.document(doc_id)
        covered = [(s.start, s.end) for s in w.project.spans(doc_id) if s.status != "rejected"]
        _start, end = w.view.text_selection()
        run = next_unlabelled_run(doc.text, doc.tokens, doc.sentences, covered, end)
        if run is None:
            w.message("no unlabelled capitalised or numeric run after the caret")
            return None
        w.view.set_text_selection(*run)
        return run

    # ---- accepting and rejecting ---------------------------------------------------------
    def accept_selected(self) -> None:
        self._decide(accept=True)

    def reject_selected(self) -> None:
        self._decide(accept=False)

    def _decide(self, *, accept: bool) -> None:
        """Accept (reject) the selected suggestion, else the one ``K`` would select when it
        is in the caret's sentence (right after labelling a span by hand, the next
        suggestion drawn in that sentence: no ``K`` first), then go to the next one."""
        w = self.window
        s = self.selected() or self._next_in_sentence()
        if w.project is None or s is None:
            w.message("select a suggestion first (K moves to the next one)")
            return
        (w.project.accept if accept else w.project.reject)(s.id)
        self._move_on(_order(s))

    def _next_in_sentence(self) -> Suggestion | None:
        """The open suggestion ``K`` would select, when it starts in the sentence of the
        caret (None otherwise: one further away is decided only once it is selected)."""
        w = self.window
        doc_id = w.current_doc
        if w.project is None or doc_id is None:
            return None
        here = self._position()
        start, end = w.project.sentence_of(doc_id, w.view.text_selection()[0])
        return next((s for s in self._open() if _order(s) > here and start <= s.start < end),
                    None)

    def label_selected(self, label: str) -> bool:
        """A label key on a selected open span suggestion: accept it with that label (a
        relabel when its label differs) in one undo step, then go to the next open
        suggestion as ``Y`` does. False (nothing done) when no span suggestion is selected."""
        w = self.window
        project = w.project
        s = self.selected()
        if project is None or s is None or s.kind != "span":
            return False
        edit = (lambda: project.accept(s.id)) if s.label == label else \
            (lambda: project.update_span(s.id, label=label))  # an edit accepts it
        if w.ops.run_refusable_edit(edit) is None:
            return True  # refused or read-only: the message says why; it stays selected
        self._move_on(_order(s))
        return True

    def _move_on(self, here: Order) -> None:
        """Select the first open suggestion after ``here`` in text order (the order of
        ``Project.suggestions``, so nested ones starting at the same place are never
        skipped). With none after, the caret stays where the annotator works (no jump back
        to the top: K goes on from there) and the status bar says what is left."""
        w = self.window
        self.current = None
        items = self._open()
        after = [s for s in items if _order(s) > here]
        if after:
            self._select(after[0])
            return
        w.view.clear_annotation_selection()
        w.message(f"no open suggestion after this one; {len(items)} before it (K goes on "
                  "from the top)" if items else "every suggestion of this document is "
                  "decided", 8000)

    def accept_sentence(self) -> None:
        """Accept every open suggestion of the sentence of the selected suggestion (else of
        the caret), one undo step, then go to the next open suggestion after it."""
        self._decide_sentence(accept=True)

    def reject_sentence(self) -> None:
        """Reject every open suggestion of that sentence (one undo step), then go on."""
        self._decide_sentence(accept=False)

    def _decide_sentence(self, *, accept: bool) -> None:
        w = self.window
        doc_id = w.current_doc
        if w.project is None or doc_id is None:
            return
        chosen = self.selected()
        position = chosen.start if chosen is not None else w.view.text_selection()[0]
        decide = w.project.accept_in_sentence if accept else w.project.reject_in_sentence
        changes = decide(doc_id, position)
        n = len(changes.spans | changes.events | changes.relations)
        _start, end = w.project.sentence_of(doc_id, position)
        self._move_on((end, -1, "", ""))
        w.message(f"{'accepted' if accept else 'rejected'} {n} annotation(s) in that "
                  "sentence", 8000)

    def accept_document(self) -> None:
        w = self.window
        doc_id = w.current_doc
        if w.project is None or doc_id is None:
            return
        changes = w.project.accept_in_document(doc_id)
        w.message(f"accepted {len(changes.spans | changes.events | changes.relations)} "
                  "annotation(s) in this document")

    # ---- background jobs -----------------------------------------------------------------
    def suggest(self, *, all_documents: bool) -> JobRunner | None:
        """Suggest from the gold dictionary (and the trained model, when there is one) in
        this document or all documents, on a worker connection."""
        w = self.window
        doc_id = w.current_doc
        if w.project is None or (doc_id is None and not all_documents):
            return None
        if self.runner is not None and self.runner.running:
            w.message("a suggestion job is running already")
            return None
        model = w.project.meta_value(MODEL_META)
        ids = None if all_documents or doc_id is None else [doc_id]
        return self._start("Suggesting", suggest_job(ids, model, w.settings.min_model_score),
                           self._suggested)

    def train(self) -> JobRunner | None:
        """Train a pipeline from the gold of the documents marked done, in the background;
        the next Suggest uses it."""
        w = self.window
        if w.project is None:
            return None
        folder = Path(str(w.project.path) + ".models")
        return self._start("Training a model", train_job(folder, self.train_steps),
                           self._trained)

    def _start(self, title: str, fn: Any, done: Any) -> JobRunner:
        w = self.window
        assert w.project is not None
        runner = JobRunner(w, title, Job(w.project, fn))
        runner.done.connect(lambda outcome, result: self._finished(outcome, result, done))
        self.runner = runner
        runner.start()
        return runner

    def _finished(self, outcome: str, result: Any, done: Any) -> None:
        if outcome == "ok":
            done(result)
        elif outcome == "cancelled":
            self.window.message(str(result), 8000)
            self._show_again()
        else:
            self.window.error(result)

    def _suggested(self, report: Any) -> None:
        self.last_report = report.summary()
        self.window.message(self.last_report.splitlines()[0], 10000)
        self._show_again()

    def _trained(self, result: TrainResult) -> None:
        w = self.window
        if w.project is not None:
            w.project.set_meta_value(MODEL_META, result.model)
        self.last_report = f"trained pipeline: {result.model} (Annotate > Suggest uses it now)"
        ev = result.evaluation
        if ev is not None:
            o = ev.overall
            self.last_report += (f"; on the done documents P {100 * o.precision:.1f} "
                                 f"R {100 * o.recall:.1f} F1 {100 * o.f1:.1f}")
            show_evaluation(w, ev.table())
        w.message(self.last_report, 10000)

    def _show_again(self) -> None:
        """The job wrote through another connection: show the document as it is now."""
        w = self.window
        doc_id = w.current_doc
        if doc_id is not None:
            w.show_document(doc_id, force=True)


def show_evaluation(window: QWidget, table: str) -> QDialog:
    """The evaluation after a training, in a small window that does not block editing."""
    dialog = window.findChild(QDialog, "evaluationWindow")
    if not isinstance(dialog, QDialog):
        dialog = QDialog(window)
        dialog.setObjectName("evaluationWindow")
        dialog.setWindowTitle("Model evaluation")
        text = QPlainTextEdit(dialog)
        text.setObjectName("evaluationText")
        text.setReadOnly(True)
        text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel("Precision, recall and F1 per label against the gold of the "
                                "documents marked done (the training data, so optimistic):"))
        layout.addWidget(text)
        dialog.resize(560, 320)
        dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    text_box = dialog.findChild(QPlainTextEdit, "evaluationText")
    if isinstance(text_box, QPlainTextEdit):
        text_box.setPlainText(table)
    dialog.show()
    return dialog


def suggest_job(doc_ids: list[str] | None, model: str | None, min_score: float = 0.0) -> Any:
    """A Job function: the gold dictionary (and ``model``) over ``doc_ids`` (None: all).
    Cancel stops after the current document; the finished ones are kept."""

    def run(project: Project, progress: ProgressFn) -> Any:
        from annotator.nlp.suggest import SuggestReport, suggest

        rep = SuggestReport()
        suggest(project, model=model, from_gold=True,
                documents="all" if doc_ids is None else
                [project.document(d).name for d in doc_ids], progress=progress, report=rep,
                ner_scores=True, min_score=min_score)  # the order by uncertainty reads them
        if rep.cancelled:
            raise Cancelled(f"stopped after {rep.documents} of {rep.total} documents: "
                            "their suggestions are kept")
        return rep

    return run


@dataclass
class TrainResult:
    """A trained pipeline's folder and its scores against the gold of the done documents."""

    model: str
    evaluation: Any = None  # nlp.evaluate.Evaluation (None: no document marked done)


def train_job(folder: Path, max_steps: int = 400) -> Any:
    """A Job function: export the gold of the documents marked done, train a pipeline
    (``annotator train``'s steps, with progress and cancel between spaCy steps:
    ``nlp.train_loop``) and evaluate it against that gold."""

    def run(project: Project, progress: ProgressFn) -> TrainResult:
        from annotator.formats.export import ExportOptions, parse_split, run_export
        from annotator.nlp.evaluate import evaluate
        from annotator.nlp.train_loop import train_cancellable
        from annotator.nlp.training import LOOP_PIPELINE

        if progress(0, None, "exporting the gold of the documents marked done") is False:
            raise Cancelled("cancelled: nothing was trained")
        folder.mkdir(parents=True, exist_ok=True)
        opts = ExportOptions(documents="done", split=parse_split("0.8,0.2,0"),
                             extra={"pipeline": ",".join(LOOP_PIPELINE),
                                    "max_steps": max_steps})
        run_export(project, "spacy", folder / "data", opts, force=True)
        model = str(train_cancellable(folder / "data" / "config.cfg", folder / "model",
                                      progress, max_steps))
        done = [d for d in project.document_ids() if project.status(d) == "done"]
        if progress(max_steps, max_steps, "evaluating against the done documents") is False:
            return TrainResult(model)
        return TrainResult(model, evaluate(project, model, done) if done else None)

    return run
