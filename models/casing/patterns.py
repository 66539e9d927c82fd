"""Name patterns decided by usage: a place's designator, an institution's head.

Most multiword names MT leaves half in lowercase are in no corpus whole, but are built
by a pattern from a part the text knows. Two are learnt here from the counts of
`copydesk.models.casing.counts`; `copydesk.models.casing.knowledge` learns the words
(`designators`, `offices`) and the rules in `copydesk.models.casing.rules` apply them.

- **A place's designator, by the pair's own usage.** News writes ``Moscow region`` 156
  times and ``Moscow Region`` 38, but ``Leningrad Region`` more often than not: whether a
  designator takes a capital depends on the place. `place_designators` keeps, for every
  pair of a known place and a designator the corpora write, whether its usage (news
  deciding where news has it `NEWS_DECIDES` times) capitalises it; `designators_by_place`
  keeps the designators that most of the places they follow take with a capital, for
  pairs no corpus has (``Penza Region``, a made-up ``Ulmovo Region``).
- **An institution's head** (`institution_heads`): a capitalised word before ``of`` or
  ``for`` whose complement the corpora capitalise almost always (``Ministry of Defence``,
  ``Memorandum of Understanding``, ``Court of Appeal``) against one they do not (``Lord
  of darkness``, ``Minister for a day``). MT from Russian capitalises a name's first word
  only (``Memorandum of understanding``), so the head's capital says the complement is
  a name's too, where the corpora write that complement with that head
  (`institution_names`): a head alone also capitalises what MT capitalises by chance
  (``the Protection of rights``, ``the Market of weapons``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from copydesk.models.casing.counts import HEAD_CAPITAL, HEAD_LOWER, CorpusCounts
from copydesk.models.wordstats import FUNCTION_WORDS, zipf

SOURCE_WEIGHTS = {"news": 1.0, "wikipedia": 0.5, "un": 0.25}
NEWS_DECIDES = 5
# A pair of a place and a designator: weighted uses for its usage to count.
PAIR_MIN = 2.0
# A designator for pairs no corpus has: the share of the places it follows (each pair's
# own usage deciding) that take it with a capital, over this many places or more.
DESIGNATOR_PLACE_SHARE = 0.6
DESIGNATOR_PLACES = 5
# An institution's head: weighted capitalised uses before `of`/`for`, and the share of
# them whose complement is capitalised, news deciding.
HEAD_MIN = 20.0
HEAD_SHARE = 0.95
# Weighted capitalised uses of a head with its complement (``Memorandum of Understanding``):
# at 3 or 5, ``the Protection of rights`` (UN style) cost a tuning line.
INSTITUTION_MIN = 10.0
COMMON_WORD_ZIPF = 3.0


def _weight(source: str) -> float:
    return SOURCE_WEIGHTS.get(source, SOURCE_WEIGHTS["wikipedia"])


def _decided(by_source: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    """(capitalised, lowercase) uses: news's where news has `NEWS_DECIDES`, else weighted."""
    news = by_source.get("news", (0.0, 0.0))
    if sum(news) >= NEWS_DECIDES:
        return news
    capital = sum(_weight(s) * c for s, (c, _) in by_source.items())
    lower = sum(_weight(s) * n for s, (_, n) in by_source.items())
    return capital, lower


def place_designators(
    counts: Mapping[str, CorpusCounts], designators: Iterable[str], places: frozenset[str]
) -> dict[str, bool]:
    """For each lowercased ``"place designator"`` pair the corpora write with enough
    uses, whether their usage capitalises the designator there."""
    wanted = set(designators)
    uses: dict[str, dict[str, list[float]]] = {}
    for source, c in counts.items():
        for key, n in c.place_pairs.items():
            place, _, word = key.partition(" ")
            lower = word.lower()
            if lower not in wanted or place.lower() not in places or word[1:] != lower[1:]:
                continue
            pair = f"{place.lower()} {lower}"
            cell = uses.setdefault(pair, {}).setdefault(source, [0.0, 0.0])
            cell[0 if word[:1].isupper() else 1] += n
    out = {}
    for pair, by_source in uses.items():
        capital, lower = _decided({s: (c, n) for s, (c, n) in by_source.items()})
        if capital + lower >= PAIR_MIN:
            out[pair] = capital > lower
    return out


def designators_by_place(pairs: Mapping[str, bool]) -> frozenset[str]:
    """The designators most of the places they follow take with a capital."""
    places: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for pair, capital in pairs.items():
        word = pair.rsplit(" ", 1)[1]
        places[word] += 1
        capitalised[word] += capital
    return frozenset(
        w
        for w, n in places.items()
        if n >= DESIGNATOR_PLACES and capitalised[w] / n >= DESIGNATOR_PLACE_SHARE
    )


def institution_heads(counts: Mapping[str, CorpusCounts]) -> frozenset[str]:
    """Lowercased heads whose complement after ``of``/``for`` is a name's (see the module)."""
    uses: dict[str, dict[str, tuple[float, float]]] = {}
    for source, c in counts.items():
        for key, n in c.head_of.items():
            head, _, mark = key.rpartition(" ")
            word = head.split()[0].lower()
            capital, lower = uses.setdefault(word, {}).get(source, (0.0, 0.0))
            if mark == HEAD_CAPITAL:
                capital += n
            elif mark == HEAD_LOWER:
                lower += n
            uses[word][source] = (capital, lower)
    heads = set()
    for word, by_source in uses.items():
        total = sum(_weight(s) * (c + n) for s, (c, n) in by_source.items())
        capital, lower = _decided(by_source)
        if (
            total >= HEAD_MIN
            and capital / max(capital + lower, 1) >= HEAD_SHARE
            and word not in FUNCTION_WORDS
            and zipf(word) >= COMMON_WORD_ZIPF  # an English word, not a name
        ):
            heads.add(word)
    return frozenset(heads)


def institution_names(counts: Mapping[str, CorpusCounts], heads: frozenset[str]) -> frozenset[str]:
    """Lowercased ``"head of complement"`` names (``memorandum of understanding``; a ``the``
    before the complement left out) the corpora write `INSTITUTION_MIN` times."""
    uses: Counter[str] = Counter()
    for source, c in counts.items():
        for span, n in c.spans.items():
            words = span.lower().split()
            if len(words) == 4 and words[2] == "the":
                del words[2]
            if len(words) == 3 and words[1] in ("of", "for") and words[0] in heads:
                uses[" ".join(words)] += n * _weight(source)
    return frozenset(name for name, n in uses.items() if n >= INSTITUTION_MIN)
