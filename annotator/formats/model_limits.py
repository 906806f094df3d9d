"""What each export format does with discontinuous spans, coreference chains and references,
said in every export report that has any (#11.1-3).

Why its own module: the three are part of the model, but most formats have no room for them;
one table says, per format, whether each is carried exactly, approximated (a fragmented span
written as its hull) or not carried, and ``ModelLimits`` counts what the exported documents
hold so the report names how many were affected. docs/formats.md has the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.model import Annotations

# format -> (fragments, chains, references): what the exporter does with each
LIMITS: dict[str, tuple[str, str, str]] = {
    "jsonl": ("exact", "exact", "exact"),
    "brat": ("exact (T offsets a b;c d)", "exact ('*' lines; a chain's references, attributes "
             "and note are reported)", "exact (N lines)"),
    "dygiepp": ("written as their hull", "written as clusters", "not carried"),
    "spacy": ("written as their hull", "written as doc.spans['coref_clusters_<n>'] groups",
              "not carried (kb_id is, as ENT_KB_ID)"),
    "conll": ("written as their hull", "not carried", "not carried"),
    "textee": ("written as their hull", "not carried", "not carried"),
}


@dataclass
class ModelLimits:
    """Counts of fragmented spans, chains and references in the exported documents."""

    fmt: str
    fragmented: int = 0
    chains: int = 0
    refs: int = 0

    def add(self, ann: Annotations) -> None:
        self.fragmented += sum(1 for s in ann.spans if s.fragments)
        self.chains += len(ann.chains)
        self.refs += sum(len(s.refs) for s in ann.spans) + sum(len(c.refs) for c in ann.chains)

    def notes(self) -> list[str]:
        """One report note per kind the documents had and the format does not carry exactly."""
        frag, chain, ref = LIMITS.get(self.fmt, ("not carried",) * 3)
        out = []
        for n, what, how in ((self.fragmented, "discontinuous span(s)", frag),
                             (self.chains, "coreference chain(s)", chain),
                             (self.refs, "knowledge-base reference(s)", ref)):
            if n and not how.startswith("exact"):
                out.append(f"{n} {what}: {how} ({self.fmt})")
        return out
