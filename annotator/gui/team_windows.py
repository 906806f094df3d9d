"""File > Merge annotator files and Documents > Agreement: the team commands in the window.

Both run the CLI's own functions (``annotator.team.merge``, ``core.agreement.agreement``) on
a worker thread with the window's job runner, so the report is the one ``annotator merge``
prints and the tables are the ones ``annotator agree`` prints; a refusal is shown as its one
line. The agreement window's documents open in curation mode (click, or Enter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import KINDS, AgreementReport, PairAgreement
from annotator.core.coref_agreement import METRICS
from annotator.core.progress import ProgressFn
from annotator.core.project import Project
from annotator.gui.io_actions import PROJECT_SUFFIX
from annotator.gui.plain_text import make_plain, plain_message_box
from annotator.gui.workers import Job, JobRunner

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

KIND_TITLES = {"spans": "spans (exact)", "spans_overlap": "spans (overlap)",
               "triggers": "triggers", "arguments": "arguments", "relations": "relations"}


# ---- merge --------------------------------------------------------------------------------

def merge_dialog(w: MainWindow) -> JobRunner | None:
    """Ask for the annotators' files, then merge them in the background."""
    if w.project is None:
        return None
    files, _ = QFileDialog.getOpenFileNames(w, "Merge annotator files", str(w.project.path.parent),
                                            f"annotator projects (*{PROJECT_SUFFIX})")
    return start_merge(w, files) if files else None


def start_merge(w: MainWindow, files: list[str], show_dialog: bool = True) -> JobRunner | None:
    """``annotator merge PROJECT FILE ...`` on a worker connection; the report when done."""
    project = w.project
    if project is None:
        return None

    def run(worker: Project, _progress: ProgressFn) -> Any:
        from annotator.team import merge

        return merge(worker, list(files))

    runner = JobRunner(w, "Merging annotator files…", Job(project, run), show_dialog)
    runner.done.connect(lambda outcome, result: _merged(w, runner, outcome, result))
    w.io.jobs.append(runner)
    runner.start()
    return runner


def _merged(w: MainWindow, runner: JobRunner, outcome: str, result: Any) -> None:
    if runner in w.io.jobs:
        w.io.jobs.remove(runner)
    if outcome != "ok":
        w.error(result if outcome == "failed" else str(result))
        return
    text = result.summary()
    w.io.last_report = text.splitlines()
    box = plain_message_box(QMessageBox.Icon.Information, "Merge finished", text, w)
    box.setObjectName("mergeFinished")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    w.message(text.splitlines()[0], 8000)
    if w.project is not None:  # the merge wrote through its own connection
        if not w.project.readonly and any(not d.unchanged for d in result.diffs):
            # the window's undo steps may name rows the merge replaced: an empty replacement
            # clears them, as a merge in this connection would have
            w.project.replace_annotation_sets([])
        w.panels.list_documents()
        if w.current_doc:
            w.show_document(w.current_doc, force=True)
        from annotator.gui.curation import curation_of

        curation_of(w).update_gold_column()


# ---- agreement ----------------------------------------------------------------------------

def show_agreement(w: MainWindow, show_dialog: bool = True) -> JobRunner | None:
    """Compute the agreement in the background, then open its window."""
    if w.project is None:
        return None

    def run(worker: Project, _progress: ProgressFn) -> AgreementReport:
        from annotator.core.agreement import agreement

        return agreement(worker)

    runner = JobRunner(w, "Computing agreement…", Job(w.project, run), show_dialog)

    def done(outcome: str, result: Any) -> None:
        if runner in w.io.jobs:
            w.io.jobs.remove(runner)
        if outcome == "ok":
            window = AgreementWindow(w, result)  # owned by the main window
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.show()
        else:
            w.error(result if outcome == "failed" else str(result))

    runner.done.connect(done)
    w.io.jobs.append(runner)
    runner.start()
    return runner


