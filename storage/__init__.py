"""keepcut's storage: SQLite through sqlite-utils, and reading LinkedIn exports."""
