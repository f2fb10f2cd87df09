"""The composition root: build_application(settings) wires storage, handlers and jobs."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, time, timedelta

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    JobQueue,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import texts
from bot.clock import Clock
from bot.config import Settings
from bot.context import KeepcutApp, KeepcutContext
from bot.errors import on_error
from bot.gate import gate
from bot.handlers import (
    buttons,
    cutlist,
    hints,
    privacy,
    review,
    schedule_settings,
    start,
    stats,
    upload,
)
from bot.incoming import TolerantUpdatesRequest
from bot.ratelimit import ChatRateLimiter
from bot.running_imports import RunningImports
from bot.schedules.sweep import SWEEP_DELAY, seconds_to_next_minute, sweep_job
from bot.updates import PerPersonUpdateProcessor
from storage import backup, health
from storage.store import Store

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 60
# Daily, at an odd minute of a quiet hour: 03:17 UTC is night in Europe and Africa and
# evening in the Americas, and away from :00 and :30, where reminders (whole minutes
# people pick) and the machine's own cron jobs and backups bunch up.
BACKUP_TIME = time(3, 17, tzinfo=UTC)
BACKUP_MAX_AGE = timedelta(hours=24)
# After a start, a missed backup waits a minute: the bot first gets going.
CATCH_UP_BACKUP_DELAY = 60


def build_application(
    settings: Settings, store: Store | None = None, clock: Clock | None = None
) -> KeepcutApp:
    """Build the bot: configuration, store, clock, every handler in order, error handler."""
    app: KeepcutApp = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        # A self-hosted Bot API server in --local mode hands out files as paths on disk.
        .local_mode(settings.local_mode)
        # An update this library version cannot read is skipped, not fatal to polling.
        .get_updates_request(TolerantUpdatesRequest())
        .context_types(ContextTypes(context=KeepcutContext))
        .job_queue(JobQueue[KeepcutContext]())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # Pace new messages per chat and retry a 429 after the wait Telegram asks for.
        .rate_limiter(
            ChatRateLimiter(
                max_retries=3,
                overall_per_second=settings.messages_per_second,
                private_interval=settings.private_chat_interval,
                group_interval=settings.group_chat_interval,
            )
        )
        .concurrent_updates(PerPersonUpdateProcessor())
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["settings"] = settings
    app.bot_data["store"] = store or Store(settings.db_path)
    app.bot_data["imports"] = RunningImports()
    app.bot_data["clock"] = clock or Clock()
    register_handlers(app)
    return app


def register_handlers(app: KeepcutApp) -> None:
    """Add every handler; groups and order decide who sees an update first."""
    # Group -1 runs before everything: private chats only, the allow-list, and
    # recording who wrote. It stops the update for anyone it turns away.
    app.add_handler(TypeHandler(Update, gate), group=-1)

    # Presses first: the most frequent update, and the one a person waits on.
    app.add_handler(CallbackQueryHandler(buttons.button))
    app.add_handler(CommandHandler("start", start.start))
    app.add_handler(CommandHandler("help", start.help_command))
    app.add_handler(CommandHandler("review", review.review_command))
    app.add_handler(CommandHandler("undo", review.undo_command))
    app.add_handler(CommandHandler("find", review.find_command))
    app.add_handler(CommandHandler("stats", stats.stats_command))
    app.add_handler(CommandHandler("target", stats.target_command))
    app.add_handler(CommandHandler("cutlist", cutlist.cutlist_command))
    app.add_handler(CommandHandler("invitations", cutlist.invitations_command))
    app.add_handler(CommandHandler("remind", schedule_settings.remind_command))
    app.add_handler(CommandHandler("summary", schedule_settings.summary_command))
    app.add_handler(CommandHandler("nudge", schedule_settings.nudge_command))
    app.add_handler(CommandHandler("timezone", schedule_settings.timezone_command))
    app.add_handler(CommandHandler("mydata", privacy.mydata_command))
    app.add_handler(CommandHandler("forget", privacy.forget_command))

    # Uploads and everything else a person might send; commands first, so these
    # catch-alls only see what no command handler above took.
    app.add_handler(MessageHandler(filters.Document.ALL, upload.document))
    app.add_handler(MessageHandler(filters.PHOTO, hints.photo))
    app.add_handler(MessageHandler(filters.COMMAND, hints.unknown_command))
    app.add_handler(MessageHandler(filters.TEXT, hints.text))
    anything_else = filters.ATTACHMENT | filters.Sticker.ALL | filters.LOCATION
    app.add_handler(MessageHandler(anything_else, hints.other_media))

    app.add_error_handler(on_error)


async def post_init(app: Application) -> None:
    """Once connected: publish the command menu, start the schedule sweep and upkeep jobs."""
    await app.bot.set_my_commands([BotCommand(c, d) for c, d in texts.COMMANDS])
    start_sweeping(app)
    start_heartbeat(app)
    start_backups(app)
    log.info("keepcut started as @%s", app.bot.username)


def start_sweeping(app: Application) -> None:
    """Sweep for due schedules now (what fell due while down) and at every minute's start."""
    assert app.job_queue is not None
    clock: Clock = app.bot_data["clock"]
    # No APScheduler misfire limit: a sweep that starts late still sends what is due.
    # A second instance may start while a long fan-out runs: the sweep's own lock
    # sends it home at once (APScheduler would log a warning for each refused run).
    options = {"misfire_grace_time": None, "coalesce": True, "max_instances": 2}
    app.job_queue.run_once(sweep_job, when=1, name="catch-up sweep", job_kwargs=options)
    app.job_queue.run_repeating(
        sweep_job,
        interval=60,
        # A little after the minute starts: "10:00" means 10:00, never 09:59:59.
        first=seconds_to_next_minute(clock.now()) + SWEEP_DELAY,
        name="sweep",
        job_kwargs=options,
    )


