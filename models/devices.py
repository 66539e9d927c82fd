"""Which torch device a model runs on: ``auto`` is a CUDA GPU where torch sees one."""

from __future__ import annotations

import os
import platform


def resolve_device(device: str = "auto") -> str:
    """``auto`` is CUDA where torch sees a GPU, else the CPU; any other name is kept."""
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def machine_description(device: str) -> dict[str, str | int]:
    """What a model was trained (or a figure measured) on, for its card's data."""
    import torch

    on = torch.cuda.get_device_name(device) if device.startswith("cuda") else "CPU"
    return {
        "device": on,
        "cpus": os.cpu_count() or 0,
        "torch_threads": torch.get_num_threads(),
        "machine": platform.machine(),
    }
