"""The learn-only casing copy from extra-en: the casing network's training sample is
found again from its seed and the files' counts, and never reaches the copy."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import pytest

from copydesk.eval.components import learning_copy
from copydesk.models.casing.corpus import extra_sample
from copydesk.models.errors import ConfigError

WIKI, UN = "wikipedia-2015.en.txt.xz", "ungdc.en.txt.xz"


def write_extra(folder: Path, paragraphs: int) -> None:
    for name, word in ((WIKI, "Encyclopedia"), (UN, "Assembly")):
        text = "".join(
            f"The {word} entry number {i} was written in Paris. Short one.\n"
            for i in range(paragraphs)
        )
        with lzma.open(folder / name, "wt", encoding="utf-8") as handle:
            handle.write(text)


def write_model(folder: Path, lines: int, seed: int, of: int) -> Path:
    folder.mkdir()
    data = {
        "extra_en_lines": lines,
        "extra_en_seed": seed,
        "extra_en": {WIKI: {"of_sentences": of}, UN: {"of_sentences": of}},
    }
    (folder / "casing.json").write_text(json.dumps({"format": 1, "data": data}))
    return folder


def test_the_replayed_draw_is_the_training_sample(tmp_path):
    write_extra(tmp_path, 300)
    sample, _ = extra_sample(tmp_path, 60, seed=13)
    counts = {WIKI: 300, UN: 300}
    drawn = learning_copy.sampled(counts, 60, seed=13)
    found = {
        s
        for name in (WIKI, UN)
        for i, s in enumerate(learning_copy.eligible(tmp_path / name))
        if i in drawn[name]
    }
    assert found == set(sample) and len(found) == 60


def test_the_copy_is_spread_through_the_files_outside_the_sample(tmp_path):
    write_extra(tmp_path, 300)
    model = write_model(tmp_path / "model", 60, 13, of=300)
    sample, _ = extra_sample(tmp_path, 60, seed=13)
    sets = learning_copy.extra_casing_copy(30, tmp_path, model)
    assert [s.name for s in sets] == ["extra-wikipedia", "extra-ungdc"]
    wiki, un = sets
    assert len(wiki.references) == 20 and len(un.references) == 10  # two to one
    assert not set(wiki.references + un.references) & set(sample)
    numbers = [int(line.split()[4]) for line in wiki.references]
    assert numbers == sorted(numbers) and numbers[0] < 15 and numbers[-1] > 285
    assert wiki.mt != wiki.references  # damaged the way the casing sets are
    again = learning_copy.extra_casing_copy(30, tmp_path, model)
    assert [s.mt for s in again] == [s.mt for s in sets]


def test_the_shares_choose_the_files(tmp_path):
    write_extra(tmp_path, 100)
    model = write_model(tmp_path / "model", 20, 13, of=100)
    (wiki,) = learning_copy.extra_casing_copy(10, tmp_path, model, shares={WIKI: 1})
    assert wiki.name == "extra-wikipedia" and len(wiki.references) == 10


def test_spread_skips_what_is_taken():
    assert learning_copy.spread(10, 5, set()) == [1, 3, 5, 7, 9]
    assert learning_copy.spread(10, 5, {3, 4}) == [1, 5, 6, 7, 9]
    assert learning_copy.spread(4, 3, {3}) == [0, 2]


def test_files_other_than_the_networks_are_refused(tmp_path):
    write_extra(tmp_path, 50)
    model = write_model(tmp_path / "model", 10, 13, of=51)
    with pytest.raises(ConfigError, match="not the 51"):
        learning_copy.extra_casing_copy(6, tmp_path, model)
