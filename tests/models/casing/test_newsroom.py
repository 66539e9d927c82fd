"""A newsroom lexicon learnt from an archive, and the casing stage reading it."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner

from copydesk import models
from copydesk.models.casing.knowledge import Knowledge
from copydesk.models.casing.newsroom import archive_paragraphs, learn_names
from copydesk.models.errors import InputError
from copydesk.models.stage import RepairContext
from copydesk.models.stages import CasingStage, SentenceCaseStage
from copydesk.service.cli import cli

# A newsroom's articles: a councillor nobody else writes about, a court, a brand.
ARCHIVE = [
    "The council met on Monday, and Brezinka spoke first.",
    "Councillor Ulmar Brezinka said the budget was too small.",
    "Later Brezinka left the meeting early.",
    "The case went to the Zorkino Regional Court in May.",
    "Lawyers at the Zorkino Regional Court appealed.",
    "The shop sells goods on eBay and in town.",
    "Sales on eBay rose, said the owner.",
]
TEXT = "The mayor met brezinka on Monday at the Zorkino regional court."
REPAIRED = "The mayor met Brezinka on Monday at the Zorkino Regional Court."


def write_archive(folder: Path) -> Path:
    folder.mkdir()
    (folder / "2019.txt").write_text("\n".join(ARCHIVE[:3]) + "\n", encoding="utf-8")
    with gzip.open(folder / "2020.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(ARCHIVE[3:]) + "\n")
    return folder


def test_an_archive_gives_its_names_casings_and_mixed_forms(tmp_path):
    learnt = learn_names(archive_paragraphs([write_archive(tmp_path / "archive")]))
    assert "brezinka" in learnt.proper
    assert "Zorkino Regional Court" in learnt.names
    assert learnt.mixed == {"ebay": "eBay"}
    assert "council" not in learnt.proper  # a sentence's first word proves nothing


def test_learning_again_adds_to_the_lexicon(tmp_path):
    first = learn_names(ARCHIVE[:3])
    both = learn_names(ARCHIVE[3:], into=first)
    assert "brezinka" in both.proper and "Zorkino Regional Court" in both.names


def test_a_missing_archive_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(archive_paragraphs([tmp_path / "nothing"]))


def test_learn_names_writes_a_lexicon_the_casing_stage_reads(tmp_path):
    archive = write_archive(tmp_path / "archive")
    lexicon = tmp_path / "daily.json.gz"
    result = CliRunner().invoke(cli, ["learn-names", str(archive), "--out", str(lexicon)])
    assert result.exit_code == 0, result.output
    assert "Zorkino Regional Court" in Knowledge.load(lexicon).names
    pipeline = models.Pipeline([SentenceCaseStage(), CasingStage()])
    assert pipeline.repair(TEXT).repaired == TEXT  # the shipped knowledge lacks them
    context = RepairContext(options={"lexicon": str(lexicon)})
    assert pipeline.repair(TEXT, context).repaired == REPAIRED
    # Or as the stage's own setting, for every text.
    own = models.Pipeline([SentenceCaseStage(), CasingStage(lexicon=str(lexicon))])
    assert own.repair(TEXT).repaired == REPAIRED
