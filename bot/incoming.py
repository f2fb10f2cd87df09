"""Updates from Telegram that this version of python-telegram-bot cannot read.

A Bot API server newer or older than the library can send an update the library
refuses to parse (a poll without a field it requires, say). Unchecked, polling fails
on the whole batch and fetches it again forever, and the library logs the raw update,
names and texts included. Here each update is read on its own; one that cannot be
read is replaced by its bare id, so it is confirmed and skipped, and the log names only
that id.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Update
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)


def readable(raw: dict[str, Any]) -> dict[str, Any]:
    """The update as it came if the library can read it, else just its id."""
    try:
        Update.de_json(raw, None)
    except Exception as exc:  # any parse failure: the library raises what it raises
        log.warning(
            "skipped update %s: this version cannot read it (%s)",
            raw.get("update_id"),
            type(exc).__name__,
        )
        return {"update_id": raw.get("update_id")}
    return raw


class TolerantUpdatesRequest(HTTPXRequest):
    """The getUpdates connection: an unreadable update is skipped, not fatal."""

    def __init__(self) -> None:
        # One connection, as python-telegram-bot gives getUpdates by default.
        super().__init__(connection_pool_size=1)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        """Send the request; clean a getUpdates answer of updates that cannot be read."""
        status, body = await super().do_request(url, method, request_data, *args, **kwargs)
        if status != 200 or not url.endswith("/getUpdates"):
            return status, body
        try:
            answer = json.loads(body)
            updates = answer["result"]
        except (ValueError, KeyError, TypeError):
            return status, body  # not ours to judge: the library reports it
        if not isinstance(updates, list):
            return status, body
        cleaned = [readable(u) if isinstance(u, dict) else u for u in updates]
        if cleaned == updates:
            return status, body
        answer["result"] = cleaned
        return status, json.dumps(answer).encode()
