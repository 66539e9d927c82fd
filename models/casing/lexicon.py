"""What the casing model cannot learn from context alone: known names and mixed-case forms.

Names are multiword title-case spans mined from the training corpus (``Munich Security
Conference``, ``Ministry of Foreign Affairs``) that are written that way most of the
time they occur. The model reads, for each word, the case the matching name gives it,
and learns how far to trust it. Mixed forms (``iPhone``, ``McDonald``) give the
spelling when the model predicts the mixed class.
"""

from __future__ import annotations

import itertools
import json
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from copydesk.models.casing.units import Case, case_of, split_units, word_indices
from copydesk.models.casing.words import name_runs
from copydesk.models.wordstats import WordUsage, read_word_usage

if TYPE_CHECKING:
    from copydesk.models.casing.knowledge import Knowledge

MAX_NAME_WORDS = 6


class CasingLexicon:
    """Name forms keyed by their lowercased words, and mixed forms keyed by lowercase."""

    def __init__(
        self,
        names: Iterable[str] = (),
        mixed: dict[str, str] | None = None,
        repair_names: Iterable[str] = (),
        proper: Iterable[str] = (),
        common: Iterable[str] = (),
        given: Iterable[str] = (),
        lowercase: Iterable[str] = (),
        *,
        usage: WordUsage | None = None,
        designators: Iterable[str] = (),
        offices: Iterable[str] = (),
        place_designators: Mapping[str, bool] | None = None,
        institutions: Iterable[str] = (),
    ) -> None:
        self.names = _keyed(names)
        self.mixed = dict(mixed or {})
        # Names seen even once in title case, for the partial-capitals rule in `decide`.
        self.repair_names = _keyed(repair_names)
        # How the training text writes single words (`copydesk.models.wordstats`).
        self.usage = usage if usage is not None else WordUsage(proper, common, given, lowercase)
        self.proper = self.usage.proper
        self.common = self.usage.common
        self.given = self.usage.given
        self.lowercase = self.usage.lowercase
        # The words names are built with (`copydesk.models.casing.knowledge`).
        self.designators = frozenset(designators)
        self.offices = frozenset(offices)
        self.place_designators = dict(place_designators or {})  # ``moscow region`` -> False
        self.institutions = frozenset(institutions)  # ``memorandum of understanding``
        # Single words whose known case the network reads where no name spans them
        # (``lyon`` Capitalised, ``meeting`` lower): empty for a network trained without.
        self.word_cases: dict[str, Case] = {}

    def with_knowledge(self, knowledge: Knowledge) -> CasingLexicon:
        """This lexicon for the rules, with what all the cased text knows: its word
        classes, its multiword names beside this lexicon's, its name patterns. The
        names the network reads (``names``) stay this lexicon's: the network was trained
        with them."""
        out = CasingLexicon(
            (),
            self.mixed,
            (),
            usage=WordUsage(
                knowledge.proper,
                (self.common | knowledge.common) - knowledge.proper,
                self.given | knowledge.given,
                self.lowercase | knowledge.lowercase,
            ),
            designators=knowledge.designators,
            offices=knowledge.offices,
            place_designators=knowledge.place_designators,
            institutions=knowledge.institutions,
        )
        out.names = self.names
        out.repair_names = _keyed(knowledge.names) | self.repair_names
        return out

    def with_newsroom(self, newsroom: Knowledge) -> CasingLexicon:
        """This lexicon with a newsroom's own names and casings added
        (`copydesk.models.casing.newsroom`). A word the shipped text writes in lower case
        almost always stays a common word: an archive capitalises words in headings and
        titles (``Demography``) as well as in names."""
        out = CasingLexicon(
            (),
            {**self.mixed, **newsroom.mixed},
            (),
            usage=WordUsage(
                self.proper | (newsroom.proper - self.common),
                self.common,
                self.given | newsroom.given,
                self.lowercase,
            ),
            designators=self.designators,
            offices=self.offices,
            place_designators=self.place_designators,
            institutions=self.institutions,
        )
        out.names = self.names
        out.repair_names = self.repair_names | _keyed(newsroom.names)
        return out

    def seen_in_lowercase(self, word: str) -> bool:
        """Whether the training text writes ``word`` in lowercase away from a sentence's
        start (true of every word for a lexicon saved without that list)."""
        return self.usage.seen_in_lowercase(word)

    def name_cases(self, words: Sequence[str]) -> list[Case]:
        """For each word, the case a known name spanning it gives (NONE where none does)."""
        cases = [Case.NONE] * len(words)
        for i, form in find_names(self.names, words):
            for k, word in enumerate(form):
                cases[i + k] = case_of(word)
        if self.word_cases:
            for i, word in enumerate(words):
                if cases[i] is Case.NONE:
                    cases[i] = self.word_cases.get(word.lower(), Case.NONE)
        return cases

    def save(self, path: Path) -> None:
        data = {
            "names": [" ".join(f) for f in self.names.values()],
            "mixed": self.mixed,
            "repair_names": [" ".join(f) for f in self.repair_names.values()],
            **self.usage.to_data(),
        }
        if self.word_cases:
            data["word_cases"] = {w: int(c) for w, c in sorted(self.word_cases.items())}
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> CasingLexicon:
        data = json.loads(path.read_text(encoding="utf-8"))
        out = cls(
            data["names"],
            data["mixed"],
            data.get("repair_names", ()),
            usage=read_word_usage(path, data),
        )
        out.word_cases = {w: Case(c) for w, c in data.get("word_cases", {}).items()}
        return out


