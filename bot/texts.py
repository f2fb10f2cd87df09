"""Every sentence the bot says, in one place (HTML; export text is escaped by callers)."""

from __future__ import annotations

from datetime import date, datetime, time
from html import escape

from bot.forecast import Projection
from bot.running_imports import PER_HOUR
from bot.schedules.news import SummaryNews, YearlyNews
from storage.export import ExportProblem
from storage.merge import ImportSummary
from storage.privacy import Holdings
from storage.records import Connection, Progress

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
    ("remind", "Your yearly spring-clean reminder: /remind 20 March 10:00"),
    ("summary", "Progress summaries: /summary weekly, monthly or off"),
    ("nudge", "A daily card at a time you choose: /nudge 12:30"),
    ("timezone", "Your time zone for reminders: /timezone Berlin"),
    ("mydata", "A copy of everything keepcut holds about you"),
    ("forget", "Delete everything keepcut holds about you"),
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


# --- review cards -----------------------------------------------------------------

BUTTON_KEEP = "✅ Keep"
BUTTON_CUT = "✂️ Cut"
BUTTON_SKIP = "⏭ Skip"
BUTTON_UNDO = "↩️ Undo"
BUTTON_PROFILE = "🔗 Open profile"
BUTTON_SEARCH = "🔎 Search on LinkedIn"
BUTTON_START_REVIEW = "▶️ Start reviewing"
BUTTON_CONTINUE_REVIEW = "▶️ Continue reviewing"
BUTTON_CUTLIST = "✂️ Show my cut list"
BUTTON_STILL_KEEP = "✅ Still keep"
BUTTON_RECHECK = "🔁 Re-check people I kept"

# The five reasons people prune a network, short enough for a button.
REASONS = {
    1: "Fell short when asked",
    2: "Don't really know them",
    3: "They spam me",
    4: "Spring cleaning",
    5: "Staying under 500",
}

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 person', '2 people'."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def month_year(value: date) -> str:
    """'Mar 2014'."""
    return f"{MONTHS[value.month - 1]} {value.year}"


