"""Telegram-style text parsing for the test server: HTML entities, UTF-16 lengths, link checks.

``parse_html(source)`` mirrors TDLib's ``parse_html`` (td/telegram/MessageEntity.cpp): only the
tags Telegram supports, properly nested, and only ``&lt; &gt; &amp; &quot;`` plus numeric
character references. It returns the visible text and Bot API entity dicts with UTF-16 offsets,
or raises ``HtmlParseError`` whose message follows TDLib's wording (``Unsupported start tag "foo"
at byte offset 12``). One deliberate difference, on by default: with ``strict_ampersand`` a bare
``&`` that starts no entity is refused; the real server keeps it literally, but an unescaped
``&`` almost always means a forgotten ``html.escape``. Attribute values are never strict.

``check_link(url)`` imitates the Bot API's URL check for text links and url buttons.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_SIMPLE_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\r\n\v\0"
_TG_USER = re.compile(r"^tg://user\?id=(\d+)$", re.IGNORECASE)
_HOST = re.compile(r"^(?:[\w-]+\.)+(?:[^\W\d_]{2,}|xn--[\w-]+)$|^\d{1,3}(?:\.\d{1,3}){3}$")

Entity = dict[str, Any]


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; the message is TDLib's reason."""


class LinkError(ValueError):
    """A URL the Bot API would refuse; the message is the reason (``Wrong HTTP URL``)."""


@dataclass
class ParsedText:
    """Visible text plus Bot API entity dicts, offsets and lengths in UTF-16 code units."""

    text: str
    entities: list[Entity] = field(default_factory=list)


@dataclass
class _Open:
    """A start tag waiting for its end tag."""

    tag: str
    argument: str
    offset: int
    out_index: int


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, as Telegram counts it."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def check_link(url: str) -> str:
    """Return the normalised link or raise LinkError the way the Bot API does."""
    if not url.strip():
        raise LinkError("URL host is empty")
    candidate = url.strip() if "://" in url else f"http://{url.strip()}"
    parts = urlsplit(candidate)
    scheme = parts.scheme.lower()
    if scheme == "tg":
        if not parts.netloc:
            raise LinkError("Wrong tg URL")
        return candidate
    if scheme not in ("http", "https", "ton"):
        raise LinkError("Unsupported URL protocol")
    host = (parts.hostname or "").lower()
    if not host:
        raise LinkError("URL host is empty")
    if not _HOST.match(host):
        raise LinkError("Wrong HTTP URL")
    return candidate


def _byte_offset(source: str, index: int) -> int:
    """UTF-8 byte offset of character ``index`` (TDLib reports byte offsets)."""
    return len(source[:index].encode("utf-8", "surrogatepass"))


