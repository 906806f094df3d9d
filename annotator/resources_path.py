"""Where runtime resources live: inside the installed wheel, or resources/ in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def _root() -> Path:
    try:
        from importlib.resources import files

        root = Path(str(files("annotator.resources")))
        if (root / "schemas").is_dir():
            return root
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return _root().joinpath(*parts)