def day_month_year(value: date) -> str:
    """'3 Apr 2027'."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def ago(then: date, today: date) -> str:
    """How long ago, roughly: 'this month', '5 months ago', '12 years ago'."""
    months = (today.year - then.year) * 12 + today.month - then.month
    if today.day < then.day:
        months -= 1
    if months <= 0:
        return "this month"
    if months < 12:
        return f"{plural(months, 'month')} ago"
    return f"{plural(months // 12, 'year')} ago"


def progress_line(reviewed: int, total: int, kept: int, target: int) -> str:
    """'23 of 412 reviewed · 361 kept so far · target 500'."""
    return f"{reviewed:,} of {total:,} reviewed · {kept:,} kept so far · target {target:,}"


NO_SIGNALS = "No messages, endorsements or recommendations in your export."
NO_SIGNAL_FILES = (
    "Your export had only Connections.csv, so I can't show messages or endorsements. "
    "Send the full archive for those hints."
)
WHY_EARLY = "Shown early: no interaction in your export."
REASON_PROMPT = "Why cut {name}? (optional)"
REASON_NOTED = "Noted: {reason}"
UNKNOWN_DATE = "Connected: date not in export"

TOAST = {"keep": "Kept", "cut": "Cut", "skip": "Skipped — it comes back at the end"}
TOAST_UNDONE = "Undone"
TOAST_GONE = "That person is no longer in your data."
TOAST_STALE = "That button is out of date."
TOAST_UNCHANGED = "Already saved"
TOAST_STILL_KEPT = "Still kept"

CURRENTLY = {
    "keep": "Your decision so far: keep.",
    "cut": "Your decision so far: cut.",
    "skip": "You skipped this one earlier.",
}


def distance_to_target(network_after: int, target: int) -> str:
    """Where the network ends up against the target, in words."""
    if network_after > target:
        return f"{network_after - target:,} over your target of {target:,}"
    if network_after < target:
        return f"already under your target of {target:,} (any more cuts are up to you)"
    return f"exactly your target of {target:,}"


def pace_words(per_day: float) -> str:
    """'about 12 a day', 'about 1 every 3 days'."""
    if per_day >= 1:
        return f"about {round(per_day):,} a day"
    return f"about 1 every {round(1 / per_day):,} days"


def all_done(p: Progress) -> str:
    """The card shown once every connection has a decision."""
    if p.total == 0:
        return NOTHING_TO_REVIEW
    return (
        f"🎉 <b>All done!</b> You've decided on all {plural(p.total, 'connection')}.\n"
        f"Kept {p.kept:,} · Cut {p.cut:,}\n"
        f"Once the cut people are removed your network will be {p.network_after:,}, "
        f"{distance_to_target(p.network_after, p.target)}.\n\n"
        "Next step: /cutlist gives you a link to each person to remove."
    )


NO_PACE = (
    "No answers in the last two weeks, so no finish date yet: review a few cards with /review "
    "and I'll estimate one."
)

RECHECK_QUESTION = "You kept them before. Still keep?"


def recheck_progress(left: int, kept: int, target: int) -> str:
    """The progress line of a re-check card."""
    left_words = plural(left, "kept person", "kept people")
    return f"🔁 Re-check: {left_words} left · {kept:,} kept · target {target:,}"


def recheck_done(p: Progress) -> str:
    """The card shown once every earlier keep has been looked at again."""
    lines = [
        "🎉 <b>Re-check done!</b> You've looked again at everyone you kept before.",
        f"Kept {p.kept:,} · Cut {p.cut:,}. Once the cut people are removed your network "
        f"will be {p.network_after:,}, {distance_to_target(p.network_after, p.target)}.",
    ]
    if p.undecided + p.skipped:
        lines.append(
            f"{plural(p.undecided + p.skipped, 'person', 'people')} still to review for the "
            "first time."
        )
    lines.append("/cutlist gives you a link to each person to remove.")
    return "\n".join(lines)


NOTHING_TO_REVIEW = (
    "There's nobody to review yet. Send me your LinkedIn export (the ZIP, or "
    "Connections.csv) as a file to begin. /help shows how to get it."
)

BAD_ORDER = (
    "I can show cards in three orders: /review (weakest ties first), /review oldest "
    "or /review newest."
)
NOTHING_TO_UNDO = "There's nothing to undo yet."
FIND_USAGE = "Tell me who to look for, like this: /find Ada"
FIND_PICK = "Who do you mean?"


def find_none(query: str) -> str:
    """No one matched /find."""
    return f"Nobody in your connections matches “{escape(query)}”."


def find_label(c: Connection) -> str:
    """A /find result button: name, company and the decision so far (plain text)."""
    mark = {"keep": "✅ ", "cut": "✂️ ", "skip": "⏭ "}.get(c.state or "", "")
    label = f"{mark}{c.full_name}"
    if c.company:
        label += f" · {c.company}"
    return label[:60]


# --- cut list -----------------------------------------------------------------------

BUTTON_REMOVED = "Removed ✓"
BUTTON_IS_REMOVED = "✓ Removed"
CUTLIST_EMPTY = (
    "Your cut list is empty. Press ✂️ Cut on a card during /review and the person appears here."
)
TOAST_MARKED_REMOVED = "Marked as removed"
TOAST_ALREADY_REMOVED = "Already marked as removed"
HOW_TO_REMOVE = (
    "<b>How to remove someone on LinkedIn</b>\n"
    "• App: open their profile → <b>⋯</b> (More) → <b>Remove connection</b>.\n"
    "• Web: open their profile → <b>More</b> → <b>Remove connection</b>.\n"
    "They are not told. Then press <b>Removed ✓</b> here so I can keep count.\n\n"
    "💡 Opening a profile shows you in their “Who viewed your profile”, and LinkedIn "
    "restricts accounts that open many profiles quickly. Turn on private browsing first "
    "(Settings → Visibility → Profile viewing options → Private mode), and take it a batch a day."
)


def cutlist_intro(batch_size: int, total_cut: int, removed: int) -> str:
    """The first cut-list message: what follows and how to act on it."""
    return (
        f"✂️ <b>Your cut list</b>: {plural(total_cut, 'person', 'people')}, "
        f"{removed:,} removed so far. Here {'is' if batch_size == 1 else 'are'} "
        f"{plural(batch_size, 'link')} to work through.\n\n{HOW_TO_REMOVE}"
    )


def cutlist_all_done(total_cut: int) -> str:
    """Everyone on the cut list has been removed."""
    return f"🎉 All {plural(total_cut, 'person', 'people')} on your cut list are removed."


def cutlist_next_batch(remaining: int, daily: int) -> str:
    """When the rest of the list comes."""
    if remaining <= 0:
        return "That's everyone on your cut list. The CSV file has the whole list."
    return (
        f"{plural(remaining, 'more person', 'more people')} to remove. The next batch of "
        f"up to {daily} links comes tomorrow with /cutlist (or /cutlist all for everything now)."
    )


def cutlist_wait(remaining: int, daily: int) -> str:
    """Today's batch was already handed out and fully removed."""
    return (
        f"You've had today's {daily} links. {plural(remaining, 'more person', 'more people')} "
        "wait for tomorrow's /cutlist — or send /cutlist all to get every link now."
    )


CUTLIST_CAPTION = "The whole cut list as a spreadsheet (CSV)."