def read_lexicon(path: str | Path) -> CasingLexicon:
    """A lexicon file, read once per version of it in a process (its word usage is the
    one `copydesk.models.wordstats` shares with the names stage)."""
    resolved = Path(path).resolve()
    stat = resolved.stat()
    return _read_lexicon(str(resolved), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _read_lexicon(path: str, mtime_ns: int, size: int) -> CasingLexicon:
    return CasingLexicon.load(Path(path))


class NameForms(Mapping[tuple[str, ...], tuple[str, ...]]):
    """Multiword names keyed by their lowercased words, packed: the forms as one UTF-8
    blob, found by a CRC-32 of the key (every match checked against the form).

    A dict of word tuples held 56 MB for the shipped lexicon's 103,851 repair names;
    this holds 5.5 MB (4 MB of arrays and blob, 1.5 MB for the set of first words). It
    reads like that dict, in the same order: a name that comes again replaces the
    earlier one's form and keeps its place, and ``a | b`` is ``b``'s forms over ``a``'s.
    """

    def __init__(self, forms: Iterable[tuple[str, ...]] = ()) -> None:
        latest: dict[str, str] = {}
        for form in forms:
            latest["\x1f".join(w.lower() for w in form)] = " ".join(form)
        encoded = [form.encode("utf-8", "surrogatepass") for form in latest.values()]
        self._ends = np.cumsum([len(e) for e in encoded], dtype=np.int64).astype(np.uint32)
        self._blob = b"".join(encoded)
        hashes = np.fromiter(
            (zlib.crc32(k.encode("utf-8", "surrogatepass")) for k in latest),
            dtype=np.uint32,
            count=len(latest),
        )
        self._order = np.argsort(hashes, kind="stable").astype(np.uint32)
        self._hashes = hashes[self._order].astype(np.int64)  # searched with Python ints
        # The words names start with: most words start none, and need no lookup at all.
        self.first_words = frozenset(key.partition("\x1f")[0] for key in latest)

    def _form(self, index: int) -> tuple[str, ...]:
        start = int(self._ends[index - 1]) if index else 0
        return tuple(
            self._blob[start : self._ends[index]].decode("utf-8", "surrogatepass").split(" ")
        )

    def get(self, key: tuple[str, ...], default: Any = None) -> Any:
        if not isinstance(key, tuple) or not all(isinstance(w, str) for w in key):
            return default
        form = self.lookup(key)
        return default if form is None else form

    def lookup(self, key: tuple[str, ...]) -> tuple[str, ...] | None:
        """The form keyed by ``key``, a tuple of lowercased words (unchecked), or None."""
        h = _key_hash(key)
        at = int(self._hashes.searchsorted(h))
        while at < self._hashes.size and self._hashes[at] == h:
            form = self._form(int(self._order[at]))
            if len(form) == len(key) and all(
                w.lower() == k for w, k in zip(form, key, strict=True)
            ):
                return form
            at += 1
        return None

    def may_hold(self, keys: Sequence[tuple[str, ...]]) -> list[bool]:
        """For each key (lowercased words), whether a name has its hash: one that has not
        is no name, and needs no `lookup`. All searched at once."""
        if not keys or not self._hashes.size:
            return [False] * len(keys)
        hashes = np.fromiter(map(_key_hash, keys), dtype=np.int64, count=len(keys))
        at = np.minimum(self._hashes.searchsorted(hashes), self._hashes.size - 1)
        return (self._hashes[at] == hashes).tolist()

    def __getitem__(self, key: tuple[str, ...]) -> tuple[str, ...]:
        form = self.get(key)
        if form is None:
            raise KeyError(key)
        return form

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return (tuple(w.lower() for w in form) for form in self.values())

    def values(self) -> Iterator[tuple[str, ...]]:  # type: ignore[override]
        return (self._form(i) for i in range(len(self)))

    def __len__(self) -> int:
        return int(self._ends.size)

    def __or__(self, other: Mapping[tuple[str, ...], tuple[str, ...]]) -> NameForms:
        return NameForms(itertools.chain(self.values(), other.values()))

    def __ror__(self, other: Mapping[tuple[str, ...], tuple[str, ...]]) -> NameForms:
        return NameForms(itertools.chain(other.values(), self.values()))

    def __reduce__(self) -> tuple:
        return NameForms, (list(self.values()),)


def _key_hash(key: tuple[str, ...]) -> int:
    return zlib.crc32("\x1f".join(key).encode("utf-8", "surrogatepass"))


def _keyed(names: Iterable[str]) -> NameForms:
    """Names of two to `MAX_NAME_WORDS` words, keyed by their lowercased words."""
    return NameForms(
        words for words in map(tuple, map(str.split, names)) if 1 < len(words) <= MAX_NAME_WORDS
    )


def find_names(
    names: Mapping[tuple[str, ...], tuple[str, ...]], words: Sequence[str]
) -> list[tuple[int, tuple[str, ...]]]:
    """Non-overlapping (start, form) matches of ``names`` in ``words``, longest first."""
    lowered = [w.lower() for w in words]
    count = len(words)
    if isinstance(names, NameForms):  # only the spans a name may start are looked up
        first = names.first_words
        starts = [i for i in range(count - 1) if lowered[i] in first]
        spans = [(i, n) for i in starts for n in range(min(MAX_NAME_WORDS, count - i), 1, -1)]
        keys = [tuple(lowered[i : i + n]) for i, n in spans]
        held = names.may_hold(keys)
        forms = {s: names.lookup(k) for s, k, h in zip(spans, keys, held, strict=True) if h}
    else:
        starts = range(count - 1)
        forms = {
            (i, n): names.get(tuple(lowered[i : i + n]))
            for i in starts
            for n in range(min(MAX_NAME_WORDS, count - i), 1, -1)
        }
    found = []
    if not any(form is not None for form in forms.values()):
        return found
    i = 0
    while i < count:
        for n in range(min(MAX_NAME_WORDS, count - i), 1, -1):
            form = forms.get((i, n))
            if form is not None:
                found.append((i, form))
                i += n
                break
        else:
            i += 1
    return found


class NameSearch:
    """`find_names` over one map, each sentence's words searched once: a request's
    sentences are searched again as its casing is repaired, and matches ignore case."""

    def __init__(self, names: Mapping[tuple[str, ...], tuple[str, ...]]) -> None:
        self.names = names
        self._found: dict[tuple[str, ...], list[tuple[int, tuple[str, ...]]]] = {}

    def __call__(self, words: Sequence[str]) -> list[tuple[int, tuple[str, ...]]]:
        key = tuple(w.lower() for w in words)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = find_names(self.names, words)
        return found


def mine_lexicon(
    sentences: Iterable[str],
    *,
    min_count: int = 2,
    min_share: float = 0.6,
    repair_min_count: int = 1,
    proper_min_count: int = 3,
    proper_min_share: float = 0.99,
    common_min_count: int = 5,
    common_max_capitalised: float = 0.05,
    given_min_followed: float = 0.7,
) -> CasingLexicon:
    """Mine names and mixed forms from clean, naturally cased sentences.

    ``proper`` words are written Capitalised in at least ``proper_min_share`` of at least
    ``proper_min_count`` uses away from a sentence's start (``Lyon``, ``Deschamps``);
    ``common`` words in at most ``common_max_capitalised`` of at least ``common_min_count``
    (``biggest``, ``meeting``). ``given`` words are proper words followed straight away by
    another capitalised word in at least ``given_min_followed`` of their Capitalised uses
    (``Igor``, ``Gilles``).
    """
    title_forms: dict[tuple[str, ...], Counter[tuple[str, ...]]] = defaultdict(Counter)
    mixed_forms: dict[str, Counter[str]] = defaultdict(Counter)
    word_cases: dict[str, Counter[Case]] = defaultdict(Counter)
    followed: Counter[str] = Counter()  # Capitalised uses straight before a capitalised word
    word_lists = []
    for sentence in sentences:
        units = split_units(sentence)
        idx = word_indices(units)
        words = [units[i].text for i in idx]
        word_lists.append([w.lower() for w in words])
        for k in range(1, len(words)):
            case = case_of(words[k])
            word_cases[words[k].lower()][case] += 1
            if (
                case is Case.CAPITALISED
                and k + 1 < len(words)
                and idx[k + 1] - idx[k] == 1
                and words[k + 1][:1].isupper()
            ):
                followed[words[k].lower()] += 1
        for unit in units:
            if unit.is_letters:
                mixed_forms[unit.text.lower()][unit.text] += 1
        for run in name_runs(words, range(len(words))):
            run = [i for i in run if i != 0]  # a sentence's first capital proves nothing
            for a in range(len(run)):
                for b in range(a + 2, min(a + MAX_NAME_WORDS, len(run)) + 1):
                    span = [words[i] for i in run[a:b]]
                    if run[b - 1] - run[a] != b - a - 1:
                        break
                    if case_of(span[0]) is Case.LOWER or case_of(span[-1]) is Case.LOWER:
                        continue
                    title_forms[tuple(w.lower() for w in span)][tuple(span)] += 1
    floor = min(min_count, repair_min_count)
    candidates = {k: c for k, c in title_forms.items() if sum(c.values()) >= floor}
    totals: Counter[tuple[str, ...]] = Counter()
    lengths = sorted({len(k) for k in candidates})
    for words in word_lists:
        for n in lengths:
            for i in range(len(words) - n + 1):
                key = tuple(words[i : i + n])
                if key in candidates:
                    totals[key] += 1
    names, repair_names = [], []
    for key, forms in candidates.items():
        form, count = forms.most_common(1)[0]
        if count / max(totals[key], 1) >= min_share:
            if sum(forms.values()) >= min_count:
                names.append(" ".join(form))
            if sum(forms.values()) >= repair_min_count:
                repair_names.append(" ".join(form))
    mixed = {}
    for lower, forms in mixed_forms.items():
        form, count = forms.most_common(1)[0]
        total = sum(forms.values())
        if case_of(form) is Case.MIXED and count >= min_count and count / total >= 0.5:
            mixed[lower] = form
    proper = [
        word
        for word, cases in word_cases.items()
        if len(word) > 1
        and cases[Case.CAPITALISED] >= proper_min_count
        and cases[Case.CAPITALISED] / sum(cases.values()) >= proper_min_share
    ]
    common = [
        word
        for word, cases in word_cases.items()
        if len(word) > 1
        and sum(cases.values()) >= common_min_count
        and cases[Case.CAPITALISED] / sum(cases.values()) <= common_max_capitalised
    ]
    given = [
        w for w in proper if followed[w] >= given_min_followed * word_cases[w][Case.CAPITALISED]
    ]
    lowercase = [word for word, cases in word_cases.items() if cases[Case.LOWER]]
    return CasingLexicon(
        sorted(names), mixed, sorted(repair_names), proper, common, given, lowercase
    )
