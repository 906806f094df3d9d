"""Importers for other annotation tools, by their old import path: Prodigy JSONL
(``prodigy``), doccano JSONL (``doccano``) and Label Studio JSON (``labelstudio``), each in its
own module, with the rules they share in ``peer_common``. This module re-exports the three
readers for callers of ``annotator.formats.peers``."""

from __future__ import annotations

from annotator.formats.doccano import read_doccano
from annotator.formats.labelstudio import read_labelstudio
from annotator.formats.prodigy import read_prodigy

__all__ = ["read_doccano", "read_labelstudio", "read_prodigy"]
