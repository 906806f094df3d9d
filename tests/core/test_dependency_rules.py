"""Dependency rules of the package layout: Qt only in annotator/gui, SQL only in
annotator/store, the core imports no formats/nlp/gui/cli, and importing the core/CLI pulls
in neither Qt nor spaCy."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "annotator"
QT_MODULES = ("PySide6", "shiboken6")
SQL = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE\s+.*\bSET|DELETE\s+FROM|CREATE\s+TABLE)\b")


def sources() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10, f"expected the package sources under {PACKAGE}"
    return files


def inside(path: Path, sub: str) -> bool:
    return (PACKAGE / sub) in path.parents


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(
                node.func, "id", "")) in ("import_module", "__import__") and node.args and \
                isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            names.add(node.args[0].value)
    return names


def test_qt_is_imported_only_in_the_gui_package():
    offenders = []
    for path in sources():
        if inside(path, "gui"):
            continue
        for name in imported_modules(path):
            if name.split(".")[0] in QT_MODULES:
                offenders.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert offenders == []


def test_sql_is_written_only_in_the_store_package():
    offenders = []
    for path in sources():
        if inside(path, "store"):
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SQL.search(line):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{lineno}: {line.strip()}")
    assert offenders == []


def test_core_imports_no_outer_package():
    # what the core needs from formats and nlp (a schema reader, a tokenizer) is passed in
    outer = ("annotator.formats", "annotator.nlp", "annotator.gui", "annotator.cli")
    offenders = []
    for path in sources():
        if not inside(path, "core"):
            continue
        for name in imported_modules(path):
            if name in outer or name.startswith(tuple(o + "." for o in outer)):
                offenders.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert offenders == []


def test_the_rules_would_catch_a_violation(tmp_path):
    # guard against a scanner that silently finds nothing
    assert SQL.search('conn.execute("SELECT id FROM spans")')
    assert SQL.search("UPDATE spans SET label = ?")
    assert SQL.search("DELETE FROM spans")
    assert not SQL.search("select the span, then update its label")
    bad = tmp_path / "bad.py"
    bad.write_text("import PySide6.QtCore\nfrom shiboken6 import isValid\n")
    assert imported_modules(bad) == {"PySide6.QtCore", "shiboken6"}


def test_importing_core_and_cli_loads_neither_spacy_nor_qt():
    code = ("import annotator, annotator.cli, annotator.core.project; import sys; "
            "assert 'spacy' not in sys.modules and 'PySide6' not in sys.modules, "
            "sorted(m for m in sys.modules if m.startswith(('spacy', 'PySide6')))")
    env = {**os.environ, "PYTHONPATH": str(PACKAGE.parent)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