# --- invitations --------------------------------------------------------------------

INVITATIONS_NO_FILE = (
    "Your export has no Invitations.csv. Send the full archive from LinkedIn (it includes "
    "your invitations) and try /invitations again."
)
INVITATIONS_NONE = (
    "No old pending invitations: every invitation you sent more than 8 weeks before your "
    "export was accepted (or withdrawn). Nice."
)


def invitations_intro(count: int) -> str:
    """The header of the /invitations list."""
    return (
        f"📨 <b>{plural(count, 'invitation')} still pending</b> after more than 8 weeks, "
        "oldest first.\nAn old pending invitation counts against LinkedIn's invitation limits "
        "and looks indiscriminate; withdraw it on LinkedIn: My Network → Manage → Sent."
    )


def invitation_entry(name: str, url: str, sent_on: date | None) -> str:
    """One pending invitation, linked to the profile."""
    when = f" — sent {month_year(sent_on)}" if sent_on else ""
    return f'• <a href="{escape(url, quote=True)}">{escape(name or url)}</a>{when}'


# --- stats and target ---------------------------------------------------------------

TARGET_USAGE = (
    "Tell me the network size you're aiming for, a whole number from 1 to 30,000, "
    "like this: /target 500"
)


def target_set(target: int, network_after: int) -> str:
    """Confirmation of /target."""
    return (
        f"🎯 Target set to {target:,}. After your cuts so far your network would be "
        f"{network_after:,}, {distance_to_target(network_after, target)}."
    )


def stats_text(p: Progress, proj: Projection, progress_bar: str) -> str:
    """The /stats message."""
    if p.total == 0:
        return NOTHING_TO_REVIEW
    lines = [
        "📊 <b>Your progress</b>",
        f"{progress_bar} reviewed ({p.reviewed:,} of {p.total:,})",
        "",
        f"Connections: {p.total:,}",
        f"✅ Kept: {p.kept:,}",
        f"✂️ Cut: {p.cut:,} (removed on LinkedIn: {p.removed:,})",
        f"⏭ Skipped: {p.skipped:,}",
        f"❔ Undecided: {p.undecided:,}",
        "",
        f"🎯 Target: {p.target:,}. After your cuts your network would be {p.network_after:,}, "
        f"{distance_to_target(p.network_after, p.target)}.",
    ]
    if proj.cuts_needed:
        lines.append(f"To reach it you need {plural(proj.cuts_needed, 'more cut')}.")
    remaining = p.undecided + p.skipped
    if remaining and proj.keep_rate is not None and proj.expected_final is not None:
        lines.append(
            f"At your keep rate so far ({round(proj.keep_rate * 100)}% kept) the "
            f"{remaining:,} people left would give about "
            f"{plural(proj.expected_cuts or 0, 'cut')}, "
            f"ending near {proj.expected_final:,}, "
            f"{distance_to_target(proj.expected_final, p.target)}."
        )
    if remaining:
        if proj.finish_on:
            lines.append(
                f"At your recent pace ({pace_words(proj.pace)}) you'll finish around "
                f"{day_month_year(proj.finish_on)}."
            )
        elif p.reviewed:
            lines.append(NO_PACE)
        else:
            lines.append("Review a few cards with /review and I'll estimate when you'll finish.")
    else:
        lines.append("Every connection has a decision. /cutlist has your links.")
    return "\n".join(lines)


# --- uploads ------------------------------------------------------------------------

READING = "⏳ Reading your export…"
READING_IN_LINE = (
    "⏳ Got your export. Other people's exports are being read right now: yours is in "
    "line, and this message will show what I found in a minute or so."
)
STILL_IMPORTING = (
    "I'm still reading the file you sent before. Wait for my answer, then send this one "
    "again if you still need to."
)


def too_big(limit: int) -> str:
    """The answer to a file larger than this bot may download."""
    size = f"{limit // (1024 * 1024):,} MB"
    return (
        f"That file is over {size}, the most this bot can download from Telegram. Unzip your "
        "export and send just <code>Connections.csv</code> from it: it is small and has "
        "everything I need."
    )


def too_many_imports(again: datetime) -> str:
    """An upload over the hourly limit of imports."""
    return (
        f"You've sent {PER_HOUR} exports in the last hour, the most I read in an hour. "
        f"Send this one again after {again:%H:%M}; nothing you had stored has changed."
    )


