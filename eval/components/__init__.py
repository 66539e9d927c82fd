"""Evaluations of the engine's parts: casing, names, grammar, rewrite, edit classes, harm.

Each takes suites (`copydesk.eval.suites`) for its data, not paths of its own.
"""
