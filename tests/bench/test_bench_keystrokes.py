"""bench_keystrokes: the scripted annotator reaches a document's whole gold (spans, an event
with its arguments, a relation) by the real keys in the main window, and the pick-list plan
picks what it means to with the fewest keys."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

import annotator  # noqa: E402

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import bench_keystrokes  # noqa: E402
from keystroke_links import cheapest_pick, visible  # noqa: E402

from annotator.gui.dialogs import Choice, PickPopup  # noqa: E402

TEXT = "Russian diplomat Sergei Ivanov met NATO chiefs in Brussels on May 7."


def _span(text: str, word: str) -> tuple[int, int]:
    at = text.index(word)
    return at, at + len(word)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A project (the default ACE schema) of one document with gold spans, an event with
    two arguments and a relation."""
    path = tmp_path / "tiny.annproj"
    p = annotator.create_project(path, annotator="ana")
    try:
        p.annotation_set = "gold"
        doc = p.add_document(TEXT, name="tiny")
        ids = {w: p.add_span(doc.id, *_span(TEXT, w), label).id for w, label in (
            ("Russian", "GPE"), ("Sergei Ivanov", "PER"), ("NATO", "ORG"),
            ("Brussels", "GPE"), ("May 7", "TIME"))}
        p.add_trigger_event(doc.id, *_span(TEXT, "met"), "Contact.Meet",
                            arguments=[("Entity", ids["Sergei Ivanov"]),
                                       ("Place", ids["Brussels"])])
        p.add_relation("ORG-AFF.Employment", ids["Sergei Ivanov"], ids["Russian"])
    finally:
        p.close()
    return path


def test_without_suggestions_reaches_the_whole_gold(qapp, tmp_path: Path, tiny: Path) -> None:
    bench_keystrokes.isolate_settings(tmp_path / "settings")
    (tmp_path / "run").mkdir()
    path, target = bench_keystrokes.prepare(tmp_path / "run", tiny, "tiny")
    assert (len(target.spans), len(target.events), len(target.links)) == (5, 1, 3)
    with annotator.open_project(path, annotator="bench") as p:  # emptied for the run
        assert not p.annotations(p.document_by_name("tiny").id, "gold").spans
    run = bench_keystrokes.run_window(path, target, suggestions=False, document="tiny")
    assert run.reached and run.unreachable == 0
    bot = run.bot
    assert set(bot.by_hand) == {"span", "event", "argument", "relation"}
    assert bot.by_key["E"] == 1 and bot.by_key["R"] == 1
    assert bot.by_key["role digit"] == 2
    assert sum(bot.by_kind.values()) == run.presses
    # the project file holds exactly the gold, read back from disk
    with annotator.open_project(path, annotator="bench") as p:
        p.annotation_set = "gold"
        again = bench_keystrokes.gold_of(p, p.document_by_name("tiny").id)
    assert (again.spans, again.events, sorted(again.links, key=str)) == (
        target.spans, target.events, sorted(target.links, key=str))


def test_cheapest_pick_picks_the_value_in_the_real_pick_list(qtbot) -> None:
    # digits in the names: typed in the filter a digit would pick, not filter
    words = ["Merge", "Attack", "Meet", "Phone", "Elect", "Move", "Sue", "Fine", "Born",
             "Marry", "Die", "Injure"]
    names = [f"Type{i}.{w}" for i, w in enumerate(words)]
    choices = [Choice(n, n) for n in names]
    for value in (names[0], names[4], names[11]):
        needle, how = cheapest_pick(choices, value)
        shown = visible(choices, needle)
        cost = len(needle) + 1
        # nothing shorter brings it among the first nine (or first, for Enter)
        assert all(value not in visible(choices, value.lower()[i:i + n])[:9]
                   for n in range(1, len(needle)) for i in range(len(value) - n + 1))
        popup = PickPopup("t", choices)  # deletes itself when it closes (a pick)
        picked: list[str] = []
        popup.picked.connect(picked.append)
        popup.show()
        qtbot.keyClicks(popup.filter, needle)
        if how == "Enter":
            qtbot.keyClick(popup.filter, Qt.Key.Key_Return)
        else:
            qtbot.keyClicks(popup.filter, how)
        assert picked == [value], (value, needle, how, shown)
        assert cost <= len(value) + 1 and not any(c.isdigit() for c in needle)
    assert cheapest_pick(choices, names[4]) == ("", "5")  # fifth shown: one digit
