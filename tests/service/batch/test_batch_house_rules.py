"""A job's newsroom rules: every record runs under the snapshot in its spec, in worker
processes too, and a checkpoint made under other rules is not resumed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from copydesk.service.batch.checkpoint import BatchError
from copydesk.service.batch.job import run_job
from copydesk.service.batch.spec import HouseSnapshot, JobSpec, LearnedTerm

PIPELINE = '[[stages]]\nname = "sentence_case"\n\n[[stages]]\nname = "entities"\n'
LINES = ["Sergei Lavrov arrived. Sergey Lavrov spoke.", "officials in Kiev said so."] * 3
WEEKLY = HouseSnapshot(newsroom="weekly", protected=("Sergey",))
DAILY = HouseSnapshot(newsroom="daily", glossary=(LearnedTerm(term="Kyiv", variants=("Kiev",)),))


def spec_for(tmp_path: Path, name: str, house: HouseSnapshot | None, **extra) -> JobSpec:
    src, light = tmp_path / "in.txt", tmp_path / "light.toml"
    src.write_text("".join(line + "\n" for line in LINES), encoding="utf-8")
    light.write_text(PIPELINE, encoding="utf-8")
    return JobSpec(
        inputs=[src],
        out=tmp_path / name,
        fmt="txt",
        lines=True,
        chunk_size=1,
        pipeline=str(light),
        house=house,
        **extra,
    )


def test_every_record_in_every_worker_runs_under_the_jobs_newsroom(tmp_path):
    outputs = {}
    for name, house in (("shipped", None), ("weekly", WEEKLY), ("daily", DAILY)):
        spec = spec_for(tmp_path, f"{name}.txt", house, workers=1 if house is None else 2)
        run_job(spec)
        outputs[name] = spec.out.read_text(encoding="utf-8").splitlines()
    sergei = "Sergei Lavrov arrived. Sergei Lavrov spoke."
    assert outputs["shipped"] == [sergei, "Officials in Kiev said so."] * 3
    assert outputs["weekly"] == [LINES[0], "Officials in Kiev said so."] * 3
    assert outputs["daily"] == [sergei, "Officials in Kyiv said so."] * 3


class Interrupted(Exception):
    pass


def stop_after_first_chunk(done: int, _total: int, _words: int) -> None:
    if done > 0:
        raise Interrupted


def test_a_checkpoint_made_under_other_rules_is_not_resumed(tmp_path):
    with pytest.raises(Interrupted):  # killed after its first chunk
        run_job(spec_for(tmp_path, "out.txt", None), stop_after_first_chunk)
    with pytest.raises(BatchError, match="--restart"):
        run_job(spec_for(tmp_path, "out.txt", WEEKLY))
    run_job(spec_for(tmp_path, "out.txt", WEEKLY, restart=True))
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").startswith(LINES[0] + "\n")


JUDGE = {"keep": 0.3, "promote": 0.8, "rules": ["casing:model"], "decisions": 1000,
         "weights": {"bias": 1.0, "logit": 2.0}}  # fmt: skip


@pytest.mark.parametrize(
    "tampered",
    [
        {**JUDGE, "weights": "bias"},
        {**JUDGE, "weights": {"bias": "heavy"}},
        {**JUDGE, "weights": {"bias": float("nan")}},
        {**JUDGE, "weights": {"bias": float("inf")}},
        {**JUDGE, "keep": float("nan")},
        {**JUDGE, "promote": 7},
        {**JUDGE, "rules": "casing:model"},
        {k: v for k, v in JUDGE.items() if k != "weights"},
    ],
)
def test_a_tampered_judge_in_a_snapshot_is_refused_when_the_job_is_read(tampered):
    assert HouseSnapshot(newsroom="daily", judge=JUDGE).rules().judge is not None
    with pytest.raises(ValidationError, match="judge of edits"):
        HouseSnapshot(newsroom="daily", judge=tampered)
