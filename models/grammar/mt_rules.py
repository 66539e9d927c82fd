"""copydesk's own grammar rules for errors MT from Russian makes and LanguageTool misses.

``COPYDESK_IF_WILL``: Russian uses the future tense in conditional and time clauses
(``Если военные действия не прекратятся``), so MT writes ``If military action will not
stop``; English wants the present (``does not stop``). Only clauses that open a sentence
are touched: after a main clause, ``if``/``when`` may start an indirect question, where
the future is right (``I asked when he will come``).
"""

from __future__ import annotations

import regex

from copydesk.models.document import Document

CATEGORY = "COPYDESK"
CATEGORY_NAME = "Machine translation"
RULE = "COPYDESK_IF_WILL"
DESCRIPTION = "Future tense in a conditional or time clause (If ... will)"
MESSAGE = "In a conditional or time clause English uses the present tense, not 'will'."
_CLAUSE = regex.compile(
    r"^(?P<lead>[\"“«(]?\s*)(?P<conj>If|Unless|When|Once|As soon as|Until|Before|After)\s+"
    r"(?P<subject>(?:[\p{L}\p{N}'’-]+\s+){0,3}?[\p{L}'’-]+)\s+"
    r"(?P<will>will(?P<neg>\s+not)?|won[’']t)\s+(?P<verb>\p{Ll}+)\b"
)
PLURAL_PRONOUNS = {"i", "you", "we", "they"}
# A subject holding a verb or a second pronoun means the clause has ended and ``will``
# is the main clause's, where it is right: ``If you are impatient you will not get it``.
CLAUSE_VERBS = frozenset(
    "am is are was were be been being has have had do does did can could may might must "
    "shall should would isn't aren't wasn't weren't don't doesn't didn't it's there's "
    "that's he's she's what's".split()
)
SUBJECT_PRONOUNS = frozenset("i you he she it we they".split())
IRREGULAR = {
    "be": ("is", "are"),
    "have": ("has", "have"),
    "do": ("does", "do"),
    "go": ("goes", "go"),
}


def _plural(subject: str) -> bool:
    last = subject.split()[-1].lower()
    if last in PLURAL_PRONOUNS:
        return True
    if last in {"he", "she", "it", "this", "that", "everyone", "nobody", "somebody"}:
        return False
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _present(verb: str, plural: bool) -> str:
    if verb in IRREGULAR:
        return IRREGULAR[verb][1 if plural else 0]
    if plural:
        return verb
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def conditional_future(doc: Document) -> list[tuple[int, int, str, str]]:
    """(start, end, original, replacement) for each sentence-initial clause with ``will``."""
    out = []
    for sentence in doc.sentences:
        text = doc.sentence_text(sentence)
        m = _CLAUSE.match(text)
        if m is None:
            continue
        words = [w.lower() for w in m.group("subject").split()]
        if (
            words[-1] in {"there", "it's"}
            or any(w in CLAUSE_VERBS for w in words)
            or any(w in SUBJECT_PRONOUNS for w in words[1:])
        ):
            continue
        plural = _plural(m.group("subject"))
        verb = m.group("verb")
        negative = m.group("neg") is not None or m.group("will").startswith("won")
        if negative:
            aux = "do not" if plural else "does not"
            replacement = f"{aux} {verb}" if verb != "be" else f"{'are' if plural else 'is'} not"
        else:
            replacement = _present(verb, plural)
        start, end = sentence.start + m.start("will"), sentence.start + m.end("verb")
        out.append((start, end, doc.text[start:end], replacement))
    return out
