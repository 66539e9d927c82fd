"""The ``entities`` stage: glossary terms, one spelling per name, and garbled-name repair.

Order of authority: a glossary term wins over everything; then the Russian source,
when the caller gives it; then what the document itself uses most and first. Without
the source, a garble needs strong evidence from the document (`_weak_evidence`), so that
a long document, with more names to look like, is as safe as a line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex
from rapidfuzz.distance import Levenshtein

from copydesk.models.casing.lexicon import shipped_lexicon
from copydesk.models.casing.words import FUNCTION_WORDS
from copydesk.models.document import Document, Token
from copydesk.models.edits import Edit, EditKind, spans_overlap
from copydesk.models.names.glossary import Glossary, GlossaryMatch
from copydesk.models.names.inventory import NameUse, name_inventory
from copydesk.models.names.translit import (
    gendered_pair,
    source_name_words,
    source_names,
    strip_adjective,
    variant_key,
)
from copydesk.models.stage import RepairContext, Stage

GARBLED_MAX_ZIPF = 1.0  # a garbled name is a word English has (almost) never seen
# ``Murcian``, ``Worcesters``: a name plus one of these is a derived word, not a garble.
DERIVATIONS = ("s", "es", "n", "an", "ian", "ns", "ese", "i", "ish", "ite", "ites", "er", "ers")


@dataclass(frozen=True)
class _Candidate:
    target: str
    score: float
    evidence: str


# Russian adjectival place names keep their adjective in English before these nouns.
PLACE_NOUNS = frozenset(
    "district street region territory lane avenue prospekt prospect square boulevard "
    "highway station village settlement municipality okrug oblast raion krai".split()
)
_WORD_AFTER = regex.compile(r"\s+(\p{L}+)")
JOINED_CONFIDENCE = 0.9
JOINED_WORD_ZIPF = 5.0  # the word run onto the name is a very common one (``just``, ``was``)
MIN_TARGET_LETTERS = 4  # `Doe`, `One`: too short to tell a garble from a coincidence
# The shortest name whose inflections (``Rovaniemen``) `_derived` recognises.
INFLECTED_MIN_LETTERS = 5
# The first of a name's spellings gives way to one English writes this much more often
# (Zipf: 2 = a hundred times): the first is then a misspelling (``Chhatisgarh``).
MISSPELT_FIRST_ZIPF_GAP = 2.0
ONCE_USED_STEM_SIMILARITY = 0.8
# Letters MT changes in a name it garbles (an adjective ending aside); more is another name.
MAX_GARBLED_LETTERS = 2


def similarity(a: str, b: str) -> float:
    """1 - normalised Levenshtein distance, case-insensitive."""
    return Levenshtein.normalized_similarity(a.lower(), b.lower())


class EntitiesStage(Stage):
    """Repairs names: glossary terms, transliteration variants, and garbled names."""

    name = "entities"

    def __init__(
        self,
        *,
        glossary: str | None = None,
        threshold: float = 0.7,
        min_similarity: float = 0.6,
        consistency: bool = True,
        garbled: bool = True,
    ) -> None:
        from copydesk.models.names.gazetteer import known_places

        known_places()  # load the gazetteer now, not on the first request
        self.glossary = Glossary.load(glossary) if glossary else Glossary()
        self.threshold = threshold
        self.min_similarity = min_similarity
        self.consistency = consistency
        self.garbled = garbled

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        glossary = self.glossary.merged(context.glossary)
        matches = list(glossary.matches(doc.text))
        edits = self._glossary_edits(matches)
        taken = [(m.start, m.end) for m in matches]  # glossary terms are settled
        uses = {
            form: use
            for form, use in name_inventory(doc).items()
            if not any(spans_overlap(t.start, t.end, s, e) for t in use.tokens for s, e in taken)
        }
        source = source_names(context.source) if context.source else {}
        variant_forms: set[str] = set()
        if self.consistency:
            consistency = self._consistency_edits(uses, glossary, source)
            variant_forms = {e.original for e in consistency} | {e.replacement for e in consistency}
            edits += consistency
        if self.garbled:
            rest = {f: u for f, u in uses.items() if f not in variant_forms}
            garbled = self._garbled_edits(doc.text, rest, uses, glossary, source)
            edits += _with_source_words(garbled, context.source)
        return edits

    def _glossary_edits(self, matches: list[GlossaryMatch]) -> list[Edit]:
        edits = []
        for match in matches:
            if match.text != match.term.term:
                edits.append(
                    _edit(
                        match.start, match.end, match.text, match.term.term, 0.99,
                        f"glossary term {match.term.term!r}"
                        + (f" ({match.term.notes})" if match.term.notes else ""),
                        "glossary",
                    )
                )  # fmt: skip
        return edits

    def _consistency_edits(
        self, uses: dict[str, NameUse], glossary: Glossary, source: dict[str, str]
    ) -> list[Edit]:
        from copydesk.models.names.gazetteer import zipf

        groups: dict[str, list[NameUse]] = {}
        for use in uses.values():
            groups.setdefault(variant_key(use.form), []).append(use)
        edits = []
        for key, group in groups.items():
            if len({u.form.lower() for u in group}) < 2:
                continue  # one spelling (a difference in case only is the casing stage's)
            group.sort(key=lambda u: u.first)
            term = glossary.term_for_name(group[0].form)
            if term is not None:
                canonical, why = term.term, f"the glossary spells it {term.term!r}"
            elif key in source:
                canonical = next((u.form for u in group if u.form == source[key]), group[0].form)
                why = f"the document first writes {group[0].form!r}"
            else:
                canonical, why = group[0].form, f"the document first writes {group[0].form!r}"
                common = max(group, key=lambda u: zipf(u.form.lower())).form
                if zipf(common.lower()) - zipf(canonical.lower()) >= MISSPELT_FIRST_ZIPF_GAP:
                    why = (
                        f"English writes {common!r} far more often than the document's "
                        f"first {canonical!r}"
                    )
                    canonical = common
            for use in group:
                if use.form == canonical:
                    continue
                for token in use.tokens:
                    edits.append(
                        _edit(
                            token.start, token.end, token.text, canonical, 0.9,
                            f"one spelling per name: {why}", "name-consistency",
                        )
                    )  # fmt: skip
        return edits

    def _garbled_edits(
        self,
        doc_text: str,
        candidates: dict[str, NameUse],
        uses: dict[str, NameUse],
        glossary: Glossary,
        source: dict[str, str],
    ) -> list[Edit]:
        from copydesk.models.names.gazetteer import is_known_place, zipf

        # A name used once is a target only when English knows it better than the candidate.
        # A name used once may still be what a Russian-style adjective garbles
        # (`Onyekaski` for `Onyeka`): `_best_target` admits it only then.
        targets = {f: u for f, u in uses.items() if len(f) >= MIN_TARGET_LETTERS}
        edits = []
        for form, use in candidates.items():
            if (
                use.count > 1
                or len(form) < 5
                or zipf(form.lower()) > GARBLED_MAX_ZIPF
                or is_known_place(form)
                or glossary.term_for_name(form) is not None
            ):
                continue
            token: Token = use.tokens[0]
            if _compound(form, targets):
                continue
            joined = _run_together(form, targets)
            if joined is not None:
                name, word = joined
                edits.append(
                    _edit(
                        token.start, token.end, token.text, f"{name} {word}", JOINED_CONFIDENCE,
                        f"{form!r} runs the name {name!r}, which the document uses "
                        f"{targets[name].count} times, into the word {word!r}", "joined-name",
                    )
                )  # fmt: skip
                continue
            stem, ending = strip_adjective(form)
            if _in_source(form, stem, source):
                continue  # the source has this very name (perhaps inflected): not garbled
            if ending and _next_word(doc_text, token.end).lower() in PLACE_NOUNS:
                continue  # ``Aksaysky district``, ``Tverskaya Street``: the English rendering
            after_given = _word_before(doc_text, token.start).lower() in shipped_lexicon().given
            best = self._best_target(form, stem, ending, targets, source,
                                     after_given=after_given, doc_text=doc_text)  # fmt: skip
            if best is None:
                continue
            edits.append(
                _edit(
                    token.start, token.end, token.text, best.target, round(best.score, 3),
                    f"{form!r} is not a known word or name; {best.evidence}", "garbled-name",
                )
            )  # fmt: skip
        return edits

    def _best_target(
        self,
        form: str,
        stem: str,
        ending: str,
        targets: dict[str, NameUse],
        source: dict[str, str],
        *,
        after_given: bool = False,
        doc_text: str = "",
    ) -> _Candidate | None:
        """The name ``form`` most likely garbles, with a confidence, or None.

        ``after_given``: ``form`` follows a given name in ``doc_text``, so it is a surname."""
        from copydesk.models.names.gazetteer import is_known_place, zipf

        options = {t: u.count for t, u in targets.items()}
        for latin in source.values():
            options.setdefault(latin, 0)  # a source name the document never writes
        scored: list[_Candidate] = []
        folded = _fold(form)
        for target, count in options.items():
            if target == form or _fold(target) == folded or _derived(form, target, ending):
                continue  # the same name, or differing only in diacritics (never changed)
            if gendered_pair(form, target) or (not ending and _prefix_of(form, target)):
                continue  # Petrova is not Petrov; Kimberly is not Kim
            if count == 1 and not (
                is_known_place(target)
                or zipf(target.lower()) >= 1.5
                or (ending and similarity(stem, target) >= ONCE_USED_STEM_SIMILARITY)
            ):
                continue
            in_source = variant_key(target) in source
            weak = _weak_evidence(form, target, ending, targets.get(target),
                                  after_given=after_given, doc_text=doc_text)  # fmt: skip
            if weak and not in_source:
                continue
            sim = max(
                similarity(form, target),
                similarity(form, target + ending) if ending else 0.0,
                similarity(stem, target) if ending else 0.0,
            )
            same_initial = target[:1].lower() == form[:1].lower()
            if sim < self.min_similarity or not (same_initial or in_source):
                continue
            if count == 0 and not ending:
                continue  # from the source alone, only adjectives garbled from a name
            score = sim
            score += 0.08 if ending else 0.0  # a Russian adjective garbled from a name
            score += 0.05 if same_initial else 0.0
            score += 0.05 if count >= 3 else -0.05 if count <= 1 else 0.0
            score += 0.1 if in_source else 0.0
            where = (
                f"the document uses {target!r} {count} times"
                if count
                else f"the source has {target!r}"
            )
            if in_source and count:
                where += " and so does the source"
            scored.append(_Candidate(target, score, f"{where} (similarity {sim:.2f})"))
        if not scored:
            return None
        scored.sort(key=lambda c: c.score, reverse=True)
        best = scored[0]
        if len(scored) > 1 and scored[1].score > best.score - 0.05:
            return _Candidate(best.target, best.score - 0.2, best.evidence + "; another is close")
        return _Candidate(best.target, min(best.score, 0.99), best.evidence)


def _weak_evidence(
    form: str, target: str, ending: str, use: NameUse | None, *, after_given: bool, doc_text: str
) -> bool:
    """Whether the document's ``target`` (``use``: its uses there) is too weak a reason,
    without the source's word, to take ``form`` for a garble of it."""
    from copydesk.models.names.gazetteer import is_known_place

    lexicon = shipped_lexicon()
    if _toggles_accents(form[: len(form) - len(ending)], target):
        return True  # diacritics come and go only on a glossary's or the source's say
    if not ending and Levenshtein.distance(form.lower(), target.lower()) > MAX_GARBLED_LETTERS:
        return True  # ``Sternberk`` is another name than ``Sternfeld``, not a garble of it
    # A surname after a given name (``Alexis Blouet``) garbles no place or common word
    # that the document does not use as a surname too (``Wendy Davis``).
    return (
        after_given
        and (is_known_place(target) or lexicon.seen_in_lowercase(target))
        and not (use is not None and any(_after_a_name(doc_text, t.start) for t in use.tokens))
    )


