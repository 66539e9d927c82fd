"""The decisions on top of the casing model's probabilities, on made-up probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from copydesk.models.casing.decide import (
    DOCUMENT_CONFIDENCE,
    DOCUMENT_FLOOR,
    DocumentCasing,
    decide,
)
from copydesk.models.casing.lexicon import CasingLexicon
from copydesk.models.casing.rules import RULE_CONFIDENCE, RULES, Reason
from copydesk.models.casing.units import OUTPUT_CASES, Case, split_units

LEXICON = CasingLexicon([], {})


def row(text: str) -> tuple[list, list[str]]:
    units = split_units(text)
    return units, [u.text for u in units]


def unsure(units: list, word: str, case: Case, p: float = 0.7) -> np.ndarray:
    """Probabilities that keep every unit as it is, but ``word`` goes to ``case`` with ``p``."""
    probs = np.zeros((len(units), len(OUTPUT_CASES)))
    for i, unit in enumerate(units):
        keep = OUTPUT_CASES.index(Case.CAPITALISED if unit.text[:1].isupper() else Case.LOWER)
        probs[i, keep] = 1.0
        if unit.text == word:
            probs[i] = (1 - p) / 3
            probs[i, OUTPUT_CASES.index(case)] = p
    return probs


def by_rules(text: str, lexicon: CasingLexicon, reason: Reason) -> str:
    """``text`` as the rules repair it (the model keeps every word); every change must be
    the ``reason`` rule's, made with the rules' confidence."""
    from copydesk.models.casing.units import rebuild

    units, texts = row(text)
    made = decide(units, texts, unsure(units, "none", Case.LOWER), lexicon)
    assert all(c.reason is reason and c.confidence == RULE_CONFIDENCE for c in made), made
    for change in made:
        texts[change.unit] = change.text
    return rebuild(text, units, texts)


def changes(text: str, word: str, case: Case, others: list[str], floor: float = 0.99):
    units, texts = row(text)
    document = DocumentCasing([row(text), *map(row, others)])
    probs = unsure(units, word, case)
    return [
        (texts[c.unit], c.text, c.confidence)
        for c in decide(units, texts, probs, LEXICON, floor=floor, document=document)
    ]


def test_document_usage_confirms_an_unsure_lowering():
    text = "Several Bills were blocked by the governors."
    others = ["Three bills were passed.", "Two bills failed."]
    assert changes(text, "Bills", Case.LOWER, others) == [("Bills", "bills", DOCUMENT_CONFIDENCE)]
    assert changes(text, "Bills", Case.LOWER, []) == []  # the model alone is not sure enough


def test_document_usage_confirms_an_unsure_capital():
    text = "The treasurer, Martin dumont, resigned."
    others = ["Critics of Martin Dumont said he lied.", "They asked Dumont to stay."]
    assert changes(text, "dumont", Case.CAPITALISED, others) == [
        ("dumont", "Dumont", DOCUMENT_CONFIDENCE)
    ]


@pytest.mark.parametrize(
    "others",
    [
        ["Two bills failed.", "The Bills were signed."],  # a tie is no evidence
        ["Several Bills were blocked."],  # the document writes it this way too
    ],
)
def test_no_majority_no_change(others):
    text = "Several Bills were blocked by the governors."
    assert changes(text, "Bills", Case.LOWER, others) == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Believers walk the Way of Grief each year.", "Way"),  # a name's capitals around it
        ("Bills were blocked by the governors.", "Bills"),  # a sentence's first word
        ("He ran the Art-clinic for years.", "Art"),  # part of a hyphenated word
    ],
)
def test_document_usage_leaves_names_and_sentence_starts(text, word):
    others = [f"They lost their {word.lower()} in a {word.lower()} and another {word.lower()}."]
    assert changes(text, word, Case.LOWER, others) == []


def test_sentence_starts_are_not_counted_as_usage():
    document = DocumentCasing([row("Bills were blocked."), row("Bills failed.")])
    assert not document.prefers("bills", Case.CAPITALISED)
    document = DocumentCasing([row("Several Bills were blocked."), row("Two Bills failed.")])
    assert document.prefers("bills", Case.CAPITALISED)


def test_words_the_training_text_always_capitalises_are_capitalised():
    lexicon = CasingLexicon([], {}, proper=["montpellier", "trump"])
    units, texts = row("But another team, montpellier, beat the trump card of montpellier.")
    probs = unsure(units, "none", Case.LOWER)
    made = [(texts[c.unit], c.text, c.reason) for c in decide(units, texts, probs, lexicon)]
    # `trump` is a common English word (wordfreq): a name in news, a word elsewhere.
    assert made == [("montpellier", "Montpellier", Reason.PROPER_WORD)] * 2
    units, texts = row("montpellier won.")  # a sentence's first word is the rules' business
    assert decide(units, texts, unsure(units, "none", Case.LOWER), lexicon) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The composer Igor vdovin sang.", "The composer Igor Vdovin sang."),
        ("Igor vdovin sang.", "Igor Vdovin sang."),  # a sentence's first word may be a name
        ("The composer Igor sang.", None),  # the training text writes `sang` in lowercase
        ("Then Igor agreed.", None),  # a common English word
        ("The Christian omphalos stood.", None),  # `Christian` opens no names
        ("He met Igor, vdovin said.", None),  # punctuation between
    ],
)
def test_unknown_words_after_a_given_name_are_capitalised(text, expected):
    lexicon = CasingLexicon(
        [], {}, proper=["igor", "christian"], given=["igor"], lowercase=["sang", "composer"]
    )
    assert by_rules(text, lexicon, Reason.SURNAME) == (expected or text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In January, i had a talk.", "In January, I had a talk."),
        ("He said i'm sure i did.", "He said I'm sure I did."),
        ("The paper Argumenti i Fakti wrote.", None),  # a word of a foreign name
        ("Clause (i) applies.", None),  # a numbered item
        ("He told the i newspaper.", None),  # after an article: a name
        ("That is, i.e. the rest.", None),  # an abbreviation
        ("i had a talk.", None),  # a sentence's first word is the sentence rule's
    ],
)
def test_a_lowercase_pronoun_is_capitalised(text, expected):
    assert by_rules(text, LEXICON, Reason.PRONOUN) == (expected or text)


def test_the_pronoun_is_capitalised_whatever_the_source():
    from copydesk.models.translit import source_capitals

    units, texts = row("Yesterday i went home.")
    probs = unsure(units, "none", Case.LOWER)
    keys = source_capitals("Вчера я пошёл домой.")  # no capital in the source
    made = decide(units, texts, probs, LEXICON, floor=0.99, source_capitals=keys)
    assert [(texts[c.unit], c.text, c.reason) for c in made] == [("i", "I", Reason.PRONOUN)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He named the Biggest concern of all.", "He named the biggest concern of all."),
        ("He said: Biggest of all was the debt.", None),  # punctuation before it
        ("Biggest Concern, a band, played.", None),  # its neighbour is capitalised
        ("The Meeting at the Munich hall ended.", None),  # a name's capital nearby
        ("They kept the Memorandum of understanding.", None),  # a name's first word
    ],
)
def test_words_the_training_text_never_capitalises_are_lowercased(text, expected):
    lexicon = CasingLexicon([], {}, common=["biggest", "concern", "meeting", "memorandum"])
    assert by_rules(text, lexicon, Reason.COMMON_WORD) == (expected or text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He met the foreign Minister of Russia.", "He met the Foreign Minister of Russia."),
        ("He met the Minister of foreign Affairs.", "He met the Minister of Foreign Affairs."),
        ("We met at the Munich security conference.", "We met at the Munich Security Conference."),
        # A title after a common noun and its preposition: the capitals are English's own.
        ("He signed a decree of the President of Russia.", None),
        # The capital belongs to a place: a lowercase adjective before it is ordinary English.
        ("Prices rose in central Russia.", None),
    ],
)
def test_known_names_take_their_casing_only_where_mt_misplaced_the_capitals(text, expected):
    names = [
        "Foreign Minister of Russia",
        "Minister of Foreign Affairs",
        "Munich Security Conference",
        "Decree of the President of Russia",
        "Central Russia",
    ]
    lexicon = CasingLexicon([], {}, repair_names=names)
    assert by_rules(text, lexicon, Reason.KNOWN_NAME) == (expected or text)


@pytest.mark.parametrize(
    ("text", "word", "case"),
    [
        ("Subscribe at https: / / www.youtube.com / channel now.", "youtube", Case.CAPITALISED),
        ("Source: natan21.livejournal.com / 1557918.html", "natan", Case.CAPITALISED),
        ("Thanks to u / bagapsh and u / Yipplie.", "bagapsh", Case.CAPITALISED),
        ("-oh.. I'll go then.", "oh", Case.CAPITALISED),  # the first word, after a dash
    ],
)
def test_dotted_names_and_the_first_word_after_a_dash_are_left_alone(text, word, case):
    lexicon = CasingLexicon([], {}, proper=[word])
    units, texts = row(text)
    assert decide(units, texts, unsure(units, word, case, p=0.999), lexicon) == []


@pytest.mark.parametrize("case", [Case.LOWER, Case.UPPER])
def test_what_is_made_at_the_threshold_does_not_depend_on_the_floor(case):
    """A suggestion below the threshold (the stage shows them from 0.5) stops no rule."""

    lexicon = CasingLexicon([], {}, common=["biggest"])
    units, texts = row("He named the Biggest concern of all.")
    probs = unsure(units, "Biggest", case, p=0.6)
    made = decide(units, texts, probs, lexicon, floor=0.5, threshold=0.99)
    assert [(texts[c.unit], c.text, c.reason, c.confidence) for c in made] == [
        ("Biggest", "biggest", Reason.COMMON_WORD, RULE_CONFIDENCE)
    ]
    assert made == decide(units, texts, probs, lexicon, floor=0.99)
    for threshold in (0.9, 0.99, 0.999):  # above the rules' confidence they stay off
        low = decide(units, texts, probs, lexicon, floor=0.5, threshold=threshold)
        at = decide(units, texts, probs, lexicon, floor=threshold)
        assert [c for c in low if c.confidence >= threshold] == at


def test_given_a_source_only_its_names_and_known_names_are_capitalised():
    """MT from Russian keeps the source's names capitalised, so the model's other
    capitals are wrong there (MLQE-PE: `our Kangaroos`, `Senior sergeant`)."""
    from copydesk.models.translit import source_capitals

    def made(text, word, keys, lexicon=LEXICON):
        units, texts = row(text)
        probs = unsure(units, word, Case.CAPITALISED, p=0.999)
        changes = decide(units, texts, probs, lexicon, floor=0.99, source_capitals=keys)
        return [(texts[c.unit], c.text, c.reason) for c in changes]

    text = "We give you one of our kangaroos."
    assert made(text, "kangaroos", None) == [("kangaroos", "Kangaroos", Reason.MODEL)]
    assert made(text, "kangaroos", source_capitals("Дадим одного из наших кенгуру.")) == []
    keys = source_capitals("Плакат из Лиона.")
    assert made("A poster from lyon.", "lyon", keys) == [("lyon", "Lyon", Reason.MODEL)]
    lexicon = CasingLexicon([], {}, repair_names=["Munich Security Conference"])
    keys = source_capitals("Мы встретились на Мюнхенской конференции по безопасности.")
    assert made("We met at the Munich security conference.", "none", keys, lexicon) == [
        ("security", "Security", Reason.KNOWN_NAME),
        ("conference", "Conference", Reason.KNOWN_NAME),
    ]


def test_given_a_source_the_networks_and_the_common_word_rules_lowerings_are_offered():
    from copydesk.models.translit import source_capitals

    lexicon = CasingLexicon([], {}, common=["biggest"])
    units, texts = row("The Biggest worry is the Witnesses today.")
    probs = unsure(units, "Witnesses", Case.LOWER, p=0.999)
    keys = source_capitals("Главная забота сегодня - свидетели.")

    def made(source):
        changes = decide(units, texts, probs, lexicon, floor=0.99, source_capitals=source)
        return [(texts[c.unit], c.reason, c.offered) for c in changes]

    assert made(None) == [
        ("Biggest", Reason.COMMON_WORD, False),
        ("Witnesses", Reason.MODEL, False),
    ]
    assert made(keys) == [
        ("Biggest", Reason.COMMON_WORD, True),
        ("Witnesses", Reason.MODEL, True),
    ]


def test_a_document_is_decided_twice_the_second_time_on_the_repaired_text():
    from copydesk.models.casing.decide import decide_document

    units, texts = row("They held the Meeting With the minister.")
    probs = unsure(units, "Meeting", Case.LOWER, p=0.999)
    # Once: `With` has a capitalised neighbour, so the function-word rule waits.
    once = decide(units, texts, probs, LEXICON, floor=0.99)
    assert [(texts[c.unit], c.text) for c in once] == [("Meeting", "meeting")]
    # Twice: on `the meeting With the`, the rule lowercases `With` too.
    [twice] = decide_document([(units, texts)], [probs], LEXICON, floor=0.99, threshold=0.99)
    assert [(texts[c.unit], c.text) for c in twice] == [("Meeting", "meeting"), ("With", "with")]
    # Below the threshold the first change is only a suggestion: the text stays as it was.
    [unsure_once] = decide_document([(units, texts)], [probs], LEXICON, floor=0.5, threshold=1.0)
    assert [(texts[c.unit], c.text) for c in unsure_once] == [("Meeting", "meeting")]


def test_every_reason_has_a_message_for_its_edits():
    from copydesk.models.casing.edits import REASON_MESSAGES

    assert set(REASON_MESSAGES) == {reason.value for reason in Reason}
    for reason in Reason:
        assert REASON_MESSAGES[reason].format(case="lowercase")


def test_the_model_does_not_lower_a_word_the_training_text_never_writes_in_lowercase():
    """`Minecraft`, `Willard`: a word only ever capitalised in the training text is a name."""
    units, texts = row("I play Minecraft every day.")
    probs = unsure(units, "Minecraft", Case.LOWER, p=0.999)
    never = CasingLexicon([], {}, lowercase=["play", "every", "day"])
    assert decide(units, texts, probs, never, floor=0.99) == []
    seen = CasingLexicon([], {}, lowercase=["play", "every", "day", "minecraft"])
    assert [c.text for c in decide(units, texts, probs, seen, floor=0.99)] == ["minecraft"]
    assert [c.text for c in decide(units, texts, probs, LEXICON, floor=0.99)] == ["minecraft"]


def test_the_model_puts_no_capital_on_a_word_the_training_text_never_capitalises():
    """``the channel is only 2 Miles wide``: a capital on a common word is no repair."""
    units, texts = row("The channel is only 2 miles wide.")
    probs = unsure(units, "miles", Case.CAPITALISED, p=0.999)
    assert decide(units, texts, probs, CasingLexicon([], {}, common=["miles"]), floor=0.99) == []
    assert [c.text for c in decide(units, texts, probs, LEXICON, floor=0.99)] == ["Miles"]


def test_the_document_lifts_no_guess_below_its_floor():
    text = "Several Bills were blocked by the governors."
    others = ["Three bills were passed.", "Two bills failed."]
    units, texts = row(text)
    document = DocumentCasing([row(text), *map(row, others)])
    probs = unsure(units, "Bills", Case.LOWER, p=DOCUMENT_FLOOR - 0.05)
    made = decide(units, texts, probs, LEXICON, floor=0.4, threshold=0.99, document=document)
    assert [(c.reason, c.confidence < 0.99) for c in made] == [(Reason.MODEL, True)]  # offered
    probs = unsure(units, "Bills", Case.LOWER, p=DOCUMENT_FLOOR)
    made = decide(units, texts, probs, LEXICON, floor=0.4, threshold=0.99, document=document)
    assert [(c.text, c.confidence) for c in made] == [("bills", DOCUMENT_CONFIDENCE)]


def test_the_rules_run_in_their_documented_order():
    assert [rule.reason for rule in RULES] == [
        Reason.KNOWN_NAME,
        Reason.PROPER_WORD,
        Reason.SURNAME,
        Reason.DESIGNATOR,
        Reason.OFFICE,
        Reason.INSTITUTION,
        Reason.PRONOUN,
        Reason.COMMON_WORD,
        Reason.FUNCTION_WORD,
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said it was as A benefit to all.", "He said it was as a benefit to all."),
        ("The Hague ruled on it.", None),  # a capitalised neighbour
        ("They went from A to Z today.", None),  # a letter, not the article
    ],
)
def test_function_words_capitalised_in_running_text_are_lowered(text, expected):
    assert by_rules(text, LEXICON, Reason.FUNCTION_WORD) == (expected or text)


def test_a_document_decided_twice_decides_again_only_what_the_first_time_can_change():
    """The second time over every sentence, and over only the sentences a repair changed
    or that share a recased word, decide the same."""
    from copydesk.models.casing.decide import decide_document

    lines = [
        ("They held the Meeting With the minister.", "Meeting", 0.999),
        ("The meeting was long.", "none", 0.999),
        ("A second Meeting is planned.", "Meeting", 0.7),  # left open until the first is repaired
        ("Nothing else happened here.", "none", 0.999),
    ]
    sentences = [row(text) for text, _, _ in lines]
    probs = [
        unsure(u, word, Case.LOWER, p=p)
        for (u, _), (_, word, p) in zip(sentences, lines, strict=True)
    ]

    def every_sentence_twice(threshold: float) -> list:
        def all_of(rows):
            document = DocumentCasing(rows)
            return [
                decide(u, t, p, LEXICON, floor=0.5, threshold=threshold, document=document)
                for (u, t), p in zip(rows, probs, strict=True)
            ]

        first = all_of(sentences)
        repaired = []
        for (u, t), made in zip(sentences, first, strict=True):
            t = list(t)
            for c in made:
                if c.confidence >= threshold and not c.offered:
                    t[c.unit] = c.text
            repaired.append((u, t))
        out = []
        for (_, t), (_, f), once, twice in zip(
            sentences, repaired, first, all_of(repaired), strict=True
        ):
            merged = {c.unit: c for c in once} | {
                c.unit: c for c in twice if f[c.unit] == t[c.unit]
            }
            out.append([merged[i] for i in sorted(merged)])
        return out

    for threshold in (0.5, 0.99, 1.0):
        got = decide_document(sentences, probs, LEXICON, floor=0.5, threshold=threshold)
        assert got == every_sentence_twice(threshold)
    decided = decide_document(sentences, probs, LEXICON, floor=0.5, threshold=0.99)
    assert [(c.text, c.reason) for c in decided[2]] == [("meeting", Reason.DOCUMENT)]
