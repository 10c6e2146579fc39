"""Numbered schema migrations, each applied once in its own transaction and recorded in
``_migrations`` (id, name, applied_at).  Add a migration by appending to MIGRATIONS; never edit
one that has shipped."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial schema", """
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            as_of TEXT
        );
        CREATE TABLE source_files (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            importer TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            summary TEXT NOT NULL,
            PRIMARY KEY (case_id, sha256)
        );
        CREATE TABLE orders (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            order_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (case_id, order_id)
        );
        CREATE TABLE transactions (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            txn_id TEXT NOT NULL,
            booking_date TEXT NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (case_id, txn_id)
        );
        CREATE TABLE evidence (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL,
            payload TEXT NOT NULL,
            content BLOB NOT NULL,
            PRIMARY KEY (case_id, sha256)
        );
        CREATE TABLE events (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (case_id, event_id)
        );
        CREATE TABLE promises (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            promise_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (case_id, promise_id)
        );
        CREATE TABLE annotations (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            order_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (case_id, order_id)
        );
        CREATE TABLE decisions (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            match_key TEXT NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (case_id, match_key)
        );
        CREATE TABLE rejected_rows (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            file_sha256 TEXT NOT NULL,
            seq INTEGER NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (case_id, file_sha256, seq)
        );
    """),
    (2, "mapping profiles, owners and settings", """
        CREATE TABLE mapping_profiles (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL
        );
        ALTER TABLE cases ADD COLUMN owner TEXT;
        ALTER TABLE cases ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
        CREATE INDEX transactions_by_date ON transactions(case_id, booking_date);
    """),
    (3, "case revision counter and per-case snapshots", """
        ALTER TABLE cases ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE case_cache (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            revision INTEGER NOT NULL,
            saved_at TEXT NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (case_id, name)
        );
    """),
    (4, "the buyer's profile of each case", """
        CREATE TABLE profiles (
            case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
            payload TEXT NOT NULL
        );
    """),
    # a large import's records as one arrow table per file and kind (complaint.store.blocks)
    (5, "columnar blocks of large imports", """
        CREATE TABLE record_blocks (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            file_sha256 TEXT NOT NULL,
            kind TEXT NOT NULL,
            rows INTEGER NOT NULL,
            format TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (case_id, file_sha256, kind)
        );
    """),
    # text read on screenshots (complaint.evidence.ocr), by file hash and reader version, and what
    # the user said of each suggestion made of it (accepted or rejected: never proposed again)
    (6, "screenshot text and suggestion decisions", """
        CREATE TABLE ocr_readings (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL,
            engine TEXT NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (case_id, sha256, engine)
        );
        CREATE TABLE suggestion_decisions (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            suggestion_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            decision TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (case_id, suggestion_id)
        );
    """),
]

LATEST = MIGRATIONS[-1][0]


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT MAX(id) FROM _migrations").fetchone()
    return row[0] or 0


def apply(conn, steps, *, begin: str = "BEGIN IMMEDIATE", placeholder: str = "?",
          lock: tuple[str, tuple] | None = None) -> list[int]:
    """Apply each ``(number, name, statements)`` step not yet recorded in ``_migrations``, each in
    one transaction together with its record; returns the numbers applied.  The check runs inside
    the transaction (after ``lock`` where the database needs one), so two processes opening the
    same store at once apply a step only once.  Shared by SQLite and PostgreSQL (store_sql)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied = []
    for number, name, statements in steps:
        conn.execute(begin)
        try:
            if lock is not None:
                conn.execute(*lock)
            # the placeholder is the dialect's constant ("?" or "%s"), never data
            if conn.execute(f"SELECT 1 FROM _migrations WHERE id = {placeholder}", (number,)).fetchone():  # noqa: S608
                conn.execute("COMMIT")
                continue
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"INSERT INTO _migrations (id, name, applied_at) VALUES ({placeholder}, {placeholder}, "  # noqa: S608
                         f"{placeholder})", (number, name, datetime.now(UTC).isoformat()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied


def migrate(conn: sqlite3.Connection, target: int | None = None) -> list[int]:
    """Apply pending SQLite migrations up to ``target`` (default: all); returns the ids applied."""
    steps = [(number, name, [s.strip() for s in sql.split(";") if s.strip()])
             for number, name, sql in MIGRATIONS if target is None or number <= target]
    return apply(conn, steps)
