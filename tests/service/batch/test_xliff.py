"""XLIFF 1.2 and 2.0 through the batch command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from lxml import etree
from translate.storage import xliff, xliff2

from tests.helpers import copydesk_command

ROOT = Path(__file__).resolve().parents[3]

XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="ru" target-language="en" datatype="plaintext" original="news.txt">
    <body>
      <!-- a translator's comment stays -->
      <trans-unit id="t1">
        <source>Россия и Турция обсудили ситуацию в Идлибской зоне.</source>
        <target>russia and Turkey discussed the situation in the Iglinskiy zone.</target>
      </trans-unit>
      <trans-unit id="t2">
        <source>Нажмите <g id="1">здесь</g>.</source>
        <target>click <g id="1">here</g>.</target>
      </trans-unit>
      <trans-unit id="t3"><source>Без перевода.</source></trans-unit>
    </body>
  </file>
</xliff>
"""
XLIFF_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ru" trgLang="en">
  <file id="f1">
    <unit id="u1">
      <segment><source>Встреча прошла в Мюнхене.</source>
        <target>the meeting was held in Munich.</target></segment>
    </unit>
  </file>
</xliff>
"""
NS12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
NS20 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}


def batch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        copydesk_command("batch", *args), cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_xliff_12_and_20_targets_repaired_the_rest_kept(tmp_path, languagetool_url):
    (tmp_path / "a.xlf").write_text(XLIFF_12, encoding="utf-8")
    (tmp_path / "b.xliff").write_text(XLIFF_20, encoding="utf-8")
    (tmp_path / "broken.xlf").write_text("<xliff><unclosed>", encoding="utf-8")
    out = tmp_path / "out"
    proc = batch(
        str(tmp_path / "a.xlf"),
        str(tmp_path / "b.xliff"),
        str(tmp_path / "broken.xlf"),
        "--out",
        str(out),
        "--with-edits",
    )
    assert proc.returncode == 5, proc.stderr
    a = etree.parse(str(out / "a.xlf"))
    targets = [t.xpath("string()") for t in a.iterfind(".//x:target", NS12)]
    assert targets[0] == "Russia and Turkey discussed the situation in the Idlib zone."
    assert targets[1] == "Click here."  # repaired around its inline code, which stays
    assert a.find(".//x:trans-unit[@id='t2']/x:target/x:g", NS12).text == "here"
    states = [t.get("state") for t in a.iterfind(".//x:target", NS12)]
    assert states == ["needs-review-translation", "needs-review-translation"]
    assert a.find(".//x:trans-unit[@id='t3']/x:target", NS12) is None
    [note] = a.iterfind(".//x:trans-unit[@id='t1']/x:note", NS12)
    assert note.get("from") == "copydesk" and "Iglinskiy -> Idlib" in note.text
    assert "a translator's comment stays" in (out / "a.xlf").read_text(encoding="utf-8")
    b = etree.parse(str(out / "b.xliff"))
    assert b.find(".//x:target", NS20).text == "The meeting was held in Munich."
    segment = b.find(".//x:segment", NS20)
    assert (segment.get("state"), segment.get("subState")) == ("translated", "copydesk:repaired")
    assert b.find(".//x:unit/x:notes/x:note", NS20).get("category") == "copydesk"
    rejects = [json.loads(x) for x in (out / "rejects.rejects.jsonl").read_text().splitlines()]
    assert [r["key"] for r in rejects] == ["broken.xlf"]
    assert rejects[0]["reason"].startswith("not well-formed XML")


LOCKS_12 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xliff [<!ENTITY co "Copydesk Inc.">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"
       xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0">
  <file source-language="ru" target-language="en" datatype="plaintext" original="n.txt">
    <header><sdl:seg-defs><sdl:seg id="5" conf="ApprovedSignOff"/></sdl:seg-defs></header>
    <body>
      <trans-unit id="open"><source>А.</source><target>the talks ended.</target></trans-unit>
      <trans-unit id="no" translate="no"><source>Б.</source><target>the logo.</target></trans-unit>
      <group translate="no"><trans-unit id="grouped"><source>В.</source>
        <target>the group.</target></trans-unit></group>
      <trans-unit id="approved" approved="yes"><source>Г.</source><target>the end.</target>
      </trans-unit>
      <trans-unit id="final"><source>Д.</source><target state="final">the final.</target>
      </trans-unit>
      <trans-unit id="entity"><source>Е.</source><target>the &co; staff met.</target>
      </trans-unit>
      <trans-unit id="sdl"><source>Ж.</source>
        <seg-source><mrk mtype="seg" mid="4">Ж.</mrk></seg-source>
        <target><mrk mtype="seg" mid="4">the vote <x id="1"/>came.</mrk></target></trans-unit>
      <trans-unit id="sdl-approved"><source>З.</source>
        <seg-source><mrk mtype="seg" mid="5">З.</mrk></seg-source>
        <target><mrk mtype="seg" mid="5">the signed one.</mrk></target></trans-unit>
    </body>
  </file>
</xliff>
"""
LOCKS_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ru" trgLang="en">
  <file id="f1">
    <unit id="u1"><segment id="s1"><source>А.</source>
      <target>the talks <pc id="1">ended</pc> <ph id="2"/>today.</target></segment></unit>
    <unit id="u2"><segment id="s2" state="final"><source>Б.</source>
      <target>the final.</target></segment></unit>
    <unit id="u3" translate="no"><segment><source>В.</source><target>the logo.</target>
      </segment></unit>
  </file>
