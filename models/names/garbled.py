"""Garbled names: a word English has (almost) never seen, that MT made of a name.

The target is a name the document uses (or, given the source, one the source has).
Without the source, a garble needs strong evidence from the document (`_weak_evidence`),
so that a long document, with more names to look like, is as safe as a line. Not a
garble: a derived or inflected form (`copydesk.models.names.forms.derived`), the other
gender's surname, a compound, a place, a glossary name, or a name the source has; a
name run into a common word (``Thunbergjust``) is split rather than replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex

from copydesk.models.document import Token
from copydesk.models.edits import Edit
from copydesk.models.names.edits import name_edit
from copydesk.models.names.forms import (
    DERIVATIONS,
    derived,
    fold,
    letters_apart,
    prefix_of,
    similarity,
    toggles_accents,
)
from copydesk.models.names.glossary import Glossary
from copydesk.models.names.inventory import NameUse
from copydesk.models.names.source import EnglishNames, source_name_words
from copydesk.models.translit import gendered_pair, strip_adjective, variant_key
from copydesk.models.wordstats import (
    FUNCTION_WORDS,
    is_known_place,
    shipped_word_usage,
    zipf,
)

GARBLED_MAX_ZIPF = 1.0  # a garbled name is a word English has (almost) never seen
# Russian adjectival place names keep their adjective in English before these nouns.
PLACE_NOUNS = frozenset(
    "district street region territory lane avenue prospekt prospect square boulevard "
    "highway station village settlement municipality okrug oblast raion krai".split()
)
JOINED_CONFIDENCE = 0.9
JOINED_WORD_ZIPF = 5.0  # the word run onto the name is a very common one (``just``, ``was``)
MIN_TARGET_LETTERS = 4  # `Doe`, `One`: too short to tell a garble from a coincidence
ONCE_USED_STEM_SIMILARITY = 0.8
# Letters MT changes in a name it garbles (an adjective ending aside); more is another name.
MAX_GARBLED_LETTERS = 2
_WORD_AFTER = regex.compile(r"\s+(\p{L}+)")
_WORD_BEFORE = regex.compile(r"(\p{L}+)\s+$")


@dataclass(frozen=True)
class _Candidate:
    target: str
    score: float
    evidence: str


@dataclass(frozen=True)
class GarbledNames:
    """Finds garbled names in a document and the names they garble."""

    stage: str
    min_similarity: float = 0.6

    def edits(
        self,
        doc_text: str,
        candidates: dict[str, NameUse],
        uses: dict[str, NameUse],
        glossary: Glossary,
        source: dict[str, str],
    ) -> list[Edit]:
        """Repairs of the ``candidates`` that garble one of ``uses`` or a ``source`` name."""
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
            token = use.tokens[0]
            if _compound(form, targets):
                continue
            joined = _run_together(form, targets)
            if joined is not None:
                name, word = joined
                message = (
                    f"{form!r} runs the name {name!r}, which the document uses "
                    f"{targets[name].count} times, into the word {word!r}"
                )
                replacement = f"{name} {word}"
                edits.append(self._edit(token, replacement, JOINED_CONFIDENCE, message, "joined"))
                continue
            stem, ending = strip_adjective(form)
            if _in_source(form, stem, source):
                continue  # the source has this very name (perhaps inflected): not garbled
            if ending and _next_word(doc_text, token.end).lower() in PLACE_NOUNS:
                continue  # ``Aksaysky district``, ``Tverskaya Street``: the English rendering
            after_given = _word_before(doc_text, token.start).lower() in shipped_word_usage().given
            best = self._best_target(
                form, stem, ending, targets, source, after_given=after_given, doc_text=doc_text
            )
            if best is None:
                continue
            message = f"{form!r} is not a known word or name; {best.evidence}"
            edits.append(self._edit(token, best.target, round(best.score, 3), message, "garbled"))
        return edits

    def _edit(
        self, token: Token, replacement: str, confidence: float, message: str, what: str
    ) -> Edit:
        return name_edit(
            self.stage,
            token.start,
            token.end,
            token.text,
            replacement,
            confidence,
            message,
            f"{what}-name",
        )

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
        options = {t: u.count for t, u in targets.items()}
        for latin in source.values():
            options.setdefault(latin, 0)  # a source name the document never writes
        scored: list[_Candidate] = []
        folded = fold(form)
        for target, count in options.items():
            if target == form or fold(target) == folded or derived(form, target, ending):
                continue  # the same name, or differing only in diacritics (never changed)
            if gendered_pair(form, target) or (not ending and prefix_of(form, target)):
                continue  # Petrova is not Petrov; Kimberly is not Kim
            if count == 1 and not (
                is_known_place(target)
                or zipf(target.lower()) >= 1.5
                or (ending and similarity(stem, target) >= ONCE_USED_STEM_SIMILARITY)
            ):
                continue
            in_source = variant_key(target) in source
            weak = _weak_evidence(
                form,
                target,
                ending,
                targets.get(target),
                after_given=after_given,
                doc_text=doc_text,
            )
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


def with_source_words(
    edits: list[Edit], source: str | None, english: EnglishNames | None = None
) -> list[Edit]:
    """Repairs the source supports name the source's own word, so that an editor (and
    the editor's page) can find the evidence: ``the source has 'Idlib' (идлибской)``."""
    if not source:
        return edits
    words = source_name_words(source, english)
    out = []
    for edit in edits:
        word = words.get(variant_key(edit.replacement))
        if word and ("the source has" in edit.message or "so does the source" in edit.message):
            edit = replace(edit, message=f"{edit.message}; the source's word: {word!r}")
        out.append(edit)
    return out


def _weak_evidence(
    form: str, target: str, ending: str, use: NameUse | None, *, after_given: bool, doc_text: str
) -> bool:
    """Whether the document's ``target`` (``use``: its uses there) is too weak a reason,
    without the source's word, to take ``form`` for a garble of it."""
    if toggles_accents(form[: len(form) - len(ending)], target):
        return True  # diacritics come and go only on a glossary's or the source's say
    if not ending and letters_apart(form, target) > MAX_GARBLED_LETTERS:
        return True  # ``Sternberk`` is another name than ``Sternfeld``, not a garble of it
    # A surname after a given name (``Alexis Blouet``) garbles no place or common word
    # that the document does not use as a surname too (``Wendy Davis``).
    return (
        after_given
        and (is_known_place(target) or shipped_word_usage().seen_in_lowercase(target))
        and not (use is not None and any(_after_a_name(doc_text, t.start) for t in use.tokens))
    )


def _after_a_name(text: str, start: int) -> bool:
    """Whether the word at ``start`` follows a capitalised word that is no function word
    (``Wendy Davis``, ``Mr Davis``; not ``The Blues``)."""
    before = _word_before(text, start)
    return before[:1].isupper() and before.lower() not in FUNCTION_WORDS


def _run_together(form: str, targets: dict[str, NameUse]) -> tuple[str, str] | None:
    """``(name, word)`` when ``form`` is a name the document uses run into a common word.

    ``Thunbergjust``, ``Cervantes-Barraganwas``: a lost space, not a garbled name; replacing
    the whole word by the name would drop the word.
    """
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
