"""Guards a rewrite must pass before it may become edits.

What must survive from the MT: numbers (in figures or spelled out: ``three``, ``a
dozen``, ``million``; ``3`` and ``three`` are one number), dates (month and weekday
names), names (capitalised words, compared without case, since the casing stage owns
case; a word sharing a long name's first five letters keeps it, so ``Germany -> German``
passes; the first word is a name when English never writes it in lowercase, or it is a
known place) and negations; the rewrite may not add numbers, names, negations or markup
either, nor swap a word for its opposite (`copydesk.models.rewrite.antonyms`). And the
rewrite must stay close to the MT: character F-score (chrF, MT as the reference) at
least ``min_similarity``, word count within a ratio. The bound is chosen on held-out
post-edits so that most real post-edits pass it (see the model card). Double quotation
marks must survive too: the model sees one sentence, and an opening mark that looks
stray to it often starts a quotation the next sentence closes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import regex
from sacrebleu.metrics import CHRF

from copydesk.models.rewrite.antonyms import antonym_families
from copydesk.models.wordstats import is_known_place, shipped_word_usage

NEGATIONS = frozenset("not no never without nor neither none nobody nothing nowhere cannot".split())
MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
WORD = regex.compile(r"[\p{L}\p{M}\p{N}'’-]+")
NUMBER = regex.compile(r"\p{N}+(?:[.,]\p{N}+)*")
# Spelled-out cardinals, as the figures they stand for (``twenty-five`` sums its parts).
UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
CARDINALS = {w: str(i) for i, w in enumerate(UNITS)} | {
    w: str(10 * i) for i, w in enumerate(TENS, 2)
}
# Other number words, kept as words (a plural as its singular: ``dozens`` is ``dozen``).
NUMBER_WORDS = frozenset(
    "hundred thousand million billion trillion dozen score half quarter once twice thrice "
    "double triple quadruple first second third fourth fifth sixth seventh eighth ninth "
    "tenth eleventh twelfth hundredth thousandth millionth billionth".split()
)
# Markup that a page would interpret: a tag, a comment, a character reference, a Markdown
# link or image, a script URL.
MARKUP = regex.compile(
    r"<[/!?]?[A-Za-z][^<>]*>|<!--|&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);|\]\(|javascript:",
    regex.IGNORECASE,
)


def numbers(text: str) -> Counter:
    """The numbers a text states: its figures, and its number words as figures or words."""
    found = Counter(NUMBER.findall(text))
    for word in WORD.findall(text):
        word = word.lower().strip("'’-")
        parts = word.split("-")
        if len(parts) > 1 and all(p in CARDINALS for p in parts):
            found[str(sum(int(CARDINALS[p]) for p in parts))] += 1
        elif word in CARDINALS:
            found[CARDINALS[word]] += 1
        elif word in NUMBER_WORDS or (word[:-1] in NUMBER_WORDS and word.endswith("s")):
            found[word if word in NUMBER_WORDS else word[:-1]] += 1
        elif word == "halves":
            found["half"] += 1
    return found


def markup(text: str) -> Counter:
    """The markup in a text (lowercased), by how often each piece occurs."""
    return Counter(m.lower() for m in MARKUP.findall(text))


def adds_markup(before: str, after: str) -> bool:
    return bool(markup(after) - markup(before))


def antonym_swap(before: str, after: str) -> tuple[str, str] | None:
    """A word of ``before`` that ``after`` replaces with its opposite, as (lost, gained)."""
    lost = Counter(w.lower() for w in WORD.findall(before))
    gained = Counter(w.lower() for w in WORD.findall(after))
    lost, gained = lost - gained, gained - lost
    if not lost or not gained:
        return None
    for one, other in antonym_families():
        for a, b in ((one, other), (other, one)):
            went = next((w for w in lost if w in a), None)
            came = next((w for w in gained if w in b), None)
            if went and came:
                return went, came
    return None


def name_at_start(word: str) -> bool:
    """Whether a text's capitalised first word is a name all the same: English never
    writes it in lowercase (the casing lexicon), or it is a known place that is not a
    common word (``Turkey``)."""
    if not word[:1].isupper():
        return False
    lexicon = shipped_word_usage()
    lower = word.lower()
    if not lexicon.seen_in_lowercase(lower):
        return True
    return is_known_place(lower) and lower not in lexicon.common


@dataclass(frozen=True)
class Protected:
    numbers: Counter
    negations: int
    dates: frozenset
    names: frozenset


def protected(text: str) -> Protected:
    words = WORD.findall(text)
    lowered = [w.lower() for w in words]
    negations = sum(1 for w in lowered if w in NEGATIONS or w.endswith(("n't", "n’t")))
    names = frozenset(
        w.lower()
        for i, w in enumerate(words)
        if w[:1].isupper() and w.lower() not in MONTHS_AND_DAYS and (i > 0 or name_at_start(w))
    )
    return Protected(
        numbers=numbers(text),
        negations=negations,
        dates=frozenset(w for w in lowered if w in MONTHS_AND_DAYS),
        names=names,
    )


QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


def double_quotes(text: str) -> int:
    return text.translate(QUOTES).count('"')


def same_but_quotes(a: str, b: str) -> bool:
    """Whether two texts differ only in their quotation marks' style (never worth an edit)."""
    return a.translate(QUOTES) == b.translate(QUOTES)


def verdict(
    mt: str, rewrite: str, gain: float, *, min_similarity: float, min_gain: float = 0.0
) -> str | None:
    """``None`` when a rewrite is worth proposing, else why not: the one rule the stage
    applies and the tuning measures (a copy, a failed guard, or too little likelihood gain)."""
    if same_but_quotes(rewrite, mt):
        return "copied the MT"
    failed = check(mt, rewrite, min_similarity=min_similarity)
    if failed is None and gain <= min_gain:
        return "model prefers the MT"
    return failed


def similarity(mt: str, rewrite: str) -> float:
    """chrF of the rewrite with the MT as its reference (0-100), case-sensitive."""
    return float(CHRF().sentence_score(rewrite, [mt]).score)


def check(
    mt: str, rewrite: str, *, min_similarity: float, max_length_ratio: float = 1.5
) -> str | None:
    """``None`` when the rewrite passes every guard, else the first guard it fails."""
    if not rewrite.strip():
        return "empty rewrite"
    if adds_markup(mt, rewrite):
        return "markup added"
    before, after = protected(mt), protected(rewrite)
    if before.numbers != after.numbers:
        return "numbers changed"
    if before.negations != after.negations:
        return "negation changed"
    if not before.dates <= after.dates:
        return "date lost"
    kept = {w.lower() for w in WORD.findall(rewrite)}
    if any(not _name_kept(name, kept) for name in before.names):
        return "name lost"
    had = {w.lower() for w in WORD.findall(mt)}
    if any(not _name_kept(name, had) for name in after.names):
        return "name added"
    if antonym_swap(mt, rewrite):
        return "antonym swapped"
    if double_quotes(mt) != double_quotes(rewrite):
        return "quotation marks changed"
    n_mt, n_rw = len(mt.split()), len(rewrite.split())
    if n_rw > max_length_ratio * n_mt + 2 or n_mt > max_length_ratio * n_rw + 2:
        return "length changed too much"
    if similarity(mt, rewrite) < min_similarity:
        return "too far from the MT"
    return None


def _name_kept(name: str, words: set[str]) -> bool:
    """A name survives as itself or as a word with its first five letters (Germany/German)."""
    if name in words:
        return True
    stem = name[:5]
    return len(name) > 5 and any(w.startswith(stem) for w in words)
