"""Text normalisation shared by storage: names as they are searched and matched."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Case-fold, strip accents and collapse white space ("  Zoë  Ă " -> "zoe a")."""
    if text.isascii():
        # Most names: nothing to decompose (and 30,000 of them per import).
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