</xliff>
"""


def test_locked_approved_and_final_units_are_left_alone(tmp_path, languagetool_url):
    """Only the intended targets change; states are updated; DOCTYPE and entity
    references survive; translate-toolkit reads both results back."""
    (tmp_path / "a.sdlxliff").write_text(LOCKS_12, encoding="utf-8")
    (tmp_path / "b.xlf").write_text(LOCKS_20, encoding="utf-8")
    out = tmp_path / "out"
    proc = batch(str(tmp_path / "a.sdlxliff"), str(tmp_path / "b.xlf"), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    raw = (out / "a.sdlxliff").read_text(encoding="utf-8")
    assert '<!ENTITY co "Copydesk Inc.">' in raw and "&co;" in raw
    a = etree.parse(str(out / "a.sdlxliff"), etree.XMLParser(resolve_entities=False))
    got = {
        u.get("id"): (
            u.find("x:target", NS12).xpath("string()"),
            u.find("x:target", NS12).get("state"),
        )
        for u in a.iterfind(".//x:trans-unit", NS12)
    }
    assert got["open"] == ("The talks ended.", "needs-review-translation")
    assert got["no"] == ("the logo.", None)
    assert got["grouped"] == ("the group.", None)
    assert got["approved"] == ("the end.", None)
    assert got["final"] == ("the final.", "final")
    assert got["entity"][1] == "needs-review-translation" and "The &co; staff" in raw
    assert got["sdl"] == ("The vote came.", "needs-review-translation")
    assert a.find(".//x:trans-unit[@id='sdl']/x:target/x:mrk/x:x", NS12) is not None
    assert got["sdl-approved"] == ("the signed one.", None)
    b = etree.parse(str(out / "b.xlf"))
    targets = [t.xpath("string()") for t in b.iterfind(".//x:target", NS20)]
    assert targets == ["The talks ended today.", "the final.", "the logo."]
    assert b.find(".//x:segment[@id='s1']/x:target/x:pc", NS20).text == "ended"
    assert b.find(".//x:segment[@id='s1']", NS20).get("subState") == "copydesk:repaired"
    assert b.find(".//x:segment[@id='s2']", NS20).get("subState") is None
    assert len(xliff.xlifffile.parsefile(str(out / "a.sdlxliff")).units) == 8
    assert len(xliff2.Xliff2File.parsefile(str(out / "b.xlf")).units) >= 3
    again = batch(str(tmp_path / "b.xlf"), "--out", str(tmp_path / "all.xlf"), "--include-final")
    assert again.returncode == 0, again.stderr
    everything = etree.parse(str(tmp_path / "all.xlf"))
    assert [t.xpath("string()") for t in everything.iterfind(".//x:target", NS20)][1:] == [
        "The final.",
        "The logo.",
    ]
