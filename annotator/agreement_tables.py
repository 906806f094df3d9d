"""The agreement report as terminal tables (rich), for ``annotator agree``.

Kept apart from ``core.agreement``, which computes the figures and prints nothing, and from
the CLI module, which only parses options.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from annotator.core.agreement import KINDS, AgreementReport, PairAgreement
from annotator.core.coref_agreement import METRICS

KIND_TITLES = {"spans": "spans (exact)", "spans_overlap": "spans (overlap)",
               "triggers": "event triggers", "arguments": "event arguments",
               "relations": "relations"}
RANKED_SHOWN = 10


def pair_table(report: AgreementReport) -> Table:
    table = Table(title="F1 per pair (reference / response), token-level Cohen's kappa")
    table.add_column("pair")
    table.add_column("docs", justify="right")
    for kind in KINDS:
        table.add_column(KIND_TITLES[kind], justify="right")
    table.add_column("kappa", justify="right")
    for p in report.pairs:
        table.add_row(f"{p.reference} / {p.response}", str(p.documents),
                      *(f"{p.counts[k].f1:.3f}" for k in KINDS), f"{p.kappa:.3f}")
    if len(report.pairs) > 1:
        table.add_row("average", "", *(f"{report.average(k):.3f}" for k in KINDS), "")
    return table


def label_table(pair: PairAgreement) -> Table:
    table = Table(title=f"spans per label, {pair.reference} as reference, {pair.response} as response")
    for name in ("label", "both", "only ref", "only resp", "precision", "recall", "F1"):
        table.add_column(name, justify="left" if name == "label" else "right")
    for label, c in sorted(pair.per_label.items()):
        table.add_row(label, str(c.tp), str(c.fn), str(c.fp), f"{c.precision:.3f}",
                      f"{c.recall:.3f}", f"{c.f1:.3f}")
    return table


def confusion_table(pair: PairAgreement) -> Table:
    rows = sorted({a for a, _ in pair.confusion})
    cols = sorted({b for _, b in pair.confusion})
    table = Table(title=f"labels at the same offsets: {pair.reference} (rows) / "
                        f"{pair.response} (columns)")
    table.add_column("")
    for col in cols:
        table.add_column(col, justify="right")
    for row in rows:
        table.add_row(row, *(str(pair.confusion.get((row, col), 0) or "") for col in cols))
    return table


def chain_table(report: AgreementReport) -> Table:
    """Coreference chains per pair: MUC, B-cubed, CEAF-e (recall / precision / F1) and the
    CoNLL F1, their mean (docs/team.md)."""
    table = Table(title="coreference chains per pair (reference / response): R / P / F1")
    table.add_column("pair")
    for name in ("MUC", "B-cubed", "CEAF-e"):
        table.add_column(name, justify="right")
    table.add_column("CoNLL F1", justify="right")
    for p in report.pairs:
        table.add_row(f"{p.reference} / {p.response}",
                      *(f"{p.coref[m].recall:.3f} / {p.coref[m].precision:.3f} / "
                        f"{p.coref[m].f1:.3f}" for m in METRICS), f"{p.conll_f1:.3f}")
    if len(report.pairs) > 1:
        table.add_row("average (F1)", *(f"{report.average_coref(m):.3f}" for m in METRICS),
                      f"{report.average_coref('conll_f1'):.3f}")
    return table


def print_report(report: AgreementReport, console: Console | None = None) -> None:
    out = console or Console()
    if not report.pairs:
        out.print("no document was worked on by two of these annotators: "
                  + ", ".join(report.annotators))
        return
    out.print(pair_table(report))
    out.print(f"Krippendorff's alpha (nominal, token labels, all annotators): {report.alpha:.3f}")
    if any(c.mentions for p in report.pairs for c in p.coref.values()):
        out.print(chain_table(report))
    for pair in report.pairs:
        out.print(label_table(pair))
        if pair.attributes:
            out.print("attributes on matched annotations: " + ", ".join(
                f"{name} {eq}/{m}" for name, (eq, m) in sorted(pair.attributes.items())))
        out.print(confusion_table(pair))
    ranked = [d for d in report.documents if d[1] > 0][:RANKED_SHOWN]
    if ranked:
        table = Table(title="documents with the most disagreement (1 - F1 of every exact item)")
        table.add_column("document")
        table.add_column("disagreement", justify="right")
        for name, loss in ranked:
            table.add_row(name, f"{loss:.3f}")
        out.print(table)
