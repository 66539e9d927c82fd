"""Termbases read by administrativeStatus, glossaries written as CSV and TBX, and
uploaded XML parsed with its entities unexpanded."""

from __future__ import annotations

import pytest

from copydesk.models import ConfigError, Document, RepairContext
from copydesk.models.names.glossary import Glossary
from copydesk.models.stages import EntitiesStage

DEPRECATED_FIRST = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
  <termEntry id="e1">
    <descrip type="definition">Russia's foreign ministry</descrip>
    <langSet xml:lang="en">
      <tig><term>Foreign Ministry of Russia</term>
        <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
      <tig><term>Russian Foreign Ministry</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
      <tig><term>MFA of Russia</term>
        <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig>
      <tig><term>Russia's Foreign Ministry</term>
        <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
    </langSet>
    <langSet xml:lang="ru"><tig><term>МИД России</term></tig></langSet>
  </termEntry>
  <termEntry id="e2"><langSet xml:lang="en">
    <tig><term>Kiev</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
    </tig></langSet></termEntry>
</body></text></martif>
"""


def test_a_deprecated_term_listed_first_is_never_enforced():
    glossary = Glossary.from_tbx(DEPRECATED_FIRST)
    [term] = glossary.terms  # the entry with only a deprecated term enforces nothing
    assert term.term == "Russian Foreign Ministry"
    assert set(term.variants) == {"Foreign Ministry of Russia", "MFA of Russia"}
    assert term.source_forms == ("МИД России",) and "foreign ministry" in term.notes
    stage = EntitiesStage()
    text = "The Foreign Ministry of Russia and Russia's Foreign Ministry spoke; so did Kiev."
    edits = stage.propose(Document.from_text(text), RepairContext(glossary=glossary))
    assert [(e.original, e.replacement) for e in edits] == [
        ("Foreign Ministry of Russia", "Russian Foreign Ministry")
    ]


def test_csv_and_tbx_written_and_read_back_are_the_same_glossary():
    glossary = Glossary.from_tbx(DEPRECATED_FIRST, name="desk")
    from_tbx = Glossary.from_tbx(glossary.to_tbx())
    from_csv = Glossary.from_csv(glossary.to_csv())
    assert from_tbx.terms == glossary.terms == from_csv.terms
    assert b"deprecatedTerm-admn-sts" in glossary.to_tbx()


def test_uploaded_xml_has_its_entities_left_unexpanded():
    laughs = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY secret SYSTEM "file:///etc/passwd">]>
<martif><text><body><termEntry><langSet xml:lang="en">
<tig><term>Big&c;&secret;Name</term></tig></langSet></termEntry></body></text></martif>"""
    [term] = Glossary.from_tbx(laughs).terms
    assert "ha" not in term.term and "root" not in term.term  # neither expanded nor fetched
    with pytest.raises(ConfigError, match="not well-formed"):
        Glossary.from_tbx("<martif><text>")
