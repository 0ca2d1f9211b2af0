"""paperbot: a Telegram bot for the classic AI reading lists, in English and Chinese."""

__version__ = "0.1.0"
