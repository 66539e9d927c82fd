"""What the casing rules know beyond the network's training text, from all the cased text.

`build_knowledge` turns the counts of news (`copydesk.models.casing.counts`) and of
other cased English (``extra-en``: an encyclopedia and UN speeches) into the lists the
casing rules read: proper words, common words, given names, words seen in lowercase,
multiword names with their casing, and the name patterns (`copydesk.models.casing.patterns`).

How the sources are weighed (`SOURCE_WEIGHTS`): a word's class comes from news alone
wherever news has used it `NEWS_DECIDES` times or more away from a sentence's start, so
news usage wins on the words the other registers write otherwise (``the President``,
``State``, ``the Organization``: capitalised by UN style, lower case in news). Only
words news has barely seen are classed from all the sources together, news counting
fully, the encyclopedia at half and the UN speeches at a quarter of a use: the
encyclopedia is closest to news in what it capitalises, UN style furthest. A multiword
name from the other sources is kept only where news never writes its words in lower
case as a phrase more often than as the name.

The knowledge is stored as one gzipped JSON file (`KNOWLEDGE_FILE`) beside the casing
package; the network keeps reading the lexicon it was trained with.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from copydesk.models.casing.counts import _WORD, CorpusCounts, sentences_of
from copydesk.models.casing.patterns import (
    designators_by_place,
    institution_heads,
    institution_names,
    place_designators,
)
from copydesk.models.casing.units import Case, case_of
from copydesk.models.wordstats import FUNCTION_WORDS, zipf

KNOWLEDGE_FILE = Path(__file__).resolve().parent / "knowledge.json.gz"
# Uses one source's word counts as, against news's one.
SOURCE_WEIGHTS = {"news": 1.0, "wikipedia": 0.5, "un": 0.25}
NEWS_DECIDES = 5  # news uses from which news alone classes a word
PROPER_MIN = 3.0  # weighted capitalised uses for a proper word
PROPER_SHARE = 0.99  # of news's uses, where news decides
# Of all the sources' weighted uses: 94 M words hold slips, links and quoted spellings
# (`shamir` 4 times in lower case against 66 capitalised).
PROPER_SHARE_OTHERS = 0.92
# Weighted capitalised uses for a proper word the other sources decide: the encyclopedia
# names bands, films and books with common words (``Pussycats``, 20 uses).
PROPER_MIN_OTHERS = 15.0
COMMON_MIN = 5.0
COMMON_MAX_CAPITALISED = 0.05
GIVEN_FOLLOWED = 0.7
# "Seen in lowercase": any use in news, else weighted uses and a share of all of them.
LOWERCASE_MIN = 1.0
LOWERCASE_SHARE = 0.1
NAME_MIN = 3.0  # weighted capitalised uses of a multiword name
NAME_SHARE = 0.6  # of its uses in any case, in news where news has it
# Weighted uses of a name news never has: the encyclopedia capitalises titles of works
# and campaigns (``Fight Against AIDS``) that news writes as common words.
NAME_MIN_OTHERS = 20.0
# Lists built but left out of the shipped file: on the tuning lines they restored no
# more, and on held-out text they changed clean lines (docs/experiments/casing.md).
LEFT_OUT = ("names", "designators", "offices", "place_designators")
# Name patterns: a designator after a place (``Penza Region``), an office before a given
# name (``Governor Ilya``): weighted uses in two-word names, with this many places or
# names, and (offices) the share of capitalised uses in the pattern, news deciding; a
# designator's capital is decided by each place's usage (`patterns`).
DESIGNATOR_MIN = 20.0
OFFICE_MIN = 10.0
OFFICE_SHARE = 0.85
PATTERN_PARTS = 5
# Pattern words are common English words (wordfreq Zipf); places are not (``Penza``).
COMMON_WORD_ZIPF = 3.0


@dataclass
class Knowledge:
    """Lists for the casing rules (each lowercased but ``names``: their casing)."""

    proper: frozenset[str] = frozenset()
    common: frozenset[str] = frozenset()
    given: frozenset[str] = frozenset()
    lowercase: frozenset[str] = frozenset()
    names: list[str] = field(default_factory=list)
    designators: frozenset[str] = frozenset()  # ``region`` in ``Penza Region``
    offices: frozenset[str] = frozenset()  # ``governor`` in ``Governor Smith``
    mixed: dict[str, str] = field(default_factory=dict)  # ``ebay`` -> ``eBay``
    # ``moscow region`` -> False, ``leningrad region`` -> True (`patterns`).
    place_designators: dict[str, bool] = field(default_factory=dict)
    # ``memorandum of understanding``: a head and a complement it takes (`patterns`).
    institutions: frozenset[str] = frozenset()

    def without(self, parts: Iterable[str]) -> Knowledge:
        """This knowledge with the named lists emptied (what measured no better)."""
        return replace(self, **{part: type(getattr(self, part))() for part in parts})

    def save(self, path: Path = KNOWLEDGE_FILE) -> None:
        data = {
            "proper": sorted(self.proper),
            "common": sorted(self.common),
            "given": sorted(self.given),
            "lowercase": sorted(self.lowercase),
            "names": sorted(self.names),
            "designators": sorted(self.designators),
            "offices": sorted(self.offices),
            "mixed": dict(sorted(self.mixed.items())),
            "place_designators": dict(sorted(self.place_designators.items())),
            "institutions": sorted(self.institutions),
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            out.write(text.encode("utf-8"))

    @classmethod
    def load(cls, path: Path = KNOWLEDGE_FILE) -> Knowledge:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        return cls(
            **{k: frozenset(data.get(k, ())) for k in ("proper", "common", "given", "lowercase")},
            names=list(data.get("names", ())),
            designators=frozenset(data.get("designators", ())),
            offices=frozenset(data.get("offices", ())),
            mixed=dict(data.get("mixed", {})),
            place_designators=dict(data.get("place_designators", {})),
            institutions=frozenset(data.get("institutions", ())),
        )


@lru_cache(maxsize=2)
def read_knowledge(path: str = str(KNOWLEDGE_FILE)) -> Knowledge | None:
    """The shipped knowledge, read once per process (None where the file is absent)."""
    return Knowledge.load(Path(path)) if Path(path).is_file() else None


def _cases(words: Mapping[str, float]) -> dict[str, Counter[Case]]:
    """Uses of each lowercased word by case, from a form counter."""
    out: dict[str, Counter[Case]] = {}
    for form, n in words.items():
        out.setdefault(form.lower(), Counter())[case_of(form)] += n
    return out


def _weighted(counts: Mapping[str, CorpusCounts], attr: str) -> Counter[str]:
    total: Counter[str] = Counter()
    for source, c in counts.items():
        weight = SOURCE_WEIGHTS.get(source, SOURCE_WEIGHTS["wikipedia"])
        for key, n in getattr(c, attr).items():
            total[key] += n * weight
    return total


def phrase_totals(sentences: Iterable[str], phrases: Iterable[str]) -> Counter[str]:
    """How often each lowercased phrase occurs in ``sentences`` in any case (one pass)."""
    by_first: dict[str, set[int]] = {}
    wanted = set()
    for phrase in phrases:
        words = phrase.lower().split()
        wanted.add(" ".join(words))
        by_first.setdefault(words[0], set()).add(len(words))
    totals: Counter[str] = Counter()
    for sentence in sentences:
        words = _WORD.findall(sentence.lower())
        for i, word in enumerate(words):
            lengths = by_first.get(word)
            if lengths:
                for n in lengths:
                    key = " ".join(words[i : i + n])
                    if key in wanted:
                        totals[key] += 1
    return totals


def build_knowledge(
    counts: Mapping[str, CorpusCounts], news_lines: Iterable[str], places: frozenset[str]
) -> Knowledge:
    """The lists from each source's counts (``counts["news"]`` must be there)."""
    news = _cases(counts["news"].words)
    pooled: dict[str, Counter[Case]] = {}
    for source, c in counts.items():
        weight = SOURCE_WEIGHTS.get(source, SOURCE_WEIGHTS["wikipedia"])
        for word, cases in _cases(c.words).items():
            into = pooled.setdefault(word, Counter())
            for case, n in cases.items():
                into[case] += n * weight
    proper, common, lowercase = set(), set(), set()
    for word, cases in pooled.items():
        if len(word) < 2:
            continue
        in_news = news.get(word, Counter())
        decided_by = in_news if sum(in_news.values()) >= NEWS_DECIDES else cases
        total = sum(decided_by.values())
        capitalised = decided_by[Case.CAPITALISED]
        least, fewest = PROPER_SHARE, PROPER_MIN
        if decided_by is not in_news:
            least = PROPER_SHARE_OTHERS
            # News's own capitals count as they always did; the other sources' need more.
            fewest = PROPER_MIN if in_news[Case.CAPITALISED] >= PROPER_MIN else PROPER_MIN_OTHERS
        # A word news has written in lowercase even once is no proper word on the other
        # sources' say (``pussycats``, capitalised in the encyclopedia by a band's name).
        if capitalised >= fewest and capitalised / total >= least and not in_news[Case.LOWER]:
            proper.add(word)
        # A word the other sources write in lower case may be a name in news (``in
        # vitro``; ``Vitro``, a company): they make common words only of English words
        # news has used.
        if (
            total >= COMMON_MIN
            and capitalised / total <= COMMON_MAX_CAPITALISED
            and (decided_by is in_news or (in_news and zipf(word) >= COMMON_WORD_ZIPF))
        ):
            common.add(word)
        lower = cases[Case.LOWER]
        if in_news[Case.LOWER] or (
            lower >= LOWERCASE_MIN and lower / sum(cases.values()) >= LOWERCASE_SHARE
        ):
            lowercase.add(word)
    followed = _weighted(counts, "followed")
    given = {
        w for w in proper if followed[w] >= GIVEN_FOLLOWED * max(pooled[w][Case.CAPITALISED], 1)
    }
    names = _names(counts, news_lines)
    lower_set, proper_set = frozenset(lowercase), frozenset(proper)

    def place(word: str) -> bool:  # a place's name, not an English word too (``Penza``)
        return word.lower() in places and zipf(word.lower()) < COMMON_WORD_ZIPF

    def person(word: str) -> bool:
        return word.lower() in given

    # Every designator a place takes is a candidate; each pair's usage decides
    # (`copydesk.models.casing.patterns`), the places' majority where no pair is seen.
    candidates = _pattern_words(
        counts,
        "after_place",
        place,
        lambda word: True,
        minimum=DESIGNATOR_MIN,
        distinct=PATTERN_PARTS,
        share=0.0,
        lowercase=lower_set,
        proper=proper_set,
    )
    pairs = place_designators(counts, candidates, places)
    offices = _pattern_words(
        counts,
        "before_capital",
        lambda word: True,
        person,
        minimum=OFFICE_MIN,
        distinct=PATTERN_PARTS,
        share=OFFICE_SHARE,
        lowercase=lower_set,
        proper=proper_set,
    )
    return Knowledge(
        frozenset(proper),
        frozenset(common),
        frozenset(given),
        frozenset(lowercase),
        names,
        designators_by_place(pairs),
        frozenset(offices),
        place_designators=pairs,
        institutions=institution_names(counts, institution_heads(counts)),
    )


