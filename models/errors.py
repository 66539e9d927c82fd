"""The copydesk exception tree, raised by the engine and translated only by `service/`.

CopydeskError
├── ConfigError            a pipeline file or stage setting is wrong
├── EditError              an edit is malformed or does not fit the text it is applied to
├── InputError             an input file or text cannot be read as given
└── StageError             a stage could not do its work (names the stage)
    └── StageUnavailable   the stage's backend or model is not there: reported as skipped
"""

from __future__ import annotations


class CopydeskError(Exception):
    """Root of every error copydesk raises on purpose."""


class ConfigError(CopydeskError):
    """A pipeline description, a stage name or a stage setting is invalid."""


class EditError(CopydeskError, ValueError):
    """An edit has invalid fields or does not match the text it is applied to."""


class InputError(CopydeskError, ValueError):
    """An input (a file to repair or score, a suite's files) cannot be read as given."""


class StageError(CopydeskError):
    """A stage failed; `stage` names it."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage
        self.reason = message


class StageUnavailable(StageError):
    """A stage cannot run here (backend down, model missing); the pipeline skips it."""
