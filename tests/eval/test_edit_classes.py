"""Edit-class ceilings: each changed span classed, and only the chosen classes made."""

from __future__ import annotations

import pytest

from copydesk.eval.components.edit_classes import apply_classes, ceilings, edit_class
from tests.helpers import run_copydesk

MT = "If military action will not stop , Meeting of the day in Munich was success ."
PE = "If military action does not stop , meeting of the day at Munich was a success !"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (["Meeting"], ["meeting"], "casing"),
        ([], ["the"], "articles"),
        (["a"], ["the"], "articles"),
        (["is"], [], "auxiliaries"),
        (["in"], ["at"], "prepositions"),
        (["."], ["!"], "punctuation"),
        (["will"], ["does"], "other"),
        (["Meeting"], ["the", "meeting"], "other"),
    ],
)
def test_edit_class(old, new, expected):
    assert edit_class(old, new) == expected


def test_only_the_chosen_classes_are_made():
    assert apply_classes(MT, PE, []) == MT
    assert apply_classes(MT, PE, ["prepositions"]) == MT.replace(" in ", " at ")
    assert apply_classes(MT, PE, ["articles"]) == MT.replace("was success", "was a success")
    everything = ["casing", "articles", "auxiliaries", "prepositions", "punctuation", "other"]
    assert apply_classes(MT, PE, everything) == PE


def test_ceilings_fall_from_the_mt_to_zero():
    rows = {r["classes"]: r for r in ceilings([MT, "All is well ."], [PE, "All is well ."])}
    assert rows["none (the MT)"]["ter"] > rows["prepositions"]["ter"] > 0
    assert rows["prepositions"]["spans"] == 1 and rows["other"]["spans"] == 1
    assert rows["all but other"]["ter"] < rows["none (the MT)"]["ter"]


def test_the_command_prints_the_table_for_a_suite(tmp_path):
    (tmp_path / "mt.txt").write_text(MT + "\n", encoding="utf-8")
    (tmp_path / "pe.txt").write_text(PE + "\n", encoding="utf-8")
    suite = tmp_path / "tiny.toml"
    suite.write_text('name = "tiny"\nmt = "mt.txt"\nreferences = ["pe.txt"]\n', encoding="utf-8")
    proc = run_copydesk("eval", "edit-classes", "--suite", str(suite))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert out.startswith("tiny, 1 segments")
    assert "| prepositions | 1 |" in out and "| all but other | 4 |" in out
