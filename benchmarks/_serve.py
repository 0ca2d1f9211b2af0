"""The bot processes of the end-to-end benchmark, polling a (fake) Bot API server.

``python -m benchmarks._serve echo --base-url URL`` runs a trivial echo bot: one
``MessageHandler`` that answers every message with its own text, with paperbot's ``Defaults``
(HTML parse mode, no link previews) and no rate limiter. With ``--card`` it answers every
message with the same paperbot card instead (ResNet's, with its four buttons), rendered once at
start-up: the cost of sending paperbot-sized replies, without paperbot's own work.

``python -m benchmarks._serve paperbot --base-url URL`` runs paperbot's own ``Application``,
built by :func:`bot.telegram.app.build_application` from the same settings as ``paperbot run``
(so ``PAPERBOT_CONCURRENT_UPDATES``, ``PAPERBOT_DB`` and ``TELEGRAM_BOT_TOKEN`` apply), but
with ``rate_limiter=False``: the 30 messages/s limiter would cap both bots at the same rate and
hide their cost. Everything else is as ``paperbot run`` builds it (handlers, INFO logs, SQLite,
the reminder job).

Both take ``--concurrent-updates N`` for ``ApplicationBuilder.concurrent_updates`` (paperbot
falls back to its setting) and poll with ``allowed_updates=Update.ALL_TYPES``, as
``paperbot run`` does. Importing this module starts nothing.
"""

from __future__ import annotations

import argparse
import html
import os
import sys


def echo(base_url: str, token: str, concurrent: int, card: bool = False) -> None:
    """Run the echo bot until SIGINT/SIGTERM.

    Args:
        base_url: Bot API base URL (``http://127.0.0.1:PORT/bot``).
        token: the bot token.
        concurrent: ``ApplicationBuilder.concurrent_updates``.
        card: answer with a fixed paperbot card and its keyboard instead of the text.
    """
    from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Update
    from telegram.constants import ParseMode
    from telegram.ext import ApplicationBuilder, ContextTypes, Defaults, MessageHandler, filters

    fixed: tuple[str, InlineKeyboardMarkup | None] | None = None
    if card:
        from bot.core.catalogue import load_catalogue
        from bot.features.render import card as render_card
        from bot.features.render import card_buttons
        from bot.features.reply import Reply
        from bot.telegram.send import keyboard

        catalogue = load_catalogue()
        paper = catalogue.papers["resnet"]
        text = render_card(catalogue, paper, "en")
        fixed = text, keyboard(Reply(text, "en", card_buttons(catalogue, paper, "en")))

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or not message.text:
            return
        if fixed is None:
            await context.bot.send_message(message.chat_id, html.escape(message.text))
        else:
            await context.bot.send_message(message.chat_id, fixed[0], reply_markup=fixed[1])

    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_url.replace("/bot", "/file/bot"))
        .concurrent_updates(concurrent)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, reply))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


def paperbot(base_url: str, token: str, concurrent: int | None) -> None:
    """Run paperbot's Application without the rate limiter until SIGINT/SIGTERM.

    Args:
        base_url: Bot API base URL.
        token: the bot token.
        concurrent: overrides ``PAPERBOT_CONCURRENT_UPDATES`` when given.
    """
    from telegram import Update

    from bot.config import load_settings
    from bot.core.catalogue import load_catalogue
    from bot.logs import setup_logging
    from bot.telegram.app import build_application

    settings = load_settings(base_url=base_url, concurrent_updates=concurrent)
    setup_logging(settings.log_level)
    catalogue = load_catalogue(settings.knowledge_dir)
    application = build_application(settings, token, catalogue, rate_limiter=False)
    application.run_polling(allowed_updates=Update.ALL_TYPES)


def main(argv: list[str] | None = None) -> int:
    """Run one bot; the token comes from ``TELEGRAM_BOT_TOKEN``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bot", choices=("echo", "paperbot"))
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--concurrent-updates", type=int, default=None)
    parser.add_argument("--card", action="store_true", help="echo: answer with a paperbot card")
    args = parser.parse_args(argv)
    token = os.environ["TELEGRAM_BOT_TOKEN"]
    if args.bot == "echo":
        echo(args.base_url, token, args.concurrent_updates or 1, args.card)
    else:
        paperbot(args.base_url, token, args.concurrent_updates)
    return 0


if __name__ == "__main__":
    sys.exit(main())
