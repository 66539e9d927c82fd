"""The rules the casing decisions run on top of the network, in the order they run.

Each rule is a small object: a ``reason`` (recorded on every change it makes, and the
edit's rule id ``casing-<reason>``), a ``confidence``, how its changes combine with the
ones already made (`Precedence`) and ``apply``, which finds its changes in a sentence.
A rule runs only when the threshold is at most its confidence, so what is made at a
higher threshold never depends on it. `RULES` is the order:

1. known names (`KnownNames`): a name the training text knows, written with only some
   of its capitals where MT from Russian puts them (``Munich security conference``,
   ``Minister of foreign Affairs``), takes the name's casing; it overrides the network;
2. proper words (`ProperWords`): a lowercase word away from the start that the training
   text always capitalises there (``lyon``, ``deschamps``);
3. surnames (`Surnames`): a lowercase word the training text never writes in lowercase,
   rare in English, straight after a given name (``Igor vdovin``);
4. designators (`Designators`): a designator in lowercase straight after a known place
   (``Penza region``), as the pair's own usage writes it (``Moscow region`` stays), else
   as most places take it (`copydesk.models.casing.patterns`);
5. offices (`Offices`): offices in lowercase straight before a person's name (``acting
   governor Smith``);
6. institutions (`Institutions`): the complement of an institution's head that MT left
   in lowercase (``the Memorandum of understanding``, ``the Ministry of defence``);
7. the pronoun (`Pronoun`): ``i`` on its own in running text is ``I``, unless capitals
   stand on both sides (``Argumenti i Fakti``), an article before it (``the i``) or
   brackets round it (``(i)``);
8. common words (`CommonWords`): a capitalised word in running text that the training
   text almost never capitalises there (``the Biggest concern``), away from other
   capitals and not opening ``X of y``;
9. function words (`FunctionWords`): an English function word capitalised between two
   lowercase words (``as A benefit``).

Rules 2–9 only fill words nothing has changed yet; rule 9 also confirms a change the
network already made to the same text, raising its confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from itertools import pairwise

import regex

from copydesk.models.casing.lexicon import CasingLexicon, NameSearch
from copydesk.models.casing.units import Case, Unit, case_of, with_case
from copydesk.models.casing.words import ENGLISH_FUNCTION_WORDS, FUNCTION_WORDS
from copydesk.models.wordstats import is_known_place, zipf

RULE_CONFIDENCE = 0.995
# A proper word must not be common in English (wordfreq): `jeep`, `trump`, `hare` are
# names in news, words in other text.
PROPER_WORD_MAX_ZIPF = 3.0
# A letter or digit, a full stop, a letter or digit: a host name or an abbreviation.
_DOTTED = regex.compile(r"[\p{L}\p{N}]\.[\p{L}\p{N}]")


class Reason(StrEnum):
    """What made a change: the network, the network lifted by the document, or a rule."""

    MODEL = "model"
    DOCUMENT = "document"
    KNOWN_NAME = "known-name"
    PROPER_WORD = "proper-word"
    SURNAME = "surname"
    COMMON_WORD = "common-word"
    FUNCTION_WORD = "function-word"
    PRONOUN = "pronoun"
    DESIGNATOR = "designator"
    OFFICE = "office"
    INSTITUTION = "institution"


@dataclass(frozen=True, slots=True)
class CaseChange:
    unit: int
    text: str
    confidence: float
    reason: Reason = Reason.MODEL
    offered: bool = False  # a suggestion whatever its confidence (see `decide`)


@dataclass(frozen=True)
class SentenceView:
    """One sentence as the rules read it: its units, their current texts, the lexicon."""

    units: Sequence[Unit]
    texts: Sequence[str]
    words: list[int]  # the units that start a word (`word_indices`)
    lexicon: CasingLexicon
    repair_names: NameSearch  # over ``lexicon.repair_names``, shared by a document's sentences


class Precedence(Enum):
    """How a rule's changes combine with the ones already decided."""

    OVERRIDES = "overrides"  # replaces any change on the same word
    FILLS = "fills"  # only words nothing has changed
    FILLS_OR_CONFIRMS = "fills or confirms"  # also an earlier change to the same text


