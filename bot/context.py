"""The handlers' context: typed access to the store, settings and the person writing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.clock import Clock
from bot.config import Settings
from bot.running_imports import RunningImports
from storage.store import Store
from storage.users import User

_PERSON = "person"
_TOUCHED = "touched"
# users.touch_user writes "last seen" at most once a minute; the gate asks no more often.
TOUCH_EVERY = timedelta(minutes=1)


# The bot's ExtBot is parametrised by its rate limiter's argument type (bot.ratelimit).
Bot = ExtBot[int]
Data = dict[Any, Any]


class KeepcutContext(CallbackContext[Bot, Data, Data, Data]):
    """CallbackContext with the store, settings, running imports and the person."""

    @property
    def store(self) -> Store:
        """The database."""
        return self.application.bot_data["store"]

    @property
    def settings(self) -> Settings:
        """The configuration the bot was started with."""
        return self.application.bot_data["settings"]

    @property
    def app(self) -> KeepcutApp:
        """The running application, typed as keepcut builds it."""
        return cast("KeepcutApp", self.application)

    @property
    def clock(self) -> Clock:
        """What time it is (the real time, or a test's)."""
        return self.application.bot_data["clock"]

    @property
    def imports(self) -> RunningImports:
        """Which people have an import running right now."""
        return self.application.bot_data["imports"]

    @property
    def person(self) -> User:
        """The person who sent this update, as the gate loaded them (or last saved)."""
        user = self.user_data.get(_PERSON) if self.user_data is not None else None
        if not isinstance(user, User):
            raise LookupError("the gate has not loaded the person for this update")
        return user

    @person.setter
    def person(self, user: User) -> None:
        """Remember the person as they now are (after a setting changed)."""
        if self.user_data is None:
            raise LookupError("this update has no person")
        self.user_data[_PERSON] = user

    def known_person(self) -> User | None:
        """The person as the bot last loaded or saved them, if it has them in memory."""
        user = self.user_data.get(_PERSON) if self.user_data is not None else None
        return user if isinstance(user, User) else None

    def touched_lately(self, now: datetime) -> bool:
        """Whether the person's row was touched (last seen) within the last minute."""
        at = self.user_data.get(_TOUCHED) if self.user_data is not None else None
        return isinstance(at, datetime) and timedelta(0) <= now - at < TOUCH_EVERY

    def mark_touched(self, now: datetime) -> None:
        """Note that the person's row was just touched."""
        if self.user_data is not None:
            self.user_data[_TOUCHED] = now


KeepcutApp = Application[Bot, KeepcutContext, Data, Data, Data, JobQueue[KeepcutContext]]


def reload_person(app: KeepcutApp, user_id: int) -> None:
    """Make the gate read the person's row again on their next update (it changed)."""
    data = app.user_data.get(user_id)
    if data is not None:
        data.pop(_PERSON, None)
