"""The one rule for the confidence at which a stage's edits are applied.

Each stage's threshold is, first found wins:

1. the caller's explicit value for this request: ``copydesk repair --threshold``,
   ``copydesk batch --threshold``, the HTTP ``threshold`` field, a batch job's threshold,
   or else ``COPYDESK_THRESHOLD`` in the environment. It overrides every stage's own;
2. the stage's ``threshold`` in the pipeline file;
3. the stage's own threshold (the casing model's tuned 0.99, the entities stage's 0.7);
4. the pipeline file's top-level ``threshold`` (0.5 when the file has none).

An edit whose confidence reaches its stage's threshold is applied; below it, it is a
suggestion. A stage proposes nothing below its own floor, whatever the threshold (the
casing stage offers nothing under 0.5, say), and an edit a stage only offers
(``applied=False``) stays a suggestion at any threshold.
"""

from __future__ import annotations

from copydesk.models.errors import ConfigError

DEFAULT_THRESHOLD = 0.5


def check_threshold(value: float, what: str = "threshold") -> float:
    """``value`` as a float, or `ConfigError` unless it is a number in [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ConfigError(f"{what} must be a number in [0, 1], not {value!r}")
    return float(value)


def resolve_threshold(
    *,
    requested: float | None,
    configured: float | None,
    own: float | None,
    default: float,
) -> float:
    """A stage's threshold by the module's rule, from the most to the least specific say."""
    for value in (requested, configured, own):
        if value is not None:
            return float(value)
    return float(default)
