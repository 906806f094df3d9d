"""What the GUI remembers between sessions (QSettings "annotator"/"annotator").

Only presentation state lives here (window geometry, dock layout, font size, theme, recent
projects, last document per project, the annotator's name); every annotation lives in the project
file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "annotator"
APPLICATION = "annotator"
MAX_RECENT = 10
DEFAULT_FONT_SIZE = 12
THEMES = ("system", "light", "dark")
DEFAULT_MIN_MODEL_SCORE = 0.5  # Suggest: model entities scored lower are not proposed


def _key(path: str | Path) -> str:
    return hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:16]


class Settings:
    def __init__(self) -> None:
        self.q = QSettings(ORGANIZATION, APPLICATION)

    def sync(self) -> None:
        self.q.sync()

    # ---- annotator ---------------------------------------------------------------------
    @property
    def annotator_name(self) -> str:
        return str(self.q.value("annotator/name", "") or "")

    @annotator_name.setter
    def annotator_name(self, name: str) -> None:
        self.q.setValue("annotator/name", name)

    # ---- recent projects ---------------------------------------------------------------
    def recent_projects(self) -> list[str]:
        value = self.q.value("recent/projects", [])
        if isinstance(value, str):  # QSettings gives one string for a one-item list (INI)
            return [value] if value else []
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value]
        return []

    def add_recent(self, path: str | Path) -> None:
        p = str(Path(path).resolve())
        items = [x for x in self.recent_projects() if x != p]
        self.q.setValue("recent/projects", [p, *items][:MAX_RECENT])

    def clear_recent(self) -> None:
        self.q.setValue("recent/projects", [])

    # ---- per project -------------------------------------------------------------------
    def last_document(self, project_path: str | Path) -> str:
        return str(self.q.value(f"projects/{_key(project_path)}/last_document", "") or "")

    def set_last_document(self, project_path: str | Path, doc_id: str) -> None:
        self.q.setValue(f"projects/{_key(project_path)}/last_document", doc_id)

    # ---- window ------------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        v = self.q.value("window/geometry")
        return v if isinstance(v, QByteArray) else None

    def set_geometry(self, data: QByteArray) -> None:
        self.q.setValue("window/geometry", data)

    def window_state(self) -> QByteArray | None:
        v = self.q.value("window/state")
        return v if isinstance(v, QByteArray) else None

    def set_window_state(self, data: QByteArray) -> None:
        self.q.setValue("window/state", data)

    @property
    def font_size(self) -> int:
        value = self.q.value("view/font_size", DEFAULT_FONT_SIZE)
        try:
            size = int(value) if isinstance(value, (int, float, str)) else DEFAULT_FONT_SIZE
        except ValueError:
            return DEFAULT_FONT_SIZE
        return max(6, min(48, size))

    @font_size.setter
    def font_size(self, size: int) -> None:
        self.q.setValue("view/font_size", int(size))

    @property
    def theme(self) -> str:
        """View > Theme: "system" (the default), "light" or "dark"."""
        value = str(self.q.value("view/theme", "system") or "system")
        return value if value in THEMES else "system"

    @theme.setter
    def theme(self, mode: str) -> None:
        if mode not in THEMES:
            raise ValueError(f"unknown theme {mode!r}: use one of {', '.join(THEMES)}")
        self.q.setValue("view/theme", mode)

    def flag(self, name: str, default: bool = False) -> bool:
        v = self.q.value(f"view/{name}", default)
        if isinstance(v, str):
            return v.lower() in ("1", "true", "yes")
        return bool(v)

    def set_flag(self, name: str, value: bool) -> None:
        self.q.setValue(f"view/{name}", bool(value))

    # ---- suggestions (issue #12) -------------------------------------------------------
    @property
    def live_dictionary(self) -> bool:
        """Annotate > Suggest from gold as I work: after a gold edit the gold dictionary
        proposes the text in every document, in the background (on by default)."""
        v = self.q.value("suggest/live_dictionary", True)
        return v.lower() in ("1", "true", "yes") if isinstance(v, str) else bool(v)

    @live_dictionary.setter
    def live_dictionary(self, on: bool) -> None:
        self.q.setValue("suggest/live_dictionary", bool(on))

    @property
    def retrain_every(self) -> int:
        """Annotate > Retrain after every N done documents: 0 (the default) is off."""
        v = self.q.value("suggest/retrain_every", 0)
        try:
            return max(0, int(v)) if isinstance(v, (int, float, str)) else 0
        except ValueError:
            return 0

    @retrain_every.setter
    def retrain_every(self, n: int) -> None:
        self.q.setValue("suggest/retrain_every", max(0, int(n)))

    @property
    def min_model_score(self) -> float:
        """Annotate > Suggest proposes a model's entities scored at least this (0-1); below,
        a weak model's guesses cost a reject key each. Default ``DEFAULT_MIN_MODEL_SCORE``."""
        v = self.q.value("suggest/min_model_score", DEFAULT_MIN_MODEL_SCORE)
        try:
            score = float(v) if isinstance(v, (int, float, str)) else DEFAULT_MIN_MODEL_SCORE
        except ValueError:
            return DEFAULT_MIN_MODEL_SCORE
        return min(1.0, max(0.0, score))

    @min_model_score.setter
    def min_model_score(self, score: float) -> None:
        self.q.setValue("suggest/min_model_score", min(1.0, max(0.0, float(score))))
