"""LanguageTool's ``data`` annotation as a `Layout`.

``{"annotation": [{"text": "A "}, {"markup": "<b>", "interpretAs": ""}, …]}``: text parts
are repaired, markup parts are kept and stand for their ``interpretAs`` (nothing when
absent). Offsets in the answer count the text and the markup, as LanguageTool's do.
"""

from __future__ import annotations

import json
from typing import Any

from copydesk.models.errors import InputError
from copydesk.models.markup.layout import Layout, Run


def parse_annotation(data: str | Any) -> Layout:
    """The annotation (its JSON, or parsed) as runs; `InputError` on any malformed part."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise InputError(f"'data' is not valid JSON: {exc}") from exc
        except RecursionError:
            raise InputError("'data' nests arrays or objects too deep to read") from None
    parts = data.get("annotation") if isinstance(data, dict) else None
    if not isinstance(parts, list):
        raise InputError("'data' needs an 'annotation' list")
    runs = []
    for i, part in enumerate(parts):
        if not isinstance(part, dict):
            raise InputError(f"annotation part {i} is not an object")
        text, markup = part.get("text"), part.get("markup")
        if (text is None) == (markup is None):
            raise InputError(f"annotation part {i} needs either 'text' or 'markup'")
        interpret = part.get("interpretAs", "")
        if not all(isinstance(v, str) for v in (text or "", markup or "", interpret)):
            raise InputError(f"annotation part {i} has a value that is not a string")
        runs.append(Run(text) if text is not None else Run(markup, interpret))
    return Layout(runs)
