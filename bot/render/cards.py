"""Pure rendering: a review card's text and keyboard from what the store returned."""

from __future__ import annotations

from datetime import date
from html import escape
from urllib.parse import quote, urlencode

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.callbacks import (
    Decide,
    Reason,
    ShowCutList,
    StartRecheck,
    StartReview,
    StillKeep,
    Undo,
    View,
    button,
)
from storage.records import CardView, Connection, LastDecision

# Export cells can be long; a card must stay far below Telegram's 4,096 characters.
MAX_NAME = 120
MAX_LINE = 300


def clip(text: str, limit: int = MAX_LINE) -> str:
    """Shorten text to `limit` characters with an ellipsis, then HTML-escape it."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return escape(text)


def profile_link(connection: Connection) -> str:
    """The person's LinkedIn profile, or a LinkedIn people search for their name."""
    if connection.url:
        return quote(connection.url, safe=":/%")
    query = urlencode({"keywords": f"{connection.first_name} {connection.last_name}".strip()})
    return f"https://www.linkedin.com/search/results/people/?{query}"


def link_button(connection: Connection) -> InlineKeyboardButton:
    """A URL button to the profile (or a name search when the export had no URL)."""
    label = texts.BUTTON_PROFILE if connection.url else texts.BUTTON_SEARCH
    return InlineKeyboardButton(label, url=profile_link(connection))


def headline(connection: Connection, limit: int = MAX_LINE) -> str:
    """'Position at Company', whichever parts the export has (each clipped to `limit`)."""
    position, company = clip(connection.position, limit), clip(connection.company, limit)
    if position and company:
        return f"{position} at {company}"
    return position or company


def signal_lines(c: Connection, signals_known: bool) -> list[str]:
    """What the export says about the relationship, one line per kind of signal."""
    lines: list[str] = []
    messages = c.messages_sent + c.messages_received
    if messages:
        line = (
            f"💬 {texts.plural(messages, 'message')} "
            f"({c.messages_sent:,} from you, {c.messages_received:,} from them)"
        )
        if c.last_message_on:
            line += f", last {texts.month_year(c.last_message_on)}"
        lines.append(line)
    endorsements = []
    if c.endorsements_received:
        endorsements.append(f"endorsed you for {texts.plural(c.endorsements_received, 'skill')}")
    if c.endorsements_given:
        endorsements.append(f"you endorsed them for {texts.plural(c.endorsements_given, 'skill')}")
    if endorsements:
        lines.append("👍 " + " · ".join(endorsements).capitalize())
    recommendations = []
    if c.recommendations_received:
        recommendations.append("recommended you")
    if c.recommendations_given:
        recommendations.append("you recommended them")
    if recommendations:
        lines.append("⭐ " + " · ".join(recommendations).capitalize())
    if c.invited_by == "them":
        lines.append("🤝 They invited you")
    elif c.invited_by == "me":
        lines.append("🤝 You invited them")
    if not c.interactions:
        lines.append(texts.NO_SIGNALS if signals_known else texts.NO_SIGNAL_FILES)
    return lines


def card_text(view: CardView, today: date) -> str:
    """The text of a review card (or of the "all done" card)."""
    c, p = view.connection, view.progress
    if c is None:
        return texts.all_done(p) if view.recheck_left is None else texts.recheck_done(p)
    lines = [f"<b>{clip(c.full_name, MAX_NAME)}</b>"]
    if where := headline(c):
        lines.append(where)
    if c.connected_on:
        lines.append(
            f"📅 Connected {texts.month_year(c.connected_on)} · {texts.ago(c.connected_on, today)}"
        )
    elif c.connected_on_raw:
        lines.append(f"📅 Connected {clip(c.connected_on_raw, 40)}")
    else:
        lines.append(f"📅 {texts.UNKNOWN_DATE}")
    lines += signal_lines(c, view.signals_known)
    if view.order == "weakest" and c.interactions == 0 and c.state is None and view.signals_known:
        lines.append(f"<i>{texts.WHY_EARLY}</i>")
    if _rechecking(view):
        lines.append(f"<i>{texts.RECHECK_QUESTION}</i>")
    elif c.state:
        lines.append(f"<i>{texts.CURRENTLY[c.state]}</i>")
    reason_for = _reason_target(view)
    if reason_for:
        lines += ["", texts.REASON_PROMPT.format(name=clip(reason_for.name or "them", MAX_NAME))]
    if view.recheck_left is not None:
        lines += ["", texts.recheck_progress(view.recheck_left, p.kept, p.target)]
    else:
        lines += ["", texts.progress_line(p.reviewed, p.total, p.kept, p.target)]
    return "\n".join(lines)


