"""Settings: one object, built once at start-up and passed in.

Every value can be set with an environment variable carrying the ``TOCSIN_`` prefix
(``TOCSIN_DATABASE_URL``, ``TOCSIN_SECRET_KEY``…) or in a ``.env`` file.

Example::

    settings = Settings(database_url="sqlite:///./tocsin.db")
    engine = make_engine(settings)
"""

from __future__ import annotations

import json
import re
import secrets
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: The development key: accepted in development mode, refused in production.
DEFAULT_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class SettingsError(ValueError):
    """A setting is missing or unsafe; the message says which and how to fix it."""


class Settings(BaseSettings):
    """All of Tocsin's configuration."""

    model_config = SettingsConfigDict(
        env_prefix="TOCSIN_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = "sqlite:///./tocsin.db"
    secret_key: str = DEFAULT_SECRET_KEY
    redis_url: str = "redis://127.0.0.1:6379/0"
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    #: Largest accepted request body for the API, in bytes.
    max_request_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    #: Largest batch for ``POST /api/v1/posts``.
    max_batch: int = Field(default=1000, ge=1, le=10000)
    #: Failed logins allowed per account and per address in ``login_window_seconds``.
    login_max_attempts: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=300, ge=10)
    session_max_age_seconds: int = Field(default=12 * 3600, ge=60)

    #: Where SMTP notifications go.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_sender: str = "tocsin@localhost"

    default_locale: str = "en"

    #: The Bluesky AppView whose ``app.bsky.actor.getProfiles`` turns the DIDs of Jetstream
    #: posts into handles and display names; a source's ``appview`` setting overrides it.
    bluesky_appview_url: str = "https://public.api.bsky.app"

    #: ``builtin`` (Tocsin's own model) or ``hf:<hub name or local path>[@revision]``, which
    #: needs ``pip install 'tocsin[transformers]'`` (see docs/enrichment.md).
    sentiment_model: str = "builtin"
    #: Where a Hugging Face model runs: ``cpu``, ``cuda``, ``cuda:N`` or ``mps``.
    hf_device: str = "cpu"
    hf_batch_size: int = Field(default=32, ge=1, le=1024)
    #: Load Hugging Face models from the local cache only (air-gapped servers).
    hf_local_only: bool = False
    #: Model label → negative|neutral|positive, as JSON: ``{"LABEL_0": "negative", …}``.
    hf_label_map: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError(
                "TOCSIN_DATABASE_URL must start with sqlite:/// or postgresql+psycopg://"
            )
        if value.startswith("postgresql://"):
            return "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("bluesky_appview_url")
    @classmethod
    def _appview_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
            raise ValueError(
                "TOCSIN_BLUESKY_APPVIEW_URL must be an http(s) URL such as "
                "https://public.api.bsky.app"
            )
        return value

    @field_validator("sentiment_model")
    @classmethod
    def _known_sentiment_model(cls, value: str) -> str:
        value = value.strip()
        name = value.removeprefix("hf:").partition("@")[0].strip()
        if value == "builtin" or (value.startswith("hf:") and name and " " not in name):
            return value
        raise ValueError(
            "TOCSIN_SENTIMENT_MODEL must be builtin or hf:<model name or path>[@revision], "
            "e.g. hf:cardiffnlp/twitter-xlm-roberta-base-sentiment"
        )

    @field_validator("hf_device")
    @classmethod
    def _known_device(cls, value: str) -> str:
        if not re.fullmatch(r"cpu|mps|cuda(:\d+)?", value.strip()):
            raise ValueError("TOCSIN_HF_DEVICE must be cpu, cuda, cuda:N or mps")
        return value.strip()

    @field_validator("hf_label_map", mode="before")
    @classmethod
    def _label_map_from_json(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return json.loads(value) if value.strip() else {}
            except json.JSONDecodeError:
                raise ValueError(
                    'TOCSIN_HF_LABEL_MAP must be a JSON object, e.g. {"LABEL_0": "negative"}'
                ) from None
        return value

    @field_validator("hf_label_map")
    @classmethod
    def _label_map_polarities(cls, value: dict[str, str]) -> dict[str, str]:
        polarities = {"negative", "neutral", "positive"}
        wrong = sorted(
            label for label, polarity in value.items() if polarity.lower() not in polarities
        )
        if wrong:
            raise ValueError(
                f"TOCSIN_HF_LABEL_MAP: map {', '.join(map(repr, wrong))} to negative, neutral "
                "or positive"
            )
        return {label: polarity.lower() for label, polarity in value.items()}

    @model_validator(mode="after")
    def _safe_in_production(self) -> Self:
        weak = self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32
        if self.environment is Environment.PRODUCTION and weak:
            raise SettingsError(
                "TOCSIN_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production; generate one with: tocsin secret-key"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")


def generate_secret_key() -> str:
    """Return a fresh random key suitable for ``TOCSIN_SECRET_KEY``."""
    return secrets.token_urlsafe(48)
