"""Settings from the environment (and an optional ``.env``), through pydantic-settings.

Every option has a ``PAPERBOT_`` environment variable except the token, which uses Telegram's
usual ``TELEGRAM_BOT_TOKEN``. Command-line flags override the environment. The token is a
``SecretStr``: it prints as ``**********`` and never reaches a log line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# A Bot API token: the bot id, a colon, and 35 URL-safe characters (per @BotFather).
TOKEN_PATTERN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")

# Updates handled at once by default (PAPERBOT_CONCURRENT_UPDATES), from benchmarks/endtoend.py.
# One at a time caps the bot at one answer per round trip to Telegram: with every Bot API call
# answered 50 ms late, 100 users got 16 answers/s, against about 120/s with 16. More than 16
# costs CPU: httpx's connection pool does work per request for every open connection
# (encode/httpcore#1035), and CPU per answer went up 1.5-2.5x at 32 and 4-5x at 64, for an
# echo bot as much as for paperbot. 16 also keeps the 28.5/s rate limiter fed with round trips
# of up to half a second.
DEFAULT_CONCURRENT_UPDATES = 16


def default_db_path() -> Path:
    """The per-user data directory: ``$XDG_DATA_HOME/paperbot/paperbot.sqlite3``
    (``~/.local/share/...`` when unset; ``%APPDATA%`` on Windows)."""
    if os.name == "nt":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "paperbot" / "paperbot.sqlite3"


class ConfigError(Exception):
    """The configuration is unusable; the message says which setting and why."""


class Settings(BaseSettings):
    """paperbot's settings. See the configuration table in README.md."""

    model_config = SettingsConfigDict(
        env_prefix="PAPERBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "PAPERBOT_TOKEN")
    )
    db: Path = Field(default_factory=default_db_path)
    knowledge_dir: Path | None = None
    base_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    port: int = 8443
    secret_token: SecretStr | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    reminder_interval: int = Field(default=60, ge=5, le=3600)
    # Updates handled at once (ApplicationBuilder.concurrent_updates); 1 = one at a time. A
    # chat's own updates always run one after the other (bot/telegram/app.py, ChatOrderedUpdates).
    concurrent_updates: int = Field(default=DEFAULT_CONCURRENT_UPDATES, ge=1, le=512)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    def token(self) -> str:
        """Return the token, validated.

        Raises:
            ConfigError: if it is missing or malformed (the message never contains it).
        """
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and export it, "
                "or try the bot without one: paperbot chat"
            )
        value = self.telegram_bot_token.get_secret_value().strip()
        if not TOKEN_PATTERN.match(value):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is malformed: it should look like 123456789:AA... "
                "(digits, a colon, then 35 letters, digits, '_' or '-')"
            )
        return value


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment and ``.env``; ``overrides`` win (None is ignored).

    Raises:
        ConfigError: when a value does not validate (names the setting, not its value).
    """
    values = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**values)  # type: ignore[arg-type]
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in err.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from None
