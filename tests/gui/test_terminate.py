"""SIGTERM (a logout, `timeout`) closes the real window cleanly: exit code 0 within seconds,
the project file byte-identical and nothing beside it (no -wal, -shm or lock left by a kill)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

DEMO = Path(__file__).resolve().parents[2] / "sample_projects" / "news-demo" / "news-demo.annproj"


def test_sigterm_closes_the_window_cleanly(tmp_path):
    project = tmp_path / "demo.annproj"
    shutil.copyfile(DEMO, project)
    before = project.read_bytes()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "ANNOTATOR_USER": "ana"}
    proc = subprocess.Popen([sys.executable, "-m", "annotator", str(project)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        wal = project.with_name(project.name + "-wal")
        while not wal.exists():  # the window has the project open
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "the window did not open the project"
            time.sleep(0.05)
        time.sleep(1.0)  # the background integrity check and the first paint are done
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cfg") == ["demo.annproj"]
    assert project.read_bytes() == before
