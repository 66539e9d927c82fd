"""Real CAT-tool files (Okapi, translate-toolkit, the OASIS XLIFF 2.x test suite) and the
dialects their tools write: byte-exact round trips, one edit changing only its target,
XLIFF 1.1, targets in other languages left alone, SDLXLIFF's confirmation level, and
flags as notes with a review state."""

from __future__ import annotations

import codecs
import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import xliff as ttk_xliff

from copydesk.service.batch import tmx, xliff
from copydesk.service.batch.splice import sniff
from tests.helpers import copydesk_command

ROOT = Path(__file__).resolve().parents[3]
CAT = ROOT / "tests" / "service" / "fixtures" / "cat"
FAST = str(ROOT / "tests" / "service" / "fixtures" / "starts-and-names.toml")
FIXTURES = sorted(p.name for p in CAT.iterdir() if p.suffix in (".xlf", ".tmx"))
TARGET = re.compile(r"<target[\s>].*?</target>", re.DOTALL)
NS12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
NS20 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}


def batch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        copydesk_command("batch", *args, "--pipeline", FAST),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _text(data: bytes) -> str:
    bom, codec = sniff(data)
    return data[bom:].decode(codec)


def test_the_fixtures_are_the_tools_own_bytes():
    kinds = {name: _text((CAT / name).read_bytes())[:400] for name in FIXTURES}
    assert (CAT / "okapi-xlifftest.xlf").read_bytes().startswith(codecs.BOM_UTF8)
    assert (CAT / "okapi-ImportTest1A-utf16.tmx").read_bytes().startswith(codecs.BOM_UTF16_LE)
    assert 'encoding="windows-1252"' in kinds["okapi-xlifftest-windows-1252.xlf"]
    assert "\r\n" in kinds["okapi-Paragraph_TM.tmx"]
    assert "document:1.1" in kinds["ttk-odf2xliff.xlf"]
    assert "<![CDATA[" in _text((CAT / "oasis-withCDataSections.xlf").read_bytes())
    notice = (CAT / "NOTICE.md").read_text(encoding="utf-8")
    assert all(name in notice for name in FIXTURES)


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_round_trips_byte_for_byte_with_no_edit(name):
    data = (CAT / name).read_bytes()
    module = tmx if name.endswith(".tmx") else xliff
    assert module.read_units(data)
    assert module.write_units(data, {}, {}) == data


def test_the_batch_command_leaves_every_fixture_as_it_was_and_says_why(tmp_path):
    """None of the fixtures has an English target: every unit is left alone, counted."""
    for suffix, expected in (
        (".xlf", "units left alone: 37 (source language en-US, no target language 8, "
                 "target language de 1, target language fr 28)"),
        (".tmx", "units left alone: 18 (English is the source language (EN-US), no other "
                 "English 9, English is the source language (en-us), no other English 9)"),
    ):  # fmt: skip
        names = [n for n in FIXTURES if n.endswith(suffix)]
        out = tmp_path / suffix[1:]
        proc = batch(*(str(CAT / n) for n in names), "--out", str(out))
        assert proc.returncode == 0, proc.stderr
        assert expected in proc.stderr
        for n in names:
            assert (out / n).read_bytes() == (CAT / n).read_bytes(), n


EDITABLE = [n for n in FIXTURES if n.endswith(".xlf") and n != "ttk-odf2xliff.xlf"]


@pytest.mark.parametrize("name", EDITABLE)
def test_one_edit_changes_only_its_target(name):
    """Every byte outside the edited target (and its review state) stays, in the file's
    own encoding; the target reads back as written."""
    data = (CAT / name).read_bytes()
    unit = next(u for u in xliff.read_units(data) if u.target)
    new = "Ж — “" + unit.target.replace(" ", "  ", 1) + " & <done>"
    out = xliff.write_units(data, {unit.index: new}, {})
    assert xliff.read_units(out)[unit.index].target == new
    assert out[: sniff(data)[0]] == data[: sniff(data)[0]]  # the BOM, when there is one
    before, after = _text(data), _text(out)
    pairs = zip(TARGET.findall(before), TARGET.findall(after), strict=True)
    changed = [(a, b) for a, b in pairs if a != b]
    assert len(changed) == 1
    assert _without_states(TARGET.sub("", before)) == _without_states(TARGET.sub("", after))
    if "1252" in name:
        assert "&#x416;" in after and "“".encode("cp1252") in out  # Ж is not in cp1252


def _without_states(text: str) -> str:
    """The text without 2.0 segments' states, which a changed target sets."""
    return re.sub(
        r"<segment[^>]*>",
        lambda m: re.sub(r' (state|subState)="[^"]*"', "", m.group()),
        text,
    )


