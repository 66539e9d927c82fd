"""Scoring of repairs against reference corrections (metrics arrive with the scoring issue)."""

__all__: list[str] = []
