"""How a casing model is shaped and trained: validated settings, importable without torch."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from copydesk.models.casing.features import NUM_TYPES
from copydesk.models.casing.units import OUTPUT_CASES

# A model folder's files, and the version of its layout.
FORMAT = 1
SPM_FILE = "spm.model"
LEXICON_FILE = "lexicon.json"
SETTINGS_FILE = "casing.json"
ONNX_FILE = "model.onnx"  # the network, as repairing runs it
# The threshold a new model starts with, until `copydesk.models.casing.tune` tunes it on
# held-out lines.
UNTUNED_THRESHOLD = 0.9


class Architecture(BaseModel):
    """The network's shape; an unknown key is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hidden: int = 256
    layers: int = 4
    heads: int = 4
    max_len: int = 128

    @property
    def intermediate(self) -> int:
        return 4 * self.hidden

    def bert_config(self, vocab_size: int, pad_id: int):  # noqa: ANN201 - a BertConfig
        from transformers import BertConfig  # late: transformers is the train extra's

        return BertConfig(
            vocab_size=vocab_size,
            hidden_size=self.hidden,
            num_hidden_layers=self.layers,
            num_attention_heads=self.heads,
            intermediate_size=self.intermediate,
            max_position_embeddings=self.max_len,
            type_vocab_size=NUM_TYPES,
            pad_token_id=pad_id,
            num_labels=len(OUTPUT_CASES),
            hidden_dropout_prob=0.1,
            attention_probs_dropout_prob=0.1,
        )


class TrainConfig(BaseModel):
    """How a casing model is trained; the defaults are the shipped model's recipe. An
    unknown key, or a value of the wrong type, is refused with the key's name."""

    model_config = ConfigDict(extra="forbid")

    epochs: float = 4.0
    max_minutes: float | None = None
    batch_rows: int = 64
    learning_rate: float = 5e-4
    warmup_steps: int = 300
    vocab_size: int = 8000
    seed: int = 13
    architecture: Architecture = Field(default_factory=Architecture)
    device: str = "auto"  # "auto": CUDA where there is a GPU, else the CPU
    # Processes that noise and encode each epoch's lines; on a GPU the Python data
    # preparation, not the network, is what limits an epoch. 1: in this process.
    prep_workers: int = 1
