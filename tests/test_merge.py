"""Merging imports: new people added, gone people marked, decisions kept, all or nothing."""

from __future__ import annotations

import random
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage import decisions, progress, search, users
from storage.cutlist import mark_removed
from storage.export import connection_key, read_export
from storage.export.records import ConnectionRecord, Invitation, ParsedExport, Signals
from storage.merge import apply_import
from storage.records import Decision
from storage.store import Store
from tests import export_samples as samples
from tests import legacy_merge
from tests.records import export, person

ME = 1001
OTHER = 1002


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


def test_an_export_with_unreadable_rows_sweeps_nobody_away(db: Database) -> None:
    apply_import(db, ME, export([person("ann"), person("ben")]))
    decide_by_name(db, "Ben", "cut")
    partial = replace(export([person("ann")]), unreadable_rows=1)  # Ben's row, garbled?
    s = apply_import(db, ME, partial)
    assert (s.gone, s.gone_cut) == (0, 0)
    p = progress.progress(db, ME)
    assert (p.total, p.cut, p.removed) == (2, 1, 0), "Ben is not counted removed"


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


# -- the faster merge stores exactly what the frozen legacy merge stored ----------------------

# Every table a merge writes, with an order that makes the comparison row by row.
MERGE_TABLES = {
    "connections": "id",
    "decisions": "connection_id",
    "imports": "id",
    "pending_invitations": "id",
    "progress_counts": "user_id, bucket",
}
FIRST_NAMES = ("Ann", "Ben", "Zoë", "Björn", "Chloé", "Dmitri", "Grace", "Léa", "Oğuz", "Wei")
LAST_NAMES = ("Example", "O'Brien", "Ångström", "Van der Berg", "Müller", "Nguyen", "Quinn")
COMPANIES = ("Northwind", "Contoso", "Smith & Sons", "", "Globex", "Initech")
POSITIONS = ("Engineer", "CTO", "Head of Growth", "", "Recruiter")