class CasingRule:
    """A rule on top of the network; subclasses set the class attributes and ``apply``."""

    reason: Reason
    confidence: float = RULE_CONFIDENCE
    precedence: Precedence = Precedence.FILLS

    def apply(self, view: SentenceView, taken: dict[int, CaseChange]) -> list[CaseChange]:
        """The rule's changes in ``view`` (``taken``: what is decided so far)."""
        raise NotImplementedError

    def change(self, unit: int, text: str) -> CaseChange:
        return CaseChange(unit, text, self.confidence, self.reason)

    def merge(self, taken: dict[int, CaseChange], changes: list[CaseChange]) -> None:
        """Add ``changes`` to ``taken`` as the rule's precedence says."""
        for change in changes:
            known = taken.get(change.unit)
            if (
                known is None
                or self.precedence is Precedence.OVERRIDES
                or (
                    self.precedence is Precedence.FILLS_OR_CONFIRMS
                    and known.text == change.text
                    and known.confidence < change.confidence
                )
            ):
                taken[change.unit] = change


class KnownNames(CasingRule):
    """Known names written with only some of their capitals, set to the name's casing."""

    reason = Reason.KNOWN_NAME
    precedence = Precedence.OVERRIDES

    def apply(self, view: SentenceView, taken: dict[int, CaseChange]) -> list[CaseChange]:
        units, words, lexicon = view.units, view.words, view.lexicon
        out = []
        current = [view.texts[i] for i in words]
        for start, form in view.repair_names(current):
            span = list(range(start, start + len(form)))
            capitals = [
                k
                for k in span
                if current[k][:1].isupper()
                and current[k].lower() not in FUNCTION_WORDS
                and k != 0  # a sentence's first capital proves nothing
            ]
            missing = [k for k in span if current[k] != form[k - start]]
            if not capitals or not missing or any(not_prose(units, words[k]) for k in span):
                continue
            if not mt_capitals(current[start : start + len(form)], lexicon):
                continue
            out += [self.change(words[k], form[k - start]) for k in missing]
        return out


def _lowercase_name(view: SentenceView, k: int) -> bool:
    """The guards a word must pass to be capitalised as a name (proper word or surname)."""
    i = view.words[k]
    word = view.texts[i]
    return not not_prose(view.units, i) and zipf(word) < PROPER_WORD_MAX_ZIPF


class ProperWords(CasingRule):
    """Lowercase words away from the start that the training text always capitalises."""

    reason = Reason.PROPER_WORD

    def apply(self, view: SentenceView, taken: dict[int, CaseChange]) -> list[CaseChange]:
        return [
            self.change(view.words[k], with_case(view.texts[view.words[k]], Case.CAPITALISED))
            for k in range(1, len(view.words))
            if view.words[k] not in taken
            and view.texts[view.words[k]].islower()
            and view.texts[view.words[k]] in view.lexicon.proper
            and _lowercase_name(view, k)
        ]


class Surnames(CasingRule):
    """Unknown lowercase words straight after a given name (``Igor vdovin``).

    A proper word is the proper-word rule's, even where its guards stopped it.
    """

    reason = Reason.SURNAME

    def apply(self, view: SentenceView, taken: dict[int, CaseChange]) -> list[CaseChange]:
        return [
            self.change(view.words[k], with_case(view.texts[view.words[k]], Case.CAPITALISED))
            for k in range(1, len(view.words))
            if view.words[k] not in taken
            and view.texts[view.words[k]].islower()
            and view.texts[view.words[k]] not in view.lexicon.proper
            and _after_given_name(view, k)
            and _lowercase_name(view, k)
        ]


def _after_given_name(view: SentenceView, k: int) -> bool:
    """Whether word ``k``, unknown to the training text in lowercase, follows a given name."""
    texts, lexicon = view.texts, view.lexicon
    prev, i = view.words[k - 1], view.words[k]
    return (
        i - prev == 1
        and texts[prev].lower() in lexicon.given
        and case_of(texts[prev]) is Case.CAPITALISED
        and len(texts[i]) > 1
        and texts[i] not in FUNCTION_WORDS
        and not lexicon.seen_in_lowercase(texts[i])
    )


