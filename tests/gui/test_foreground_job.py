"""``foreground.job_running`` (issue #12): while a background job works, the GUI thread gets
the interpreter lock back within ``SWITCH_S`` and the cyclic collector's full passes wait;
both come back as they were when the last of several jobs ends, also after a failure."""

from __future__ import annotations

import gc
import sys
import threading

import pytest

from annotator.gui import foreground


def test_the_switch_interval_and_the_collector_come_back_after_the_last_job():
    before = sys.getswitchinterval()
    assert before > foreground.SWITCH_S and gc.isenabled()
    with foreground.job_running():
        assert sys.getswitchinterval() == pytest.approx(foreground.SWITCH_S)
        assert not gc.isenabled()
        with foreground.job_running():  # a second job, on another thread
            done = threading.Event()

            def other():
                with foreground.job_running():
                    done.set()

            t = threading.Thread(target=other)
            t.start()
            t.join()
            assert done.is_set() and not gc.isenabled()
        assert sys.getswitchinterval() == pytest.approx(foreground.SWITCH_S)
    assert sys.getswitchinterval() == pytest.approx(before) and gc.isenabled()


def test_a_failing_job_restores_them_too():
    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError), foreground.job_running():
        raise RuntimeError("the job failed")
    assert sys.getswitchinterval() == pytest.approx(before) and gc.isenabled()
