"""Updates from Telegram that this version of python-telegram-bot cannot read.

A Bot API server newer or older than the library can send an update the library
refuses to parse (a poll without a field it requires, say). Unchecked, polling fails
on the whole batch and fetches it again forever, and the library logs the raw update,
names and texts included. Here an update that cannot be read is replaced by its bare
id, so it is confirmed and skipped, and the log names only that id.

Polling reads each batch once, as the library does: a press waits for nothing more.
Only a batch the library could not read, which it then asks for again from the same
offset, is read here update by update.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Bot, Update
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)

# What the library logs, at CRITICAL, about a batch it could not read: the Bot's record
# quotes every update in it (names and texts included); the Updater's says the batch was
# not processed, with the parse error's traceback. Both are replaced by this module's
# own lines, which name the updates by id alone.
_LIBRARY_RECORDS = {
    "telegram.Bot": "Error while parsing updates",
    "telegram.ext.ExtBot": "Error while parsing updates",
    "telegram.ext.Updater": "Something went wrong processing the data received from Telegram",
}


def read_update(raw: dict[str, Any], bot: Bot | None) -> Update:
    """The update as the library reads it, or (if it cannot) only its id."""
    return _parsed(raw, bot) or Update(update_id=raw.get("update_id", 0))


def readable(raw: dict[str, Any]) -> dict[str, Any]:
    """The update as it came if the library can read it, else just its id."""
    return raw if _parsed(raw, None) else {"update_id": raw.get("update_id")}


def _parsed(raw: dict[str, Any], bot: Bot | None) -> Update | None:
    """The library's reading of the update; None, logged by id alone, if it cannot."""
    try:
        return Update.de_json(raw, bot)
    except Exception as exc:  # any parse failure: the library raises what it raises
        log.warning(
            "skipped update %s: this version cannot read it (%s)",
            raw.get("update_id"),
            type(exc).__name__,
        )
        return None


class HideBatchRecords(logging.Filter):
    """Drop one logger's record of a batch the library could not read."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        """False for that record; every other passes."""
        return not str(record.msg).startswith(self.prefix)


def hide_batch_records() -> None:
    """Keep the library's records of an unreadable batch out of the log (once per process)."""
    for name, prefix in _LIBRARY_RECORDS.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideBatchRecords) for f in logger.filters):
            logger.addFilter(HideBatchRecords(prefix))


class TolerantUpdatesRequest(HTTPXRequest):
    """The getUpdates connection: an unreadable update is skipped, not fatal."""

    def __init__(self) -> None:
        # One connection, as python-telegram-bot gives getUpdates by default.
        super().__init__(connection_pool_size=1)
        self._batch_at: object = None  # the offset of the last answer that held updates
        hide_batch_records()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        """Send the request; clean a batch of updates the library could not read."""
        status, body = await super().do_request(url, method, request_data, *args, **kwargs)
        if status != 200 or not url.endswith("/getUpdates"):
            return status, body
        offset = request_data.parameters.get("offset") if request_data else None
        # The library moves the offset past every batch it read; the same offset
        # again after a batch means it could not read that one.
        again = self._batch_at is not None and offset == self._batch_at
        self._batch_at = offset if b'"update_id"' in body else None
        return status, (_cleaned(body) if again else body)


def _cleaned(body: bytes) -> bytes:
    """A getUpdates answer with each unreadable update replaced by its bare id."""
    try:
        answer = json.loads(body)
        updates = answer["result"]
    except (ValueError, KeyError, TypeError):
        return body  # not ours to judge: the library reports it
    if not isinstance(updates, list):
        return body
    log.info(
        "the library could not read a batch of %s updates; reading them one by one", len(updates)
    )
    cleaned = [readable(u) if isinstance(u, dict) else u for u in updates]
    if cleaned == updates:
        ids = [u.get("update_id") if isinstance(u, dict) else None for u in updates]
        log.warning("the library could not read updates %s, though each reads alone", ids)
        return body
    answer["result"] = cleaned
    return json.dumps(answer).encode()
