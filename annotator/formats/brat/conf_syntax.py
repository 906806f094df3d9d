"""What brat's configuration files share: ``[section]`` headers, the ``# annotator:``
directive prefix (lines brat ignores and our reader uses to restore what brat cannot say) and
errors that name the file and line."""

from __future__ import annotations

import re

from annotator.errors import SchemaError

DIRECTIVE = "# annotator:"
SECTION_RE = re.compile(r"^\s*\[(.*)\]\s*$")
#: what ``allow_overlap`` without rules of its own is written as (any overlap allowed)
ANY_OVERLAP = "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>"


def conf_error(source: str, lineno: int, message: str) -> SchemaError:
    return SchemaError(f"{source}:{lineno}: {message}")