# Names built from parts: most names MT leaves half lowercase appear nowhere whole in
# any corpus, but are built by a pattern from a known part.


def _current(view: SentenceView, taken: dict[int, CaseChange], i: int) -> str:
    """Unit ``i``'s text as the rules before this one left it."""
    change = taken.get(i)
    return change.text if change is not None else view.texts[i]


def _names_a_place(view: SentenceView, word: str) -> bool:
    """A capitalised word that is a known place, or a proper word rare in English (a
    place the gazetteer lacks); not a proper adjective (``the Russian museum``)."""
    return (
        case_of(word) is Case.CAPITALISED
        and word.lower() not in FUNCTION_WORDS
        and (
            is_known_place(word)
            or (word.lower() in view.lexicon.proper and zipf(word.lower()) < PROPER_WORD_MAX_ZIPF)
        )
    )


def _names_a_person(view: SentenceView, word: str) -> bool:
    """A capitalised word that is a given name, or a proper word that is no place."""
    lower = word.lower()
    return case_of(word) is Case.CAPITALISED and (
        lower in view.lexicon.given or (lower in view.lexicon.proper and not is_known_place(word))
    )


class Designators(CasingRule):
    """A designator in lowercase straight after a known place: ``Penza region``.

    The pair's own usage decides where the corpora have it (``Moscow region`` stays);
    else the designator's usage after most places. Not after ``a``/``an``: ``an Ottawa
    street`` is a street of the place, not its name.
    """

    reason = Reason.DESIGNATOR

    def apply(self, view: SentenceView, taken: dict[int, CaseChange]) -> list[CaseChange]:
        words, texts, lexicon = view.words, view.texts, view.lexicon
        out = []
        for k in range(2, len(words)):
            i, prev = words[k], words[k - 1]
            word = texts[i]
            if i in taken or i - prev != 1 or not word.islower() or not_prose(view.units, i):
                continue
            place = _current(view, taken, prev)
            usage = lexicon.place_designators.get(f"{place.lower()} {word}")
            if usage is False or (usage is None and word not in lexicon.designators):
                continue
            if texts[words[k - 2]].lower() in ("a", "an"):
                continue
            if _names_a_place(view, place):
                out.append(self.change(i, with_case(word, Case.CAPITALISED)))
        return out


class Offices(CasingRule):
    """Offices in lowercase straight before a person's name: ``acting governor Smith``."""

    reason = Reason.OFFICE

    def apply(self, view: SentenceView, taken: dict[int, CaseChange]) -> list[CaseChange]:
        words, texts = view.words, view.texts
        out = []
        for k in range(2, len(words)):
            if words[k] - words[k - 1] != 1:
                continue
            if not _names_a_person(view, _current(view, taken, words[k])):
                continue
            j = k - 1
            run = []
            while j >= 1 and words[j + 1] - words[j] == 1:
                i = words[j]
                word = texts[i]
                if i in taken or not word.islower() or word not in view.lexicon.offices:
                    break
                if not_prose(view.units, i):
                    break
                run.append(i)
                j -= 1
            out += [self.change(i, with_case(texts[i], Case.CAPITALISED)) for i in run]
        return out


