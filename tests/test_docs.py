"""The documentation states what the code does: the JSON Schema in docs/formats.md is the one the
importer validates against, and the README keeps its two set-up commands first."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_formats_md_carries_the_validated_json_schema() -> None:
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.S)
    shipped = json.loads((ROOT / "resources" / "native-jsonl.schema.json").read_text())
    assert any(_loads(b) == shipped for b in blocks), "docs/formats.md lacks the shipped schema"


def _loads(block: str) -> object:
    try:
        return json.loads(block)
    except json.JSONDecodeError:
        return None


def test_readme_starts_with_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```(?:bash|sh)?\n(.*?)```", readme, flags=re.S)
    assert first_block is not None
    commands = first_block.group(1)
    assert "sample_projects/news-demo/news-demo.annproj" in commands
    assert "pytest" in commands
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest" in ci and "QT_QPA_PLATFORM=offscreen" in ci


def test_readme_scripting_example_runs(tmp_path, monkeypatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, flags=re.S)
    assert block is not None
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)  # noqa: S102
    import annotator

    with annotator.open_project(tmp_path / "news.annproj", readonly=True) as project:
        doc = project.document_by_name("story-1")
        ann = project.annotations(doc.id, "ana")
        assert {s.label for s in ann.spans} >= {"GPE", "ORG", "Contact.Meet"}
        (meeting,) = ann.events
        assert sorted(a.role for a in meeting.arguments) == ["Entity", "Entity", "Place"]


def test_every_package_ships_in_the_wheel() -> None:
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "annotator").rglob("__init__.py")}
    assert found <= listed, f"packages missing from pyproject.toml: {sorted(found - listed)}"
    assert "annotator.resources" in listed


def test_readme_keyboard_map_matches_the_keymap() -> None:
    from annotator.gui.keymap import keymap_markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- keymap:start", 1)[1].split("<!-- keymap:end -->", 1)[0]
    body = keymap_markdown().split("\n", 2)[2]
    expected = "\n".join(("#" + line) if line.startswith("## ") else line
                         for line in body.splitlines()).strip()
    assert section.split("-->", 1)[1].strip() == expected


def test_module_map_names_every_module():
    """docs/architecture.md lists every module of annotator/ (python docs/module_map.py)."""
    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    for path in sorted((root / "annotator").rglob("*.py")):
        if path.name == "__init__.py":
            assert f"**`{path.parent.relative_to(root).as_posix()}/`**" in text, path
        else:
            assert f"- `{path.name}`:" in text, f"{path} is missing from docs/architecture.md"
