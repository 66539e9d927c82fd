"""Which torch device a model runs on: ``auto`` is a CUDA GPU where torch sees one."""

from __future__ import annotations


def resolve_device(device: str = "auto") -> str:
    """``auto`` is CUDA where torch sees a GPU, else the CPU; any other name is kept."""
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"
