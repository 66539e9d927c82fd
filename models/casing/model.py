"""The casing model at run time: a folder's tokenizer, lexicon and settings, and the
network as an ONNX graph run by ONNX Runtime on the CPU.

Repairing needs no torch: training (`copydesk.models.casing.network`, the ``train``
extra) writes ``model.onnx`` beside the torch weights, and this module reads it. A
torch-backed scorer can stand in for the graph (`TorchScorer`), which is how the tests
check that both give the same probabilities.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np
import sentencepiece as spm

from copydesk.models.casing.config import (
    FORMAT,
    LEXICON_FILE,
    ONNX_FILE,
    SETTINGS_FILE,
    SPM_FILE,
)
from copydesk.models.casing.features import Encoded, Featurizer
from copydesk.models.casing.knowledge import read_knowledge
from copydesk.models.casing.lexicon import CasingLexicon, read_lexicon
from copydesk.models.casing.units import OUTPUT_CASES, Unit
from copydesk.models.errors import StageUnavailable
from copydesk.models.memory import release

# (ids, token types, attention mask), each (rows × width) int64 -> probabilities
# (rows × width × output cases) float32.
BatchScorer = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
_THREADS = {"intra_op": 0}
PADDING_WASTE = 0.2  # measured: lines in batches of 64 ran 1.4x faster than with fixed batches
# Up to this many padded positions in all (one full batch's worth, so no more activation
# memory than one batch of 64 rows of 128 pieces), a call's batches run side by side, one
# thread each, in pieces of at most `PIECE_POSITIONS` taken by whichever thread is free,
# rather than one after another on every core: a run of a few short rows keeps several
# threads poorly busy. The seed article's four runs on two idle cores: 35.8 -> 30.6 ms,
# 65 -> 61 ms of CPU; the probabilities are bit for bit the same (a row's do not depend
# on the rows beside it, nor on its padding).
SIDE_BY_SIDE_POSITIONS = 64 * 128
PIECE_POSITIONS = 512


def set_inference_threads(threads: int) -> None:
    """Threads each graph run uses from now on (batch workers split the cores)."""
    _THREADS["intra_op"] = max(0, int(threads))
    _session.cache_clear()


@cache
def _session(path: str, threads: int):  # noqa: ANN202 - onnxruntime.InferenceSession
    import onnxruntime  # late: ONNX Runtime loads only where a casing model runs

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # Idle threads sleep rather than spin: LanguageTool shares the cores between runs.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # No arena and no memory pattern: a batch of 64 rows of 128 pieces takes about 200 MB
    # of activations, which an arena keeps for the life of the process; without one, the
    # buffers go back to the C heap (and to the system: `copydesk.models.memory.release`).
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


class OnnxScorer:
    """The network's exported graph, run by ONNX Runtime."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.threads = _THREADS["intra_op"]
        try:
            # The session an article's runs side by side use (`run_many`), made now so
            # that a broken graph shows at load; the one on every thread only if needed.
            _session(self.path, 1 if self.threads == 0 else self.threads)
        except ImportError as exc:
            raise StageUnavailable("casing", "the casing model needs onnxruntime") from exc

    @property
    def session(self):  # noqa: ANN201 - onnxruntime.InferenceSession
        """The session on every thread (or on those `set_inference_threads` set at load)."""
        return _session(self.path, self.threads)

    def __call__(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return _run(self.session, ids, types, mask)

    def run_many(self, batches: Sequence[tuple[np.ndarray, ...]]) -> list[np.ndarray]:
        """Each batch's probabilities: small calls (`SIDE_BY_SIDE_POSITIONS`) in pieces
        side by side, one thread each, this one included; larger ones one batch after
        another on every thread. Only with the default threads: a caller that set them
        (`set_inference_threads`) splits the cores itself."""
        workers = _cores()
        positions = sum(batch[0].size for batch in batches)
        threads = self.threads or _THREADS["intra_op"]  # set at load, or since
        if threads != 0 or workers < 2 or positions > SIDE_BY_SIDE_POSITIONS:
            return [self(*batch) for batch in batches]
        pieces = []  # (batch, first row, the rows' arrays); the heaviest go first
        for b, arrays in enumerate(batches):
            rows, width = arrays[0].shape
            step = max(1, PIECE_POSITIONS // max(1, width))
            pieces += [(b, i, tuple(a[i : i + step] for a in arrays)) for i in range(0, rows, step)]
        workers = min(workers, len(pieces))
        pieces.sort(key=lambda piece: -piece[2][0].size)
        session = _session(self.path, 1)
        scored: list[np.ndarray | None] = [None] * len(pieces)
        left = iter(range(len(pieces)))
        lock = threading.Lock()

        def take() -> None:  # the next piece not taken, until none is left
            while True:
                with lock:
                    k = next(left, None)
                if k is None:
                    return
                scored[k] = _run(session, *pieces[k][2])

        # This thread takes pieces too: one thread fewer, and one allocator arena fewer
        # holding freed activations (glibc gives each thread that allocates its own).
        helpers = [_pool(_cores() - 1).submit(take) for _ in range(workers - 1)]
        try:
            take()
        finally:
            for helper in helpers:
                helper.result()
        parts: list[list[tuple[int, np.ndarray]]] = [[] for _ in batches]
        for (b, first, _), probs in zip(pieces, scored, strict=True):
            parts[b].append((first, probs))
        return [np.concatenate([p for _, p in sorted(part, key=lambda x: x[0])]) for part in parts]


def _run(session, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:  # noqa: ANN001
    feeds = {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}
    return session.run(None, feeds)[0]


def _cores() -> int:
    """The CPU cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@cache
def _pool(workers: int) -> ThreadPoolExecutor:
    """Threads for `OnnxScorer.run_many`, shared by every caller."""
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="copydesk-casing")


class CasingModel:
    """A model folder: predicts, per unit, a distribution over output cases."""

    def __init__(
        self,
        scorer: BatchScorer,
        sp: spm.SentencePieceProcessor,
        lexicon: CasingLexicon,
        settings: dict,
    ) -> None:
        self.scorer = scorer
        self.featurizer = Featurizer(sp, lexicon)
        # With ``"knowledge": true`` in its settings (the shipped model), the rules read
        # the lexicon with what all the cased text knows; the network reads the names it
        # was trained with.
        knowledge = read_knowledge() if settings.get("knowledge") else None
        self.lexicon = lexicon.with_knowledge(knowledge) if knowledge else lexicon
        self.settings = settings
        self.max_len = int(settings["max_len"])
        self.pad_id = sp.pad_id()

    @classmethod
    def load(cls, path: str | Path, scorer: BatchScorer | None = None) -> CasingModel:
        """Read a model folder; its network is ``model.onnx`` unless ``scorer`` is given."""
        folder = Path(path)
        settings = read_settings(folder)
        sp = spm.SentencePieceProcessor(model_file=str(folder / SPM_FILE))
        lexicon = read_lexicon(folder / LEXICON_FILE)
        if scorer is None:
            onnx = folder / ONNX_FILE
            if not onnx.is_file():
                raise StageUnavailable(
                    "casing",
                    f"no {ONNX_FILE} in {folder} (copydesk train casing --out {folder} "
                    "--export-only writes it from the torch weights)",
                )
            scorer = OnnxScorer(onnx)
        model = cls(scorer, sp, lexicon, settings)
        release()  # what reading the lexicon and the knowledge left on the C heap
        return model

    def save_settings(self, path: str | Path) -> None:
        """Write ``casing.json`` alone (a re-tuned threshold, say), the weights untouched."""
        write_settings(Path(path), self.settings)

    def batch_arrays(self, rows: Sequence[Encoded]) -> tuple[np.ndarray, ...]:
        """Padded ids, type ids and attention mask for rows."""
        width = max(len(r.ids) for r in rows)
        ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
        types = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, row in enumerate(rows):
            n = len(row.ids)
            ids[i, :n] = row.ids
            types[i, :n] = row.types
            mask[i, :n] = 1
        return ids, types, mask

    def predict(
        self,
        sentences: Sequence[tuple[Sequence[Unit], Sequence[str]]],
        *,
        batch_rows: int = 64,
    ) -> list[np.ndarray]:
        """Per sentence, an array (units × output cases) of probabilities.

        Rows are batched by length (`length_batches`), so a batch pads little.
        """
        rows: list[tuple[int, Encoded]] = []
        for s, (units, texts) in enumerate(sentences):
            rows.extend((s, row) for row in self.featurizer.encode(units, texts, self.max_len))
        row_probs: list[np.ndarray | None] = [None] * len(rows)
        chunks = length_batches([len(r.ids) for _, r in rows], batch_rows)
        arrays = [self.batch_arrays([rows[i][1] for i in chunk]) for chunk in chunks]
        run_many = getattr(self.scorer, "run_many", None)
        scored = run_many(arrays) if run_many else [self.scorer(*a) for a in arrays]
        for chunk, probs in zip(chunks, scored, strict=True):
            for k, i in enumerate(chunk):
                row_probs[i] = probs[k, rows[i][1].unit_positions]
        out: list[list[np.ndarray]] = [[] for _ in sentences]
        for (s, _), probs in zip(rows, row_probs, strict=True):
            out[s].append(probs)
        return [
            np.concatenate(parts) if parts else np.zeros((0, len(OUTPUT_CASES))) for parts in out
        ]


def length_batches(
    lengths: Sequence[int], most: int, waste: float = PADDING_WASTE
) -> list[list[int]]:
    """Indices in batches of at most ``most``, by length, each padded by at most ``waste``.

    A batch is padded to its longest row; rows of like length together keep the padding
    (work the network does for nothing) within ``waste`` of the real pieces.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    real = 0
    for i in order:
        batch = batches[-1] if batches else None
        if batch is not None and len(batch) < most:
            padded = (len(batch) + 1) * lengths[i]  # sorted: this row is the longest
            if padded <= (1 + waste) * (real + lengths[i]):
                batch.append(i)
                real += lengths[i]
                continue
        batches.append([i])
        real = lengths[i]
    return batches


def read_settings(folder: Path) -> dict:
    """A model folder's ``casing.json``; `StageUnavailable` if it is not a casing model."""
    path = folder / SETTINGS_FILE
    if not path.is_file():
        raise StageUnavailable("casing", f"no casing model at {folder}")
    settings = json.loads(path.read_text(encoding="utf-8"))
    if settings.get("format") != FORMAT:
        raise StageUnavailable("casing", f"casing model format {settings.get('format')!r}")
    return settings


def write_settings(folder: Path, settings: dict) -> None:
    (folder / SETTINGS_FILE).write_text(
        json.dumps(settings, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
