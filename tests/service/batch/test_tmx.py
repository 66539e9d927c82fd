"""TMX through the batch command: English targets repaired, the source language never
touched, other languages left alone and counted, every other byte kept."""

from __future__ import annotations

import codecs
import subprocess
from pathlib import Path

from lxml import etree
from translate.storage import tmx as ttk_tmx

from copydesk.service.batch import tmx
from tests.helpers import copydesk_command

ROOT = Path(__file__).resolve().parents[3]
FAST = str(ROOT / "tests" / "service" / "fixtures" / "starts-and-names.toml")
CAT = ROOT / "tests" / "service" / "fixtures" / "cat"


def batch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        copydesk_command("batch", *args, "--pipeline", FAST),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x"
          adminlang="en-US" srclang="ru" datatype="plaintext"/>
  <body>
    <tu tuid="1"><prop type="x-domain">news</prop>
      <tuv xml:lang="ru"><seg>Пять министров прибыли.</seg></tuv>
      <tuv xml:lang="en-US"><seg>the seven ministers <bpt i="1">&lt;b&gt;</bpt>arrived<ept i="1"
        >&lt;/b&gt;</ept>.</seg></tuv>
      <tuv xml:lang="de"><seg>der Minister kam.</seg></tuv>
    </tu>
    <tu tuid="2"><tuv xml:lang="ru"><seg>Только русский.</seg></tuv></tu>
    <tu tuid="3"><note>kept</note><tuv xml:lang="RU"><seg>Да.</seg></tuv>
      <tuv xml:lang="EN"><seg>yes, it <hi>was</hi> done.</seg></tuv></tu>
  </body>
</tmx>
"""


def test_tmx_round_trip(tmp_path):
    (tmp_path / "m.tmx").write_text(TMX, encoding="utf-8")
    proc = batch(str(tmp_path / "m.tmx"), "--out", str(tmp_path / "out.tmx"))
    assert proc.returncode == 0, proc.stderr
    assert "units left alone: 1 (no English variant 1)" in proc.stderr
    out = (tmp_path / "out.tmx").read_text(encoding="utf-8")
    flag = (
        "<note>copydesk: flag number: seven is not in the source, which has Пять "
        "('seven')</note>\n      "
    )
    assert out == TMX.replace("<seg>the seven", "<seg>The seven").replace(
        "<seg>yes, it", "<seg>Yes, it"
    ).replace('<tuv xml:lang="ru"><seg>Пять', flag + '<tuv xml:lang="ru"><seg>Пять')
    assert len(ttk_tmx.tmxfile.parsefile(str(tmp_path / "out.tmx")).units) == 3
    french = TMX.replace('lang="en-US"', 'lang="fr"').replace('lang="EN"', 'lang="fr"')
    (tmp_path / "fr.tmx").write_text(french, encoding="utf-8")
    none = batch(str(tmp_path / "fr.tmx"), "--out", str(tmp_path / "none.tmx"))
    assert none.returncode == 0, none.stderr
    assert "units left alone: 3 (no English variant 3)" in none.stderr
    assert (tmp_path / "none.tmx").read_text(encoding="utf-8") == french


EN_SOURCE = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x"
          adminlang="en" srclang="en" datatype="plaintext"/>
  <body>
    <tu tuid="steps">
      <tuv xml:lang="en"><seg>Repeat steps 2. and 3. until done.</seg></tuv>
      <tuv xml:lang="ru"><seg>Повторите шаги 2 и 3.</seg></tuv>
    </tu>
    <tu tuid="uk" srclang="en-US">
      <tuv xml:lang="en-US"><seg>the talks ended.</seg></tuv>
      <tuv xml:lang="en-GB"><seg>the talks ended.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_the_source_language_is_never_repaired(tmp_path):
    """An English source is left as it is; only another English variant is a target."""
    (tmp_path / "en.tmx").write_text(EN_SOURCE, encoding="utf-8")
    proc = batch(str(tmp_path / "en.tmx"), "--out", str(tmp_path / "out.tmx"))
    assert proc.returncode == 0, proc.stderr
    assert "units left alone: 1 (English is the source language (en), no other English 1)" in (
        proc.stderr
    )
    out = (tmp_path / "out.tmx").read_text(encoding="utf-8")
    assert out == EN_SOURCE.replace(
        '<tuv xml:lang="en-GB"><seg>the talks', '<tuv xml:lang="en-GB"><seg>The talks'
    )


def test_a_utf16_tmx_stays_utf16_with_its_bom_and_line_ends():
    """Okapi's UTF-16 LE test file, read as a French-to-English memory: one segment
    changes, in UTF-16, and its untouched character references stay references."""
    data = (CAT / "okapi-ImportTest1A-utf16.tmx").read_bytes()
    text = data[2:].decode("utf-16-le").replace('srclang="en-us"', 'srclang="fr-ca"')
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    [first, second] = tmx.read_units(data)
    assert first.source == "Premier segment avec [\t\t   ]"
    out = tmx.write_units(data, {0: first.target.replace("First", "The first — Ж")}, {})
    assert out.startswith(codecs.BOM_UTF16_LE)
    assert out[2:].decode("utf-16-le") == text.replace(
        "<seg>First segment with [&#x09;", "<seg>The first — Ж segment with [&#x09;"
    )
    assert tmx.read_units(out)[1] == second
    assert etree.fromstring(out).find(".//seg").text.startswith("The first — Ж")
