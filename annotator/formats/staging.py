"""Atomic export output: everything is written under a temporary name beside the target and
renamed into place only when complete.

Why: a killed or interrupted export used to leave truncated files that look valid (a 1.4 MB
``.conll`` of 15 MB). Here an interrupted export leaves nothing, an existing output is replaced
only when asked (``--force``), and a symlinked ``--out`` is refused so that an export never writes
outside the place the user named.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from annotator.errors import ExportError


class ExportInterrupted(ExportError):
    """The export was cancelled (Ctrl+C, SIGTERM, the GUI's cancel) and left nothing behind."""


@dataclass
class StagedOutput:
    """The temporary place an exporter writes to, and the final place it will be renamed to."""

    target: Path
    staging: Path
    extra: list[str] = field(default_factory=list)  # names beside the target (the report)

    @property
    def path(self) -> Path:
        """Where the exporter writes: the target's name inside the staging folder."""
        return self.staging / self.target.name

    def beside(self, name: str) -> Path:
        """A file written next to the target (e.g. ``out.conll.report.json``), staged too."""
        self.extra.append(name)
        return self.staging / name

    def final(self, staged: str | Path) -> str:
        """The final path of a file the exporter wrote under the staging folder."""
        try:
            rel = Path(staged).relative_to(self.staging)
        except ValueError:
            return str(staged)
        return str(self.target.parent / rel)


def check_target(target: Path, *, force: bool) -> None:
    """Refuse a symlinked target always, and an existing non-empty target unless ``force``."""
    if target.is_symlink():
        raise ExportError(f"{target}: is a symbolic link; give the real path to write to")
    if not target.exists():
        if not target.parent.is_dir():
            raise ExportError(f"{target.parent}: folder does not exist")
        return
    if target.is_dir() and not any(target.iterdir()):
        return
    if not force:
        kind = "folder is not empty" if target.is_dir() else "file exists"
        raise ExportError(f"{target}: {kind}; use --force to replace it")


@contextmanager
def staged_output(target: str | Path, *, force: bool = False) -> Iterator[StagedOutput]:
    """Yield a :class:`StagedOutput`; on success rename its contents into place, on any error
    or interruption remove it (an interruption becomes :class:`ExportInterrupted`)."""
    target = Path(target)
    check_target(target, force=force)
    staging = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:8]}"
    try:  # the folder is made inside: an interruption right after mkdir still cleans up
        staging.mkdir()
        stage = StagedOutput(target, staging)
        yield stage
        _commit(stage)
    except KeyboardInterrupt:
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportInterrupted(f"{target}: interrupted, nothing written") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _commit(stage: StagedOutput) -> None:
    """Move the staged output (and the files beside it) to their final names."""
    if not stage.path.exists():
        raise ExportError(f"{stage.target}: the exporter wrote nothing")
    for name in [stage.target.name, *stage.extra]:
        src, dst = stage.staging / name, stage.target.parent / name
        if src.exists():
            _replace(src, dst)
    shutil.rmtree(stage.staging, ignore_errors=True)


def _replace(src: Path, dst: Path) -> None:
    """Rename ``src`` over ``dst``; a folder being replaced is moved aside first, then removed."""
    if dst.is_dir() and not dst.is_symlink():
        aside = dst.with_name(f".{dst.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(dst, aside)
        try:
            os.replace(src, dst)
        except BaseException:
            os.replace(aside, dst)
            raise
        shutil.rmtree(aside, ignore_errors=True)
    else:
        os.replace(src, dst)
