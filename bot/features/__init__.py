"""One module per user-visible feature (asking, reading, browsing, reminders, settings,
privacy, welcome), the callback-data codec, and the registry that maps commands and button
actions to their functions. Never imports ``telegram``: adapters call :mod:`.dispatch`."""