def _news_decided_share(counts: Mapping[str, CorpusCounts], attr: str, word: str) -> float:
    """The share of ``word``'s uses counted in ``attr`` (after a place, before a capital)
    that are capitalised: in news alone where news has `NEWS_DECIDES` of them, else in
    all the sources weighted."""
    form = word[:1].upper() + word[1:]
    news = getattr(counts["news"], attr)
    capitalised, lower = news.get(form, 0), news.get(word, 0)
    if capitalised + lower >= NEWS_DECIDES:
        return capitalised / (capitalised + lower)
    capitalised = lower = 0.0
    for source, c in counts.items():
        weight = SOURCE_WEIGHTS.get(source, SOURCE_WEIGHTS["wikipedia"])
        capitalised += getattr(c, attr).get(form, 0) * weight
        lower += getattr(c, attr).get(word, 0) * weight
    return capitalised / max(capitalised + lower, 1)


def _pattern_words(
    counts: Mapping[str, CorpusCounts],
    attr: str,
    first: Callable[[str], bool],
    second: Callable[[str], bool],
    *,
    minimum: float,
    distinct: int,
    share: float,
    lowercase: frozenset[str],
    proper: frozenset[str],
) -> set[str]:
    """The words of two-word names that build names from a part (see `build_knowledge`).

    Candidates are the pattern word of the corpora's two-word names whose other word is
    a known part (``first`` tells the first word for a designator, ``second`` the second
    for an office), seen ``minimum`` times weighted with ``distinct`` parts or more; a
    candidate is kept where it is a common English word that the text writes in lower
    case too and is capitalised in the pattern in ``share`` of its uses, news deciding.
    """
    pattern_at = 1 if attr == "after_place" else 0
    seen: Counter[str] = Counter()
    parts: dict[str, set[str]] = {}
    for source, c in counts.items():
        weight = SOURCE_WEIGHTS.get(source, SOURCE_WEIGHTS["wikipedia"])
        for span, n in c.spans.items():
            words = span.split()
            if len(words) != 2 or not first(words[0]) or not second(words[1]):
                continue
            word = words[pattern_at]
            if case_of(word) is not Case.CAPITALISED:
                continue
            lower = word.lower()
            seen[lower] += n * weight
            parts.setdefault(lower, set()).add(words[1 - pattern_at])
    return {
        w
        for w, n in seen.items()
        if n >= minimum
        and len(parts[w]) >= distinct
        and w in lowercase
        and w not in proper
        and w not in FUNCTION_WORDS
        and zipf(w) >= COMMON_WORD_ZIPF
        and _news_decided_share(counts, attr, w) >= share
    }


def _names(counts: Mapping[str, CorpusCounts], news_lines: Iterable[str]) -> list[str]:
    """Multiword names: the most common casing of each span with enough weighted uses,
    unless news writes the phrase otherwise most of the time it has it."""
    forms: dict[str, Counter[str]] = {}
    for form, n in _weighted(counts, "spans").items():
        forms.setdefault(form.lower(), Counter())[form] += n
    kept = {
        key: f.most_common(1)[0][0]
        for key, f in forms.items()
        if sum(f.values()) >= NAME_MIN and key.split()[-1] not in FUNCTION_WORDS
    }
    news_spans = Counter({k.lower(): n for k, n in counts["news"].spans.items()})
    sentences = (s for line in news_lines for s in sentences_of(line))
    totals = phrase_totals(sentences, kept)
    return sorted(
        form
        for key, form in kept.items()
        if (totals[key] == 0 and sum(forms[key].values()) >= NAME_MIN_OTHERS)
        or (totals[key] > 0 and news_spans[key] / totals[key] >= NAME_SHARE)
    )