def _toggles_accents(a: str, b: str) -> bool:
    """Whether ``b`` adds or takes off a diacritic on a letter of ``a`` (``Kateřina``,
    ``Katarina``), rather than only changing letters (``Mäkeliskoy``, ``Mäkelä``)."""
    return Levenshtein.distance(_fold(a), _fold(b)) < Levenshtein.distance(a.lower(), b.lower())


def _after_a_name(text: str, start: int) -> bool:
    """Whether the word at ``start`` follows a capitalised word that is no function word
    (``Wendy Davis``, ``Mr Davis``; not ``The Blues``)."""
    before = _word_before(text, start)
    return before[:1].isupper() and before.lower() not in FUNCTION_WORDS


def _with_source_words(edits: list[Edit], source: str | None) -> list[Edit]:
    """Repairs the source supports name the source's own word, so that an editor (and
    the editor's page) can find the evidence: ``the source has 'Idlib' (идлибской)``."""
    if not source:
        return edits
    words = source_name_words(source)
    out = []
    for edit in edits:
        word = words.get(variant_key(edit.replacement))
        if word and "the source has" in edit.message:
            edit = replace(edit, message=f"{edit.message}; the source's word: {word!r}")
        out.append(edit)
    return out


def _prefix_of(a: str, b: str) -> bool:
    """One name is the other plus letters (``Kim``, ``Kimberly``): different names."""
    a, b = a.lower(), b.lower()
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and len(long) - len(short) >= 2


