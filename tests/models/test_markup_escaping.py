"""Replacements are text in the markup's own escaping, and never change markup."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from copydesk.models import Edit, EditKind
from copydesk.models.markup import Layout, Run, parse
from copydesk.models.markup.markdown import escape_text as markdown_escape

INJECTED = "Sergei <img src=x onerror=alert(1)>"


def _edit(text: str, old: str, new: str) -> Edit:
    start = text.index(old)
    return Edit(start, start + len(old), old, new, EditKind.ENTITY, "entities", 0.99)


def test_a_replacement_is_html_text_never_an_element():
    layout = parse("<p>Sergey Lavrov spoke.</p>", "html")
    [mapped] = layout.map_edits([_edit(layout.plain, "Sergey", INJECTED)])
    assert mapped.replacement == "Sergei &lt;img src=x onerror=alert(1)&gt;"
    assert (
        layout.apply([mapped]) == "<p>Sergei &lt;img src=x onerror=alert(1)&gt; Lavrov spoke.</p>"
    )


def test_a_replacement_is_markdown_text_never_markup():
    layout = parse("Sergey Lavrov spoke.", "markdown")
    [mapped] = layout.map_edits([_edit(layout.plain, "Sergey", INJECTED)])
    out = layout.apply([mapped])
    rendered = MarkdownIt("commonmark").render(out)
    assert "<img" not in rendered and "&lt;img src=x onerror=alert(1)&gt;" in rendered


@pytest.mark.parametrize(
    "text",
    ["*bold*", "[link](x)", "`code`", "a|b", "~~gone~~", "_x_", "&amp;", "<b>", "back\\slash"],
)
def test_markdown_specials_render_as_themselves(text):
    rendered = (
        MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .renderInline(markdown_escape(text))
    )
    assert rendered == MarkdownIt("commonmark").utils.escapeHtml(text)


@pytest.mark.parametrize(
    "text", ["U.S.", "it's", "Sergei Lavrov", "Al-Assad", "snake_case", "3.5%"]
)
def test_ordinary_replacements_are_not_escaped(text):
    assert markdown_escape(text) == text
    assert parse("x", "html").escape(text) == text


def test_plain_text_and_annotations_are_not_escaped():
    assert parse("x", "text").escape(INJECTED) == INJECTED
    assert Layout([Run("x")]).escape(INJECTED) == INJECTED


def test_an_edit_inside_what_markup_stands_for_maps_to_nothing():
    """``<x/>`` standing for " of russia": the casing of its "russia" is no text's edit,
    and must not come back as an insertion after the markup."""
    layout = Layout([Run("Lavrov said"), Run("<x/>", " of russia"), Run(" agreed.")])
    assert layout.map_edits([_edit(layout.plain, "russia", "Russia")]) == []
    assert layout.touches_markup(11, 11)  # beside markup that stands for text
    assert layout.touches_markup(10, 13)
    assert not layout.touches_markup(0, 6)
    inline = Layout([Run("Lavrov said"), Run("<b>", ""), Run(" agreed.")])
    assert not inline.touches_markup(11, 11)  # beside an inline tag that stands for nothing
