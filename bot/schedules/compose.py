"""Deciding what one due schedule sends, and claiming it: runs on the database thread.

`prepare` reads what the message needs, decides whether there is anything worth
saying, and claims the occurrence (storage.schedules.claim) before anything is sent.
It returns None when nothing may be sent: already claimed, too late, or nothing new.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database
from telegram import InlineKeyboardMarkup

from bot import forecast, texts
from bot.callbacks import ShowCutList, StartRecheck, StartReview, button
from bot.schedules.news import SummaryNews, YearlyNews
from bot.schedules.plan import rule_for
from bot.schedules.rules import catch_up, next_due, period_key
from storage import progress, schedules, users
from storage.cards import card_view
from storage.recheck import waiting_count
from storage.records import CardView, Walk
from storage.schedules import Schedule
from storage.users import User, utc_now_iso

log = logging.getLogger(__name__)

UNANSWERED_NUDGES = 3  # nudges in a row without an answer, and the daily card pauses
STREAK_WINDOW = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One claimed message, ready to send."""

    schedule: Schedule
    period: str
    next_due: datetime
    user: User
    text: str = ""
    markup: InlineKeyboardMarkup | None = None
    card: CardView | None = None  # a nudge: this card becomes the person's live card
    chart: bool = False  # send the network chart as a photo, `text` as its caption
    fingerprint: str | None = None
    then_stop: bool = False  # switch the schedule off once this is sent
    spec: dict[str, Any] = field(default_factory=dict)  # the schedule's settings after it


def prepare(db: Database, schedule: Schedule, now: datetime) -> Outgoing | None:
    """Claim the due occurrence of `schedule` and compose it; None if nothing may go."""
    user = users.get_user(db, schedule.user_id)
    if user is None or user.blocked or schedule.next_due is None:
        return None
    rule = rule_for(schedule.kind, schedule.spec)
    occurrence, in_time = catch_up(rule, schedule.next_due, now, user.zone)
    following = next_due(rule, occurrence, user.zone)
    period = period_key(schedule.kind, rule, occurrence, user.zone)
    base = Outgoing(schedule, period, following, user, spec=schedule.spec)
    composed: Outgoing | str = "too late"
    if in_time:
        match schedule.kind:
            case "yearly":
                composed = _yearly(db, user, base, now)
            case "summary":
                composed = _summary(db, user, base, now)
            case "nudge":
                composed = _nudge(db, user, base)
    if isinstance(composed, str):
        # Passed over, and recorded so: no later sweep tries this occurrence again.
        if schedules.claim(db, schedule, period, occurrence, following, "skipped", now):
            log.info("user %s: %s skipped (%s)", user.user_id, period, composed)
        return None
    if not schedules.claim(db, schedule, period, occurrence, following, "claimed", now):
        return None
    if composed.spec != schedule.spec:
        schedules.set_spec(db, user.user_id, schedule.kind, composed.spec)
    if schedule.kind == "yearly":
        # This year's clean starts now: the keeps made before it are to be re-checked.
        users.set_review_mode(db, user.user_id, user.review_mode, utc_now_iso(now))
    return composed


def yearly_message(
    db: Database, user: User, now: datetime
) -> tuple[str, InlineKeyboardMarkup | None, bool]:
    """The spring-cleaning reminder's text, buttons, and whether a chart goes with it."""
    p = progress.progress(db, user.user_id)
    last = progress.last_import(db, user.user_id)
    to_recheck = waiting_count(db, user.user_id, utc_now_iso(now))
    news = YearlyNews(
        progress=p,
        last_export=last[0].astimezone(user.zone).date() if last else None,
        export_size=last[1] if last else 0,
        to_recheck=to_recheck,
        today=now.astimezone(user.zone).date(),
    )
    rows = []
    if p.undecided + p.skipped:
        rows.append([button(texts.BUTTON_CONTINUE_REVIEW, StartReview())])
    if to_recheck:
        rows.append([button(texts.BUTTON_RECHECK, StartRecheck())])
    markup = InlineKeyboardMarkup(rows) if rows else None
    return texts.yearly_reminder(news), markup, p.total > 0


def _yearly(db: Database, user: User, base: Outgoing, now: datetime) -> Outgoing:
    """The yearly reminder: always sent, whether or not a review is unfinished."""
    text, markup, chart = yearly_message(db, user, now)
    return replace(base, text=text, markup=markup, chart=chart)


def _summary(db: Database, user: User, base: Outgoing, now: datetime) -> Outgoing | str:
    """A progress summary, or why none goes out (nothing open, or nothing new)."""
    p = progress.progress(db, user.user_id)
    if not (p.undecided + p.skipped or p.cut - p.removed):
        return "nothing left to review or remove"
    pace = progress.recent_pace(db, user.user_id, now)
    today = now.astimezone(user.zone).date()
    hours = progress.answer_hours(db, user.user_id, now - STREAK_WINDOW)
    news = SummaryNews(
        every=str(base.schedule.spec.get("every", "weekly")),
        progress=p,
        pace=pace,
        streak=streak(hours, user, today),
        finish_on=forecast.project(p, pace, today).finish_on,
        today=today,
    )
    last = schedules.last_delivery(db, user.user_id, "summary")
    if last is not None and last.fingerprint == news.fingerprint:
        return "nothing new since the last summary"
    rows = []
    if p.undecided + p.skipped:
        rows.append([button(texts.BUTTON_CONTINUE_REVIEW, StartReview())])
    if p.cut - p.removed:
        rows.append([button(texts.BUTTON_CUTLIST, ShowCutList())])
    markup = InlineKeyboardMarkup(rows) if rows else None
    text = texts.summary_text(news)
    return replace(base, text=text, markup=markup, fingerprint=news.fingerprint)


def streak(hours: list[datetime], user: User, today: date) -> int:
    """Days in a row with an answer, ending today (or yesterday, if today has none yet)."""
    days = {hour.astimezone(user.zone).date() for hour in hours}
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def _nudge(db: Database, user: User, base: Outgoing) -> Outgoing:
    """Today's card; or word that the daily card stops (nothing left, or unanswered)."""
    view = card_view(db, user.user_id, user.walk)
    if view.connection is None and user.walk.recheck_since is not None:
        view = card_view(db, user.user_id, Walk(user.review_order))  # re-check done
        users.set_review_mode(db, user.user_id, "review")
    if view.connection is None:
        return replace(base, text=texts.NUDGE_DONE, then_stop=True)
    last = schedules.last_delivery(db, user.user_id, "nudge")
    unanswered = int(base.spec.get("unanswered", 0))
    if last is not None:
        answered = progress.answered_since(db, user.user_id, last.claimed_at)
        unanswered = 0 if answered else unanswered + 1
    if unanswered >= UNANSWERED_NUDGES:
        spec = {**base.spec, "unanswered": 0}
        return replace(base, text=texts.NUDGE_PAUSED, then_stop=True, spec=spec)
    return replace(base, card=view, spec={**base.spec, "unanswered": unanswered})
