"""Command line: ``paperbot run | chat | ask | check | backup``.

Exit codes: 0 success; 1 ``ask`` found no paper; 2 configuration, catalogue or database
problem (one line on stderr, never a stack trace or the token).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.core.catalogue import Catalogue, CatalogueError, load_catalogue
from bot.storage import SCHEMA_VERSION, StorageError, Store


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="paperbot",
        description="A Telegram bot for Ilya Sutskever's ~30 papers and Li Mu's paper-reading "
        "list, in English and Chinese.",
    )
    p.add_argument(
        "--db", type=Path, help="SQLite file (env PAPERBOT_DB; default: the user data directory)"
    )
    p.add_argument(
        "--knowledge",
        type=Path,
        help="knowledge directory (env "
        "PAPERBOT_KNOWLEDGE_DIR; default: the one shipped with paperbot)",
    )
    p.add_argument(
        "--log-level",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="log level (env PAPERBOT_LOG_LEVEL; default INFO)",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_run(sub)

    chat = sub.add_parser("chat", help="talk to the bot in this terminal (no token needed)")
    chat.add_argument("--lang", choices=["en", "zh", "zh-hant"], help="reply language")

    ask = sub.add_parser("ask", help="answer one question, or one per stdin line with --json")
    ask.add_argument("question", nargs="?", help="the question (omit with --json to read stdin)")
    ask.add_argument("--json", action="store_true", help="one JSON object per line")

    sub.add_parser(
        "check",
        help="validate configuration, catalogue and database (read-only; never creates "
        "the database); exit 0 or 2",
    )

    backup = sub.add_parser(
        "backup",
        help="copy the database to PATH while the bot may be running (SQLite online backup)",
    )
    backup.add_argument("path", type=Path, metavar="PATH", help="the backup file to write")
    backup.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    return p


def _add_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``run`` command and its options."""
    run = sub.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    run.add_argument(
        "--base-url",
        help="Bot API base URL, e.g. http://127.0.0.1:8081/bot (env PAPERBOT_BASE_URL)",
    )
    run.add_argument("--webhook-url", help="public HTTPS URL for webhook mode (default: polling)")
    run.add_argument("--port", type=int, help="webhook listen port (default 8443)")
    run.add_argument("--listen", help="webhook listen address (default 0.0.0.0)")
    run.add_argument(
        "--secret-token",
        help="webhook secret token, 1-256 of A-Z a-z 0-9 _ - (env PAPERBOT_SECRET_TOKEN); "
        "required in webhook mode",
    )
    run.add_argument(
        "--no-secret-token",
        action="store_true",
        default=None,
        help="webhook mode without a secret token (anyone who finds the URL can post updates)",
    )


def _fail(message: str) -> int:
    print(f"paperbot: {message}", file=sys.stderr)
    return 2


def _catalogue(settings: Settings) -> Catalogue:
    return load_catalogue(settings.knowledge_dir)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``paperbot`` command."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(
            db=args.db,
            knowledge_dir=args.knowledge,
            log_level=args.log_level,
            base_url=getattr(args, "base_url", None),
            webhook_url=getattr(args, "webhook_url", None),
            port=getattr(args, "port", None),
            webhook_listen=getattr(args, "listen", None),
            secret_token=getattr(args, "secret_token", None),
            no_secret_token=getattr(args, "no_secret_token", None),
        )
        from bot.logs import setup_logging

        setup_logging(settings.log_level)
        if args.command == "ask":
            catalogue = _catalogue(settings)
            from bot.console import ask, ask_json

            if args.json:
                if args.question is not None:
                    return ask_json(catalogue, [args.question], sys.stdout)  # type: ignore[arg-type]
                return ask_json(catalogue, sys.stdin, sys.stdout)
            if not args.question:
                return _fail('ask needs a question, e.g. paperbot ask "what is ResNet"')
            return ask(catalogue, args.question, sys.stdout)
        if args.command == "check":
            return asyncio.run(_check(settings))
        if args.command == "backup":
            return asyncio.run(_backup(settings, args.path, force=args.force))
        if args.command == "chat":
            return asyncio.run(_chat(settings, args.lang))
        if args.command == "run":
            return _run(settings)
    except ConfigError as err:
        return _fail(str(err))
    except CatalogueError as err:
        return _fail(f"knowledge error: {err}")
    except StorageError as err:
        return _fail(f"database error: {err}")
    except KeyboardInterrupt:
        return 130
    return 2


def _run(settings: Settings) -> int:
    """``paperbot run``: check the token and the webhook settings before anything is started,
    then run until SIGINT/SIGTERM. A start-up that cannot reach the Bot API, a port in use or
    a lost database end with one line (exit 2)."""
    token = settings.token()
    settings.webhook_secret()
    catalogue = _catalogue(settings)
    from bot.telegram.app import StartupError, run

    try:
        run(settings, token, catalogue)
    except StartupError as err:
        return _fail(str(err))
    return 0


async def _chat(settings: Settings, lang: str | None) -> int:
    from bot.console import chat
    from bot.features.common import Services

    catalogue = _catalogue(settings)
    storage = await Store.open(settings.db)
    try:
        return await chat(
            Services(catalogue, storage),
            lang=lang,
            reminder_interval=float(settings.reminder_interval),
        )
    finally:
        await storage.close()


async def _check(settings: Settings) -> int:
    """Check the catalogue and its quiz questions, the database (opened read-only: never
    created or migrated) and the token; print one line. A missing database is a problem
    (exit 2)."""
    from bot.core.knowledge import default_knowledge_dir
    from bot.core.knowledge.quiz import load_quiz

    catalogue = _catalogue(settings)
    directory = catalogue.directory or default_knowledge_dir()
    questions = sum(map(len, load_quiz(directory, frozenset(catalogue.papers)).values()))
    store = await Store.open(settings.db, readonly=True)
    try:
        version = await store.db.schema_version()
    finally:
        await store.close()
    schema = f"schema v{version}"
    if version < SCHEMA_VERSION:
        schema += f", migrated to v{SCHEMA_VERSION} at the next start"
    token = "not set (chat/ask only)"
    if settings.telegram_bot_token is not None:
        settings.token()
        token = "set"
    logging.getLogger("paperbot").debug("check ok")
    print(
        f"ok: {len(catalogue.papers)} papers in {len(catalogue.lists)} lists, {questions} quiz "
        f"questions; database "
        f"{settings.db} ({schema}); token {token}"
    )
    return 0


async def _backup(settings: Settings, target: Path, *, force: bool) -> int:
    """Copy the database to ``target`` with SQLite's online backup API; print one line.

    The database is opened read-only, so a running bot is not disturbed and a missing
    database is reported (exit 2), never created.
    """
    store = await Store.open(settings.db, readonly=True)
    try:
        size = await store.db.backup(target, overwrite=force)
        version = await store.db.schema_version()
    finally:
        await store.close()
    print(f"ok: backed up {settings.db} to {target} ({size:,} bytes, schema v{version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