def _run_together(form: str, targets: dict[str, NameUse]) -> tuple[str, str] | None:
    """``(name, word)`` when ``form`` is a name the document uses run into a common word.

    ``Thunbergjust``, ``Cervantes-Barraganwas``: a lost space, not a garbled name; replacing
    the whole word by the name would drop the word.
    """
    from copydesk.models.names.gazetteer import zipf

    for name, use in sorted(targets.items(), key=lambda item: -len(item[0])):
        rest = form[len(name) :]
        if (
            use.count >= 2
            and form.startswith(name)
            and len(rest) >= 3  # ``Marxin`` is Finnish for Marx's, not ``Marx in``
            and rest.isalpha()
            and rest.islower()
            and rest not in DERIVATIONS
            and strip_adjective(form)[1] == ""  # ``Panettasky``: an adjective ending, no word
            and zipf(rest) >= JOINED_WORD_ZIPF
        ):
            return name, rest
    return None


def _compound(form: str, targets: dict[str, NameUse]) -> bool:
    """``Yessentuki-4``, ``Rozentals-seura``: a name in a compound, not a garbled name."""
    if any(ch.isdigit() for ch in form):
        return True
    parts = form.split("-")
    return len(parts) > 1 and any(part in targets for part in parts)


_WORD_BEFORE = regex.compile(r"(\p{L}+)\s+$")


