"""Webhook mode: Telegram posts each update to us; an HTTPS proxy in front ends TLS.

A thin alternative to long polling over the same Application. The endpoint is our
own (tornado, which python-telegram-bot's webhooks extra brings) rather than the
library's, for two reasons: an update the library cannot read is skipped by its id
instead of being refused with 400 (Telegram would send it again and again, holding up
that chat) and logged raw; and a request without the secret is refused quietly.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from typing import Any
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.web
from telegram import Update

from bot.app import post_init, post_shutdown
from bot.config import Settings
from bot.context import KeepcutApp
from bot.incoming import read_update

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class UpdateEndpoint(tornado.web.RequestHandler):
    """POST /<path>: one update from Telegram, checked against the secret."""

    def initialize(self, app: KeepcutApp, secret: str) -> None:
        """Keep the application and the secret Telegram was given."""
        self.app, self.secret = app, secret

    async def post(self) -> None:
        """Queue the update for the application; 200 tells Telegram it arrived."""
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.info("refused a webhook request without the right secret")
            self.set_status(403)
            return
        try:
            raw: Any = json.loads(self.request.body)
        except ValueError:
            raw = None
        if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int):
            self.set_status(400)
            return
        await self.app.update_queue.put(read_update(raw, self.app.bot))
        self.set_status(200)

    def log_exception(self, *args: Any) -> None:
        """Tornado would log request details; the application logs what matters."""


async def serve(app: KeepcutApp, settings: Settings) -> None:
    """Run the bot on its webhook until SIGTERM or SIGINT, then stop without losing updates."""
    assert settings.webhook_url
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    path = "/" + urlsplit(settings.webhook_url).path.lstrip("/")
    web = tornado.web.Application(
        [(path, UpdateEndpoint, {"app": app, "secret": settings.secret_token})]
    )
    server = tornado.httpserver.HTTPServer(web, xheaders=True)
    await app.initialize()
    try:
        # post_init runs only inside run_polling()/run_webhook(); call it as they would.
        await post_init(app)
        await app.start()
        server.listen(settings.webhook_port, settings.webhook_listen)
        await app.bot.set_webhook(
            settings.webhook_url,
            secret_token=settings.secret_token,
            allowed_updates=Update.ALL_TYPES,
        )
        log.info(
            "webhook mode: listening on %s:%s", settings.webhook_listen, settings.webhook_port
        )
        await stop.wait()
        # Accept nothing new; what Telegram delivered is in the queue and is handled
        # before the application stops (Telegram keeps the rest until we are back).
        server.stop()
        await server.close_all_connections()
        await app.stop()
        await post_shutdown(app)
    finally:
        await app.shutdown()