def _rechecking(view: CardView) -> bool:
    """The card asks whether to keep someone kept before (the yearly re-check)."""
    return (
        view.recheck_left is not None
        and view.connection is not None
        and (view.connection.state == "keep")
    )


def _reason_target(view: CardView) -> LastDecision | None:
    """The cut just made, if it has no reason yet and is not the card on screen."""
    last = view.last
    current = view.connection.id if view.connection else None
    if not last or last.decision != "cut" or last.reason is not None:
        return None
    if last.connection_id == current:
        return None
    if view.recheck_since and last.decided_at < view.recheck_since:
        return None  # a cut from before this year's re-check: not the one just made
    return last


def card_keyboard(view: CardView) -> InlineKeyboardMarkup:
    """Keep / Cut / Skip / Undo, the profile link, and reason buttons after a cut."""
    rows: list[list[InlineKeyboardButton]] = []
    c = view.connection
    if c is not None and _rechecking(view):
        rows.append(
            [
                button(texts.BUTTON_STILL_KEEP, StillKeep(c.id)),
                button(texts.BUTTON_CUT, Decide(c.id, "cut")),
            ]
        )
        if view.last:
            rows.append([_undo_button(view)])
        rows.append([link_button(c)])
    elif c is not None:
        rows.append(
            [
                button(texts.BUTTON_KEEP, Decide(c.id, "keep")),
                button(texts.BUTTON_CUT, Decide(c.id, "cut")),
            ]
        )
        second = [button(texts.BUTTON_SKIP, Decide(c.id, "skip"))]
        if view.last:
            second.append(_undo_button(view))
        rows.append(second)
        rows.append([link_button(c)])
    else:
        if view.recheck_left is not None and view.progress.undecided + view.progress.skipped:
            rows.append([button(texts.BUTTON_CONTINUE_REVIEW, StartReview())])
        rows.append([button(texts.BUTTON_CUTLIST, ShowCutList())])
        if view.last:
            rows.append([_undo_button(view)])
    reason_for = _reason_target(view)
    if reason_for:
        buttons = [
            button(label, Reason(reason_for.connection_id, n))
            for n, label in texts.REASONS.items()
        ]
        rows += [buttons[0:2], buttons[2:4], buttons[4:]]
    return InlineKeyboardMarkup(rows)


def _undo_button(view: CardView) -> InlineKeyboardButton:
    """Undo for exactly the last decision, so a repeated press cannot undo two."""
    assert view.last is not None
    return button(texts.BUTTON_UNDO, Undo(view.last.connection_id, view.last.seq))


def render(view: CardView, today: date) -> tuple[str, InlineKeyboardMarkup]:
    """A card's text and keyboard."""
    return card_text(view, today), card_keyboard(view)


def find_keyboard(matches: list[Connection]) -> InlineKeyboardMarkup:
    """/find results: one button per person, opening their card."""
    return InlineKeyboardMarkup([[button(texts.find_label(m), View(m.id))] for m in matches])


def start_review_keyboard(
    first_import: bool, undecided: int, recheck: int = 0
) -> InlineKeyboardMarkup | None:
    """The buttons under an import's summary: review the undecided, re-check the kept."""
    rows = []
    if undecided:
        label = texts.BUTTON_START_REVIEW if first_import else texts.BUTTON_CONTINUE_REVIEW
        rows.append([button(label, StartReview())])
    if recheck:
        rows.append([button(texts.BUTTON_RECHECK, StartRecheck())])
    return InlineKeyboardMarkup(rows) if rows else None
