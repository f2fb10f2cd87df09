"""Who a row is: profile URL normalisation and connection keys."""

from __future__ import annotations

import datetime

import pytest

from storage.export import connection_key, normalise_profile_url

ROOT = "https://www.linkedin.com/"
IN = ROOT + "in/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (IN + "ada-example-3b2a91", IN + "ada-example-3b2a91"),
        (IN + "ada-example/", IN + "ada-example"),
        ("www.linkedin.com/in/ada-example", IN + "ada-example"),
        ("linkedin.com/in/ada-example", IN + "ada-example"),
        ("//www.linkedin.com/in/ada-example", IN + "ada-example"),
        ("http://www.linkedin.com/in/ada-example", IN + "ada-example"),
        ("HTTPS://WWW.LINKEDIN.COM/IN/Ada-Example", IN + "ada-example"),
        ("https://uk.linkedin.com/in/ada-example", IN + "ada-example"),
        ("https://de.linkedin.com/in/ada-example?trk=abc#top", IN + "ada-example"),
        (IN + "ada-example/details/skills/", IN + "ada-example"),
        ("https://www.linkedin.com/mwlite/in/ada-example", IN + "ada-example"),
        ("https://linkedin.com:443/in/ada-example", IN + "ada-example"),
        ("  <https://www.linkedin.com/in/ada-example>  ", IN + "ada-example"),
        (IN + "Zo%C3%AB-Ex%C3%A1mple", IN + "zo%C3%AB-ex%C3%A1mple"),
        (IN + "zoë-exámple", IN + "zo%C3%AB-ex%C3%A1mple"),
        (IN + "ACoAABcdEFGhijKLmnOPqrSTuv", IN + "ACoAABcdEFGhijKLmnOPqrSTuv"),
        (ROOT + "pub/ada-example/1/2a/3b4", ROOT + "pub/ada-example/1/2a/3b4"),
        (ROOT + "company/Acme/about/", ROOT + "company/acme"),
        (ROOT + "profile/view?id=AB12cd&trk=x", ROOT + "profile/view?id=AB12cd"),
        ("https://example.com/in/ada-example", None),
        ("https://www.linkedin.com.evil.example/in/ada", None),
        ("https://lnkd.in/abc", None),
        ("ftp://www.linkedin.com/in/ada", None),
        ("https://www.linkedin.com/", None),
        (IN + "", None),
        ("N/A", None),
        ("", None),
    ],
)
def test_normalise_profile_url(url: str, expected: str | None) -> None:
    """Any LinkedIn host and spelling maps to one canonical URL; anything else to None."""
    assert normalise_profile_url(url) == expected


def test_key_from_url_ignores_spelling() -> None:
    """All spellings of one profile give one key."""
    keys = {
        connection_key(url, "Ada", "Example", None, "")
        for url in (
            "https://www.linkedin.com/in/Ada-Example/",
            "www.linkedin.com/in/ada-example",
            "http://fr.linkedin.com/in/ada-example?locale=fr_FR",
        )
    }
    assert keys == {"u:/in/ada-example"}


def test_key_without_url_uses_folded_name_and_date() -> None:
    """Without a URL: accents, case and spacing do not matter; the date does."""
    day = datetime.date(2025, 3, 15)
    key = connection_key(None, "  Zoë ", "Exámple  Smith", day, "15 Mar 2025")
    assert key == "n:zoe example smith|2025-03-15"
    assert connection_key("", "ZOE", "example smith", day, "3/15/2025") == key
    assert connection_key(None, "Zoe", "Example Smith", None, " Someday  SOON ") == (
        "n:zoe example smith|someday soon"
    )
    assert connection_key(None, "Zoe", "Example Smith", None, "") == "n:zoe example smith|"


def test_foreign_url_falls_back_to_the_name_key() -> None:
    """A URL that is not LinkedIn's is no identity."""
    key = connection_key("https://example.com/ada", "Ada", "Example", None, "")
    assert key == "n:ada example|"