DOWNLOAD_FAILED = (
    "I couldn't download that file from Telegram just now. Please send it again in a moment."
)
PHOTO_HINT = (
    "That's a photo. I need your LinkedIn export as a file: the ZIP LinkedIn e-mailed you, "
    "or <code>Connections.csv</code> from inside it, sent with 📎 → File."
)
MEDIA_HINT = (
    "I can only read your LinkedIn export, sent as a file: the ZIP LinkedIn e-mailed you, "
    "or <code>Connections.csv</code> from inside it (📎 → File)."
)
TEXT_HINT = (
    "I read LinkedIn exports rather than messages. Send the ZIP LinkedIn e-mailed you, "
    "or <code>Connections.csv</code>, as a file (📎 → File). /review continues your review; "
    "/help shows how to get the export."
)
UNKNOWN_COMMAND = "I don't know that command. /help lists everything I can do."
NOTHING_CHANGED = "Nothing you had stored has changed."

_SEND_INSTEAD = "Send the ZIP LinkedIn e-mailed you, or <code>Connections.csv</code> from it."
_SEND_AS_GIVEN = (
    "Send <code>Connections.csv</code> as LinkedIn gave it to you (it starts with First Name, "
    "Last Name), or the whole ZIP."
)


def export_problem(kind: ExportProblem, detail: str) -> str:
    """A specific answer for each kind of file that cannot be imported."""
    what = escape(detail) if detail else ""
    answers = {
        ExportProblem.EMPTY: f"That file is empty. {_SEND_INSTEAD}",
        ExportProblem.BINARY: (
            f"That looks like {'a ' + what if what else 'a file that is neither CSV nor ZIP'}"
            f", not your LinkedIn export. {_SEND_INSTEAD}"
        ),
        ExportProblem.SPREADSHEET: (
            "That's a spreadsheet workbook, not a CSV. Send the original "
            "<code>Connections.csv</code> or ZIP from LinkedIn, or save the sheet as CSV "
            "(File → Save As → CSV UTF-8) and send that."
        ),
        ExportProblem.NOT_CONNECTIONS_LINKEDIN: (
            f"This is your <code>{what or 'other LinkedIn'}</code> file, not your connections. "
            "Send <code>Connections.csv</code>, or the whole ZIP."
        ),
        ExportProblem.UNRELATED_CSV: (
            "This CSV doesn't look like LinkedIn's Connections.csv: it has no First Name and "
            f"Last Name columns. {_SEND_INSTEAD}"
        ),
        ExportProblem.MISSING_LAST_NAME: (
            "This file has a First Name column but no Last Name column, and no Connected On "
            "column either, so I can't tell it is your LinkedIn connections. "
            f"{_SEND_AS_GIVEN} (Whole names under First Name work too, as long as the file "
            "keeps LinkedIn's Connected On column.)"
        ),
        ExportProblem.MISSING_FIRST_NAME: (
            "This file has a Last Name column but no First Name column, so I can't read "
            f"the names. {_SEND_AS_GIVEN}"
        ),
        ExportProblem.MISSING_NAMES: (
            "This file has Connected On dates but no First Name or Last Name column, so I "
            f"can't tell who anyone is. {_SEND_AS_GIVEN}"
        ),
        ExportProblem.MISSING_CONNECTED_ON: (
            "This CSV has first and last names but no Connected On column, and its columns "
            "aren't named the way LinkedIn names them, so I can't tell it is your LinkedIn "
            f"connections. {_SEND_INSTEAD}"
        ),
        ExportProblem.ROWS_UNREADABLE: (
            "I found the column names in this file but couldn't read any of its rows: they "
            "look garbled, perhaps by a spreadsheet program. Send <code>Connections.csv</code> "
            "straight from the ZIP LinkedIn e-mailed you, or the whole ZIP."
        ),
        ExportProblem.ZIP_NO_CONNECTIONS: (
            "This ZIP has no <code>Connections.csv</code> in it. Request your data on LinkedIn "
            "again with <b>Connections</b> ticked (or the full archive), then send the new ZIP."
        ),
        ExportProblem.ZIP_UNSAFE: (
            "I won't open this ZIP: it has unsafe file paths or would unpack to an absurd size. "
            "Send the ZIP exactly as LinkedIn gave it to you, or just Connections.csv."
        ),
        ExportProblem.ZIP_ENCRYPTED: (
            "This ZIP is password-protected, so I can't read it. Send it without a password, "
            "or just <code>Connections.csv</code>."
        ),
        ExportProblem.ZIP_BROKEN: (
            "This ZIP is damaged or incomplete (perhaps the download was cut short). Download "
            "it again from LinkedIn's e-mail and send it, or send Connections.csv alone."
        ),
        ExportProblem.TOO_MANY_ROWS: (
            "This file has more rows than a LinkedIn network can hold (30,000 connections at "
            "most), so it isn't a LinkedIn connections export. " + _SEND_INSTEAD
        ),
        ExportProblem.UNREADABLE: (
            "I couldn't read this file as a CSV. Send <code>Connections.csv</code> exactly as "
            "it came from LinkedIn, or the whole ZIP."
        ),
    }
    return answers.get(kind, f"I couldn't import that file. {_SEND_INSTEAD}") + (
        "\n" + NOTHING_CHANGED
    )


