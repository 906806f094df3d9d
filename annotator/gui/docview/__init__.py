"""The document view: one article with its spans (lanes + labels), events and relations (arcs)."""

from annotator.gui.docview.view import DocumentView

__all__ = ["DocumentView"]
