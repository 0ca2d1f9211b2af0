"""The schema: :data:`MIGRATIONS`, one tuple of statements per version.

``PRAGMA user_version`` holds the number of steps applied; :class:`bot.storage.db.Database`
applies the missing ones in one transaction when it opens a database. Append a new step for a
change; never edit an old one (databases in the field have run it).
"""

from __future__ import annotations

from collections.abc import Sequence

MIGRATIONS: Sequence[Sequence[str]] = (
    # v1: users, per-paper progress, subscriptions.
    (
        """CREATE TABLE users (
            chat_id INTEGER PRIMARY KEY,
            lang TEXT,
            timezone TEXT NOT NULL DEFAULT 'UTC',
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE progress (
            chat_id INTEGER NOT NULL,
            paper_id TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('read', 'skipped')),
            at TEXT NOT NULL,
            PRIMARY KEY (chat_id, paper_id)
        )""",
        """CREATE TABLE subscriptions (
            chat_id INTEGER PRIMARY KEY,
            local_time TEXT NOT NULL,
            timezone TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            last_sent_date TEXT,
            start_date TEXT
        )""",
    ),
    # v2: current list per user, reminder days, pauses, and a delivery log.
    (
        "ALTER TABLE users ADD COLUMN current_list TEXT",
        "ALTER TABLE subscriptions ADD COLUMN days TEXT NOT NULL DEFAULT '0,1,2,3,4,5,6'",
        "ALTER TABLE subscriptions ADD COLUMN paused_until TEXT",
        """CREATE TABLE deliveries (
            chat_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'daily',
            state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'failed', 'unknown')),
            attempts INTEGER NOT NULL DEFAULT 0,
            detail TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, local_date, kind)
        )""",
        """CREATE TABLE snoozes (
            chat_id INTEGER PRIMARY KEY,
            due_at TEXT NOT NULL
        )""",
    ),
    # v3: find due reminders through an index instead of scanning every subscription.
    (
        "ALTER TABLE subscriptions ADD COLUMN next_at TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE subscriptions ADD COLUMN next_date TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX subscriptions_due ON subscriptions (next_at, chat_id) WHERE active = 1",
        "CREATE INDEX snoozes_due ON snoozes (due_at)",
    ),
    # v4: the language Telegram reports for the user, so that what the bot sends unprompted
    # (reminders) speaks the language its replies do.
    ("ALTER TABLE users ADD COLUMN tg_lang TEXT",),
    # v5: deliveries gain the states 'sending' (the request is leaving: after a crash it may
    # or may not have arrived) and 'skipped' (no longer wanted), and retry_at: a claimed
    # reminder whose request never left waits for it ('' = at once). The table is rebuilt for
    # the new CHECK. A v4 'claimed' row may have been sent, so it becomes 'unknown'.
    (
        """CREATE TABLE deliveries_v5 (
            chat_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'daily',
            state TEXT NOT NULL CHECK (
                state IN ('claimed', 'sending', 'sent', 'failed', 'unknown', 'skipped')
            ),
            attempts INTEGER NOT NULL DEFAULT 0,
            detail TEXT,
            updated_at TEXT NOT NULL,
            retry_at TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (chat_id, local_date, kind)
        )""",
        """INSERT INTO deliveries_v5
            (chat_id, local_date, kind, state, attempts, detail, updated_at)
            SELECT chat_id, local_date, kind,
                CASE state WHEN 'claimed' THEN 'unknown' ELSE state END,
                attempts, detail, updated_at
            FROM deliveries""",
        "DROP TABLE deliveries",
        "ALTER TABLE deliveries_v5 RENAME TO deliveries",
        # Queries repeat the index's condition (state IN ...) so that SQLite uses it.
        "CREATE INDEX deliveries_open ON deliveries (state, retry_at) "
        "WHERE state IN ('claimed', 'sending')",
    ),
    # v6: the learning loop: quiz answers and their review dates, the quiz polls sent (to
    # read Telegram's poll answers), days with reading activity (streaks), pauses (excused
    # days), notes, the paper being read now, review/recap settings, and each group member's
    # own marks.
    (
        """CREATE TABLE quiz_answers (
            chat_id INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            first_right INTEGER NOT NULL,
            misses INTEGER NOT NULL DEFAULT 0,
            due TEXT NOT NULL DEFAULT '',
            answered_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, question_id)
        )""",
        "CREATE INDEX quiz_answers_due ON quiz_answers (chat_id, due) WHERE due != ''",
        """CREATE TABLE quiz_polls (
            poll_id TEXT PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            review INTEGER NOT NULL DEFAULT 0,
            sent_at TEXT NOT NULL
        )""",
        "CREATE INDEX quiz_polls_chat ON quiz_polls (chat_id)",
        """CREATE TABLE activity (
            chat_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            PRIMARY KEY (chat_id, local_date)
        )""",
        """CREATE TABLE pauses (
            chat_id INTEGER NOT NULL,
            start_date TEXT NOT NULL,
            end_date TEXT NOT NULL,
            PRIMARY KEY (chat_id, start_date)
        )""",
        """CREATE TABLE notes (
            chat_id INTEGER NOT NULL,
            paper_id TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, paper_id)
        )""",
        """CREATE TABLE member_progress (
            chat_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            paper_id TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (chat_id, user_id, paper_id)
        )""",
        "ALTER TABLE users ADD COLUMN reading_now TEXT",
        "ALTER TABLE users ADD COLUMN review INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE users ADD COLUMN recap INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE users ADD COLUMN pending_note TEXT",
        "ALTER TABLE subscriptions ADD COLUMN last_recap_date TEXT",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