def _word_before(text: str, start: int) -> str:
    match = _WORD_BEFORE.search(text, max(0, start - 40), start)
    return match.group(1) if match else ""


def _next_word(text: str, end: int) -> str:
    match = _WORD_AFTER.match(text, end)
    return match.group(1) if match else ""


def _in_source(form: str, stem: str, source: dict[str, str]) -> bool:
    """Whether a source name is this word, an inflection of it (``Shvydkogo``) or a variant."""
    for word in (form, stem):
        key = variant_key(word)
        prefix = key[:5]
        if key in source or any(k.startswith(prefix) for k in source if len(prefix) >= 4):
            return True
    # Another spelling of a source name (Moseitsevo, Moseytsevo) is not a garble either.
    return any(similarity(form, latin) >= 0.8 for latin in source.values())


def _fold(word: str) -> str:
    """Lowercase without accents: ``Tórtola`` and ``Tortola`` fold alike."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _derived(word: str, name: str, ending: str) -> bool:
    """Whether ``word`` is ``name`` inflected or derived in some language, not garbled.

    The name plus letters (``Worcesters``, ``Marxin``, ``Kovaca``), unless ``word`` has a
    Russian adjective ``ending`` (``Idlibskiy`` is a garble) that is no derivational one;
    or ``word`` plus a derivational ending is the name (``Murcia`` beside ``Murcian``).
    Also a longer word that keeps all but the name's last letter: inflections and
    derivations that change the final letter (Finnish ``Rovaniemen`` from ``Rovaniemi``,
    Inuktitut ``Nunavummiut`` from ``Nunavut``, French ``Philharmonique``). A garble keeps
    the name's length or, as a Russian adjective, has an ``ending``.
    """
    w, n = _fold(word), _fold(name)
    if not ending and len(w) > len(n) >= INFLECTED_MIN_LETTERS and w.startswith(n[:-1]):
        return True
    return (w.startswith(n) and (not ending or w[len(n) :] in DERIVATIONS)) or (
        n.startswith(w) and n[len(w) :] in DERIVATIONS
    )


def _edit(start: int, end: int, original: str, replacement: str, confidence: float,
          message: str, rule: str) -> Edit:  # fmt: skip
    return Edit(start, end, original, replacement, EditKind.ENTITY, EntitiesStage.name,
                confidence, message, rule)  # fmt: skip
