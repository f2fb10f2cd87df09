"""Merging imports: new people added, gone people marked, decisions kept, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlite_utils import Database

from storage import decisions, progress, search, users
from storage.export.records import Invitation, Signals
from storage.merge import apply_import
from storage.store import Store
from tests.records import export, person

ME = 1001


@pytest.fixture
def db(fresh_store: Store) -> Database:
    """A store with one person and no imports."""
    users.touch_user(fresh_store.db, ME, ME, "Me")
    return fresh_store.db


def decide_by_name(db: Database, name: str, decision: str) -> None:
    """Decide on the connection with this first name."""
    (c,) = search.find(db, ME, name)
    decisions.decide(db, ME, c.id, decision)


def test_first_import_adds_everyone_undecided(db: Database) -> None:
    s = apply_import(db, ME, export([person("ann"), person("ben")]), "Connections.csv")
    assert (s.first_import, s.rows_read, s.new, s.gone, s.undecided) == (True, 2, 2, 0, 2)
    row = next(db.query("SELECT * FROM imports"))
    assert (row["file_name"], row["rows_read"], row["new_count"]) == ("Connections.csv", 2, 2)


def test_reupload_keeps_decisions_and_reports_new_and_gone(db: Database) -> None:
    apply_import(db, ME, export([person("ann"), person("ben"), person("cy"), person("dee")]))
    decide_by_name(db, "ann", "keep")
    decide_by_name(db, "ben", "cut")
    decide_by_name(db, "cy", "keep")
    # A year later: Ben was removed on LinkedIn, Cy left, Ann changed jobs, Fay is new.
    s = apply_import(
        db, ME, export([person("ann", company="Contoso"), person("dee"), person("fay")])
    )
    assert (s.first_import, s.rows_read, s.new, s.gone, s.gone_cut) == (False, 3, 1, 2, 1)
    assert s.undecided == 2  # Dee and Fay
    (ann,) = search.find(db, ME, "ann")
    assert (ann.state, ann.company) == ("keep", "Contoso")
    ben = db.execute("SELECT gone, state FROM connections WHERE key = 'u:/in/ben'").fetchone()
    assert ben == (1, "cut")
    removed = db.execute("SELECT removed_at FROM decisions WHERE removed_at IS NOT NULL")
    assert len(removed.fetchall()) == 1, "a gone cut counts as removed on LinkedIn"
    p = progress.progress(db, ME)
    assert (p.total, p.kept, p.cut, p.undecided, p.removed) == (3, 1, 0, 2, 1)


def test_same_export_twice_changes_nothing(db: Database) -> None:
    people = [person("ann"), person("ben")]
    apply_import(db, ME, export(people))
    decide_by_name(db, "ann", "cut")
    s = apply_import(db, ME, export(people))
    assert (s.new, s.gone, s.returned, s.undecided) == (0, 0, 0, 1)
    assert progress.progress(db, ME).cut == 1


def test_returning_person_is_counted_and_keeps_decision(db: Database) -> None:
    apply_import(db, ME, export([person("ann"), person("ben")]))
    decide_by_name(db, "ben", "keep")
    apply_import(db, ME, export([person("ann")]))
    s = apply_import(db, ME, export([person("ann"), person("ben")]))
    assert (s.new, s.returned, s.gone) == (0, 1, 0)
    (ben,) = search.find(db, ME, "ben")
    assert ben.state == "keep"


def test_header_only_export_sweeps_nobody_away(db: Database) -> None:
    apply_import(db, ME, export([person("ann")]))
    s = apply_import(db, ME, export([]))
    assert (s.rows_read, s.gone) == (0, 0)
    assert progress.progress(db, ME).total == 1


def test_failed_import_leaves_everything_as_it_was(db: Database) -> None:
    apply_import(db, ME, export([person("ann")]))
    decide_by_name(db, "ann", "keep")
    broken = export([person("ben"), person("ben2")])
    broken.connections.append(None)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        apply_import(db, ME, broken)
    assert db["imports"].count == 1
    assert [c.first_name for c in search.find(db, ME, "example")] == ["Ann"]
    assert progress.progress(db, ME).kept == 1


def test_connections_only_reupload_keeps_earlier_signals(db: Database) -> None:
    signals = {"u:/in/ann": Signals(messages_sent=2, messages_received=5)}
    apply_import(db, ME, export([person("ann")], signals=signals, full=True))
    apply_import(db, ME, export([person("ann")]))
    (ann,) = search.find(db, ME, "ann")
    assert (ann.messages_sent, ann.messages_received, ann.interactions) == (2, 5, 7)
    apply_import(db, ME, export([person("ann")], full=True))
    (ann,) = search.find(db, ME, "ann")
    assert ann.interactions == 0, "a full archive replaces what an older one said"


def test_pending_invitations_exclude_connections(db: Database) -> None:
    invitations = [
        Invitation("https://www.linkedin.com/in/ann", "Ann Example", date(2020, 1, 1)),
        Invitation("https://www.linkedin.com/in/old", "Old Pending", date(2020, 1, 1)),
        Invitation("https://www.linkedin.com/in/new", "New Pending", date(2999, 1, 1)),
    ]
    apply_import(db, ME, export([person("ann")], invitations=invitations, full=True))
    from storage.invitations import pending_invitations

    has_file, pending = pending_invitations(db, ME)
    assert has_file
    assert [p.name for p in pending] == ["Old Pending"]


def test_old_export_without_urls_matches_a_new_one_with_urls(db: Database) -> None:
    from dataclasses import replace

    from storage.export import connection_key

    with_url = [person("ann", first="Ann"), person("ben", first="Ben")]
    without_url = [
        replace(p, url=None, key=connection_key(None, p.first_name, p.last_name,
                                               p.connected_on, p.connected_on_raw))
        for p in with_url
    ]  # fmt: skip
    apply_import(db, ME, export(without_url))
    decide_by_name(db, "ann", "cut")
    s = apply_import(db, ME, export(with_url))
    assert (s.new, s.gone, s.undecided) == (0, 0, 1)
    (ann,) = search.find(db, ME, "ann")
    assert (ann.state, ann.url) == ("cut", "https://www.linkedin.com/in/ann")
    again = apply_import(db, ME, export(with_url))
    assert (again.new, again.gone) == (0, 0)