WHOLE_NAMES = (
    "Your file has no Last Name column, so I kept each person's whole name as it is written."
)


def unreadable_rows(count: int, first_import: bool) -> str:
    """The import reply's warning about garbled rows that were left out."""
    who = "that person is" if count == 1 else "those people are"
    text = (
        f"⚠️ {plural(count, 'row')} of your file could not be read (garbled, perhaps by a "
        f"spreadsheet program), so {who} missing."
    )
    if not first_import:
        text += " So this time nobody from your last upload is counted as gone."
    return text + (
        " To include them, send <code>Connections.csv</code> straight from the ZIP LinkedIn "
        "e-mailed you."
    )


def import_summary(s: ImportSummary) -> str:
    """The reply to a successful import: what was read and what changed."""
    if s.rows_read == 0:
        return (
            "Your export has no connections in it, only the column names. If you expected "
            "some, request the export on LinkedIn again with Connections ticked.\n"
            + NOTHING_CHANGED
        )
    lines = [f"✅ Read {plural(s.rows_read, 'connection')} from your export."]
    if s.whole_names:
        lines.append(WHOLE_NAMES)
    if s.first_import:
        lines.append(
            f"Nothing is decided yet: {plural(s.undecided, 'person', 'people')} to review."
        )
    else:
        lines.append(f"• New since your last upload: {s.new:,}")
        gone = f"• Gone since then: {s.gone:,}"
        if s.gone_cut:
            gone += f" ({s.gone_cut:,} of them on your cut list, now counted as removed ✓)"
        lines.append(gone)
        if s.returned:
            lines.append(f"• Back again after being gone: {s.returned:,}")
        lines.append(f"• Still undecided: {s.undecided:,}")
    if s.unreadable_rows:
        lines.append(unreadable_rows(s.unreadable_rows, s.first_import))
    if s.has_signals:
        lines.append("Your messages, endorsements and recommendations will show on the cards.")
    return "\n".join(lines)


# --- schedules: time zone, reminders, summaries, nudges -----------------------------

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FULL_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def local_when(moment: datetime) -> str:
    """'Sat 20 Mar 2027 at 10:00' in the zone the moment carries."""
    return f"{WEEKDAYS[moment.weekday()]} {day_month_year(moment.date())} at {moment:%H:%M}"


def days_until(day: date, today: date) -> str:
    """'today', 'tomorrow', 'in 109 days'."""
    days = (day - today).days
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days:,} days"


def zone_now(name: str, local_now: datetime) -> str:
    """The /timezone answer: the zone and the local time there now."""
    return (
        f"🕐 Your time zone: <b>{escape(name)}</b>. It's {local_now:%H:%M} on "
        f"{WEEKDAYS[local_now.weekday()]} {local_now.day} {MONTHS[local_now.month - 1]} there.\n"
        "Change it with /timezone and your city, like /timezone Berlin, or an offset, like "
        "/timezone UTC+2."
    )


def zone_set(name: str, local_now: datetime, fixed_offset: bool) -> str:
    """Confirmation of /timezone."""
    text = (
        f"✅ Time zone set to <b>{escape(name)}</b> (it's {local_now:%H:%M} there now). "
        "Reminders, summaries and your daily card come at your local time."
    )
    if fixed_offset:
        text += "\nA fixed offset doesn't follow daylight saving; /timezone with your city does."
    return text


def zone_unknown(typed: str, has_suggestions: bool) -> str:
    """/timezone with a name that is no zone."""
    text = f"I don't know a time zone called “{escape(typed[:60])}”."
    if has_suggestions:
        return text + " Did you mean one of these?"
    return text + (
        " Send /timezone with your city, like /timezone Lisbon, or an offset from UTC, like "
        "/timezone UTC+5:30."
    )


ZONE_ASK = (
    "🕐 Which time zone are you in? Reminders come at your local time; until you choose, "
    "I use UTC. Tap one, or type /timezone and your city (like /timezone Lisbon)."
)
ZONE_BAD_BUTTON = "That time zone is not known here. Type /timezone and your city."

REMIND_EXAMPLE = "/remind 20 March 10:00"
REMIND_HELP = (
    "Change it with /remind and a date and time, like /remind 15 April 9:30, or "
    "/remind off. /remind preview shows the reminder now."
)


def remind_next(due_local: datetime, today: date, zone: str) -> str:
    """/remind alone: when the yearly reminder next comes."""
    return (
        f"🌱 Your yearly spring-clean reminder comes on {local_when(due_local)} "
        f"({escape(zone)} time), {days_until(due_local.date(), today)}.\n{REMIND_HELP}"
    )


