"""The database schema, as forward-only migrations applied at start."""

import sqlite3
from collections.abc import Iterator

from sqlite_utils import Database, Migrations

migrations = Migrations("keepcut")


def _statements(script: str) -> Iterator[str]:
    """Split an SQL script into whole statements (triggers included)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement: {pending.strip()[:60]}")


def _run_script(db: Database, script: str) -> None:
    """Run each statement inside the migration's transaction.

    sqlite3's executescript() would COMMIT first and break the all-or-nothing
    promise of a migration, so statements go one at a time through execute().
    """
    for statement in _statements(script):
        db.execute(statement)


@migrations()
def create_core_tables(db: Database) -> None:
    """People, imports, connections, decisions and the scheduling bookkeeping."""
    # Plain DDL: sqlite-utils' create() cannot express CHECK, ON DELETE CASCADE,
    # partial or expression indexes, and every one of them carries weight here.
    _run_script(
        db,
        """
        CREATE TABLE users (
            user_id         INTEGER PRIMARY KEY,
            chat_id         INTEGER NOT NULL,
            first_name      TEXT NOT NULL DEFAULT '',
            timezone        TEXT NOT NULL DEFAULT 'UTC',
            target          INTEGER NOT NULL DEFAULT 500 CHECK (target BETWEEN 1 AND 30000),
            review_order    TEXT NOT NULL DEFAULT 'weakest'
                            CHECK (review_order IN ('weakest', 'oldest', 'newest')),
            daily_links     INTEGER NOT NULL DEFAULT 25,
            settings        TEXT NOT NULL DEFAULT '{}',
            card_message_id INTEGER,
            -- Numbers decisions so Undo can name exactly one; never reused.
            last_seq        INTEGER NOT NULL DEFAULT 0,
            created_at      TEXT NOT NULL,
            last_seen_at    TEXT NOT NULL,
            blocked         INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE imports (
            id              INTEGER PRIMARY KEY,
            user_id         INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            imported_at     TEXT NOT NULL,
            file_name       TEXT NOT NULL DEFAULT '',
            source          TEXT NOT NULL DEFAULT 'csv',
            rows_read       INTEGER NOT NULL DEFAULT 0,
            new_count       INTEGER NOT NULL DEFAULT 0,
            gone_count      INTEGER NOT NULL DEFAULT 0,
            gone_cut_count  INTEGER NOT NULL DEFAULT 0,
            returned_count  INTEGER NOT NULL DEFAULT 0,
            undecided_count INTEGER NOT NULL DEFAULT 0,
            skipped_rows    INTEGER NOT NULL DEFAULT 0,
            undated_rows    INTEGER NOT NULL DEFAULT 0,
            has_signals     INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX imports_by_user ON imports(user_id, id);

        CREATE TABLE connections (
            id                       INTEGER PRIMARY KEY,
            user_id                  INTEGER NOT NULL
                                     REFERENCES users(user_id) ON DELETE CASCADE,
            key                      TEXT NOT NULL,
            first_name               TEXT NOT NULL DEFAULT '',
            last_name                TEXT NOT NULL DEFAULT '',
            search_name              TEXT NOT NULL DEFAULT '',
            company                  TEXT NOT NULL DEFAULT '',
            position                 TEXT NOT NULL DEFAULT '',
            url                      TEXT,
            connected_on             TEXT,
            -- connected_on, or '' when unknown: sorts undated people as the oldest,
            -- and keeps the queue indexes on plain columns (cheap to maintain).
            connected_sort           TEXT NOT NULL DEFAULT '',
            connected_on_raw         TEXT NOT NULL DEFAULT '',
            messages_sent            INTEGER NOT NULL DEFAULT 0,
            messages_received        INTEGER NOT NULL DEFAULT 0,
            last_message_on          TEXT,
            endorsements_received    INTEGER NOT NULL DEFAULT 0,
            endorsements_given       INTEGER NOT NULL DEFAULT 0,
            recommendations_received INTEGER NOT NULL DEFAULT 0,
            recommendations_given    INTEGER NOT NULL DEFAULT 0,
            invited_by               TEXT CHECK (invited_by IN ('me', 'them')),
            interactions             INTEGER NOT NULL DEFAULT 0,
            first_import_id          INTEGER REFERENCES imports(id),
            last_import_id           INTEGER REFERENCES imports(id),
            gone                     INTEGER NOT NULL DEFAULT 0,
            gone_at                  TEXT,
            -- Mirrors decisions.decision (NULL while undecided), kept by the triggers
            -- below, so the next card is one step down a partial index.
            state                    TEXT CHECK (state IN ('keep', 'cut', 'skip')),
            UNIQUE (user_id, key)
        );
        CREATE INDEX connections_by_state ON connections(user_id, gone, state);
        CREATE INDEX connections_queue_weakest
            ON connections(user_id, interactions, connected_sort, id)
            WHERE state IS NULL AND gone = 0;
        -- Read forwards for /review oldest, backwards for /review newest.
        CREATE INDEX connections_queue_by_date
            ON connections(user_id, connected_sort, id)
            WHERE state IS NULL AND gone = 0;

        CREATE TABLE decisions (
            connection_id INTEGER PRIMARY KEY
                          REFERENCES connections(id) ON DELETE CASCADE,
            user_id       INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            decision      TEXT NOT NULL CHECK (decision IN ('keep', 'cut', 'skip')),
            reason        INTEGER CHECK (reason BETWEEN 1 AND 5),
            decided_at    TEXT NOT NULL,
            seq           INTEGER NOT NULL,
            removed_at    TEXT,
            link_sent_at  TEXT
        );
        CREATE INDEX decisions_by_seq ON decisions(user_id, seq);
        CREATE INDEX decisions_by_kind ON decisions(user_id, decision, seq);

        CREATE TRIGGER decisions_state_insert AFTER INSERT ON decisions BEGIN
            UPDATE connections SET state = NEW.decision WHERE id = NEW.connection_id;
        END;
        CREATE TRIGGER decisions_state_update AFTER UPDATE OF decision ON decisions BEGIN
            UPDATE connections SET state = NEW.decision WHERE id = NEW.connection_id;
        END;
        CREATE TRIGGER decisions_state_delete AFTER DELETE ON decisions BEGIN
            UPDATE connections SET state = NULL WHERE id = OLD.connection_id;
        END;

        CREATE TABLE pending_invitations (
            id        INTEGER PRIMARY KEY,
            user_id   INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
            url       TEXT,
            name      TEXT NOT NULL DEFAULT '',
            sent_on   TEXT
        );
        CREATE INDEX pending_invitations_by_user ON pending_invitations(user_id, sent_on);

        CREATE TABLE schedules (
            user_id      INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            kind         TEXT NOT NULL,
            spec         TEXT NOT NULL DEFAULT '{}',
            next_due_utc INTEGER,
            active       INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (user_id, kind)
        );
        CREATE INDEX schedules_due ON schedules(active, next_due_utc);

        CREATE TABLE deliveries (
            id      INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            kind    TEXT NOT NULL,
            period  TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            UNIQUE (user_id, kind, period)
        );

        CREATE TABLE declined_chats (
            chat_id INTEGER PRIMARY KEY,
            told_at TEXT NOT NULL
        );
        """,
    )


@migrations()
def add_progress_counters(db: Database) -> None:
    """Per-person counts of kept/cut/skipped/undecided/gone/removed, kept by triggers.

    Counting 30,000 connections on every button press costs milliseconds; these
    counters make the progress line a single small read however large the network.
    Connections are inserted only by an import, which recounts its person at the end
    (storage.merge.recount): a trigger per inserted row would double an import's time.
    """
    _run_script(
        db,
        """
        CREATE TABLE progress_counts (
            user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            bucket  TEXT NOT NULL
                    CHECK (bucket IN ('undecided', 'keep', 'cut', 'skip', 'gone', 'removed')),
            n       INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (user_id, bucket)
        ) WITHOUT ROWID;

        CREATE TRIGGER counts_connection_delete AFTER DELETE ON connections BEGIN
            UPDATE progress_counts SET n = n - 1
            WHERE user_id = OLD.user_id
              AND bucket = CASE WHEN OLD.gone THEN 'gone' ELSE ifnull(OLD.state, 'undecided') END;
        END;
        CREATE TRIGGER counts_connection_update AFTER UPDATE OF state, gone ON connections
        WHEN (CASE WHEN OLD.gone THEN 'gone' ELSE ifnull(OLD.state, 'undecided') END)
          != (CASE WHEN NEW.gone THEN 'gone' ELSE ifnull(NEW.state, 'undecided') END)
        BEGIN
            UPDATE progress_counts SET n = n - 1
            WHERE user_id = OLD.user_id
              AND bucket = CASE WHEN OLD.gone THEN 'gone' ELSE ifnull(OLD.state, 'undecided') END;
            -- Not while the person is being deleted (their decisions cascade first).
            INSERT INTO progress_counts (user_id, bucket, n)
            SELECT NEW.user_id,
                   CASE WHEN NEW.gone THEN 'gone' ELSE ifnull(NEW.state, 'undecided') END, 1
            WHERE EXISTS (SELECT 1 FROM users WHERE user_id = NEW.user_id)
            ON CONFLICT (user_id, bucket) DO UPDATE SET n = n + 1;
        END;

        CREATE TRIGGER counts_removed_update AFTER UPDATE OF removed_at ON decisions
        WHEN (OLD.removed_at IS NULL) != (NEW.removed_at IS NULL)
        BEGIN
            INSERT INTO progress_counts (user_id, bucket, n)
            SELECT NEW.user_id, 'removed', CASE WHEN NEW.removed_at IS NULL THEN -1 ELSE 1 END
            WHERE EXISTS (SELECT 1 FROM users WHERE user_id = NEW.user_id)
            ON CONFLICT (user_id, bucket) DO UPDATE SET n = n + excluded.n;
        END;
        CREATE TRIGGER counts_removed_delete AFTER DELETE ON decisions
        WHEN OLD.removed_at IS NOT NULL
        BEGIN
            UPDATE progress_counts SET n = n - 1
            WHERE user_id = OLD.user_id AND bucket = 'removed';
        END;

        INSERT INTO progress_counts (user_id, bucket, n)
        SELECT user_id, CASE WHEN gone THEN 'gone' ELSE ifnull(state, 'undecided') END, count(*)
        FROM connections GROUP BY 1, 2;
        INSERT INTO progress_counts (user_id, bucket, n)
        SELECT user_id, 'removed', count(*) FROM decisions
        WHERE removed_at IS NOT NULL GROUP BY user_id;
        """,
    )


@migrations()
def add_schedule_bookkeeping(db: Database) -> None:
    """Claims and outcomes for scheduled messages; time-zone choice; the yearly re-check.

    A delivery row is claimed (status 'claimed') in the same transaction that moves its
    schedule on, before anything is sent, so no occurrence is ever sent twice; it
    becomes 'sent', 'skipped' (nothing new to say, or too late), or is deleted again
    when a send failed for a passing reason, to be retried on the next sweep.
    """
    _run_script(
        db,
        """
        ALTER TABLE users ADD COLUMN timezone_chosen INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE users ADD COLUMN timezone_asked INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE users ADD COLUMN review_mode TEXT NOT NULL DEFAULT 'review'
            CHECK (review_mode IN ('review', 'recheck'));
        -- Keep decisions made before this moment are re-checked in this year's clean.
        ALTER TABLE users ADD COLUMN recheck_since TEXT;

        -- "Still keep" in the yearly re-check: the decision stays, this notes the look.
        ALTER TABLE decisions ADD COLUMN rechecked_at TEXT;

        -- The decision a change replaced, so Undo of the change brings it back.
        CREATE TABLE decision_undo (
            connection_id INTEGER PRIMARY KEY
                          REFERENCES connections(id) ON DELETE CASCADE,
            user_id       INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            seq           INTEGER NOT NULL,
            decision      TEXT NOT NULL,
            reason        INTEGER,
            decided_at    TEXT NOT NULL,
            old_seq       INTEGER NOT NULL,
            removed_at    TEXT,
            link_sent_at  TEXT,
            rechecked_at  TEXT
        );

        ALTER TABLE deliveries ADD COLUMN status TEXT NOT NULL DEFAULT 'sent'
            CHECK (status IN ('claimed', 'sent', 'skipped'));
        ALTER TABLE deliveries ADD COLUMN due_utc INTEGER;
        ALTER TABLE deliveries ADD COLUMN fingerprint TEXT;
        ALTER TABLE deliveries ADD COLUMN finished_at TEXT;
        CREATE INDEX deliveries_latest ON deliveries(user_id, kind, id);
        """,
    )


@migrations()
def add_heartbeat(db: Database) -> None:
    """One row the running bot rewrites every minute, so `keepcut health` can tell it is alive."""
    _run_script(
        db,
        """
        CREATE TABLE heartbeat (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            at TEXT NOT NULL
        );
        """,
    )


@migrations()
def drop_last_import_id(db: Database) -> None:
    """No longer note on every row the latest import that had it: nothing read it.

    A person still there was in the latest import by definition, and one who left has
    gone_at; rewriting all 30,000 rows at each re-import to say so cost a fifth of it.
    """
    _run_script(db, "ALTER TABLE connections DROP COLUMN last_import_id;")
