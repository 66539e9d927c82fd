from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from copydesk.eval.casing import first_letter_baseline, moses_truecaser, noise_lines, score_casing
from copydesk.service.cli import cli


def test_scores_count_restored_and_damaged_lines():
    clean = ["The talks ended.", "Lavrov met Maas.", "It rained."]
    noised = ["the talks ended.", "lavrov met Maas.", "It rained."]
    output = ["The talks ended.", "Lavrov Met Maas.", "it rained."]
    scores = score_casing(clean, noised, output)
    assert scores.restored == 0.5
    assert scores.clean_damaged == 1.0
    assert scores.word_accuracy == pytest.approx(6 / 8)
    # capitalised words: gold {The, Lavrov, Maas, It}; predicted {The, Lavrov, Met, Maas}
    assert scores.capitalised_f1 == pytest.approx(0.75)
    assert scores.ter > 0
    perfect = score_casing(clean, noised, clean)
    assert (perfect.restored, perfect.clean_damaged, perfect.ter) == (1.0, 0.0, 0.0)


def test_baselines():
    assert first_letter_baseline(["“the end", "3 men", ""]) == ["“The end", "3 Men", ""]
    moses = moses_truecaser(
        ["The cat sat in London.", "London is big.", "In London, cats sit."] * 3
    )
    assert moses(["the Cat sat in london, on the mat."]) == ["The cat sat in London, on the mat."]
    assert noise_lines(["The talks in Geneva ended."] * 20, 3) == noise_lines(
        ["The talks in Geneva ended."] * 20, 3
    )


def test_eval_command_regenerates_the_model_card(tiny_model, tmp_path):
    from tests.helpers import tiny_corpus

    folder = tmp_path / "model"
    shutil.copytree(tiny_model[0], folder)  # the eval writes into the folder
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(tiny_corpus(120, seed=3)), encoding="utf-8")
    extra = tmp_path / "extra.txt"
    extra.write_text("\n".join(tiny_corpus(30, seed=4)), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["eval", "casing", "--model", str(folder), "--corpus", str(corpus),
         "--holdout-lines", "60", "--tune-lines", "20", "--set", f"extra={extra}"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    evaluation = json.loads((folder / "evaluation.json").read_text())
    held = evaluation["sets"]["held-out news (last lines)"]
    assert held["lines"] == 40
    assert set(held["systems"]) == {"do-nothing", "first-letter", "moses-truecaser", "copydesk"}
    assert evaluation["sets"]["extra"]["lines"] == 30
    card = (folder / "MODEL_CARD.md").read_text()
    copydesk = held["systems"]["copydesk"]
    assert f"| copydesk | {copydesk['restored']:.2%} | {copydesk['clean_damaged']:.2%}" in card
    assert "| copydesk |" in result.output
