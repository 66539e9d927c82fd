"""The recipe's other inputs: an extra-en sample mixed into the lines, and the casing
knowledge as the network's known-case input."""

from __future__ import annotations

import json
import lzma
import time

import pytest

from copydesk.models.cards import write_card
from copydesk.models.casing.config import Architecture, TrainConfig
from copydesk.models.casing.corpus import CorpusSplit, extra_sample
from copydesk.models.casing.knowledge import Knowledge
from copydesk.models.casing.lexicon import CasingLexicon
from copydesk.models.casing.model import CasingModel
from copydesk.models.casing.tune import network_input, retune_model, train_and_tune
from copydesk.models.casing.units import Case
from copydesk.models.errors import ConfigError
from tests.helpers import tiny_corpus


def _write_xz(path, paragraphs):
    with lzma.open(path, "wt", encoding="utf-8") as out:
        out.write("\n".join(paragraphs) + "\n")


def test_extra_sample_draws_each_files_share_of_sentences(tmp_path):
    wiki = [f"Alpha {i} was a town in Ruritania. It had {i} people in all." for i in range(300)]
    un = [f"The Assembly met for the {i} time this year. Short one." for i in range(300)]
    _write_xz(tmp_path / "a.txt.xz", wiki)
    _write_xz(tmp_path / "b.txt.xz", un)
    shares = {"a.txt.xz": 2, "b.txt.xz": 1}
    lines, described = extra_sample(tmp_path, 90, seed=3, shares=shares)
    assert len(lines) == 90 and described["extra_en_lines"] == 90
    assert described["extra_en"]["a.txt.xz"] == {"lines": 60, "of_sentences": 600}
    # "Short one." is under the word floor: only the first sentence of each UN paragraph.
    assert described["extra_en"]["b.txt.xz"] == {"lines": 30, "of_sentences": 300}
    assert sum(line.startswith("Alpha") or line.startswith("It had") for line in lines) == 60
    assert extra_sample(tmp_path, 90, seed=3, shares=shares)[0] == lines
    assert extra_sample(tmp_path, 90, seed=4, shares=shares)[0] != lines
    with pytest.raises(ConfigError, match="not found"):
        extra_sample(tmp_path, 10, seed=3, shares={"missing.xz": 1})


def test_known_word_cases_fill_in_where_no_name_spans_a_word():
    lexicon = CasingLexicon(["Security Council"])
    lexicon.word_cases = {"geneva": Case.CAPITALISED, "council": Case.LOWER}
    words = "the security council met in geneva".split()
    assert lexicon.name_cases(words) == [
        Case.NONE,
        Case.CAPITALISED,
        Case.CAPITALISED,  # the name's, not the word's own known case
        Case.NONE,
        Case.NONE,
        Case.CAPITALISED,
    ]


def test_knowledge_gives_proper_words_capitals_and_common_words_lower_case():
    known = Knowledge(
        proper=frozenset({"geneva", "talks"}),
        common=frozenset({"talks", "meeting"}),
        names=["Blue Harbour Authority"],
    )
    names, cases = network_input(known)
    assert names == ["Blue Harbour Authority"]
    assert cases == {"geneva": Case.CAPITALISED, "talks": Case.CAPITALISED, "meeting": Case.LOWER}


def test_training_with_extra_lines_and_knowledge_freezes_the_input(tmp_path):
    config = TrainConfig(
        epochs=1,
        batch_rows=16,
        vocab_size=120,
        warmup_steps=2,
        architecture=Architecture(hidden=32, layers=1, heads=2, max_len=64),
    )
    news = tiny_corpus(120)
    split = CorpusSplit(news, tiny_corpus(40, seed=1), [], {"corpus": "made up"})
    # A name only the extra lines write: in the training lines, never in the lexicon.
    extra = ["Officials of the Green Valley Board met in Geneva on Monday."] * 40
    known = Knowledge(
        proper=frozenset({"geneva"}),
        common=frozenset({"meeting"}),
        names=["Blue Harbour Authority"],
    )
    described = {
        "extra_en_lines": 40,
        "extra_en_seed": 13,
        "extra_en": {"x.txt.xz": {"lines": 40, "of_sentences": 90}},
    }
    folder = tmp_path / "model"
    report, _ = train_and_tune(
        split,
        folder,
        config,
        log=lambda m: None,
        extra=extra,
        extra_description=described,
        known=known,
        known_source="made-up.json.gz",
    )
    assert report.train_lines == 160
    settings = json.loads((folder / "casing.json").read_text())
    assert settings["knowledge"] is True
    assert settings["data"]["known_input"] == {
        "source": "made-up.json.gz",
        "names": 1,
        "capitalised_words": 1,
        "lowercase_words": 1,
    }
    saved = CasingLexicon.load(folder / "lexicon.json")
    assert ("blue", "harbour", "authority") in saved.names
    assert ("green", "valley", "board") not in saved.names  # mined from the news alone
    assert saved.word_cases == {"geneva": Case.CAPITALISED, "meeting": Case.LOWER}
    card = write_card(folder).read_text()
    assert "40 of the 90 sentences of `x.txt.xz`" in card
    assert "from `made-up.json.gz` and frozen into `lexicon.json`: 1 multiword names" in card
    # Re-tuning re-mines the rules' lexicon but keeps the network's input as trained.
    retune_model(folder, split, seed=13, log=lambda m: None)
    model = CasingModel.load(folder)
    assert model.featurizer.lexicon.word_cases == saved.word_cases
    assert ("blue", "harbour", "authority") in model.featurizer.lexicon.names


def test_a_time_bound_run_decays_its_learning_rate_to_zero_by_the_deadline():
    from copydesk.models.casing.train import _schedule

    now = time.monotonic()
    factor = _schedule(10, 1000, started=now - 90, deadline=now + 10)
    assert factor(0) == pytest.approx(0.1)
    assert factor(500) == pytest.approx(0.1, abs=0.01)  # 90% of the time gone
    assert _schedule(10, 1000, started=now - 100, deadline=now)(500) == 0.0
    assert _schedule(10, 1000, started=now, deadline=None)(505) == pytest.approx(0.5)


def test_the_threshold_falls_back_to_the_least_clean_damage_not_the_last_row():
    from copydesk.models.casing.tune import pick_threshold

    def rows(*triples):
        return [{"threshold": t, "restored": r, "clean_damaged": d} for t, r, d in triples]

    within = rows((0.5, 0.82, 0.004), (0.9, 0.80, 0.003), (0.99, 0.78, 0.001))
    assert pick_threshold(within, 0.003) == 0.9
    beyond = rows((0.5, 0.82, 0.028), (0.93, 0.80, 0.004), (0.97, 0.76, 0.004), (0.99, 0.73, 0.004))
    assert pick_threshold(beyond, 0.003) == 0.93
