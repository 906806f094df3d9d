"""The one text-colour rule shared by the document view and brat's visual.conf export."""

from __future__ import annotations

import pytest

from annotator.core.colors import (
    contrast_ratio,
    parse_hex,
    relative_luminance,
    text_color_on,
    text_on,
)
from annotator.core.schema import load_schema
from annotator.formats.brat_conf import write_visual_conf


def test_contrast_picks_readable_text():
    assert text_on((255, 255, 255)) == (0, 0, 0)
    assert text_on((0, 0, 0)) == (255, 255, 255)
    assert text_on((0x00, 0x33, 0x99)) == (255, 255, 255)  # dark blue
    assert text_on((0xEE, 0x88, 0x66)) == (0, 0, 0)  # light orange
    assert abs(relative_luminance((255, 255, 255)) - 1.0) < 1e-9
    assert abs(contrast_ratio((0, 0, 0), (255, 255, 255)) - 21.0) < 1e-9


def test_parse_hex_and_named_rule():
    assert parse_hex("#0a0B0c") == (10, 11, 12)
    with pytest.raises(ValueError):
        parse_hex("blue")
    assert text_color_on("#003399") == "white"
    assert text_color_on("#ee8866") == "black"
    assert text_color_on("not a colour") == "black"


def test_brat_visual_conf_uses_the_same_rule_as_the_view():
    schema = load_schema("ace2005-news")
    conf = write_visual_conf(schema)
    checked = 0
    for line in conf.splitlines():
        if "bgColor:" not in line or line.startswith(("SPAN_DEFAULT", "ARC_DEFAULT")):
            continue
        bg = line.split("bgColor:")[1].split(",")[0].strip()
        fg = line.split("fgColor:")[1].strip()
        try:
            expected = "white" if text_on(parse_hex(bg)) == (255, 255, 255) else "black"
        except ValueError:  # a named colour: brat draws it with black text
            expected = "black"
        assert fg == expected, line
        checked += 1
    assert checked > 5
