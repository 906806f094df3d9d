"""The test suite keeps the user's own settings out of its runs (tests/conftest.py)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="QSettings follows XDG_CONFIG_HOME on Linux only")


def test_the_window_settings_are_the_runs_own_not_the_users(qapp):
    from annotator.gui.settings import Settings

    settings = Settings()
    settings.q.setValue("probe/written_by_the_suite", True)
    settings.q.sync()
    where = Path(settings.q.fileName()).resolve()
    # the run's own folder (tests/conftest.py), or a test's tmp_path where an earlier test of
    # the run pointed QSettings (helpers_mainwindow.isolate_settings): never the user's
    assert Path(tempfile.gettempdir()).resolve() in where.parents
    assert Path.home().resolve() / ".config" not in where.parents
    assert where.is_file()
    assert Path(os.environ["XDG_CONFIG_HOME"]).is_dir()
