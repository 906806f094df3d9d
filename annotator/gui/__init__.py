"""The Qt shell of annotator: main window, document view, panels and dialogs (PySide6 only here)."""
