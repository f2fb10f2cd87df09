"""The composition root: build_application(settings) wires storage, handlers and jobs."""

from __future__ import annotations

import logging

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
from bot.ratelimit import ChatRateLimiter
from bot.running_imports import RunningImports
from bot.schedules.sweep import SWEEP_DELAY, seconds_to_next_minute, sweep_job
from bot.updates import PerPersonUpdateProcessor
from storage.store import Store

log = logging.getLogger(__name__)


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
    app.add_handler(CallbackQueryHandler(buttons.button))

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
    """Once connected: publish the command menu, start the schedule sweep."""
    await app.bot.set_my_commands([BotCommand(c, d) for c, d in texts.COMMANDS])
    start_sweeping(app)
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


async def post_shutdown(app: Application) -> None:
    """Close the database after the last update has been handled."""
    store: Store = app.bot_data["store"]
    store.close()
