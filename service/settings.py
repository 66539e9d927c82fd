"""The one settings object of the service layer, read from ``COPYDESK_*`` environment variables."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PrivateAttr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from copydesk.eval.data import DEFAULT_DATA_DIR

MAX_TEXT_CHARS = 100_000
DEFAULT_NEWSROOM = "default"
NEWSROOM_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


@dataclass(frozen=True)
class Caller:
    """Who makes a request: the newsroom its key belongs to, and whether it is an admin."""

    newsroom: str
    admin: bool = False
    key: str | None = None  # None when keys are off

    def sees(self, newsroom: str) -> bool:
        """Whether this caller may read and change what ``newsroom`` stored."""
        return self.admin or newsroom == self.newsroom


class Newsroom(BaseModel):
    """One newsroom of ``COPYDESK_NEWSROOMS``: its keys and their role."""

    model_config = ConfigDict(extra="forbid")  # a misspelt "role" must not make a member
    keys: list[str] = Field(min_length=1, description="The API keys of the newsroom.")
    role: Literal["member", "admin"] = Field(
        default="member",
        description="`admin`: its keys may list, read, change and delete every newsroom's "
        "things, and see every newsroom's stats.",
    )
    jobs_allowed_dir: Path | None = Field(
        default=None,
        description="The server-side folder its jobs may name as input; unset, "
        "COPYDESK_JOBS_ALLOWED_DIR (which every newsroom without a folder of its own shares).",
    )
    lexicon: Path | None = Field(
        default=None,
        description="Its newsroom lexicon (names and casings, `copydesk learn-names`); unset, "
        "`<name>.json.gz` in COPYDESK_LEXICONS_DIR where that exists, else COPYDESK_LEXICON.",
    )


def key_newsroom(key: str) -> str:
    """The newsroom of a key of the plain ``COPYDESK_API_KEYS`` list: its own, named by a
    hash of the key (stable across restarts, and never the key itself)."""
    return "key-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


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
        description="Confidence from which edits are applied, for every stage, when a request "
        "gives none; unset, each stage's own (see copydesk.models.thresholds).",
    )
    checks: bool = Field(
        default=True,
        description="Whether repair results carry the checks' flags and a quality estimate "
        "per sentence (a pipeline file's `checks = false` also turns them off).",
    )
    host: str = Field(default="127.0.0.1", description="Address `copydesk serve` binds.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `copydesk serve` binds.")
    max_text_chars: int = Field(
        default=MAX_TEXT_CHARS,
        ge=1,
        description="Longest text accepted in one request item (413 past it).",
    )
    max_source_chars: int = Field(
        default=MAX_TEXT_CHARS,
        ge=1,
        description="Longest source (the original the text was translated from) accepted "
        "in one request item (413 past it).",
    )
    max_request_bytes: int = Field(
        default=1_000_000, ge=1, description="Largest request body accepted (413 past it)."
    )
    max_input_bytes: int = Field(
        default=10_000_000,
        ge=1,
        description="Largest file `copydesk repair` reads (batch jobs take larger inputs).",
    )
    request_seconds: float = Field(
        default=60.0,
        gt=0,
        description="Time budget of one HTTP request; past it the answer is 503 naming the "
        "stages it could not run.",
    )
    key_rate: str = Field(
        default="600/minute",
        description="Requests each API key may make (the limits library's notation).",
    )
    key_concurrency: int = Field(
        default=8, ge=1, description="Requests each API key may have in flight at once."
    )
    api_keys: list[str] = Field(
        default_factory=list,
        description="When set (a JSON list), requests to /v1 need one in the X-API-Key header; "
        "each of these keys is a newsroom of its own.",
    )
    newsrooms: dict[str, Newsroom] = Field(
        default_factory=dict,
        description='Newsrooms and their keys, as JSON: {"daily": {"keys": ["k1", "k2"]}, '
        '"ops": {"keys": ["k3"], "role": "admin"}}. Every stored thing belongs to the '
        "newsroom of the key that made it; another newsroom's ids answer 404.",
    )
    metrics_key: str | None = Field(
        default=None,
        description="When set, /metrics needs it (`Authorization: Bearer <key>`).",
    )
    cors_origins: str = Field(
        default="",
        description="Web origins whose pages may call the API from a browser (CORS), comma "
        "separated, e.g. https://cms.example.org; `*` for every origin. Unset, none: "
        "LanguageTool's server without --allow-origin does the same.",
    )
    languagetool_passthrough: bool = Field(
        default=True,
        description="Whether /v2/check also returns LanguageTool's own matches in the "
        "categories copydesk does not act on (spelling, typography, style), as a "
        "LanguageTool server would; copydesk's edits come back either way.",
    )
    languagetool_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("LANGUAGETOOL_URL", "COPYDESK_LANGUAGETOOL_URL"),
        description="An existing LanguageTool server; unset, the grammar stage starts its own "
        "from the jars in .languagetool/lib (make languagetool).",
    )
    languagetool_lib: Path | None = Field(
        default=None,
        description="Folder with LanguageTool's jars for the server the grammar stage starts; "
        "unset, the checkout's .languagetool/lib (make languagetool fills it).",
    )
    database_url: str = Field(
        default="sqlite:///copydesk-state/copydesk.db",
        validation_alias=AliasChoices("DATABASE_URL", "COPYDESK_DATABASE_URL"),
        description="SQLAlchemy URL of the state database (glossaries, feedback); SQLite by "
        "default, e.g. postgresql+psycopg://user@127.0.0.1:5432/copydesk for PostgreSQL.",
    )
    jobs_dir: Path = Field(
        default=Path("copydesk-state/jobs"), description="Where HTTP batch jobs keep their files."
    )
    jobs_allowed_dir: Path | None = Field(
        default=None, description="Server-side folder a job may name as its input (unset: none)."
    )
    job_workers: int = Field(default=1, ge=0, le=16, description="Jobs run at once (0: none).")
    learn_seconds: float = Field(
        default=0.0,
        ge=0.0,
        description="Relearn every newsroom from its decisions this often, in seconds "
        "(0: only on demand, POST /v1/learn or `copydesk learn`).",
    )
    learn_precision: float = Field(
        default=0.95,
        gt=0.0,
        le=1.0,
        description="The share of applied edits editors should accept: a learned cutoff "
        "comes down over a band of a rule's suggestions only where editors accept at least "
        "this share of that band, with 95% confidence.",
    )
    data_dir: Path = Field(
        default=DEFAULT_DATA_DIR,
        description="The shared training and development corpora (training and evaluation only).",
    )

    lexicon: Path | None = Field(
        default=None,
        description="A newsroom lexicon (names and casings, `copydesk learn-names`) the "
        "casing stage reads for every text a newsroom of its own does not replace.",
    )
    lexicons_dir: Path | None = Field(
        default=None,
        description="A folder of newsroom lexicons, `<newsroom>.json.gz` each, for the "
        "service's requests.",
    )

    _callers: dict[str, Caller] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _one_newsroom_per_key(self) -> Settings:
        callers: dict[str, Caller] = {}
        for name, newsroom in self.newsrooms.items():
            if not re.fullmatch(NEWSROOM_NAME, name):
                raise ValueError(
                    f"newsroom name {name!r}: letters, digits, '_', '-', '.', at most 64"
                )
            for key in newsroom.keys:
                if not key.strip():
                    raise ValueError(f"newsroom {name!r} has an empty key")
                if key in callers:
                    raise ValueError(f"a key of newsroom {name!r} is given twice")
                callers[key] = Caller(name, admin=newsroom.role == "admin", key=key)
        for key in self.api_keys:
            if not key.strip():
                raise ValueError("COPYDESK_API_KEYS has an empty key")
            if key in callers:
                raise ValueError("a key of COPYDESK_API_KEYS is also a newsroom's key")
            callers[key] = Caller(key_newsroom(key), key=key)
        self._callers = callers
        return self

    @property
    def cors_origin_list(self) -> list[str]:
        """`cors_origins` as a list (empty: no CORS headers)."""
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @property
    def keys_required(self) -> bool:
        """Whether requests need an API key (some key is configured)."""
        return bool(self._callers)

    def caller(self, key: str | None) -> Caller | None:
        """The caller a key makes: with no keys configured, every request is the default
        newsroom's (local use); with keys, None for a missing or unknown key."""
        if not self._callers:
            return Caller(DEFAULT_NEWSROOM)
        return self._callers.get(key) if key is not None else None

    def allowed_dir_for(self, caller: Caller) -> Path | None:
        """The server-side folder the caller's jobs may read: its newsroom's own, else
        ``COPYDESK_JOBS_ALLOWED_DIR``."""
        newsroom = self.newsrooms.get(caller.newsroom)
        if newsroom is not None and newsroom.jobs_allowed_dir is not None:
            return newsroom.jobs_allowed_dir
        return self.jobs_allowed_dir

    def lexicon_for(self, caller: Caller) -> Path | None:
        """The newsroom lexicon of the caller's newsroom (None: the pipeline's own)."""
        newsroom = self.newsrooms.get(caller.newsroom)
        if newsroom is not None and newsroom.lexicon is not None:
            return newsroom.lexicon
        if self.lexicons_dir is not None:
            path = self.lexicons_dir / f"{caller.newsroom}.json.gz"
            if path.is_file():
                return path
        return None

    def threshold_for(self, explicit: float | None) -> float | None:
        """A request's threshold: the caller's explicit value, else ``COPYDESK_THRESHOLD``.

        Either overrides every stage's own (`copydesk.models.thresholds`); None leaves each
        stage at its pipeline file's or its own.
        """
        return explicit if explicit is not None else self.threshold

    def stage_overrides(self) -> dict[str, dict]:
        """Stage settings the environment decides (passed to `models.load`)."""
        grammar: dict[str, str] = {}
        if self.languagetool_url:
            grammar["url"] = self.languagetool_url
        elif self.languagetool_lib:
            grammar["lib_dir"] = str(self.languagetool_lib)
        overrides: dict[str, dict] = {"grammar": grammar} if grammar else {}
        if self.lexicon is not None:
            overrides["casing"] = {"lexicon": str(self.lexicon)}
        return overrides


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
