"""Turn a sentence rewrite into word-level edits, so an editor can take part of it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import regex

TOKEN = regex.compile(r"\S+")


@dataclass(frozen=True)
class WordChange:
    """Replace ``[start, end)`` of the sentence with ``replacement`` (may be an insertion)."""

    start: int
    end: int
    replacement: str


def word_changes(sentence: str, rewrite: str) -> list[WordChange]:
    """The smallest word-level changes that turn ``sentence`` into ``rewrite``.

    Words are compared exactly; a deletion takes one neighbouring space with it and an
    insertion brings its own, so applying every change gives ``rewrite`` word for word.
    """
    src = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(sentence)]
    dst = rewrite.split()
    matcher = difflib.SequenceMatcher(a=[w for *_, w in src], b=dst, autojunk=False)
    changes = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        new = " ".join(dst[j1:j2])
        if op == "equal":
            continue
        if op == "replace":
            changes.append(WordChange(src[i1][0], src[i2 - 1][1], new))
        elif op == "delete":
            start, end = src[i1][0], src[i2 - 1][1]
            if i2 < len(src):
                end = src[i2][0]  # the space after goes too
            elif i1 > 0:
                start = src[i1 - 1][1]  # last words: the space before goes
            changes.append(WordChange(start, end, ""))
        elif op == "insert":
            if i1 < len(src):
                changes.append(WordChange(src[i1][0], src[i1][0], new + " "))
            elif src:
                changes.append(WordChange(src[-1][1], src[-1][1], " " + new))
            else:
                changes.append(WordChange(0, 0, new))
    return changes
