"""Guards for an LLM's rewrite, whatever the model: the answer as a whole, then each of
the word-level edits it makes.

An answer is refused whole when it is empty, carries markup the text does not (a tag,
a script, a Markdown link: it would reach a page), is not English, much longer or
shorter than the text, repeats the instructions, swaps a word for its opposite, or
rewrites more than a share of the words. Each edit is refused, with its reason counted,
when it adds markup, or adds, drops or changes a number (in figures or spelled out), a
date (a month or weekday name), a negation, a word's opposite, or a name (a capitalised
word, in either the text or the answer; the text's first word when English never writes
it in lowercase, or it is a known place) that neither the source nor the glossary
supports.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from copydesk.models.rewrite.guards import (
    MONTHS_AND_DAYS,
    NEGATIONS,
    WORD,
    adds_markup,
    antonym_swap,
    name_at_start,
    numbers,
)
from copydesk.models.translit import CYRILLIC_WORD, transliterate, variant_key

LETTER = regex.compile(r"\p{L}")
LATIN = regex.compile(r"\p{Latin}")
ECHO_WORDS = 8  # this many words of the instructions in a row: the answer repeats them
PREAMBLES = ("here is", "here's", "rewritten", "corrected", "sure", "certainly", "answer:")


def refuse_answer(
    text: str, answer: str, instructions: str, *, changed_share: float, max_share: float
) -> str | None:
    """Why the whole answer is refused, or None."""
    if not answer.strip():
        return "empty answer"
    if adds_markup(text, answer):
        return "markup in the answer"
    letters = LETTER.findall(answer)
    if letters and sum(1 for ch in letters if LATIN.match(ch)) / len(letters) < 0.9:
        return "not English"
    n_text, n_answer = len(text.split()), len(answer.split())
    if n_answer > 1.5 * n_text + 3 or n_text > 1.5 * n_answer + 3:
        return "length changed too much"
    if _echoes(answer, instructions) or answer.lower().startswith(PREAMBLES):
        return "repeats the instructions"
    if antonym_swap(text, answer):
        return "antonym swapped"
    if changed_share > max_share:
        return "rewrote too much"
    return None


def refuse_edit(
    original: str, replacement: str, *, at_start: bool, supported: frozenset[str]
) -> str | None:
    """Why one edit is refused, or None. ``at_start``: the edit opens the text, where a
    capital letter alone does not make a name (`name_at_start` decides). ``supported``:
    name keys (`variant_key`) that the source or the glossary vouches for."""
    if adds_markup(original, replacement):
        return "markup added"
    if numbers(original) != numbers(replacement):
        return "number changed"
    if _negations(original) != _negations(replacement):
        return "negation changed"
    if _dates(original) != _dates(replacement):
        return "date changed"
    if antonym_swap(original, replacement):
        return "antonym swapped"
    added = _names(replacement, at_start) - _names(original, at_start)
    dropped = _names(original, at_start) - _names(replacement, at_start)
    if any(n not in supported for n in added) or (dropped and not added):
        return "name changed"  # only a spelling the source or glossary gives may replace one
    return None


def supported_names(source: str | None, glossary_terms: Iterable[str]) -> frozenset[str]:
    """The name keys a source (its Cyrillic words transliterated, or its Latin words) and
    a glossary's terms support."""
    keys = set()
    for term in glossary_terms:
        keys |= {variant_key(w) for w in WORD.findall(term)}
    if source:
        keys |= {variant_key(transliterate(w)) for w in CYRILLIC_WORD.findall(source)}
        keys |= {variant_key(w) for w in WORD.findall(source)}
    return frozenset(keys)


def _negations(text: str) -> int:
    words = [w.lower() for w in WORD.findall(text)]
    return sum(1 for w in words if w in NEGATIONS or w.endswith(("n't", "n’t")))


def _dates(text: str) -> list[str]:
    return sorted(w.lower() for w in WORD.findall(text) if w.lower() in MONTHS_AND_DAYS)


def _names(text: str, at_start: bool) -> set[str]:
    words = WORD.findall(text)
    return {
        variant_key(w)
        for i, w in enumerate(words)
        if w[:1].isupper()
        and w.lower() not in MONTHS_AND_DAYS
        and (i > 0 or not at_start or name_at_start(w))
    }


def _echoes(answer: str, instructions: str) -> bool:
    said = [w.lower() for w in WORD.findall(instructions)]
    grams = {" ".join(said[i : i + ECHO_WORDS]) for i in range(len(said) - ECHO_WORDS + 1)}
    words = [w.lower() for w in WORD.findall(answer)]
    return any(
        " ".join(words[i : i + ECHO_WORDS]) in grams for i in range(len(words) - ECHO_WORDS + 1)
    )