class Institutions(CasingRule):
    """The complement an institution's head takes, left in lowercase by MT: ``the
    Memorandum of understanding``, ``the Ministry of defence``.

    The head must be capitalised in the MT away from the sentence's start (MT from
    Russian capitalises a name's first word only), and the corpora must write the head
    with this complement as a name (`copydesk.models.casing.patterns`); only the
    complement's first word is capitalised (where the name ends is unknown), after any
    ``the``.
    """

    reason = Reason.INSTITUTION

    def apply(self, view: SentenceView, taken: dict[int, CaseChange]) -> list[CaseChange]:
        words, texts, names = view.words, view.texts, view.lexicon.institutions
        out = []
        for k in range(1, len(words) - 2):
            if texts[words[k + 1]] not in ("of", "for"):
                continue
            head = words[k]
            if case_of(texts[head]) is not Case.CAPITALISED:
                continue
            if _current(view, taken, head) != texts[head]:
                continue  # lowered: no longer a name's head
            run = words[k : k + 4]
            j = 3 if texts[run[2]].lower() == "the" and len(run) == 4 else 2
            i = run[j]
            if any(b - a != 1 for a, b in pairwise(run[: j + 1])):
                continue  # punctuation in between
            word = texts[i]
            if i in taken or not word.islower() or len(word) < 2 or word in FUNCTION_WORDS:
                continue
            if f"{texts[head].lower()} {texts[run[1]].lower()} {word}" not in names:
                continue
            if not_prose(view.units, i):
                continue
            out.append(self.change(i, with_case(word, Case.CAPITALISED)))
        return out


class Pronoun(CasingRule):
    """``i`` standing alone in running text, away from the start: the pronoun ``I``.

    The network, which hardly meets a lowercase pronoun in training, is unsure of it.
    """

    reason = Reason.PRONOUN

    def apply(self, view: SentenceView, taken: dict[int, CaseChange]) -> list[CaseChange]:
        units, texts, words = view.units, view.texts, view.words
        out = []
        for k in range(1, len(words)):
            i = words[k]
            if texts[i] != "i" or i in taken or not_prose(units, i):
                continue
            before = texts[words[k - 1]]
            after = k + 1 < len(words) and texts[words[k + 1]][:1].isupper()
            if before[:1].isupper() and after:
                continue  # a word of a foreign name: ``Argumenti i Fakti``
            if before.lower() in ("the", "a", "an"):
                continue  # a name, never the pronoun: ``the i`` (a newspaper)
            if units[i - 1].text in "([" and i + 1 < len(units) and units[i + 1].text in ")]":
                continue  # a numbered item: ``(i)``
            out.append(self.change(i, "I"))
        return out


class CommonWords(CasingRule):
    """Capitalised words in running text that the training text never capitalises there."""

    reason = Reason.COMMON_WORD

    def apply(self, view: SentenceView, taken: dict[int, CaseChange]) -> list[CaseChange]:
        units, texts, words = view.units, view.texts, view.words
        return [
            self.change(i, texts[i].lower())
            for k, i in enumerate(words)
            if k > 0
            and i not in taken
            and case_of(texts[i]) is Case.CAPITALISED
            and texts[i].lower() in view.lexicon.common
            and i - words[k - 1] == 1  # no punctuation before it: `said: The` stays
            and not not_prose(units, i)
            and may_recase(units, texts, words, i, True, first_counts=True)
            and not _first_word_of_a_name(texts, words, k)
        ]


def _first_word_of_a_name(texts: Sequence[str], words: list[int], k: int) -> bool:
    """Whether word ``k`` opens ``X of y`` or ``X for y``: MT from Russian capitalises a
    name's first word only (``Memorandum of understanding``, ``Centre for
    reconciliation``), so lowering ``X`` may break a name rather than mend a word."""
    return (
        k + 2 < len(words)
        and texts[words[k + 1]].lower() in ("of", "for")
        and texts[words[k + 2]][:1].islower()
    )


class FunctionWords(CasingRule):
    """Function words capitalised between two lowercase words of running text.

    Titles and names keep theirs: a capitalised neighbour (``The Hague``, ``Plan A``) or
    punctuation (``said: The``) stops the rule.
    """

    reason = Reason.FUNCTION_WORD
    precedence = Precedence.FILLS_OR_CONFIRMS

    def apply(self, view: SentenceView, taken: dict[int, CaseChange]) -> list[CaseChange]:
        units, texts, words = view.units, view.texts, view.words
        out = []
        for k in range(1, len(words) - 1):
            prev, i, nxt = words[k - 1], words[k], words[k + 1]
            word = texts[i]
            if word.lower() not in ENGLISH_FUNCTION_WORDS or not word[:1].isupper():
                continue
            if len(word) > 1 and not word[1:].islower():  # IT, US: acronyms, not MT capitals
                continue
            if i - prev != 1 or nxt - i != 1 or not_prose(units, i):
                continue  # punctuation or a hyphenated part in between: not plain running text
            if not (texts[prev][:1].islower() and texts[nxt][:1].islower()):
                continue
            if len(word) == 1 and texts[nxt].lower() in FUNCTION_WORDS:
                continue  # a letter, not the article: "from A to Z"
            out.append(self.change(i, word.lower()))
        return out