def _item(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(name: str, headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, _item(value, align_right=c > 0))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class DocumentTable(QTableWidget):
    """Documents ranked by disagreement; Enter (or a click) opens one in curation."""

    def __init__(self, report: AgreementReport, open_doc: Any) -> None:
        super().__init__(len(report.documents), 2)
        self.setObjectName("agreementDocuments")
        self.open_doc = open_doc
        self.setHorizontalHeaderLabels(["document", "disagreement"])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        for r, (name, loss) in enumerate(report.documents):
            self.setItem(r, 0, _item(name))
            self.setItem(r, 1, _item(f"{loss:.3f}", align_right=True))
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.cellClicked.connect(lambda row, _col: self._open(row))

    def _open(self, row: int) -> None:
        item = self.item(row, 0)
        if item is not None:
            self.open_doc(item.text())

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self._open(self.currentRow())
            return
        super().keyPressEvent(e)


def heat_map(pair: PairAgreement) -> QTableWidget:
    """The label confusion of one pair, cells shaded by their share of the row's spans."""
    rows = sorted({a for a, _ in pair.confusion})
    cols = sorted({b for _, b in pair.confusion})
    table = QTableWidget(len(rows), len(cols))
    table.setObjectName(f"confusion_{pair.reference}_{pair.response}")
    table.setHorizontalHeaderLabels(cols)
    table.setVerticalHeaderLabels(rows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for r, a in enumerate(rows):
        total = sum(pair.confusion.get((a, b), 0) for b in cols) or 1
        for c, b in enumerate(cols):
            n = pair.confusion.get((a, b), 0)
            item = _item(str(n) if n else "", align_right=True)
            share = n / total
            hue = QColor("#2E8540") if a == b else QColor("#C0392B")
            base = QColor("#FFFFFF")
            mix = QColor(int(base.red() + (hue.red() - base.red()) * share),
                         int(base.green() + (hue.green() - base.green()) * share),
                         int(base.blue() + (hue.blue() - base.blue()) * share))
            item.setBackground(mix)
            if share > 0.55:
                item.setForeground(QColor("#FFFFFF"))
            item.setToolTip(f"{pair.reference}: {a} / {pair.response}: {b}: {n} span(s)")
            table.setItem(r, c, item)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class AgreementWindow(QWidget):
    """The tables of ``annotator agree``: pairs, labels, attributes, heat maps, documents."""

    def __init__(self, w: MainWindow, report: AgreementReport) -> None:
        super().__init__(w, Qt.WindowType.Window)
        self.setObjectName("agreementWindow")
        self.setWindowTitle("Agreement — annotator")
        self.main = w
        self.report = report
        self.tabs = QTabWidget()
        layout = QVBoxLayout(self)
        summary = make_plain(QLabel(self._summary()))
        summary.setObjectName("agreementSummary")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._pairs(), "Pairs")
        if any(c.mentions for p in report.pairs for c in p.coref.values()):
            self.tabs.addTab(self._chains(), "Chains")
        for pair in report.pairs:
            self.tabs.addTab(self._pair_page(pair), f"{pair.reference} / {pair.response}")
        self.documents = DocumentTable(report, self.open_document)
        self.tabs.addTab(self.documents, "Documents")
        self.resize(900, 600)

    def _summary(self) -> str:
        r = self.report
        if not r.pairs:
            return ("No document was worked on by two of these annotators: "
                    + ", ".join(r.annotators))
        return (f"Annotators: {', '.join(r.annotators)}. Krippendorff's alpha (nominal, token "
                f"labels, all annotators): {r.alpha:.3f}. Definitions: docs/team.md.")

    def _pairs(self) -> QTableWidget:
        rows = [[f"{p.reference} / {p.response}", str(p.documents),
                 *(f"{p.counts[k].f1:.3f}" for k in KINDS), f"{p.kappa:.3f}"]
                for p in self.report.pairs]
        if len(self.report.pairs) > 1:
            rows.append(["average", "", *(f"{self.report.average(k):.3f}" for k in KINDS), ""])
        return _table("agreementPairs", ["pair", "docs", *(KIND_TITLES[k] for k in KINDS),
                                         "kappa"], rows)

    def _chains(self) -> QTableWidget:
        """Coreference chains per pair: MUC, B-cubed, CEAF-e and the CoNLL F1 (docs/team.md)."""
        rows = [[f"{p.reference} / {p.response}",
                 *(f"{p.coref[m].recall:.3f} / {p.coref[m].precision:.3f} / {p.coref[m].f1:.3f}"
                   for m in METRICS), f"{p.conll_f1:.3f}"] for p in self.report.pairs]
        if len(self.report.pairs) > 1:
            rows.append(["average (F1)", *(f"{self.report.average_coref(m):.3f}"
                                           for m in (*METRICS, "conll_f1"))])
        return _table("agreementChains", ["pair", "MUC R / P / F1", "B-cubed R / P / F1",
                                          "CEAF-e R / P / F1", "CoNLL F1"], rows)

    def _pair_page(self, pair: PairAgreement) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        labels = [[lab, str(c.tp), str(c.fn), str(c.fp), f"{c.precision:.3f}",
                   f"{c.recall:.3f}", f"{c.f1:.3f}"] for lab, c in sorted(pair.per_label.items())]
        col.addWidget(make_plain(QLabel(f"Spans per label, {pair.reference} as reference")))
        col.addWidget(_table(f"labels_{pair.reference}_{pair.response}",
                             ["label", "both", "only ref", "only resp", "precision", "recall",
                              "F1"], labels), 2)
        if pair.attributes:
            col.addWidget(make_plain(QLabel("Attributes on matched annotations: " + ", ".join(
                f"{name} {eq}/{m}" for name, (eq, m) in sorted(pair.attributes.items())))))
        col.addWidget(make_plain(QLabel(f"Labels at the same offsets: {pair.reference} (rows) "
                                        f"/ {pair.response} (columns)")))
        col.addWidget(heat_map(pair), 3)
        return page

    def open_document(self, name: str) -> None:
        """Show the document in the main window, in curation mode."""
        w = self.main
        if w.project is None:
            return
        from annotator.gui.curation import curation_of

        doc = w.project.document_by_name(name)
        w.show_document(doc.id)
        curation_of(w).enter(doc.id)
        w.raise_()
        w.activateWindow()
