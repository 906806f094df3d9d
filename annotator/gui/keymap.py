"""Every keyboard shortcut of the main window in one table.

The table builds the QActions (``MainWindow``), the Help > Keyboard shortcuts dialog and
``docs/keyboard.md`` (``keymap_markdown``), so the three can never disagree. Keys are written
in ``QKeySequence`` portable text. ``scope`` says where a key works: ``window`` anywhere in the
main window, ``document`` only while the document view has the keyboard focus (so that typing
``p`` in a filter box never labels anything), ``view`` keys handled by the document view itself
(listed here for the help only).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Key:
    name: str  # action name used by the main window
    keys: tuple[str, ...]
    description: str
    group: str
    scope: str = "window"  # window | document | view


# Fixed one-letter command keys; a schema label hotkey that collides with one of these is
# moved to Shift+letter (see ``label_shortcut``).
COMMAND_LETTERS = ("q", "r", "e", "a", "k", "y", "x", "u")

KEYMAP: tuple[Key, ...] = (
    # ---- files --------------------------------------------------------------------------
    Key("new_project", ("Ctrl+N",), "New project…", "File"),
    Key("open_project", ("Ctrl+O",), "Open project…", "File"),
    Key("import", ("Ctrl+I",), "Import documents: text, JSONL, brat, CoNLL … files", "File"),
    Key("import_folder", ("Ctrl+Shift+I",), "Import a folder of articles", "File"),
    Key("export", ("Ctrl+E",), "Export…", "File"),
    Key("quit", ("Ctrl+Q",), "Quit", "File"),
    # ---- edit ---------------------------------------------------------------------------
    Key("undo", ("Ctrl+Z",), "Undo the last edit (the menu names it)", "Edit"),
    Key("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo", "Edit"),
    Key("find", ("Ctrl+F",), "Find in the document", "Edit"),
    Key("find_next", ("F3",), "Find next", "Edit"),
    Key("find_previous", ("Shift+F3",), "Find previous", "Edit"),
    Key("search_corpus", ("Ctrl+Shift+F",), "Search all documents", "Edit"),
    # ---- annotate -----------------------------------------------------------------------
    Key("label_hotkey", ("<label key>",),
        "Label the selection with that label (keys in the label palette); with a span "
        "selected (Tab, click): relabel it (selecting a span replaces the text selection)",
        "Annotate", "document"),
    Key("quick_label", ("Q",), "Quick pick a label or event type: type a few letters, Enter",
        "Annotate",
        "document"),
    Key("label_all", ("Ctrl+Shift+A",),
        "Label every occurrence of the selected span's text in this document (one undo step)",
        "Annotate"),
    Key("label_all_corpus", ("Ctrl+Alt+Shift+A",),
        "Label every occurrence in all documents (one undo step)", "Annotate"),
    Key("grow_end", ("Ctrl+Alt+Right", "Ctrl+]"), "Selected span: move its end one token right",
        "Annotate"),
    Key("shrink_end", ("Ctrl+Alt+Left", "Ctrl+["), "Selected span: move its end one token left",
        "Annotate"),
    Key("grow_start", ("Ctrl+Alt+Shift+Left", "Ctrl+Shift+["),
        "Selected span: move its start one token left", "Annotate"),
    Key("shrink_start", ("Ctrl+Alt+Shift+Right", "Ctrl+Shift+]"),
        "Selected span: move its start one token right", "Annotate"),
    Key("delete", ("Delete", "Backspace"),
        "Delete the selected annotation (a span with its relations and arguments)",
        "Annotate", "document"),
    Key("confirm", ("Return", "Enter"),
        "Relation target chosen: pick the type; on a trigger: make its event current (again: "
        "its next event); otherwise edit the selection in the inspector",
        "Annotate", "document"),
    Key("cancel", ("Esc",), "Cancel a pending relation and release the current event",
        "Annotate", "view"),
    # ---- relations and events -----------------------------------------------------------
    Key("start_relation", ("R",),
        "Start a relation from the selected span; Tab to the target, Enter, type key",
        "Relations and events", "document"),
    Key("reverse_relation", ("Ctrl+R",), "Reverse the selected relation",
        "Relations and events"),
    Key("new_event", ("E",),
        "Make the selected span (or text) an event trigger: pick the type (digits or filter, "
        "Enter); the event becomes the current event (shown in the status bar); on a "
        "trigger: make its event current", "Relations and events", "document"),
    Key("fill_role", ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0"),
        "Current event: fill role 1-9 (0 = 10th), in inspector order, with the selected span "
        "(only an event made current by E, Enter or its arc; tabbing across a trigger "
        "does not)",
        "Relations and events", "document"),
    Key("pick_role", ("A",),
        "Current event: pick any of its roles by name (type a few letters, Enter) and fill it "
        "with the selected span; reaches the roles past the 10th", "Relations and events",
        "document"),
    Key("clear_role", ("Shift+Del",), "Current event: remove the last argument added",
        "Relations and events", "document"),
    Key("next_span_relation", (".",), "Select the next relation (or event) whose arc ends on "
        "the selected span, in text order of the other end; again: the one after (the "
        "inspector edits it, Ctrl+R reverses, Delete deletes, Esc goes back to the span)",
        "Relations and events", "document"),
    Key("previous_span_relation", (",",), "Select the previous relation (or event) of the "
        "selected span", "Relations and events", "document"),
    Key("next_relation", ("F9",), "Select the next relation of the document in text order "
        "(Esc: back to the span it starts from)", "Relations and events", "document"),
    Key("previous_relation", ("Shift+F9",), "Select the previous relation of the document",
        "Relations and events", "document"),
    # ---- chains and fragments (annotator.gui.chains) -------------------------------------
    Key("link_chain", ("Ctrl+L",), "Link the selected span to another mention's chain: Ctrl+L "
        "on the span, select the other mention, Ctrl+L again", "Chains and fragments",
        "document"),
    Key("unlink_chain", ("Ctrl+Alt+L",), "Take the selected span out of its chain",
        "Chains and fragments", "document"),
    Key("next_mention", ("Ctrl+.",), "Select the next mention of the selected span's chain",
        "Chains and fragments", "document"),
    Key("previous_mention", ("Ctrl+,",), "Select the previous mention of the chain",
        "Chains and fragments", "document"),
    Key("add_fragment", ("Ctrl+Alt+F",), "Add a fragment to the selected span: Ctrl+Alt+F on "
        "the span, select the fragment's text, Ctrl+Alt+F again", "Chains and fragments",
        "document"),
    # ---- suggestions (annotator.gui.suggestions) ------------------------------------------
    Key("next_suggestion", ("K", "F7"), "Select the next open suggestion (model, patterns, "
        "gold dictionary)", "Suggestions", "document"),
    Key("previous_suggestion", ("Shift+K", "Shift+F7"), "Select the previous open suggestion",
        "Suggestions", "document"),
    Key("accept_suggestion", ("Y",), "Accept the selected suggestion (a suggested argument "
        "too; with none selected, the next one in the caret's sentence) and go to the next; a "
        "label key accepts it with that label and goes on too", "Suggestions", "document"),
    Key("reject_suggestion", ("X",), "Reject the selected suggestion (with none selected, the "
        "next one in the caret's sentence; never proposed again by its source here) and go to "
        "the next", "Suggestions", "document"),
    Key("accept_sentence", ("Shift+Y",), "Accept every suggestion in the sentence of the "
        "selected suggestion (one undo step) and go to the next", "Suggestions", "document"),
    Key("reject_sentence", ("Shift+X",), "Reject every suggestion left in that sentence (one "
        "undo step) and go to the next", "Suggestions", "document"),
    Key("next_unlabelled", ("U",), "Select the next unlabelled capitalised or numeric run "
        "(where a missing name, date or number usually is)", "Suggestions", "document"),
    Key("accept_document", ("Ctrl+Shift+Y",), "Accept every suggestion in the document (one "
        "undo step)", "Suggestions"),
    Key("suggest_document", ("Ctrl+Alt+G",), "Suggest in this document (gold dictionary and "
        "the trained model), in the background", "Suggestions"),
    Key("suggest_all", ("Ctrl+Alt+Shift+G",), "Suggest in all documents, in the background",
        "Suggestions"),
    Key("train_model", ("Ctrl+Alt+M",), "Train a model from the documents marked done, in the "
        "background (the next Suggest uses it)", "Suggestions"),
    # ---- documents ----------------------------------------------------------------------
    Key("next_document", ("Ctrl+PgDown", "Alt+Down"), "Next document", "Documents"),
    Key("previous_document", ("Ctrl+PgUp", "Alt+Up"), "Previous document", "Documents"),
    Key("mark_done", ("Ctrl+D",), "Mark the document done", "Documents"),
    Key("mark_in_progress", ("Ctrl+Shift+D",), "Mark the document in progress", "Documents"),
    Key("next_problem", ("F8",), "Jump to the next problem", "Documents"),
    Key("previous_problem", ("Shift+F8",), "Jump to the previous problem", "Documents"),
    Key("merge_files", ("Ctrl+Shift+M",), "Merge annotator files (work packages) into the "
        "project", "Documents"),
    Key("agreement", ("Ctrl+Shift+K",), "Agreement between annotators: tables, heat map, "
        "documents ranked by disagreement", "Documents"),
    # ---- curation (annotator.gui.curation) ----------------------------------------------
    Key("curate", ("Ctrl+Shift+G",), "Curation mode on/off: every annotator's candidates "
        "beside the gold set, which is the set edited", "Curation"),
    Key("next_disagreement", ("F6",), "Curation: next open disagreement", "Curation"),
    Key("previous_disagreement", ("Shift+F6",), "Curation: previous open disagreement",
        "Curation"),
    Key("take_candidate", ("Ctrl+T",), "Curation: take the selected candidate into gold, in "
        "the version of the annotator whose column is selected (attributes and arguments "
        "come with it)", "Curation"),
    Key("take_agreed", ("Ctrl+Alt+T",), "Curation: take every agreed annotation of this "
        "document into gold (one undo step)", "Curation"),
    Key("reject_candidate", ("Ctrl+Shift+X",), "Curation: reject the selected candidate (kept "
        "in gold as rejected, never exported)", "Curation"),
    Key("take_chain", ("Ctrl+Alt+C",), "Curation: take the selected span's chain membership "
        "into gold (the gold chain holding its other mentions, or a new one)", "Curation"),
    # ---- view ---------------------------------------------------------------------------
    Key("zoom_in", ("Ctrl++", "Ctrl+="), "Larger text", "View"),
    Key("zoom_out", ("Ctrl+-",), "Smaller text", "View"),
    Key("zoom_reset", ("Ctrl+0",), "Default text size", "View"),
    Key("toggle_arcs", ("Ctrl+Shift+L",), "Show all relation arcs (or only the selection's)",
        "View"),
    Key("toggle_snap", ("Ctrl+Shift+T",), "Snap selections to tokens", "View"),
    Key("annotation_set", ("Ctrl+Shift+S",), "Show and edit another annotation set…", "View"),
    Key("focus_documents", ("Ctrl+1",), "Focus the document list", "View"),
    Key("focus_view", ("Ctrl+2",), "Focus the document text", "View"),
    Key("focus_inspector", ("Ctrl+3",), "Focus the inspector", "View"),
    Key("focus_problems", ("Ctrl+4",), "Focus the problems list", "View"),
    Key("focus_palette", ("Ctrl+5",), "Focus the label palette", "View"),
    Key("shortcuts", ("F1", "Ctrl+/"), "Keyboard shortcuts", "Help"),
    # ---- handled by the document view itself --------------------------------------------
    Key("view_next_span", ("Tab", "Shift+Tab"), "Select the next / previous annotation",
        "Document view", "view"),
    Key("view_token", ("Alt+Right", "Alt+Left"), "Select the next / previous word token "
        "(tokens made only of punctuation are jumped over)", "Document view", "view"),
    Key("view_extend", ("Alt+Shift+Right", "Alt+Shift+Left"), "Extend / shrink the selection "
        "by a word token (punctuation-only tokens jumped over)", "Document view", "view"),
    Key("view_every_token", ("Alt+.", "Alt+,"), "Select the next / previous token, "
        "punctuation included", "Document view", "view"),
    Key("view_shift_arrows", ("Shift+Arrows",), "Extend the selection by a character (kept as "
        "it is when snapping is on)",
        "Document view", "view"),
    Key("view_escape", ("Esc",), "Clear the selection; on a relation or event selected with "
        "the keys . , F9 or Shift+F9: back to the span it was reached from", "Document view", "view"),
)

_BY_NAME = {k.name: k for k in KEYMAP}


def key(name: str) -> Key:
    return _BY_NAME[name]


def keys_of(name: str) -> tuple[str, ...]:
    return _BY_NAME[name].keys


def label_shortcut(hotkey: str) -> str:
    """The key that applies a label whose schema hotkey is ``hotkey`` (empty: none)."""
    hotkey = (hotkey or "").strip()
    if not hotkey:
        return ""
    if len(hotkey) == 1 and hotkey.lower() in COMMAND_LETTERS:
        return f"Shift+{hotkey.upper()}"
    if len(hotkey) == 1 and hotkey.isdigit():
        return f"Shift+{hotkey}"  # digits fill event roles
    return hotkey.upper() if len(hotkey) == 1 else hotkey


def keymap_markdown() -> str:
    """The table as Markdown (docs/keyboard.md, the README)."""
    lines = ["# Keyboard shortcuts", "",
             "Generated from `annotator/gui/keymap.py` (`keymap_markdown()`); the Help > "
             "Keyboard shortcuts dialog shows the same table.", "",
             "*Document* keys work while the document text has the focus (so typing in a filter "
             "box never labels anything); *view* keys are handled by the document view.", ""]
    groups: dict[str, list[Key]] = {}
    for k in KEYMAP:
        groups.setdefault(k.group, []).append(k)
    for group, entries in groups.items():
        lines += [f"## {group}", "", "| Keys | Action | Where |", "|---|---|---|"]
        for k in entries:
            keys = ", ".join(f"`{x}`" for x in k.keys)
            lines.append(f"| {keys} | {k.description} | {k.scope} |")
        lines.append("")
    lines += ["## Label keys", "",
              "Each span label's key is its schema `hotkey` (shown in the label palette). A "
              "hotkey that is one of the command letters "
              f"({', '.join(c.upper() for c in COMMAND_LETTERS)}) or a digit moves to "
              "Shift+key.", "",
              "## Keyboard-only workflow", "",
              "1. `Alt+Right` / `Alt+Shift+Right` select tokens; a label key labels them; the new "
              "span stays selected.",
              "2. `E` on a selected word makes it an event trigger (type picked with digits or "
              "a filter + `Enter`); that event stays *current* (inspector, numbered roles) until "
              "`Esc`.",
              "3. With an event current, `Tab` to an entity and press the role's digit (or `A` and a few letters of any role's name).",
              "4. `R` on a selected span starts a relation; `Tab` to the other span, `Enter`, "
              "then the type's digit (or filter + `Enter`). `Ctrl+R` reverses it.",
              "5. `Ctrl+Z` / `Ctrl+Shift+Z` undo and redo; the Edit menu names the step.", ""]
    return "\n".join(lines)
