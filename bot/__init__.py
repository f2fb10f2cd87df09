"""keepcut: a Telegram bot that helps you prune your LinkedIn network."""
