"""The casing network in torch: built, saved, loaded for training, and exported to ONNX.

Needs the ``train`` extra (torch, transformers). Repairing reads the exported graph
(`copydesk.models.casing.model`), not this module.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import sentencepiece as spm
import torch
from transformers import BertForTokenClassification

from copydesk.models.casing.config import LEXICON_FILE, ONNX_FILE, SPM_FILE, Architecture
from copydesk.models.casing.lexicon import CasingLexicon
from copydesk.models.casing.model import CasingModel, read_settings, write_settings

ONNX_OPSET = 17
INPUTS = ("input_ids", "token_type_ids", "attention_mask")


class TorchScorer:
    """The torch network as a `BatchScorer`: softmax over its logits, on its device."""

    def __init__(self, network: BertForTokenClassification) -> None:
        self.network = network

    def __call__(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        device = self.network.device
        with torch.inference_mode():
            logits = self.network(
                input_ids=torch.from_numpy(ids).to(device),
                token_type_ids=torch.from_numpy(types).to(device),
                attention_mask=torch.from_numpy(mask).to(device),
            ).logits
            return torch.softmax(logits.float(), dim=-1).cpu().numpy()


def new_network(arch: Architecture, vocab_size: int, pad_id: int) -> BertForTokenClassification:
    return BertForTokenClassification(arch.bert_config(vocab_size, pad_id))


def load_network(folder: str | Path) -> BertForTokenClassification:
    """The torch weights of a model folder, in eval mode."""
    return BertForTokenClassification.from_pretrained(Path(folder)).eval()


def torch_model(folder: str | Path) -> CasingModel:
    """A model folder run through torch instead of its ONNX graph."""
    return CasingModel.load(folder, scorer=TorchScorer(load_network(folder)))


class _Probabilities(torch.nn.Module):
    """What the graph computes: the network's case probabilities at every piece."""

    def __init__(self, network: BertForTokenClassification) -> None:
        super().__init__()
        self.network = network

    def forward(
        self, input_ids: torch.Tensor, token_type_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> torch.Tensor:
        logits = self.network(
            input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask
        ).logits
        return torch.softmax(logits.float(), dim=-1)


def export_onnx(network: BertForTokenClassification, folder: str | Path) -> Path:
    """Write the network's graph to ``model.onnx`` (batch and length dynamic)."""
    path = Path(folder) / ONNX_FILE
    network = network.to("cpu").eval()
    example = torch.randint(5, 50, (2, 9))
    mask = torch.ones_like(example)
    mask[1, 6:] = 0  # a padded row, so that the mask's path is what is traced
    axes = {name: {0: "rows", 1: "pieces"} for name in (*INPUTS, "probs")}
    with warnings.catch_warnings():  # the tracer's notes on transformers' code, not ours
        warnings.simplefilter("ignore")
        _export(network, example, mask, path, axes)
    return path


def _export(network, example, mask, path: Path, axes: dict) -> None:  # noqa: ANN001
    torch.onnx.export(
        _Probabilities(network),
        (example, torch.zeros_like(example), mask),
        str(path),
        input_names=list(INPUTS),
        output_names=["probs"],
        dynamic_axes=axes,
        opset_version=ONNX_OPSET,
        dynamo=False,
    )


def save_folder(
    folder: str | Path,
    network: BertForTokenClassification,
    sp: spm.SentencePieceProcessor,
    lexicon: CasingLexicon,
    settings: dict,
) -> None:
    """A whole model folder: torch weights (for further training), the ONNX graph (for
    repairing), tokenizer, lexicon and settings."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    network = network.to("cpu").eval()
    network.save_pretrained(folder, safe_serialization=True)
    (folder / SPM_FILE).write_bytes(sp.serialized_model_proto())
    lexicon.save(folder / LEXICON_FILE)
    write_settings(folder, settings)
    export_onnx(network, folder)


def export_folder(folder: str | Path) -> Path:
    """Write ``model.onnx`` for a model folder that has only its torch weights."""
    read_settings(Path(folder))
    return export_onnx(load_network(folder), folder)
