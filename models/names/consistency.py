"""One spelling per name: the variants of a name a document writes, made one.

Order of authority: a glossary term wins; then the Russian source, when the caller gives
it; then the document's first spelling, unless English writes another of its spellings
far more often (the first is then a misspelling, ``Chhatisgarh``).
"""

from __future__ import annotations

from copydesk.models.edits import Edit
from copydesk.models.names.edits import name_edit
from copydesk.models.names.glossary import Glossary
from copydesk.models.names.inventory import NameUse
from copydesk.models.translit import variant_key
from copydesk.models.wordstats import zipf

CONSISTENCY_CONFIDENCE = 0.9
# The first of a name's spellings gives way to one English writes this much more often
# (Zipf: 2 = a hundred times): the first is then a misspelling (``Chhatisgarh``).
MISSPELT_FIRST_ZIPF_GAP = 2.0


def consistency_edits(
    stage: str, uses: dict[str, NameUse], glossary: Glossary, source: dict[str, str]
) -> list[Edit]:
    """Edits that write each name one way (``source``: the source's names by variant key)."""
    groups: dict[str, list[NameUse]] = {}
    for use in uses.values():
        groups.setdefault(variant_key(use.form), []).append(use)
    edits = []
    for key, group in groups.items():
        if len({u.form.lower() for u in group}) < 2:
            continue  # one spelling (a difference in case only is the casing stage's)
        group.sort(key=lambda u: u.first)
        canonical, why = _canonical(key, group, glossary, source)
        for use in group:
            if use.form == canonical:
                continue
            for token in use.tokens:
                edits.append(
                    name_edit(
                        stage,
                        token.start,
                        token.end,
                        token.text,
                        canonical,
                        CONSISTENCY_CONFIDENCE,
                        f"one spelling per name: {why}",
                        "name-consistency",
                    )
                )
    return edits


def _canonical(
    key: str, group: list[NameUse], glossary: Glossary, source: dict[str, str]
) -> tuple[str, str]:
    """The spelling a group of variants (in order of first use) takes, and why."""
    term = glossary.term_for_name(group[0].form)
    if term is not None:
        return term.term, f"the glossary spells it {term.term!r}"
    first = group[0].form
    why = f"the document first writes {first!r}"
    if key in source:
        return next((u.form for u in group if u.form == source[key]), first), why
    common = max(group, key=lambda u: zipf(u.form.lower())).form
    if zipf(common.lower()) - zipf(first.lower()) >= MISSPELT_FIRST_ZIPF_GAP:
        why = f"English writes {common!r} far more often than the document's first {first!r}"
        return common, why
    return first, why
