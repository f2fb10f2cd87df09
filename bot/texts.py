"""Every sentence the bot says, in one place (HTML; export text is escaped by callers)."""

from __future__ import annotations

from html import escape

# The command menu: (command, description) in the order people see it.
COMMANDS: list[tuple[str, str]] = [
    ("start", "What keepcut does and how to begin"),
    ("review", "Continue reviewing your connections"),
    ("stats", "Your progress toward your target"),
    ("cutlist", "The people to remove, with links"),
    ("undo", "Take back your last decision"),
    ("find", "Find someone by name: /find NAME"),
    ("target", "Set your target network size: /target 500"),
    ("invitations", "Old invitations still pending"),
    ("help", "All commands and how to get your export"),
]

HOW_TO_EXPORT = (
    "<b>How to get your LinkedIn export</b>\n"
    "1. On linkedin.com (a computer works best) open <b>Settings &amp; Privacy</b> → "
    "<b>Data privacy</b> → <b>Get a copy of your data</b>.\n"
    "2. Choose <b>Connections</b> (fast), or the larger archive with everything, which also "
    "gives keepcut your messages, endorsements and recommendations as hints.\n"
    "3. Press <b>Request archive</b> and wait for LinkedIn's e-mail (minutes for "
    "Connections, up to a day for the full archive).\n"
    "4. Download the ZIP from the link in that e-mail.\n"
    "5. Send the ZIP here as a file (📎 → File), or just <code>Connections.csv</code> "
    "from inside it."
)


def welcome(first_name: str) -> str:
    """The /start message."""
    name = escape(first_name) if first_name else "there"
    return (
        f"Hi {name}! I'm <b>keepcut</b>. I help you prune your LinkedIn network, "
        "one card at a time.\n\n"
        "Send me the data export LinkedIn gives you. I'll show your connections one by one "
        "with <b>Keep</b> and <b>Cut</b> buttons, for the spare minutes on your phone, "
        "remember every answer, and hand you the cut list as one-tap profile links "
        "(LinkedIn has no way for apps to remove connections, so you remove them yourself; "
        "they are not told). Once a year I'll remind you to do a spring clean.\n\n"
        f"{HOW_TO_EXPORT}\n\n"
        "Type /help to see every command."
    )


def help_text() -> str:
    """The /help message: every command and how to get the export."""
    lines = ["<b>keepcut commands</b>"]
    lines += [f"/{command} — {escape(description)}" for command, description in COMMANDS]
    return "\n".join(lines) + "\n\n" + HOW_TO_EXPORT


PRIVATE_ONLY = (
    "keepcut works in a private chat only, so nobody else sees your network. "
    "Open a chat with me and send /start there."
)
NOT_ALLOWED = "Sorry, this keepcut bot is private and you are not on its list of users."
NOT_ALLOWED_SHORT = "This bot is private."
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. Nothing you decided was lost; "
    "please try again in a moment."
)
SOMETHING_WENT_WRONG_SHORT = "Something went wrong, please try again."
