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
# What Telegram accepts as a webhook secret token (setWebhook's secret_token).
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

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
    # Webhook mode without a secret token: anyone who finds the URL can post updates.
    no_secret_token: bool = False
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    reminder_interval: int = Field(default=60, ge=1, le=3600)
    # Messages per second overall (Telegram allows about 30). Only a local Bot API server or a
    # test has a reason to change it.
    send_rate: float = Field(default=30, gt=0, le=10_000)
    # Retries of each start-up call (getMe, the first getUpdates, setWebhook/deleteWebhook)
    # before `paperbot run` gives up; the waits double from 1 s (1+2+4+8+16 s for 5).
    startup_retries: int = Field(default=5, ge=0, le=20)
    # Updates handled at once (ApplicationBuilder.concurrent_updates); 1 = one at a time. A
    # chat's own updates always run one after the other (bot/telegram/app.py, ChatOrderedUpdates).
    concurrent_updates: int = Field(default=DEFAULT_CONCURRENT_UPDATES, ge=1, le=512)

    @field_validator("secret_token")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not SECRET_PATTERN.match(value.get_secret_value()):
            raise ValueError(
                "a webhook secret token is 1-256 characters, each one of A-Z, a-z, 0-9, _ "
                "and - (e.g. openssl rand -hex 32)"
            )
        return value

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

    def webhook_secret(self) -> str | None:
        """The secret token that webhook mode checks on every update (None: no check).

        Raises:
            ConfigError: webhook mode without a secret token and without ``no_secret_token``.
        """
        if self.secret_token is not None:
            return self.secret_token.get_secret_value()
        if self.webhook_url and not self.no_secret_token:
            raise ConfigError(
                "webhook mode needs a secret token, or anyone who finds the URL can post "
                'updates: pass --secret-token "$(openssl rand -hex 32)" (or set '
                "PAPERBOT_SECRET_TOKEN); --no-secret-token runs without one"
            )
        return None


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
