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