def _decode_entity(source: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at ``source[pos] == '&'`` like TDLib, or None."""
    end = pos + 1
    if source.startswith("#", end):
        end += 1
        base = 16 if source.startswith("x", end) else 10
        end += base == 16
        digits = string.hexdigits if base == 16 else string.digits
        start = end
        while end < len(source) and source[end] in digits:
            end += 1
        if end == start or end - pos >= 10:
            return None
        code = int(source[start:end], base)
        if code == 0 or code >= 0x10FFFF:
            return None
        char = chr(code)
    else:
        start = end
        while end < len(source) and source[end].isascii() and source[end].isalpha():
            end += 1
        char = _NAMED_ENTITIES.get(source[start:end], "")
        if not char:
            return None
    if source.startswith(";", end):
        end += 1
    return char, end


class _HtmlParser:
    """One pass over the source, building visible text and entities (TDLib's algorithm)."""

    def __init__(
        self,
        source: str,
        strict_ampersand: bool,
        resolve_user: Callable[[int], dict[str, Any] | None] | None,
    ) -> None:
        """Remember the input and options."""
        self.source = source
        self.strict_ampersand = strict_ampersand
        self.resolve_user = resolve_user
        self.out: list[str] = []
        self.utf16 = 0
        self.entities: list[Entity] = []
        self.stack: list[_Open] = []

    def fail(self, reason: str, index: int) -> HtmlParseError:
        """Build the error for ``reason`` at character ``index``."""
        return HtmlParseError(f"{reason} at byte offset {_byte_offset(self.source, index)}")

    def append(self, text: str) -> None:
        """Add visible text."""
        self.out.append(text)
        self.utf16 += utf16_len(text)

    def parse(self) -> ParsedText:
        """Run the scanner over the whole source."""
        source, i = self.source, 0
        while i < len(source):
            char = source[i]
            if char == "&":
                decoded = _decode_entity(source, i)
                if decoded is not None:
                    self.append(decoded[0])
                    i = decoded[1]
                    continue
                if self.strict_ampersand:
                    raise self.fail('Character "&" must be escaped as "&amp;"', i)
            if char != "<":
                self.append(char)
                i += 1
            elif source.startswith("/", i + 1):
                i = self.end_tag(i)
            else:
                i = self.start_tag(i)
        if self.stack:
            tag = self.stack[-1].tag
            raise HtmlParseError(f"Can't find end tag corresponding to start tag {tag}")
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return ParsedText("".join(self.out), self.entities)

    def start_tag(self, begin: int) -> int:
        """Parse ``<tag attr="value">`` starting at ``begin``; return the index after it."""
        source, i = self.source, begin + 1
        while i < len(source) and source[i] not in _SPACES and source[i] != ">":
            i += 1
        if i >= len(source):
            raise self.fail("Unclosed start tag", begin)
        tag = source[begin + 1 : i].lower()
        if tag not in SUPPORTED_TAGS:
            raise self.fail(f'Unsupported start tag "{tag}"', begin)
        argument = ""
        while True:
            while i < len(source) and source[i] in _SPACES:
                i += 1
            if i >= len(source):
                raise self.fail(f'Unclosed start tag "{tag}"', begin)
            if source[i] == ">":
                break
            name, value, i = self.attribute(tag, begin, i)
            if tag == "a" and name == "href":
                argument = value
            elif tag == "code" and name == "class" and value.startswith("language-"):
                argument = value.removeprefix("language-")
            elif tag == "span" and name == "class" and value.startswith("tg-"):
                argument = value.removeprefix("tg-")
            elif (tag, name) in (("tg-emoji", "emoji-id"), ("blockquote", "expandable")):
                argument = value or name
        if tag == "span" and argument != "spoiler":
            raise self.fail('Tag "span" must have class "tg-spoiler"', begin)
        self.stack.append(_Open(tag, argument, self.utf16, len(self.out)))
        return i + 1

    def attribute(self, tag: str, begin: int, i: int) -> tuple[str, str, int]:
        """Parse one attribute at ``i``; a bare name (``expandable``) has an empty value."""
        source, name_begin = self.source, i
        while i < len(source) and source[i] not in _SPACES and source[i] not in "=>":
            i += 1
        name = source[name_begin:i]
        if not name:
            raise self.fail(f'Empty attribute name in the tag "{tag}"', begin)
        while i < len(source) and source[i] in _SPACES:
            i += 1
        if i >= len(source) or source[i] != "=":
            return name, "", i
        i += 1
        while i < len(source) and source[i] in _SPACES:
            i += 1
        if i >= len(source):
            raise self.fail(f'Unclosed start tag "{tag}"', begin)
        if source[i] not in "'\"":
            token_begin = i
            while i < len(source) and (
                (source[i].isascii() and source[i].isalnum()) or source[i] in ".-"
            ):
                i += 1
            if i < len(source) and source[i] not in _SPACES and source[i] != ">":
                raise self.fail("Unexpected end of name token", token_begin)
            return name, source[token_begin:i].lower(), i
        quote, i, value = source[i], i + 1, []
        while i < len(source) and source[i] != quote:
            decoded = _decode_entity(source, i) if source[i] == "&" else None
            if decoded is not None:
                value.append(decoded[0])
                i = decoded[1]
            else:
                value.append(source[i])
                i += 1
        if i >= len(source):
            raise self.fail("Unclosed start tag", begin)
        return name, "".join(value), i + 1

    def end_tag(self, begin: int) -> int:
        """Parse ``</tag>`` starting at ``begin``, emitting the entity; return the next index."""
        if not self.stack:
            raise self.fail("Unexpected end tag", begin)
        source, i = self.source, begin + 2
        while i < len(source) and source[i] not in _SPACES and source[i] != ">":
            i += 1
        end_name = source[begin + 2 : i].lower()
        while i < len(source) and source[i] in _SPACES:
            i += 1
        if i >= len(source) or source[i] != ">":
            raise self.fail("Unclosed end tag", begin)
        opened = self.stack[-1]
        if end_name and end_name != opened.tag:
            offset = _byte_offset(source, begin)
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {offset}, expected "</{opened.tag}>", '
                f'found "</{end_name}>"'
            )
        self.stack.pop()
        if self.utf16 > opened.offset:
            self.emit(opened, self.utf16 - opened.offset)
        return i + 1

    def emit(self, opened: _Open, length: int) -> None:
        """Turn a closed tag into a Bot API entity dict (or drop it, like TDLib)."""
        entity: Entity = {"offset": opened.offset, "length": length}
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and (last["offset"], last["length"]) == (
            opened.offset,
            length,
        )
        if opened.tag in _SIMPLE_TYPES:
            entity["type"] = _SIMPLE_TYPES[opened.tag]
        elif opened.tag == "blockquote":
            entity["type"] = "expandable_blockquote" if opened.argument else "blockquote"
        elif opened.tag == "tg-emoji":
            if not opened.argument.isdigit() or int(opened.argument) == 0:
                raise HtmlParseError("Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=opened.argument)
        elif opened.tag == "code":
            if same_span and last is not None and last["type"] == "pre" and opened.argument:
                last["language"] = opened.argument
                return
            entity["type"] = "code"
            if opened.argument:
                entity["_language"] = opened.argument
        elif opened.tag == "pre":
            if same_span and last is not None and last["type"] == "code" and "_language" in last:
                last.update(type="pre", language=last.pop("_language"))
                return
            entity["type"] = "pre"
        else:
            self.emit_link(opened, entity)
            return
        self.entities.append(entity)

    def emit_link(self, opened: _Open, entity: Entity) -> None:
        """Handle ``<a href>``: a text_mention for tg://user?id=, a text_link, or nothing."""
        url = opened.argument or "".join(self.out[opened.out_index :])
        mention = _TG_USER.match(url)
        if mention and self.resolve_user is not None:
            user = self.resolve_user(int(mention.group(1)))
            if user is not None:
                self.entities.append({**entity, "type": "text_mention", "user": user})
            return
        try:
            self.entities.append({**entity, "type": "text_link", "url": check_link(url)})
        except LinkError:
            return


def parse_html(
    source: str,
    *,
    strict_ampersand: bool = True,
    resolve_user: Callable[[int], dict[str, Any] | None] | None = None,
) -> ParsedText:
    """Parse Telegram HTML into visible text and entities, or raise HtmlParseError."""
    parsed = _HtmlParser(source, strict_ampersand, resolve_user).parse()
    for entity in parsed.entities:
        entity.pop("_language", None)
    return parsed


def strip_text(parsed: ParsedText) -> ParsedText:
    """Trim surrounding whitespace like Telegram, shifting and clipping the entities."""
    text = parsed.text.strip()
    if text == parsed.text:
        return parsed
    shift = utf16_len(parsed.text[: len(parsed.text) - len(parsed.text.lstrip())])
    size = utf16_len(text)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, size)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(text, entities)
