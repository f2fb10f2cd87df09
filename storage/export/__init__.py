"""Reading LinkedIn data exports (the ZIP, or Connections.csv alone) into plain records.

Pure functions over bytes: no database, no Telegram, nothing written to disk.
"""

from .archive import (
    MAX_CENTRAL_DIRECTORY_BYTES,
    MAX_CONNECTIONS_BYTES,
    MAX_MEMBERS,
    MAX_NESTED_ZIP_BYTES,
    MAX_RATIO,
    MAX_SIGNAL_BYTES,
    MAX_UNCOMPRESSED_TOTAL,
    RATIO_CHECK_MIN_BYTES,
)
from .connections import MAX_CONNECTIONS
from .identity import connection_key, normalise_profile_url
from .problems import ExportError, ExportProblem
from .reader import read_export
from .records import ConnectionRecord, Invitation, ParsedExport, Signals

__all__ = [
    "MAX_CENTRAL_DIRECTORY_BYTES",
    "MAX_CONNECTIONS",
    "MAX_CONNECTIONS_BYTES",
    "MAX_MEMBERS",
    "MAX_NESTED_ZIP_BYTES",
    "MAX_RATIO",
    "MAX_SIGNAL_BYTES",
    "MAX_UNCOMPRESSED_TOTAL",
    "RATIO_CHECK_MIN_BYTES",
    "ConnectionRecord",
    "ExportError",
    "ExportProblem",
    "Invitation",
    "ParsedExport",
    "Signals",
    "connection_key",
    "normalise_profile_url",
    "read_export",
]
