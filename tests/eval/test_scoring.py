"""The scoring harness: figures equal sacrebleu's CLI and errant_compare, baseline,
bootstrap, partial credit, and per-kind attribution."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from copydesk.eval.metrics.edits import EditExtractor, KindSpan, m2_block
from copydesk.eval.metrics.gleu import Gleu, corpus_gleu
from copydesk.eval.scoring import score

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def paragraphs(name: str) -> list[str]:
    text = (ROOT / "seeds" / name).read_text(encoding="utf-8")
    return [p.strip() for p in text.strip().split("\n\n")]


@pytest.fixture(scope="module")
def seed():
    return (
        paragraphs("idlib-mt.txt"),
        paragraphs("idlib-reference-light.txt"),
        paragraphs("idlib-reference-full.txt"),
    )


@pytest.fixture(scope="module")
def extractor():
    return EditExtractor()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("metric", "flags"),
    [
        ("bleu", ["-m", "bleu"]),
        ("chrf", ["-m", "chrf"]),
        ("chrf++", ["-m", "chrf", "--chrf-word-order", "2"]),
        ("ter", ["-m", "ter", "--ter-case-sensitive"]),
    ],
)
def test_corpus_figures_equal_sacrebleu_cli(tmp_path, seed, metric, flags):
    mt, light, full = seed
    hyp, ref1, ref2 = (
        write_lines(tmp_path / n, x) for n, x in (("hyp", light), ("r1", full), ("r2", mt))
    )
    cli = subprocess.run(
        [BIN / "sacrebleu", ref1, ref2, "-i", hyp, *flags, "-b", "-w", "4"],
        capture_output=True,
        text=True,
        check=True,
    )
    ours = score({"s": light}, [full, mt], metrics=[metric], resamples=0)
    assert f"{ours.systems['s'].scores[metric]:.4f}" == cli.stdout.strip()
    assert "case:mixed" in ours.signatures[metric]
    assert "nrefs:2" in ours.signatures[metric]


def parse_compare(stdout: str) -> tuple[int, int, int, float, float, float]:
    rows = [line for line in stdout.splitlines() if re.match(r"^\d+\t", line)]
    tp, fp, fn, p, r, f = rows[-1].split("\t")
    return int(tp), int(fp), int(fn), float(p), float(r), float(f)


def test_edit_scores_equal_errant_compare_with_two_references(tmp_path, seed, extractor):
    mt, light, full = seed
    system = [
        mt[0],
        light[1],
        light[2],
        mt[3].replace("very", "much"),
        full[4],
        light[5],
        mt[6].replace("Sergei", "Sergej"),
        light[7],
    ]
    result = score(
        {"sys": system},
        [light, full],
        original=mt,
        metrics=["errant"],
        resamples=0,
        extractor=extractor,
    )
    (tmp_path / "hyp.m2").write_text(result.m2["sys"], encoding="utf-8")
    (tmp_path / "ref.m2").write_text(result.m2["reference"], encoding="utf-8")
    cli = subprocess.run(
        [
            BIN / "errant_compare",
            "-hyp",
            tmp_path / "hyp.m2",
            "-ref",
            tmp_path / "ref.m2",
            "-cat",
            "3",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    strict = result.systems["sys"].edits["strict"]
    assert parse_compare(cli.stdout) == (
        strict["tp"],
        strict["fp"],
        strict["fn"],
        strict["p"],
        strict["r"],
        strict["f0.5"],
    )
    assert strict["tp"] > 0 and strict["fp"] > 0 and strict["fn"] > 0
    # Per-type rows match errant_compare's -cat 3 table too.
    by_type = result.systems["sys"].edits["by_type"]
    for line in cli.stdout.splitlines():
        cells = line.split()
        if len(cells) == 7 and cells[0] in by_type:
            c = by_type[cells[0]]
            assert [int(x) for x in cells[1:4]] == [c["tp"], c["fp"], c["fn"]], cells[0]


def test_fixing_part_of_a_merged_edit_gets_split_credit(extractor):
    original = ["the Meeting at the Munich security conference was held"]
    reference = ["The meeting at the Munich Security Conference was held"]
    partial = ["The meeting at the Munich Security conference was held"]
    result = score(
        {"partial": partial},
        [reference],
        original=original,
        metrics=["errant"],
        resamples=0,
        extractor=extractor,
    )
    edits = result.systems["partial"].edits
    # ERRANT merges "security conference -> Security Conference" into one edit:
    # strictly, the half-fix is a false positive and the merged edit a miss.
    assert (edits["strict"]["tp"], edits["strict"]["fp"], edits["strict"]["fn"]) == (1, 1, 1)
    # Split per token, "Security" is credited and only "Conference" is missed.
    assert (edits["split"]["tp"], edits["split"]["fp"], edits["split"]["fn"]) == (3, 0, 1)


def test_do_nothing_baseline_and_bootstrap(seed, extractor):
    mt, light, full = seed
    result = score({"light": light, "same": mt}, [full], original=mt, extractor=extractor)
    assert list(result.systems) == ["do-nothing", "light", "same"]
    base = result.systems["do-nothing"].scores
    assert base["errant"] == 0.0
    light_vs = result.systems["light"].versus_baseline
    assert light_vs["ter"].delta < 0 and light_vs["bleu"].delta > 0
    assert light_vs["chrf"].significant and light_vs["chrf"].p_value < 0.05
    assert light_vs["ter"].improved + light_vs["ter"].unchanged + light_vs[
        "ter"
    ].worsened == pytest.approx(1)
    same = result.systems["same"].versus_baseline["bleu"]
    assert (same.delta, same.significant, same.unchanged) == (0.0, False, 1.0)
    again = score({"light": light}, [full], original=mt, metrics=["bleu"], extractor=extractor)
    assert again.systems["light"].versus_baseline["bleu"].p_value == light_vs["bleu"].p_value


def test_edits_are_attributed_to_copydesk_kinds(extractor):
    original = ["foreign Minister Sergei Lavrov met Iglinskiy officials"]
    output = ["Foreign Minister Sergey Lavrov met Idlib officials"]
    kinds = [[KindSpan(0, 7, "casing"), KindSpan(17, 23, "entity"), KindSpan(35, 44, "entity")]]
    reference = ["Foreign Minister Sergey Lavrov met Idlib officials"]
    result = score(
        {"c": output},
        [reference],
        original=original,
        metrics=["errant"],
        kinds={"c": kinds},
        resamples=0,
        extractor=extractor,
    )
    by_kind = result.systems["c"].edits["by_kind"]
    assert by_kind["casing"]["tp"] == 1 and by_kind["entity"]["tp"] == 2
    assert sum(k["recall_share"] for k in by_kind.values()) == pytest.approx(1.0)


def test_m2_block_writes_noop_for_unchanged_reference(extractor):
    seg = extractor.extract("A clean sentence .", "A clean sentence .")
    assert (
        m2_block(seg, [seg])
        == "S A clean sentence .\nA -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0"
    )


def test_gleu_metric_matches_corpus_gleu():
    src = ["he go to school yesterday .", "she have two cat .", "it is fine ."]
    hyp = ["he went to school yesterday .", "she have two cats .", "it is fine ."]
    refs = [
        ["he went to school yesterday .", "she has two cats .", "it is fine ."],
        ["yesterday he went to school .", "she has two cats .", "it's fine ."],
    ]
    metric = Gleu(refs, src)
    assert metric.corpus_score(hyp) == pytest.approx(corpus_gleu(src, hyp, refs))


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="has 1 segments"):
        score({"s": ["a"]}, [["a", "b"]])
    with pytest.raises(ValueError, match="needs the original"):
        score({"s": ["a"]}, [["a"]], metrics=["errant"])
