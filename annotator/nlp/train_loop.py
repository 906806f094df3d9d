"""Training a pipeline in the background with progress and cancel between spaCy steps.

``spacy train`` offers no way to stop it from outside, but its loop calls the config's
``[training.before_update]`` callback before every update step. ``train_cancellable`` copies
the written config with that callback set to ``annotator.step_check.v1``, which reports the
step to ``progress`` and raises ``Cancelled`` once ``progress`` returns False (the user
pressed Cancel). A cancel therefore takes effect within one step (a step is one batch, well
under a second on the CPU for a small project); spaCy then saves ``model-last`` on its way
out, which the caller ignores. One training runs at a time in a process (the callback is
found through spaCy's registry by name).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from annotator.core.progress import Cancelled, ProgressFn

CALLBACK = "annotator.step_check.v1"
_lock = threading.Lock()
_active: dict[str, Any] = {}  # "progress": the running training's ProgressFn, "total": steps


def _check(_nlp: Any, info: dict[str, Any]) -> None:
    progress = _active.get("progress")
    step = int(info.get("step", 0))
    total = _active.get("total")
    if progress is not None and progress(step, total,
                                         f"training (spaCy, on the CPU): step {step}"
                                         + (f" of {total}" if total else "")) is False:
        raise Cancelled(f"training cancelled at step {step}: the previous model stays")


def _register() -> None:
    import spacy

    if CALLBACK not in spacy.registry.callbacks:
        spacy.registry.callbacks(CALLBACK)(lambda: _check)


def train_cancellable(config_path: Path | str, output: Path | str, progress: ProgressFn,
                      max_steps: int | None = None) -> Path:
    """``train_pipeline`` with progress per step and Cancel (see the module docstring)."""
    from annotator.nlp.training import read_config, train_pipeline

    _register()
    config = read_config(config_path)
    config["training"]["before_update"] = {"@callbacks": CALLBACK}
    checked = Path(config_path).with_name("config-checked.cfg")
    config.to_disk(checked)
    with _lock:
        _active.update(progress=progress, total=max_steps)
        try:
            return train_pipeline(checked, output)
        finally:
            _active.clear()
