"""House rules: what one newsroom has taught copydesk beyond its glossary.

Two kinds, both given per request (a newsroom's, never another's):

- protected words, which copydesk never changes: a personal dictionary, or a repair
  that the newsroom's editors keep rejecting (``Sergei`` at an outlet that writes it so);
- cutoffs by rule, learned from editors' decisions: the confidence at which applying an
  edit of that rule beats offering it as a suggestion; and by rule and word
  (`word_key`), for one rule's edits of one word that editors keep rejecting.

The pipeline applies both in one place (`copydesk.models.pipeline`), so every stage and
every way in obeys them alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from copydesk.models.edits import Edit


def rule_key(edit: Edit) -> str:
    """The name a learned cutoff is kept under: ``stage:rule``, or the stage alone."""
    return f"{edit.stage}:{edit.rule}" if edit.rule else edit.stage


# Between a rule and the text its edit replaces, in the key of a cutoff for one word.
WORD_SEPARATOR = "|"


def word_key(edit: Edit) -> str:
    """The name of a cutoff for one rule's edits of one word: ``stage:rule|original``."""
    return f"{rule_key(edit)}{WORD_SEPARATOR}{edit.original}"


class Judge(Protocol):
    """A newsroom's learned judge of edits (`copydesk.models.learning.edit_judge`)."""

    def applies(self, edit: Edit, text: str, by_cutoff: bool) -> bool | None: ...

    def to_dict(self) -> dict: ...


@dataclass(frozen=True)
class HouseRules:
    """One newsroom's protected words, learned cutoffs and learned judge of edits
    (empty: shipped behaviour)."""

    protected: frozenset[str] = frozenset()
    cutoffs: Mapping[str, float] = field(default_factory=dict)
    judge: Judge | None = None

    @classmethod
    def of(
        cls,
        protected: Iterable[str] = (),
        cutoffs: Mapping[str, float] | None = None,
        judge: Judge | None = None,
    ) -> HouseRules:
        """Rules from any iterable of words (blank entries are ignored)."""
        words = frozenset(w.strip() for w in protected if w.strip())
        return cls(words, dict(cutoffs or {}), judge)

    def __bool__(self) -> bool:
        return bool(self.protected or self.cutoffs or self.judge)

    def merged(self, other: HouseRules) -> HouseRules:
        """Both sets of words; ``other``'s cutoff (and judge) wins where both have one."""
        return HouseRules(
            self.protected | other.protected,
            {**self.cutoffs, **other.cutoffs},
            other.judge or self.judge,
        )

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.protected:
            return None
        # Longest first, so that a phrase wins over a word inside it; whole words only.
        words = sorted(self.protected, key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")

    def protected_spans(self, text: str) -> list[tuple[int, int]]:
        """Where protected words occur in ``text`` (case-sensitive, whole words)."""
        if self._pattern is None:
            return []
        return [m.span() for m in self._pattern.finditer(text)]

    def allows(self, edits: Iterable[Edit], text: str) -> list[Edit]:
        """The edits that leave every protected word of ``text`` as it is."""
        spans = self.protected_spans(text)
        if not spans:
            return list(edits)
        return [e for e in edits if not any(_touches(e, s, t) for s, t in spans)]

    def cutoff_for(self, edit: Edit, default: float) -> float:
        """The learned cutoff for ``edit``'s rule and word, else for its rule, else
        ``default`` (the stage's)."""
        if not self.cutoffs:
            return default
        return self.cutoffs.get(word_key(edit), self.cutoffs.get(rule_key(edit), default))

    def applies(self, edit: Edit, default: float, text: str) -> bool:
        """Whether ``edit``, proposed on ``text``, is made (else offered): never when its
        stage offers it only; by the newsroom's judge where it judges the edit's rule and
        no cutoff for the rule and word overrides it; else by the cutoff."""
        if not edit.applied:
            return False
        by_cutoff = edit.confidence >= self.cutoff_for(edit, default)
        if self.judge is None or word_key(edit) in self.cutoffs:
            return by_cutoff
        verdict = self.judge.applies(edit, text, by_cutoff)
        return by_cutoff if verdict is None else verdict


NO_HOUSE_RULES = HouseRules()


def _touches(edit: Edit, start: int, end: int) -> bool:
    """Whether ``edit`` changes any character of ``[start, end)``, or inserts inside it."""
    if edit.start == edit.end:
        return start < edit.start < end
    return edit.start < end and start < edit.end
