"""Structured logging: one line per event, ``key=value`` pairs (logfmt).

Every record prints ``ts``, ``level``, ``logger`` and ``event``, plus any ``chat_id``,
``update_id`` or other fields passed through ``extra=``. httpx request logs are quiet (WARNING)
unless the level is DEBUG. A filter redacts Bot API tokens from every message, including URLs
that httpx or python-telegram-bot might log.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def redact(text: str) -> str:
    """Replace anything shaped like a Bot API token with ``<token>``."""
    return _TOKEN.sub("<token>", text)


def _quote(value: Any) -> str:
    text = redact(str(value))
    if not text or re.search(r'[\s="]', text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return text


class LogfmtFormatter(logging.Formatter):
    """Format a record as one logfmt line."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                fields[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            fields["error"] = f"{record.exc_info[0].__name__}: {record.exc_info[1]}"
        return " ".join(f"{k}={_quote(v)}" for k, v in fields.items())


class RedactFilter(logging.Filter):
    """Drop tokens from messages and arguments before any handler sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if record.args:
            record.args = (
                tuple(_redact_arg(a) for a in record.args)
                if isinstance(record.args, tuple)
                else record.args
            )
        return True


def _redact_arg(value: Any) -> Any:
    """Redact one ``%`` argument, keeping it as it is when it holds no token (so ``%d`` and
    ``%r`` still format: httpx logs its status code with ``%d``)."""
    text = str(value)
    clean = redact(text)
    return value if clean == text else clean


def setup_logging(level: str = "INFO") -> None:
    """Configure the root logger once: logfmt to stderr, tokens redacted, httpx quiet."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(LogfmtFormatter())
    handler.addFilter(RedactFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in ("httpx", "httpcore", "apscheduler", "bm25s"):
        logging.getLogger(name).setLevel(quiet)
