from __future__ import annotations

import random

from copydesk.eval.components.checks import (
    Segment,
    evaluate_part,
    markdown_table,
    plant_all,
    plant_negation,
    plant_number,
    record_part,
    trade_off,
)

SEGMENTS = [
    Segment("Twenty-five people died in Idlib on Monday.",
            "В понедельник в Идлибе погибли двадцать пять человек."),
    Segment("Lavrov did not meet Erdogan in March, the ministry said.",
            "Лавров не встречался с Эрдоганом в марте, сообщили в министерстве."),
    Segment("The talks, which had lasted for three long days, ended in Ankara.",
            "Переговоры, которые длились три долгих дня, завершились в Анкаре."),
]  # fmt: skip


def test_planting_changes_what_the_source_says():
    rng = random.Random(1)
    number = plant_number(SEGMENTS[0], rng)
    assert number is not None and "Twenty-five" not in number.text
    dropped = plant_negation(SEGMENTS[1], rng)
    assert dropped is not None and dropped.how == "drop" and "not" not in dropped.text
    added = plant_negation(SEGMENTS[2], rng)
    assert added is None or added.how == "add"
    kinds = {p.kind for p in plant_all(SEGMENTS[1], random.Random(2), ["Merkel"])}
    assert {"negation", "date", "name", "omission"} <= kinds


def test_the_report_counts_recall_and_false_flags():
    report = evaluate_part(SEGMENTS, seed=3).to_dict()
    assert report["segments"] == 3
    assert report["false_meaning_flags_per_100"] == 0.0
    assert report["recall"]["number"] == 1.0
    assert report["recall"]["negation"] == 1.0
    table = markdown_table({"held-out": {"tiny": report}})
    assert "| held-out | tiny | 3 |" in table


def test_the_trade_off_curve_counts_each_kind_at_each_threshold():
    records = record_part(SEGMENTS, seed=3)
    assert len(records) == 3
    curve = trade_off(records, [0.0, 0.5, 1.01])
    negation = {row["threshold"]: row for row in curve["negation"]}
    assert negation[0.5]["recall"] == 1.0 and negation[0.5]["false_per_100"] == 0.0
    assert negation[1.01]["recall"] == 0.0  # no flag is that sure
    assert negation[0.0]["planted"] == negation[1.01]["planted"] > 0