def remind_set(month: int, day: int, due_local: datetime, today: date, zone: str) -> str:
    """Confirmation of a new reminder date."""
    every = f"{day} {FULL_MONTHS[month - 1]}"
    extra = " (28 February in other years)" if (month, day) == (2, 29) else ""
    return (
        f"✅ Yearly reminder set: every {every}{extra} at {due_local:%H:%M} ({escape(zone)} "
        f"time). The next one comes on {local_when(due_local)}, "
        f"{days_until(due_local.date(), today)}."
    )


def remind_off(due_local: datetime) -> str:
    """Confirmation of /remind off."""
    return (
        "🔕 Yearly reminder off. /remind on brings it back "
        f"(it would come on {local_when(due_local)})."
    )


def remind_bad(problem: str) -> str:
    """A /remind date or time that could not be read."""
    return (
        f"I couldn't set that: {escape(problem)}. Send a date and, if you like, a time, "
        f"for example {REMIND_EXAMPLE}."
    )


REMIND_PREVIEW_NOTE = "👀 That's a preview of your yearly reminder; it still comes on {when}."


def summary_state(every: str | None, due_local: datetime | None) -> str:
    """/summary alone, and its confirmations."""
    if every is None or due_local is None:
        return (
            "📈 Progress summaries are off. /summary weekly (Mondays at 09:00) or /summary "
            "monthly (the 1st at 09:00) turns them on."
        )
    when = "every Monday at 09:00" if every == "weekly" else "on the 1st of each month at 09:00"
    return (
        f"📈 Progress summaries come {when}, your time, while you have people to review or "
        f"remove (the next on {local_when(due_local)}). /summary weekly, /summary monthly or "
        "/summary off changes that."
    )


SUMMARY_USAGE = "Choose how often: /summary weekly, /summary monthly or /summary off."


def nudge_state(at: time | None, due_local: datetime | None, today: date) -> str:
    """/nudge alone, and its confirmations."""
    if at is None or due_local is None:
        return (
            "☕ The daily card is off. /nudge 12:30 sends you one review card every day at "
            "12:30 your time, for a spare moment; /nudge on uses the time you set before."
        )
    return (
        f"☕ Your daily card comes at {at:%H:%M} your time; the next one comes "
        f"{days_until(due_local.date(), today)}. It stops by itself when nothing is left to "
        "review. /nudge off stops it."
    )


def nudge_bad(problem: str) -> str:
    """A /nudge time that could not be read."""
    return f"I couldn't set that: {escape(problem)}. Send a time, for example /nudge 12:30."


NUDGE_PAUSED = (
    "⏸ I've paused your daily card: the last three went unanswered. Send /nudge on when you "
    "want them back."
)
NUDGE_DONE = (
    "🎉 Nothing left to review, so I've stopped your daily card. /nudge on starts it again "
    "after your next export."
)


SPRING_EXPORT_STEPS = (
    "<b>Take a fresh export</b> so I can see who is new: on linkedin.com open Settings &amp; "
    "Privacy → Data privacy → Get a copy of your data, tick <b>Connections</b> and request "
    "the archive. Send me the ZIP when LinkedIn's e-mail arrives."
)


def yearly_reminder(news: YearlyNews) -> str:
    """The spring-cleaning reminder (short enough for a photo caption: 1,024 characters)."""
    p = news.progress
    lines = ["🌱 <b>Spring-cleaning time!</b> Once a year, look through your whole network."]
    if news.last_export is None:
        lines += ["", "Send me your LinkedIn export to begin. /help shows how to get it."]
        return "\n".join(lines)
    ago_words = ago(news.last_export, news.today)
    lines += [
        "",
        f"Your last export ({day_month_year(news.last_export)}, {ago_words}) had "
        f"{plural(news.export_size, 'connection')}.",
    ]
    if p.reviewed:
        line = f"✅ Kept {p.kept:,} · ✂️ Cut {p.cut:,}"
        lines.append(line + (f" (removed on LinkedIn: {p.removed:,})" if p.cut else ""))
    if p.undecided + p.skipped:
        lines.append(f"❔ {plural(p.undecided + p.skipped, 'person', 'people')} still to review")
    size = f"After your cuts: {p.network_after:,}" if p.cut else f"Your network: {p.total:,}"
    lines += [
        f"{size}, {distance_to_target(p.network_after, p.target)}.",
        "",
        SPRING_EXPORT_STEPS,
    ]
    if news.to_recheck:
        lines += [
            "",
            f"Then look again at the {plural(news.to_recheck, 'person', 'people')} you kept: "
            "one tap keeps each.",
        ]
    return "\n".join(lines)