def start_heartbeat(app: Application) -> None:
    """Note in the database now and every minute that the bot is alive (`keepcut health`)."""
    assert app.job_queue is not None
    # A beat that starts late is still a beat; beats missed while busy are one.
    options = {"misfire_grace_time": None, "coalesce": True}
    # The first one as soon as the job queue starts: a repeating job whose first run
    # time passed before the scheduler started would wait a whole interval.
    app.job_queue.run_once(heartbeat_job, when=0, name="first heartbeat", job_kwargs=options)
    app.job_queue.run_repeating(
        heartbeat_job,
        interval=HEARTBEAT_SECONDS,
        first=HEARTBEAT_SECONDS,
        name="heartbeat",
        job_kwargs=options,
    )


async def heartbeat_job(context: KeepcutContext) -> None:
    """The JobQueue callback: one small write through the database thread."""
    # Through the bot's own thread on purpose: a beat means the event loop and the
    # database thread both still move.
    await context.store.run(health.beat, context.clock.now())


def start_backups(app: Application) -> None:
    """Back up daily at BACKUP_TIME, and soon after start when the newest is over a day old."""
    settings: Settings = app.bot_data["settings"]
    if settings.backup_dir is None:
        return
    assert app.job_queue is not None
    # A backup that starts late (the loop was busy at 03:17) is still wanted.
    options = {"misfire_grace_time": None, "coalesce": True}
    app.job_queue.run_daily(backup_job, BACKUP_TIME, name="daily backup", job_kwargs=options)
    # A bot restarted every day before 03:17 would otherwise never take one.
    newest = backup.newest_backup(settings.backup_dir)
    clock: Clock = app.bot_data["clock"]
    if newest is None or clock.now() - newest > BACKUP_MAX_AGE:
        app.job_queue.run_once(
            backup_job, when=CATCH_UP_BACKUP_DELAY, name="catch-up backup", job_kwargs=options
        )


async def backup_job(context: KeepcutContext) -> None:
    """The JobQueue callback: take the backup; a failure is one line in the log."""
    try:
        result = await run_backup(context.app)
    except backup.BackupError as exc:
        # Expected failures (disk full, folder not writable): the bot goes on, and the
        # next day's backup, or the next start's, tries again.
        log.error("backup failed: %s", exc)
        return
    log.info("backup: %s, %d bytes in %.1f s", result.path, result.size, result.seconds)


async def run_backup(app: KeepcutApp) -> backup.Backup:
    """Copy the database into KEEPCUT_BACKUP_DIR and keep the newest KEEPCUT_BACKUP_KEEP."""
    settings: Settings = app.bot_data["settings"]
    store: Store = app.bot_data["store"]
    clock: Clock = app.bot_data["clock"]
    assert settings.backup_dir is not None
    lock: asyncio.Lock = app.bot_data.setdefault("backup_lock", asyncio.Lock())
    # One at a time (the daily one and a catch-up may meet). The copy runs on a thread
    # of its own with its own connection: neither the event loop nor the database
    # thread waits for it, and presses go on being committed while it copies.
    async with lock:
        return await asyncio.to_thread(
            backup.take_backup,
            store.path,
            settings.backup_dir,
            settings.backup_keep,
            clock.now(),
        )


async def post_shutdown(app: Application) -> None:
    """Close the database after the last update has been handled."""
    store: Store = app.bot_data["store"]
    store.close()
