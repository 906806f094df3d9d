"""Check, before Qt starts, that its windowing platform can load, and say what to install if not.

On Linux Qt's X11 (xcb) platform plugin needs about twenty system libraries that a minimal
desktop or server may lack. When one is missing, Qt aborts the process (exit 134) with a
message that always blames ``libxcb-cursor0``, whatever is missing. This module asks ``ldd``
which libraries of the plugin cannot be found and turns that into one line naming them and the
``apt install`` line that brings every library the plugin needs, so the user fixes it at once.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from annotator.errors import AnnotatorError

# The Debian/Ubuntu packages of every library Qt 6's xcb platform plugin loads beyond a base
# system (Qt's "X11 requirements" page, checked with ldd on PySide6's libqxcb.so).
XCB_PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}

# Those a fresh minimal Debian/Ubuntu lacks most often come first; the line installs them all.
APT_LINE = "sudo apt install " + " ".join(dict.fromkeys(XCB_PACKAGES.values()))

Runner = Callable[[list[str]], str]


class QtPlatformError(AnnotatorError):
    """Qt's windowing platform cannot start on this machine (the message says why)."""


def require_platform() -> None:
    """Raise QtPlatformError, before Qt would abort the process, when the platform cannot load."""
    problem = platform_problem()
    if problem is not None:
        raise QtPlatformError(problem)


def platform_problem(environ: Mapping[str, str] | None = None,
                     plugin_dir: Path | None = None,
                     run: Runner | None = None) -> str | None:
    """A one-line explanation of why Qt's platform cannot start here, or None when it can (or
    when this cannot be known: not Linux, another platform chosen, no ``ldd``)."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or chosen_platform(env) != "xcb":
        return None
    missing = missing_for_xcb(plugin_dir, run)
    if missing:
        return missing_message("Qt's X11 platform plugin cannot load", missing)
    if not env.get("DISPLAY"):
        return ("no X display to open a window on (DISPLAY is not set): start annotator from a "
                "desktop session, or set QT_QPA_PLATFORM=offscreen for --screenshot")
    return None


def import_problem(exc: ImportError, plugin_dir: Path | None = None,
                   run: Runner | None = None) -> str:
    """Why importing Qt failed, in one line: on Linux every missing system library of the
    platform plugin (the import error names only the first) and the line that installs them."""
    missing = missing_for_xcb(plugin_dir, run) if sys.platform.startswith("linux") else []
    if missing:
        return missing_message("the GUI cannot start (Qt cannot load)", missing)
    return f"the GUI is not available: {exc}"


def missing_for_xcb(plugin_dir: Path | None = None, run: Runner | None = None) -> list[str]:
    """The system libraries Qt's xcb plugin (and Qt itself) need that are missing here."""
    folder = plugin_dir or _platform_plugin_dir()
    plugin = folder / "libqxcb.so" if folder is not None else None
    return missing_libraries(plugin, run) if plugin is not None and plugin.exists() else []


def missing_message(what: str, missing: list[str]) -> str:
    packages = sorted({XCB_PACKAGES[lib] for lib in missing if lib in XCB_PACKAGES})
    named = (f" (Debian/Ubuntu package{'' if len(packages) == 1 else 's'} "
             f"{' '.join(packages)})" if packages else "")
    return (f"{what}: missing system librar{'y' if len(missing) == 1 else 'ies'} "
            f"{', '.join(missing)}{named}. Install everything it needs with: {APT_LINE}")


def chosen_platform(environ: Mapping[str, str]) -> str:
    """The platform plugin Qt will try first: QT_QPA_PLATFORM, else Wayland in a Wayland
    session, else X11 ("xcb")."""
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen
    if environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    return "xcb"


def missing_libraries(library: Path, run: Runner | None = None) -> list[str]:
    """Shared libraries ``library`` needs (directly or not) that the loader cannot find."""
    output = (run or _ldd)(["ldd", str(library)])
    missing = [line.split("=>")[0].strip() for line in output.splitlines()
               if "not found" in line and "=>" in line]
    return list(dict.fromkeys(missing))


def _ldd(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        return ""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout


def _platform_plugin_dir() -> Path | None:
    """PySide6's platform plugins, found without importing Qt (which may be what fails)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms"
