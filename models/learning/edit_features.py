"""What is known about a proposed edit at repair time, as numbers a judge can weigh.

Every feature is read from the edit and the text the stage proposed it on: its rule and
confidence, which way it moves a capital, where it stands (a sentence's start, inside
quotes or brackets, among capitalised neighbours), how common the word is and how the
casing model's training text writes it, and whether the text writes the word elsewhere
as the edit proposes. Plain Python, and cached where a word's lookup is dear: a repair
asks it of every edit.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from copydesk.models.edits import Edit
from copydesk.models.house import rule_key
from copydesk.models.wordstats import is_known_place, shipped_word_usage, zipf

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_SENTENCE_END = frozenset('.!?:;…"“”«»')


@lru_cache(maxsize=65536)
def _word_facts(word: str) -> tuple[float, float, float, float, float, float]:
    """(Zipf / 8, always capitalised, almost never, a given name, seen in lowercase, a
    known place) for one lowercased word."""
    usage = shipped_word_usage()
    return (
        zipf(word) / 8.0,
        float(word in usage.proper),
        float(word in usage.common),
        float(word in usage.given),
        float(usage.seen_in_lowercase(word)),
        float(is_known_place(word)),
    )


@lru_cache(maxsize=16)
def _text_facts(text: str) -> tuple[Counter[str], float]:
    """(how often ``text`` writes each word, case-sensitive; its share of capitalised
    words), once per text: a repair asks for every edit of the same text."""
    words = _WORD.findall(text)
    share = sum(map(_capitalised, words)) / len(words) if words else 0.0
    return Counter(words), share


def direction(edit: Edit) -> str:
    """``raise`` or ``lower`` for an edit that only changes capitals, else ``other``."""
    a, b = edit.original, edit.replacement
    if a.lower() != b.lower():
        return "other"
    ups = sum(c.isupper() for c in b) - sum(c.isupper() for c in a)
    return "raise" if ups > 0 else "lower"


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _elsewhere(words: str, counts: Counter[str], inside: int, text: str) -> bool:
    """Whether the text writes ``words`` so outside the edit (case-sensitive, whole
    words); ``inside`` is how often the edit's own span does."""
    words = words.strip()
    if not words:
        return False
    if _WORD.fullmatch(words):
        return counts[words] > inside
    return len(re.findall(rf"(?<!\w){re.escape(words)}(?!\w)", text)) > inside


def features(edit: Edit, text: str) -> dict[str, float]:
    """The edit's features by name (absent names are 0)."""
    key = rule_key(edit)
    way = direction(edit)
    before, after = text[: edit.start], text[edit.end :]
    words_before = _WORD.findall(before[-80:])
    words_after = _WORD.findall(after[:80])
    found = _WORD.findall(edit.original) or _WORD.findall(edit.replacement) or [""]
    word = found[0]
    confidence = min(max(edit.confidence, 1e-4), 1 - 1e-4)
    logit = math.log(confidence / (1 - confidence)) / 5.0
    f: dict[str, float] = {
        "bias": 1.0,
        f"rule={key}": 1.0,
        f"stage={edit.stage}": 1.0,
        f"way={way}": 1.0,
        f"rule={key}*logit": logit,
        f"way={way}*logit": logit,
        "logit": logit,
    }
    head = before.rstrip()
    if not head or head[-1] in _SENTENCE_END:
        f[f"start*way={way}"] = 1.0
    f["position"] = edit.start / max(1, len(text))
    f["length"] = min(len(word), 20) / 20.0
    f["words"] = min(len(_WORD.findall(edit.original)), 5) / 5.0
    if any(c.isdigit() for c in edit.original):
        f["digits"] = 1.0
    if len(word) > 1 and word.isupper():
        f["all_caps"] = 1.0
    zipf8, proper, common, given, lower, place = _word_facts(word.lower())
    for name, value in (
        ("zipf", zipf8),
        ("proper", proper),
        ("common", common),
        ("given", given),
        ("seen_lower", lower),
        ("place", place),
    ):
        if value:
            f[f"{name}*way={way}"] = value
    if words_before and _capitalised(words_before[-1]):
        f[f"prev_cap*way={way}"] = 1.0
    if words_after and _capitalised(words_after[0]):
        f[f"next_cap*way={way}"] = 1.0
    counts, share = _text_facts(text)
    if share:
        f["line_caps"] = share
    if _elsewhere(edit.replacement, counts, 0, text):
        f[f"elsewhere_new*way={way}"] = 1.0
    if _elsewhere(edit.original, counts, 1, text):
        f[f"elsewhere_old*way={way}"] = 1.0
    if before.count('"') % 2 or before.count("“") > before.count("”"):
        f["quoted"] = 1.0
    if before.count("(") > before.count(")"):
        f["bracketed"] = 1.0
    return f
