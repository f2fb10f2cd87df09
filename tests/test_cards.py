"""Rendering cards, lists and the CSV: escaping, limits, and what each shows."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import pytest

from bot import texts
from bot.forecast import bar, project
from bot.render import cards
from bot.render import cutlist_messages as lists
from bot.render.csv_files import cut_list_csv, neutralise
from storage.records import CardView, Connection, LastDecision, Progress

TODAY = date(2026, 11, 29)


def conn(**changes: object) -> Connection:
    """A connection as the store returns it."""
    base = Connection(
        id=7, first_name="Ada", last_name="Example", company="Northwind", position="CTO",
        url="https://www.linkedin.com/in/ada-example", connected_on=date(2014, 3, 2),
        connected_on_raw="02 Mar 2014", messages_sent=0, messages_received=0,
        last_message_on=None, endorsements_received=0, endorsements_given=0,
        recommendations_received=0, recommendations_given=0, invited_by=None, interactions=0,
        gone=False, state=None, reason=None, removed_at=None, seq=None,
    )  # fmt: skip
    return replace(base, **changes)


PROGRESS = Progress(total=412, kept=361, cut=28, skipped=0, undecided=23, removed=0, target=500)


def view(c: Connection | None, **changes: object) -> CardView:
    """A card view around one connection."""
    return replace(CardView(c, PROGRESS, None, "weakest", True), **changes)


def test_card_shows_person_date_and_progress() -> None:
    text = cards.card_text(view(conn()), TODAY)
    assert "<b>Ada Example</b>" in text
    assert "CTO at Northwind" in text
    assert "Connected Mar 2014 · 12 years ago" in text
    assert texts.NO_SIGNALS in text
    assert texts.WHY_EARLY in text
    assert "389 of 412 reviewed · 361 kept so far · target 500" in text


def test_card_shows_signals() -> None:
    c = conn(messages_sent=2, messages_received=3, last_message_on=date(2024, 10, 26),
             endorsements_received=2, recommendations_given=1, invited_by="them",
             interactions=8)  # fmt: skip
    text = cards.card_text(view(c), TODAY)
    assert "5 messages (2 from you, 3 from them), last Oct 2024" in text
    assert "Endorsed you for 2 skills" in text
    assert "You recommended them" in text
    assert "They invited you" in text
    assert texts.NO_SIGNALS not in text and texts.WHY_EARLY not in text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("<script>", "&lt;script&gt;"), ("A & B", "A &amp; B"), ("x_y*z", "x_y*z"),
     ("</b><i>", "&lt;/b&gt;&lt;i&gt;"), ("&amp;", "&amp;amp;")],
)  # fmt: skip
def test_export_text_is_escaped(raw: str, shown: str) -> None:
    text = cards.card_text(view(conn(first_name=raw, company=raw, position=raw)), TODAY)
    assert f"<b>{shown} Example</b>" in text
    assert f"{shown} at {shown}" in text


def test_card_fits_telegram_limits_whatever_the_export_holds() -> None:
    huge = "W" * 50_000
    c = conn(first_name=huge, last_name=huge, company=huge, position=huge,
             connected_on=None, connected_on_raw=huge)  # fmt: skip
    text, markup = cards.render(view(c), TODAY)
    assert len(text) < 1500
    for row in markup.inline_keyboard:
        for button in row:
            assert button.callback_data is None or len(button.callback_data.encode()) <= 64


def test_keyboard_has_keep_cut_skip_undo_and_profile() -> None:
    last = LastDecision(connection_id=3, seq=9, decision="keep", reason=None, name="Bo")
    markup = cards.card_keyboard(view(conn(), last=last))
    labels = [b.text for row in markup.inline_keyboard for b in row]
    assert labels == [texts.BUTTON_KEEP, texts.BUTTON_CUT, texts.BUTTON_SKIP, texts.BUTTON_UNDO,
                      texts.BUTTON_PROFILE]  # fmt: skip
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert data[:4] == ["d:7:k", "d:7:c", "d:7:s", "u:3:9"]


def test_reason_buttons_follow_a_cut_and_never_block() -> None:
    last = LastDecision(connection_id=3, seq=9, decision="cut", reason=None, name="Bo <x>")
    text, markup = cards.render(view(conn(), last=last), TODAY)
    assert "Why cut Bo &lt;x&gt;? (optional)" in text
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert [d for d in data if d and d.startswith("r:")] == [f"r:3:{n}" for n in range(1, 6)]
    assert "d:7:k" in data, "the next card's buttons are there too"
    tagged = replace(last, reason=2)
    assert "Why cut" not in cards.card_text(view(conn(), last=tagged), TODAY)


def test_no_url_gives_a_search_link() -> None:
    c = conn(url=None, first_name="Zoë", last_name="O'Neil")
    assert cards.profile_link(c).startswith("https://www.linkedin.com/search/results/people/?")
    assert cards.link_button(c).text == texts.BUTTON_SEARCH


def test_done_card_summarises() -> None:
    p = Progress(total=10, kept=7, cut=3, skipped=0, undecided=0, removed=0, target=5)
    text = cards.card_text(CardView(None, p, None, "weakest"), TODAY)
    assert "All done" in text and "Kept 7 · Cut 3" in text and "2 over your target of 5" in text


@pytest.mark.parametrize("cell", ["=1+2", "+49 30", "-x", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


def test_cut_list_csv_has_every_column_and_no_formula() -> None:
    people = [
        conn(first_name="=HYPERLINK(\"x\")", last_name="", reason=3, state="cut"),
        conn(id=8, first_name="Bo", company="@corp", removed_at="2026-01-01", state="cut",
             url=None, connected_on=None, connected_on_raw="sometime"),
    ]  # fmt: skip
    rows = list(csv.reader(io.StringIO(cut_list_csv(people).decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Company", "Position", "Profile URL", "Connected on", "Reason",
                       "Removed"]  # fmt: skip
    assert rows[1][0] == '\'=HYPERLINK("x")'
    assert rows[1][3:] == ["https://www.linkedin.com/in/ada-example", "2014-03-02",
                           texts.REASONS[3], "no"]  # fmt: skip
    assert rows[2][1] == "'@corp" and rows[2][4] == "sometime" and rows[2][6] == "yes"


def test_cutlist_message_has_link_and_removed_buttons() -> None:
    people = [conn(id=i, first_name=f"P{i}") for i in range(1, 4)]
    text, markup = lists.cutlist_message(people, first_index=11)
    assert text.splitlines()[0].startswith("11. <b>P1 Example</b>")
    assert lists.ids_in_keyboard(markup) == [1, 2, 3]
    assert lists.first_index_in_keyboard(markup) == 11
    assert markup.inline_keyboard[0][0].url == "https://www.linkedin.com/in/ada-example"


def test_projection_and_bar() -> None:
    p = Progress(total=1000, kept=300, cut=100, skipped=0, undecided=600, removed=0, target=500)
    proj = project(p, pace=20, today=TODAY)
    assert proj.cuts_needed == 400
    assert proj.keep_rate == 0.75
    assert proj.expected_cuts == 150 and proj.expected_final == 750
    assert proj.finish_on == date(2026, 12, 29)
    assert bar(4, 10) == "▓▓▓▓░░░░░░ 40%"
    assert bar(0, 0) == "░░░░░░░░░░ 0%"


@pytest.mark.parametrize(
    ("then", "expected"),
    [(date(2026, 11, 1), "this month"), (date(2026, 6, 30), "4 months ago"),
     (date(2014, 3, 2), "12 years ago"), (date(2025, 11, 29), "1 year ago")],
)  # fmt: skip
def test_ago(then: date, expected: str) -> None:
    assert texts.ago(then, TODAY) == expected


def test_cut_list_message_of_ten_long_entries_fits_telegram() -> None:
    huge = "Ω&" * 5000
    people = [conn(id=i, first_name=huge, company=huge, position=huge) for i in range(10)]
    text, _ = lists.cutlist_message(people)
    visible = text.replace("&amp;", "&").replace("<b>", "").replace("</b>", "")
    assert len(visible) < 4096
