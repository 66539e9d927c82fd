"""The name-repair evaluation: planted garbles, and verdicts on the other edits."""

from __future__ import annotations

import random

from copydesk.eval.components.names import read_judgements, score_names, write_unjudged
from copydesk.models import Document, Edit, EditKind, RepairContext, Stage

DOCUMENT = (
    "Chancellor Angela Merkel met the press. Later Merkel spoke to Merkal's aides.\n\n"
    "Critics said Merkel had waited too long. Merkel said nothing more."
)


class FixesMerkal(Stage):
    """A stage that corrects the news text's own misspelling, and nothing else."""

    name = "entities"

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        start = doc.text.find("Merkal")
        if start < 0:
            return []
        return [
            Edit(start, start + 6, "Merkal", "Merkel", EditKind.ENTITY, "entities", 0.9, "m", "r")
        ]


def test_edits_beside_the_planted_repair_count_false_until_judged_right(tmp_path):
    documents = [DOCUMENT] * 20
    unjudged: list[dict] = []
    strict = score_names(FixesMerkal(), documents, first_document=100, unjudged=unjudged)
    assert strict["precision"] == 0.0 and strict["false_edits_per_10k_clean_words"] > 0
    assert len(unjudged) == 20 and strict["judged"]["edits_not_judged"] == 20
    assert unjudged[0]["document"] == 100 and "[Merkal]'s aides" in unjudged[0]["context"]

    path = tmp_path / "judged.tsv"
    for row in unjudged:
        row["verdict"] = "right"
    write_unjudged(unjudged, path)
    judged = score_names(FixesMerkal(), documents, first_document=100, judged=read_judgements(path))
    assert judged["judged"]["false_edits_per_10k_clean_words"] == 0.0
    assert (
        judged["judged"]["edits_judged_right"] == 20 and judged["judged"]["edits_not_judged"] == 0
    )
    assert judged["precision"] == strict["precision"]  # the strict figures do not move
    # Verdicts are per document: the same edit elsewhere is not judged.
    shifted = score_names(FixesMerkal(), documents, first_document=0, judged=read_judgements(path))
    assert shifted["judged"]["edits_not_judged"] == 20


def test_the_shipped_judgements_read():
    judged = read_judgements()
    assert judged and set(judged.values()) == {True, False}
    assert all(3000 <= number < 4500 for number, _, _ in judged)


def test_a_name_garbled_beside_its_source_is_repaired_and_clean_lines_are_left_alone():
    from copydesk.eval.components.names import garble_line, score_source_garbles
    from copydesk.models.stages.entities import EntitiesStage

    text = "The foreign ministers met in Idlib on Monday, the ministry said."
    source = "Министры иностранных дел встретились в Идлибе в понедельник."
    garbled = garble_line(text, source, random.Random(4))
    assert garbled is not None and garbled.expected == "Idlib" and garbled.garbled != "Idlib"
    result = score_source_garbles(EntitiesStage(), [text] * 8, [source] * 8, seed=4)
    assert result["lines"] == 8 and result["false_edits_on_clean_lines"] == 0
    assert result["garbled"] == 8 and 0 < result["recall"] <= 1
    assert result["wrong_edits_on_garbled_lines"] == 0
    # ``Iglibskiy`` is repaired; ``Idlibskiy`` shares the source name's first five letters,
    # which the stage reads as an inflection of it and leaves alone
    assert 0 < result["by_how"]["adjective"]["repaired"] <= result["by_how"]["adjective"]["garbled"]