RULES: tuple[CasingRule, ...] = (
    KnownNames(),
    ProperWords(),
    Surnames(),
    Designators(),
    Offices(),
    Institutions(),
    Pronoun(),
    CommonWords(),
    FunctionWords(),
)


def may_recase(
    units: Sequence[Unit],
    texts: Sequence[str],
    words: list[int],
    i: int,
    lowering: bool,
    *,
    first_counts: bool = False,
) -> bool:
    """Whether a rule may change the case of the word at unit ``i``.

    Not the sentence's first word, a single letter (``i`` in ``Argumenti i Fakti``) or part
    of a hyphenated word; and not a lowering when the nearest content word on either side
    is capitalised (``the Way of Grief``, ``Head of State``), where it is likely a name's.
    A sentence's first word counts as such a neighbour only with ``first_counts``
    (``Living Proof``): its capital is the sentence's, so it proves less.
    """
    k = words.index(i) if i in words else -1
    if k <= 0 or len(texts[i]) < 2:
        return False
    nxt = units[i + 1] if i + 1 < len(units) else None
    if nxt is not None and nxt.text in "-‐–" and not nxt.space_before:
        return False
    if not lowering:
        return True
    for step in (-1, 1):
        j = k + step
        while 0 <= j < len(words) and texts[words[j]].lower() in FUNCTION_WORDS:
            j += step
        if (0 if first_counts else 1) <= j < len(words) and texts[words[j]][:1].isupper():
            return False
    return True


def mt_capitals(words: Sequence[str], lexicon: CasingLexicon) -> bool:
    """Whether the capitals are placed as MT from Russian places them.

    Either a lowercase word straight before a capitalised common word, the capital moved
    one word on (``foreign Minister``, ``Minister of foreign Affairs``), or only the first
    of three or more words capitalised (``Munich security conference``, ``Centre for
    reconciliation``). Not ``Syrian army`` (a proper adjective before a common noun is
    ordinary English), ``central Russia`` (the capital is a name's own), nor ``decree of
    the President`` (a title after a common noun and its preposition).
    """

    def moved_capital(word: str) -> bool:
        return (
            word[:1].isupper() and word.lower() not in lexicon.proper and not is_known_place(word)
        )

    content = [w for w in words if w.lower() not in FUNCTION_WORDS]
    upper = [w[:1].isupper() for w in content]
    moved = any(
        a[:1].islower() and a.lower() not in FUNCTION_WORDS and moved_capital(b)
        for a, b in pairwise(words)
    )
    first_only = len(words) >= 3 and upper[:1] == [True] and not any(upper[1:])
    return moved or first_only


def not_prose(units: Sequence[Unit], i: int) -> bool:
    """A single letter followed at once by a full stop (``i.e.``, ``U.S.``), a part of a
    dotted name (``www.youtube.com``, ``natan21.livejournal.com``) or a part of a path
    or handle beside a slash (``u / bagapsh`` in tokenised MT): not a word of prose."""
    nxt = units[i + 1] if i + 1 < len(units) else None
    if len(units[i].text) == 1 and nxt is not None and nxt.text == "." and not nxt.space_before:
        return True
    if (i > 0 and units[i - 1].text == "/") or (nxt is not None and nxt.text == "/"):
        return True
    start, end = i, i + 1
    while start > 0 and not units[start].space_before:
        start -= 1
    while end < len(units) and not units[end].space_before:
        end += 1
    return _DOTTED.search("".join(u.text for u in units[start:end])) is not None
