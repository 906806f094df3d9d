"""Write docs/architecture.md's module map: one line per package and file of ``annotator/``,
taken from the first sentence of each module's docstring (run: python docs/module_map.py).

tests/test_docs.py checks that the map names every module, so it cannot fall behind the code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
START, END = "<!-- module map: start -->", "<!-- module map: end -->"


def first_sentence(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    text = " ".join(doc.split())
    match = re.match(r"(.+?\.)(\s|$)", text)
    sentence = (match.group(1) if match else text).rstrip(".")
    return sentence if len(sentence) <= 160 else sentence[:157].rsplit(" ", 1)[0] + " ..."


def module_map() -> str:
    lines: list[str] = []
    for folder in sorted({p.parent for p in (ROOT / "annotator").rglob("*.py")}):
        if "__pycache__" in folder.parts:
            continue
        package = folder.relative_to(ROOT).as_posix()
        init = folder / "__init__.py"
        lines.append(f"\n**`{package}/`** {first_sentence(init) if init.exists() else ''}\n")
        for path in sorted(folder.glob("*.py")):
            if path.name != "__init__.py":
                lines.append(f"- `{path.name}`: {first_sentence(path)}")
    return "\n".join(lines).strip() + "\n"


def main() -> None:
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n{module_map()}{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