def season_upload(new: int, to_recheck: int) -> str:
    """Added to an import's reply in the cleaning season: what to do first."""
    first = f"review the {plural(new, 'new person', 'new people')} first, then " if new else ""
    return (
        f"🌱 It's spring-cleaning time: {first}re-check the "
        f"{plural(to_recheck, 'person', 'people')} you kept before."
    )


def summary_text(news: SummaryNews) -> str:
    """A weekly or monthly progress summary."""
    p = news.progress
    left = p.undecided + p.skipped
    to_remove = p.cut - p.removed
    title = "weekly" if news.every == "weekly" else "monthly"
    share = round(100 * p.reviewed / p.total) if p.total else 0
    lines = [f"📈 <b>Your {title} keepcut summary</b>"]
    if left:
        lines.append(f"Reviewed {p.reviewed:,} of {p.total:,} ({share}%), {left:,} to go.")
    else:
        lines.append(f"All {plural(p.total, 'connection')} reviewed.")
    lines.append(
        f"✅ Kept {p.kept:,}; after your cuts your network would be {p.network_after:,}, "
        f"{distance_to_target(p.network_after, p.target)}."
    )
    if p.cut:
        removed = f"✂️ Cut {p.cut:,}, removed on LinkedIn {p.removed:,}"
        lines.append(removed + (f" ({to_remove:,} still to remove)." if to_remove else "."))
    if news.streak >= 2:
        lines.append(f"🔥 {news.streak} days in a row with at least one answer.")
    elif news.streak == 1:
        lines.append("🔥 You answered at least one card today or yesterday.")
    if left:
        if news.finish_on:
            lines.append(
                f"At your pace ({pace_words(news.pace)}) you'll finish around "
                f"{day_month_year(news.finish_on)}."
            )
        else:
            lines.append("No answers in the last two weeks, so no finish date yet.")
    return "\n".join(lines)


# --- privacy: /forget and /mydata ---------------------------------------------------------

FORGET_MINUTES = 10
BUTTON_FORGET_DELETE = "🗑 Delete everything"
BUTTON_FORGET_CANCEL = "Cancel"


def held_words(held: Holdings) -> str:
    """What keepcut holds about someone, in words: '412 connections from 2 uploads, …'."""
    parts = []
    if held.connections:
        uploads = f" from {plural(held.uploads, 'upload')}" if held.uploads else ""
        parts.append(plural(held.connections, "connection") + uploads)
    elif held.uploads:
        parts.append(plural(held.uploads, "upload"))
    if held.decisions:
        parts.append(plural(held.decisions, "decision"))
    if held.invitations:
        parts.append(plural(held.invitations, "pending invitation"))
    if held.schedules:
        parts.append(f"{plural(held.schedules, 'schedule')} for reminders and summaries")
    if held.deliveries:
        parts.append(f"the record of {plural(held.deliveries, 'scheduled message')} sent")
    parts.append("your Telegram id, first name and settings")
    if len(parts) <= 2:
        return " and ".join(parts)
    # The serial comma: the last part has an "and" of its own.
    return ", ".join(parts[:-1]) + ", and " + parts[-1]


def forget_question(held: Holdings) -> str:
    """/forget: what would be deleted, asked before anything is."""
    if not held.has_data:
        return (
            "🗑 <b>Delete what keepcut holds about you?</b>\n\n"
            "I hold no LinkedIn data of yours: no export, no connections, no decisions. "
            "All I have is your Telegram id, first name and settings.\n\n"
            f"This question is open for {FORGET_MINUTES} minutes."
        )
    return (
        "🗑 <b>Delete everything keepcut holds about you?</b>\n\n"
        f"That is {held_words(held)}.\n\n"
        "It can't be undone: to use keepcut again you would send your export and review "
        "from the start. Want a copy first? Send /mydata before you answer.\n\n"
        f"This question is open for {FORGET_MINUTES} minutes."
    )


def forget_done(held: Holdings, backup_days: int | None) -> str:
    """After Delete: what was deleted, and what keepcut cannot reach."""
    lines = [
        f"✅ <b>Deleted:</b> {held_words(held)}. keepcut now holds nothing about you.",
    ]
    if backup_days is not None:
        lines.append(
            "This bot's operator keeps daily backups of its database: those made before now "
            f"still hold your data until they age out, after {plural(backup_days, 'day')}."
        )
    lines.append(
        "The messages in this chat are kept by Telegram, not by me: delete the chat to remove "
        "them. If you write to me again, I start afresh."
    )
    return "\n\n".join(lines)


