"""Start the real program, as `python -m bot` does, with its clock set to a moment.

    python tests/run_bot_at.py 2027-03-20T09:59:57+00:00 [messages_per_second=290]

The clock then runs at the real pace from there (bot.clock.OffsetClock), so a test can
see a reminder fall due in seconds instead of months. Further NAME=NUMBER arguments
override Settings fields (a benchmark's test server allows more than Telegram does).
"""

from __future__ import annotations

import sys
from datetime import datetime

from bot.__main__ import main
from bot.clock import OffsetClock

if __name__ == "__main__":
    overrides = {k: float(v) for k, v in (arg.split("=", 1) for arg in sys.argv[2:])}
    main(OffsetClock(datetime.fromisoformat(sys.argv[1])), **overrides)
