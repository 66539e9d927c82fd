from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from copydesk.models import Document, TokenKind


def sentences(text: str) -> list[str]:
    doc = Document.from_text(text)
    return [doc.sentence_text(s) for s in doc.sentences]


def test_seed_segmentation(seed_mt):
    doc = Document.from_text(seed_mt)
    assert len(doc.paragraphs) == 8
    assert doc.paragraphs[0].is_headline
    quote = doc.paragraphs[3]
    assert all(s.quoted for s in quote.sentences)
    assert (
        doc.sentence_text(quote.sentences[0])
        == "“We talked about the situation in Syria, in Idlib."
    )
    assert doc.sentence_text(quote.sentences[-1]).endswith("averted,” said Heiko Maas.")
    assert not any(s.quoted for s in doc.paragraphs[4].sentences)
    starts = [doc.sentence_text(s).split()[0] for s in doc.paragraphs[4].sentences]
    assert starts == ["the", "Russian", "And"]


def test_lowercase_sentence_starts_are_boundaries():
    assert sentences("It was held. the meeting ended.") == ["It was held.", "the meeting ended."]


def test_abbreviations_initials_and_numbers_do_not_split():
    assert sentences("Mr. Smith met Dr. Jones in the U.S. on Feb. 3 at 3.5 p.m. today.") == [
        "Mr. Smith met Dr. Jones in the U.S. on Feb. 3 at 3.5 p.m. today."
    ]
    assert sentences("J. K. Rowling wrote it, etc. and more.") == [
        "J. K. Rowling wrote it, etc. and more."
    ]
    assert sentences("Profits rose at Acme Inc. The chief said so.") == [
        "Profits rose at Acme Inc.",
        "The chief said so.",
    ]


def test_colon_and_attribution_after_quote_do_not_split():
    assert sentences("I said: we expect it.") == ["I said: we expect it."]
    assert sentences("“It is over.” said the minister. Then he left.") == [
        "“It is over.” said the minister.",
        "Then he left.",
    ]
    assert sentences("“Why?” he asked.") == ["“Why?” he asked."]
    assert sentences('"Then what?" - asks Poliakov. He waits.') == [
        '"Then what?" - asks Poliakov.',
        "He waits.",
    ]
    assert sentences('What can "research bring"? asks Ms Plamondon.') == [
        'What can "research bring"? asks Ms Plamondon.'
    ]
    # A lowercase start after a question stays a sentence of its own.
    assert sentences("Why? the talks failed.") == ["Why?", "the talks failed."]


def test_hard_wrapped_lines_stay_one_sentence_and_headlines_are_found():
    text = "Talks open in Geneva\n\nThe talks were\nheld on Monday. they ended."
    doc = Document.from_text(text)
    assert [p.is_headline for p in doc.paragraphs] == [True, False]
    assert [doc.sentence_text(s) for s in doc.paragraphs[1].sentences] == [
        "The talks were\nheld on Monday.",
        "they ended.",
    ]


def test_tokens_keep_graphemes_urls_and_combining_marks():
    text = "Cafe\u0301 👩\u200d👩\u200d👧 e-mail www.example.org/a, a.b@c.org; 1,000.5"
    doc = Document.from_text(text)
    got = [(t.text, t.kind) for t in doc.tokens]
    assert got == [
        ("Cafe\u0301", TokenKind.WORD),
        ("👩\u200d👩\u200d👧", TokenKind.SYMBOL),
        ("e-mail", TokenKind.WORD),
        ("www.example.org/a", TokenKind.URL),
        (",", TokenKind.PUNCT),
        ("a.b@c.org", TokenKind.URL),
        (";", TokenKind.PUNCT),
        ("1,000.5", TokenKind.NUMBER),
    ]


def test_crlf_paragraphs():
    doc = Document.from_text("One.\r\n\r\ntwo.\r\nthree.")
    assert [[doc.sentence_text(s) for s in p.sentences] for p in doc.paragraphs] == [
        ["One."],
        ["two.", "three."],
    ]


@given(st.text(max_size=200))
def test_token_offsets_always_match_the_text(text):
    doc = Document.from_text(text)
    covered = 0
    for tok in doc.tokens:
        assert text[tok.start : tok.end] == tok.text
        assert tok.start >= covered
        assert text[covered : tok.start].strip() == ""
        covered = tok.end
    assert text[covered:].strip() == ""
    for p in doc.paragraphs:
        assert p.start <= p.end
        for s in p.sentences:
            assert p.start <= s.start < s.end <= p.end
