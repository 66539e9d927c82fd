"""The parallel text the lexicon and the name table learn from leaves the held-out years out."""

from __future__ import annotations

from pathlib import Path

from copydesk.models.quality.parallel import NEWSTEST_2017_START, tuning_pairs


def _write(folder: Path, stem: str, ru: list[str], en: list[str]) -> None:
    (folder / f"{stem}.ru").write_text("".join(f"{x}\n" for x in ru), encoding="utf-8")
    (folder / f"{stem}.en").write_text("".join(f"{x}\n" for x in en), encoding="utf-8")


def test_tuning_pairs_stop_before_newstest_2017(tmp_path: Path) -> None:
    folder = tmp_path / "ru-en-parallel"
    folder.mkdir()
    n = NEWSTEST_2017_START + 5
    _write(
        folder, "newstest2012-2020", [f"ру {i}" for i in range(n)], [f"en {i}" for i in range(n)]
    )
    _write(folder, "tico19-test", ["тико"], ["tico"])
    pairs = tuning_pairs(tmp_path)
    assert len(pairs) == NEWSTEST_2017_START + 1  # Tatoeba absent, TICO-19 one pair
    assert pairs[NEWSTEST_2017_START - 1] == (f"ру {n - 6}", f"en {n - 6}")
    assert ("ру 14819", "en 14819") not in pairs
    assert pairs[-1] == ("тико", "tico")


def test_the_held_out_english_stays_out_of_the_ngram_corpus(tmp_path: Path) -> None:
    from copydesk.models.quality.train import english_lines

    folder = tmp_path / "ru-en-parallel"
    folder.mkdir()
    n = NEWSTEST_2017_START + 2
    en = [f"Tuning sentence {i}." for i in range(NEWSTEST_2017_START)] + ["Held out.", "Too."]
    _write(folder, "newstest2012-2020", [f"ру {i}" for i in range(n)], en)
    (tmp_path / "news-en").mkdir()
    news = ["Tuning sentence 3.", "Held out.", "Other news.", "Too."]
    (tmp_path / "news-en" / "newstest2008-2020.en.txt").write_text(
        "".join(f"{x}\n" for x in news), encoding="utf-8"
    )
    assert list(english_lines(tmp_path, 0)) == ["Tuning sentence 3.", "Other news."]
