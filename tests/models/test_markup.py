"""Marked-up articles: only text changes, edits never cross markup, and a sentence may
run across inline tags."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk import models
from copydesk.models import Document, Edit, EditKind, InputError, RepairContext, Stage, markup
from copydesk.models.markup import CROSSES_MARKUP, Format
from copydesk.models.stages import SentenceCaseStage


class UpperWords(Stage):
    """Proposes every word in capitals: an edit wherever there is a word, so that any
    edit that could reach markup does."""

    name = "upper"

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        return [
            Edit(t.start, t.end, t.text, t.text.upper(), EditKind.CASING, self.name, 1.0)
            for t in doc.tokens
            if t.is_word and t.text != t.text.upper()
        ]


def repaired(text: str, fmt: str, stages: list[Stage] | None = None) -> models.RepairResult:
    pipeline = models.Pipeline(stages or [UpperWords()])
    [result] = markup.repair_layouts(pipeline, [markup.parse(text, fmt)])
    return result


def markup_runs(text: str, fmt: str) -> list[str]:
    return [r.original for r in markup.parse(text, fmt).runs if r.is_markup]


WORDS = st.sampled_from(["talks", "ended", "Idlib", "the", "vote", "x", "café", "B2B", "it's"])
TAGS = st.sampled_from(
    ['<a href="https://example.com/the?q=talks">', "<em>", "<b class='the'>", "<span>"]
)
BLOCKS = st.sampled_from(["p", "h1", "li", "blockquote", "div"])
PIECES = st.one_of(
    WORDS,
    st.just(" "),
    st.just(". "),
    st.just("&amp;"),
    st.just("&#233;"),
    st.just("<!-- the talks -->"),
    st.just("<code>the vote</code>"),
    st.just("<br>"),
    st.just("https://example.com/the-talks"),
    TAGS,
    st.just("</a>"),
    st.just("</em>"),
)


@st.composite
def html_documents(draw) -> str:
    blocks = draw(st.lists(st.tuples(BLOCKS, st.lists(PIECES, max_size=12)), max_size=5))
    return "\n".join(f"<{tag}>{''.join(pieces)}</{tag}>" for tag, pieces in blocks)


@st.composite
def markdown_documents(draw) -> str:
    inline = st.one_of(
        WORDS,
        st.just(" "),
        st.just(". "),
        st.just("**the**"),
        st.just("*vote*"),
        st.just("`the code`"),
        st.just("[the talks](https://example.com/the)"),
        st.just("<https://example.com/x>"),
        st.just("&amp;"),
        st.just("\\*"),
        st.just("<b>x</b>"),
    )
    lead = st.sampled_from(["", "# ", "## ", "- ", "> ", "1. "])
    blocks = draw(st.lists(st.tuples(lead, st.lists(inline, max_size=10)), max_size=5))
    fence = draw(st.sampled_from(["", "\n\n```\nthe code\n```"]))
    return "\n\n".join(f"{a}{''.join(b)}" for a, b in blocks) + fence


@settings(max_examples=150, deadline=None)
@given(html_documents())
def test_html_round_trip_changes_only_text(document):
    layout = markup.parse(document, "html")
    assert layout.original == document
    result = repaired(document, "html")
    assert markup_runs(result.repaired, "html") == markup_runs(document, "html")
    assert all(e.applied or CROSSES_MARKUP in e.message for e in result.edits)


@settings(max_examples=150, deadline=None)
@given(markdown_documents())
def test_markdown_round_trip_changes_only_text(document):
    assert markup.parse(document, "markdown").original == document
    result = repaired(document, "markdown")
    assert markup_runs(result.repaired, "markdown") == markup_runs(document, "markdown")


def test_a_sentence_runs_across_inline_tags():
    text = '<p>Talks ended. <a href="/x">the</a> vote <em>came</em> today.</p>'
    result = repaired(text, "html", [SentenceCaseStage()])
    assert result.repaired == '<p>Talks ended. <a href="/x">The</a> vote <em>came</em> today.</p>'


def test_markdown_link_text_and_a_word_after_emphasis_are_repaired():
    text = "Talks ended. [the minister](https://x.org/the) spoke. **Really.** the vote came.\n"
    result = repaired(text, "markdown", [SentenceCaseStage()])
    assert result.repaired == (
        "Talks ended. [The minister](https://x.org/the) spoke. **Really.** The vote came.\n"
    )


def test_markup_urls_entities_comments_and_code_are_never_changed():
    text = (
        "<!DOCTYPE html><html><head><title>the</title><style>p {}</style></head><body>"
        "<p>see https://example.com/the &amp; the <code>the</code> <!-- the --> mail@the.org"
        "<script>var the = 1;</script></p></body></html>"
    )
    result = repaired(text, "html")
    assert result.repaired == text.replace(">see ", ">SEE ").replace("; the ", "; THE ")


def test_an_edit_that_would_cut_through_a_tag_is_a_suggestion():
    text = "<p>wor<b>ld</b> peace</p>"  # one word in the plain text, split by <b>
    result = repaired(text, "html")
    assert result.repaired == "<p>wor<b>ld</b> PEACE</p>"
    [crossing] = [e for e in result.edits if not e.applied]
    assert CROSSES_MARKUP in crossing.message and crossing.original == "wor<b>ld"


def test_an_edit_is_trimmed_to_what_it_changes_before_it_is_refused():
    layout = markup.parse("<p>If it will <em>not</em> stop</p>", "html")
    plain = layout.plain
    start = plain.index("will")
    edit = Edit(
        start,
        start + len("will not stop"),
        "will not stop",
        "does not stop",
        EditKind.GRAMMAR,
        "grammar",
        0.9,
    )
    [mapped] = layout.map_edits([edit])
    assert mapped.applied and (mapped.original, mapped.replacement) == ("will", "does")
    assert layout.apply([mapped]) == "<p>If it does <em>not</em> stop</p>"


def test_data_annotation_and_errors():
    layout = markup.parse_annotation(
        '{"annotation": [{"text": "a "}, {"markup": "<b>"}, {"markup": "<br>", '
        '"interpretAs": "\\n"}, {"text": "b"}]}'
    )
    assert layout.original == "a <b><br>b" and layout.plain == "a \nb"
    with pytest.raises(InputError, match="not valid JSON"):
        markup.parse_annotation("{")
    with pytest.raises(InputError, match="unknown format"):
        markup.parse("x", "docx")


def test_formats_are_guessed_from_file_names():
    assert markup.guess_format("a/story.HTML") is Format.HTML
    assert markup.guess_format("story.md") is Format.MARKDOWN
    assert markup.guess_format("-") is Format.TEXT


def test_the_seed_in_html_and_markdown_is_repaired_as_the_plain_seed(languagetool_url, seed_mt):
    """Headline in <h1>, paragraphs in <p>, a name inside <a>; the same in Markdown."""
    pipeline = models.load(overrides={"grammar": {"url": languagetool_url}})
    paragraphs = [p for p in seed_mt.split("\n\n") if p.strip()]
    link = '<a href="https://example.com/lavrov">Sergey Lavrov</a>'
    as_html = (
        "<!DOCTYPE html>\n<html><body>\n<h1>"
        + html.escape(paragraphs[0])
        + "</h1>\n"
        + (
            "".join(
                f"<p>{html.escape(p).replace('Sergey Lavrov', link)}</p>\n" for p in paragraphs[1:]
            )
        )
        + "</body></html>\n"
    )
    as_markdown = f"# {paragraphs[0]}\n\n" + "\n\n".join(
        p.replace("Sergey Lavrov", "[Sergey Lavrov](https://example.com/lavrov)").replace(
            "Munich", "**Munich**"
        )
        for p in paragraphs[1:]
    )
    plain = [(e.original, e.replacement, e.applied) for e in pipeline.repair(seed_mt).edits]
    assert ("Iglinskiy", "Idlib", True) in plain
    for text, fmt in ((as_html, "html"), (as_markdown, "markdown")):
        [result] = markup.repair_layouts(pipeline, [markup.parse(text, fmt)])
        assert [(e.original, e.replacement, e.applied) for e in result.edits] == plain, fmt
        assert markup_runs(result.repaired, fmt) == markup_runs(text, fmt)
