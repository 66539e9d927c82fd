"""Splicing changed text into an XML file's own bytes: encodings, references, CDATA,
line endings and empty elements stay as the file wrote them."""

from __future__ import annotations

import codecs

import pytest
from lxml import etree

from copydesk.models.markup.placeholders import split_placeholders
from copydesk.service.batch.inline import read_inline
from copydesk.service.batch.splice import SpliceError, Splicer, sniff, tokenize

DOC = (
    "<?xml version='1.0' encoding='{enc}'?>\r\n"
    '<!DOCTYPE r [<!ENTITY co "Co > Inc"><!-- ] > -->]>\r\n'
    "<r a='1'>\r\n"
    "  <t id='x'>it&apos;s <x id=\"0\" />the &amp; end&#x2019;s\r\n  line &co;</t>\r\n"
    "  <u><![CDATA[a < b]]>and c</u>\r\n"
    "  <e/>\r\n"
    "</r>\r\n"
)


def _splice(data: bytes) -> tuple[Splicer, etree._Element]:
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    root = etree.fromstring(data, parser)
    return Splicer(data, root), root


def _edit(data: bytes, tag: str, change) -> bytes:
    splicer, root = _splice(data)
    element = root.find(tag)
    assert splicer.set_content(element, split_placeholders(change(read_inline(element))))
    return splicer.result()


@pytest.mark.parametrize(
    ("encoding", "bom", "codec"),
    [
        ("UTF-8", b"", "utf-8"),
        ("UTF-8", codecs.BOM_UTF8, "utf-8"),
        ("UTF-16", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("UTF-16", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("windows-1252", b"", "cp1252"),
    ],
)
def test_no_change_is_the_same_bytes_and_one_change_only_its_characters(encoding, bom, codec):
    data = bom + DOC.format(enc=encoding).encode(codec)
    assert sniff(data) == (len(bom), codec)
    splicer, _ = _splice(data)
    assert splicer.result() == data
    out = _edit(data, "t", lambda t: t.replace("it's", "It's").replace("line", "Line Ж"))
    text = out[len(bom) :].decode(codec)
    assert out.startswith(bom)
    ref = "&#x416;" if codec == "cp1252" else "Ж"  # what the encoding cannot hold
    expected = DOC.format(enc=encoding).replace("it&apos;s", "It&apos;s")
    assert text == expected.replace("  line &co;", f"  Line {ref} &co;")


def test_a_diff_keeps_untouched_references_and_writes_new_text_as_the_file_does():
    data = DOC.format(enc="UTF-8").encode()
    out = _edit(data, "t", lambda t: t.replace("the & end", "The & End").replace("s\n", "s\n\n"))
    assert b"The &amp; End&#x2019;s\r\n\r\n  line" in out  # the reference stays, CRLF added
    out = _edit(data, "t", lambda t: 'He said "it\'s" <ok>' + t)
    assert out.count(b'He said "it&apos;s" &lt;ok&gt;it&apos;s ') == 1  # no &quot; here


def test_cdata_stays_cdata_and_an_edit_across_it_is_plain_text():
    data = DOC.format(enc="UTF-8").encode()
    assert b"<u><![CDATA[a < B]]>and C</u>" in _edit(data, "u", lambda t: "a < Band C")
    out = _edit(data, "u", lambda t: "a < ]]>and c")
    assert b"<u><![CDATA[a < ]]]]><![CDATA[>]]>and c</u>" in out
    assert b"<u>a &lt; XYZnd c</u>" in _edit(data, "u", lambda t: "a < XYZnd c")


def test_empty_elements_and_attributes_keep_their_spelling():
    data = DOC.format(enc="UTF-8").encode()
    splicer, root = _splice(data)
    splicer.set_attribute(root.find("t"), "id", "y")
    splicer.set_attribute(root.find("t"), "state", "needs-review-translation")
    splicer.append_child(root.find("e"), "<n>1</n>")
    out = splicer.result().decode()
    assert "<t id='y' state='needs-review-translation'>" in out
    assert '<x id="0" />' in out and "<e><n>1</n></e>" in out
    assert etree.fromstring(out.encode(), etree.XMLParser(resolve_entities=False)) is not None


def test_notes_are_inserted_with_the_neighbours_indentation():
    data = b"<r>\n  <a>1</a>\n  <b>2</b>\n</r>\n"
    splicer, root = _splice(data)
    splicer.insert_after(root.find("a"), "<n>x</n>")
    splicer.insert_before(root.find("b"), "<m/>")
    assert splicer.result() == b"<r>\n  <a>1</a>\n  <n>x</n>\n  <m/>\n  <b>2</b>\n</r>\n"


def test_tokenizer_pairs_every_element_and_refuses_what_it_cannot_read():
    nodes = tokenize(DOC.format(enc="UTF-8"))
    assert [n.name for n in nodes if n.kind == "element"] == ["r", "t", "x", "u", "e"]
    assert [nodes[i].kind for i in nodes[1].children] == ["element", "entity"]
    with pytest.raises(SpliceError):
        tokenize("<r><a></r>")


def test_text_goes_after_an_empty_code_but_never_into_one():
    data = b'<r><t>a<x id="1"/></t><u><g id="2"/>b</u></r>'
    out = _edit(data, "t", lambda t: t + "z")
    assert out == b'<r><t>a<x id="1"/>z</t><u><g id="2"/>b</u></r>'
    splicer, root = _splice(data)
    assert len(splicer.slots(root.find("u"))) == 3
    assert splicer.set_content(root.find("u"), ["", "in", "b"]) is None
    assert splicer.result() == data
