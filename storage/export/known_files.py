"""Recognising the other files of a LinkedIn export by their header row."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s_\-\ufeff]+")


def header_key(cell: str) -> str:
    """A header cell as compared: case, spaces, underscores and hyphens (and a BOM) ignored.

    Spreadsheets and scripts respell LinkedIn's headers ("FirstName", "first_name",
    "FIRST-NAME"); every spelling of a column is the same key.
    """
    return _SEPARATORS.sub("", cell.casefold())


# (file name for logs and answers, columns that must all be present, header must equal them)
_SIGNATURES: tuple[tuple[str, frozenset[str], bool], ...] = tuple(
    (name, frozenset(header_key(column) for column in columns.split("|")), exact)
    for name, columns, exact in (
        ("messages.csv", "conversation id|from|content", False),
        ("messages.csv", "sender profile url|from|to", False),
        ("Messages.csv", "from|to|date|subject|content", False),
        ("Invitations.csv", "from|to|sent at|direction", False),
        ("Invitations.csv", "inviterprofileurl|inviteeprofileurl", False),
        ("Endorsement_Received_Info.csv", "endorser first name|skill name", False),
        ("Endorsement_Received_Info.csv", "endorser public url", False),
        ("Endorsement_Given_Info.csv", "endorsee first name|skill name", False),
        ("Endorsement_Given_Info.csv", "endorsee public url", False),
        ("Recommendations_*.csv", "first name|last name|text|creation date", False),
        ("Recommendations_*.csv", "first name|last name|job title|text", False),
        ("Profile.csv", "first name|last name|headline", False),
        ("Profile.csv", "first name|last name|maiden name", False),
        ("Profile.csv", "first name|last name|birth date", False),
        ("Positions.csv", "company name|title|started on", False),
        ("Education.csv", "school name|degree name", False),
        ("Skills.csv", "name", True),
        ("Languages.csv", "name|proficiency", False),
        ("Certifications.csv", "name|authority", False),
        ("Email Addresses.csv", "email address|confirmed|primary", False),
        ("PhoneNumbers.csv", "number|type|extension", False),
        ("Registration.csv", "registered at", False),
        ("Company Follows.csv", "organization|followed on", False),
        ("Rich_Media.csv", "media link", False),
        ("Shares.csv", "sharelink", False),
        ("Comments.csv", "date|link|message", False),
        ("Reactions.csv", "date|type|link", False),
        ("SearchQueries.csv", "search query", False),
        ("Learning.csv", "content title|content type", False),
    )
)

# Basenames of export files that carry no recognisable header (e.g. "No conversations found").
_KNOWN_NAMES = re.compile(
    r"(learning_?coach_?messages|guide_messages|learning_role_play_messages|messages|"
    r"invitations|profile|positions|skills|education|.*endorsement.*|recommendations.*|"
    r"ad_?targeting|registration|rich_media|savedjobalerts|(comments|shares|reactions|"
    r"member_follows)(_\d+)?)\.csv",
    re.IGNORECASE,
)


def recognise_header(cells: set[str]) -> str | None:
    """Name the non-Connections LinkedIn file whose header these ``header_key`` cells are."""
    for name, columns, exact in _SIGNATURES:
        if cells == columns if exact else columns <= cells:
            return name
    return None


def recognise_file_name(file_name: str | None) -> str | None:
    """Name the LinkedIn export file an unrecognised upload was called after, if any."""
    if not file_name:
        return None
    base = re.split(r"[/\\]", file_name)[-1].strip()
    return base if _KNOWN_NAMES.fullmatch(base) else None


def describe_text(text: str) -> str:
    """A short, content-free description of unrelated text for logs."""
    start = text.lstrip()[:200].casefold()
    for marker, name in (
        ("<!doctype html", "HTML"),
        ("<html", "HTML"),
        ("<?xml", "XML"),
        ("begin:vcard", "vCard"),
        ("{\\rtf", "RTF document"),
        ("{", "JSON"),
        ("[", "JSON"),
    ):
        if start.startswith(marker):
            return f"{name} text without a First Name / Last Name header"
    return "text without a First Name / Last Name header"
