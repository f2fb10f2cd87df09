"""/timezone, /remind, /summary and /nudge: when scheduled messages come."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, time

from telegram import InlineKeyboardMarkup, Update

from bot import texts
from bot.callbacks import PickZone, button
from bot.context import KeepcutContext
from bot.schedules import compose, setup
from bot.schedules.parse import Bad, parse_remind, parse_time
from bot.schedules.zones import Found, find_zone, likely_zones
from bot.telegram_io import answer_quietly
from storage import users
from storage.schedules import Kind, Schedule
from storage.zones import to_tzinfo

log = logging.getLogger(__name__)


def zone_keyboard(names: tuple[str, ...]) -> InlineKeyboardMarkup:
    """One button per time zone, two to a row."""
    keys = [button(name.replace("_", " "), PickZone(name)) for name in names]
    return InlineKeyboardMarkup([keys[i : i + 2] for i in range(0, len(keys), 2)])


async def _reply(
    context: KeepcutContext, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Answer in the person's chat."""
    await context.bot.send_message(context.person.chat_id, text, reply_markup=markup)


async def _ask_zone_once(update: Update, context: KeepcutContext) -> None:
    """After the first reminder-related command, ask once which zone the person is in."""
    user = context.person
    if user.timezone_chosen or user.timezone_asked:
        return
    await context.store.run(users.mark_timezone_asked, user.user_id)
    context.person = replace(user, timezone_asked=True)
    language = update.effective_user.language_code if update.effective_user else None
    await _reply(context, texts.ZONE_ASK, zone_keyboard(likely_zones(language)))


async def _save(context: KeepcutContext, kind: Kind, spec: dict, active: bool) -> Schedule:
    """Save one of the person's schedules; returns it with its next due moment."""
    return await context.store.run(
        setup.set_schedule, context.person.user_id, kind, spec, active, context.clock.now()
    )


async def _current(context: KeepcutContext, kind: Kind) -> Schedule:
    """The person's schedule of this kind (the default if never set)."""
    return await context.store.run(
        setup.schedule_of, context.person.user_id, kind, context.clock.now()
    )


async def timezone_command(update: Update, context: KeepcutContext) -> None:
    """/timezone [city | zone | offset]: show or set the person's time zone."""
    user = context.person
    typed = " ".join(context.args or []).strip()
    if not typed:
        local = context.clock.now().astimezone(user.zone)
        await _reply(context, texts.zone_now(user.timezone, local))
        return
    found = find_zone(typed[:80])
    if not isinstance(found, Found):
        markup = zone_keyboard(found.suggestions) if found.suggestions else None
        await _reply(context, texts.zone_unknown(typed, bool(found.suggestions)), markup)
        return
    await _set_zone(context, found.name, found.fixed_offset)


async def zone_button(update: Update, context: KeepcutContext, name: str) -> None:
    """A time-zone button (from the question, or from suggestions)."""
    assert update.callback_query
    found = find_zone(name)
    if not isinstance(found, Found) or found.name != name:
        await answer_quietly(update.callback_query, texts.ZONE_BAD_BUTTON)
        return
    await answer_quietly(update.callback_query)
    await _set_zone(context, found.name, found.fixed_offset)


async def _set_zone(context: KeepcutContext, name: str, fixed_offset: bool) -> None:
    """Save the zone, move the person's schedules to it, and confirm."""
    user = context.person
    await context.store.run(setup.change_zone, user.user_id, name, context.clock.now())
    context.person = replace(user, timezone=name, timezone_chosen=True, timezone_asked=True)
    local = context.clock.now().astimezone(to_tzinfo(name))
    await _reply(context, texts.zone_set(name, local, fixed_offset))


async def remind_command(update: Update, context: KeepcutContext) -> None:
    """/remind [DATE [TIME] | off | on | preview]: the yearly spring-clean reminder."""
    args = context.args or []
    word = args[0].lower() if args else ""
    current = await _current(context, "yearly")
    if word == "preview":
        await send_yearly_preview(context, current)
    elif word in ("off", "on"):
        current = await _save(context, "yearly", current.spec, word == "on")
        await _reply(context, _remind_state(context, current))
    elif args:
        parsed = parse_remind(args)
        if isinstance(parsed, Bad):
            await _reply(context, texts.remind_bad(parsed.problem))
            return
        at = parsed.at or time(current.spec["hour"], current.spec["minute"])
        spec = {"month": parsed.month, "day": parsed.day, "hour": at.hour, "minute": at.minute}
        if parsed.year:
            spec["first_year"] = parsed.year
        current = await _save(context, "yearly", spec, True)
        due = _local(context, current)
        await _reply(
            context,
            texts.remind_set(
                parsed.month, parsed.day, due, _today(context), context.person.timezone
            ),
        )
    else:
        await _reply(context, _remind_state(context, current))
    await _ask_zone_once(update, context)


def _local(context: KeepcutContext, schedule: Schedule) -> datetime:
    """The schedule's next due moment in the person's zone."""
    assert schedule.next_due is not None
    return schedule.next_due.astimezone(context.person.zone)


def _today(context: KeepcutContext) -> date:
    """Today where the person lives, by the bot's clock."""
    return context.clock.now().astimezone(context.person.zone).date()


def _remind_state(context: KeepcutContext, current: Schedule) -> str:
    """What /remind says about the reminder now."""
    due = _local(context, current)
    if not current.active:
        return texts.remind_off(due)
    return texts.remind_next(due, _today(context), context.person.timezone)


async def send_yearly_preview(context: KeepcutContext, current: Schedule) -> None:
    """/remind preview: the yearly reminder, now, without counting it as sent."""
    user = context.person
    text, markup, _chart = await context.store.run(
        compose.yearly_message, user, context.clock.now()
    )
    await _reply(context, text, markup)
    note = texts.REMIND_PREVIEW_NOTE.format(when=texts.local_when(_local(context, current)))
    await _reply(context, note if current.active else texts.remind_off(_local(context, current)))


async def summary_command(update: Update, context: KeepcutContext) -> None:
    """/summary [weekly | monthly | off]: how often progress summaries come."""
    args = context.args or []
    word = args[0].lower() if args else ""
    current = await _current(context, "summary")
    if word in ("weekly", "monthly"):
        current = await _save(context, "summary", {"every": word}, True)
    elif word == "off":
        current = await _save(context, "summary", current.spec, False)
    elif word:
        await _reply(context, texts.SUMMARY_USAGE)
        return
    every = str(current.spec.get("every", "weekly")) if current.active else None
    await _reply(context, texts.summary_state(every, _local(context, current)))
    await _ask_zone_once(update, context)


async def nudge_command(update: Update, context: KeepcutContext) -> None:
    """/nudge [HH:MM | on | off]: a daily review card at the person's chosen time."""
    args = context.args or []
    word = " ".join(args).lower()
    current = await _current(context, "nudge")
    if word in ("on", "off"):
        current = await _save(context, "nudge", {**current.spec, "unanswered": 0}, word == "on")
    elif word:
        chosen = parse_time(word)
        if isinstance(chosen, Bad):
            await _reply(context, texts.nudge_bad(chosen.problem))
            return
        spec = {"hour": chosen.hour, "minute": chosen.minute}
        current = await _save(context, "nudge", spec, True)
    at = time(current.spec["hour"], current.spec["minute"]) if current.active else None
    await _reply(context, texts.nudge_state(at, _local(context, current), _today(context)))
    await _ask_zone_once(update, context)
