"""The handlers' context: typed access to the store and settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from storage.store import Store

if TYPE_CHECKING:
    from bot.imports import ImportTracker


class KeepcutContext(CallbackContext[ExtBot, dict, dict, dict]):
    """CallbackContext with the store, settings and running imports as attributes."""

    @property
    def store(self) -> Store:
        """The database."""
        return self.application.bot_data["store"]

    @property
    def settings(self) -> Settings:
        """The configuration the bot was started with."""
        return self.application.bot_data["settings"]

    @property
    def imports(self) -> ImportTracker:
        """Which people have an import running right now."""
        return self.application.bot_data["imports"]


KeepcutApp = Application[ExtBot, KeepcutContext, dict, dict, dict, object]
