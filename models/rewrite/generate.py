"""Generate rewrites and score them: the model's own likelihood of the rewrite vs the MT.

The quality check the stage uses is the fine-tuned model's mean log-probability per
token of each candidate (the rewrite, and the MT copied unchanged) given the prompt:
a rewrite is only worth proposing when the model prefers it to the MT by a margin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from copydesk.models.rewrite.loading import Generator
from copydesk.models.rewrite.prompt import build_prompt


@dataclass(frozen=True)
class Candidate:
    mt: str
    rewrite: str
    gain: float  # mean log-prob per token of the rewrite minus that of the MT


class Rewriter:
    """Batched greedy rewriting and likelihood scoring with one loaded model."""

    def __init__(
        self, generator: Generator, *, batch_size: int = 16, max_new_tokens: int = 160
    ) -> None:
        self.gen = generator
        self.batch_size = batch_size
        self.max_new_tokens = max_new_tokens

    def rewrite_many(
        self, sentences: Sequence[str], sources: Sequence[str | None] | None = None
    ) -> list[Candidate]:
        """Rewrite each sentence (given its source sentence where ``sources`` has one)."""
        srcs = _sources(sentences, sources)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]) + len(srcs[i] or ""))
        results: dict[int, Candidate] = {}
        for k in range(0, len(order), self.batch_size):
            idx = order[k : k + self.batch_size]
            batch = [sentences[i] for i in idx]
            batch_sources = [srcs[i] for i in idx]
            rewrites = self._generate(batch, batch_sources)
            mt_lp = self.log_likelihood(batch, batch, batch_sources)
            rw_lp = self.log_likelihood(batch, rewrites, batch_sources)
            for i, mt, rw, a, b in zip(idx, batch, rewrites, mt_lp, rw_lp, strict=True):
                results[i] = Candidate(mt, rw, round(b - a, 4))
        return [results[i] for i in range(len(sentences))]

    def _generate(self, sentences: Sequence[str], sources: Sequence[str | None]) -> list[str]:
        import torch  # late: torch is the rewrite extra's

        tok, model = self.gen.tokenizer, self.gen.model
        prompts = [build_prompt(s, src) for s, src in zip(sentences, sources, strict=True)]
        longest = max(len(tok(s, add_special_tokens=False)["input_ids"]) for s in sentences)
        limit = min(self.max_new_tokens, 2 * longest + 8)
        if self.gen.seq2seq:
            enc = tok(prompts, return_tensors="pt", padding=True)
        else:
            tok.padding_side = "left"
            enc = tok(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
        enc = enc.to(model.device)
        with torch.no_grad():
            ids = model.generate(
                **enc,
                max_new_tokens=limit,
                do_sample=False,
                num_beams=1,
                pad_token_id=tok.pad_token_id,
                eos_token_id=tok.eos_token_id,
            )
        new = ids if self.gen.seq2seq else ids[:, enc["input_ids"].shape[1] :]
        texts = tok.batch_decode(new, skip_special_tokens=True)
        return [t.split("\n", 1)[0].strip() for t in texts]

    def log_likelihood(
        self,
        sentences: Sequence[str],
        targets: Sequence[str],
        sources: Sequence[str | None] | None = None,
    ) -> list[float]:
        """Mean log-probability per token of each target (plus end of text) given its prompt."""
        import torch  # late: the rewrite extra's

        tok, model = self.gen.tokenizer, self.gen.model
        srcs = _sources(sentences, sources)
        rows = []
        for s, t, src in zip(sentences, targets, srcs, strict=True):
            prompt = tok(build_prompt(s, src), add_special_tokens=False)["input_ids"]
            target = tok(t, add_special_tokens=False)["input_ids"] + [tok.eos_token_id]
            rows.append((prompt, target))
        if self.gen.seq2seq:
            return self._seq2seq_likelihood(rows)
        width = max(len(p) + len(t) for p, t in rows)
        ids = torch.full((len(rows), width), tok.pad_token_id, dtype=torch.long)
        labels = torch.full((len(rows), width), -100, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for r, (p, t) in enumerate(rows):
            ids[r, : len(p) + len(t)] = torch.tensor(p + t)
            labels[r, len(p) : len(p) + len(t)] = torch.tensor(t)
            mask[r, : len(p) + len(t)] = 1
        with torch.no_grad():
            logits = model(input_ids=ids.to(model.device), attention_mask=mask.to(model.device))
        return _mean_logprob(logits.logits[:, :-1], labels[:, 1:].to(model.device))

    def _seq2seq_likelihood(self, rows: list) -> list[float]:
        import torch  # late: the rewrite extra's

        tok, model = self.gen.tokenizer, self.gen.model
        width_in = max(len(p) for p, _ in rows)
        width_out = max(len(t) for _, t in rows)
        ids = torch.full((len(rows), width_in), tok.pad_token_id, dtype=torch.long)
        mask = torch.zeros_like(ids)
        labels = torch.full((len(rows), width_out), -100, dtype=torch.long)
        for r, (p, t) in enumerate(rows):
            ids[r, : len(p)] = torch.tensor(p)
            mask[r, : len(p)] = 1
            labels[r, : len(t)] = torch.tensor(t)
        ids, mask, labels = (t.to(model.device) for t in (ids, mask, labels))
        with torch.no_grad():
            logits = model(input_ids=ids, attention_mask=mask, labels=labels).logits
        return _mean_logprob(logits, labels)


def _sources(sentences: Sequence[str], sources: Sequence[str | None] | None) -> list:
    """One source (or None) per sentence."""
    return list(sources) if sources is not None else [None] * len(sentences)


def _mean_logprob(logits, labels) -> list[float]:  # noqa: ANN001
    import torch  # late: the rewrite extra's

    logp = torch.log_softmax(logits.float(), dim=-1)
    keep = labels != -100
    picked = logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1) * keep
    return (picked.sum(-1) / keep.sum(-1).clamp(min=1)).tolist()
