"""XLIFF 1.2 and 2.0 through the batch command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from lxml import etree

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
    return subprocess.run(copydesk_command("batch", *args), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_xliff_12_and_20_targets_repaired_the_rest_kept(tmp_path, languagetool_url):
    (tmp_path / "a.xlf").write_text(XLIFF_12, encoding="utf-8")
    (tmp_path / "b.xliff").write_text(XLIFF_20, encoding="utf-8")
    (tmp_path / "broken.xlf").write_text("<xliff><unclosed>", encoding="utf-8")
    out = tmp_path / "out"
    proc = batch(str(tmp_path / "a.xlf"), str(tmp_path / "b.xliff"), str(tmp_path / "broken.xlf"),
                 "--out", str(out), "--with-edits")  # fmt: skip
    assert proc.returncode == 5, proc.stderr
    a = etree.parse(str(out / "a.xlf"))
    targets = [t.xpath("string()") for t in a.iterfind(".//x:target", NS12)]
    assert targets[0] == "Russia and Turkey discussed the situation in the Idlib zone."
    assert targets[1] == "click here."  # inline markup: passed through untouched
    assert a.find(".//x:trans-unit[@id='t2']/x:target/x:g", NS12) is not None
    assert a.find(".//x:trans-unit[@id='t3']/x:target", NS12) is None
    [note] = a.iterfind(".//x:trans-unit[@id='t1']/x:note", NS12)
    assert note.get("from") == "copydesk" and "Iglinskiy -> Idlib" in note.text
    assert "a translator's comment stays" in (out / "a.xlf").read_text(encoding="utf-8")
    b = etree.parse(str(out / "b.xliff"))
    assert b.find(".//x:target", NS20).text == "The meeting was held in Munich."
    assert b.find(".//x:unit/x:notes/x:note", NS20).get("category") == "copydesk"
    rejects = [json.loads(x) for x in (out / "rejects.rejects.jsonl").read_text().splitlines()]
    assert [r["key"] for r in rejects] == ["broken.xlf"]
    assert rejects[0]["reason"].startswith("not well-formed XML")
