"""Show user- and file-controlled text as the characters it is, never as markup (#9.14).

Qt interprets text in three ways that a label from a shared schema, an article, a note or an
annotator's name must never reach:

* a ``QLabel`` (and a ``QMessageBox``) in the default ``Qt.AutoText`` format renders anything
  that *looks like* HTML as HTML: ``<b>`` shows bold, ``<img src=x>`` loads an image, and a
  message box opens an ``<a href="file:///...">`` link with the desktop's handler;
* a tooltip is rendered as HTML whenever ``Qt.mightBeRichText`` says so;
* a button, a group box title or a label with a buddy reads ``&`` as a keyboard mnemonic.

Every widget of the GUI that shows such text goes through one of the helpers below, so the
rule lives in one place and is tested once (tests/gui/test_plain_text.py).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt  # PySide6 keeps Qt.mightBeRichText in QtGui's Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows ``text`` verbatim (``Qt.PlainText``: no HTML, no links)."""
    label = QLabel(parent)
    return make_plain(label, text)


def make_plain(label: QLabel, text: str | None = None) -> QLabel:
    """Switch an existing label to plain text (and set ``text`` if given); returns it."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    label.setTextInteractionFlags(label.textInteractionFlags()
                                  & ~Qt.TextInteractionFlag.LinksAccessibleByMouse
                                  & ~Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
    if text is not None:
        label.setText(text)
    return label


def no_mnemonic(text: str) -> str:
    """Text for a button, group box title or buddy label: ``&`` shows as itself."""
    return text.replace("&", "&&")


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` verbatim. Qt renders a tooltip as HTML when
    ``Qt.mightBeRichText`` is true; such text is escaped (line breaks kept), other text is
    returned unchanged so ordinary tooltips look as before."""
    if not GuiQt.mightBeRichText(text):
        return text
    return f'<p style="white-space:pre-wrap">{html.escape(text, quote=False)}</p>'


def plain_message_box(icon: QMessageBox.Icon, title: str, text: str,
                      parent: QWidget | None = None,
                      buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok
                      ) -> QMessageBox:
    """A message box whose text is plain (QMessageBox opens links in its text by default)."""
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box
