"""What a text costs LanguageTool, estimated before it is sent, and how to cut it under a bound.

LanguageTool's time grows with the text, and faster than the text where one sentence holds
many tokens that are not words: each punctuation mark, symbol, lone combining mark or
control character is a token of its own, and some rules compare a sentence's tokens with
each other. Measured on LanguageTool 6.6 (`docs/experiments/languagetool-cost.md`): 1,000,
2,000 and 4,000 combining marks in a row take about 0.8, 2.1 and 5.8 s, 2,000 NULs 2.2 s,
while 10,000 characters of plain words in one sentence take 1.7 s.

The estimate is in characters of ordinary prose: each sentence costs its length, plus its
non-word tokens ``m``, plus ``m² / QUADRATIC``. A text over the bound is cut between
sentences, a sentence over it between words; what cannot be cut under the bound (one run
without a space), and pieces that are not prose (hardly a letter or digit in them), are
not sent at all, and the caller is told why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUADRATIC = 2500  # m non-word tokens in one sentence cost about m² / QUADRATIC more
# Pieces at least this costly must be prose to be sent: this share of their non-space
# characters letters or digits. (Below it, a piece costs too little to matter.)
PROSE_MIN_COST = 500
PROSE_MIN_SHARE = 0.25

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_NON_WORD = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")
_WORDLIKE = re.compile(r"[^\W_]")


def sentence_cost(text: str) -> int:
    """The estimate for ``text`` read as one sentence."""
    m = _NON_WORD.subn("", text)[1]
    return len(text) + m + m * m // QUADRATIC


def estimate(text: str) -> int:
    """What checking ``text`` costs LanguageTool, in characters of ordinary prose."""
    return sum(sentence_cost(text[a:b]) for a, b in _spans(text, _SENTENCE_END))


@dataclass(frozen=True)
class Piece:
    """A span of a text: checked on its own, or not sent (``skipped`` says why)."""

    start: int
    end: int
    cost: int
    skipped: str = ""


def pieces(text: str, bound: int) -> list[Piece]:
    """``text`` cut into spans that together cover it, each costing at most ``bound``, or
    marked skipped with the reason. A text under the bound is one piece."""
    if len(text) >= PROSE_MIN_COST:  # the cost is at least the length: judged at once
        judged = _judged(text, Piece(0, len(text), len(text)))
        if judged.skipped:
            return [judged]
    whole = estimate(text)
    if whole <= bound:
        return [_judged(text, Piece(0, len(text), whole))]
    out: list[Piece] = []
    for a, b in _spans(text, _SENTENCE_END):
        cost = sentence_cost(text[a:b])
        if cost > bound:
            out.extend(_cut_sentence(text, a, b, bound))
        elif out and not out[-1].skipped and out[-1].cost + cost <= bound:
            out[-1] = Piece(out[-1].start, b, out[-1].cost + cost)
        else:
            out.append(Piece(a, b, cost))
    return _merged([_judged(text, p) for p in out])


def unchecked_reason(text: str, found: list[Piece]) -> str:
    """One line on what of ``text`` was not sent, and why; empty when all of it was."""
    skipped = [p for p in found if p.skipped]
    if not skipped:
        return ""
    chars = sum(p.end - p.start for p in skipped)
    why = "; ".join(dict.fromkeys(p.skipped for p in skipped))
    if chars >= len(text.strip()):
        return f"grammar not checked: {why}"
    return f"grammar not checked on {chars:,} of {len(text):,} characters: {why}"


def _spans(text: str, boundary: re.Pattern[str]) -> list[tuple[int, int]]:
    """``text`` cut after each ``boundary`` match (the match stays with the span before)."""
    spans, start = [], 0
    for found in boundary.finditer(text):
        if found.end() > start and found.start() > start:
            spans.append((start, found.end()))
            start = found.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _cut_sentence(text: str, start: int, end: int, bound: int) -> list[Piece]:
    """One sentence over the bound, cut between words; a single word over it is skipped."""
    out: list[Piece] = []
    chars = m = 0  # the open piece's (the last one's) length and non-word tokens
    for a, b in _spans(text[start:end], _SPACE):
        a, b = a + start, b + start
        word_m = _NON_WORD.subn("", text[a:b])[1]
        cost = (b - a) + word_m + word_m * word_m // QUADRATIC
        if cost > bound:
            why = f"a run of {len(text[a:b].strip()):,} characters without a space"
            out.append(Piece(a, b, cost, skipped=why))
            continue
        joined_m = m + word_m
        joined = chars + (b - a) + joined_m + joined_m * joined_m // QUADRATIC
        if out and not out[-1].skipped and joined <= bound:
            out[-1] = Piece(out[-1].start, b, joined)
            chars, m = chars + (b - a), joined_m
        else:
            out.append(Piece(a, b, cost))
            chars, m = b - a, word_m
    return out


def _judged(text: str, piece: Piece) -> Piece:
    """``piece``, marked skipped if it is costly and not prose."""
    if piece.skipped or piece.cost < PROSE_MIN_COST:
        return piece
    body = _SPACE.sub("", text[piece.start : piece.end])
    share = len(_WORDLIKE.findall(body)) / len(body) if body else 1.0
    if share >= PROSE_MIN_SHARE:
        return piece
    why = f"not prose (letters and digits are {share:.0%} of it)"
    return Piece(piece.start, piece.end, piece.cost, skipped=why)


def _merged(found: list[Piece]) -> list[Piece]:
    """Neighbouring skipped pieces with one reason made one."""
    out: list[Piece] = []
    for p in found:
        if out and p.skipped and out[-1].skipped == p.skipped:
            out[-1] = Piece(out[-1].start, p.end, out[-1].cost + p.cost, p.skipped)
        else:
            out.append(p)
    return out
