"""The platform check names the missing system libraries and the install line instead of letting
Qt abort with a message that blames libxcb-cursor0 whatever is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.gui.qt_platform import (
    APT_LINE,
    XCB_PACKAGES,
    chosen_platform,
    import_problem,
    missing_libraries,
    platform_problem,
)

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


def fake_plugin_dir(tmp_path: Path) -> Path:
    plugins = tmp_path / "platforms"
    plugins.mkdir()
    (plugins / "libqxcb.so").write_bytes(b"")
    return plugins


def test_missing_libraries_are_read_from_ldd_once_each(tmp_path):
    found = missing_libraries(tmp_path / "libqxcb.so", run=lambda cmd: LDD_OUTPUT)
    assert found == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


@linux_only
def test_the_message_names_the_libraries_their_packages_and_the_install_line(tmp_path):
    message = platform_problem({"DISPLAY": ":0"}, fake_plugin_dir(tmp_path),
                               run=lambda cmd: LDD_OUTPUT)
    assert message is not None
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in message
    assert "packages libxcb-icccm4 libxcb-keysyms1" in message
    assert message.endswith(APT_LINE)
    assert "\n" not in message


@linux_only
def test_no_problem_when_everything_loads_and_a_display_is_set(tmp_path):
    assert platform_problem({"DISPLAY": ":0"}, fake_plugin_dir(tmp_path),
                            run=lambda cmd: "\tlibc.so.6 => /lib/libc.so.6\n") is None


@linux_only
def test_no_display_is_explained(tmp_path):
    message = platform_problem({}, fake_plugin_dir(tmp_path), run=lambda cmd: "")
    assert message is not None and "DISPLAY is not set" in message
    assert "QT_QPA_PLATFORM=offscreen" in message


@linux_only
def test_another_platform_is_not_checked(tmp_path):
    never = lambda cmd: pytest.fail("ldd must not run")  # noqa: E731
    plugins = fake_plugin_dir(tmp_path)
    assert platform_problem({"QT_QPA_PLATFORM": "offscreen"}, plugins, run=never) is None
    assert platform_problem({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"},
                            plugins, run=never) is None


def test_chosen_platform_follows_qt_rules():
    assert chosen_platform({}) == "xcb"
    assert chosen_platform({"QT_QPA_PLATFORM": "offscreen"}) == "offscreen"
    assert chosen_platform({"QT_QPA_PLATFORM": "xcb:display=:1"}) == "xcb"
    assert chosen_platform({"QT_QPA_PLATFORM": "wayland;xcb"}) == "wayland"
    assert chosen_platform({"WAYLAND_DISPLAY": "w", "XDG_SESSION_TYPE": "wayland"}) == "wayland"


def test_every_xcb_dependency_of_the_installed_plugin_has_a_package():
    """The table must cover what PySide6's own plugin links to beyond the C library."""
    from annotator.gui.qt_platform import _platform_plugin_dir

    plugin = _platform_plugin_dir() / "libqxcb.so"
    if not plugin.exists() or shutil.which("ldd") is None:
        pytest.skip("no xcb plugin or no ldd here")
    output = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True).stdout
    needed = {line.split("=>")[0].strip() for line in output.splitlines() if "=>" in line}
    xcb_like = {n for n in needed if n.startswith(("libxcb", "libX11-xcb", "libxkbcommon"))}
    assert xcb_like, output
    assert xcb_like <= set(XCB_PACKAGES), sorted(xcb_like - set(XCB_PACKAGES))


@linux_only
def test_a_real_library_with_an_absent_dependency_is_reported(tmp_path):
    """Build a shared library against a library that is then removed: ldd says 'not found'."""
    if shutil.which("gcc") is None or shutil.which("ldd") is None:
        pytest.skip("needs gcc and ldd")
    (tmp_path / "dep.c").write_text("int dep(void) { return 1; }\n")
    (tmp_path / "main.c").write_text("int dep(void);\nint use(void) { return dep(); }\n")
    run = lambda *a: subprocess.run(a, cwd=tmp_path, check=True, capture_output=True)  # noqa: E731
    run("gcc", "-shared", "-fPIC", "-o", "libgonedep.so.1", "-Wl,-soname,libgonedep.so.1",
        "dep.c")
    run("gcc", "-shared", "-fPIC", "-o", "libqxcb.so", "main.c", "-L.", "-l:libgonedep.so.1")
    (tmp_path / "libgonedep.so.1").unlink()
    env_free = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    assert missing_libraries(tmp_path / "libqxcb.so",
                             run=lambda cmd: subprocess.run(cmd, capture_output=True, text=True,
                                                            env=env_free).stdout
                             ) == ["libgonedep.so.1"]


@linux_only
def test_an_import_error_lists_every_missing_library_not_only_the_first(tmp_path):
    exc = ImportError("libglib-2.0.so.0: cannot open shared object file: No such file")
    message = import_problem(exc, fake_plugin_dir(tmp_path), run=lambda cmd: LDD_OUTPUT)
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in message and APT_LINE in message
    plain = import_problem(exc, tmp_path / "nowhere", run=lambda cmd: "")
    assert plain == f"the GUI is not available: {exc}"
