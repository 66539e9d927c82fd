from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from copydesk.eval.components.casing import first_letter_baseline, moses_truecaser, score_casing
from copydesk.models.casing.noise import noise_lines
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


def test_eval_command_regenerates_the_model_card(tiny_model, tmp_path, monkeypatch):
    from copydesk.service.settings import get_settings
    from tests.helpers import tiny_corpus

    folder = tmp_path / "model"
    shutil.copytree(tiny_model[0], folder)  # the eval writes into the folder
    # The model's recorded training corpus, in a data folder of its own.
    (tmp_path / "data" / "news-en").mkdir(parents=True)
    corpus = tmp_path / "data" / "news-en" / "corpus.txt"
    corpus.write_text("\n".join(tiny_corpus(120, seed=3)), encoding="utf-8")
    settings = json.loads((folder / "casing.json").read_text())
    settings["data"] = {"corpus": "corpus.txt", "holdout_last_lines": 60, "tune_lines": 20}
    (folder / "casing.json").write_text(json.dumps(settings))
    extra = tmp_path / "extra.txt"
    extra.write_text("\n".join(tiny_corpus(30, seed=4)), encoding="utf-8")
    suite = tmp_path / "extra.toml"
    suite.write_text(
        f'name = "extra"\ndescription = "made up"\ndocument_lines = 256\n'
        f'[generate]\nkind = "casing-noise"\nclean = "{extra}"\nseed = 7\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("COPYDESK_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    args = ["eval", "casing", "--model", str(folder), "--suite", str(suite)]
    result = CliRunner().invoke(cli, args)
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    evaluation = json.loads((folder / "evaluation.json").read_text())
    extra_set = evaluation["sets"]["extra"]
    assert extra_set["lines"] == 30 and extra_set["noise_seed"] == 7
    systems = {"do-nothing", "first-letter", "moses-truecaser", "copydesk"}
    assert set(extra_set["systems"]) == systems
    card = (folder / "MODEL_CARD.md").read_text()
    copydesk = extra_set["systems"]["copydesk"]
    assert f"| copydesk | {copydesk['restored']:.2%} | {copydesk['clean_damaged']:.2%}" in card
    assert "### extra: made up" in card
    assert "| copydesk |" in result.output
