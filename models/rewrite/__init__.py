"""The rewrite model: a small causal (or seq2seq) LM fine-tuned to post-edit MT."""
