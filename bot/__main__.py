"""``python -m bot``: the same as the ``paperbot`` command."""

import sys

from bot.cli import main

sys.exit(main())
