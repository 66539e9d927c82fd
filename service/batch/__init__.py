"""Batch cleanup jobs: files in, files out, in checkpointed chunks that survive a kill."""
