"""The one settings object of the service layer, read from ``COPYDESK_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Service settings; `models/` and `eval/` never see this object."""

    model_config = SettingsConfigDict(env_prefix="COPYDESK_", extra="ignore")

    pipeline: Path | None = Field(
        default=None, description="Pipeline TOML file; the packaged default when unset."
    )
    threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Confidence below which edits are suggestions; the pipeline's own if unset.",
    )
    data_dir: Path = Field(
        default=Path(__file__).resolve().parent.parent.parent / "shared" / "data",
        description="The shared training and development corpora (training and evaluation only).",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