TTK_WRITES = """<?xml version='1.0' encoding='UTF-8'?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1">
  <file original="news.po" source-language="ru" datatype="po" target-language="en">
    <body>
      <trans-unit xml:space="preserve" id="1" approved="no">
        <source>Переговоры закончились.</source>
        <target>the talks ended.</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""


def test_xliff_11_as_translate_toolkit_writes_it(tmp_path):
    store = ttk_xliff.xlifffile(sourcelanguage="ru", targetlanguage="en")
    unit = store.addsourceunit("Переговоры закончились.")
    unit.target = "the talks ended."
    unit.markapproved(False)  # setting a target approves it; approved units are left alone
    written = bytes(store)
    assert b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1">' in written
    for name, data in (("ttk.xlf", written), ("hand.xlf", TTK_WRITES.encode())):
        (tmp_path / name).write_bytes(data)
        proc = batch(str(tmp_path / name), "--out", str(tmp_path / f"out-{name}"))
        assert proc.returncode == 0, proc.stderr
        out = (tmp_path / f"out-{name}").read_bytes()
        [back] = ttk_xliff.xlifffile.parsestring(out).units
        assert back.target == "The talks ended."
        assert b'<target state="needs-review-translation">The talks' in out
        assert _without_target_state(out) == _without_target_state(data).replace(
            b"the talks", b"The talks"
        )


def _without_target_state(data: bytes) -> bytes:
    return re.sub(rb'<target state="[^"]*">', b"<target>", data)


MIXED = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="ru" target-language="en-GB" datatype="plaintext" original="a">
    <body>
      <trans-unit id="en"><source>Да.</source><target>the talks ended.</target></trans-unit>
      <trans-unit id="es"><source>Да.</source><target xml:lang="es">la reunión.</target>
      </trans-unit>
    </body>
  </file>
  <file source-language="ru" target-language="de" datatype="plaintext" original="b">
    <body>
      <trans-unit id="de"><source>Да.</source><target>der Vertrag.</target></trans-unit>
    </body>
  </file>
</xliff>
"""


def test_targets_in_other_languages_are_left_alone_and_counted(tmp_path):
    (tmp_path / "m.xlf").write_text(MIXED, encoding="utf-8")
    proc = batch(str(tmp_path / "m.xlf"), "--out", str(tmp_path / "out.xlf"))
    assert proc.returncode == 0, proc.stderr
    assert "units left alone: 2 (target language de 1, target language es 1)" in proc.stderr
    out = (tmp_path / "out.xlf").read_text(encoding="utf-8")
    assert out == MIXED.replace(
        "<target>the talks ended.", '<target state="needs-review-translation">The talks ended.'
    )


SDLXLIFF = """<?xml version="1.0" encoding="utf-8"?><xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2" sdl:version="1.0">
<file original="news.docx" datatype="x-sdlfilterframework2" source-language="ru-RU" target-language="en-US">
<body>
<trans-unit id="a1"><source>Голосование. Всё.</source><seg-source><mrk mtype="seg" mid="1">Голосование.</mrk> <mrk mtype="seg" mid="2">Всё.</mrk></seg-source><target><mrk mtype="seg" mid="1">the vote <x id="5" />came.</mrk> <mrk mtype="seg" mid="2">It ended.</mrk></target><sdl:seg-defs><sdl:seg id="1" conf="Translated" origin="mt" /><sdl:seg id="2" conf="Translated" origin="mt" /></sdl:seg-defs></trans-unit>
<trans-unit id="a2"><source>Подписано.</source><seg-source><mrk mtype="seg" mid="1">Подписано.</mrk></seg-source><target><mrk mtype="seg" mid="1">the signed one.</mrk></target><sdl:seg-defs><sdl:seg id="1" conf="ApprovedSignOff" /></sdl:seg-defs></trans-unit>
</body>
</file>
</xliff>
"""  # noqa: E501  (Trados writes long lines)


def test_sdlxliff_changed_segments_become_draft_for_trados(tmp_path):
    """Only the changed segment is set to Draft (not confirmed, in Trados); segment ids
    are per unit, so the signed-off segment 1 of the next unit stays locked."""
    (tmp_path / "n.sdlxliff").write_text(SDLXLIFF, encoding="utf-8")
    proc = batch(str(tmp_path / "n.sdlxliff"), "--out", str(tmp_path / "out.sdlxliff"))
    assert proc.returncode == 0, proc.stderr
    assert "units left alone: 1 (locked: SDL: ApprovedSignOff 1)" in proc.stderr
    out = (tmp_path / "out.sdlxliff").read_text(encoding="utf-8")
    assert out == SDLXLIFF.replace(
        '<target><mrk mtype="seg" mid="1">the vote',
        '<target state="needs-review-translation"><mrk mtype="seg" mid="1">The vote',
    ).replace(
        '<sdl:seg id="1" conf="Translated" origin="mt" />',
        '<sdl:seg id="1" conf="Draft" origin="mt" />',
    )


