"""The rewrite model: loading any local causal/seq2seq model, training, guards, word edits,
and the stage on a tiny model trained here."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from safetensors import safe_open

from copydesk.eval.metrics import corpus_score, sentence_score
from copydesk.models import Document, Pipeline, RepairContext
from copydesk.models.devices import resolve_device
from copydesk.models.errors import ConfigError
from copydesk.models.rewrite.generate import Candidate, Rewriter
from copydesk.models.rewrite.guards import check, protected, same_but_quotes
from copydesk.models.rewrite.loading import load_generator
from copydesk.models.rewrite.meta import read_meta
from copydesk.models.rewrite.prompt import build_prompt
from copydesk.models.rewrite.train import RewriteTrainSettings, train_rewrite
from copydesk.models.rewrite.tune import corpus_ter, retune, sentence_ter, sign_test_p, tune
from copydesk.models.rewrite.words import word_changes
from copydesk.models.stages import RewriteStage
from tests.helpers import REWRITE_PAIRS, tiny_generator_folders


@pytest.fixture(scope="module")
def tiny_folders(tmp_path_factory):
    return tiny_generator_folders(tmp_path_factory.mktemp("generators"))


@pytest.fixture(scope="module")
def tiny_adapter(tiny_folders, tmp_path_factory):
    """The tiny causal model fully fine-tuned until it has learnt the rewrite pairs."""

    out = tmp_path_factory.mktemp("finetuned")
    settings = RewriteTrainSettings(
        steps=120, batch_size=3, learning_rate=1e-2, warmup_steps=5, lora_rank=0, log_every=10
    )
    result = train_rewrite(
        REWRITE_PAIRS * 4,
        out,
        base=tiny_folders["causal"],
        settings=settings,
        validation=REWRITE_PAIRS,
    )
    return out, result


@pytest.mark.parametrize("kind", ["causal", "seq2seq"])
def test_load_generator_reads_local_folders_of_either_kind(tiny_folders, kind):
    gen = load_generator(tiny_folders[kind])
    assert gen.seq2seq is (kind == "seq2seq")
    candidates = Rewriter(gen, max_new_tokens=6).rewrite_many(["the talks go on .", "Geneva ."])
    assert [c.mt for c in candidates] == ["the talks go on .", "Geneva ."]
    assert all(isinstance(c.rewrite, str) and isinstance(c.gain, float) for c in candidates)


def test_missing_model_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_generator(tmp_path / "nope")


def test_training_learns_the_pairs(tiny_adapter):
    folder, result = tiny_adapter
    meta = json.loads((folder / "copydesk.json").read_text())
    assert meta["training"]["steps_done"] == 120 and (folder / "config.json").exists()
    losses = [loss for _, loss in result.losses]
    assert losses[-1] < losses[0] / 5
    assert result.validation_loss < 0.5
    rewriter = Rewriter(load_generator(folder), max_new_tokens=12)
    [cand] = rewriter.rewrite_many([REWRITE_PAIRS[0][0]])
    assert cand.rewrite == REWRITE_PAIRS[0][1]
    assert cand.gain > 0  # the model prefers its rewrite to the MT


@pytest.mark.integration
def test_lora_training_writes_an_adapter_that_loads_on_its_base(tiny_folders, tmp_path):
    settings = RewriteTrainSettings(
        steps=20,
        batch_size=3,
        learning_rate=2e-2,
        warmup_steps=2,
        lora_rank=4,
        lora_alpha=8,
        log_every=5,
    )
    result = train_rewrite(
        REWRITE_PAIRS,
        tmp_path,
        base=tiny_folders["causal"],
        settings=settings,
        synthetic=REWRITE_PAIRS[:2],
    )
    assert (tmp_path / "adapter_config.json").exists()
    meta = json.loads((tmp_path / "copydesk.json").read_text())
    assert meta["base"] == str(tiny_folders["causal"])
    assert (meta["training"]["pairs"], meta["training"]["synthetic_pairs"]) == (
        len(REWRITE_PAIRS) + 2,
        2,
    )
    assert result.losses[-1][1] < result.losses[0][1]
    gen = load_generator(tmp_path)  # the base from copydesk.json, the adapter merged in
    assert not gen.seq2seq and not hasattr(gen.model, "peft_config")


def test_stage_turns_a_rewrite_into_word_edits(tiny_adapter):
    folder, _ = tiny_adapter
    stage = RewriteStage(model=str(folder), threshold=0.5, min_similarity=40)
    text = "Intro words here now. " + REWRITE_PAIRS[1][0]
    edits = stage.propose(Document.from_text(text), RepairContext())
    assert [(e.original, e.replacement, e.kind.value) for e in edits] == [("go", "went", "fluency")]
    assert text[edits[0].start : edits[0].end] == "go"
    assert Pipeline([stage]).repair(text).repaired.endswith(REWRITE_PAIRS[1][1])
    # A rewrite that drops a number never becomes edits.
    assert (
        check("the talks go on 5 days .", "the talks went on .", min_similarity=0)
        == "numbers changed"
    )


def test_sign_test():
    assert sign_test_p(0, 0) == 1.0
    assert sign_test_p(3, 1) == 5 / 16  # three better, one worse: not evidence
    assert sign_test_p(8, 0) == 1 / 256


def test_tuning_ter_is_the_ter_the_evaluation_reports():
    """The tuning scores with sacrebleu directly (models/ does not import eval): the same
    case-sensitive TER as ``copydesk eval``, segment by segment and over the corpus."""
    hyps = ["the Talks went on in geneva .", "The minister go to Munich", "", "a b c d"]
    refs = ["The talks went on in Geneva .", "the minister went to Munich .", "x y", "a b c d"]
    for h, r in zip(hyps, refs, strict=True):
        assert sentence_ter(h, r) == sentence_score("ter", h, [r]).score
    assert sentence_ter(hyps[0], refs[0]) > sentence_ter(hyps[0].lower(), refs[0].lower())
    assert corpus_ter(hyps, refs) == corpus_score("ter", hyps, [refs]).score


def test_retune_writes_the_tuning_the_stage_then_reads(tiny_adapter, tmp_path):
    folder = shutil.copytree(tiny_adapter[0], tmp_path / "adapter")
    pairs = [("the talks go on .", "the talks went on ."), *REWRITE_PAIRS]
    mts, post_edits = [p[0] for p in pairs], [p[1] for p in pairs]
    tuning = retune(folder, mts, post_edits, count=len(REWRITE_PAIRS))
    assert tuning["tuned_on"].startswith(f"{len(REWRITE_PAIRS)} ")  # the last pairs only
    assert read_meta(folder)["stage"] == json.loads(json.dumps(tuning))
    assert read_meta(folder)["training"] == read_meta(tiny_adapter[0])["training"]
    local = RewriteStage(model=str(folder)).local
    assert (local.threshold, local.min_similarity) == (
        tuning["threshold"],
        tuning["min_similarity"],
    )


def test_tuning_takes_a_cut_only_where_the_sign_test_backs_it():
    good = [
        (f"the talks go on in Geneva for {w} .", f"the talks went on in Geneva for {w} .")
        for w in "abcdefgh"
    ]
    bad = [(f"the talks went on in Geneva for {w} .",) * 2 for w in "ijkl"]

    class Fixed:
        """Rewrites fixed in advance: the post-edit for the good pairs, a slip for the rest."""

        def __init__(self, bad_gain: float) -> None:
            self.bad_gain = bad_gain

        def rewrite_many(self, sentences, sources=None):
            out = []
            for mt in sentences:
                if "go on" in mt:
                    out.append(Candidate(mt, mt.replace("go on", "went on"), 0.6))
                else:
                    out.append(Candidate(mt, mt.replace("talks", "talk"), self.bad_gain))
            return out

    pairs = good + bad
    mixed = tune(Fixed(bad_gain=0.6), pairs)  # 8 better, 4 worse at every cut: p = 0.19
    assert mixed["threshold"] == 1.0
    assert mixed["grid"][0]["improved"] == 8 and mixed["grid"][0]["worsened"] == 4
    separable = tune(Fixed(bad_gain=0.1), pairs)  # above 0.1 only the good rewrites remain;
    assert separable["threshold"] == 0.8808  # the highest such cut that keeps them: gain > 0.5

    assert build_prompt(" the talks go on . ") == "Machine translation: the talks go on .\nEdited: "
    assert build_prompt("the talks go on .", " переговоры идут . ") == (
        "Source: переговоры идут .\nMachine translation: the talks go on .\nEdited: "
    )
    assert build_prompt("x", "  ") == build_prompt("x")


def test_resolve_device():
    import torch  # late: torch is the rewrite extra's

    assert resolve_device("cpu") == "cpu" and resolve_device("cuda:1") == "cuda:1"
    assert resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")


@pytest.mark.integration
def test_source_rate_training_and_the_stage_that_shows_the_source(
    tiny_folders, tiny_adapter, tmp_path, monkeypatch
):
    triples = [(mt, pe, "переговоры идут .") for mt, pe in REWRITE_PAIRS]
    settings = RewriteTrainSettings(
        steps=6, batch_size=3, warmup_steps=1, lora_rank=4, lora_alpha=8, source_rate=0.5
    )
    result = train_rewrite(
        triples, tmp_path, base=tiny_folders["causal"], settings=settings, validation=triples
    )
    meta = json.loads((tmp_path / "copydesk.json").read_text())
    assert meta["prompt"] == "models.rewrite.prompt v2"
    assert meta["training"]["settings"]["source_rate"] == 0.5
    assert result.validation_loss > 0 and result.validation_loss_with_source > 0
    assert result.device == "CPU"
    with safe_open(tmp_path / "adapter_model.safetensors", "pt") as f:  # saved in float16
        dtypes = {str(f.get_tensor(k).dtype) for k in f.keys()}  # noqa: SIM118 - not a dict
        assert dtypes == {"torch.float16"}

    seen = []

    def spy(rewriter):
        real = rewriter.rewrite_many

        def rewrite_many(sentences, sources=None):
            seen.append(sources)
            return real(sentences, sources)

        return rewrite_many

    doc, context = Document.from_text(REWRITE_PAIRS[0][0]), RepairContext(source="переговоры .")
    with_source = RewriteStage(model=str(tmp_path), threshold=1.0)
    assert with_source.use_source  # trained with sources in some prompts
    monkeypatch.setattr(with_source.rewriter, "rewrite_many", spy(with_source.rewriter))
    with_source.propose(doc, context)
    assert seen[-1] == ["переговоры ."]
    monkeypatch.undo()
    plain = RewriteStage(model=str(tiny_adapter[0]), threshold=1.0)
    assert not plain.use_source  # a model trained without sources is never shown one
    monkeypatch.setattr(plain.rewriter, "rewrite_many", spy(plain.rewriter))
    plain.propose(doc, context)
    assert seen[-1] == [None]


@pytest.mark.parametrize(
    ("mt", "rewrite", "failure"),
    [
        ("He did not go on 5 May.", "He went on 5 May.", "negation changed"),
        ("It cost 5 million.", "It cost 6 million.", "numbers changed"),
        ("Talks in Idlib ended.", "Talks in Syria ended.", "name lost"),
        ("It happened on Monday and later.", "It happened later.", "date lost"),
        ("“We talked about Syria.", "We talked about Syria.", "quotation marks changed"),
        ("“We talked about Syria.", '"We talked about Syria.', None),
        (
            "The minister met his counterpart.",
            "A completely different sentence about cats here.",
            "too far from the MT",
        ),
        (
            "With Russian have met the foreign Minister of Germany Heiko Maas.",
            "The German Foreign Minister Heiko Maas has met the Russian.",
            None,
        ),
    ],
)
def test_guards(mt, rewrite, failure):
    assert check(mt, rewrite, min_similarity=45) == failure


def test_protected_counts_contractions_as_negations():
    assert protected("They don't know and never will.").negations == 2


words = st.lists(st.sampled_from(["a", "b", "c", "Idlib", "5,000", "don't", "."]), max_size=8)


@given(words, words)
def test_word_changes_rebuild_the_rewrite(a, b):
    sentence, rewrite = " ".join(a), " ".join(b)
    out = sentence
    for change in sorted(word_changes(sentence, rewrite), key=lambda c: -c.start):
        out = out[: change.start] + change.replacement + out[change.end :]
    assert out.split() == rewrite.split()


def test_quote_style_alone_is_not_a_rewrite():
    assert same_but_quotes("“We talked,” he said.", '"We talked," he said.')
    assert not same_but_quotes("“We talked,” he said.", '"We spoke," he said.')


def test_training_settings_refuse_unknown_keys_and_name_them():
    with pytest.raises(ValidationError, match=r"lora_rnak\n.*Extra inputs are not permitted"):
        RewriteTrainSettings(lora_rnak=8)
    with pytest.raises(ValidationError, match=r"source_rate\n.*valid number"):
        RewriteTrainSettings(source_rate="half")
