"""The casing model: a small BERT-style token classifier over sentencepiece pieces."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import sentencepiece as spm
import torch
from transformers import BertForTokenClassification

from copydesk.models.casing.config import FORMAT, LEXICON_FILE, SETTINGS_FILE, SPM_FILE
from copydesk.models.casing.features import Encoded, Featurizer
from copydesk.models.casing.lexicon import CasingLexicon
from copydesk.models.casing.units import OUTPUT_CASES, Unit
from copydesk.models.errors import StageUnavailable


class CasingModel:
    """Loads a model folder and predicts, per unit, a distribution over output cases."""

    def __init__(
        self,
        network: BertForTokenClassification,
        sp: spm.SentencePieceProcessor,
        lexicon: CasingLexicon,
        settings: dict,
    ) -> None:
        self.network = network.eval()
        self.featurizer = Featurizer(sp, lexicon)
        self.lexicon = lexicon
        self.settings = settings
        self.max_len = int(settings["max_len"])
        self.pad_id = sp.pad_id()

    @classmethod
    def load(cls, path: str | Path) -> CasingModel:
        folder = Path(path)
        settings_path = folder / SETTINGS_FILE
        if not settings_path.is_file():
            raise StageUnavailable("casing", f"no casing model at {folder}")
        settings = json.loads(settings_path.read_text(encoding="utf-8"))
        if settings.get("format") != FORMAT:
            raise StageUnavailable("casing", f"casing model format {settings.get('format')!r}")
        sp = spm.SentencePieceProcessor(model_file=str(folder / SPM_FILE))
        lexicon = CasingLexicon.load(folder / LEXICON_FILE)
        network = BertForTokenClassification.from_pretrained(folder)
        return cls(network, sp, lexicon, settings)

    def save(self, path: str | Path) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        self.network.save_pretrained(folder, safe_serialization=True)
        (folder / SPM_FILE).write_bytes(self.featurizer.sp.serialized_model_proto())
        self.lexicon.save(folder / LEXICON_FILE)
        self.save_settings(folder)

    def save_settings(self, path: str | Path) -> None:
        """Write ``casing.json`` alone (a re-tuned threshold, say), the weights untouched."""
        (Path(path) / SETTINGS_FILE).write_text(
            json.dumps(self.settings, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )

    def batch_tensors(self, rows: Sequence[Encoded]) -> tuple[torch.Tensor, ...]:
        """Padded ids, type ids and attention mask for rows."""
        width = max(len(r.ids) for r in rows)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        types = torch.zeros((len(rows), width), dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, row in enumerate(rows):
            n = len(row.ids)
            ids[i, :n] = torch.tensor(row.ids)
            types[i, :n] = torch.tensor(row.types)
            mask[i, :n] = 1
        return ids, types, mask

    def predict(
        self,
        sentences: Sequence[tuple[Sequence[Unit], Sequence[str]]],
        *,
        batch_rows: int = 64,
    ) -> list[np.ndarray]:
        """Per sentence, an array (units × output cases) of probabilities."""
        rows: list[tuple[int, Encoded]] = []
        for s, (units, texts) in enumerate(sentences):
            rows.extend((s, row) for row in self.featurizer.encode(units, texts, self.max_len))
        order = sorted(range(len(rows)), key=lambda i: len(rows[i][1].ids))
        row_probs: list[np.ndarray | None] = [None] * len(rows)
        with torch.inference_mode():
            for b in range(0, len(order), batch_rows):
                chunk = order[b : b + batch_rows]
                batch = self.batch_tensors([rows[i][1] for i in chunk])
                ids, types, mask = (t.to(self.network.device) for t in batch)
                logits = self.network(input_ids=ids, token_type_ids=types, attention_mask=mask)
                probs = torch.softmax(logits.logits.float(), dim=-1).cpu().numpy()
                for k, i in enumerate(chunk):
                    row_probs[i] = probs[k, rows[i][1].unit_positions]
        out: list[list[np.ndarray]] = [[] for _ in sentences]
        for (s, _), probs in zip(rows, row_probs, strict=True):
            out[s].append(probs)
        return [
            np.concatenate(parts) if parts else np.zeros((0, len(OUTPUT_CASES))) for parts in out
        ]
