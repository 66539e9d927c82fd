"""Helpers shared by tests: a made-up corpus for training tiny models, the CLI run as a
subprocess, a small disk, an app served on a real socket."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator

NAMES = ["Munich Security Conference", "Sergey Lavrov", "Heiko Maas", "United Nations", "NATO"]
NOUNS = ["meeting", "minister", "summit", "report", "ceasefire", "talks"]
VERBS = ["opened", "ended", "began", "resumed", "stalled"]


def tiny_corpus(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for _ in range(n):
        name, noun, verb = rng.choice(NAMES), rng.choice(NOUNS), rng.choice(VERBS)
        lines.append(f"The {noun} with {name} {verb} in Geneva on Monday.")
    return lines


def tiny_generator_folders(root) -> dict:
    """A word-level tokenizer and two tiny untrained models (Llama causal, T5 seq2seq),
    saved as local folders: the loading path, tested without any hub."""
    from pathlib import Path

    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import (
        LlamaConfig,
        LlamaForCausalLM,
        PreTrainedTokenizerFast,
        T5Config,
        T5ForConditionalGeneration,
    )

    root = Path(root)
    words = tiny_corpus(200) + REWRITE_PAIRS_TEXT + ["Machine translation:", "Edited:"]
    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.train_from_iterator(
        words, trainers.WordLevelTrainer(special_tokens=["<pad>", "</s>", "<unk>", "<s>"])
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="<pad>",
        eos_token="</s>",
        unk_token="<unk>",
        bos_token="<s>",
    )
    vocab = fast.vocab_size
    folders = {}
    llama = LlamaForCausalLM(
        LlamaConfig(
            vocab_size=vocab,
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=2,
            num_key_value_heads=2,
            max_position_embeddings=256,
            pad_token_id=0,
            eos_token_id=1,
            bos_token_id=3,
            tie_word_embeddings=True,
        )
    )
    t5 = T5ForConditionalGeneration(
        T5Config(
            vocab_size=vocab,
            d_model=32,
            d_ff=64,
            d_kv=16,
            num_layers=1,
            num_heads=2,
            pad_token_id=0,
            eos_token_id=1,
            decoder_start_token_id=0,
        )
    )
    for name, model in (("causal", llama), ("seq2seq", t5)):
        folder = root / name
        model.save_pretrained(folder)
        fast.save_pretrained(folder)
        folders[name] = folder
    return folders


# Pairs a tiny model can learn by heart: the rewrite fixes one word.
REWRITE_PAIRS = [
    ("the talks go on in Geneva .", "the talks went on in Geneva ."),
    ("the minister go to Munich .", "the minister went to Munich ."),
    ("the summit go ahead on Monday .", "the summit went ahead on Monday ."),
]
REWRITE_PAIRS_TEXT = [s for pair in REWRITE_PAIRS for s in pair]


def run_copydesk(
    *args: str,
    stdin: bytes | None = None,
    cwd=None,
    env: dict | None = None,
    timeout: float = 120,
):
    """Run the ``copydesk`` command line in a subprocess, as a user would."""
    import subprocess
    import sys
    from pathlib import Path

    return subprocess.run(
        [sys.executable, "-m", "copydesk.service.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd or Path(__file__).resolve().parent.parent,
        env=env,
        timeout=timeout,
    )


def copydesk_command(*args: str) -> list[str]:
    """The argv that starts the command line (for Popen: a server, a job to kill)."""
    import sys

    return [sys.executable, "-m", "copydesk.service.cli", *args]


def small_disk(folder):
    """A folder whose disk fills after a few kilobytes: a 16 kB tmpfs where this machine
    lets the tests mount one, else a folder where the job's first chunk is written to
    ``/dev/full`` (which fails every write with ENOSPC, as a full disk does)."""
    import contextlib
    import os
    import subprocess

    @contextlib.contextmanager
    def mounted():
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(folder)], capture_output=True
        )
        if done.returncode != 0:
            work = folder / "out.txt.copydesk-work"
            work.mkdir(parents=True, exist_ok=True)
            os.symlink("/dev/full", work / "chunk-000000.json.tmp")
        try:
            yield folder
        finally:
            if done.returncode == 0:
                subprocess.run(["umount", str(folder)], capture_output=True)

    return mounted()


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port, for clients that need a real
    socket; yields the base URL. Without the app's lifespan: its shutdown would stop the
    LanguageTool server that the whole test session shares."""
    import threading
    import time

    import uvicorn

    from copydesk.models.grammar.server import free_port

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
