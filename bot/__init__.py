"""keepcut: a Telegram bot that helps you prune your LinkedIn network."""

import os

# python-telegram-bot 22 reports durations (RetryAfter.retry_after) as timedelta only
# with this set, and warns on every 429 otherwise. Set before telegram is imported.
os.environ.setdefault("PTB_TIMEDELTA", "1")