FLAGGED_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="ru" target-language="en" datatype="plaintext" original="n.txt">
    <body>
      <trans-unit id="t1">
        <source>Армия потеряла 35 солдат.</source>
        <target>The army lost 25 soldiers.</target>
      </trans-unit>
      <trans-unit id="t2">
        <source>Переговоры закончились.</source>
        <target>The talks ended.</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""
FLAGGED_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ru" trgLang="en">
  <file id="f1">
    <unit id="u1">
      <segment id="s1" state="reviewed">
        <source>Армия потеряла 35 солдат.</source>
        <target>the army lost 25 soldiers.</target>
      </segment>
    </unit>
  </file>
</xliff>
"""


def test_flagged_units_get_a_note_and_need_review(tmp_path):
    """A flag (checked against the Russian source) marks its unit for review with a note,
    even where nothing was repaired; an unflagged, unchanged unit stays byte for byte."""
    (tmp_path / "a.xlf").write_text(FLAGGED_12, encoding="utf-8")
    (tmp_path / "b.xlf").write_text(FLAGGED_20, encoding="utf-8")
    proc = batch(str(tmp_path / "a.xlf"), str(tmp_path / "b.xlf"), "--out", str(tmp_path / "o"))
    assert proc.returncode == 0, proc.stderr
    a = (tmp_path / "o" / "a.xlf").read_text(encoding="utf-8")
    note = "copydesk: flag number: 25 is not in the source, which has 35 ('25')"
    assert a == FLAGGED_12.replace(
        "<target>The army lost 25 soldiers.</target>",
        '<target state="needs-review-translation">The army lost 25 soldiers.</target>\n'
        f'        <note from="copydesk">{note}</note>',
    )
    b = etree.parse(str(tmp_path / "o" / "b.xlf"))
    segment = b.find(".//x:segment", NS20)
    assert (segment.get("state"), segment.get("subState")) == ("translated", "copydesk:flagged")
    assert b.find(".//x:target", NS20).text == "The army lost 25 soldiers."
    [flag_note] = b.iterfind(".//x:unit/x:notes/x:note", NS20)
    assert flag_note.get("category") == "copydesk" and "flag number" in flag_note.text
    assert (
        ttk_xliff.xlifffile.parsestring((tmp_path / "o" / "a.xlf").read_bytes())
        .units[0]
        .getnotes()
        .endswith("which has 35 ('25')")
    )


ENCODED = (
    '<?xml version="1.0" encoding="{enc}"?>\r\n'
    '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\r\n'
    '<file source-language="ru" target-language="en" datatype="plaintext" original="x">\r\n'
    "<body>\r\n"
    "<trans-unit id='1'>\r\n"
    "<source>&#x41F;&#x435;&#x440;&#x435;&#x433;&#x43E;&#x432;&#x43E;&#x440;&#x44B;.</source>\r\n"
    "<target>the talks &apos;ended&apos; \u2014 at last.\r\nthe vote came.</target>\r\n"
    "</trans-unit>\r\n"
    "</body>\r\n"
    "</file>\r\n"
    "</xliff>\r\n"
)


def test_the_batch_command_writes_each_file_in_its_own_encoding(tmp_path):
    """UTF-8 with a BOM, UTF-16 LE and BE, windows-1252: CRLF, references and the
    declaration stay; only the repaired characters and the target's state change."""
    files = {
        "bom.xlf": codecs.BOM_UTF8 + ENCODED.format(enc="UTF-8").encode("utf-8"),
        "le.xlf": codecs.BOM_UTF16_LE + ENCODED.format(enc="UTF-16").encode("utf-16-le"),
        "be.xlf": codecs.BOM_UTF16_BE + ENCODED.format(enc="UTF-16").encode("utf-16-be"),
        "cp.xlf": ENCODED.format(enc="windows-1252").encode("cp1252"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    proc = batch(*(str(tmp_path / n) for n in files), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    for name, data in files.items():
        expected = (
            _text(data)
            .replace("<target>the talks", '<target state="needs-review-translation">The talks')
            .replace("\r\nthe vote", "\r\nThe vote")
        )
        out = (tmp_path / "out" / name).read_bytes()
        assert sniff(out) == sniff(data) and _text(out) == expected, name
        assert out[: sniff(data)[0]] == data[: sniff(data)[0]]