def stored(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table a merge writes, each value with its SQLite storage class."""
    out = {}
    for table, order in MERGE_TABLES.items():
        columns = [column.name for column in db[table].columns]
        cells = ", ".join(f"typeof({c}), {c}" for c in columns)
        out[table] = db.execute(f"SELECT {cells} FROM {table} ORDER BY {order}").fetchall()
    return out


class Twins:
    """Two stores, one merged by storage.merge and one by tests/legacy_merge.py."""

    def __init__(self, folder: Path) -> None:
        self.new = Store(folder / "new.db")
        self.old = Store(folder / "legacy.db")
        self.clock = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
        for db in self.dbs:
            for uid in (ME, OTHER):
                users.touch_user(db, uid, uid, "Me", now=self.clock)

    @property
    def dbs(self) -> tuple[Database, Database]:
        """The new store's database, then the legacy one's."""
        return self.new.db, self.old.db

    def tick(self) -> datetime:
        """A later moment, the same for both stores."""
        self.clock += timedelta(minutes=7)
        return self.clock

    def merge(self, user_id: int, parsed: ParsedExport, name: str = "export.zip") -> None:
        """Apply the same import to both, at the same moment; the summaries must agree."""
        now = self.tick()
        # Each merge gets its own copy: neither may see what the other did to its input.
        ours = apply_import(self.new.db, user_id, deepcopy(parsed), name, now=now)
        theirs = legacy_merge.apply_import(self.old.db, user_id, deepcopy(parsed), name, now=now)
        assert asdict(ours) == asdict(theirs)

    def decide(self, user_id: int, key: str, decision: Decision) -> None:
        """The same decision on the person with this key, in both stores."""
        now = self.tick()
        for db in self.dbs:
            row = db.execute(
                "SELECT id FROM connections WHERE user_id = ? AND key = ?", [user_id, key]
            ).fetchone()
            if row is not None:
                decisions.decide(db, user_id, row[0], decision, now=now)

    def remove(self, user_id: int, key: str) -> None:
        """Mark this person's cut as removed on LinkedIn, in both stores."""
        now = self.tick()
        for db in self.dbs:
            row = db.execute(
                "SELECT id FROM connections WHERE user_id = ? AND key = ?", [user_id, key]
            ).fetchone()
            if row is not None:
                mark_removed(db, user_id, row[0], now=now)

    def undo_last(self, user_id: int) -> None:
        """Take back the latest decision, in both stores."""
        for db in self.dbs:
            decisions.undo_last(db, user_id)

    def assert_same(self) -> None:
        """Every stored row is the same in both stores."""
        ours, theirs = (stored(db) for db in self.dbs)
        for table in MERGE_TABLES:
            assert ours[table] == theirs[table], table

    def close(self) -> None:
        """Close both stores."""
        self.new.close()
        self.old.close()


@pytest.fixture
def twins(tmp_path: Path) -> Iterator[Twins]:
    """A new-merge store and a legacy-merge store, each with two people."""
    pair = Twins(tmp_path)
    yield pair
    pair.close()


@dataclass
class Someone:
    """One person of a random network, as the next export will describe them."""

    slug: str
    first: str
    last: str
    company: str
    position: str
    connected_on: date | None
    raw: str

    def record(self, with_url: bool) -> ConnectionRecord:
        """This person as a parsed row, with or without the URL column."""
        url = f"https://www.linkedin.com/in/{self.slug}" if with_url else None
        key = connection_key(url, self.first, self.last, self.connected_on, self.raw)
        return ConnectionRecord(
            key, self.first, self.last, url, self.company, self.position,
            self.connected_on, self.raw,
        )  # fmt: skip


def someone(rng: random.Random, n: int) -> Someone:
    """A random person; a few share a name and a day with someone else."""
    when = date(2008, 1, 1) + timedelta(days=rng.randrange(6_000))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    if n % 11 == 5:
        first, last, when = "Sam", "Namesake", date(2020, 5, 5)
    return Someone(
        f"p{n}-{rng.randrange(10**6)}", first, last, rng.choice(COMPANIES),
        rng.choice(POSITIONS), when, when.strftime("%d %b %Y"),
    )  # fmt: skip


def evolve(rng: random.Random, person: Someone) -> None:
    """What a year does to a profile: a new job, a new name, a date LinkedIn lost."""
    roll = rng.random()
    if roll < 0.15:
        person.company, person.position = rng.choice(COMPANIES), rng.choice(POSITIONS)
    elif roll < 0.18:
        person.last = rng.choice(LAST_NAMES)
    elif roll < 0.22:
        person.connected_on, person.raw = None, rng.choice(("", "sometime in 2019"))


def random_signals(rng: random.Random, records: list[ConnectionRecord]) -> dict[str, Signals]:
    """Relationship hints for about a third of these people."""
    return {
        r.key: Signals(
            messages_sent=rng.choice((0, 1, 4)),
            messages_received=rng.choice((0, 2, 9)),
            last_message_on=rng.choice((None, date(2024, 3, 1))),
            endorsements_received=rng.choice((0, 0, 3)),
            endorsements_given=rng.choice((0, 1)),
            recommendations_received=int(rng.random() < 0.1),
            recommendations_given=int(rng.random() < 0.1),
            invited_by=rng.choice((None, "me", "them")),
        )
        for r in records
        if rng.random() < 0.35
    }


def random_export(
    rng: random.Random, network: list[Someone], with_url: bool, full: bool
) -> ParsedExport:
    """An export of most of this network (the rest gone for now), in a shuffled order."""
    chosen = [p for p in network if rng.random() < 0.8]
    rng.shuffle(chosen)
    records: dict[str, ConnectionRecord] = {}
    for p in chosen:
        # Some rows lack a URL even in today's exports (hidden profiles).
        record = p.record(with_url and rng.random() > 0.05)
        records.setdefault(record.key, record)
    people = list(records.values())
    invitations = [
        Invitation(rng.choice(people).url if people and rng.random() < 0.3 else
                   f"https://www.linkedin.com/in/pending-{i}", f"Pending {i}",
                   rng.choice((None, date(2025, 1, i + 1))))
        for i in range(rng.randrange(4))
    ] + [Invitation(None, "No URL", None)]  # fmt: skip
    signals = random_signals(rng, people) if full or rng.random() < 0.2 else {}
    return export(people, signals=signals, invitations=invitations, full=full)


def random_decisions(rng: random.Random, twins: Twins, user_id: int, keys: list[str]) -> None:
    """Some presses between two imports: decisions, changes of mind, undo, removals."""
    for key in rng.sample(keys, min(len(keys), 12)):
        twins.decide(user_id, key, rng.choice(("keep", "cut", "cut", "skip")))
    if keys and rng.random() < 0.5:
        twins.decide(user_id, rng.choice(keys), "keep")
    if rng.random() < 0.4:
        twins.undo_last(user_id)
    for key in rng.sample(keys, min(len(keys), 2)):
        twins.remove(user_id, key)


@pytest.mark.parametrize("seed", range(8))
def test_merge_stores_the_same_rows_as_the_legacy_merge(twins: Twins, seed: int) -> None:
    rng = random.Random(seed)
    networks = {uid: [someone(rng, n) for n in range(40)] for uid in (ME, OTHER)}
    # Old exports had no URL column (seeds 0-3 start with one): the re-key path.
    with_url = {uid: seed >= 4 for uid in (ME, OTHER)}
    previous: dict[int, ParsedExport] = {}
    for step in range(9):
        for uid, network in networks.items():
            if step == 6:
                parsed = export([])  # a header-only file sweeps nobody away
            elif step == 7 and uid in previous:
                parsed = previous[uid]  # the same file twice
            else:
                parsed = random_export(rng, network, with_url[uid], full=rng.random() < 0.5)
            twins.merge(uid, parsed)
            twins.assert_same()
            previous[uid] = parsed
            random_decisions(rng, twins, uid, [r.key for r in parsed.connections])
            with_url[uid] = True
            for member in network:
                evolve(rng, member)
            network.extend(someone(rng, len(network)) for _ in range(rng.randrange(4)))
        twins.assert_same()


def test_merge_of_parsed_files_stores_the_same_rows_as_the_legacy_merge(twins: Twins) -> None:
    today = samples.TODAY
    with_urls = samples.current_connections(samples.PEOPLE)
    steps = [
        (samples.old_connections(samples.PEOPLE), "Connections.csv"),
        (samples.export_zip(with_urls, signals=samples.all_signal_files()), "export.zip"),
        (with_urls, "Connections.csv"),
        (samples.current_connections(samples.PEOPLE[1:]), "Connections.csv"),
        (samples.export_zip(with_urls, signals=samples.all_signal_files()), "export.zip"),
        (samples.export_zip(samples.current_connections(samples.people(30))), "export.zip"),
    ]
    for n, (data, name) in enumerate(steps):
        twins.merge(ME, read_export(data, name, today=today), name)
        twins.assert_same()
        keys = [k for (k,) in twins.new.db.execute("SELECT key FROM connections ORDER BY id")]
        twins.decide(ME, keys[n % len(keys)], "cut")
        twins.decide(ME, keys[-1], "keep")
        twins.remove(ME, keys[n % len(keys)])
    twins.assert_same()