FORGET_DONE_SHORT = "Deleted"
FORGET_CANCELLED = "👍 Cancelled. Nothing was deleted."
FORGET_CANCELLED_SHORT = "Cancelled"
FORGET_EXPIRED = (
    f"⏱ This question has expired (it was open for {FORGET_MINUTES} minutes), so nothing was "
    "deleted. Send /forget again if you still want everything deleted."
)
FORGET_EXPIRED_SHORT = "Expired: nothing was deleted"
FORGET_STALE_DELETE = "This button is no longer valid. To delete everything, send /forget."
FORGET_STALE_CANCEL = "This button is no longer valid; nothing is waiting to be deleted."
FORGET_WAIT_FOR_IMPORT = (
    "Your export is still being read. Press Delete again once I've answered with what it held."
)


def mydata_caption(held: Holdings, today: date) -> str:
    """The caption of the /mydata ZIP."""
    return (
        f"📦 Everything keepcut holds about you on {day_month_year(today)}: "
        f"{held_words(held)}. One spreadsheet file (CSV) per table; README.txt says what "
        "each holds. /forget deletes it all."
    )


def mydata_nothing(user_id: int, first_name: str, target: int, zone: str) -> str:
    """/mydata from someone who has sent nothing yet: what little there is, in the chat."""
    name = f" and first name ({escape(first_name)})" if first_name else ""
    return (
        "I hold no LinkedIn data of yours: no export, no connections, no decisions, so there "
        f"is no file to send. All I have is your Telegram id ({user_id}){name}, with your "
        f"settings (target {target:,}, time zone {escape(zone)}).\n\n"
        "Send me your LinkedIn export to begin, or /forget to delete even that."
    )


MYDATA_README = """\
Everything keepcut held about you on {day}, one CSV file per database table.

The files are UTF-8 (with a byte-order mark, so spreadsheets show accents right). Times
are UTC in ISO 8601; *_utc columns count seconds since 1 January 1970 UTC. A cell that
began with = + - @, a tab or a carriage return was given a leading apostrophe (') so a
spreadsheet shows it as text instead of running it as a formula. An empty file has only
its header row.

/forget in the chat deletes all of it.
"""

MYDATA_FILES: dict[str, str] = {
    "users": (
        "You as keepcut knows you: your Telegram user id and chat id, your first name as "
        "Telegram shows it, time zone (and whether you chose it or were asked), target "
        "network size, card order, how many cut-list links a day, other settings (JSON), "
        "the message id of your review card, the counter that numbers your decisions for "
        "Undo, when you first and last wrote, whether you had blocked the bot, and whether "
        "you were reviewing or re-checking earlier keeps (and since when)."
    ),
    "imports": (
        "One row per export you sent: when, the file's name, ZIP or CSV, and the counts "
        "from the reply (rows read, new, gone, gone that were on your cut list, returned, "
        "undecided, rows skipped or without a date) and whether it had message and "
        "endorsement files. The file itself is never stored."
    ),
    "connections": (
        "Each person in your exports: name, company, position, profile URL and connected-on "
        "date as the export gave them; key (how keepcut recognises them in a later export) "
        "and search_name (the name folded for /find); connected_sort (the date for "
        "ordering); messages sent and received and the last one's date, endorsements and "
        "recommendations each way, who invited whom; interactions (their sum, for the card "
        "order); first_import_id, the export that first had them (its id in imports.csv); "
        "gone, and when they left your network; state, your decision copied from "
        "decisions.csv. E-mail addresses and message contents are never stored."
    ),
    "decisions": (
        "Your answer on each connection (connection_id is the id in connections.csv): keep, "
        "cut or skip; the reason you tagged (1 fell short when asked for help, 2 don't "
        "really know each other, 3 they spam me, 4 spring cleaning, 5 staying under the 500 "
        "threshold); when; its number (seq, for Undo); when you marked them removed on "
        "LinkedIn; when their link was handed out in the cut list; when you last confirmed "
        "a keep in the yearly re-check."
    ),
    "decision_undo": (
        "For a decision you changed (keep to cut, or back), the one it replaced, so Undo "
        "can bring it back."
    ),
    "pending_invitations": (
        "Invitations you sent that were still pending in your latest full export: the "
        "name, profile URL and date sent. Each newer full export replaces them."
    ),
    "progress_counts": (
        "Running totals behind the progress line: how many connections are undecided, "
        "kept, cut, skipped, gone and removed."
    ),
    "schedules": (
        "Your yearly reminder, progress summaries and daily card: kind, settings (spec, "
        "JSON), when it is next due (next_due_utc) and whether it is on."
    ),
    "deliveries": (
        "One row per scheduled message: kind, period (which year, week or day it was for), "
        "sent_at (when it was taken up for sending), status (claimed, sent or skipped), "
        "due_utc (when it was due), fingerprint (of its figures, so the same summary is not "
        "sent twice) and finished_at."
    ),
}
