"""The keys a skilled annotator presses for events, arguments and relations (for
``bench_keystrokes.py``), by the keymap of the README:

* an event: its trigger word selected as a span is (``Alt+Right``/``Alt+Left`` to it,
  ``Alt+Shift+Right`` to its last token), ``E``, then its type in the pick list: a digit
  when it is among the first nine choices, else the fewest filter letters that bring it
  there, then its digit (or ``Enter`` on the first one). The event is then current;
* an argument: its event made current when it is not (``Tab``/``Shift+Tab`` to the trigger,
  ``Enter``), the filler selected (``Tab``/``Shift+Tab``, whichever is fewer; a span just
  labelled stays selected, no key), then the role's digit (roles past the tenth: ``A`` and
  the role in the pick list);
* a relation: the head selected (as the filler above), ``R``, the tail selected, ``Enter``,
  then the type in the pick list.

``LinkKeys`` is a mixin of the bench's ``Annotator`` (``press``, ``w``, ``target``).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

Key3 = tuple[int, int, str]
ROLE_KEYS = "1234567890"


def visible(choices: list[Any], needle: str) -> list[str]:
    """The values a pick list shows for a filter text (``PickPopup._refill``'s rule)."""
    out = []
    for c in choices:
        shown = c.text or c.value
        if needle and needle not in shown.lower() and needle not in c.value.lower():
            continue
        out.append(c.value)
    return out


def cheapest_pick(choices: list[Any], value: str) -> tuple[str, str]:
    """The fewest keys that pick ``value``: (filter letters, then "digit", "Enter" or
    "Down" times n and Enter); of equal ones the shortest filter, then the first in
    order."""
    best: tuple[int, str, str] | None = None
    words = {value.lower()} | {c.text.lower() for c in choices if c.value == value and c.text}
    # a digit typed in the filter picks the n-th choice: filter texts hold none
    needles = {""} | {w[i:j] for w in words for i in range(len(w))
                      for j in range(i + 1, len(w) + 1) if not any(c.isdigit() for c in w[i:j])}
    for needle in sorted(needles):
        shown = visible(choices, needle)
        if value not in shown:
            continue
        at = shown.index(value)
        cost = len(needle) + (1 if at < 9 else at + 1)
        how = "Enter" if at == 0 else (str(at + 1) if at < 9 else f"Down{at}")
        if best is None or (cost, len(needle)) < (best[0], len(best[1])):
            best = (cost, needle, how)
    if best is None:
        raise RuntimeError(f"{value!r} is not in the pick list")
    return best[1], best[2]


class LinkKeys:
    """Events, arguments and relations by keys (see the module docstring)."""

    w: Any
    target: Any
    refused: list[tuple[Any, str]]  # links the window refused, with its message

    def press(self, spec: str) -> None:  # the bench's Annotator presses and counts
        raise NotImplementedError

    def count(self, n: int = 1) -> None:  # a key typed into a pick list's filter
        raise NotImplementedError

    def _select(self, start: int, end: int) -> bool:
        raise NotImplementedError

    # ---- what the project holds -------------------------------------------------------
    def done_links(self) -> set[tuple[Any, ...]]:
        """The gold events, arguments and relations of the document, as the target names
        them."""
        ann = self.w.project.annotations(self.w.current_doc)
        spans = {s.id: (s.start, s.end, s.label) for s in ann.spans}
        out: set[tuple[Any, ...]] = set()
        for e in ann.events:
            if e.status != "gold" or e.trigger_id not in spans:
                continue
            trigger = spans[e.trigger_id][:2]
            out.add(("event", trigger, e.type))
            out |= {("argument", trigger, e.type, a.role, spans.get(a.filler_id))
                    for a in e.arguments if a.status == "gold"}
        out |= {("relation", spans.get(r.head_id), spans.get(r.tail_id), r.type)
                for r in ann.relations if r.status == "gold"}
        return out

    def _gold_span(self, key: Key3) -> str | None:
        return next((s.id for s in self.w.project.spans(self.w.current_doc)
                     if (s.start, s.end, s.label) == key and s.status == "gold"), None)

    def _gold_event(self, trigger: tuple[int, int], etype: str) -> Any:
        ann = self.w.project.annotations(self.w.current_doc)
        spans = {s.id: (s.start, s.end) for s in ann.spans}
        return next((e for e in ann.events if e.status == "gold" and e.type == etype
                     and spans.get(e.trigger_id) == trigger), None)

    # ---- keys ----------------------------------------------------------------------------
    def tab_to(self, span_id: str) -> bool:
        """Select a span by ``Tab``/``Shift+Tab``, whichever reaches it in fewer presses."""
        view = self.w.view
        for _ in range(400):
            if view.selected_annotation() == ("span", span_id):
                return True
            order = view._state.index.ordered()
            ids = [x[2] for x in order]
            if span_id not in ids:
                return False
            n, at = len(ids), ids.index(span_id)
            current = view._state.selected_span()
            if current in ids:
                forward = (at - ids.index(current)) % n
                backward = (ids.index(current) - at) % n
            else:
                first = bisect_left(order, (view.text_selection()[0], -(10 ** 12), ""))
                forward = (at - first) % n + 1
                backward = (first - 1 - at) % n + 1
            self.press("Tab" if forward <= backward else "Shift+Tab")
        return False

    def pick(self, value: str) -> bool:
        """Pick ``value`` in the open pick list by the fewest keys."""
        popup = self.w.ops.popup
        if popup is None:
            return False
        needle, how = cheapest_pick(popup.choices, value)
        for ch in needle:
            QTest.keyClicks(popup.filter, ch)
            QApplication.processEvents()
            self.count()
        if how.startswith("Down"):
            for _ in range(int(how[4:])):
                self.press("Down")
            how = "Enter"
        self.press(how)
        return self.w.ops.popup is None

    def add_event(self, key: tuple[Any, ...]) -> bool:
        """A missing gold event: its trigger word selected, ``E``, its type picked."""
        _kind, (start, end), etype = key
        if not self._select(start, end):
            return False
        self.press("E")
        return self.pick(etype) and self._gold_event((start, end), etype) is not None

    def make_current(self, event: Any) -> bool:
        modes = self.w.modes
        for _ in range(4):
            if modes.event_id == event.id:
                return True
            if not self.tab_to(event.trigger_id):
                return False
            self.press("Return")
        return modes.event_id == event.id

    def add_link(self, key: tuple[Any, ...]) -> bool:
        """A missing gold argument or relation whose spans are there (see the docstring)."""
        if key[0] == "argument":
            return self._add_argument(key)
        _kind, head, tail, rtype = key
        head_id, tail_id = self._gold_span(head), self._gold_span(tail)
        if head_id is None or tail_id is None or not self.tab_to(head_id):
            return False
        self.press("R")
        if not self.tab_to(tail_id):
            return False
        self.press("Return")
        return self.pick(rtype) and key in self.done_links()

    def reject_suggestion(self, ident: str) -> bool:
        """``K`` (``Shift+K`` when it is behind) until the suggestion is selected, ``X``."""
        from annotator.gui.suggestions import suggestions_of

        actions = suggestions_of(self.w)
        for _ in range(200):
            chosen = actions.selected()
            if chosen is not None and chosen.id == ident:
                self.press("X")
                return True
            items = actions._open()
            ids = [x.id for x in items]
            if ident not in ids:
                return False
            target = items[ids.index(ident)]
            behind = chosen is not None and (target.start, target.end) < (chosen.start,
                                                                          chosen.end)
            self.press("Shift+K" if behind else "K")
        return False

    def _add_argument(self, key: tuple[Any, ...]) -> bool:
        _kind, trigger, etype, role, filler = key
        event = self._gold_event(trigger, etype)
        filler_id = self._gold_span(filler)
        if event is None or filler_id is None:
            return False
        et = self.w.project.schema.event_type(etype)
        roles = [r.name for r in et.roles]
        if not self.make_current(event) or not self.tab_to(filler_id):
            return False
        bound = next(r.bounds[1] for r in et.roles if r.name == role)
        held = [a for a in self.w.project.event(event.id).arguments
                if a.role == role and a.status != "rejected"]
        if bound is not None and len(held) >= bound:  # a wrong suggestion holds the role
            for a in held:
                if a.status == "suggested" and not self.reject_suggestion(a.id):
                    return False
            if not self.tab_to(filler_id):
                return False
        at = roles.index(role)
        if at < len(ROLE_KEYS):
            self.press(ROLE_KEYS[at])
        else:
            self.press("A")
            self.pick(role)
        if key in self.done_links():
            return True
        self.refused.append((key, self.w.statusBar().currentMessage()))
        return False
